"""Why a submission did not go through, why the link is down, what is wrong with a certificate or a
built transaction: the core keeps each as a message code with its parameters (which address, which
certificate, which log, which field), so the Spanish station says it in Spanish, also for a row
stored long ago; a row stored as an English sentence by an earlier version is shown as written,
marked as such.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy
from outbox_helpers import FakeBackend, add_booking_with_prints

import ebts
from booking_station.pki import CertificateAuthority, PkiError, TlsFiles, check_pair
from desktop.station import outbox as outbox_module
from desktop.station.config import ConfigError, from_mapping
from desktop.station.core import Station
from desktop.station.messages import Message, StationError
from desktop.station.models import Transaction
from desktop.station.outbox_client import BackendClient
from desktop.station.outbox_launcher import EmbeddedBackend
from desktop.station.outbox_worker import SubmissionWorker
from desktop.ui import message_text, translations


@pytest.fixture
def spanish(qapp):
    installed = translations.install(qapp, "es")
    yield
    translations.remove(qapp, installed)


def _english_words(text: str) -> set[str]:
    """Words of English prose in `text` (two of them make it English)."""
    prose = {"the", "and", "is", "not", "was", "cannot", "could", "be", "its", "did", "of", "this", "by"}
    return {w for w in text.lower().replace("(", " ").replace(")", " ").split() if w in prose}


def test_a_submission_not_sent_keeps_why_as_a_code_and_the_spanish_station_says_it(
    station: Station, booking_form, spanish
) -> None:
    backend, booking_id = FakeBackend(), add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    backend.down = 1
    station.outbox.send_due(backend.client())
    (item,) = station.outbox.for_booking(booking_id)
    assert item.tcn == tcn and item.problem is not None and item.problem.message is not None
    assert item.problem.message.code == "link.refused"
    said = message_text.recorded_text(item.problem)
    assert "http://backend.test" in said and "no se puede conectar" in said, said
    assert len(_english_words(said)) < 2, said


def test_a_problem_stored_as_english_by_an_earlier_version_is_shown_as_written_and_marked(
    station: Station, booking_form, spanish
) -> None:
    from desktop.station.messages import Recorded

    booking_id = add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    old = "http://backend.test did not answer: ConnectError: connection refused"
    with station.store.session() as s:
        row = s.query(Transaction).filter_by(tcn=tcn).one()
        row.last_error, row.problem = old, None
    (item,) = station.outbox.for_booking(booking_id)
    assert item.problem == Recorded(None, old)
    said = message_text.recorded_text(item.problem)
    assert said.startswith(old) and "versión anterior" in said, said
    # A code this version does not know (written by a later one): its English, marked the same way.
    later = Recorded.of({"code": "link.from-the-future", "params": {}, "english": "later words"}, None)
    assert later == Recorded(None, "later words")


def test_the_embedded_backend_that_cannot_start_says_so_in_spanish_naming_its_log(
    station: Station, tmp_path: Path, spanish
) -> None:
    # A real start: the child process exits at once on an option it does not know.
    embedded = EmbeddedBackend(tmp_path / "backend", extra_args=("--no-such-option",))
    with pytest.raises(StationError) as raised:
        embedded.start(timeout=60)
    assert raised.value.message.code == "embedded.stopped"
    log = str(tmp_path / "backend" / "backend.log")
    assert raised.value.message.params["log"] == log

    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config, embedded=embedded)
    worker._poll_interval = 60
    worker.start()
    try:
        import time

        deadline = time.monotonic() + 60
        while worker.status().problem is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    problem = worker.status().problem
    assert problem is not None and problem.code == "embedded.stopped", problem
    said = message_text.text(problem)
    assert log in said and "no pudo arrancar" in said, said
    assert len(_english_words(said.replace(log, ""))) < 2, said


def test_a_certificate_problem_names_the_certificate_in_spanish(tmp_path: Path, spanish) -> None:
    ca = CertificateAuthority.init(tmp_path / "ca")
    station_files = ca.issue_station("VA0000000", tmp_path / "station")
    other = ca.issue_station("VA0000000", tmp_path / "other")
    mixed = TlsFiles(station_files.ca, station_files.certificate, other.key)
    with pytest.raises(PkiError) as raised:
        check_pair(mixed)
    assert raised.value.code == "pki.key-mismatch"
    assert raised.value.params == {"key": str(other.key), "certificate": str(station_files.certificate)}
    said = message_text.error_text(raised.value)
    assert str(other.key) in said and str(station_files.certificate) in said and "no es la clave" in said, (
        said
    )

    # The settings name it too (under the certificate and under the backend's address).
    with pytest.raises(ConfigError) as invalid:
        from_mapping({"backend_url": "https://fbi.example", "backend_ca": str(mixed.ca),
                  "backend_certificate": str(mixed.certificate), "backend_key": str(mixed.key)})  # fmt: skip
    said = message_text.text(invalid.value.messages["backend_url"])
    assert str(other.key) in said and "no es la clave" in said, said

    # And the link, when a file is missing: which file.
    from desktop.station.outbox_client import link_problem

    gone = TlsFiles(station_files.ca, tmp_path / "nowhere.pem", station_files.key)
    with pytest.raises(PkiError) as missing:
        BackendClient("https://fbi.example", gone)
    said = message_text.text(link_problem(missing.value))
    assert str(tmp_path / "nowhere.pem") in said and "no existe" in said, said


def test_an_ebts_validation_failure_names_the_field_in_spanish(
    station: Station, booking_form, monkeypatch, spanish
) -> None:
    booking_id = add_booking_with_prints(station, booking_form())
    real = outbox_module.with_kept

    def wrong_sex(session, booking, data: bytes) -> bytes:  # the transaction built, with SEX "Q"
        tx = ebts.parse(real(session, booking, data))
        next(r for r in tx.records if r.type == 2).set(24, "Q")
        return ebts.write(tx)

    monkeypatch.setattr(outbox_module, "with_kept", wrong_sex)
    with pytest.raises(StationError) as raised:
        station.outbox.enqueue(booking_id, actor="clerk")
    msg = raised.value.message
    assert msg.code == "outbox.invalid"
    (problem,) = msg.params["blockers"]
    assert (problem.code, problem.params["field"], problem.params["tag"]) == (
        "ebts.field-value",
        "sex",
        "2.024 SEX",
    )
    said = message_text.text(msg)
    assert "sexo (2.024 SEX) es 'Q'" in said and "tabla de códigos" in said, said
    assert len(_english_words(said)) < 2, said


def test_an_ebts_value_out_of_range_says_what_would_be_accepted_in_spanish(
    station: Station, booking_form, monkeypatch, spanish
) -> None:
    """The validator used to say "14.009 THPS … must be 500 or 1000 ppi"; as a code the message lost
    the allowed values ("value out of range"): they travel as a parameter, worded by the UI."""
    booking_id = add_booking_with_prints(station, booking_form())
    real = outbox_module.with_kept

    def low_resolution(session, booking, data: bytes) -> bytes:
        tx = ebts.parse(real(session, booking, data))
        next(r for r in tx.records if r.type == 14).set(9, "250")
        return ebts.write(tx)

    monkeypatch.setattr(outbox_module, "with_kept", low_resolution)
    with pytest.raises(StationError) as raised:
        station.outbox.enqueue(booking_id, actor="clerk")
    (problem,) = raised.value.message.params["blockers"]
    assert problem.params["allowed"] == ["500 ppi", "1000 ppi"]
    assert "accepted: 500 ppi or 1000 ppi" in str(raised.value)
    said = message_text.text(raised.value.message)
    assert "14.009 THPS es '250'" in said and "500 ppi o 1000 ppi" in said, said
    assert len(_english_words(said)) < 2, said


def test_migration_0009_keeps_what_an_older_version_stored_and_gives_it_back_on_downgrade(
    station: Station, booking_form
) -> None:
    """Down to 0008 a coded problem leaves its English in `last_error` (all the older version
    reads); up again, that row is shown as written and marked, a new one keeps its code."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from desktop.station import db
    from desktop.station.messages import Recorded

    backend, booking_id = FakeBackend(), add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    backend.down = 1
    station.outbox.send_due(backend.client())
    (before,) = station.outbox.for_booking(booking_id)
    english = str(before.problem)
    assert before.problem.message is not None and "cannot be reached" in english

    def to(revision: str, direction) -> None:  # type: ignore[no-untyped-def]
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(db._MIGRATIONS))
        with station.store.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            direction(cfg, revision)

    def raw_problem() -> str:
        with station.store.engine.connect() as c:
            query = sqlalchemy.text("SELECT problem FROM transactions WHERE tcn = :tcn")
            value = c.execute(query, {"tcn": tcn}).scalar()  # PostgreSQL's JSON: a dict
            return value if isinstance(value, str) else json.dumps(value)

    assert raw_problem().startswith("sealed:") and "cannot be reached" not in raw_problem()
    to("0009", command.downgrade)  # 0009 kept the problem in clear: opened again, whole
    assert json.loads(raw_problem()) == before.problem.message.stored()
    to("0008", command.downgrade)
    with station.store.engine.connect() as c:
        query = sqlalchemy.text("SELECT last_error FROM transactions WHERE tcn = :tcn")
        stored = c.execute(query, {"tcn": tcn}).scalar()
    assert stored == english
    to("head", command.upgrade)
    (after,) = station.outbox.for_booking(booking_id)
    assert after.problem == Recorded(None, english)
    with station.store.engine.connect() as c:  # sealed again on the way up
        query = sqlalchemy.text("SELECT last_error FROM transactions WHERE tcn = :tcn")
        assert c.execute(query, {"tcn": tcn}).scalar().startswith("sealed:")


