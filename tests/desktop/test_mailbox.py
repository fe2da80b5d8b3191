from __future__ import annotations

import json

from outbox_helpers import FakeBackend, add_booking_with_prints

import ebts
from desktop.station.core import Station
from desktop.station.models import BookingStatus, Response, Transaction, TransactionStatus

ORI = "VA0000000"


def _queued_and_sent(station: Station, booking_form, backend: FakeBackend) -> tuple[int, str]:
    booking_id = add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    station.outbox.send_due(backend.client())
    return booking_id, tcn


def _sre(tcn: str) -> bytes:
    return ebts.build_sre(recipient_ori=ORI, request_tcn=tcn, identified=True, fbi_number="123456AB7",
                          name="NGUYEN,VAN AN", rap_sheet=["2019-03-02 ROBBERY FELONY"])  # fmt: skip


def _count(station: Station) -> int:
    with station.store.session() as s:
        return s.query(Response).count()


def test_responses_are_stored_once_linked_and_acknowledged(station: Station, booking_form) -> None:
    backend = FakeBackend()
    booking_id, tcn = _queued_and_sent(station, booking_form, backend)
    backend.post(tcn, "SRE", _sre(tcn))
    iar = {"tcn": tcn, "ori": ORI, "status_determination": {"code": "REMOVABLE", "text": "Removable alien"}}
    backend.post(tcn, "IAR", json.dumps(iar).encode(), "application/json")
    assert station.responses.poll(backend.client(), ORI) == 2
    assert backend.acked == 2
    views = station.responses.for_booking(booking_id)
    assert [v.kind for v in views] == ["SRE", "IAR"]
    assert views[0].summary["fbi_number"] == "123456AB7" and views[0].summary["identified"] is True
    assert views[1].summary["status_determination"]["code"] == "REMOVABLE"
    assert station.bookings.get(booking_id).status is BookingStatus.ANSWERED
    with station.store.session() as s:
        assert s.query(Transaction).filter_by(tcn=tcn).one().status == TransactionStatus.ACKNOWLEDGED
    assert station.responses.outcomes([booking_id])[booking_id].text == "identified, FBI 123456AB7"


def test_a_lost_acknowledgement_does_not_duplicate_anything(station: Station, booking_form) -> None:
    backend = FakeBackend()
    booking_id, tcn = _queued_and_sent(station, booking_form, backend)
    backend.post(tcn, "SRE", _sre(tcn))
    backend.down = 0
    client = backend.client()
    # The station stored the message, then died before acknowledging it: a fresh poller (after a
    # restart, cursor 0) sees it again and must not store it twice.
    station.responses.poll(client, ORI)
    backend.acked = 0
    fresh = type(station.responses)(station.store, station.audit, station.bookings)
    assert fresh.poll(client, ORI) == 0
    assert _count(station) == 1
    assert backend.acked == 1


def test_a_detainer_marks_the_booking_and_reaches_the_detainer_service(
    station: Station, booking_form
) -> None:
    backend = FakeBackend()
    booking_id, tcn = _queued_and_sent(station, booking_form, backend)
    seen = []
    station.responses.on_detainer = lambda response_id, booking, doc: seen.append(
        (booking, doc["detainer_id"])
    )
    detainer = {
        "detainer_id": "D-1",
        "tcn": tcn,
        "ori": ORI,
        "hold_limit_hours": 48,
        "notice_languages": ["en", "vi"],
    }
    backend.post(tcn, "SRE", _sre(tcn))
    backend.post(tcn, "DETAINER", json.dumps(detainer).encode(), "application/json")
    station.responses.poll(backend.client(), ORI)
    assert seen == [(booking_id, "D-1")]
    assert station.bookings.get(booking_id).status is BookingStatus.DETAINER
    assert station.responses.outcomes([booking_id])[booking_id].severity == "alert"
    backend.post(tcn, "SRE", _sre(tcn))  # a later answer does not hide the detainer
    station.responses.poll(backend.client(), ORI)
    assert station.bookings.get(booking_id).status is BookingStatus.DETAINER


