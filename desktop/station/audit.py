"""The audit log: append-only, chained with a keyed hash, its head anchored outside the station.

Each event stores the hash of the event before it; its own hash covers its sequence number, time,
actor, action, subject, details (canonical JSON: sorted keys, no spaces, UTF-8) and that previous
hash. The hash is an HMAC-SHA-256 under a key derived from the database's data key (never stored;
see keys.py), so someone who can write the database but does not hold the key-encryption key
cannot recompute the chain after changing an event. Changing, removing or reordering any event
breaks the chain at that event, and `verify` names the first one that does not fit. Appenders lock
the one-row `audit_head` table first, so two processes writing at once still make one chain.

Someone who holds the key too (the station's own account) could rewrite the whole chain, or cut
its newest events off. Against that, the head is anchored outside the station: every submission
carries the current head to the backend, which keeps each one with the time it arrived
(docs/backend-api.md, "Audit anchoring"), and `verify(anchors)` checks the log against them: at
every anchored sequence the log must still have the anchored hash, and it must be at least as long
as the newest anchor says. A log that fails says after which time it was changed.

Logs written before the chain was keyed (plain SHA-256) keep verifying: their events stay as they
are; the migration that introduced the key appended an `audit.keyed` event, the first keyed one,
whose previous hash is the plain chain's head, so the plain part is covered by the keyed chain
from then on. Where the keyed chain starts is kept sealed in `station_keys` (`audit_keyed_from`).

Record an event in the same database transaction as the change it describes (`append(..., session=s)`),
so there is never a change without its event or an event without its change. Once that transaction
commits, the event is published on the station's `EventHub` (events.py): this is how every service
tells the views and the other services what changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from booking_station.sealed_columns import open_text, seal_text, sealer_of
from desktop.station.db import Store
from desktop.station.events import Event as Published
from desktop.station.events import EventHub
from desktop.station.messages import Message, message
from desktop.station.models import AuditEvent, StationKey, utcnow
from desktop.station.models import AuditHead as AuditHeadRow

GENESIS = "0" * 64
KEYED_FROM = "audit_keyed_from"  # station_keys row: the first sequence number of the keyed chain
_KEY_PURPOSE = b"audit chain"


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _body(
    seq: int, at: dt.datetime, actor: str, action: str, subject: str, details_json: str, prev: str
) -> bytes:
    return canonical_json(
        {
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": json.loads(details_json),
            "prev": prev,
        }
    ).encode("utf-8")


def event_hash(key: bytes | None, *fields: Any) -> str:
    """The event's keyed hash (HMAC-SHA-256), or with `key=None` the plain SHA-256 of older logs."""
    body = _body(*fields)
    if key is None:
        return hashlib.sha256(body).hexdigest()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class AuditHead:
    """The chain's tip as anchored at the backend: how many events, the newest keyed hash."""

    sequence: int
    head: str  # 64 lower-case hex digits

    def header(self) -> str:
        """The X-Audit-Head header of a submission (docs/backend-api.md)."""
        return f"{self.sequence}:{self.head}"


class Anchor(Protocol):
    """A head the backend kept (outbox_client.AuditAnchor has these)."""

    sequence: int
    head: str
    anchored_at: str  # ISO 8601 UTC


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
    reason: Message | None = None  # what is wrong with the chain ("audit.*"; the UI words it)
    head_hash: str = ""  # the last event's hash
    anchors_checked: int = 0  # heads kept by the backend that the log was checked against
    anchored_through: int = 0  # the highest sequence an anchor vouches for
    changed_after: dt.datetime | None = None  # the log was as written until then (when known)
    zone: dt.tzinfo = dt.UTC  # the station's: times in the text are shown in it

    def __str__(self) -> str:
        if self.ok:
            anchored = (
                f"; matches the {self.anchors_checked} heads anchored at the backend "
                f"(through event {self.anchored_through})"
                if self.anchors_checked
                else ""
            )
            return f"audit log intact: {self.count} events, chain verified{anchored}; head {self.head_hash}"
        when = (
            f" The log was changed after {local_time(self.changed_after, self.zone)}."
            if self.changed_after
            else ""
        )
        return f"audit log TAMPERED at event {self.first_bad_seq}: {self.reason}.{when}"


