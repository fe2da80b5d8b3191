"""The audit log: append-only and hash-chained.

Each event stores the hash of the event before it; its own hash covers its sequence number, time,
actor, action, subject, details (canonical JSON: sorted keys, no spaces, UTF-8) and that previous
hash. Changing, removing or reordering any event breaks the chain at that event, and `verify`
names the first one that does not fit. Appenders lock the one-row `audit_head` table first, so
two processes writing at once still make one chain.

Record an event in the same database transaction as the change it describes (`append(..., session=s)`),
so there is never a change without its event or an event without its change. Once that transaction
commits, the event is published on the station's `EventHub` (events.py): this is how every service
tells the views and the other services what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop.station.db import Store
from desktop.station.events import Event as Published
from desktop.station.events import EventHub
from desktop.station.models import AuditEvent, AuditHead, utcnow

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _event_hash(
    seq: int, at: dt.datetime, actor: str, action: str, subject: str, details_json: str, prev: str
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": json.loads(details_json),
            "prev": prev,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Event:
    seq: int
    at: dt.datetime
    actor: str
    action: str
    subject: str
    details: Mapping[str, Any]


@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    first_bad_seq: int | None = None
    reason: str = ""
    head_hash: str = ""  # the last event's hash: note it elsewhere to detect a cut-off tail later

    def __str__(self) -> str:
        if self.ok:
            return f"audit log intact: {self.count} events, chain verified; head {self.head_hash}"
        return f"audit log TAMPERED at event {self.first_bad_seq}: {self.reason}"


class AuditLog:
    def __init__(self, store: Store, events: EventHub | None = None) -> None:
        self._store = store
        self.events_hub = events or EventHub()

    def append(
        self,
        actor: str,
        action: str,
        subject: str = "",
        details: Mapping[str, Any] | None = None,
        *,
        session: Session | None = None,
    ) -> int:
        """Add one event; returns its sequence number. Pass `session` to join the caller's transaction."""
        if session is None:
            with self._store.session() as own:
                return self._append(own, actor, action, subject, details or {})
        return self._append(session, actor, action, subject, details or {})

    def _append(self, s: Session, actor: str, action: str, subject: str, details: Mapping[str, Any]) -> int:
        # The UPDATE takes the write lock (SQLite) or the row lock (PostgreSQL) before we read the tip.
        bumped = s.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1)).rowcount
        if not bumped:
            s.add(AuditHead(id=1, seq=1, hash=GENESIS))
            s.flush()
        head = s.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
        s.refresh(head)
        details_json = canonical_json(dict(details))
        at = utcnow()
        digest = _event_hash(head.seq, at, actor, action, subject, details_json, head.hash)
        s.add(
            AuditEvent(
                seq=head.seq,
                at=at,
                actor=actor,
                action=action,
                subject=subject,
                details_json=details_json,
                prev_hash=head.hash,
                hash=digest,
            )
        )
        head.hash = digest
        s.flush()
        self.events_hub.publish_after_commit(
            s, Published(action, subject, dict(details), actor, head.seq, at, local=True)
        )
        return head.seq

    def events(self, *, limit: int = 500, before_seq: int | None = None, text: str = "") -> Sequence[Event]:
        """Newest first; `text` filters on actor, action or subject."""
        query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
        if before_seq is not None:
            query = query.where(AuditEvent.seq < before_seq)
        if text:
            pattern = f"%{text}%"
            query = query.where(
                AuditEvent.actor.ilike(pattern)
                | AuditEvent.action.ilike(pattern)
                | AuditEvent.subject.ilike(pattern)
            )
        with self._store.session() as s:
            rows = s.execute(query).scalars().all()
            return [
                Event(r.seq, r.at, r.actor, r.action, r.subject, json.loads(r.details_json)) for r in rows
            ]

    def verify(self) -> Verification:
        """Walk the chain from the start; report the first event that does not fit."""
        prev = GENESIS
        expected_seq = 1
        count = 0
        with self._store.session() as s:
            for row in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
                count += 1
                if row.seq != expected_seq:
                    what = "missing" if row.seq > expected_seq else "out of order"
                    return Verification(
                        False, count, expected_seq if row.seq > expected_seq else row.seq,
                        f"expected event {expected_seq} here but found {row.seq} (events {what})",
                    )  # fmt: skip
                if row.prev_hash != prev:
                    return Verification(False, count, row.seq, "does not follow the event before it")
                try:
                    digest = _event_hash(
                        row.seq, row.at, row.actor, row.action, row.subject, row.details_json, row.prev_hash
                    )
                except (ValueError, TypeError):
                    digest = ""
                if digest != row.hash:
                    return Verification(False, count, row.seq, "its content was changed after it was written")
                prev = row.hash
                expected_seq += 1
            head = s.get(AuditHead, 1)
            if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
                return Verification(
                    False, count, expected_seq,
                    f"the log ends at event {expected_seq - 1} but {head.seq} were written (events removed at the end)",
                )  # fmt: skip
        return Verification(True, count, head_hash=prev)
