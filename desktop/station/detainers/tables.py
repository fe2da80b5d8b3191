"""The tables of the detainee's copies and of the claims a detainee makes (filled by service.py and
claims.py). Kept apart from the services so that models.py can register them without importing
the station's services.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from desktop.station.models import Base, UTCDateTime, _sealed_text, utcnow


class DetainerCopy(Base):
    """One copy of the notice that was really made: the print job was accepted, or the PDF was
    written and read back with the same SHA-256. Made is not served: see `DetainerService`."""

    __tablename__ = "detainer_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    detainer_pk: Mapped[int] = mapped_column(ForeignKey("detainers.id"), index=True)
    language: Mapped[str] = mapped_column(String(35))  # the written copy's language (a rights code)
    how: Mapped[str] = mapped_column(String(8))  # print | save
    sha256: Mapped[str] = mapped_column(String(64))
    file: Mapped[str | None] = mapped_column(Text)  # the saved file's path
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    made_by: Mapped[str] = mapped_column(String(64))


class DetainerService(Base):
    """The hand-over of a copy, as the clerk recorded it: handed to the person, read to them by an
    interpreter (in person or by telephone), or refused. Only this makes a copy served.

    `language` is the language the notice was given in: the copy's own, or a language with no
    written copy in which an interpreter read it (K'iche', Mam, …)."""

    __tablename__ = "detainer_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    copy_id: Mapped[int] = mapped_column(ForeignKey("detainer_copies.id"), index=True)
    language: Mapped[str] = mapped_column(String(35))
    method: Mapped[str] = mapped_column(String(24))  # a HandOver value
    # The interpreter's name or ID number, sealed at rest like every name the station keeps.
    interpreter: Mapped[str] = mapped_column(_sealed_text("detainer_services.interpreter"), default="")
    served_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    served_by: Mapped[str] = mapped_column(String(64))


class DetainerClaim(Base):
    """A claim the person made (a U.S. citizen, a victim of a crime), sent to ICE's LESC and answered.

    Written before anything is sent, like a submission: the sender retries until the backend has
    it (`claim_id` makes a resend harmless); ICE's decision arrives in the mailbox."""

    __tablename__ = "detainer_claims"
    __table_args__ = (UniqueConstraint("claim_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[str] = mapped_column(String(36))  # the station's id for it, sent to the backend
    detainer_pk: Mapped[int] = mapped_column(ForeignKey("detainers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # citizen | victim
    # What the person said, as the clerk wrote it (criminal-justice information: sealed at rest).
    statement: Mapped[str] = mapped_column(_sealed_text("detainer_claims.statement"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)  # queued | sent | decided
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Why ICE's system did not take it, as a message code; `last_error`: English, rows before 0009.
    # Both sealed (0010): a problem's parameters can quote what the person said or the booking.
    problem: Mapped[dict | None] = mapped_column(_sealed_text("detainer_claims.problem", "json"))
    last_error: Mapped[str | None] = mapped_column(_sealed_text("detainer_claims.last_error"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(12))  # withdrawn | refused | pending
    outcome_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome_reason: Mapped[str | None] = mapped_column(_sealed_text("detainer_claims.outcome_reason"))
