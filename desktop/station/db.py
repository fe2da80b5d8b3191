"""The station's store: one engine and session factory, migrated to the latest schema on open.

Any SQLAlchemy URL works (SQLite by default, PostgreSQL with the `postgres` extra). SQLite runs
in WAL mode with foreign keys on and a busy timeout, so the UI, the outbox worker and a second
process can share the file; every commit is durable before `commit()` returns.

Every wait is bounded (db_errors.py holds the figures), because the UI thread calls the store: a
PostgreSQL server that does not answer fails the connection after 5 s, a connection whose peer
vanished (cable pulled, host down) dies after 5 s of unacknowledged data, a lock held by another
program is waited for 5 s, one statement at most 30 s. A pooled connection is pinged before use, so
one left dead by a server restart is replaced without the caller noticing. A failure leaves the
session rolled back and raises `StoreUnavailable`, naming the database and what to check. Once a
server could not be reached, further calls fail at once while a background thread retries every
2 s: the pages that refresh on a timer do not each wait out the timeouts again.

Criminal-justice information is sealed at rest (models.py): opening a store unwraps the
database's data key with the key-encryption key (keys.py) before anything else, so a missing or
wrong key stops here with a message and nothing written. A SQLite file is created 0600 in a 0700
folder (its WAL and journal inherit the file's mode).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from booking_station.envelope import Sealer
from booking_station.runtime import UserError
from booking_station.sealed_columns import attach
from desktop.station import keys, name_index
from desktop.station.db_errors import (
    CONNECT_TIMEOUT_S,
    LOCK_WAIT_S,
    NETWORK_TIMEOUT_S,
    RECONNECT_EVERY_S,
    STATEMENT_TIMEOUT_S,
    StoreUnavailable,
    classify,
)

_MIGRATIONS = Path(__file__).with_name("migrations")
_log = logging.getLogger(__name__)


class Store:
    """Owns the engine. Use `with store.session() as s:`; it commits on success, rolls back on error."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.where = engine.url.render_as_string(hide_password=True)  # for messages and logs
        self._factory = sessionmaker(engine, expire_on_commit=False)
        name_index.keep_current(self._factory)
        self.sealer: Sealer | None = None  # the data key, once unwrapped (open)
        # Set while a server cannot be reached: calls fail at once (instead of each waiting out the
        # timeouts on the UI thread) until a background thread gets a connection again.
        self._outage: StoreUnavailable | None = None
        self._outage_lock = threading.Lock()
        self._closed = threading.Event()

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, kek: keys.KekLocation | None = None) -> Store:
        """Open (and migrate) the database and unwrap its data key with the KEK at `kek` (default:
        the station's default place). `migrate=False` opens neither: for connection checks only."""
        parsed = make_url(url)
        try:
            if parsed.get_backend_name() == "sqlite" and _is_plain_path(parsed.database):
                _private_sqlite_file(Path(parsed.database))
            engine = create_engine(url, **_engine_options(parsed))
        except UserError:
            raise
        except Exception as exc:  # bad driver name, missing DBAPI module, …
            raise UserError(
                f"cannot use database {parsed.render_as_string(hide_password=True)}: {exc}"
            ) from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if migrate:
            kek = kek or keys.KekLocation()
            try:
                store._unlock(keys.open_data_key(engine, kek))  # before any write: a wrong key stops here
                store.migrate(kek)
                if store.sealer is None:
                    store._unlock(keys.open_data_key(engine, kek))
            except OperationalError as exc:  # unreachable server, unwritable file, wrong password, …
                engine.dispose()
                raise classify(exc, store.where) from exc
            except BaseException:
                engine.dispose()
                raise
        return store

    def _unlock(self, sealer: Sealer | None) -> None:
        if sealer is not None:
            self.sealer = sealer
            attach(self.engine, sealer)

    def derived_key(self, purpose: bytes) -> bytes:
        """A key for `purpose` derived from this database's data key (name index, audit chain)."""
        if self.sealer is None:
            raise RuntimeError("the store was opened without its data key (migrate=False)")
        return self.sealer.derive(purpose)

    def migrate(self, kek: keys.KekLocation | None = None) -> None:
        """Bring the schema to the newest Alembic revision (a no-op when it is already there).

        The migration that seals a clear database makes its data key with the KEK at `kek`."""
        if self._at_newest_revision():
            return  # the common case at start: no need to import Alembic (~0.3 s)
        from alembic import command
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # A migration may rewrite a big table: the per-statement backstop does not apply.
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
            cfg.attributes["connection"] = connection
            cfg.attributes["kek"] = kek or keys.KekLocation()
            command.upgrade(cfg, "head")

    def _at_newest_revision(self) -> bool:
        """True when the database records the highest-numbered revision file (NNNN_name.py).

        Any doubt (no table, a differently named revision) answers False and Alembic decides; a
        server that cannot be reached raises at once rather than being tried twice.
        """
        numbered = sorted(p.name[:4] for p in (_MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
        if not numbered:
            return False
        try:
            with self.engine.connect() as connection:
                current = (
                    connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
                )
        except DBAPIError as exc:
            if isinstance(exc, OperationalError) and self.engine.dialect.name != "sqlite":
                raise  # PostgreSQL reports a missing table as ProgrammingError
            return False
        return current == [numbered[-1]]

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction; a database that cannot do it raises `StoreUnavailable` after rolling back."""
        outage = self._outage
        if outage is not None:
            raise StoreUnavailable(outage.kind, outage.database, outage.reason)
        try:
            with self._factory() as session, session.begin():
                yield session
        except DBAPIError as exc:
            if not (isinstance(exc, OperationalError) or exc.connection_invalidated):
                raise  # a constraint or a bug: not the database's availability
            problem = classify(exc, self.where)
            if problem.kind == "unreachable":
                self._begin_outage(problem)
            raise problem from exc

    def _begin_outage(self, problem: StoreUnavailable) -> None:
        with self._outage_lock:
            if self._outage is not None:
                return
            self._outage = problem
        threading.Thread(target=self._reconnect, name="store-reconnect", daemon=True).start()

    def _reconnect(self) -> None:
        """Try a connection every RECONNECT_EVERY_S (each bounded by the timeouts) until one works."""
        while not self._closed.wait(RECONNECT_EVERY_S):
            try:
                with self.engine.connect() as connection:
                    connection.exec_driver_sql("SELECT 1")
            except DBAPIError as exc:
                self._outage = classify(exc, self.where)  # the latest reason, for the message
                continue
            _log.info("database %s reachable again", self.where)
            self._outage = None
            return

    def close(self) -> None:
        self._closed.set()
        self.engine.dispose()


def _private_sqlite_file(path: Path) -> None:
    """The database file 0600 in a 0700 folder. A folder the station makes, or its own data folder,
    is made private; a folder someone chose that others can enter is left as it is, with a warning
    (it may be shared on purpose, e.g. /tmp)."""
    from desktop.station.config import data_dir

    folder = path.parent
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
        elif folder.resolve() == data_dir().resolve():
            os.chmod(folder, 0o700)
        elif stat.S_IMODE(folder.stat().st_mode) & 0o077:
            _log.warning("the database folder %s is open to other users: chmod 700 %s", folder, folder)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if part.exists():
                os.chmod(part, 0o600)
    except OSError as exc:
        raise UserError(f"cannot use database file {path}: {exc.strerror or exc}") from exc


def _is_plain_path(database: str | None) -> bool:
    """A SQLite file name whose folder may be created (not memory, not a `file:` URI)."""
    return database not in (None, "", ":memory:") and not database.startswith("file:")


def _engine_options(url: URL) -> dict:
    """Bounded waits for a server database; a setting already in the URL's query is kept."""
    if url.get_backend_name() != "postgresql" or url.get_driver_name() not in ("psycopg", "psycopg2"):
        return {}
    # libpq parameters (both drivers): connect_timeout bounds the whole connection set-up,
    # tcp_user_timeout kills a connection whose sent data goes unacknowledged (host gone).
    args: dict[str, object] = {}
    if "connect_timeout" not in url.query:
        args["connect_timeout"] = CONNECT_TIMEOUT_S
    if "tcp_user_timeout" not in url.query:
        args["tcp_user_timeout"] = NETWORK_TIMEOUT_S * 1000
    given = url.query.get("options", "")
    given = " ".join(given) if isinstance(given, tuple) else given
    server = [f"-c lock_timeout={LOCK_WAIT_S * 1000}", f"-c statement_timeout={STATEMENT_TIMEOUT_S * 1000}"]
    server = [o for o in server if o.split("=")[0][3:] not in given]
    args["options"] = " ".join([given, *server]).strip()
    return {"connect_args": args, "pool_pre_ping": True}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")  # a saved booking survives power loss, not just a crash
    cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT_S * 1000}")
    cursor.close()
