"""Claims a detainee makes against a detainer: that they are a U.S. citizen, or the victim of a crime.

The clerk records the claim with what the person said (`claim.recorded`); it is written to the
station's database first and sent to ICE's Law Enforcement Support Center by the station's duties
(`send_due`, beside the outbox: store-and-forward, retried with the outbox's back-off, the claim's
id making a resend harmless). ICE answers in the mailbox like any other response
(`CLAIM_CITIZEN` / `CLAIM_VICTIM`, docs/backend-api.md): withdrawn, refused or pending
(`claim.outcome`). A withdrawal also cancels the detainer; until one arrives the clock keeps
running, whatever was claimed.
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from desktop.station.audit import AuditLog
from desktop.station.db import Store
from desktop.station.detainers.tables import DetainerClaim
from desktop.station.messages import CodedError, Recorded, StationError
from desktop.station.models import Booking, Detainer, DetainerStatus, utcnow
from desktop.station.outbox import backoff
from desktop.station.outbox_client import BackendClient, BackendRejected, BackendUnavailable

log = logging.getLogger(__name__)

ACTOR = "outbox"
STATEMENT_LIMIT = 2000


class ClaimKind(enum.StrEnum):
    CITIZEN = "citizen"  # says they are a United States citizen
    VICTIM = "victim"  # says they are the victim of a crime


class ClaimOutcome(enum.StrEnum):
    WITHDRAWN = "withdrawn"  # ICE withdrew the detainer
    REFUSED = "refused"  # ICE reviewed the claim and keeps the detainer
    PENDING = "pending"  # ICE has not decided; the detainer stands meanwhile


class ClaimStatus(enum.StrEnum):
    QUEUED = "queued"  # recorded, not yet received by ICE
    SENT = "sent"  # ICE has it, under review
    DECIDED = "decided"  # ICE's answer arrived (`outcome`)
    REJECTED = "rejected"  # ICE's system refused the request itself (`problem`): call LESC


# A later answer replaces an earlier one only when it goes further: "pending" is followed by a
# decision, a refusal may be reconsidered into a withdrawal, a withdrawal is final. A message
# delivered again (a replay after a crash) never takes a claim back.
_FINALITY = {ClaimOutcome.PENDING: 0, ClaimOutcome.REFUSED: 1, ClaimOutcome.WITHDRAWN: 2}


def supersedes(new: ClaimOutcome | str, recorded: ClaimOutcome | str | None) -> bool:
    """Whether ICE's answer `new` changes a claim whose recorded outcome is `recorded`."""
    return recorded is None or _FINALITY[ClaimOutcome(new)] > _FINALITY[ClaimOutcome(recorded)]


# The mailbox kind of ICE's answer to each kind of claim.
RESPONSE_KINDS = {ClaimKind.CITIZEN: "CLAIM_CITIZEN", ClaimKind.VICTIM: "CLAIM_VICTIM"}


@dataclass(frozen=True)
class ClaimView:
    id: int
    claim_id: str
    kind: ClaimKind
    statement: str
    recorded_at: datetime
    recorded_by: str
    status: ClaimStatus
    attempts: int
    problem: Recorded | None  # why it was not sent, or why ICE's system refused it
    outcome: ClaimOutcome | None
    outcome_at: datetime | None
    outcome_reason: str | None


