"""The station's events: what changed, told to whoever listens, only after it was committed (Qt-free).

Every change a service makes is written with its audit event in one transaction (audit.py). The
audit log hands that event to the station's `EventHub` once the transaction has committed, and never
for one that rolled back: so every service publishes after its commit without doing anything more
than the audit it owes anyway. The topic is the audit action ("booking.create", "capture.attempt",
"submission.queued", "submission.sent", "response.received", "detainer.received",
"detainer.lapsed", "detainer.alert", "detainer.copy_served", "alert.raised", "alert.acknowledged",
"login.failed", …).
State that is not in the database (the backend link, who runs the station's duties) is published
directly with `EventHub.publish`; those topics are listed in `LIVE_TOPICS`.

Subscribing::

    unsubscribe = station.events.subscribe(callback, "detainer.", "booking.status")

Topics match by prefix ("detainer." is every detainer event); no topics means all. A callback runs
on the thread that committed (a UI operation's worker, the outbox worker, the detainer clock), so it
must be quick, thread-safe and must not wait on the database: the Qt bridge (desktop/ui/events.py)
only queues a signal to the UI thread; the detainer clock only sets a wake-up flag. A callback
that raises is logged and the others still run.

Events committed by another process on the same database (`booking-station station serve`, a
second desk on the same PostgreSQL) reach this process through `EventJournal`, which reads the
audit log's new rows: they arrive with `local=False`, typically within half a second.

Extending (lock-out, wrong-person alerts, claims…): record the change with `audit.append(actor,
"operator.locked", …, session=s)` in the transaction that makes it; the event follows by itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# Published directly (no database row behind them).
LINK = "link.status"  # the backend link changed: details {connected, url, queued, error, state, progress}
DUTIES = "duties.owner"  # who runs the outbox, the mailbox and the detainer clock: {owner, mine}
LIVE_TOPICS = (LINK, DUTIES)

_PENDING = "booking_station.events"  # session.info key of the events waiting for the commit


@dataclass(frozen=True)
class Event:
    """One change. `subject` follows the audit log's form: "booking:2026-000042", "detainer:D-1", …"""

    topic: str
    subject: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    actor: str = ""
    seq: int | None = None  # the audit event's sequence number (None for live topics)
    at: dt.datetime | None = None
    local: bool = True  # committed by this process

    @property
    def booking(self) -> str | None:
        """The booking number the event is about, when it is about one."""
        kind, _, key = self.subject.partition(":")
        if kind == "booking":
            return key
        number = self.details.get("booking") if isinstance(self.details, Mapping) else None
        return str(number) if number else None

    def matches(self, topics: tuple[str, ...]) -> bool:
        return not topics or any(self.topic.startswith(t) for t in topics)


Callback = Callable[[Event], None]


class EventHub:
    """Publish-subscribe within one process; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[tuple[Callback, tuple[str, ...]]] = []
        self._local_seqs: set[int] = set()  # audit seqs already published here (the journal skips them)

    def subscribe(self, callback: Callback, *topics: str) -> Callable[[], None]:
        """Call `callback(event)` for each event whose topic starts with one of `topics` (all when
        none); returns the function that ends the subscription."""
        entry = (callback, tuple(topics))
        with self._lock:
            self._subscribers.append(entry)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._subscribers.remove(entry)

        return unsubscribe

    def publish(self, event: Event) -> None:
        """Tell every matching subscriber now, on this thread."""
        with self._lock:
            targets = [cb for cb, topics in self._subscribers if event.matches(topics)]
        for callback in targets:
            try:
                callback(event)
            except Exception:
                log.exception("event subscriber %r failed on %s", callback, event.topic)

    def publish_after_commit(self, session: Session, event: Event) -> None:
        """Publish `event` once `session`'s transaction has committed; drop it if it rolls back."""
        pending = session.info.get(_PENDING)
        if pending is None:
            pending = session.info[_PENDING] = []
            sa_event.listen(session, "after_commit", self._after_commit)
            sa_event.listen(session, "after_rollback", self._after_rollback)
        pending.append(event)
        if event.seq is not None:
            # Known as ours before the commit, so the journal never mistakes it for another process's.
            with self._lock:
                self._local_seqs.add(event.seq)

    def _after_commit(self, session: Session) -> None:
        for event in session.info.pop(_PENDING, None) or ():
            self.publish(event)

    def _after_rollback(self, session: Session) -> None:
        # A rolled-back seq is used again by the next append, maybe by another process.
        dropped = {e.seq for e in session.info.pop(_PENDING, None) or () if e.seq is not None}
        with self._lock:
            self._local_seqs -= dropped

    def seen_locally(self, seq: int) -> bool:
        """True once (then forgotten) for an audit seq this process published itself."""
        with self._lock:
            if seq in self._local_seqs:
                self._local_seqs.discard(seq)
                return True
            return False

    def forget_local_before(self, seq: int) -> None:
        with self._lock:
            self._local_seqs = {s for s in self._local_seqs if s > seq}
