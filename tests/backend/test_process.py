"""NGI -> SRE/ERRT, IDENT -> IAR, ICE policy -> detainer, with the real matcher on a 6-person population."""

from __future__ import annotations

import json
import time

from backend import admin, mailbox
from backend._process import cancel_detainer
from backend.service import Service
from ebts import parse, read_response


def _wanted(people):  # type: ignore[no-untyped-def]
    return next(p for p in people if p.fbi_number and p.immigration_status == "PREVIOUSLY_REMOVED")


def _nobody(people):  # type: ignore[no-untyped-def]
    return next(p for p in people if not p.fbi_number and not p.fin)


def _submit(service: Service, body: bytes) -> str:
    """Submit as the HTTP side does and wait for the worker to finish the submission."""
    tcn, duplicate = service.receive(body, parse(body).ori)  # as the station of the CAR's own ORI
    assert not duplicate
    for _ in range(1200):
        if admin.transactions(service)[0]["status"] != "queued":
            return tcn
        time.sleep(0.1)
    raise AssertionError(f"{tcn} was not processed within two minutes")


def _inbox(service: Service, ori: str, tcn: str) -> dict[str, dict]:
    return {m["kind"]: m for m in mailbox.read(service.store, ori)["messages"] if m["tcn"] == tcn}


def _body(message: dict) -> bytes:
    import base64

    return base64.b64decode(message["body_b64"])


def test_wanted_subject_is_identified_and_gets_a_detainer(
    running_service: Service, car_of, variant, people
) -> None:
    ori, wanted = "TX0570000", _wanted(people)
    tcn = _submit(running_service, variant(car_of(wanted.subject_id), ori)[1])
    inbox = _inbox(running_service, ori, tcn)
    assert set(inbox) == {"SRE", "IAR", "DETAINER"}

    sre = read_response(_body(inbox["SRE"]))
    assert sre.identified and sre.fbi_number == wanted.fbi_number and sre.request_tcn == tcn
    assert any(o.offense in line for o in wanted.offenses for line in sre.rap_sheet)

    iar = json.loads(_body(inbox["IAR"]))
    assert iar["ident"]["fin"] == wanted.fin
    assert iar["status_determination"]["code"] == "PREVIOUSLY_REMOVED" and iar["detainer_lodged"]

    detainer = json.loads(_body(inbox["DETAINER"]))
    assert detainer["hold_limit_hours"] == 48
    assert detainer["hold_limit_excludes"] == ["saturday", "sunday", "holiday"]
    assert detainer["notice_languages"][0] == "en"
    assert set(wanted.languages) <= set(detainer["notice_languages"])
    assert detainer["issuing_office"]["name"].startswith("ICE ERO Dallas")  # TX ORI
    assert detainer["subject"]["fbi_number"] == wanted.fbi_number

    # Processing again (as after a crash) posts nothing twice.
    running_service.processor.process(tcn)
    assert len([m for m in mailbox.read(running_service.store, ori)["messages"] if m["tcn"] == tcn]) == 3

    cancelled = cancel_detainer(running_service, detainer["detainer_id"], "prosecution declined")
    assert cancelled["detainer_id"] == detainer["detainer_id"]
    assert "DETAINER_CANCEL" in _inbox(running_service, ori, tcn)


def test_agency_declining_immigration_responses_gets_sre_and_detainer_only(
    running_service: Service, car_of, variant, people
) -> None:
    ori, wanted = "AZ0070000", _wanted(people)
    mailbox.put_agency(running_service.store, ori, "Pima County Jail", immigration_responses=False)
    tcn = _submit(running_service, variant(car_of(wanted.subject_id), ori)[1])
    assert set(_inbox(running_service, ori, tcn)) == {"SRE", "DETAINER"}


def test_subject_without_records_gets_a_non_ident_only(
    running_service: Service, car_of, variant, people
) -> None:
    ori, nobody = "FL0130000", _nobody(people)
    tcn = _submit(running_service, variant(car_of(nobody.subject_id), ori)[1])
    inbox = _inbox(running_service, ori, tcn)
    assert set(inbox) == {"SRE"}
    sre = read_response(_body(inbox["SRE"]))
    assert sre.identified is False and sre.fbi_number == ""


def test_incomplete_submission_gets_an_errt_naming_the_missing_fingers(
    running_service: Service, car_of, variant, people
) -> None:
    transaction = car_of(_nobody(people).subject_id)
    transaction.records = [r for r in transaction.records if not (r.type == 14 and r.get(13) in ("3", "8"))]
    tcn = _submit(running_service, variant(transaction, "NY0303000")[1])
    inbox = _inbox(running_service, "NY0303000", tcn)
    assert set(inbox) == {"ERRT"}
    errt = read_response(_body(inbox["ERRT"]))
    assert {e.code for e in errt.errors} == {"L0005"}
    assert any("right middle" in e.message for e in errt.errors)
    assert any("left middle" in e.message for e in errt.errors)


def test_stopping_during_a_demo_delay_loses_nothing(tmp_path, make_service, car_of, variant, people) -> None:
    transaction = car_of(_nobody(people).subject_id)
    transaction.records = [r for r in transaction.records if not (r.type == 14 and r.get(13) == "2")]
    tcn, body = variant(transaction, "IL0160000")

    delayed = make_service(tmp_path / "backend.sqlite", demo_delays=True)
    delayed.start()
    try:
        delayed.receive(body, parse(body).ori)
        assert delayed.ready.wait(timeout=600)
        # Without the delay the ERRT would be posted within moments; with it, nothing is.
        for _ in range(30):
            assert mailbox.read(delayed.store, "IL0160000")["messages"] == []
            time.sleep(0.1)
    finally:
        delayed.stop()  # interrupts the delay: nothing was answered yet
    restarted = make_service(tmp_path / "backend.sqlite")
    assert admin.transactions(restarted)[0]["status"] == "queued"
    restarted.start()
    try:
        for _ in range(1200):
            if admin.transactions(restarted)[0]["status"] == "done":
                break
            time.sleep(0.1)
        assert [m["kind"] for m in mailbox.read(restarted.store, "IL0160000")["messages"]] == ["ERRT"]
    finally:
        restarted.stop()
