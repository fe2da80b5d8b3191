"""Calendar quarters ("2026Q3"), the period of every quarterly report (oversight and the jail's own).

A quarter is a span of calendar dates; which instant a date starts at is the caller's business (the
backend counts in UTC, a jail in its own time zone), so `bounds(tz)` takes the zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """`2026Q3` (also `2026-q3`); a ValueError that says what a quarter looks like otherwise."""
        match = _PATTERN.match(text or "")
        if not match:
            raise ValueError(f"{text!r} is not a quarter: write the year and the quarter, e.g. 2026Q3")
        year = int(match.group(1))
        if not 1900 <= year <= 9000:
            raise ValueError(f"{text!r}: the year must be between 1900 and 9000")
        return cls(year, int(match.group(2)))

    @classmethod
    def of(cls, day: date | datetime) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end_day(self) -> date:
        """The first day after the quarter."""
        return self.next().first_day

    def next(self) -> Quarter:
        return Quarter(self.year + (self.number == 4), self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def earlier(self, count: int) -> list[Quarter]:
        """The `count` quarters before this one, oldest first."""
        out: list[Quarter] = []
        quarter = self
        for _ in range(count):
            quarter = quarter.previous()
            out.append(quarter)
        return out[::-1]

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: midnight of the first day and of the day after, in `tz`."""
        return (
            datetime.combine(self.first_day, time(0), tzinfo=tz),
            datetime.combine(self.end_day, time(0), tzinfo=tz),
        )

    def contains(self, moment: date | datetime) -> bool:
        return Quarter.of(moment) == self

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"
