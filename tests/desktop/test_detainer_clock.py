"""The 48-hour detainer clock: hand-checked cases, every holiday, DST changes, and property tests
against an independent quarter-hour oracle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.station.detainers import clock

NY = clock.zone("America/New_York")
FEDERAL = clock.HoldCalendar()


def _cal(state: str | None) -> clock.HoldCalendar:
    """The federal rule without a state; "federal+state" with one (the agency's opt-in)."""
    return clock.HoldCalendar(clock.HolidayRule.FEDERAL_AND_STATE, state) if state else FEDERAL


def _deadline(text: str, tz: str = "America/New_York", state: str | None = "VA") -> str:
    zone = clock.zone(tz)
    return clock.deadline(clock.parse_local(text, zone), zone, _cal(state)).isoformat(timespec="minutes")


# --- the rule in force: the form's "Federal holidays" --------------------------------------------------


@pytest.mark.parametrize(
    ("releasable", "tz", "state", "federal", "with_state"),
    [
        # The case: Cesar Chavez Day (Tue 31 Mar 2026) is a California holiday, not a federal
        # one. Fri 27 09:00: Fri 15 h, Mon 24 (39), Tue 9 h -> Tue 31 09:00. Counting it: Wed 1 Apr.
        ("2026-03-27T09:00", "America/Los_Angeles", "CA", "2026-03-31T09:00-07:00", "2026-04-01T09:00-07:00"),
        # Patriots' Day in Massachusetts (Mon 20 Apr 2026): Fri 17 09:00 -> Tue 21 09:00, not Wed 22.
        ("2026-04-17T09:00", "America/New_York", "MA", "2026-04-21T09:00-04:00", "2026-04-22T09:00-04:00"),
        # DC Emancipation Day (Thu 16 Apr 2026): Wed 15 09:00 -> Fri 17 09:00, not Mon 20.
        ("2026-04-15T09:00", "America/New_York", "DC", "2026-04-17T09:00-04:00", "2026-04-20T09:00-04:00"),
    ],
)
def test_state_holidays_are_counted_unless_the_agency_opts_in(
    releasable: str, tz: str, state: str, federal: str, with_state: str
) -> None:
    zone = clock.zone(tz)
    start = clock.parse_local(releasable, zone)
    assert (
        clock.deadline(start, zone, clock.HoldCalendar(state=state)).isoformat(timespec="minutes") == federal
    )
    assert clock.deadline(start, zone, _cal(state)).isoformat(timespec="minutes") == with_state


def test_the_default_rule_is_federal_and_says_so() -> None:
    assert FEDERAL.rule is clock.HolidayRule.FEDERAL and not FEDERAL.counts_state_holidays
    assert "Federal holidays" in FEDERAL.describe() and "state" not in FEDERAL.describe()
    assert "CA state holidays" in _cal("CA").describe()
    # Cesar Chavez Day is no holiday under the federal rule, whatever the state.
    assert clock.HoldCalendar(state="CA").holiday_name(date(2026, 3, 31)) is None
    assert _cal("CA").holiday_name(date(2026, 3, 31))


def test_federal_holidays_are_the_statutes_with_observed_days() -> None:
    days = (date(2026, 1, 1) + timedelta(days=i) for i in range(365))
    names = {name.removesuffix(" (observed)") for d in days if (name := FEDERAL.holiday_name(d))}
    assert len(names) == 11, names  # 5 U.S.C. 6103: eleven legal public holidays
    assert "Juneteenth National Independence Day" in names
    # 4 July 2026 is a Saturday: observed on Friday 3 July, which is not counted.
    assert not FEDERAL.is_eligible_day(date(2026, 7, 3))
    # Inauguration Day (20 Jan 2029, a Saturday; 2025-01-20 was also MLK Day) is not a national holiday.
    assert FEDERAL.holiday_name(date(2033, 1, 20)) is None


# --- hand-checked cases (worked out on paper, day by day) -----------------------------------------


@pytest.mark.parametrize(
    ("releasable", "state", "expected"),
    [
        # The example: Fri 7 h, Sat/Sun skipped, Mon 24 h (31), Tue Christmas, Wed 17 h.
        ("2012-12-21T17:00", "VA", "2012-12-26T17:00-05:00"),
        # A plain week: Mon 09:00 + 48 h is Wed 09:00.
        ("2024-03-04T09:00", "VA", "2024-03-06T09:00-05:00"),
        # Fri 10:00: Fri 14 h, Mon 24 h (38), Tue 10 h.
        ("2024-03-08T10:00", "VA", "2024-03-12T10:00-04:00"),
        # Releasable on a Saturday: counting starts Monday 00:00; Mon + Tue = 48 h -> Wed 00:00.
        ("2024-03-09T12:00", "VA", "2024-03-13T00:00-04:00"),
        # Virginia's Lee-Jackson Day (Fri 13 Jan 2012) and MLK Day (Mon 16): Thu 7 h, Tue 24 (31), Wed 17.
        ("2012-01-12T17:00", "VA", "2012-01-18T17:00-05:00"),
        # Without the state, Lee-Jackson Day counts: Thu 7, Fri 24 (31), MLK skipped, Tue 17 h.
        ("2012-01-12T17:00", None, "2012-01-17T17:00-05:00"),
        # Observed date: 4 July 2020 was a Saturday, observed Friday 3 July. Thu 12 h, Mon 24 (36), Tue 12.
        ("2020-07-02T12:00", None, "2020-07-07T12:00-04:00"),
        # Thanksgiving week in Virginia (Thu and the day after): Wed 12 h, Mon 24 (36), Tue 12 h.
        ("2023-11-22T12:00", "VA", "2023-11-28T12:00-05:00"),
        # Exactly at a day boundary: Mon 00:00 + 48 h ends at Wed 00:00, not later.
        ("2024-03-18T00:00", "VA", "2024-03-20T00:00-04:00"),
    ],
)
def test_hand_checked_deadlines(releasable: str, state: str | None, expected: str) -> None:
    assert _deadline(releasable, state=state) == expected


def test_dst_spring_forward_on_a_counted_day_gives_48_real_hours() -> None:
    # Israel moved clocks forward on Friday 24 March 2023 (a weekday, counted here), 02:00 -> 03:00.
    # Thu 10:00: Thu 14 h, Fri only 23 real hours (37), Mon 11 h -> 11:00, an hour later on the wall.
    assert _deadline("2023-03-23T10:00", "Asia/Jerusalem", None) == "2023-03-27T11:00+03:00"


def test_dst_fall_back_on_a_counted_day_gives_48_real_hours() -> None:
    # Egypt moved clocks back at the end of Thursday 26 October 2023 (midnight -> 23:00), so the
    # repeated hour falls between Thursday and Friday; it is counted once, as the start of Friday.
    # Thu 10:00: Thu 14 h, Fri 25 real hours (39), Mon 9 h -> 09:00.
    assert _deadline("2023-10-26T10:00", "Africa/Cairo", None) == "2023-10-30T09:00+02:00"


def test_us_dst_changes_fall_on_uncounted_sundays() -> None:
    # Fri before the spring change and before the autumn change: the wall-clock time is kept.
    assert _deadline("2024-03-08T15:00") == "2024-03-12T15:00-04:00"
    assert _deadline("2024-11-01T15:00", state=None) == "2024-11-05T15:00-05:00"
    # ...and in Virginia, Election Day (Tue 5 Nov 2024) is a state holiday: one more day.
    assert _deadline("2024-11-01T15:00", state="VA") == "2024-11-06T15:00-05:00"


def test_midnight_skipped_by_dst_starts_the_day_at_one() -> None:
    # Chile springs forward at midnight: Sunday 8 Sept 2024 began at 01:00. Releasable on that
    # Sunday (not counted), Mon + Tue = 48 h -> Wed 00:00.
    assert _deadline("2024-09-07T12:00", "America/Santiago", None) == "2024-09-11T00:00-03:00"


def test_ambiguous_time_is_the_earlier_instant_and_missing_time_is_refused() -> None:
    assert clock.parse_local("2023-11-05T01:30", NY).utcoffset() == timedelta(hours=-4)
    with pytest.raises(ValueError, match="does not exist in America/New_York"):
        clock.parse_local("2023-03-12T02:30", NY)
    # With an explicit offset the instant is unambiguous and accepted.
    assert clock.parse_local("2023-11-05T01:30-05:00", NY).utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: clock.zone("Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
        (lambda: clock.parse_local("21/12/2012 5pm", NY), "not an ISO 8601 date and time"),
        (lambda: clock.HoldCalendar(state="XX"), "unknown US state or territory 'XX'"),
        (lambda: clock.HoldCalendar("state"), "unknown holiday rule 'state'"),
        (lambda: clock.HoldCalendar(clock.HolidayRule.FEDERAL_AND_STATE), "needs the jail's state"),
        (lambda: clock.deadline(datetime(2012, 12, 21, 17), NY, FEDERAL), "needs a time zone"),
        (lambda: clock.deadline(datetime(9999, 12, 30, 17, tzinfo=UTC), NY, FEDERAL), "not a plausible date"),
    ],
)
def test_bad_input_is_named(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --- every holiday ----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [None, "VA", "TX", "CA", "MA"])
def test_no_holiday_or_weekend_is_ever_counted(state: str | None) -> None:
    """For every federal and state holiday (observed dates included) of 2000-2040: becoming
    releasable at the start of the holiday gives the same deadline as at the start of the next day."""
    calendar = holidays.country_holidays("US", years=range(2000, 2041))
    if state:
        calendar = calendar + holidays.country_holidays("US", subdiv=state, years=range(2000, 2041))
    checked = 0
    for day in sorted(calendar):
        start = datetime.combine(day, datetime.min.time(), tzinfo=NY)
        next_day = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=NY)
        cal = _cal(state)
        assert clock.deadline(start, NY, cal) == clock.deadline(next_day, NY, cal), (day, calendar[day])
        assert not cal.is_eligible_day(day)
        checked += 1
    assert checked > 400


