"""The station's ORM models: everything a booking accumulates, from demographics to detainers.

Times are stored as UTC and always come back timezone-aware (`UTCDateTime`), whatever the
database. Binary payloads (PNG images, EBTS transactions, response bodies) are kept whole, as
received or produced: nothing is re-encoded on the way in or out. The schema changes only
through Alembic migrations in `desktop/station/migrations/`.

Criminal-justice information is sealed at rest (AES-256-GCM, `booking_station.sealed_columns`;
the data key is in `station_keys`, wrapped by a key kept outside the database: `keys.py`): the
person's identifying fields, charges, fingerprint images, the EBTS transactions (CARs with their
WSQ images, imported files), the responses (rap sheets, detainers) and the clerk's notes on them.
Left clear are what the station routes, sorts and counts by (booking numbers, TCNs, statuses,
times, finger positions, quality scores), none of which names a person. Search by name uses the
keyed index in `name_tokens` (name_index.py).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from booking_station.sealed_columns import Sealed, SealedText

# Deterministic constraint names so migrations work on SQLite (batch mode) and PostgreSQL alike.
_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out; naive datetimes are refused (they are bugs)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


def _sealed(column: str) -> Sealed:
    return Sealed(f"station:{column}")


def _sealed_text(column: str, kind: str = "text") -> SealedText:
    return SealedText(f"station:{column}", kind)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Role(enum.StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    HARDWARE_TESTER = "hardware-tester"


class BookingStatus(enum.StrEnum):
    """What the bookings list shows. Each part moves a booking on through `bookings.set_status`."""

    DRAFT = "draft"
    CAPTURED = "captured"
    QUEUED = "queued"
    SENT = "sent"
    ANSWERED = "answered"
    DETAINER = "detainer"


class Operator(Base):
    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Lock-out after wrong passwords in a row (operators.py), and the password's age and history.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    password_history_json: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class Subject(Base):
    """The arrested person's demographics as entered for this booking (EBTS Type-2 fields)."""

    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    surname: Mapped[str] = mapped_column(_sealed_text("subjects.surname"))
    given_names: Mapped[str] = mapped_column(_sealed_text("subjects.given_names"), default="")
    date_of_birth: Mapped[dt.date] = mapped_column(_sealed_text("subjects.date_of_birth", "date"))
    sex: Mapped[str] = mapped_column(_sealed_text("subjects.sex"))
    race: Mapped[str] = mapped_column(_sealed_text("subjects.race"))
    place_of_birth: Mapped[str] = mapped_column(_sealed_text("subjects.place_of_birth"))
    height_inches: Mapped[int] = mapped_column(_sealed_text("subjects.height_inches", "int"))
    weight_pounds: Mapped[int] = mapped_column(_sealed_text("subjects.weight_pounds", "int"))
    eye_color: Mapped[str] = mapped_column(_sealed_text("subjects.eye_color"))
    hair_color: Mapped[str] = mapped_column(_sealed_text("subjects.hair_color"))


class NameToken(Base):
    """One keyed digest of a name-word beginning of a subject (name_index.py): search without clear names."""

    __tablename__ = "name_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id", ondelete="CASCADE"), index=True)
    digest: Mapped[bytes] = mapped_column(LargeBinary(16), index=True)


class StationKey(Base):
    """The database's data key, wrapped by the key-encryption key (keys.py), and the audit chain's facts."""

    __tablename__ = "station_keys"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Booking(Base):
    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    arrested_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default=BookingStatus.DRAFT.value, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))

    subject: Mapped[Subject] = relationship(lazy="joined")
    charges: Mapped[list[Charge]] = relationship(
        order_by="Charge.position", cascade="all, delete-orphan", back_populates="booking"
    )


class Charge(Base):
    __tablename__ = "charges"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    offense_date: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(_sealed_text("charges.text"))
    level: Mapped[str] = mapped_column(String(12))  # felony | misdemeanor

    booking: Mapped[Booking] = relationship(back_populates="charges")


