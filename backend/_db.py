"""The backend's store: SQLAlchemy 2 tables and a session factory (SQLite by default, PostgreSQL by URL).

Criminal-justice information is encrypted at rest (booking_station.envelope, AES-256-GCM): the
submissions as received, the answers in the mailboxes, detainers, the population's records and
the action log's details. One data key per database, kept in `settings` wrapped by the
key-encryption key (a file or keyring entry outside the database); the columns that stay clear
(ORIs, TCNs, times, statuses) are the ones the service routes and sorts by, none names a person.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    BigInteger,
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
    select,
    type_coerce,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from booking_station.envelope import KeyEncryptionKey, Sealer, WrappedKey
from booking_station.sealed_columns import Sealed, SealedText, attach, seal_text, sealer_of


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
    body: Mapped[bytes] = mapped_column(Sealed("backend:transactions.body"))
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | done | failed
    # What was answered, for the admin page.
    outcome: Mapped[dict | None] = mapped_column(
        SealedText("backend:transactions.outcome", kind="json"), nullable=True
    )
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
    body: Mapped[bytes] = mapped_column(Sealed("backend:messages.body"))
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
    document: Mapped[dict] = mapped_column(SealedText("backend:detainers.document", kind="json"))


class PersonRow(Base):
    """The population as the admin page shows it (see backend.population). Never used for matching."""

    __tablename__ = "population"
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record: Mapped[dict] = mapped_column(SealedText("backend:population.record", kind="json"))


class Setting(Base):
    """Small facts kept between starts, e.g. which population is stored."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict] = mapped_column(_Json)


class AuditAnchor(Base):
    """A station's audit-chain head as it was when the station sent it (see backend.anchors)."""

    __tablename__ = "audit_anchors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ori: Mapped[str] = mapped_column(String(9), index=True)
    certificate: Mapped[str] = mapped_column(String(40))  # serial (hex) of the station's certificate
    sequence: Mapped[int] = mapped_column(BigInteger)
    head: Mapped[str] = mapped_column(String(64))
    anchored_at: Mapped[datetime] = mapped_column(_UtcDateTime, default=utcnow)
    tcn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    regressed: Mapped[bool] = mapped_column(Boolean, default=False)


class Action(Base):
    """What the service did, for the admin page."""

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(_UtcDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    tcn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    ori: Mapped[str | None] = mapped_column(String(9), nullable=True)
    details: Mapped[str] = mapped_column(SealedText("backend:actions.details"), default="")


#: The sealed columns: (table, primary key, column, "bytes" | "text"), for sealing an older clear database.
_SEALED_COLUMNS = (
    ("transactions", "id", "body", "bytes"),
    ("transactions", "id", "outcome", "text"),
    ("messages", "cursor", "body", "bytes"),
    ("detainers", "id", "document", "text"),
    ("population", "subject_id", "record", "text"),
    ("actions", "id", "details", "text"),
)


class Store:
    """The engine and session factory. `with store.session() as s:` commits on success, rolls back on error."""

    def __init__(self, url: str, kek: KeyEncryptionKey) -> None:
        is_sqlite = url.startswith("sqlite")
        self.engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30} if is_sqlite else {},
            pool_pre_ping=not is_sqlite,
        )
        if is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            _private_sqlite_file(self.engine.url.database)
        Base.metadata.create_all(self.engine)
        attach(self.engine, self._open_data_key(kek))
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    def _open_data_key(self, kek: KeyEncryptionKey) -> Sealer:
        """This database's data key, unwrapped by `kek`; made (and clear rows sealed) on first use.
        A missing or wrong key raises before anything is written."""
        with self.engine.begin() as connection:
            stored = connection.execute(
                select(type_coerce(Setting.value, Text)).where(Setting.key == _DATA_KEY)
            ).scalar()
            if stored is not None:
                return Sealer.open(kek, WrappedKey.from_json(json.loads(stored)))
            sealer, wrapped = Sealer.create(kek)
            connection.execute(
                Setting.__table__.insert().values(
                    key=_DATA_KEY, value=type_coerce(json.dumps(wrapped.to_json()), Text)
                )
            )
            _seal_clear_rows(connection, sealer)
            return sealer

    def rewrap(self, new_kek: KeyEncryptionKey) -> None:
        """Key rotation: wrap this database's data key with `new_kek` (the values are not rewritten)."""
        wrapped = sealer_of(self.engine.dialect).rewrap(new_kek)
        with self.session() as s:
            s.merge(Setting(key=_DATA_KEY, value=wrapped.to_json()))

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._factory() as session, session.begin():
            yield session

    def log(self, kind: str, details: str, tcn: str | None = None, ori: str | None = None) -> None:
        with self.session() as s:
            s.add(Action(kind=kind, tcn=tcn, ori=ori, details=details))

    def close(self) -> None:
        self.engine.dispose()


_DATA_KEY = "data_key"


def _seal_clear_rows(connection, sealer: Sealer) -> None:  # type: ignore[no-untyped-def]
    """Seal the values of a database written before encryption at rest (none in a new one)."""
    from sqlalchemy import bindparam, column, table

    for table_name, key, name, kind in _SEALED_COLUMNS:
        raw = LargeBinary() if kind == "bytes" else Text()
        t = table(table_name, column(key), column(name, raw))
        context = f"backend:{table_name}.{name}".encode()
        rows = connection.execute(select(t.c[key], t.c[name]).where(t.c[name].is_not(None))).all()
        update = t.update().where(t.c[key] == bindparam("k")).values({name: bindparam("v", type_=raw)})
        for row_key, value in rows:
            if kind == "bytes":
                sealed = sealer.seal(bytes(value), context)
            else:
                sealed = seal_text(sealer, str(value), context.decode())
            connection.execute(update, {"k": row_key, "v": sealed})


def _private_sqlite_file(database: str | None) -> None:
    """The SQLite file (and its WAL and journal) readable by its owner only."""
    if not database or database == ":memory:":
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def _sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the HTTP threads read while the worker writes.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