def test_state_holidays_come_on_top_of_federal_ones() -> None:
    # Columbus Day is federal; the union keeps it even for a state calendar.
    assert _cal("VA").holiday_name(date(2024, 10, 14))
    assert _cal("VA").holiday_name(date(2024, 11, 29)) and not FEDERAL.holiday_name(date(2024, 11, 29))


# --- property tests against an independent oracle -----------------------------------------------------

ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Asia/Jerusalem",  # changes on a Friday: DST inside counted days
    "America/Santiago",  # changes at midnight
    "Africa/Cairo",  # falls back at the end of a Thursday (2023-)
]


def _oracle(releasable: datetime, tz, state: str | None) -> datetime:
    """Walk real time in quarter hours, counting those whose local date is a weekday that is not a
    holiday. Exact when the releasable time and every UTC offset are whole quarter hours."""
    calendar = holidays.country_holidays("US")
    if state:
        calendar = calendar + holidays.country_holidays("US", subdiv=state)
    step = timedelta(minutes=15)
    t = releasable.astimezone(UTC)
    counted = timedelta(0)
    while counted < timedelta(hours=48):
        local_day = t.astimezone(tz).date()
        if local_day.weekday() < 5 and local_day not in calendar:
            counted += step
        t += step
    return t


@st.composite
def _cases(draw):
    tz = clock.zone(draw(st.sampled_from(ZONES)))
    state = draw(st.sampled_from([None, "VA", "NY", "CA", "TX", "HI", "AK"]))
    base = datetime(2000, 1, 1, tzinfo=UTC)
    quarter_hours = draw(st.integers(0, 40 * 365 * 96))
    return base + timedelta(minutes=15 * quarter_hours), tz, state


