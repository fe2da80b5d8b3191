"""Fixtures for the station core: a migrated store in a temp folder, and a sample booking form.

Every core test that opens a store runs twice: on SQLite, and on PostgreSQL in a fresh schema of
the database named by BOOKING_STATION_TEST_POSTGRES (e.g. postgresql+psycopg://user:pw@localhost/db;
`./bootstrap test` starts a throw-away server and sets it), skipped with the reason when it is unset.
UI tests (qtbot) use SQLite only: the store under them is the same code. A test that needs the
server names it: `@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)`.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest

from desktop.station.bookings import BookingForm
from desktop.station.config import Config
from desktop.station.core import Station


@pytest.fixture(scope="session", autouse=True)
def _english_plural_forms(qapp) -> Iterator[None]:
    """The UI's English plural forms ("2 errors to fix") are installed, as the station installs them."""
    from desktop.ui import translations

    installed = translations.install(qapp, "en")
    yield
    translations.remove(qapp, installed)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" not in metafunc.fixturenames or "qtbot" in metafunc.fixturenames:
        return
    if any("database_url" in str(m.args[0]) for m in metafunc.definition.iter_markers("parametrize")):
        return
    metafunc.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite:///{tmp_path / 'station.db'}"
        return
    server = os.environ.get("BOOKING_STATION_TEST_POSTGRES")
    if not server:
        pytest.skip("BOOKING_STATION_TEST_POSTGRES is not set (URL of an empty PostgreSQL database)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"station_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as c:
            c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def station(database_url) -> Station:
    st = Station.open(Config(database_url=database_url))
    yield st
    st.close()


@pytest.fixture(scope="session")
def backend_tls(tmp_path_factory) -> dict[str, str]:
    """Certificate settings that let a test point the station at a backend URL (https with mutual
    TLS is required): a throw-away CA and a station certificate for the default agency."""
    from booking_station.pki import CertificateAuthority

    root = tmp_path_factory.mktemp("station-pki")
    files = CertificateAuthority.init(root / "ca").issue_station(Config.agency_ori, root / "certs")
    return {
        "backend_ca": str(files.ca),
        "backend_certificate": str(files.certificate),
        "backend_key": str(files.key),
    }


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
            if c.dialect.name == "postgresql":
                c.execute(text("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events"))
            else:
                c.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
                c.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
            c.execute(text(sql), params or {})

    return run


@pytest.fixture(autouse=True)
def _cycles_collected_on_the_ui_thread(request) -> Iterator[None]:
    """As in the window's process (`desktop.ui.app.prepare`): a worker thread never collects a cycle
    holding a Qt object. Collection is automatic again after every test, also one that ran
    `prepare` without qtbot (bench ui), so later tests and other folders are not left without it."""
    import gc

    from desktop.ui import ui_gc

    uses_qt = "qtbot" in request.fixturenames
    if uses_qt:
        ui_gc.install()
    yield
    if uses_qt:
        gc.collect()  # here, on the UI thread, once the test's operations have ended
    ui_gc.uninstall()


@pytest.fixture(autouse=True)
def _no_store_work_on_the_ui_thread() -> Iterator[None]:
    """Every test here fails if UI code opened a store session on the UI thread (issue 17, item 2)."""
    import ui_thread_guard

    ui_thread_guard.install()
    ui_thread_guard.violations.clear()
    yield
    found = list(dict.fromkeys(ui_thread_guard.violations))
    ui_thread_guard.violations.clear()
    assert not found, f"store work on the UI thread (use desktop.ui._worker.op): {found}"


@pytest.fixture(autouse=True)
def _operations_finished(request) -> Iterator[None]:
    """No UI operation outlives its test (its callback would run in the next one)."""
    qtbot = request.getfixturevalue("qtbot") if "qtbot" in request.fixturenames else None
    yield
    if qtbot is not None:
        from desktop.ui import _worker

        qtbot.waitUntil(lambda: _worker.pending() == 0, timeout=60_000)
