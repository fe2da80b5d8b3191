"""The station when its database is slow, gone or back: bounded waits, clear messages, nothing lost.

Runs on SQLite; with BOOKING_STATION_TEST_POSTGRES the store tests run against that server too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import sqlite3
import threading
from collections.abc import Iterator

import pytest
from outbox_helpers import FakeBackend, add_booking_with_prints
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url
from ui_helpers import settle

from desktop.station.core import Station
from desktop.station.db import Store
from desktop.station.db_errors import StoreUnavailable
from desktop.station.models import Booking, Role
from desktop.station.outbox_worker import SubmissionWorker
from desktop.ui.booking_form import BookingDetailsPage
from desktop.ui.booking_pages import PageContext

HANG_GUARD_S = 60  # far above the 5 s bound: only a call that hangs (as before) trips it


@dataclasses.dataclass
class SilentServer:
    port: int
    accepted: list[socket.socket]


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    """A TCP port that accepts connections and never says a word: a black-holed database server."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield SilentServer(listener.getsockname()[1], accepted)
    stop.set()
    thread.join()
    for s in [*accepted, listener]:
        s.close()


def _call_with_guard(fn):
    """Run fn in a thread; fail if it has not returned after HANG_GUARD_S (it hung for minutes before)."""
    outcome: list[BaseException | object] = []
    thread = threading.Thread(target=lambda: outcome.append(_capture(fn)), daemon=True)
    thread.start()
    thread.join(HANG_GUARD_S)
    assert not thread.is_alive(), f"the store call still blocks after {HANG_GUARD_S} s"
    return outcome[0]


def _capture(fn) -> BaseException | object:
    try:
        return fn()
    except BaseException as exc:  # returned to the test thread, which checks it
        return exc


def test_a_server_that_never_answers_fails_the_open_with_a_clear_message(silent_server) -> None:
    pytest.importorskip("psycopg", reason="the PostgreSQL driver (the `postgres` extra) is not installed")
    url = f"postgresql+psycopg://clerk:s3cret@127.0.0.1:{silent_server.port}/station"
    outcome = _call_with_guard(lambda: Store.open(url))
    assert isinstance(outcome, StoreUnavailable), outcome
    assert outcome.kind == "unreachable"
    message = str(outcome)
    assert f"127.0.0.1:{silent_server.port}/station" in message and "***" in message
    assert "s3cret" not in message
    assert "Check that the database server is running" in message