def test_errt_says_what_to_fix_and_a_corrected_resubmission_gets_a_new_tcn(
    station: Station, booking_form
) -> None:
    backend = FakeBackend()
    booking_id, tcn = _queued_and_sent(station, booking_form, backend)
    errt = ebts.build_errt(recipient_ori=ORI, request_tcn=tcn, errors=[
        ebts.ErrorItem("L0007", "14.024 FQM", "finger 2: quality too low to search"),
        ebts.ErrorItem("L0002", "2.020 POB", "'CA' is not where the subject was born"),
    ])  # fmt: skip
    backend.post(tcn, "ERRT", errt)
    station.responses.poll(backend.client(), ORI)
    (view,) = station.responses.for_booking(booking_id)
    assert [(e["code"], e["field"]) for e in view.summary["errors"]] == [
        ("L0007", "14.024 FQM"),
        ("L0002", "2.020 POB"),
    ]
    assert view.summary["errors"][0]["meaning"] == "Image quality too low to search"
    outcome = station.responses.outcomes([booking_id])[booking_id]
    assert (outcome.text, outcome.severity) == ("rejected: 2 error(s) to fix", "attention")
    with station.store.session() as s:
        assert s.query(Transaction).filter_by(tcn=tcn).one().status == TransactionStatus.FAILED
    new_tcn = station.outbox.enqueue(booking_id, actor="clerk")
    assert new_tcn != tcn
    assert station.responses.outcomes([booking_id])[booking_id].text == "corrected, resubmitted"


def test_unreadable_and_unknown_messages_are_kept(station: Station, booking_form) -> None:
    backend = FakeBackend()
    backend.post("NO-SUCH-TCN-0001", "SRE", b"not ebts")
    backend.post("NO-SUCH-TCN-0001", "SURPRISE", b"{}", "application/json")
    assert station.responses.poll(backend.client(), ORI) == 2
    with station.store.session() as s:
        rows = s.query(Response).order_by(Response.id).all()
        assert [(r.kind, r.booking_id) for r in rows] == [("SRE", None), ("SURPRISE", None)]
        assert "cannot be read" in json.loads(rows[0].summary_json)["unreadable"]


def test_a_detainer_stored_just_before_a_crash_still_reaches_the_detainer_service(
    station: Station, booking_form
):
    backend = FakeBackend()
    booking_id, tcn = _queued_and_sent(station, booking_form, backend)
    detainer = {"detainer_id": "D-9", "tcn": tcn, "ori": ORI, "lodged_at": "2026-11-21T15:00:00+00:00",
                "issuing_office": {"name": "ICE ERO"}, "notice_languages": ["en"]}  # fmt: skip
    backend.post(tcn, "DETAINER", json.dumps(detainer).encode(), "application/json")
    hook, station.responses.on_detainer = (
        station.responses.on_detainer,
        None,
    )  # the process dies before the hook
    station.responses.poll(backend.client(), ORI)
    assert station.detainers.for_booking(booking_id) == []
    restarted = type(station.responses)(station.store, station.audit, station.bookings, hook)
    restarted.poll(backend.client(), ORI)
    restarted._replayed = False
    restarted.poll(backend.client(), ORI)  # a second start finds nothing left to hand on
    (view,) = station.detainers.for_booking(booking_id)
    assert view.detainer_id == "D-9"


def test_the_lists_answer_column_opens_no_transaction_nor_message_body(
    station: Station, booking_form, monkeypatch
) -> None:
    """The bookings list reloads the column on a worker thread holding the interpreter lock, for 500
    bookings at a time: it must not open each submission's EBTS (its fingerprint images) nor the
    answers' bodies, only the one summary it shows."""
    backend = FakeBackend()
    booking_id, tcn = _queued_and_sent(station, booking_form, backend)
    backend.post(tcn, "SRE", _sre(tcn))
    iar = {"tcn": tcn, "ori": ORI, "status_determination": {"code": "REMOVABLE", "text": "Removable alien"}}
    backend.post(tcn, "IAR", json.dumps(iar).encode(), "application/json")
    station.responses.poll(backend.client(), ORI)
    sealer = station.store.engine.dialect.booking_sealer
    opened: list[str] = []
    real = sealer.open_value
    monkeypatch.setattr(
        sealer, "open_value", lambda value, context: opened.append(context.decode()) or real(value, context)
    )
    assert station.responses.outcomes([booking_id])[booking_id].text == "identified, FBI 123456AB7"
    assert opened == ["station:responses.summary_json"]
