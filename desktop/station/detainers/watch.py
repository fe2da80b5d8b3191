"""The detainer clock as a duty: records each lapse at its deadline and raises the alerts, no window needed.

A background thread sleeps until the next thing due (the next alert time or deadline of any open
hold, from the database), records it (`Detainers.raise_alerts`, `Detainers.mark_lapsed`), and
sleeps again. It wakes early when a detainer or the settings change (events), and looks at least
every `LONGEST_SLEEP` in case another process changed something it did not hear of. At its start
it records at once everything that came due while nothing was running, each lapse with its true
time (the deadline) and how late it was recorded. Run by `StationService` in the process that holds
the duties' lease; the UI only shows what it recorded (the events "detainer.alert" and
"detainer.lapsed").
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from desktop.station.db_errors import StoreUnavailable
from desktop.station.detainers.service import Detainers
from desktop.station.events import Event, EventHub
from desktop.station.models import utcnow

log = logging.getLogger(__name__)

LONGEST_SLEEP = timedelta(seconds=30)
RETRY_AFTER_FAILURE = timedelta(seconds=2)


class DetainerClock:
    def __init__(
        self, detainers: Detainers, events: EventHub, *, now: Callable[[], datetime] = utcnow
    ) -> None:
        self._detainers = detainers
        self._events = events
        self._now = now
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        """Record what came due while nothing ran (before returning), then keep the clock."""
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._unsubscribe = self._events.subscribe(self._on_event, "detainer.", "settings.update")
        first_wait = self._round()
        self._thread = threading.Thread(
            target=self._run, args=(first_wait,), name="detainer-clock", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        if self._thread:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self) -> datetime | None:
        """Record what is due now; returns when the next thing is due (None: nothing open)."""
        now = self._now()
        self._detainers.raise_alerts(now)
        self._detainers.mark_lapsed(now)
        return self._detainers.next_due(now)

    def _on_event(self, event: Event) -> None:
        if event.actor != "clock":  # our own records need no second look
            self._wake.set()

    def _round(self) -> timedelta:
        """One round; returns how long to sleep."""
        self._wake.clear()
        try:
            due = self.run_once()
        except StoreUnavailable as exc:
            log.warning("detainer clock waits for the database: %s", exc)
            return RETRY_AFTER_FAILURE
        except Exception:
            log.exception("detainer clock round failed")
            return RETRY_AFTER_FAILURE
        if due is None:
            return LONGEST_SLEEP
        return min(max(due - self._now(), timedelta(0)), LONGEST_SLEEP)

    def _run(self, wait: timedelta) -> None:
        # Event.wait's timeout is monotonic; a deadline is wall time, so each round re-reads the
        # clock and a long sleep is capped (a suspended laptop, a clock step).
        while True:
            self._wake.wait(wait.total_seconds())
            if self._stop.is_set():
                return
            wait = self._round()
