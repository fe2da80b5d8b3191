"""The station's event hub: every committed change is published once, after its commit; other
processes' changes arrive through the journal."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from desktop.station.bookings import parse
from desktop.station.config import Config
from desktop.station.core import Station
from desktop.station.events import Event, EventHub
from desktop.station.journal import EventJournal
from desktop.station.models import Booking


def test_a_saved_booking_is_published_after_its_commit(station, booking_form):
    seen = []

    def listener(event: Event) -> None:
        # Published after the commit: a fresh session already sees the booking.
        with station.store.session() as s:
            exists = s.scalars(select(Booking.id).where(Booking.number == event.booking)).first() is not None
        seen.append((event.topic, event.booking, exists, event.local))

    station.events.subscribe(listener, "booking.")
    record = station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1")
    assert seen == [("booking.create", record.number, True, True)]


def test_nothing_is_published_for_a_transaction_that_rolled_back(station):
    seen = []
    station.events.subscribe(seen.append)
    with pytest.raises(RuntimeError), station.store.session() as s:
        station.audit.append("clerk1", "booking.create", "booking:X", session=s)
        raise RuntimeError("the save failed half-way")
    assert seen == []
    # The sequence number of the rolled-back event is used again, and that event is published.
    station.audit.append("clerk1", "logout", "")
    assert [e.topic for e in seen] == ["logout"]


def test_topics_match_by_prefix_and_a_subscription_ends(station, booking_form):
    detainer_events, everything = [], []
    stop = station.events.subscribe(detainer_events.append, "detainer.", "submission.queued")
    station.events.subscribe(everything.append)
    station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1")
    station.audit.append("clock", "detainer.lapsed", "detainer:D-1")
    stop()
    station.audit.append("clock", "detainer.lapsed", "detainer:D-2")
    assert [e.subject for e in detainer_events] == ["detainer:D-1"]
    assert [e.topic for e in everything] == ["booking.create", "detainer.lapsed", "detainer.lapsed"]


def test_a_failing_subscriber_does_not_stop_the_others():
    hub, seen = EventHub(), []

    def broken(event: Event) -> None:
        raise ValueError("bug in a view")

    hub.subscribe(broken)
    hub.subscribe(seen.append)
    hub.publish(Event("link.status"))
    assert [e.topic for e in seen] == ["link.status"]


def test_the_journal_brings_other_processes_changes_and_skips_our_own(database_url, booking_form):
    here = Station.open(Config(database_url=database_url))
    there = Station.open(Config(database_url=database_url))  # another process on the same database
    try:
        journal = EventJournal(here.store, here.events)
        journal.read_new()  # starts from now
        seen = []
        here.events.subscribe(seen.append)
        ours = here.bookings.create(parse(booking_form(), dt.date.today()), actor="desk1")
        theirs = there.bookings.create(parse(booking_form(surname="Lee"), dt.date.today()), actor="desk2")
        there.audit.append("clock", "detainer.lapsed", "detainer:D-9", {"booking": theirs.number})
        assert journal.read_new() == 2
        assert [(e.topic, e.booking, e.local) for e in seen] == [
            ("booking.create", ours.number, True),
            ("booking.create", theirs.number, False),
            ("detainer.lapsed", theirs.number, False),
        ]
        assert journal.read_new() == 0
    finally:
        here.close()
        there.close()
