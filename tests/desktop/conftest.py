"""Fixtures for the station core: a migrated store in a temp folder, and a sample booking form."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.station.bookings import BookingForm
from desktop.station.config import Config
from desktop.station.core import Station


@pytest.fixture
def station(tmp_path) -> Station:
    st = Station.open(Config(database_url=f"sqlite:///{tmp_path / 'station.db'}"))
    yield st
    st.close()


@pytest.fixture
def booking_form():
    """A factory of valid booking forms; keyword arguments override fields."""
    return _sample_form


def _sample_form(**overrides: str) -> BookingForm:
    values = {
        "surname": "Nguyễn",
        "given_names": "Văn An",
        "date_of_birth": "1990-01-02",
        "sex": "M",
        "race": "A",
        "place_of_birth": "CA",
        "height": "5'10\"",
        "weight": "170",
        "eye_color": "BRO",
        "hair_color": "BLK",
        "arrested_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
    }
    values.update(overrides)
    charge = {"offense_date": values["arrested_on"], "text": "Theft of property", "level": "felony"}
    return BookingForm(values, [charge])


@pytest.fixture
def tamper():
    """Run SQL against the audit log as an intruder would: first drop the append-only triggers."""

    def run(station: Station, sql: str, params: dict | None = None) -> None:
        from sqlalchemy import text

        with station.store.engine.begin() as c:
            c.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            c.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
            c.execute(text(sql), params or {})

    return run
