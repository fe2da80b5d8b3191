"""The station's store: one engine and session factory, migrated to the latest schema on open.

Any SQLAlchemy URL works (SQLite by default, PostgreSQL with the `postgres` extra). SQLite runs
in WAL mode with foreign keys on and a busy timeout, so the UI, the outbox worker and a second
process can share the file; every commit is durable before `commit()` returns.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from booking_station.runtime import UserError

_MIGRATIONS = Path(__file__).with_name("migrations")


class Store:
    """Owns the engine. Use `with store.session() as s:`; it commits on success, rolls back on error."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        parsed = make_url(url)
        try:
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url)
        except Exception as exc:  # bad driver name, missing DBAPI module, …
            raise UserError(
                f"cannot use database {parsed.render_as_string(hide_password=True)}: {exc}"
            ) from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if migrate:
            from sqlalchemy.exc import OperationalError

            try:
                store.migrate()
            except OperationalError as exc:  # unreachable server, unwritable file, wrong password, …
                engine.dispose()
                where = parsed.render_as_string(hide_password=True)
                raise UserError(f"cannot open the database {where}: {exc.orig}") from exc
        return store

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (a no-op when it is already there)."""
        if self._at_newest_revision():
            return  # the common case at start: no need to import Alembic (~0.3 s)
        from alembic import command
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")

    def _at_newest_revision(self) -> bool:
        """True when the database records the highest-numbered revision file (NNNN_name.py).

        Any doubt (no table, a differently named revision) answers False and Alembic decides.
        """
        from sqlalchemy.exc import DBAPIError

        numbered = sorted(p.name[:4] for p in (_MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
        if not numbered:
            return False
        try:
            with self.engine.connect() as connection:
                current = (
                    connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
                )
        except DBAPIError:
            return False
        return current == [numbered[-1]]

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        with self._factory() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")  # a saved booking survives power loss, not just a crash
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