def test_an_answer_that_cannot_be_read_says_so_in_spanish(station: Station, booking_form, spanish) -> None:
    """An answer the station cannot read is kept as received; the Responses page says why in the
    clerk's language (its kind and the kind of error), not the parser's English."""
    from desktop.ui.responses_render import detail_html, title

    booking_id = add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    backend = FakeBackend()
    station.outbox.send_due(backend.client())
    backend.post(tcn, "SRE", b"not ebts")
    station.responses.poll(backend.client(), "VA0000000")
    (view,) = station.responses.for_booking(booking_id)
    html = detail_html(view, station.config.zone)
    body = html.split("</p>", 1)[1]  # after the title and the time received
    assert "SRE" in body and "no se puede leer" in body, html
    assert len(_english_words(body)) < 2, html
    assert "SRE" in title(view)


def test_an_errt_kept_with_the_submission_holds_its_codes_and_fields_not_the_fbis_words(
    station: Station, booking_form
) -> None:
    """The FBI's messages, which may quote the booking's values (a name, a date of birth), are kept
    once, in the sealed answer; the submission's problem holds only their codes and fields."""
    booking_id = add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    backend = FakeBackend()
    station.outbox.send_due(backend.client())
    quoted = "'NGUYEN,VAN AN': name has characters outside the EBTS set"
    backend.post(tcn, "ERRT", ebts.build_errt(recipient_ori="VA0000000", request_tcn=tcn, name="NGUYEN,VAN AN",
                 errors=[ebts.ErrorItem("L0003", "2.018 NAM", quoted)]))  # fmt: skip
    station.responses.poll(backend.client(), "VA0000000")
    with station.store.session() as s:
        row = s.query(Transaction).filter_by(tcn=tcn).one()
        stored = json.dumps(row.problem)
    assert row.problem["code"] == "outbox.fbi-rejected" and "L0003 2.018 NAM" in stored
    assert "NGUYEN" not in stored and "outside the EBTS set" not in stored, stored


