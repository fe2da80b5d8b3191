from __future__ import annotations

import datetime as dt

import pytest
from outbox_helpers import FakeBackend, add_booking_with_prints

import ebts
from booking_station.runtime import UserError
from desktop.station.core import Station
from desktop.station.models import BookingStatus, Transaction, TransactionStatus, utcnow
from desktop.station.outbox import backoff


def _row(station: Station, tcn: str) -> Transaction:
    with station.store.session() as s:
        return s.query(Transaction).filter_by(tcn=tcn).one()


def test_enqueue_stores_a_valid_car_before_anything_is_sent(station: Station, booking_form) -> None:
    booking_id = add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    row = _row(station, tcn)
    assert row.status == TransactionStatus.QUEUED and row.attempts == 0 and row.sent_at is None
    tx = ebts.parse(row.ebts)
    assert tx.tcn == tcn and tx.ori == station.config.agency_ori
    assert tx.first(2).get(18) == "Nguyễn,Văn An"
    assert ebts.validate(tx) == []
    assert sorted(int(r.get(13)) for r in tx.of_type(14)) == [*range(1, 11), 13, 14, 15]
    assert station.bookings.get(booking_id).status is BookingStatus.QUEUED
    assert station.audit.events()[0].action == "submission.queued"


def test_amputated_fingers_travel_as_amp_codes(station: Station, booking_form) -> None:
    booking_id = add_booking_with_prints(station, booking_form(), amputated={7: "XX"})
    tx = ebts.parse(_row(station, station.outbox.enqueue(booking_id, actor="clerk")).ebts)
    assert tx.first(2).subfields(84) == [["07", "XX"]]
    slap = next(r for r in tx.of_type(14) if r.get(13) == "14")
    assert slap.subfields(18) == [["7", "XX"]]


def test_a_booking_without_prints_is_refused_and_nothing_is_queued(station: Station, booking_form) -> None:
    from desktop.station.bookings import parse as parse_booking

    record = station.bookings.create(parse_booking(booking_form(), dt.date.today()), actor="clerk")
    with pytest.raises(UserError, match="no accepted prints"):
        station.outbox.enqueue(record.id, actor="clerk")
    assert station.outbox.for_booking(record.id) == []


def test_a_second_submission_waits_for_the_answer_to_the_first(station: Station, booking_form) -> None:
    booking_id = add_booking_with_prints(station, booking_form())
    station.outbox.enqueue(booking_id, actor="clerk")
    with pytest.raises(UserError, match="not answered yet"):
        station.outbox.enqueue(booking_id, actor="clerk")


def test_backend_down_backs_off_then_sends_once(station: Station, booking_form) -> None:
    backend, booking_id = FakeBackend(), add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    client = backend.client()
    backend.down = 1
    assert station.outbox.send_due(client) == 0
    row = _row(station, tcn)
    assert row.status == TransactionStatus.QUEUED and row.attempts == 1
    assert row.problem["code"] == "link.refused" and row.problem["params"] == {"url": "http://backend.test"}
    assert row.next_attempt_at > utcnow()
    assert station.outbox.send_due(client) == 0  # not due yet: nothing is tried
    outcome = station.responses.outcomes([booking_id])[booking_id]
    assert (outcome.text, outcome.severity) == ("not sent yet (1 attempt(s)), retrying", "attention")
    assert backend.requests == ["POST /v1/transactions"]
    backend.fail_5xx = 1
    later = row.next_attempt_at + dt.timedelta(seconds=1)
    assert station.outbox.send_due(client, later) == 0
    assert _row(station, tcn).attempts == 2
    assert station.outbox.send_due(client, utcnow() + dt.timedelta(hours=1)) == 1
    row = _row(station, tcn)
    assert row.status == TransactionStatus.SENT and row.sent_at is not None and row.problem is None
    assert backend.searched == {tcn: 1}
    assert station.bookings.get(booking_id).status is BookingStatus.SENT


def test_backoff_grows_and_is_capped() -> None:
    waits = [backoff(n).total_seconds() for n in (1, 2, 3, 4, 20)]
    assert waits == [2, 4, 8, 16, 300]


def test_a_crash_after_sending_leads_to_a_resend_the_backend_recognises(
    station: Station, booking_form
) -> None:
    backend, booking_id = FakeBackend(), add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    client = backend.client()
    client.submit(_row(station, tcn).ebts)  # sent, then the station died before recording it
    assert station.outbox.send_due(client) == 1
    assert backend.searched == {tcn: 1}  # searched once, however often it was sent
    events = [e for e in station.audit.events() if e.action == "submission.sent"]
    assert events[0].details["duplicate"] is True


def test_queued_submission_survives_a_restart(station: Station, booking_form, tmp_path) -> None:
    booking_id = add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    config = station.config
    station.close()
    reopened = Station.open(config)
    try:
        backend = FakeBackend()
        assert reopened.outbox.send_due(backend.client()) == 1
        assert backend.searched == {tcn: 1}
    finally:
        reopened.close()


def test_a_refused_submission_is_failed_not_retried(station: Station, booking_form) -> None:
    backend, booking_id = FakeBackend(), add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    with station.store.session() as s:
        s.query(Transaction).filter_by(tcn=tcn).one().ebts = b"garbage"
    station.outbox.send_due(backend.client())
    row = _row(station, tcn)
    assert row.status == TransactionStatus.FAILED and row.problem["code"] == "link.refused-request"
    assert row.problem["params"]["status"] == 400 and "(400)" in row.problem["english"]
    assert station.responses.outcomes([booking_id])[booking_id].text == "refused by the backend"
    assert station.outbox.send_due(backend.client(), utcnow() + dt.timedelta(days=1)) == 0
