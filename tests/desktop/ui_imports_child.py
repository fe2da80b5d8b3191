"""Child process of test_ui_imports.py: start the window as the app does (`prepare`), then work as
a clerk (log in, the list, a booking and each of its pages) and print, as JSON, the modules first
imported after the window showed: on the UI thread, and on any thread."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.bench_station import seed_bookings
    from desktop.station.config import Config
    from desktop.station.core import Station
    from desktop.station.models import Role
    from desktop.ui import _worker
    from desktop.ui.app import prepare
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="ui-imports-"))
    station = Station.open(Config(database_url=f"sqlite:///{folder / 'station.db'}"))
    station.operators.add("booker", "desk-clerk-7315", Role.CLERK, actor="test")
    station.operators.add("boss", "desk-supervisor-9042", Role.SUPERVISOR, actor="test")  # no first run
    held = seed_bookings(station, 20)
    prepare(station)
    window = MainWindow(station)
    window.show()

    imported: dict[str, list[str]] = {"ui": [], "any": []}
    ui = threading.main_thread()

    def hook(event: str, args: tuple) -> None:
        if event == "import" and args[0] not in sys.modules:
            imported["any"].append(args[0])
            if threading.current_thread() is ui:
                imported["ui"].append(args[0])

    sys.addaudithook(hook)

    def spin_until(predicate, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > end:
                raise TimeoutError("the window did not get there")
            app.processEvents()
            time.sleep(0.005)

    spin_until(lambda: window.stack.currentWidget() is window.login_page)
    window.login_page.username.setText("booker")
    window.login_page.password.setText("desk-clerk-7315")
    window.login_page.submit()
    spin_until(lambda: window.stack.currentWidget() is window.work and _worker.pending() == 0)
    window.bookings_page.today_only.setChecked(False)
    spin_until(lambda: _worker.pending() == 0 and bool(window.bookings_page.model.rows))
    window.open_booking(held[0])
    view = window.booking_view
    for key in ("responses", "detainer"):
        view.show_page(key)
        spin_until(lambda: _worker.pending() == 0)
    detainer = view.pages["detainer"]
    spin_until(lambda: detainer._view is not None)
    capture = view.show_page("capture")  # opens the scanner and the checks' worker process
    spin_until(lambda: capture.session is not None)
    # The first slap taken, checked in the worker process and shown: its results come back as
    # the matcher's and the drivers' objects, and the virtual scanner draws with numpy.random.
    spin_until(lambda: bool(capture.timings), timeout=300)
    capture.shutdown()  # the booking closed as the bench closes it, without asking about the capture
    window.work.removeWidget(view)
    view.deleteLater()
    window.booking_view = None
    window.show_bookings()
    spin_until(lambda: _worker.pending() == 0)
    print(json.dumps(imported))
    window.close()
    station.close()


if __name__ == "__main__":
    main()