class Claims:
    def __init__(self, store: Store, audit: AuditLog, subject: Callable[[str], str]) -> None:
        self._store = store
        self._audit = audit
        self._subject = subject  # the audit subject of a detainer: "detainer:<id>"

    # --- the clerk ----------------------------------------------------------------------------
    def record(self, detainer_pk: int, kind: ClaimKind | str, statement: str, *, actor: str) -> ClaimView:
        """Record a claim with what the person said; it goes to ICE with the station's duties."""
        try:
            kind = ClaimKind(kind)
        except ValueError:
            raise StationError("claim.kind", value=str(kind)) from None
        statement = statement.strip()
        if not statement:
            raise StationError("claim.statement")
        if len(statement) > STATEMENT_LIMIT:
            raise StationError("claim.statement-length", limit=STATEMENT_LIMIT, length=len(statement))
        with self._store.session() as s:
            detainer = s.get(Detainer, detainer_pk)
            if detainer is None:
                raise StationError("detainer.unknown", id=detainer_pk)
            if detainer.status not in (DetainerStatus.ACTIVE.value, DetainerStatus.LAPSED.value):
                raise StationError("claim.closed", detainer=detainer.detainer_id)
            earlier = s.scalars(
                select(DetainerClaim).where(
                    DetainerClaim.detainer_pk == detainer_pk, DetainerClaim.kind == kind.value
                )
            ).first()
            if earlier is not None:
                raise StationError("claim.already", detainer=detainer.detainer_id)
            now = utcnow()
            row = DetainerClaim(
                claim_id=str(uuid.uuid4()),
                detainer_pk=detainer_pk,
                kind=kind.value,
                statement=statement,
                recorded_at=now,
                recorded_by=actor,
                status=ClaimStatus.QUEUED.value,
                attempts=0,
                next_attempt_at=now,
            )
            s.add(row)
            s.flush()
            booking = s.get(Booking, detainer.booking_id)
            self._audit.append(actor, "claim.recorded", self._subject(detainer.detainer_id), {
                "kind": kind.value, "statement": statement, "claim_id": row.claim_id,
                "booking": booking.number if booking else None,
            }, session=s)  # fmt: skip
            return _view(row)

    # --- the station's duties -------------------------------------------------------------------
    def send_due(self, client: BackendClient, ori: str, now: datetime | None = None) -> int:
        """Send every recorded claim whose time has come; returns how many ICE received.
        Stops at the first `BackendUnavailable` (the others would fail the same way)."""
        now = now or utcnow()
        with self._store.session() as s:
            due = s.execute(
                select(DetainerClaim.id, DetainerClaim.claim_id, DetainerClaim.kind,
                       DetainerClaim.statement, DetainerClaim.recorded_at, Detainer.detainer_id)
                .join(Detainer, Detainer.id == DetainerClaim.detainer_pk)
                .where(DetainerClaim.status == ClaimStatus.QUEUED.value,
                       DetainerClaim.next_attempt_at <= now)
                .order_by(DetainerClaim.id)
            ).all()  # fmt: skip
        received = 0
        for pk, claim_id, kind, statement, recorded_at, detainer_id in due:
            body = {
                "claim_id": claim_id,
                "detainer_id": detainer_id,
                "kind": kind,
                "statement": statement,
                "claimed_at": recorded_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            try:
                answer = client.send_claim(ori, body)
            except BackendUnavailable as exc:
                self._failed(pk, exc, give_up=False)
                break
            except BackendRejected as exc:
                self._failed(pk, exc, give_up=True)
                continue
            self._sent(pk, answer)
            received += 1
        return received

    def next_due(self) -> datetime | None:
        with self._store.session() as s:
            return s.scalars(
                select(DetainerClaim.next_attempt_at)
                .where(DetainerClaim.status == ClaimStatus.QUEUED.value)
                .order_by(DetainerClaim.next_attempt_at)
            ).first()

    def on_decision(self, document: dict) -> str | None:
        """ICE's answer from the mailbox; records each outcome once (a decision after "pending" too,
        see `supersedes`). Returns the detainer id when the answer withdrew the detainer (the
        caller cancels it), else None."""
        claim_id = str(document["claim_id"])
        outcome = ClaimOutcome(document["outcome"])
        at = datetime.fromisoformat(document["decided_at"])
        reason = str(document.get("reason", ""))
        with self._store.session() as s:
            row = s.scalars(select(DetainerClaim).where(DetainerClaim.claim_id == claim_id)).first()
            if row is None:
                self._audit.append(ACTOR, "claim.unmatched", f"claim:{claim_id}",
                                   {"outcome": outcome.value, "detainer_id": document.get("detainer_id")},
                                   session=s)  # fmt: skip
                return None
            detainer = s.get(Detainer, row.detainer_pk)
            if supersedes(outcome, row.outcome):
                row.status = ClaimStatus.DECIDED.value
                row.outcome, row.outcome_at, row.outcome_reason = outcome.value, at, reason
                row.next_attempt_at = None
                booking = s.get(Booking, detainer.booking_id)
                self._audit.append(ACTOR, "claim.outcome", self._subject(detainer.detainer_id), {
                    "kind": row.kind, "outcome": outcome.value, "reason": reason, "claim_id": claim_id,
                    "decided_at": at.isoformat(), "booking": booking.number if booking else None,
                }, session=s)  # fmt: skip
            return detainer.detainer_id if outcome is ClaimOutcome.WITHDRAWN else None

    # --- reading --------------------------------------------------------------------------------
    def for_detainer(self, s, detainer_pk: int) -> tuple[ClaimView, ...]:
        """The detainer's claims, oldest first (inside the caller's session)."""
        rows = s.scalars(
            select(DetainerClaim).where(DetainerClaim.detainer_pk == detainer_pk).order_by(DetainerClaim.id)
        ).all()
        return tuple(_view(r) for r in rows)

    def undecided(self, claim_id: str) -> bool:
        with self._store.session() as s:
            row = s.scalars(select(DetainerClaim).where(DetainerClaim.claim_id == claim_id)).first()
            return row is not None and row.status != ClaimStatus.DECIDED.value

    # --- internals ------------------------------------------------------------------------------
    def _sent(self, pk: int, answer: dict) -> None:
        with self._store.session() as s:
            row = s.get(DetainerClaim, pk)
            if row.status != ClaimStatus.QUEUED.value:
                return  # the decision arrived first
            row.status, row.sent_at, row.next_attempt_at = ClaimStatus.SENT.value, utcnow(), None
            row.problem = row.last_error = None
            row.attempts += 1
            detainer = s.get(Detainer, row.detainer_pk)
            self._audit.append(ACTOR, "claim.sent", self._subject(detainer.detainer_id), {
                "kind": row.kind, "claim_id": row.claim_id,
                "duplicate": bool(answer.get("duplicate", False)),
                "decision_due_at": answer.get("decision_due_at"),
            }, session=s)  # fmt: skip

    def _failed(self, pk: int, exc: CodedError, *, give_up: bool) -> None:
        """Not received: retry later (backend away) or, when ICE refused the request itself, stop
        retrying and say so (the clerk must call LESC)."""
        with self._store.session() as s:
            row = s.get(DetainerClaim, pk)
            error = str(exc)
            row.attempts += 1
            row.problem, row.last_error = exc.message.stored(), None
            detainer = s.get(Detainer, row.detainer_pk)
            if give_up:
                row.status, row.next_attempt_at = ClaimStatus.REJECTED.value, None
                self._audit.append(ACTOR, "claim.rejected", self._subject(detainer.detainer_id),
                                   {"kind": row.kind, "claim_id": row.claim_id, "error": error[:500]},
                                   session=s)  # fmt: skip
            else:
                row.next_attempt_at = utcnow() + backoff(row.attempts)
        log.info("claim %s not sent: %s", pk, exc)


def _view(row: DetainerClaim) -> ClaimView:
    return ClaimView(
        id=row.id,
        claim_id=row.claim_id,
        kind=ClaimKind(row.kind),
        statement=row.statement,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        status=ClaimStatus(row.status),
        attempts=row.attempts,
        problem=Recorded.of(row.problem, row.last_error),
        outcome=ClaimOutcome(row.outcome) if row.outcome else None,
        outcome_at=row.outcome_at,
        outcome_reason=row.outcome_reason,
    )
