"""The station's detainer service: arrival through the mailbox hook, the clock, outcomes, the
served copy and its audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from booking_station.runtime import UserError
from desktop.station.bookings import parse
from desktop.station.config import replace
from desktop.station.detainers.service import Outcome
from desktop.station.models import BookingStatus, DetainerStatus, Transaction
from desktop.station.outbox_client import Message

NY = ZoneInfo("America/New_York")
DOCUMENT = {
    "detainer_id": "d-0001",
    "form": "I-247A",
    "tcn": "T1",
    "lodged_at": "2012-12-21T14:00:00Z",
    "issuing_office": {"name": "ICE ERO Washington Field Office"},
    "notice_languages": ["en", "vi", "zh", "xx"],
}


@pytest.fixture
def booking(station, booking_form):
    record = station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1")
    return record


_CURSORS = itertools.count(1)


class _Mailbox:
    """The backend's mailbox as the station's poller sees it (docs/backend-api.md)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def post(self, kind: str, document: dict, tcn: str = "T1") -> None:
        body = json.dumps(document).encode()
        cursor = next(_CURSORS)  # increasing across deliveries, as the backend's cursors are
        self.messages.append(
            Message(cursor, f"m{cursor}", tcn, kind, "2012-12-21T14:00:00Z", "application/json", body)
        )

    def mailbox(self, ori: str, after: int, limit: int):
        waiting = [m for m in self.messages if m.cursor > after][:limit]
        return waiting, max([after, *(m.cursor for m in waiting)])

    def ack(self, ori: str, through: int) -> None:
        pass


def deliver(station, booking_id: int, kind: str, document: dict) -> None:
    """A detainer message arrives for a booking whose submission (TCN T1) is on record."""
    with station.store.session() as s:
        if s.scalars(select(Transaction).where(Transaction.tcn == "T1")).first() is None:
            s.add(Transaction(tcn="T1", booking_id=booking_id, ebts=b"", status="sent"))
    mailbox = _Mailbox()
    mailbox.post(kind, document)
    station.responses.poll(mailbox, station.config.agency_ori)


@pytest.fixture
def detainer(station, booking):
    deliver(station, booking.id, "DETAINER", DOCUMENT)
    return station.detainers.for_booking(booking.id)[0]


def test_arrival_through_the_mailbox_hook_is_recorded_once(station, booking, detainer) -> None:
    station.detainers.on_response(99, booking.id, DOCUMENT)  # the same detainer in another message
    views = station.detainers.for_booking(booking.id)
    assert len(views) == 1
    assert detainer.detainer_id == "d-0001" and detainer.office == "ICE ERO Washington Field Office"
    assert detainer.languages == ("en", "vi", "zh-Hans")  # the unknown code is dropped
    assert detainer.status is DetainerStatus.ACTIVE and detainer.deadline is None
    assert [e.action for e in station.audit.events(text="detainer:d-0001")] == ["detainer.received"]


def test_releasable_time_gives_the_deadline_in_the_jails_zone(station, detainer) -> None:
    releasable = dt.datetime(2012, 12, 21, 17, 0, tzinfo=NY)
    deadline = station.detainers.set_releasable(detainer.id, releasable, actor="clerk1")
    assert deadline.isoformat() == "2012-12-26T17:00:00-05:00"
    view = station.detainers.get(detainer.id)
    assert view.deadline == deadline and view.releasable_at == releasable
    event = station.audit.events(text="detainer:d-0001")[0]
    assert event.action == "detainer.releasable" and event.details["deadline"] == deadline.isoformat()


def test_federal_holidays_by_default_and_the_states_only_when_the_agency_chooses(station, detainer) -> None:
    # Lee-Jackson Day (Fri 13 Jan 2012) is a Virginia holiday, not a Federal one: the form's rule
    # counts it. Thu 7 h, Fri 24 (31), Mon 16 MLK Day skipped, Tue 17 h.
    assert station.config.state == "VA" and station.config.hold_holidays == "federal"
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 1, 12, 17, tzinfo=NY), actor="c"
    )
    assert deadline.isoformat() == "2012-01-17T17:00:00-05:00"
    event = station.audit.events(text="detainer:d-0001")[0]
    assert event.details["hold_holidays"] == "federal" and "Federal holidays" in event.details["hold_rule"]
    # An agency whose counsel requires it also skips Virginia's holidays: one more day.
    station.config = replace(station.config, hold_holidays="federal+state")
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 1, 12, 17, tzinfo=NY), actor="c"
    )
    assert deadline.isoformat() == "2012-01-18T17:00:00-05:00"
    event = station.audit.events(text="detainer:d-0001")[0]
    assert (
        event.details["hold_holidays"] == "federal+state"
        and "VA state holidays" in event.details["hold_rule"]
    )


