"""Child process for test_ui_restart.py: the real station window, driven through its widgets.

    python ui_station_child.py save     log in, save a booking, start typing another; wait to be killed
    python ui_station_child.py check    log in and print what the bookings list shows

Config and data folders come from the XDG_* variables the parent sets.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from desktop.station.core import Station  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402


def wait_until(predicate, timeout_ms: int = 20000) -> None:
    loop = QEventLoop()
    waited = 0
    while not predicate():
        if waited > timeout_ms:
            raise SystemExit("timed out")
        QTimer.singleShot(20, loop.quit)
        loop.exec()
        waited += 20


def main() -> int:
    mode = sys.argv[1]
    app = QApplication(sys.argv[:1])
    QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Discard  # never block on a dialog
    station = Station.open()
    window = MainWindow(station)
    window.show()
    wait_until(lambda: window.stack.currentWidget() is not window.starting)
    window.login_page.username.setText("clerk1")
    window.login_page.password.setText("clerk password")
    window.login_page.submit()
    wait_until(lambda: window.stack.currentWidget() is window.work)
    if mode == "check":
        wait_until(lambda: bool(window.bookings_page.model.rows))
        for row in window.bookings_page.model.rows:
            print(f"ROW {row.number} {row.name}", flush=True)
        print("DONE", flush=True)
        return 0
    # The station's today, in its time zone: the machine's UTC date is tomorrow there every evening.
    today = dt.datetime.now(station.config.zone).date().isoformat()
    window.new_booking()
    details = window.booking_view.pages["details"]
    values = {
        "surname": "Ołeksandrów",
        "given_names": "Марія",
        "date_of_birth": "1985-05-17",
        "height": "5'04\"",
        "weight": "128",
        "arrested_on": today,
    }
    for key, value in values.items():
        details.form.editors[key].setText(value)
    for key, code in (
        ("sex", "F"),
        ("race", "W"),
        ("place_of_birth", "NJ"),
        ("eye_color", "GRN"),
        ("hair_color", "BRO"),
    ):
        combo = details.form.editors[key]
        combo.setCurrentIndex(combo.findData(code))
    charge = details.form._charge_rows[0]
    charge.offense_date.setText(today)
    charge.text.setText("Criminal mischief")
    charge.level.setCurrentIndex(charge.level.findData("misdemeanor"))
    if not details.save():
        print("NOT SAVED", details.status.text(), flush=True)
        return 1
    wait_until(lambda: not details.dirty() or "Not saved" in details.status.text())
    if details.dirty():
        print("NOT SAVED", details.status.text(), flush=True)
        return 1
    print(f"SAVED {station.bookings.find()[0].number}", flush=True)
    # Keep editing: change the saved booking without saving, as a clerk would mid-sentence.
    details.form.editors["weight"].setText("131")
    print("EDITING", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
