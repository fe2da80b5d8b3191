"""Hostile and broken input at the HTTP layer: every request gets an answer the contract names,
never a 500; every accepted submission gets exactly one SRE or ERRT; a body too big is refused
while it streams in; what the backend stores is encrypted at rest."""

from __future__ import annotations

import base64
import hashlib
import sqlite3
import time

import pytest
from backend_helpers import make_config
from fastapi.testclient import TestClient

from backend import mailbox
from backend._db import Store
from backend.app import MAX_SUBMISSION_BYTES
from backend.service import Service
from booking_station.envelope import FileKek, MissingKey, WrongKey
from ebts import read_response

ORI = "TX0570000"


def test_a_huge_cursor_is_a_clear_422_not_a_500(idle_client: TestClient) -> None:
    for params in ({"after": 2**70}, {"after": -1}, {"limit": 10**30}):
        answer = idle_client.get(f"/v1/mailbox/{ORI}", params=params)
        assert answer.status_code == 422, params
    assert idle_client.get(f"/v1/mailbox/{ORI}", params={"after": 2**63 - 1}).json()["messages"] == []
    assert idle_client.post(f"/v1/mailbox/{ORI}/ack", json={"through": 2**80}).status_code == 422
    assert idle_client.post(f"/v1/mailbox/{ORI}/ack", json={"through": 2**63 - 1}).status_code == 204


