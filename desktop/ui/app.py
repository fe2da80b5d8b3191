"""Start the station's window: check the config, open the store, show first-run set-up or log-in.

The station refuses to start half-configured: a bad config file is shown (every bad key and
why) and the process exits with status 2. Nothing heavy (numba, OpenCV) is imported here.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator

_log = logging.getLogger(__name__)


def seconds_since_process_start() -> float:
    """Wall time since this process was created (Linux /proc), for --measure-startup."""
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/self/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / ticks


def run(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from booking_station.runtime import UserError
    from desktop.station import config as config_module

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Booking Station")
    app.setOrganizationName("booking-station")
    from desktop.ui import icon

    icon.install(app)
    try:
        cfg = config_module.load()
        from desktop.station.core import Station

        station = Station.open(cfg)
    except UserError as exc:
        # The config (and so the language) could not be read: this message stays in English.
        QMessageBox.critical(
            None,
            QCoreApplication.translate("Station", "Booking Station"),
            QCoreApplication.translate("Station", "The station cannot start.") + f"\n\n{exc}",
        )
        print(f"booking-station: {exc}", file=sys.stderr)
        return 2
    from desktop.ui import translations

    try:
        translations.install(app, cfg.language)
    except FileNotFoundError as exc:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("Station", "Booking Station"),
            QCoreApplication.translate("Station", "The station cannot start.") + f"\n\n{exc}",
        )
        print(f"booking-station: {exc}", file=sys.stderr)
        station.close()
        return 2

    from desktop.ui.main_window import MainWindow

    prepare(station)
    window = MainWindow(station)
    _report_unexpected_errors(window)
    window.show()
    if getattr(args, "measure_startup", False):

        def report() -> None:
            import time

            # CPU time too: on a loaded machine wall time mostly measures the other processes.
            wall, cpu = seconds_since_process_start(), time.process_time()
            print(f"login window shown after {wall:.2f} s (CPU {cpu:.2f} s)", flush=True)
            app.quit()

        QTimer.singleShot(0, report)
        service = None
    else:
        service = _start_duties(station, window)
    _quit_on_terminate(app)
    try:
        return app.exec()
    finally:
        if service is not None:
            service.stop()  # releases the duties: a `station serve` takes them over at once
        station.close()


# How long a thread may run Python while another waits for the interpreter lock (CPython's default
# is 5 ms). The UI thread takes the lock back at every call from Qt into Python (each cell a list
# paints, each event handler): behind a worker thread loading rows it waited up to 5 ms each time.
UI_SWITCH_INTERVAL_S = 0.001


def prepare(station) -> None:
    """What the window's process does before the window shows, so the UI thread is not held up
    later (bench ui): the UI thread gets the interpreter lock back sooner, and the imports and
    first-use loads of the pages and the duties run now, not on the UI thread or in a worker thread
    while the clerk works. What start-up made then lives as long as the process: it is frozen, so
    no cycle collection walks it again (a full one over it held the UI thread 130–430 ms)."""
    import gc

    from desktop.station import compute
    from desktop.ui import booking_pages, ui_gc

    sys.setswitchinterval(UI_SWITCH_INTERVAL_S)
    ui_gc.install()  # a Qt object in a cycle must never be deleted by a worker thread
    station.warm()
    booking_pages.warm_up()
    compute.warm()  # the checks' worker process starts now, on the other core, not at the first capture
    gc.collect()  # start-up's garbage first: frozen, a cycle would never be freed
    gc.freeze()


@contextlib.contextmanager
def prepared(station) -> Iterator[None]:
    """`prepare` for a window that is not its process's whole life (bench ui, tests): afterwards the
    interpreter is as it was: its switch interval, automatic cycle collection, nothing frozen."""
    import gc

    from desktop.ui import ui_gc

    interval = sys.getswitchinterval()
    prepare(station)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        ui_gc.uninstall()
        gc.unfreeze()


def _report_unexpected_errors(window) -> None:
    """An error no page handled is shown to the clerk (and logged) instead of only printed to stderr.

    Qt ignores exceptions raised in slots after printing them; without this the clerk would see
    nothing happen. Saved work is never at risk: every store write is one committed transaction.
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desktop.station.db_errors import StoreUnavailable

    showing = False

    def hook(kind, exc, tb) -> None:
        nonlocal showing
        if issubclass(kind, StoreUnavailable):
            # A page refreshing on a timer while the database is away: a dialog every few seconds
            # would bury the clerk. The status bar says it instead; saves say it on their page.
            _log.warning("database call failed: %s", exc)
            window.statusBar().showMessage(_database_problem_text(exc), 20_000)
            return
        _log.error("unexpected error", exc_info=(kind, exc, tb))
        if showing or issubclass(kind, KeyboardInterrupt):
            return
        showing = True
        try:
            QMessageBox.critical(
                window,
                QCoreApplication.translate("Station", "Booking Station"),
                QCoreApplication.translate(
                    "Station",
                    "Something went wrong and the last action did not finish:\n\n%1\n\n"
                    "Everything saved before is safe. Try again; if it happens again, tell your supervisor.",
                ).replace("%1", f"{kind.__name__}: {exc}"),
            )
        finally:
            showing = False

    sys.excepthook = hook


def _database_problem_text(exc) -> str:
    from PySide6.QtCore import QCoreApplication

    if exc.kind == "unreachable":
        text = QCoreApplication.translate(
            "App", "The database cannot be reached; retrying every few seconds. Nothing saved is lost. (%1)"
        )
    else:
        text = QCoreApplication.translate("App", "The database could not do the last action. (%1)")
    return text.replace("%1", exc.database if exc.kind == "unreachable" else exc.reason)


def _quit_on_terminate(app) -> None:
    """SIGTERM/SIGINT end the event loop normally, so workers and the embedded backend are stopped.

    Python runs signal handlers only between bytecodes; a light timer gives it that chance while
    Qt's event loop waits. Saved data never depends on this (every save is committed at once).
    """
    import signal

    from PySide6.QtCore import QTimer

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: app.quit())
    app._signal_wake = QTimer(app)
    app._signal_wake.timeout.connect(lambda: None)
    app._signal_wake.start(250)


def _start_duties(station, window):
    """The station's duties (outbox, mailbox and, by default, the embedded backend; the detainer
    clock) run in this process while the window is open, unless a `station serve` or another
    window on the same database already runs them (desktop/station/service.py)."""
    from desktop.station.config import data_dir
    from desktop.station.service import StationService
    from desktop.ui._worker import op
    from desktop.ui.responses_status import SubmissionIndicator

    service = StationService(station, role="window", embedded_folder=data_dir() / "backend")
    window.statusBar().addWidget(SubmissionIndicator(service))
    op(service.start)  # takes the lease and records missed lapses: database work, off the UI thread
    return service