@settings(max_examples=150, deadline=None)
@given(_cases())
def test_deadline_matches_quarter_hour_oracle(case) -> None:
    releasable, tz, state = case
    assert clock.deadline(releasable, tz, _cal(state)) == _oracle(releasable, tz, state)


@settings(max_examples=150, deadline=None)
@given(_cases(), st.integers(1, 96 * 10))
def test_deadline_properties(case, later_quarters: int) -> None:
    releasable, tz, state = case
    cal = _cal(state)
    end = clock.deadline(releasable, tz, cal)
    # Exactly 48 counted hours, at least 48 real hours, on a counted day, never earlier for a later start.
    assert clock.counted_time(releasable, end, tz, cal) == timedelta(hours=48)
    assert end - releasable >= timedelta(hours=48)
    assert cal.is_eligible_day((end - timedelta(microseconds=1)).astimezone(tz).date())
    assert end.tzinfo is tz
    later = releasable + timedelta(minutes=15 * later_quarters)
    assert clock.deadline(later, tz, cal) >= end


# --- countdown and alerts ---------------------------------------------------------------------------

DEADLINE = datetime(2012, 12, 26, 17, 0, tzinfo=NY)


def test_alert_schedule_is_ordered_with_expiry_last() -> None:
    schedule = clock.alert_schedule(DEADLINE, (2, 12, 2))
    assert [a.hours_before for a in schedule] == [12.0, 2.0, 0.0]
    assert schedule[0].due == datetime(2012, 12, 26, 5, 0, tzinfo=NY)
    assert schedule[-1].is_expiry and schedule[-1].due == DEADLINE