def test_an_internal_error_is_a_503_with_a_reference(idle_client: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(mailbox, "read", broken)
    client = TestClient(idle_client.app, raise_server_exceptions=False)
    answer = client.get(f"/v1/mailbox/{ORI}")
    assert answer.status_code == 503 and answer.headers["retry-after"]
    assert "internal error, reference" in answer.json()["detail"] and "fire" not in answer.text


def test_a_body_over_the_limit_is_refused_while_it_streams(idle_client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        block = b"\0" * (1 << 20)
        for _ in range(MAX_SUBMISSION_BYTES // len(block) + 64):  # 64 MiB more than the limit
            yield block

    answer = idle_client.post("/v1/transactions", content=chunks())
    assert answer.status_code == 413 and "stopped reading" in answer.json()["detail"]
    assert answer.headers["connection"] == "close"  # the rest of the body is not read either
    declared = idle_client.post("/v1/transactions", content=b"x", headers={"content-length": str(2**40)})
    assert declared.status_code in (400, 413)


def _errt_codes(service: Service, tcn: str) -> list[str]:
    for _ in range(300):
        found = [m for m in mailbox.read(service.store, ORI)["messages"] if m["tcn"] == tcn]
        if found:
            assert [m["kind"] for m in found] == ["ERRT"]
            return [e.code for e in read_response(base64.b64decode(found[0]["body_b64"])).errors]
        time.sleep(0.1)
    raise AssertionError(f"no answer for {tcn}")


def test_an_internal_failure_still_answers_the_submission_once(idle_service: Service, car) -> None:
    idle_service.state.status, idle_service.state.message = "failed", "population preparation failed: test"
    idle_service.processor.start()
    try:
        tcn, body = car(2, ORI, rolled=False)
        idle_service.receive(body, ORI)
        assert _errt_codes(idle_service, tcn) == ["L0014"]
        # Processing the same submission again (a restart) adds no second answer.
        idle_service.processor._answer_failure(tcn, RuntimeError("again"))
        assert len([m for m in mailbox.read(idle_service.store, ORI)["messages"] if m["tcn"] == tcn]) == 1
    finally:
        idle_service.processor.stop()


def test_submissions_population_and_answers_are_encrypted_at_rest(tmp_path, make_service, car) -> None:
    service = make_service(tmp_path / "backend.sqlite")
    from backend import population

    service._store_population(population.generate(6, 11))
    tcn, body = car(2, ORI, rolled=False)
    service.receive(body, ORI)
    service.processor.refuse(tcn, ORI, *_an_error())
    service.store.close()
    raw = sqlite3.connect(tmp_path / "backend.sqlite")
    stored = raw.execute("select body from transactions").fetchone()[0]
    assert stored.startswith(b"BS1") and b"1.001:" not in stored and body[-200:] not in stored
    records = [r[0] for r in raw.execute("select record from population")]
    assert records and all(r.startswith("sealed:") and "family_name" not in r for r in records)
    assert raw.execute("select body from messages").fetchone()[0].startswith(b"BS1")
    assert all(d.startswith("sealed:") for (d,) in raw.execute("select details from actions"))
    raw.close()
    import os
    import stat

    assert stat.S_IMODE(os.stat(tmp_path / "backend.sqlite").st_mode) == 0o600


def _an_error():  # type: ignore[no-untyped-def]
    from ebts import ErrorItem

    return (ErrorItem("L0010", "-", "test"),)


def test_a_missing_or_wrong_key_stops_the_store_and_changes_nothing(tmp_path, make_service, car) -> None:
    db = tmp_path / "backend.sqlite"
    service = make_service(db)
    service.receive(car(2, ORI, rolled=False)[1], ORI)
    service.store.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    url = f"sqlite:///{db}"
    with pytest.raises(MissingKey, match="is missing"):
        Store(url, FileKek(tmp_path / "elsewhere" / "backend.kek"))
    other = FileKek(tmp_path / "other" / "backend.kek")
    other.ensure()
    with pytest.raises(WrongKey, match="is not the key this data was encrypted with"):
        Store(url, other)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not (tmp_path / "elsewhere" / "backend.kek").exists()  # a missing key is never replaced


def test_a_database_from_before_encryption_is_sealed_on_first_open(tmp_path, make_service) -> None:
    db = tmp_path / "backend.sqlite"
    make_service(db).store.close()  # today's tables
    raw = sqlite3.connect(db)  # as the clear version wrote them
    raw.execute("delete from settings where key = 'data_key'")
    raw.execute("insert into population (subject_id, record) values (1, ?)", ('{"family_name": "Walker"}',))
    raw.execute(
        "insert into transactions (tcn, ori, tot, received_at, body, status) "
        "values ('TX05700001', ?, 'CAR', '2026-01-01 00:00:00', ?, 'done')",
        (ORI, b"1.001:clear car"),
    )
    raw.commit()
    raw.close()
    service = make_service(db)
    with service.store.session() as s:
        from backend._db import PersonRow, Transaction

        assert s.get(PersonRow, 1).record == {"family_name": "Walker"}
        assert s.query(Transaction).one().body == b"1.001:clear car"
    service.store.close()
    raw = sqlite3.connect(db)
    assert raw.execute("select body from transactions").fetchone()[0].startswith(b"BS1")
    assert raw.execute("select record from population").fetchone()[0].startswith("sealed:")
    raw.close()


def test_key_rotation_rewraps_the_data_key_and_retires_the_old_key(
    tmp_path, make_service, car, capsys
) -> None:  # type: ignore[no-untyped-def]
    from backend import _gallery_key
    from booking_station.cli import main

    db = tmp_path / "backend.sqlite"
    old, new = tmp_path / "keys" / "backend.kek", tmp_path / "keys2" / "backend.kek"
    from backend.service import Service

    service = Service(make_config(tmp_path, db, key_file=old))
    tcn, body = car(2, ORI, rolled=False)
    service.receive(body, ORI)
    service.store.close()
    # A gallery file sealed under the galleries' key, which the same KEK wraps.
    sealed = tmp_path / "galleries" / "templates.bin"
    with _gallery_key.sealer(tmp_path / "galleries", FileKek(old)).file_writer(sealed, b"t") as fh:
        fh.write(b"template bytes")
    argv = ["backend", "--db", f"sqlite:///{db}", "--data-dir", str(tmp_path), "--key-file", str(old),
            "--rotate-key-to", str(new)]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"--key-file {new}" in out and "so is the key of the galleries" in out
    assert (
        _gallery_key.sealer(tmp_path / "galleries", FileKek(new)).read_file(sealed, b"t") == b"template bytes"
    )
    with pytest.raises(WrongKey, match="key.json"):
        _gallery_key.sealer(tmp_path / "galleries", FileKek(old))
    store = Store(f"sqlite:///{db}", FileKek(new))
    with store.session() as s:
        from backend._db import Transaction

        assert s.query(Transaction).one().body == body
    store.close()
    with pytest.raises(WrongKey):
        Store(f"sqlite:///{db}", FileKek(old))
    assert main(["backend", "--db", f"sqlite:///{db}", "--key-file", str(tmp_path / "none.kek"),
                 "--rotate-key-to", str(tmp_path / "k3" / "k")]) == 2  # fmt: skip
    assert "is missing" in capsys.readouterr().err