def test_bounds_in_the_url_are_kept_and_the_search_path_option_survives() -> None:
    pytest.importorskip("psycopg", reason="the PostgreSQL driver (the `postgres` extra) is not installed")
    from desktop.station.db import _engine_options

    url = make_url("postgresql+psycopg://u@h/db?connect_timeout=20&options=-csearch_path%3Dx")
    args = _engine_options(url)["connect_args"]
    assert "connect_timeout" not in args  # the administrator's own value wins
    assert args["options"].startswith("-csearch_path=x ")
    assert "-c lock_timeout=5000" in args["options"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_connections_killed_by_a_server_restart_are_replaced_without_an_error(station: Station) -> None:
    before = len(station.bookings.find(text=""))  # puts a connection in the pool
    with station.store.session() as s:
        pid = s.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = create_engine(os.environ["BOOKING_STATION_TEST_POSTGRES"])
    with admin.begin() as c:  # what a restart does to every open connection
        assert c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar_one()
    admin.dispose()
    assert len(station.bookings.find(text="")) == before  # the dead pooled connection was replaced


# --- the booking form: a failed save keeps what was typed and says why -------------------------


@contextlib.contextmanager
def _write_lock_held(database_url: str) -> Iterator[None]:
    """Another program holds a write lock on the bookings until the block ends."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite":
        other = sqlite3.connect(parsed.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    engine = create_engine(database_url)
    with engine.connect() as other:
        other.execute(text("LOCK TABLE bookings, subjects IN ACCESS EXCLUSIVE MODE"))
        yield
        other.rollback()
    engine.dispose()


@pytest.fixture
def details_page(qtbot, station, booking_form) -> BookingDetailsPage:
    clerk = station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="test")
    page = BookingDetailsPage(PageContext(station, clerk, None, lambda: None))
    qtbot.addWidget(page)
    page.form.set_form(booking_form(surname="Okafor"))
    return page


def test_a_save_while_another_program_holds_the_lock_keeps_the_form_and_says_so(
    qtbot, details_page: BookingDetailsPage, station: Station, database_url: str
) -> None:
    with _write_lock_held(database_url):
        details_page.save()  # waits out the lock off the UI thread, then says why it did not save
        settle(qtbot)
    message = details_page.status.text()
    assert "Not saved: the database is busy" in message and "What you typed is still here" in message
    assert station.store.where in message  # names the database (password hidden) for the administrator
    assert details_page.form.editors["surname"].text() == "Okafor"
    assert details_page.dirty()
    assert station.bookings.find(text="") == []  # nothing half-written
    details_page.save()  # the lock is gone: the same screen saves
    settle(qtbot)
    assert not details_page.dirty()
    [row] = station.bookings.find(text="")
    assert station.bookings.get(row.id).data.to_form().values["surname"] == "Okafor"


def test_a_save_to_a_read_only_database_keeps_the_form_and_says_so(
    qtbot, station: Station, database_url: str, booking_form, tmp_path
) -> None:
    if make_url(database_url).get_backend_name() != "sqlite":
        pytest.skip("a read-only file is a SQLite case")
    clerk = station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="test")
    read_only = Station.open(
        dataclasses.replace(
            station.config, database_url=f"sqlite:///file:{make_url(database_url).database}?mode=ro&uri=true"
        )
    )
    try:
        page = BookingDetailsPage(PageContext(read_only, clerk, None, lambda: None))
        qtbot.addWidget(page)
        page.form.set_form(booking_form(surname="Okafor"))
        page.save()
        settle(qtbot)
        assert "cannot be written (read-only file or folder)" in page.status.text()
        assert page.form.editors["surname"].text() == "Okafor" and page.dirty()
    finally:
        read_only.close()
    with station.store.session() as s:
        assert s.scalars(select(Booking)).all() == []


# --- the outbox worker: a database outage does not end it, nothing is lost ---------------------


@contextlib.contextmanager
def _outage(store: Store) -> Iterator[None]:
    """No new connection can be made (server down, file gone) and the pooled ones are dropped."""
    dbapi = store.engine.dialect.dbapi

    def refuse(*_args, **_kwargs):
        raise dbapi.OperationalError("the database server is down (test outage)")

    store.engine.dispose()
    event.listen(store.engine, "do_connect", refuse)
    try:
        yield
    finally:
        event.remove(store.engine, "do_connect", refuse)


def test_the_submission_worker_outlives_a_database_outage_and_sends_afterwards(
    station: Station, booking_form, qtbot
) -> None:
    backend = FakeBackend()
    station.config = dataclasses.replace(station.config, backend_url="http://backend.test")
    worker = SubmissionWorker(
        station.outbox,
        station.responses,
        lambda: station.config,
        client_factory=lambda url, tls: backend.client(),
    )
    worker._poll_interval = 0.05
    booking_id = add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    try:
        with _outage(station.store):
            worker.start()
            qtbot.waitUntil(
                lambda: getattr(worker.status().problem, "code", None) == "link.database", timeout=20000
            )
            with pytest.raises(StoreUnavailable):
                station.outbox.pending()
        worker.wake()
        qtbot.waitUntil(lambda: backend.searched.get(tcn) == 1, timeout=30000)
        qtbot.waitUntil(lambda: worker.status().connected, timeout=30000)
        assert worker._thread is not None and worker._thread.is_alive()
    finally:
        worker.stop()
    assert backend.searched == {tcn: 1}
    assert station.outbox.pending() == []


# --- once a server is unreachable, calls fail at once until it answers again ------------------


def test_after_a_failed_connection_further_calls_fail_without_waiting_again(silent_server) -> None:
    pytest.importorskip("psycopg", reason="the PostgreSQL driver (the `postgres` extra) is not installed")
    store = Store.open(f"postgresql+psycopg://clerk@127.0.0.1:{silent_server.port}/station", migrate=False)
    try:

        def read() -> None:
            with store.session() as s:
                s.execute(text("SELECT 1"))

        first = _call_with_guard(read)
        assert isinstance(first, StoreUnavailable) and first.kind == "unreachable"
        attempts = len(silent_server.accepted)
        assert attempts >= 1
        second = _call_with_guard(read)
        assert isinstance(second, StoreUnavailable) and second.kind == "unreachable"
        # No new connection was tried for the second call (the background retry waits 2 s first).
        assert len(silent_server.accepted) == attempts
    finally:
        store.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_store_answers_again_by_itself_when_the_server_is_back(station: Station, qtbot) -> None:
    with _outage(station.store), pytest.raises(StoreUnavailable) as failed:
        station.bookings.find(text="")
    assert failed.value.kind == "unreachable"
    with pytest.raises(StoreUnavailable):  # fails at once until the background retry gets through
        station.bookings.find(text="")

    def answers() -> bool:
        try:
            return station.bookings.find(text="") == []
        except StoreUnavailable:
            return False

    qtbot.waitUntil(answers, timeout=20000)


@pytest.mark.qt_no_exception_capture
def test_a_page_refreshing_while_the_database_is_away_says_so_in_the_status_bar(qtbot, monkeypatch) -> None:
    import sys

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMainWindow, QMessageBox

    from desktop.ui import app

    window = QMainWindow()
    qtbot.addWidget(window)
    dialogs = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: dialogs.append(args))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    app._report_unexpected_errors(window)

    def refresh() -> None:  # what a page's timer slot raises while the server is down
        raise StoreUnavailable(
            "unreachable", "postgresql+psycopg://clerk:***@db1/station", "connection refused"
        )

    QTimer.singleShot(0, refresh)
    qtbot.waitUntil(lambda: bool(window.statusBar().currentMessage()))
    message = window.statusBar().currentMessage()
    assert "The database cannot be reached; retrying" in message and "db1/station" in message
    assert dialogs == []  # no dialog every few seconds
