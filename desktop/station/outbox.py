"""The outbox: store-and-forward submission of CAR transactions.

A submission is written to the station's database (the EBTS bytes, its TCN, status queued)
before anything is sent, in the same database transaction that moves the booking to "queued".
`send_due` then sends what is due; while the backend is down each attempt is pushed back
(exponential back-off). A TCN is made once, stored, and reused for every resend: the backend
de-duplicates on it, so a crash between "sent" and "recorded as sent" leads to a resend that the
backend recognises ("duplicate") rather than a second search. Nothing here needs the process to
stay alive: the state is the database row.

Each submission carries the audit log's current head (X-Audit-Head), which the backend keeps:
the anchor that lets `audit verify` see a rewritten or cut log (audit.py). Between submissions,
`anchor_audit_head` sends the head when it moved, at most once a minute.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

import ebts
from desktop.station.audit import AuditHead, AuditLog
from desktop.station.booking_state import IN_FLIGHT, BookingState, booking_state
from desktop.station.bookings import Bookings
from desktop.station.config import Config
from desktop.station.db import Store
from desktop.station.ebts_import import with_kept
from desktop.station.events import EventHub
from desktop.station.messages import CodedError, Recorded, StationError, ebts_problem
from desktop.station.models import Booking, BookingStatus, Transaction, TransactionStatus, utcnow
from desktop.station.outbox_client import BackendClient, BackendRejected, BackendUnavailable
from desktop.station.outbox_submission import submission_for

log = logging.getLogger(__name__)

ANCHOR_EVERY = timedelta(minutes=1)
FIRST_RETRY = timedelta(seconds=2)
LONGEST_WAIT = timedelta(minutes=5)
ACTOR = "outbox"


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 2 s, 4 s, 8 s, … capped at 5 minutes."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


@dataclass(frozen=True)
class OutboxItem:
    """One submission as the UI shows it."""

    tcn: str
    booking_id: int
    status: TransactionStatus
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None
    problem: Recorded | None  # why the last attempt did not go through


class Outbox:
    def __init__(
        self, store: Store, audit: AuditLog, bookings: Bookings, config: Callable[[], Config]
    ) -> None:
        self._store = store
        self._audit = audit
        self._bookings = bookings
        self._config = config
        self._anchored: tuple[AuditHead, datetime] | None = None  # the last head the backend kept

    @property
    def events(self) -> EventHub:
        """Where "submission.queued" and "submission.retry" are published (the worker wakes on them)."""
        return self._audit.events_hub

    # --- queueing -----------------------------------------------------------------------------
    def enqueue(self, booking_id: int, *, actor: str) -> str:
        """Build the booking's CAR and queue it; returns its TCN. Building fails with a UserError
        naming the problem, and then nothing is queued."""
        ori = self._config().agency_ori
        now = utcnow()
        tcn = ebts.new_tcn(ori, now)
        with self._store.session() as s:
            booking = s.get(Booking, booking_id)
            if booking is None:
                raise StationError("booking.unknown", id=booking_id)
            waiting = s.scalars(
                select(Transaction.tcn).where(
                    Transaction.booking_id == booking_id,
                    Transaction.status.in_([TransactionStatus.QUEUED.value, TransactionStatus.SENT.value]),
                )
            ).first()
            if waiting:
                raise StationError("outbox.waiting", booking=booking.number, tcn=waiting)
            submission = submission_for(s, booking, ori=ori, tcn=tcn, created=now)
            try:
                # An imported booking's CAR also carries what the booking has no place for.
                data = with_kept(s, booking_id, ebts.build_car(submission))
            except (ValueError, ebts.wsq.WSQError) as exc:
                raise StationError("outbox.build-failed", booking=booking.number, detail=str(exc)) from None
            problems = ebts.validate(ebts.parse(data))
            if problems:
                log.warning(
                    "booking %s fails EBTS validation: %s", booking.number, "; ".join(map(str, problems))
                )
                found = [ebts_problem(p) for p in problems[:8]]
                raise StationError("outbox.invalid", booking=booking.number, blockers=found)
            s.add(Transaction(tcn=tcn, booking_id=booking_id, ebts=data, status=TransactionStatus.QUEUED.value,
                              attempts=0, next_attempt_at=now, created_at=now))  # fmt: skip
            self._bookings.set_status(booking_id, BookingStatus.QUEUED, actor=actor, session=s)
            self._audit.append(actor, "submission.queued", f"booking:{booking.number}",
                               {"tcn": tcn, "bytes": len(data)}, session=s)  # fmt: skip
        return tcn

    # --- sending ------------------------------------------------------------------------------
    def send_due(self, client: BackendClient, now: datetime | None = None) -> int:
        """Send every queued submission whose time has come; returns how many the backend accepted.
        Stops at the first `BackendUnavailable` (the others would fail the same way)."""
        accepted = 0
        for tcn in self._due(now or utcnow()):
            with self._store.session() as s:
                row = s.scalars(select(Transaction).where(Transaction.tcn == tcn)).one()
                if row.status != TransactionStatus.QUEUED.value:
                    continue  # answered or sent meanwhile (a response can arrive before we record "sent")
                data, booking_id = row.ebts, row.booking_id
            head = self._audit.head()
            try:
                answer = client.submit(data, audit_head=head)
            except BackendUnavailable as exc:
                self._record_failure(tcn, exc)
                break
            except BackendRejected as exc:
                self._record_rejection(tcn, booking_id, exc)
                continue
            self._anchored = (head, utcnow())
            self._record_sent(tcn, booking_id, answer.duplicate)
            accepted += 1
        return accepted

    def anchor_audit_head(self, client: BackendClient, ori: str, now: datetime | None = None) -> bool:
        """Send the audit head to the backend when it moved since the last one it kept, at most once
        every ANCHOR_EVERY; True when it was sent."""
        now = now or utcnow()
        head = self._audit.head()
        if head.sequence == 0 or (self._anchored and self._anchored[0] == head):
            return False
        if self._anchored and now - self._anchored[1] < ANCHOR_EVERY:
            return False
        try:
            client.anchor_audit_head(ori, head)
        except BackendRejected as exc:  # not worth stopping submissions for; said in the log
            log.warning("the backend did not keep the audit head: %s", exc)
            return False
        self._anchored = (head, now)
        return True

    def next_due(self) -> datetime | None:
        """When the earliest queued submission is due (None when nothing is queued)."""
        with self._store.session() as s:
            return s.scalars(
                select(Transaction.next_attempt_at)
                .where(Transaction.status == TransactionStatus.QUEUED.value)
                .order_by(Transaction.next_attempt_at)
            ).first()

    def retry_now(self, tcn: str, *, actor: str) -> None:
        """The clerk asks for an immediate attempt (e.g. after the network came back)."""
        with self._store.session() as s:
            row = s.scalars(select(Transaction).where(Transaction.tcn == tcn)).one_or_none()
            if row is None or row.status != TransactionStatus.QUEUED.value:
                raise StationError("outbox.not-waiting", tcn=tcn)
            row.next_attempt_at = utcnow()
            self._audit.append(actor, "submission.retry", f"tcn:{tcn}", session=s)

    # --- reading ------------------------------------------------------------------------------
    def for_booking(self, booking_id: int) -> list[OutboxItem]:
        with self._store.session() as s:
            rows = s.scalars(
                select(Transaction).where(Transaction.booking_id == booking_id).order_by(Transaction.id)
            ).all()
            return [_item(r) for r in rows]

    def in_flight(self) -> dict[BookingState, int]:
        """How many submissions are on their way, by state (waiting to be sent, awaiting an answer)."""
        counts = dict.fromkeys(IN_FLIGHT, 0)
        open_statuses = [TransactionStatus.QUEUED.value, TransactionStatus.SENT.value]
        with self._store.session() as s:
            rows = s.execute(
                select(Booking.status, Transaction.status)
                .join(Booking, Transaction.booking_id == Booking.id)
                .where(Transaction.status.in_(open_statuses))
            ).all()
        for booking_status, status in rows:
            counts[booking_state(BookingStatus(booking_status), TransactionStatus(status))] += 1
        return counts

    def pending(self) -> list[OutboxItem]:
        with self._store.session() as s:
            rows = s.scalars(
                select(Transaction)
                .where(Transaction.status == TransactionStatus.QUEUED.value)
                .order_by(Transaction.id)
            ).all()
            return [_item(r) for r in rows]

    # --- internals ----------------------------------------------------------------------------
    def _due(self, now: datetime) -> list[str]:
        with self._store.session() as s:
            return list(
                s.scalars(
                    select(Transaction.tcn)
                    .where(
                        Transaction.status == TransactionStatus.QUEUED.value,
                        (Transaction.next_attempt_at.is_(None)) | (Transaction.next_attempt_at <= now),
                    )
                    .order_by(Transaction.next_attempt_at, Transaction.id)
                ).all()
            )

    def _record_failure(self, tcn: str, exc: CodedError) -> None:
        with self._store.session() as s:
            row = s.scalars(select(Transaction).where(Transaction.tcn == tcn)).one()
            row.attempts += 1
            row.problem, row.last_error = exc.message.stored(), None
            row.next_attempt_at = utcnow() + backoff(row.attempts)
        log.info("submission %s not sent (attempt %d): %s", tcn, row.attempts, exc)

    def _record_rejection(self, tcn: str, booking_id: int, exc: CodedError) -> None:
        error = str(exc)
        with self._store.session() as s:
            row = s.scalars(select(Transaction).where(Transaction.tcn == tcn)).one()
            row.attempts += 1
            row.status = TransactionStatus.FAILED.value
            row.problem, row.last_error = exc.message.stored(), None
            row.next_attempt_at = None
            number = s.get(Booking, booking_id).number
            self._audit.append(ACTOR, "submission.refused", f"booking:{number}", {"tcn": tcn, "error": error},
                               session=s)  # fmt: skip
        log.warning("submission %s refused by the backend: %s", tcn, error)

    def _record_sent(self, tcn: str, booking_id: int, duplicate: bool) -> None:
        with self._store.session() as s:
            row = s.scalars(select(Transaction).where(Transaction.tcn == tcn)).one()
            if row.status != TransactionStatus.QUEUED.value:
                return
            row.attempts += 1
            row.status = TransactionStatus.SENT.value
            row.sent_at = utcnow()
            row.problem = row.last_error = None
            row.next_attempt_at = None
            booking = s.get(Booking, booking_id)
            if booking.status == BookingStatus.QUEUED.value:
                self._bookings.set_status(booking_id, BookingStatus.SENT, actor=ACTOR, session=s)
            self._audit.append(ACTOR, "submission.sent", f"booking:{booking.number}",
                               {"tcn": tcn, "duplicate": duplicate}, session=s)  # fmt: skip


def _item(row: Transaction) -> OutboxItem:
    return OutboxItem(row.tcn, row.booking_id, TransactionStatus(row.status), row.attempts, row.created_at,
                      row.sent_at, row.next_attempt_at, Recorded.of(row.problem, row.last_error))  # fmt: skip