def test_clock_alerts_and_lapse(station, detainer) -> None:
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c"
    )
    view = station.detainers.get(detainer.id)
    assert view.clock(deadline - dt.timedelta(hours=3), (12.0, 2.0)).stage.value == "alert"
    assert not view.lapsed(deadline - dt.timedelta(seconds=1)) and view.lapsed(deadline)
    assert station.detainers.mark_lapsed(deadline - dt.timedelta(minutes=1)) == []
    assert station.detainers.mark_lapsed(deadline + dt.timedelta(minutes=1)) == [detainer.id]
    assert station.detainers.mark_lapsed(deadline + dt.timedelta(minutes=2)) == []  # recorded once
    assert station.detainers.get(detainer.id).status is DetainerStatus.LAPSED


def test_outcome_after_lapse_is_recorded_plainly_and_closes_the_clock(station, detainer) -> None:
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c"
    )
    late = deadline + dt.timedelta(hours=1)
    station.detainers.record_outcome(
        detainer.id, Outcome.RELEASED, late, actor="clerk1", note="released at desk"
    )
    view = station.detainers.get(detainer.id)
    assert view.status is DetainerStatus.RELEASED and not view.open and view.clock(late, (12.0,)) is None
    event = station.audit.events(text="detainer:d-0001")[0]
    assert event.action == "detainer.released" and event.details["after_hold_lapsed"] is True
    with pytest.raises(UserError, match="already has an outcome"):
        station.detainers.record_outcome(detainer.id, Outcome.TRANSFERRED, late, actor="clerk1")
    with pytest.raises(UserError, match="is closed"):
        station.detainers.set_releasable(detainer.id, late, actor="clerk1")


def test_transfer_to_ice_custody_at_a_time(station, detainer) -> None:
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    at = dt.datetime(2012, 12, 24, 10, 30, tzinfo=NY)
    station.detainers.record_outcome(detainer.id, Outcome.TRANSFERRED, at, actor="clerk1")
    view = station.detainers.get(detainer.id)
    assert view.status is DetainerStatus.TRANSFERRED and view.outcome_at == at
    assert station.audit.events(text="detainer:d-0001")[0].details["after_hold_lapsed"] is False


def test_ice_cancellation_stops_the_clock(station, booking, detainer) -> None:
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    cancel = {"detainer_id": "d-0001", "cancelled_at": "2012-12-22T15:00:00Z", "reason": "wrong person"}
    deliver(station, booking.id, "DETAINER_CANCEL", cancel)
    view = station.detainers.get(detainer.id)
    assert view.status is DetainerStatus.CANCELLED and "wrong person" in view.outcome
    assert station.detainers.open_by_booking() == {}


def test_serving_the_copy_records_who_when_language_and_hash(station, detainer) -> None:
    with pytest.raises(UserError, match="record when the person becomes releasable first"):
        station.detainers.serve(detainer.id, "vi", actor="clerk1")
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=NY), actor="c")
    at = dt.datetime(2012, 12, 21, 22, 30, tzinfo=dt.UTC)
    copy = station.detainers.serve(detainer.id, "vi", actor="clerk1", served_at=at)
    assert copy.sha256 == hashlib.sha256(copy.pdf).hexdigest()
    event = station.audit.events(text="detainer:d-0001")[0]
    assert (event.actor, event.action) == ("clerk1", "detainer.copy_served")
    assert event.details["language"] == "vi" and event.details["sha256"] == copy.sha256
    served = station.detainers.get(detainer.id).served
    assert [(s.actor, s.language, s.sha256) for s in served] == [("clerk1", "vi", copy.sha256)]
    # The preview of the same copy at the same time is byte-identical: the hash identifies the paper.
    assert station.detainers.copy(detainer.id, "vi", served_at=at).sha256 == copy.sha256
    assert station.audit.verify().ok


def test_unmatched_and_malformed_documents_are_audited_not_lost(station) -> None:
    station.detainers.on_response(7, None, DOCUMENT)
    station.detainers.on_response(8, 1, {"detainer_id": "x", "lodged_at": "not a date"})
    actions = [e.action for e in station.audit.events()]
    assert "detainer.unmatched" in actions and "detainer.malformed" in actions


def test_booking_list_sees_the_open_detainer(station, booking, detainer) -> None:
    open_ = station.detainers.open_by_booking()
    assert list(open_) == [booking.id]
    assert json.loads(json.dumps(open_[booking.id].detainer_id)) == "d-0001"
    assert station.bookings.get(booking.id).status is BookingStatus.DETAINER


def test_cancellation_after_release_keeps_the_outcome_and_is_noted_once(station, booking, detainer) -> None:
    at = dt.datetime(2012, 12, 22, 9, tzinfo=NY)
    station.detainers.record_outcome(detainer.id, Outcome.RELEASED, at, actor="clerk1")
    cancel = {"detainer_id": "d-0001", "cancelled_at": "2012-12-22T15:00:00Z", "reason": "wrong person"}
    deliver(station, booking.id, "DETAINER_CANCEL", cancel)
    station.detainers.on_response(99, booking.id, cancel)  # handed on again (e.g. replayed after a restart)
    view = station.detainers.get(detainer.id)
    assert view.status is DetainerStatus.RELEASED and view.outcome_at == at
    assert "ICE cancelled the detainer" in view.outcome
    actions = [e.action for e in station.audit.events(text="detainer:d-0001")]
    assert actions.count("detainer.cancelled_after_outcome") == 1
