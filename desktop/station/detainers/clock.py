"""The detainer's 48-hour clock: a pure, Qt-free calculation.

An ICE detainer asks the jail to hold a person "not to exceed 48 hours (excluding
Saturdays, Sundays and Federal holidays)" beyond the time they would otherwise be released. The
clock counts only *eligible days*: local calendar days in the jail's time zone that are weekdays
and not holidays of the rule in force (`HoldCalendar`):

    - "federal" (the default, the form's words): the legal public holidays of 5 U.S.C. 6103 with
      their observed days (a Saturday holiday is observed on the Friday before, a Sunday one on
      the Monday after), from the `holidays` package's US calendar. Inauguration Day (a holiday
      only for federal employees around Washington, D.C.) and one-off executive-order closures
      are not counted: they are not holidays of the statute the form refers to.
    - "federal+state": also the state's own holidays. Only for an agency whose counsel requires
      it: it holds people longer than the form allows (Cesar Chavez Day in California, Patriots'
      Day in Massachusetts, …), which is the jail's own liability.

What "48 hours" means across a daylight-saving change (the documented choice):
    hours are **real elapsed hours**. An eligible day contributes the real time between its first
    local instant and the next day's first local instant: 24 hours normally, 23 on a spring-forward
    day, 25 on a fall-back day. So the person is never held more than 48 real hours on eligible
    days, and the deadline's wall-clock time shifts by the DST change when one falls inside the
    counted days. In the United States every change happens on a Sunday (never counted), so for
    US jails the choice only matters in principle; it matters in zones that change on a weekday.

Other choices, each in the detainee's favour where there is a choice:
    - a releasable time given without an offset is read in the jail's zone; a local time that
      happens twice (fall back) is the *earlier* instant; one that never happens (spring forward)
      is refused, because the clerk must say which instant they mean;
    - a person who becomes releasable on a weekend or holiday starts counting at the first
      instant of the next eligible day.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop.station.messages import message

HOLD_LIMIT = timedelta(hours=48)
DEFAULT_ALERT_HOURS: tuple[float, ...] = (12.0, 2.0)
# Dates past this are refused with a message: the day arithmetic must stay inside `date`'s range.
_LAST_YEAR = 9000


class HolidayRule(enum.StrEnum):
    """Which holidays stop the hold's clock besides Saturdays and Sundays."""

    FEDERAL = "federal"
    FEDERAL_AND_STATE = "federal+state"


# --- inputs -------------------------------------------------------------------------------------


def zone(name: str) -> ZoneInfo:
    """The jail's time zone, or a ValueError that names the bad zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as America/New_York)") from exc


class TimeInputError(ValueError):
    """A time given for the clock that it cannot use; `message` says why (a station Message)."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.message = message(code, **params)
        super().__init__(str(self.message))


def parse_local(text: str, tz: ZoneInfo) -> datetime:
    """An ISO 8601 date-time; without an offset it is a wall-clock time in `tz`.

    Returns an aware datetime in `tz`. Raises ValueError for text that is not a date-time and for
    a wall-clock time that does not exist in `tz` (skipped by a spring-forward change).
    """
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise TimeInputError("detainer.time-format", value=repr(text)) from exc
    if parsed.tzinfo is not None:
        return parsed.astimezone(tz)
    local = parsed.replace(tzinfo=tz, fold=0)
    # A wall time in a spring-forward gap does not survive the round trip through UTC.
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != parsed:
        raise TimeInputError("detainer.time-skipped", value=text, zone=tz.key)
    return local


def _subdivisions() -> tuple[str, ...]:
    import holidays

    return holidays.US.subdivisions


@functools.cache
def _calendar(rule: HolidayRule, state: str | None) -> Any:
    import holidays  # ~0.1 s: only when a deadline is computed, not when the settings are read

    federal = holidays.country_holidays("US")
    if rule is HolidayRule.FEDERAL:
        return federal
    # Union: federal holidays count even where a state does not close for them.
    return federal + holidays.country_holidays("US", subdiv=state)


@dataclass(frozen=True)
class HoldCalendar:
    """The days the clock runs on: the rule in force and, for "federal+state", the state."""

    rule: HolidayRule = HolidayRule.FEDERAL
    state: str | None = None

    def __post_init__(self) -> None:
        try:
            rule = HolidayRule(self.rule)
        except ValueError:
            choices = ", ".join(repr(r.value) for r in HolidayRule)
            raise ValueError(f"unknown holiday rule {self.rule!r} (one of {choices})") from None
        object.__setattr__(self, "rule", rule)
        state = self.state.strip().upper() if self.state else None
        if state is not None and state not in _subdivisions():
            raise ValueError(
                f"unknown US state or territory {self.state!r} (use a two-letter code such as VA)"
            )
        if rule is HolidayRule.FEDERAL_AND_STATE and state is None:
            raise ValueError('the "federal+state" holiday rule needs the jail\'s state')
        object.__setattr__(self, "state", state)

    @property
    def counts_state_holidays(self) -> bool:
        return self.rule is HolidayRule.FEDERAL_AND_STATE

    def load(self) -> None:
        """Load the holiday tables now (the `holidays` package: ~300 modules, 0.3–1.5 s of Python
        holding the interpreter lock). A process with a window does it before the window shows,
        not at the first deadline computed in a worker thread while the clerk works."""
        today = date.today()
        for year in (today.year, today.year + 1):  # a hold running into the new year
            self.is_eligible_day(date(year, 1, 1))

    def holiday_name(self, day: date) -> str | None:
        """The holiday of this rule on `day` (observed dates included), or None."""
        return _calendar(self.rule, self.state).get(day)

    def is_eligible_day(self, day: date) -> bool:
        """A day the clock runs on: Monday to Friday and not a holiday of this rule."""
        return day.weekday() < 5 and day not in _calendar(self.rule, self.state)

    def describe(self) -> str:
        """The rule in force, in the words of the form (English: for the CLI and the audit)."""
        if self.counts_state_holidays:
            return (
                f"48 hours excluding Saturdays, Sundays, Federal holidays and {self.state} state holidays "
                '(the agency\'s "federal+state" setting; the form excludes Federal holidays only)'
            )
        return "48 hours excluding Saturdays, Sundays and Federal holidays (the detainer form's rule)"


