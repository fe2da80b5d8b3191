"""The capture workflow's accepted prints, as stored, make a valid CAR through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from outbox_helpers import synthetic_capture

import ebts
from desktop.station.bookings import parse as parse_booking
from desktop.station.capture import CaptureWorkflow
from desktop.station.models import BookingStatus, Role, Transaction

pytestmark = pytest.mark.slow


def test_a_captured_booking_is_queued_as_a_valid_car(station, booking_form) -> None:
    clerk = station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="test")
    record = station.bookings.create(parse_booking(booking_form(), dt.date.today()), actor="clerk1")
    wf = CaptureWorkflow(station, record.id, clerk, threshold=1)
    while (step := wf.next_step()) is not None:
        wf.judge(synthetic_capture(4, step.position))
    wf.check_sequence()
    wf.submit()
    assert station.bookings.get(record.id).status is BookingStatus.QUEUED
    with station.store.session() as s:
        (row,) = s.query(Transaction).filter_by(booking_id=record.id).all()
        data = row.ebts
    tx = ebts.parse(data)
    assert ebts.validate(tx) == []
    by_fgp = {int(r.get(13)): r for r in tx.of_type(14)}
    assert sorted(by_fgp) == [*range(1, 11), 13, 14, 15]
    assert [int(s[0]) for s in by_fgp[13].subfields(21)] == [2, 3, 4, 5]
    assert [int(s[0]) for s in by_fgp[15].subfields(21)] == [1, 6] or [
        int(s[0]) for s in by_fgp[15].subfields(21)
    ] == [6, 1]
