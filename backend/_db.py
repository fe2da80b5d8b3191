"""The backend's store: SQLAlchemy 2 tables and a session factory (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; we only ever store UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Json(TypeDecorator):
    """JSON kept as text, so it works the same on SQLite and PostgreSQL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        return None if value is None else json.loads(value)


class _UtcDateTime(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value, dialect):  # type: ignore[no-untyped-def]
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Agency(Base):
    __tablename__ = "agencies"
    ori: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    immigration_responses: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(_UtcDateTime, default=utcnow)


class Transaction(Base):
    """A submission as received. The TCN is unique: the same TCN twice is one submission."""

    __tablename__ = "transactions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tcn: Mapped[str] = mapped_column(String(40), unique=True)
    ori: Mapped[str] = mapped_column(String(9), index=True)
    tot: Mapped[str] = mapped_column(String(8), default="")
    received_at: Mapped[datetime] = mapped_column(_UtcDateTime, default=utcnow)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | done | failed
    outcome: Mapped[dict | None] = mapped_column(
        _Json, nullable=True
    )  # what was answered, for the admin page
    finished_at: Mapped[datetime | None] = mapped_column(_UtcDateTime, nullable=True)


class Message(Base):
    """One response in an ORI's mailbox. The cursor orders the mailbox; (tcn, kind) is never posted twice."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("tcn", "kind", name="uq_message_tcn_kind"),)
    cursor: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    ori: Mapped[str] = mapped_column(String(9), index=True)
    tcn: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(_UtcDateTime, default=utcnow)
    media_type: Mapped[str] = mapped_column(String(40))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    acked: Mapped[bool] = mapped_column(Boolean, default=False)


class Detainer(Base):
    __tablename__ = "detainers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tcn: Mapped[str] = mapped_column(String(40), ForeignKey("transactions.tcn"), unique=True)
    ori: Mapped[str] = mapped_column(String(9))
    subject_id: Mapped[int] = mapped_column(Integer)
    lodged_at: Mapped[datetime] = mapped_column(_UtcDateTime)
    office: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="lodged")  # lodged | cancelled
    cancelled_at: Mapped[datetime | None] = mapped_column(_UtcDateTime, nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    document: Mapped[dict] = mapped_column(_Json)


class PersonRow(Base):
    """The population as the admin page shows it (see backend.population). Never used for matching."""

    __tablename__ = "population"
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record: Mapped[dict] = mapped_column(_Json)


class Setting(Base):
    """Small facts kept between starts, e.g. which population is stored."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict] = mapped_column(_Json)


class Action(Base):
    """What the service did, for the admin page."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(_UtcDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    tcn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    ori: Mapped[str | None] = mapped_column(String(9), nullable=True)
    details: Mapped[str] = mapped_column(Text, default="")


class Store:
    """The engine and session factory. `with store.session() as s:` commits on success, rolls back on error."""

    def __init__(self, url: str) -> None:
        is_sqlite = url.startswith("sqlite")
        self.engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30} if is_sqlite else {},
            pool_pre_ping=not is_sqlite,
        )
        if is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._factory() as session, session.begin():
            yield session

    def log(self, kind: str, details: str, tcn: str | None = None, ori: str | None = None) -> None:
        with self.session() as s:
            s.add(Action(kind=kind, tcn=tcn, ori=ori, details=details))

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the HTTP threads read while the worker writes.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
