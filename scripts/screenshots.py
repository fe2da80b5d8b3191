"""Save a screenshot of each station page into docs/screenshots/ (a person looks at them).

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py
    .venv/bin/python scripts/screenshots.py --offscreen      # no X server needed

Runs against a throw-away station (temporary config and data folders) seeded with a supervisor
and a few bookings, drives the real window as a clerk would, and grabs each page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE_PEOPLE = [
    ("Nguyễn", "Văn An", "1988-03-14", "M", "A", "CA", "5'07\"", "150", "BRO", "BLK", "Theft of property", "felony"),
    ("Muñoz-Peña", "José Luis", "1979-11-02", "M", "W", "TX", "5'10\"", "182", "BRO", "BLK", "Driving under the influence", "misdemeanor"),
    ("王", "小明", "1995-06-30", "M", "A", "NY", "5'09\"", "160", "BRO", "BLK", "Burglary, 2nd degree", "felony"),
    ("محمد", "علي", "1990-01-21", "M", "W", "MI", "5'11\"", "175", "BRO", "BLK", "Trespass", "misdemeanor"),
    ("Łukasiewicz", "Anna", "2001-09-09", "F", "W", "IL", "5'05\"", "130", "BLU", "BLN", "Shoplifting", "misdemeanor"),
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--offscreen", action="store_true", help="use Qt's offscreen platform instead of X")
    args = parser.parse_args()
    if args.offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    home = Path(tempfile.mkdtemp(prefix="bs-shots-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(home / var.lower())
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.station.bookings import BookingForm, parse
    from desktop.station.core import Station
    from desktop.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    station = Station.open()
    window = MainWindow(station)
    window.resize(1180, 760)
    window.show()

    def settle(ms: int = 150) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        QCoreApplication.processEvents()

    def shoot(name: str) -> None:
        settle()
        path = args.out / f"{name}.png"
        window.grab().save(str(path))
        print(path)

    shoot("first-run")
    window.first_run_page.username.setText("supervisor")
    window.first_run_page.full_name.setText("Dana Whitfield")
    window.first_run_page.password.setText("correct horse battery")
    window.first_run_page.repeat.setText("correct horse battery")
    window.first_run_page.submit()
    settle(1500)
    station.operators.add("clerk1", "clerk password", "clerk", full_name="Ana Díaz", actor="supervisor")
    today = dt.date.today()
    for i, (sn, gn, dob, sex, race, pob, hgt, wgt, eye, hair, charge, level) in enumerate(SAMPLE_PEOPLE):
        arrested = (today - dt.timedelta(days=i % 2)).isoformat()
        form = BookingForm(
            {
                "surname": sn, "given_names": gn, "date_of_birth": dob, "sex": sex, "race": race,
                "place_of_birth": pob, "height": hgt, "weight": wgt, "eye_color": eye, "hair_color": hair,
                "arrested_on": arrested,
            },
            [{"offense_date": arrested, "text": charge, "level": level}],
        )  # fmt: skip
        station.bookings.create(parse(form, today), actor="clerk1")
    window.log_out()
    window.login_page.username.setText("clerk1")
    shoot("login")
    window.login_page.password.setText("clerk password")
    window.login_page.submit()
    settle(1500)
    shoot("bookings")
    window.bookings_page.search.setText("nguy")
    shoot("bookings-search")
    window.bookings_page.search.clear()

    window.new_booking()
    view = window.booking_view
    form = view.pages["details"].form
    form.editors["surname"].setText("Smith, John")
    form.editors["height"].setText("5'14")
    form.editors["weight"].setText("12")
    view.pages["details"].save()
    shoot("booking-invalid")
    view.pages["details"].form.set_form(
        BookingForm(
            {
                "surname": "O'Connor", "given_names": "Siobhán", "date_of_birth": "1984-02-29", "sex": "F",
                "race": "W", "place_of_birth": "MA", "height": "5'06\"", "weight": "140", "eye_color": "GRN",
                "hair_color": "RED", "arrested_on": today.isoformat(),
            },
            [{"offense_date": today.isoformat(), "text": "Assault, simple", "level": "misdemeanor"}],
        )
    )  # fmt: skip
    view.pages["details"].save()
    shoot("booking-saved")
    window.show_bookings()

    window.log_out()
    window.login_page.username.setText("supervisor")
    window.login_page.password.setText("correct horse battery")
    window.login_page.submit()
    settle(1500)
    window.show_settings()
    shoot("settings")
    window.show_operators()
    shoot("operators")
    window.show_audit()
    window.audit_page.verify()
    settle(800)
    shoot("audit")
    window.close()
    station.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
