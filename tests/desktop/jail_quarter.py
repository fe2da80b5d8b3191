"""A scripted quarter at the Demo County Jail (America/New_York), through the core's own services and
audit API, with the audit clock set to the quarter's days (the audit log stamps events with the time
they are written). Used by the jail report's tests and the Reports page's."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from booking_station.quarters import Quarter
from desktop.station.bookings import parse
from desktop.station.core import Station
from desktop.station.detainers.service import Outcome

NY = ZoneInfo("America/New_York")
Q3 = Quarter(2026, 3)


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 7, 1, 9, 0, tzinfo=NY)

    def __call__(self) -> dt.datetime:
        return self.now.astimezone(dt.UTC)

    def at(self, text: str) -> dt.datetime:
        self.now = dt.datetime.fromisoformat(text).replace(tzinfo=NY)
        return self.now


def audit_clock(monkeypatch) -> Clock:  # type: ignore[no-untyped-def]
    """The audit log's clock, under the test's control."""
    clock = Clock()
    monkeypatch.setattr("desktop.station.audit.utcnow", clock)
    return clock


def _book(station: Station, booking_form, n: int) -> int:
    return station.bookings.create(
        parse(booking_form(surname=f"Person{'ABCDEFGHIJ'[n]}"), dt.date.today()), actor="clerk"
    ).id


def script_quarter(station: Station, booking_form, clock: Clock) -> dict[str, int]:
    """A quarter at the Demo County Jail (America/New_York); returns the detainers' row ids."""
    det = station.detainers
    a = station.audit
    clock.at("2026-06-30T10:00")  # the quarter before: not counted
    det.receive(_book(station, booking_form, 0), "D0", clock(), office="ICE ERO", languages=["en"])
    ids = {}
    for n, when in enumerate(
        ("2026-07-06T09:00", "2026-07-13T09:00", "2026-08-03T09:00", "2026-09-28T09:00"), 1
    ):
        clock.at(when)
        ids[f"D{n}"] = det.receive(
            _book(station, booking_form, n), f"D{n}", clock(), office="ICE ERO", languages=["en", "es"]
        )
    # D1: releasable Tuesday 7 July 17:00, deadline Thursday 9 July 17:00; ICE takes custody the 8th.
    clock.at("2026-07-07T17:00")
    det.set_releasable(ids["D1"], clock.now, actor="clerk")
    a.append(
        "clerk",
        "detainer.copy_served",
        "detainer:D1",
        {"language": "es", "method": "handed", "interpreter": ""},
    )
    clock.at("2026-07-08T11:00")
    det.record_outcome(ids["D1"], Outcome.TRANSFERRED, clock.now, actor="clerk")
    # D2: releasable Friday 17 July 17:00 -> deadline Tuesday 21 July 17:00; lapses; released late on the 22nd.
    clock.at("2026-07-17T17:00")
    det.set_releasable(ids["D2"], clock.now, actor="clerk")
    det.serve(ids["D2"], "es", actor="clerk")  # as served today: how it was given is not recorded
    a.append("clerk", "detainer.copy_served", "detainer:D2",
             {"language": "vi", "method": "interpreter_phone", "interpreter": "Language Line #4411"})  # fmt: skip
    clock.at("2026-07-21T18:00")
    assert det.mark_lapsed(clock(), actor="clock") == [ids["D2"]]
    clock.at("2026-07-22T08:30")
    det.record_outcome(ids["D2"], Outcome.RELEASED, clock.now, actor="clerk")
    # D3: ICE withdraws it before any deadline.
    clock.at("2026-08-04T10:00")
    det.cancel("D3", clock(), "wrong person", actor="mailbox")
    # D4: releasable Monday 28 September 12:00 -> deadline Wednesday 30 September 12:00; still held.
    clock.at("2026-09-28T12:00")
    det.set_releasable(ids["D4"], clock.now, actor="clerk")
    a.append(
        "clerk",
        "detainer.copy_served",
        "detainer:D4",
        {"language": "es", "method": "refused", "interpreter": ""},
    )
    # Claims, alerts and declined responses, as issue 18's producers will record them.
    for kind, statement in (
        ("citizen", "born in El Paso"),
        ("citizen", "naturalised 2015"),
        ("victim", "U visa"),
    ):
        a.append("clerk", "claim.recorded", "detainer:D1", {"kind": kind, "statement": statement})
    for kind, outcome in (("citizen", "withdrawn"), ("citizen", "pending"), ("victim", "refused")):
        a.append("supervisor", "claim.outcome", "detainer:D1", {"kind": kind, "outcome": outcome})
    a.append("station", "alert.raised", "booking:B2", {"kind": "wrong_person", "fields": ["dob", "name"]})
    a.append("station", "alert.raised", "booking:B3", {"kind": "wrong_person", "fields": ["sex"]})
    a.append("supervisor", "alert.acknowledged", "booking:B2", {"kind": "wrong_person"})
    for _ in range(3):
        a.append("mailbox", "response.declined", "tcn:T", {})
    clock.at("2026-10-01T00:30")  # the next quarter: not counted
    a.append("mailbox", "response.declined", "tcn:T", {})
    det.receive(_book(station, booking_form, 9), "D9", clock(), office="ICE ERO", languages=["en"])
    return ids
