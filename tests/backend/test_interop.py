"""CARs as other vendors' stations send them (issue 25) and transactions that do not parse or
validate (issue 16): Type-4 fingerprints are searched as Type-14 ones, Type-10 photos are kept and
shown, nothing is ignored silently, and every transaction that names its sender is answered."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from sample_records import as_type4, face_photo

from backend import admin_records, mailbox, ngi
from backend.service import Service
from ebts import read_response, write

CORPUS = Path(__file__).resolve().parents[1] / "ebts" / "malformed"
ROLLED = {str(f) for f in range(1, 11)}


def type4_car(transaction, ori: str = "TX0570000"):  # type: ignore[no-untyped-def]
    """The CAR with its rolled prints as binary Type-4 records and a Type-10 mugshot added."""
    transaction.records = [
        as_type4(r) if r.type == 14 and r.get(13) in ROLLED else r for r in transaction.records
    ]
    transaction.records.append(face_photo(ori))
    return transaction


def _as_sender(body: bytes) -> dict[str, str]:
    """Submit as the station of the ORI the transaction names (when it names a usable one)."""
    from booking_station.pki import ORI_PATTERN
    from ebts import ParseError, read_header

    try:
        ori = (read_header(body).get(8) or "").strip().upper()
    except ParseError:
        return {}
    return {"x-test-as": ori} if ORI_PATTERN.fullmatch(ori) else {}


def test_type4_prints_are_searched_like_type14_and_the_photo_is_listed(car_of, people) -> None:
    subject = people[0].subject_id
    plain = ngi.examine(write(car_of(subject)))
    mixed = ngi.examine(write(type4_car(car_of(subject))))
    assert isinstance(plain, ngi.Probes) and isinstance(mixed, ngi.Probes), mixed
    assert set(mixed.probes) == set(plain.probes) == set(range(1, 11))
    assert [len(t.minutiae) for _, t in sorted(mixed.probes.items())] == [
        len(t.minutiae) for _, t in sorted(plain.probes.items())
    ]
    assert any("TYPE-10 PHOTO FACE IDC 30" in line for line in mixed.unused)
    assert mixed.unsearched_prints == (
        "NOT SEARCHED, KEPT: FINGERPRINT IMAGES FGP 13, 14, 15 (THE ROLLED PRINTS WERE SEARCHED)",
    )
    assert not any("FINGERPRINT" in line for line in mixed.unused)  # not in the SRE: a normal tenprint set


def test_a_type4_car_with_a_photo_is_identified_and_the_remarks_say_what_was_not_searched(
    running_service: Service, car_of, variant, people
) -> None:
    from test_process import _body, _inbox, _submit

    wanted = next(p for p in people if p.fbi_number)
    ori = "TX0570000"
    tcn = _submit(running_service, variant(type4_car(car_of(wanted.subject_id), ori), ori)[1])
    sre = read_response(_body(_inbox(running_service, ori, tcn)["SRE"]))
    assert sre.identified and sre.fbi_number == wanted.fbi_number
    assert any("TYPE-10 PHOTO FACE" in m for m in sre.messages)

    shown = admin_records.records(running_service, tcn)
    uses = {(r["type"], r["use"]) for r in shown["records"]}
    assert (4, "searched") in uses and (10, "kept, not searched (listed in the SRE's remarks)") in uses
    photo = next(r for r in shown["records"] if r["type"] == 10)
    png = admin_records.record_image(running_service, tcn, photo["index"])
    assert png.startswith(b"\x89PNG")
    assert "TYPE-10 PHOTO FACE" in "; ".join(shown["outcome"]["not_searched"])


def test_a_transaction_whose_records_do_not_parse_gets_an_errt_with_the_reason(
    idle_client, idle_service
) -> None:
    body = (CORPUS / "type14-len-past-end.an2").read_bytes()
    answer = idle_client.post("/v1/transactions", content=body, headers=_as_sender(body))
    assert answer.status_code == 202, answer.text
    tcn = answer.json()["tcn"]
    outcome = idle_service.processor.process(tcn)  # an ERRT needs no gallery
    assert outcome["answer"] == "ERRT" and outcome["code"] == "L0010"
    (message,) = [m for m in mailbox.read(idle_service.store, "NY0303000")["messages"] if m["tcn"] == tcn]
    errt = read_response(base64.b64decode(message["body_b64"]))
    assert errt.kind == "ERRT" and errt.errors[0].code == "L0010"
    assert "does not fit" in errt.errors[0].message


def test_every_malformed_transaction_is_answered_never_a_500(idle_client, idle_service) -> None:
    cases = json.loads((CORPUS / "cases.json").read_text())
    answered = 0
    for name in sorted(cases):
        body = (CORPUS / f"{name}.an2").read_bytes()
        answer = idle_client.post("/v1/transactions", content=body, headers=_as_sender(body))
        assert answer.status_code in (202, 400), (name, answer.status_code, answer.text)
        if answer.status_code == 400:
            assert answer.json()["detail"], name
            continue
        if answer.json()["duplicate"]:
            continue  # the corpus shares one TCN: the first of them is processed below
        outcome = idle_service.processor.process(answer.json()["tcn"])
        assert outcome["answer"] == "ERRT" and outcome["message"], (name, outcome)
        answered += 1
    assert answered >= 1


@pytest.mark.slow
def test_the_real_backend_process_searches_and_answers_a_type4_car_with_a_mugshot(
    tmp_path, gallery_cache, car_of, variant, people, population_args, pki
) -> None:
    import signal
    import time

    from test_process_e2e import _poll, _wait_ready
    from tls_helpers import start_backend, tls_client

    wanted = next(p for p in people if p.fbi_number)
    ori = "WA0340000"
    tcn, body = variant(type4_car(car_of(wanted.subject_id), ori), ori)
    process, url = start_backend(tmp_path, gallery_cache, "type4", population_args, pki)
    try:
        with tls_client(url, pki.station(ori)) as client, tls_client(url, pki.admin) as admin:
            answer = client.post("/v1/transactions", content=body)
            assert answer.status_code == 202 and answer.json() == {"tcn": tcn, "duplicate": False}
            _wait_ready(client)
            (sre_message,) = [m for m in _poll(client, ori, tcn, {"SRE"}) if m["kind"] == "SRE"]
            sre = read_response(base64.b64decode(sre_message["body_b64"]))
            assert sre.identified and sre.fbi_number == wanted.fbi_number
            assert any("TYPE-10 PHOTO FACE" in m for m in sre.messages)

            for _ in range(600):  # the outcome is recorded once the IDENT search is done too
                shown = admin.get(f"/admin/transactions/{tcn}/records").json()
                if shown["status"] != "queued":
                    break
                time.sleep(0.1)
            records = shown["records"]
            assert {(r["type"], r["use"]) for r in records} >= {
                (4, "searched"),
                (10, "kept, not searched (listed in the SRE's remarks)"),
            }
            page = admin.get(f"/admin/transactions/{tcn}")
            assert page.status_code == 200 and "FACE photo" in page.text
            photo = next(r for r in records if r["type"] == 10)
            image = admin.get(photo["image"])
            assert image.status_code == 200 and image.headers["content-type"] == "image/png"
            assert admin.get(f"/admin/transactions/{tcn}/records/0/image").status_code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
