"""Progress of long work: how far it has got and the time left, for a person and for a program.

One helper for every long command (synth, the benchmarks, the backend's enrolment). On a terminal
it draws a tqdm bar with the time left on stderr; otherwise (a pipe, a log file, `--json`) it stays
quiet, or writes a log line every tenth of the way when given a logger, as a service does. The
figures (`done`, `fraction`, `seconds_left`, `describe()`) are there for whoever reports them, e.g.
the backend's /health.

    with Progress(len(jobs), "enrolling prints", unit="print", quiet=bool(args.json)) as progress:
        for job in jobs:
            work(job)
            progress.advance()
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")

#: Below this many seconds of work done, the rate is too uncertain to promise a time left.
_MIN_ELAPSED_FOR_ESTIMATE = 1.0


class Progress:
    """Counts work done out of `total`; thread-safe, so worker threads may all call `advance`."""

    def __init__(
        self,
        total: int,
        description: str,
        *,
        unit: str = "item",
        quiet: bool = False,
        stream: IO[str] | None = None,
        log: logging.Logger | None = None,
    ) -> None:
        self.total = max(int(total), 0)
        self.description = description
        self.unit = unit
        self.done = 0
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._log = log
        self._logged_tenth = 0
        stream = sys.stderr if stream is None else stream
        self._bar = None
        if not quiet and _is_terminal(stream):
            from tqdm import tqdm

            self._bar = tqdm(
                total=self.total, desc=description, unit=unit, file=stream, dynamic_ncols=True, leave=True
            )

    # --- counting -------------------------------------------------------------------------------
    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done = min(self.done + n, self.total) if self.total else self.done + n
            if self._bar is not None:
                self._bar.update(n)
            elif self._log is not None and self.total:
                tenth = (10 * self.done) // self.total
                if tenth > self._logged_tenth:
                    self._logged_tenth = tenth
                    self._log.info("%s", self.describe())

    def close(self) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.close()
                self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- figures --------------------------------------------------------------------------------
    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._started

    @property
    def fraction(self) -> float:
        return 1.0 if not self.total else min(self.done / self.total, 1.0)

    @property
    def seconds_left(self) -> float | None:
        """The time left at the rate so far; None until there is a rate to go by."""
        elapsed = self.elapsed
        if self.done >= self.total:
            return 0.0
        if self.done == 0 or elapsed < _MIN_ELAPSED_FOR_ESTIMATE:
            return None
        return elapsed / self.done * (self.total - self.done)

    def describe(self) -> str:
        """'enrolling prints: 120 of 500 prints (24 %), about 1 min 40 s left'."""
        text = (
            f"{self.description}: {self.done} of {self.total} {self.unit}s ({round(100 * self.fraction)} %)"
        )
        left = self.seconds_left
        if left is not None and self.done < self.total:
            text += f", about {format_duration(left)} left"
        return text


def track(
    items: Iterable[T],
    description: str,
    *,
    total: int | None = None,
    unit: str = "item",
    quiet: bool = False,
    stream: IO[str] | None = None,
) -> Iterator[T]:
    """Yield `items`, counting each one in a Progress (total from len() when not given)."""
    if total is None:
        total = len(items)  # type: ignore[arg-type]
    with Progress(total, description, unit=unit, quiet=quiet, stream=stream) as progress:
        for item in items:
            yield item
            progress.advance()


def format_duration(seconds: float) -> str:
    """'45 s', '3 min 20 s', '1 h 05 min': rounded as a person would say it."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False
