"""The station's duties, run by whichever process holds the lease: outbox, mailbox, detainer clock.

`StationService` is the same in the window (in-process, started by desktop/ui/app.py) and in
`booking-station station serve` (headless). It follows other processes' changes (`EventJournal`)
and, in a background thread, tries to take the duties' lease (lease.py) every `STANDBY_TRY`; the
holder renews it every `RENEW_EVERY`. Holding it, the process runs the submission worker (outbox
and mailbox, and the embedded backend when configured) and the detainer clock; losing it (another
process took it after this one could not renew in time) or stopping, it stops them first and then
releases the lease, so the duties are never done twice and are handed over at once. Each change of
owner is published as a "duties.owner" event.

To add a duty (e.g. a claims sweeper): give it `start()`/`stop()` and add it to `_duties()`; it then
runs only in the lease holder, and may subscribe to the hub for its wake-ups.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from desktop.station.core import Station
from desktop.station.db_errors import StoreUnavailable
from desktop.station.detainers.watch import DetainerClock
from desktop.station.events import DUTIES, Event
from desktop.station.journal import EventJournal
from desktop.station.lease import TTL, Holder, Lease, this_process
from desktop.station.models import utcnow
from desktop.station.outbox_launcher import EmbeddedBackend
from desktop.station.outbox_worker import SubmissionWorker, WorkerStatus

log = logging.getLogger(__name__)

RENEW_EVERY = TTL.total_seconds() / 5  # 3 s: the holder renews long before the 15 s expiry
STANDBY_TRY = 1.0  # a standby looks this often, so a released lease is taken within a second


class Duty(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


@dataclass(frozen=True)
class DutiesStatus:
    mine: bool  # this process runs the duties
    holder: Holder | None  # who runs them (None: nobody right now)


class StationService:
    def __init__(
        self,
        station: Station,
        *,
        role: str,
        embedded_folder: Path | None = None,
        embedded: EmbeddedBackend | None = None,
        worker: SubmissionWorker | None = None,
        follow_others: bool = True,
    ) -> None:
        self.station = station
        self.lease = Lease(station.store, this_process(role))
        self.worker = worker or SubmissionWorker(
            station.outbox, station.responses, lambda: station.config,
            embedded_folder=embedded_folder, embedded=embedded,
        )  # fmt: skip
        self.clock = DetainerClock(station.detainers, station.events)
        self.journal = EventJournal(station.store, station.events) if follow_others else None
        self._running = False
        self._renewed_at = 0.0  # monotonic time of the last successful take or renewal
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._status = DutiesStatus(False, None)

    # --- control ------------------------------------------------------------------------------
    def start(self) -> None:
        """Follow other processes' events and take the duties when free (at once, when they are)."""
        if self.journal:
            self.journal.start()
        self._stop.clear()
        self._step()  # a free lease is taken before start() returns: missed lapses are recorded now
        self._thread = threading.Thread(target=self._run, name="station-duties", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the duties, then release the lease so a standby takes over at once."""
        self._stop.set()
        if self._thread:
            self._thread.join(20)
            self._thread = None
        self._stop_duties()
        try:
            self.lease.release()
        except StoreUnavailable as exc:
            log.warning("could not release the duties' lease (it expires by itself): %s", exc)
        if self.journal:
            self.journal.stop()

    def status(self) -> DutiesStatus:
        with self._lock:
            return self._status

    def link(self) -> WorkerStatus:
        return self.worker.status()

    # --- the lease loop -----------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.wait(RENEW_EVERY if self._running else STANDBY_TRY):
            self._step()

    def _step(self) -> None:
        try:
            held = self.lease.acquire()
            if held:
                self._renewed_at = time.monotonic()
        except StoreUnavailable as exc:
            log.warning("duties' lease not renewed: %s", exc)
            # Stop before the lease can expire, so another process never starts while we still run.
            held = self._running and time.monotonic() - self._renewed_at < TTL.total_seconds() * 0.6
        if held and not self._running:
            self._start_duties()
        elif not held and self._running:
            log.warning("another process took the station's duties; stopping them here")
            self._stop_duties()
        self._publish_owner()

    def _duties(self) -> list[Duty]:
        return [self.clock, self.worker]

    def _start_duties(self) -> None:
        log.info("this process runs the station's duties (%s)", self.lease.owner)
        self._running = True
        for duty in self._duties():
            duty.start()

    def _stop_duties(self) -> None:
        if not self._running:
            return
        for duty in reversed(self._duties()):
            try:
                duty.stop()
            except Exception:
                log.exception("stopping %r failed", duty)
        self._running = False

    def _publish_owner(self) -> None:
        try:
            holder = (
                Holder(self.lease.owner, utcnow() + self.lease.ttl) if self._running else self.lease.holder()
            )
        except StoreUnavailable:
            return
        status = DutiesStatus(self._running, holder)
        with self._lock:
            changed = (status.mine, status.holder and status.holder.owner) != (
                self._status.mine,
                self._status.holder and self._status.holder.owner,
            )
            self._status = status
        if changed:
            owner = holder.owner if holder else ""
            self.station.events.publish(Event(DUTIES, "duties", {"owner": owner, "mine": status.mine}))