class Capture(Base):
    """One fingerprint image taken for a booking (every attempt is kept; `accepted` marks the one used)."""

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # ANSI/NIST FGP: 1-10 fingers, 11-14 thumbs/slaps
    impression: Mapped[str] = mapped_column(String(12))  # rolled | plain
    image_png: Mapped[bytes | None] = mapped_column(
        _sealed("captures.image_png")
    )  # None when annotated XX/UP
    ppi: Mapped[float | None] = mapped_column(Float)
    quality: Mapped[int | None] = mapped_column(Integer)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    annotation: Mapped[str | None] = mapped_column(String(12))  # XX | UP | override
    annotation_reason: Mapped[str | None] = mapped_column(_sealed_text("captures.annotation_reason"))
    annotated_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    segmentation_json: Mapped[str | None] = mapped_column(Text)
    captured_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    captured_by: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))


class TransactionStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"


class Transaction(Base):
    """An EBTS submission in the outbox; written before anything is sent."""

    __tablename__ = "transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    tcn: Mapped[str] = mapped_column(String(40), unique=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    ebts: Mapped[bytes] = mapped_column(_sealed("transactions.ebts"))
    status: Mapped[str] = mapped_column(String(14), default=TransactionStatus.QUEUED.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Why the last attempt did not go through, as a message code (messages.Message.stored()); rows
    # written before 0009 have only `last_error`, English text, shown as it is. Both sealed: a
    # problem's parameters can quote the booking (0010).
    problem: Mapped[dict | None] = mapped_column(_sealed_text("transactions.problem", "json"))
    last_error: Mapped[str | None] = mapped_column(_sealed_text("transactions.last_error"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ResponseKind(enum.StrEnum):
    SRE = "SRE"
    ERRT = "ERRT"
    IAR = "IAR"
    DETAINER = "DETAINER"
    DETAINER_CANCEL = "DETAINER_CANCEL"
    CLAIM_CITIZEN = "CLAIM_CITIZEN"  # ICE's decision on a claim of U.S. citizenship
    CLAIM_VICTIM = "CLAIM_VICTIM"  # ICE's decision on a claim of being a crime victim


class Response(Base):
    """A message from the backend mailbox, stored exactly once (unique message id)."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), index=True)
    tcn: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    body: Mapped[bytes] = mapped_column(_sealed("responses.body"))
    summary_json: Mapped[str | None] = mapped_column(_sealed_text("responses.summary_json"))


class DetainerStatus(enum.StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    LAPSED = "lapsed"
    RELEASED = "released"
    TRANSFERRED = "transferred"


class Detainer(Base):
    __tablename__ = "detainers"
    __table_args__ = (UniqueConstraint("detainer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"))
    detainer_id: Mapped[str] = mapped_column(String(64))
    lodged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    office: Mapped[str] = mapped_column(String(200), default="")
    releasable_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default=DetainerStatus.ACTIVE.value)
    outcome: Mapped[str | None] = mapped_column(_sealed_text("detainers.outcome"))
    outcome_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    languages_json: Mapped[str] = mapped_column(Text, default="[]")
    lapse_recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # the lapse is at `deadline`
    alerted_hours: Mapped[float | None] = mapped_column(Float)  # most urgent alert raised for this deadline


class Alert(Base):
    """Something about a booking a clerk must look at and acknowledge (desktop/station/alerts.py):
    e.g. an answer naming a person whose name or date of birth disagrees with the booking."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("response_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"))
    kind: Mapped[str] = mapped_column(String(24))  # "wrong_person"
    fields_json: Mapped[str] = mapped_column(Text, default="[]")  # which facts disagree: name, date_of_birth
    raised_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(
        _sealed_text("alerts.note")
    )  # what the clerk checked (may name people)


class DutyLease(Base):
    """Who runs a group of the station's duties, until when (see `desktop/station/lease.py`)."""

    __tablename__ = "duty_leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))  # host/pid/start-ticks/role of the process
    generation: Mapped[int] = mapped_column(Integer)  # bumped at every change of owner
    acquired_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """One entry of the append-only, hash-chained audit log (see `audit.py`)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    details_json: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """A single row holding the chain's tip; appenders lock it, so two writers never fork the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


# Tables defined beside the feature that owns them; imported here so that Base.metadata (and the
# migrations' comparison with it) always knows them.
from desktop.station import imported as _imported  # noqa: E402, F401
from desktop.station.detainers import tables as _detainer_tables  # noqa: E402, F401
