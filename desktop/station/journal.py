"""Events committed by other processes on the same database, read from the audit log's new rows.

A `booking-station station serve` that records a lapse, or a second desk on the same PostgreSQL
that saves a booking, commits an audit event there; this process's `EventHub` never saw it. The
journal follows the audit log (one indexed query for rows past the last sequence number it read,
every `interval` seconds, in a background thread) and publishes each such row as an `Event` with
`local=False`. Rows this process committed itself are skipped: the hub published them already at
their commit. Appenders lock the audit head until they commit, so sequence numbers become visible
in order and none is skipped.
"""

from __future__ import annotations

import json
import logging
import threading

from sqlalchemy import func, select

from desktop.station.db import Store
from desktop.station.db_errors import StoreUnavailable
from desktop.station.events import Event, EventHub
from desktop.station.models import AuditEvent

log = logging.getLogger(__name__)

INTERVAL_S = 0.5
_BATCH = 500


class EventJournal:
    def __init__(self, store: Store, hub: EventHub, *, interval: float = INTERVAL_S) -> None:
        self._store = store
        self._hub = hub
        self._interval = interval
        self._last: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="event-journal", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)
            self._thread = None

    def read_new(self) -> int:
        """Publish the rows other processes committed since the last call; returns how many."""
        with self._store.session() as s:
            if self._last is None:  # the start: only what happens from now on
                self._last = s.scalar(select(func.coalesce(func.max(AuditEvent.seq), 0))) or 0
                return 0
            rows = s.execute(
                select(AuditEvent.seq, AuditEvent.at, AuditEvent.actor, AuditEvent.action,
                       AuditEvent.subject, AuditEvent.details_json)
                .where(AuditEvent.seq > self._last).order_by(AuditEvent.seq).limit(_BATCH)
            ).all()  # fmt: skip
        published = 0
        for seq, at, actor, action, subject, details_json in rows:
            self._last = seq
            if self._hub.seen_locally(seq):
                continue
            try:
                details = json.loads(details_json or "{}")
            except ValueError:
                details = {}
            self._hub.publish(Event(action, subject, details, actor, seq, at, local=False))
            published += 1
        if rows:
            self._hub.forget_local_before(self._last)
        return published

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.read_new()
            except StoreUnavailable as exc:
                log.debug("event journal waits for the database: %s", exc)
            except Exception:
                log.exception("event journal round failed")
            self._stop.wait(self._interval)
