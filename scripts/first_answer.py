"""Time from the station's start to the FBI's first answer, on a fresh start (docs/benchmarks.md).

    xvfb-run -a .venv/bin/python scripts/first_answer.py [--subject 1] [--fresh-numba] [--json OUT]

Starts the station as `booking-station gui` does (window, submission worker, embedded backend) with
fresh settings, data and backend folders, so the backend has no galleries of its own: it uses the
ones shipped with the installation (the bootstrap's `.venv/share/booking-station`, the package's)
or, without them (`--no-shipped`), enrols its population from scratch, staged. A scripted clerk then
does at once what a person would: the first-run supervisor, a clerk, a booking of the virtual
subject (`--subject`; 1, the virtual scanner's default person, is on FBI file; 900 is on no file),
captures all fourteen prints with the virtual scanner at its realistic timing, submits, and waits
for the first answer on the Responses tab. Prints a timeline from the process's start and what the
status bar said meanwhile. `--fresh-numba` starts with an empty compiled-kernel cache as on a new
machine (otherwise the user's cache, filled by the bootstrap, is used).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subject", type=int, default=1, help="virtual subject to book (default 1)")
    parser.add_argument("--fresh-numba", action="store_true", help="empty compiled-kernel cache")
    parser.add_argument("--no-shipped", action="store_true", help="ignore galleries shipped with the install")
    parser.add_argument("--timeout", type=float, default=900, help="give up after this many seconds")
    parser.add_argument("--json", type=Path, help="also write the timeline here")
    parser.add_argument(
        "--screenshot", type=Path, help="save the window here when the status bar first shows enrolment"
    )
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="bs-first-answer-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(home / var.lower())
    if args.fresh_numba:
        os.environ["NUMBA_CACHE_DIR"] = str(home / "numba")
    # The backend's own data folder is under XDG_DATA_HOME (fresh); its shipped galleries are not.
    if args.no_shipped:
        os.environ["BOOKING_BACKEND_SHIPPED_GALLERIES"] = str(home / "none")

    from booking_station import runtime

    runtime.prepare_environment()
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import seconds_since_process_start

    events: list[tuple[float, str]] = []

    def mark(what: str) -> None:
        # CPU seconds of the station and of its backend too: on a shared machine wall time mostly
        # measures the neighbours, CPU time the work this start needs.
        cpu = time.process_time() + _backend_cpu(running.get("worker"))
        events.append((round(seconds_since_process_start(), 1), what, round(cpu, 1)))
        print(f"{events[-1][0]:7.1f} s  (CPU {cpu:6.1f} s)  {what}", flush=True)

    running: dict = {}

    app = QApplication(sys.argv[:1])
    from desktop.station.config import load
    from desktop.station.core import Station
    from desktop.ui import app as station_app
    from desktop.ui.main_window import MainWindow

    station = Station.open(load())
    window = MainWindow(station)
    window.resize(1366, 768)
    window.show()
    service = station_app._start_duties(station, window)  # as `booking-station gui` does
    running["worker"] = service.worker
    mark("window shown, station duties (submission worker, embedded backend) starting")
    said: list[tuple[float, str]] = []
    try:
        _clerk_books_captures_and_submits(app, station, window, args, mark, said)
    finally:
        service.stop()
        station.close()
    result = {
        "subject": args.subject,
        "fresh_numba": args.fresh_numba,
        "shipped_galleries": not args.no_shipped,
        "timeline": events,
        "status_bar": said,
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "first_answer_s": next((t for t, what, _cpu in events if what.startswith("first answer")), None),
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["first_answer_s"] is not None else 1


def _clerk_books_captures_and_submits(app, station, window, args, mark, said) -> None:  # noqa: ANN001
    from PySide6.QtCore import QTimer

    from desktop.station.bookings import BookingForm, parse
    from desktop.ui.booking_view import BookingView
    from drivers.virtual import control

    deadline = time.monotonic() + args.timeout
    last_text = [""]
    shot: list[str] = []

    def spin(until) -> None:  # noqa: ANN001
        while not until():
            if time.monotonic() > deadline:
                raise SystemExit(f"first_answer: gave up after {args.timeout:.0f} s")
            app.processEvents()
            time.sleep(0.02)
            indicator = window.statusBar().findChild(object, "submission-indicator")
            text = indicator.text() if indicator is not None else ""
            if text and text != last_text[0]:
                last_text[0] = text
                said.append((round(_since_start(), 1), text))
                if args.screenshot and "enrolling fingerprints" in text and not shot:
                    shot.append(text)  # once the status bar has been laid out again
                    QTimer.singleShot(500, lambda: window.grab().save(str(args.screenshot)))

    station.operators.add("supervisor", "correct horse battery", "supervisor", full_name="Dana Whitfield",
                          actor="setup")  # fmt: skip
    clerk = station.operators.add(
        "clerk1", "clerk password", "clerk", full_name="Ana Díaz", actor="supervisor"
    )
    today = dt.date.today()
    form = BookingForm(
        {
            "surname": "Doe", "given_names": "Alex", "date_of_birth": "1990-01-02", "sex": "M", "race": "W",
            "place_of_birth": "NY", "height": "5'10\"", "weight": "170", "eye_color": "BRO",
            "hair_color": "BLK", "arrested_on": today.isoformat(),
        },
        [{"offense_date": today.isoformat(), "text": "Theft of property", "level": "felony"}],
    )  # fmt: skip
    booking = station.bookings.create(parse(form, today), actor="clerk1").id
    mark("booking saved")
    ctl = control()
    ctl.reset()
    ctl.present(args.subject)
    view = BookingView(station, clerk, booking)
    view.resize(1366, 768)
    view.show()
    page = view.show_page("capture")
    spin(lambda: page.session is not None)  # the capture session starts with the tab
    page.advance_delay_ms = 0
    spin(lambda: page.workflow.complete() and page.stack.currentWidget() is page.review)
    mark("fourteen prints captured")
    spin(lambda: page.workflow.sequence is not None and not page.review.checking)
    mark("sequence check done")
    page.shutdown()
    responses = view.show_page("responses")
    responses.submit.click()
    mark("submitted")
    spin(lambda: responses.list.count() >= 1)
    mark(f"first answer: {responses.list.item(0).text().strip()}")
    view.close()


def _backend_cpu(worker) -> float:  # noqa: ANN001
    """User + system CPU seconds of the embedded backend process so far (0 before it runs)."""
    embedded = getattr(worker, "_embedded", None)
    pid = embedded.pid if embedded is not None else None
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _since_start() -> float:
    from desktop.ui.app import seconds_since_process_start

    return seconds_since_process_start()


if __name__ == "__main__":
    sys.exit(main())