def test_status_moves_from_running_to_alert_to_expired() -> None:
    running = clock.status(DEADLINE, DEADLINE - timedelta(hours=20))
    assert running.stage is clock.Stage.RUNNING and running.next_alert.hours_before == 12
    alert = clock.status(DEADLINE, DEADLINE - timedelta(hours=3))
    assert alert.stage is clock.Stage.ALERT and [a.hours_before for a in alert.passed] == [12.0]
    expired = clock.status(DEADLINE, DEADLINE + timedelta(minutes=1))
    assert expired.stage is clock.Stage.EXPIRED and expired.next_alert is None
    assert expired.remaining == timedelta(minutes=-1)


def test_new_alerts_fire_once_each() -> None:
    t0 = DEADLINE - timedelta(hours=13)
    t1 = DEADLINE - timedelta(hours=11)
    t2 = DEADLINE - timedelta(hours=10)
    t3 = DEADLINE + timedelta(seconds=1)
    assert clock.new_alerts(DEADLINE, t0, t1)[0].hours_before == 12
    assert clock.new_alerts(DEADLINE, t1, t2) == []
    assert [a.hours_before for a in clock.new_alerts(DEADLINE, t2, t3)] == [2.0, 0.0]
    # A display that opens late announces only the latest alert, not a backlog.
    assert [a.hours_before for a in clock.new_alerts(DEADLINE, None, t3)] == [0.0]


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (timedelta(hours=30, minutes=5, seconds=59), "1 d 06:05"),
        (timedelta(minutes=90), "01:30"),
        (timedelta(hours=-3, minutes=-10), "lapsed 03:10 ago"),
    ],
)
def test_format_countdown(remaining: timedelta, text: str) -> None:
    assert clock.format_countdown(remaining) == text


def _offset_changes(tz, first_year: int, last_year: int) -> list[date]:
    """Local dates on which the zone's UTC offset changes (found day by day at local noon)."""
    changes = []
    day = date(first_year, 1, 1)
    previous = datetime.combine(day, datetime.min.time().replace(hour=12), tzinfo=tz).utcoffset()
    while day.year <= last_year:
        day += timedelta(days=1)
        offset = datetime.combine(day, datetime.min.time().replace(hour=12), tzinfo=tz).utcoffset()
        if offset != previous:
            changes.append(day)
            previous = offset
    return changes


@pytest.mark.parametrize("zone_name", ZONES)
def test_every_dst_change_2005_2030_matches_the_oracle(zone_name: str) -> None:
    """Releasable the day before each change, and at the start of the day of the change."""
    tz = clock.zone(zone_name)
    changes = _offset_changes(tz, 2005, 2030)
    for day in changes:
        for start in (
            datetime.combine(day - timedelta(days=1), datetime.min.time().replace(hour=9), tzinfo=tz),
            datetime.combine(day, datetime.min.time(), tzinfo=tz).astimezone(UTC),
        ):
            assert clock.deadline(start, tz, FEDERAL) == _oracle(start, tz, None), (zone_name, start)
    if zone_name not in ("America/Phoenix", "Pacific/Honolulu"):
        assert changes, f"{zone_name} should have DST changes"