def _check_year(moment: datetime) -> None:
    if not 1900 <= moment.year <= _LAST_YEAR:
        raise TimeInputError("detainer.implausible-date", date=moment.date().isoformat())


def _day_start(day: date, tz: ZoneInfo) -> datetime:
    """The first instant (UTC) of a local calendar day.

    fold=0 of a midnight skipped by a spring-forward change is the change instant itself, which is
    exactly when the day begins; of a repeated midnight, the first time it is shown.
    """
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


# --- the deadline ---------------------------------------------------------------------------------


def deadline(
    releasable: datetime, tz: ZoneInfo, calendar: HoldCalendar, hold: timedelta = HOLD_LIMIT
) -> datetime:
    """The end of the hold: `hold` real time counted on `calendar`'s eligible days from `releasable`.

    `releasable` must be aware. The result is in `tz`.
    """
    if releasable.tzinfo is None:
        raise ValueError("the releasable time needs a time zone (use parse_local)")
    if hold <= timedelta(0):
        raise ValueError("the hold must be a positive duration")
    _check_year(releasable)
    start = releasable.astimezone(UTC)
    remaining = hold
    day = start.astimezone(tz).date()
    # 48 h fits in at most a few weeks even across the longest run of holidays; the bound only
    # guards against a calendar that has no eligible days at all.
    for _ in range(3660):
        if calendar.is_eligible_day(day):
            begin = max(start, _day_start(day, tz))
            end = _day_start(day + timedelta(days=1), tz)
            available = end - begin
            if available >= remaining:
                return (begin + remaining).astimezone(tz)
            remaining -= available
        day += timedelta(days=1)
    raise ValueError("no weekday without a holiday in ten years: check the holiday calendar")


def counted_time(start: datetime, end: datetime, tz: ZoneInfo, calendar: HoldCalendar) -> timedelta:
    """Real time between two instants that falls on eligible days (the inverse view of `deadline`)."""
    _check_year(start)
    _check_year(end)
    a, b = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    day = a.astimezone(tz).date()
    while _day_start(day, tz) < b:
        if calendar.is_eligible_day(day):
            lo = max(a, _day_start(day, tz))
            hi = min(b, _day_start(day + timedelta(days=1), tz))
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


# --- countdown and alerts --------------------------------------------------------------------------


class Stage(enum.Enum):
    RUNNING = "running"
    ALERT = "alert"  # at least one alert time has passed
    EXPIRED = "expired"  # the hold authority has lapsed


@dataclass(frozen=True)
class Alert:
    """One alert: `hours_before` the deadline (0 is the expiry itself), due at `due`."""

    hours_before: float
    due: datetime

    @property
    def is_expiry(self) -> bool:
        return self.hours_before == 0


@dataclass(frozen=True)
class ClockStatus:
    stage: Stage
    remaining: timedelta  # real time to the deadline; negative after expiry
    passed: tuple[Alert, ...]  # alerts whose time has come, earliest first
    next_alert: Alert | None  # the next alert still to come


def alert_schedule(deadline_at: datetime, alert_hours: Iterable[float] = DEFAULT_ALERT_HOURS) -> list[Alert]:
    """Every alert for a deadline, earliest first, the expiry (0 h) always last."""
    hours = sorted({float(h) for h in alert_hours if h > 0} | {0.0}, reverse=True)
    return [Alert(h, deadline_at - timedelta(hours=h)) for h in hours]


def status(
    deadline_at: datetime, now: datetime, alert_hours: Iterable[float] = DEFAULT_ALERT_HOURS
) -> ClockStatus:
    """Where the clock stands at `now` (aware)."""
    schedule = alert_schedule(deadline_at, alert_hours)
    passed = tuple(a for a in schedule if a.due <= now)
    upcoming = [a for a in schedule if a.due > now]
    remaining = deadline_at - now
    if remaining <= timedelta(0):
        stage = Stage.EXPIRED
    elif passed:
        stage = Stage.ALERT
    else:
        stage = Stage.RUNNING
    return ClockStatus(stage, remaining, passed, upcoming[0] if upcoming else None)


def new_alerts(
    deadline_at: datetime,
    before: datetime | None,
    now: datetime,
    alert_hours: Iterable[float] = DEFAULT_ALERT_HOURS,
) -> list[Alert]:
    """Alerts that became due in (before, now]: what a ticking display should announce once.

    `before` None means the display has just started: only the latest passed alert is announced,
    so opening the station late does not replay a stack of stale alerts.
    """
    schedule = alert_schedule(deadline_at, alert_hours)
    if before is None:
        passed = [a for a in schedule if a.due <= now]
        return passed[-1:]
    return [a for a in schedule if before < a.due <= now]


def format_countdown(remaining: timedelta) -> str:
    """'1 d 05:07' / '05:07' (hours:minutes) left; 'lapsed 03:10 ago' after expiry."""
    seconds = int(remaining.total_seconds())
    lapsed = seconds <= 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    text = f"{hours:02d}:{minutes:02d}"
    if days:
        text = f"{days} d {text}"
    return f"lapsed {text} ago" if lapsed else text