def _outside_technical(said: str) -> str:
    """The words the clerk reads, without the clearly marked technical part (foreign text: an OS
    error, a parser's words, kept for whoever fixes it)."""
    head, marker, _ = said.partition("(detalle técnico:")
    assert marker, f"no technical part marked in {said!r}"
    return head


def test_a_config_file_that_is_not_toml_names_the_line_and_column_in_spanish(tmp_path: Path, spanish) -> None:
    from desktop.station import config as config_module

    path = tmp_path / "config.toml"
    path.write_text('language = "es"\nbackend_url = = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as invalid:
        config_module.load(path)
    msg = invalid.value.messages["(file)"]
    assert (msg.code, msg.params["line"], msg.params["column"]) == ("config.toml-at", 2, 15)
    said = message_text.text(msg)
    assert "línea 2, columna 15" in said, said
    assert len(_english_words(_outside_technical(said))) < 2, said


def test_a_file_that_is_not_ebts_is_refused_in_spanish(station: Station, spanish) -> None:
    from desktop.station.ebts_import import import_ebts

    with pytest.raises(StationError) as refused:
        import_ebts(station, b"1.001:12\x1d1.002:0500\x1c", actor="clerk")
    msg = refused.value.message
    assert msg.code == "import.unreadable" and msg.params["offset"] is not None
    said = message_text.text(msg)
    assert f"byte {msg.params['offset']}" in said and "no es una transacción EBTS legible" in said, said
    assert len(_english_words(_outside_technical(said))) < 2, said


def test_a_submission_that_cannot_be_built_says_so_in_spanish(
    station: Station, booking_form, monkeypatch, spanish
) -> None:
    booking_id = add_booking_with_prints(station, booking_form())

    def unwritable(session, booking, data: bytes) -> bytes:
        raise ebts.wsq.WSQError("image of 20x20 pixels is too small for WSQ (at least 32x32)")

    monkeypatch.setattr(outbox_module, "with_kept", unwritable)
    with pytest.raises(StationError) as raised:
        station.outbox.enqueue(booking_id, actor="clerk")
    said = message_text.text(raised.value.message)
    assert raised.value.message.code == "outbox.build-failed" and "no se puede preparar" in said, said
    assert "20x20" in said  # the technical detail stays, marked as such
    assert len(_english_words(_outside_technical(said))) < 2, said


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (FileNotFoundError(2, "the folder does not exist"), "la carpeta no existe"),
        (PermissionError(13, "Permission denied"), "sin permiso"),
        (OSError(28, "No space left on device"), "el disco está lleno"),
        (OSError(5, "the file read back is not the copy that was written"), "error de lectura o escritura"),
        (OSError(40, "Too many levels of symbolic links"), "error del sistema"),
    ],
)
def test_a_copy_not_saved_says_why_in_spanish_from_the_os_error(error: OSError, words: str, spanish) -> None:
    from desktop.station.messages import os_error_params

    msg = Message("copy.save-failed", {"path": "/copias/2026-000001-es.pdf", **os_error_params(error)})
    said = message_text.text(msg)
    assert words in said and "/copias/2026-000001-es.pdf" in said and error.strerror in said, said
    assert len(_english_words(_outside_technical(said))) < 2, said


@pytest.mark.parametrize("code", ["capture.judge-failed", "detainer.deadline-failed", "copy.failed"])
def test_an_unexpected_failure_keeps_its_english_apart_as_a_technical_detail(code: str, spanish) -> None:
    msg = Message(code, {"detail": "the thing could not be done because of this and that"})
    said = message_text.text(msg)
    assert "this and that" in said
    assert len(_english_words(_outside_technical(said))) < 2, said


def test_the_ui_words_the_same_os_errors_as_the_core() -> None:
    from desktop.station.messages import OS_ERRORS

    assert message_text._OS_ERRORS == OS_ERRORS
