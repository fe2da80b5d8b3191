"""ICE's review of a detainee's claim: a U.S. citizen, or the victim of a crime (docs/backend-api.md).

A station sends the claim (`POST /v1/claims/{ori}`, idempotent on the station's `claim_id`) for a
detainer lodged with its agency. The claim is kept (the statement encrypted at rest like every
other criminal-justice value) with the time its review ends (`claim_review_seconds` of the ICE
policy); `ClaimReviewer` then decides it under the policy's stated rule (backend.policy.review_claim:
by default a U.S. place of birth in the booking withdraws the detainer) and posts the decision to the
jail's mailbox (CLAIM_CITIZEN or CLAIM_VICTIM). A withdrawal also cancels the detainer (a
DETAINER_CANCEL follows, as for any cancellation). Decisions survive a restart: a claim still under
review is decided at the next start, never twice.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel, Field
from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from backend import lesc, mailbox
from backend._access import require_own_ori
from backend._db import Base, Detainer, Transaction, _UtcDateTime, iso, utcnow
from backend.policy import review_claim
from booking_station.pki import Identity  # noqa: TC001 (FastAPI reads the route's annotations)
from booking_station.sealed_columns import SealedText

if TYPE_CHECKING:
    from backend.service import Service

log = logging.getLogger("backend.claims")

KINDS = {"citizen": "CLAIM_CITIZEN", "victim": "CLAIM_VICTIM"}  # the claim -> its answer's message kind


class Claim(Base):
    """A claim as received, and ICE's decision once made."""

    __tablename__ = "claims"
    # One claim of each kind per detainer: its answer is one mailbox message per (TCN, kind).
    __table_args__ = (UniqueConstraint("detainer_id", "kind", name="uq_claims_detainer_kind"),)
    claim_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ori: Mapped[str] = mapped_column(String(9), index=True)
    tcn: Mapped[str] = mapped_column(String(40))
    detainer_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(12))
    statement: Mapped[str] = mapped_column(SealedText("backend:claims.statement"))
    claimed_at: Mapped[str] = mapped_column(String(40))  # as the station sent it (ISO 8601)
    received_at: Mapped[datetime] = mapped_column(_UtcDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(_UtcDateTime, index=True)
    status: Mapped[str] = mapped_column(String(16), default="under_review")  # under_review | decided
    outcome: Mapped[str | None] = mapped_column(String(12), nullable=True)
    reason: Mapped[str | None] = mapped_column(SealedText("backend:claims.reason"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(_UtcDateTime, nullable=True)


class ClaimIn(BaseModel):
    claim_id: str = Field(
        pattern=r"^[0-9a-fA-F-]{8,36}$", description="the station's id for the claim (a UUID)"
    )
    detainer_id: str = Field(min_length=1, max_length=36)
    kind: str = Field(pattern="^(citizen|victim)$", description="citizen | victim")
    statement: str = Field(min_length=1, max_length=2000, description="what the person said")
    claimed_at: str = Field(max_length=40, description="when the clerk recorded it (ISO 8601)")


class ClaimAnswer(BaseModel):
    claim_id: str
    status: str = Field(description="under_review | decided")
    decision_due_at: str = Field(description="when ICE's review ends and its decision is posted (ISO UTC)")
    duplicate: bool = Field(description="true when this claim id was received before")


def routes(service: Service, as_station, errors: dict) -> APIRouter:  # type: ignore[no-untyped-def]
    router = APIRouter()

    @router.post(
        "/v1/claims/{ori}",
        status_code=202,
        response_model=ClaimAnswer,
        responses={
            404: {"description": "no detainer of this agency has this id"},
            409: {"description": "a claim of this kind on this detainer was already received (another id)"},
            **errors,
        },
    )
    def post_claim(
        body: ClaimIn,
        ori: str = Path(..., pattern=r"^[A-Za-z0-9]{9}$"),
        station: Identity = as_station,
    ) -> dict:
        """A detainee's claim for ICE's review; the decision comes in the mailbox."""
        return receive(service, require_own_ori(station, ori), body)

    return router


def receive(service: Service, ori: str, body: ClaimIn) -> dict:
    """Keep the claim for review; idempotent on its id. Raises HTTPException 404/409."""
    store = service.store
    with store.session() as s:
        existing = s.get(Claim, body.claim_id)
        if existing is not None:
            if existing.ori != ori or existing.detainer_id != body.detainer_id or existing.kind != body.kind:
                raise HTTPException(409, f"claim id {body.claim_id} was already used for another claim")
            return _answer(existing, duplicate=True)
        detainer = s.get(Detainer, body.detainer_id)
        if detainer is None or detainer.ori != ori:
            raise HTTPException(404, f"no detainer {body.detainer_id} was lodged with agency {ori}")
        other = s.scalars(
            select(Claim).where(Claim.detainer_id == body.detainer_id, Claim.kind == body.kind)
        ).first()
        if other is not None:
            raise HTTPException(
                409,
                f"a {body.kind} claim on detainer {body.detainer_id} was already received (claim "
                f"{other.claim_id}); give ICE more information by telephone at {lesc.LESC_PHONE}",
            )
        now = utcnow()
        claim = Claim(
            claim_id=body.claim_id, ori=ori, tcn=detainer.tcn, detainer_id=body.detainer_id, kind=body.kind,
            statement=body.statement, claimed_at=body.claimed_at, received_at=now,
            due_at=now + timedelta(seconds=service.policy.claim_review_seconds),
        )  # fmt: skip
        s.add(claim)
        s.flush()
        answer = _answer(claim, duplicate=False)
    store.log("claim received", f"{body.kind} claim {body.claim_id} on detainer {body.detainer_id}",
              tcn=claim.tcn, ori=ori)  # fmt: skip
    service.claims.wake()
    return answer


def _answer(claim: Claim, *, duplicate: bool) -> dict:
    return {
        "claim_id": claim.claim_id,
        "status": claim.status,
        "decision_due_at": iso(claim.due_at),
        "duplicate": duplicate,
    }


def place_of_birth(service: Service, tcn: str) -> str | None:
    """The booking's place of birth (2.020 POB) in the submission the detainer answers."""
    from ebts import ParseError, parse

    with service.store.session() as s:
        body = s.scalars(select(Transaction.body).where(Transaction.tcn == tcn)).first()
    if body is None:
        return None
    try:
        demographics = parse(body).first(2)
    except ParseError:
        return None
    return demographics.get(20) if demographics is not None else None


class ClaimReviewer:
    """Decides each claim when its review time has come, and posts the decision."""

    def __init__(self, service: Service) -> None:
        self._service = service
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="claims", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=10)

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        service = self._service
        while not service.stopping.is_set():
            wait = 30.0
            try:
                self.review_due()
                due = self.next_due()
                if due is not None:
                    wait = min(wait, max((due - utcnow()).total_seconds(), 0.05))
            except Exception:  # never ends the thread: the claim stays under review, retried
                log.exception("claim review round failed")
                wait = 2.0
            self._wake.wait(wait)
            self._wake.clear()

    def next_due(self) -> datetime | None:
        with self._service.store.session() as s:
            return s.scalars(
                select(Claim.due_at).where(Claim.status == "under_review").order_by(Claim.due_at)
            ).first()

    def review_due(self, now: datetime | None = None) -> int:
        """Decide every claim whose review has ended; returns how many were decided."""
        service = self._service
        now = now or utcnow()
        with service.store.session() as s:
            due = s.scalars(
                select(Claim)
                .where(Claim.status == "under_review", Claim.due_at <= now)
                .order_by(Claim.due_at)
            ).all()
            claims = [
                {
                    "claim_id": c.claim_id,
                    "detainer_id": c.detainer_id,
                    "tcn": c.tcn,
                    "ori": c.ori,
                    "kind": c.kind,
                }
                for c in due
            ]
        for claim in claims:
            self._decide(claim, now)
        return len(claims)

    def _decide(self, claim: dict, now: datetime) -> None:
        service = self._service
        store = service.store
        pob = place_of_birth(service, claim["tcn"]) if claim["kind"] == "citizen" else None
        outcome, reason = review_claim(service.policy, claim["kind"], pob)
        document = lesc.claim_decision(claim, outcome, reason, now)
        # Posted first: a crash before the row is marked posts nothing twice ((TCN, kind) is unique).
        body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        mailbox.post(store, claim["ori"], claim["tcn"], KINDS[claim["kind"]], body, mailbox.JSON_MEDIA_TYPE)
        if outcome == "withdrawn":
            from backend._process import cancel_detainer

            # Already cancelled (by an administrator): nothing more to tell the jail.
            with contextlib.suppress(ValueError):
                cancel_detainer(
                    service, claim["detainer_id"], f"withdrawn after review of the claim: {reason}"
                )
        with store.session() as s:
            row = s.get(Claim, claim["claim_id"])
            row.status, row.outcome, row.reason, row.decided_at = "decided", outcome, reason, now
        store.log("claim decided", f"{claim['kind']} claim {claim['claim_id']}: {outcome}: {reason}",
                  tcn=claim["tcn"], ori=claim["ori"])  # fmt: skip