def local_time(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """A moment as the station shows times: its local time, with the zone (2026-12-07 10:21:05 EST)."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")


def keyed_from(connection: Connection | Session, dialect) -> int | None:  # type: ignore[no-untyped-def]
    """Where the keyed chain starts; None when the record of it is missing."""
    stored = connection.execute(select(StationKey.value).where(StationKey.name == KEYED_FROM)).scalar()
    if stored is None:
        return None
    try:
        return int(json.loads(open_text(sealer_of(dialect), stored, f"station:{KEYED_FROM}"))["seq"])
    except Exception:  # altered or copied from elsewhere: the verifier reports it
        return None


def record_keyed_from(connection: Connection, seq: int) -> None:
    """Seal and keep where the keyed chain starts (once, by the migration that keys the chain)."""
    value = seal_text(sealer_of(connection.dialect), canonical_json({"seq": seq}), f"station:{KEYED_FROM}")
    connection.execute(StationKey.__table__.insert().values(name=KEYED_FROM, value=value))


def append_event(
    s: Session,
    key: bytes,
    actor: str,
    action: str,
    subject: str,
    details: Mapping[str, Any],
    hub: EventHub | None = None,
) -> int:
    """Append one event in `s`'s transaction, chained with `key`; its sequence number. With `hub`,
    the event is published there once the transaction commits."""
    # The UPDATE takes the write lock (SQLite) or the row lock (PostgreSQL) before we read the tip.
    bumped = s.execute(
        update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=AuditHeadRow.seq + 1)
    ).rowcount
    if not bumped:
        s.add(AuditHeadRow(id=1, seq=1, hash=GENESIS))
        s.flush()
    head = s.execute(select(AuditHeadRow).where(AuditHeadRow.id == 1)).scalar_one()
    s.refresh(head)
    details_json = canonical_json(dict(details))
    at = utcnow()
    digest = event_hash(key, head.seq, at, actor, action, subject, details_json, head.hash)
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
    if hub is not None:
        hub.publish_after_commit(
            s, Published(action, subject, dict(details), actor, head.seq, at, local=True)
        )
    return head.seq


class AuditLog:
    def __init__(self, store: Store, events: EventHub | None = None) -> None:
        self._store = store
        self.events_hub = events or EventHub()
        self._key: bytes | None = None

    @property
    def _chain_key(self) -> bytes:
        if self._key is None:
            self._key = self._store.derived_key(_KEY_PURPOSE)
        return self._key

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
                return append_event(
                    own, self._chain_key, actor, action, subject, details or {}, self.events_hub
                )
        return append_event(session, self._chain_key, actor, action, subject, details or {}, self.events_hub)

    def head(self) -> AuditHead:
        """The chain's tip now (what a submission anchors at the backend)."""
        with self._store.session() as s:
            row = s.get(AuditHeadRow, 1)
            return AuditHead(row.seq, row.hash) if row is not None else AuditHead(0, GENESIS)

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

    def in_period(
        self, since: dt.datetime, until: dt.datetime, actions: Sequence[str] | None = None
    ) -> list[Event]:
        """Events recorded in [since, until), oldest first; only `actions` when given (for reports)."""
        query = (
            select(AuditEvent).where(AuditEvent.at >= since, AuditEvent.at < until).order_by(AuditEvent.seq)
        )
        if actions is not None:
            query = query.where(AuditEvent.action.in_(list(actions)))
        with self._store.session() as s:
            return [
                Event(r.seq, r.at, r.actor, r.action, r.subject, json.loads(r.details_json))
                for r in s.execute(query).scalars()
            ]

    def verify(self, anchors: Sequence[Anchor] = (), zone: dt.tzinfo = dt.UTC) -> Verification:
        """Walk the chain from the start and report the first event that does not fit; then check
        it against the heads anchored at the backend (`anchors`, any order). Times in the result's
        text are given in `zone` (the station's)."""
        return dataclasses.replace(self._verify(anchors, zone), zone=zone)

    def _verify(self, anchors: Sequence[Anchor], zone: dt.tzinfo) -> Verification:
        key = self._chain_key
        prev = GENESIS
        expected_seq = 1
        count = 0
        hashes: dict[int, str] = {}
        times: dict[int, dt.datetime] = {}

        def broken(seq: int, reason: Message) -> Verification:
            return Verification(False, count, seq, reason, changed_after=times.get(seq - 1))

        with self._store.session() as s:
            first_keyed = keyed_from(s, s.get_bind().dialect)
            if first_keyed is None:
                return Verification(False, 0, 1, message("audit.start-missing"))
            for row in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
                count += 1
                if row.seq != expected_seq:
                    missing = row.seq > expected_seq
                    return broken(
                        expected_seq if missing else row.seq,
                        message(
                            "audit.missing" if missing else "audit.out-of-order",
                            expected=expected_seq,
                            found=row.seq,
                        ),
                    )
                if row.prev_hash != prev:
                    return broken(row.seq, message("audit.not-following"))
                try:
                    digest = event_hash(
                        key if row.seq >= first_keyed else None,
                        row.seq, row.at, row.actor, row.action, row.subject, row.details_json, row.prev_hash,
                    )  # fmt: skip
                except (ValueError, TypeError):
                    digest = ""
                if not hmac.compare_digest(digest, row.hash):
                    return broken(row.seq, message("audit.changed"))
                prev = row.hash
                hashes[row.seq], times[row.seq] = row.hash, row.at
                expected_seq += 1
            head = s.get(AuditHeadRow, 1)
            if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
                return broken(expected_seq, message("audit.cut", last=expected_seq - 1, written=head.seq))
        return _check_anchors(count, prev, hashes, times, anchors, zone)


def _check_anchors(
    count: int,
    head: str,
    hashes: Mapping[int, str],
    times: Mapping[int, dt.datetime],
    anchors: Sequence[Anchor],
    zone: dt.tzinfo,
) -> Verification:
    """The locally intact chain against the heads the backend kept: the earliest anchor the log no
    longer matches names where the change starts; the newest anchor it does not match bounds when."""
    ordered = sorted(anchors, key=lambda a: (a.sequence, a.anchored_at))
    if not ordered:
        return Verification(True, count, head_hash=head)
    failed = [a for a in ordered if a.sequence > 0 and hashes.get(a.sequence) != a.head]
    if not failed:
        return Verification(True, count, head_hash=head, anchors_checked=len(ordered),
                            anchored_through=ordered[-1].sequence)  # fmt: skip
    first = failed[0]
    newest = max(failed, key=lambda a: a.anchored_at)
    intact = [a for a in ordered if a.sequence > 0 and a not in failed and a.sequence < first.sequence]
    good_through = intact[-1].sequence if intact else 0
    when = parse_time(newest.anchored_at)
    newest_at = local_time(when, zone) if when else newest.anchored_at
    if first.sequence > count:
        reason = message(
            "audit.removed", start=count + 1, last=first.sequence, anchored=newest_at, count=count
        )
        return Verification(False, count, count + 1, reason, head_hash=head, anchors_checked=len(ordered),
                            anchored_through=good_through, changed_after=when)  # fmt: skip
    reason = message(
        "audit.rewritten", event=first.sequence, good=good_through, start=good_through + 1, anchored=newest_at
    )
    return Verification(False, count, good_through + 1, reason, head_hash=head, anchors_checked=len(ordered),
                        anchored_through=good_through, changed_after=when)  # fmt: skip


def parse_time(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
