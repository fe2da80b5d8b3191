from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from desktop.station.bookings import parse
from desktop.station.db import Store
from desktop.station.models import Booking, Capture, Response, Transaction


def test_migrations_create_every_table_and_sqlite_uses_wal(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'sub' / 's.db'}")
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "bookings", "subjects", "charges", "captures", "transactions", "responses",
        "detainers", "operators", "audit_events", "alembic_version",
    } <= tables  # fmt: skip
    with store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.migrate()  # a second run is a no-op, not an error
    store.close()


def test_foreign_keys_are_enforced(station):
    with pytest.raises(IntegrityError), station.store.session() as s:
        s.add(Capture(booking_id=999, position=1, impression="rolled", attempt=1))


def test_tcn_and_message_id_are_unique(station, booking_form):
    booking = station.bookings.create(parse(booking_form(), dt.date.today()), actor="t")
    with station.store.session() as s:
        s.add(Transaction(tcn="T1", booking_id=booking.id, ebts=b"x"))
    with pytest.raises(IntegrityError), station.store.session() as s:
        s.add(Transaction(tcn="T1", booking_id=booking.id, ebts=b"y"))
    with station.store.session() as s:
        s.add(Response(message_id="m1", tcn="T1", kind="SRE", body=b"\x00\xff"))
    with station.store.session() as s:
        assert s.query(Response).one().body == b"\x00\xff"


def test_times_come_back_aware_utc(station, booking_form):
    booking = station.bookings.create(parse(booking_form(), dt.date.today()), actor="t")
    with station.store.session() as s:
        row = s.get(Booking, booking.id)
        assert row.created_at.tzinfo is dt.UTC
        with pytest.raises(Exception, match="naive"):
            row.updated_at = dt.datetime(2020, 1, 1)
            s.flush()


def test_models_and_migrations_agree(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from desktop.station.models import Base

    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    with store.engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": False}), Base.metadata)
    store.close()
    assert diff == [], f"models changed without a migration (scripts/new_migration.py): {diff}"


def test_unopenable_database_is_a_clear_user_error(tmp_path):
    from booking_station.runtime import UserError

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(UserError, match="cannot"):
        Store.open(f"sqlite:///{blocker / 'station.db'}")
    with pytest.raises(UserError, match="cannot use database"):
        Store.open("nosuchdialect://x/y")


def test_a_database_behind_the_newest_revision_is_migrated(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    assert store._at_newest_revision()
    with store.engine.begin() as c:
        c.exec_driver_sql("UPDATE alembic_version SET version_num = 'zzzz'")
    assert not store._at_newest_revision()
    store.close()
