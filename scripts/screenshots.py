"""Save a screenshot of each station page into docs/screenshots/ (a person looks at them).

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/screenshots.py
    .venv/bin/python scripts/screenshots.py --offscreen      # no X server needed
    .venv/bin/python scripts/screenshots.py --only capture   # just the capture-*.png states
    .venv/bin/python scripts/screenshots.py --only security --size 1366x768   # lock screen, audit check
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py --only hwtest --size 1366x768
        # diagnostics.png (emulated AES3500, a conformance run) and capture-clean-the-platen.png

Runs against a throw-away station (temporary config and data folders) seeded with a supervisor
and a few bookings, drives the real window as a clerk would, and grabs each page. The capture
states (capture-*.png) come from the real capture page fed by the virtual scanner, whose control
object scripts the subject, bandaged and missing fingers, wrong finger and unplugging; they take
a few minutes (real quality, segmentation and sequence checks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
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
    parser.add_argument(
        "--only",
        choices=["shell", "capture", "detainer", "responses", "security", "hwtest"],
        help="only the shell pages, capture-*.png, the detainer page and copies, responses-sre.png, "
        "the lock screen and the audit check against the backend's anchored heads, or the hardware "
        "tester's diagnostics page and the dirty-platen capture",
    )
    parser.add_argument("--language", choices=["en", "es"], default="en", help="the UI language (default en)")
    parser.add_argument(
        "--size", default="1180x760", help="window size WIDTHxHEIGHT, e.g. 1366x768 (default 1180x760)"
    )
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    if args.only == "hwtest":  # an emulated USB sensor beside the virtual scanner (before any import)
        os.environ["BOOKING_STATION_EMULATE"] = "aes3500"
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
    from desktop.ui import translations
    from desktop.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    translations.install(app, args.language)
    station = Station.open()
    window = MainWindow(station)
    window.resize(width, height)
    window.showNormal()  # exactly the asked size, not maximised

    def settle(ms: int = 150) -> None:
        from desktop.ui import _worker

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        QCoreApplication.processEvents()
        _wait(60, lambda: _worker.pending() == 0, "the window's database work")  # reads run off the UI thread
        QCoreApplication.processEvents()

    def shoot(name: str) -> None:
        settle()
        path = args.out / f"{name}.png"
        window.grab().save(str(path))
        print(path)

    if args.only == "security":
        _security_shots(station, window, shoot, settle)
        window.close()
        station.close()
        return 0
    if args.only == "hwtest":
        _hwtest_shots(station, window, args.out, (width, height), shoot, settle)
        window.close()
        station.close()
        return 0
    if args.only in ("capture", "detainer", "responses"):
        clerk = station.operators.add(
            "clerk1", "clerk password", "clerk", full_name="Ana Díaz", actor="setup"
        )
        if args.only == "capture":
            _capture_shots(station, clerk, args.out, (width, height))
        elif args.only == "responses":
            _responses_shots(station, clerk, args.out, home)
        else:
            station.operators.add("supervisor", "correct horse battery", "supervisor", actor="setup")
            window._show_start()  # the log-in page now that a supervisor exists
            settle(500)
            _log_in(window, "clerk1", "clerk password", settle)
            _detainer_shots(station, window, args.out, (width, height))
        settle()  # the pages' last reads report back before the window goes
        window.close()
        station.close()
        return 0
    shoot("first-run")
    window.first_run_page.username.setText("supervisor")
    window.first_run_page.full_name.setText("Dana Whitfield")
    window.first_run_page.password.setText("correct horse battery")
    window.first_run_page.repeat.setText("correct horse battery")
    window.first_run_page.submit()
    settle(1500)
    clerk = station.operators.add(
        "clerk1", "clerk password", "clerk", full_name="Ana Díaz", actor="supervisor"
    )
    today = dt.datetime.now(station.config.zone).date()  # the station's day, not the machine's
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
    settle()  # the log-in form is shown (and emptied) once the store answered
    window.login_page.username.setText("clerk1")
    shoot("login")
    _log_in(window, "clerk1", "clerk password", settle)
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
    settle()  # the log-in form is shown (and emptied) once the store answered
    _log_in(window, "supervisor", "correct horse battery", settle)
    window.show_settings()
    shoot("settings")
    window.show_operators()
    shoot("operators")
    window.show_audit()
    window.audit_page.verify()
    settle(800)
    shoot("audit")
    if args.only is None:
        _capture_shots(station, clerk, args.out)
        window.log_out()
        _log_in(window, "clerk1", "clerk password", settle)
        _detainer_shots(station, window, args.out, (width, height))
        _responses_shots(station, clerk, args.out, home)
    window.close()
    station.close()
    app.quit()
    return 0


def _log_in(window, username: str, password: str, settle: Callable[..., None]) -> None:
    """Log in on the window's log-in page as a clerk would, and let the first page load."""
    window.login_page.username.setText(username)
    window.login_page.password.setText(password)
    window.login_page.submit()
    settle(1500)


def _spin(seconds: float, until: Callable[[], bool] | None = None) -> bool:
    """Run the event loop for up to `seconds`, or until `until()` holds (then True)."""
    from PySide6.QtCore import QEventLoop, QTimer

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        loop = QEventLoop()
        QTimer.singleShot(30, loop.quit)
        loop.exec()
        if until is not None and until():
            return True
    return until is None


def _wait(seconds: float, until: Callable[[], bool], what: str) -> None:
    if not _spin(seconds, until):
        raise RuntimeError(f"screenshots: gave up waiting for {what} after {seconds:.0f} s")


def _capture_shots(station, clerk, out: Path, size: tuple[int, int] = (1440, 860)) -> None:
    """The capture page's states, each driven through the virtual scanner as a clerk would see it."""
    from desktop.station.bookings import BookingForm, parse
    from desktop.station.capture import LEFT_SLAP, RIGHT_SLAP, THUMBS, CaptureWorkflow, StepState
    from desktop.ui.booking_view import BookingView
    from drivers.virtual import Fault, Timing, control

    today = dt.datetime.now(station.config.zone).date()  # the station's day, not the machine's

    def booking(surname: str, given: str) -> int:
        form = BookingForm(
            {
                "surname": surname, "given_names": given, "date_of_birth": "1990-01-02", "sex": "M",
                "race": "W", "place_of_birth": "CA", "height": "5'10\"", "weight": "170", "eye_color": "BRO",
                "hair_color": "BLK", "arrested_on": today.isoformat(),
            },
            [{"offense_date": today.isoformat(), "text": "Theft of property", "level": "felony"}],
        )  # fmt: skip
        return station.bookings.create(parse(form, today), actor="clerk1").id

    def open_capture(booking_id: int):
        view = BookingView(station, clerk, booking_id)
        view.resize(*size)
        view.show()
        page = view.show_page("capture")
        _wait(30, lambda: page.session is not None, "the capture session")  # made in the thread pool
        _spin(0.5)
        return view, page

    def hold_until_started(page) -> None:
        """Nobody at the platen until the script starts a capture itself (so attempts are counted)."""
        page.auto_advance = False
        page.cancel_capture()
        _wait(
            60, lambda: page.session.running is None, "the first capture to stop"
        )  # a new subject: masters grow first
        ctl.set_auto(True)
        _wait(20, lambda: page.session.device is not None, "the scanner to open")

    def capture_once(page, position, fault: Fault | None = None) -> None:
        attempts = page.workflow.status(position).attempts
        if fault is not None:
            ctl.inject(fault)
        page.start_capture(page.workflow.step(position))
        _wait(
            60,
            lambda: page.session.running is None and page.workflow.status(position).attempts > attempts,
            "a capture",
        )

    def to_review(page) -> None:
        page.auto_advance = True
        page.advance_delay_ms = 0
        page.start_capture()
        _wait(
            300, lambda: page.workflow.complete() and page.stack.currentWidget() is page.review, "the review"
        )
        page.review.run_sequence_check()
        _wait(
            180, lambda: page.workflow.sequence is not None and not page.review.checking, "the sequence check"
        )

    def shoot(widget, name: str) -> None:
        _spin(0.3)
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path, flush=True)

    ctl = control()
    ctl.reset()
    # Live preview: the finger is held on the platen (many frames to stability) so the tinted
    # quality map is on screen; then normal timing lets the slap be accepted.
    ctl.present(41)
    ctl.set_timing(Timing(fps=25, press_s=2.0, stable_frames=400))
    view, page = open_capture(booking("Okafor", "Chidi"))

    def tinted() -> bool:
        overlay = page.view._overlay
        return overlay is not None and any(
            overlay.pixelColor(x, y).alpha()
            for x in range(0, overlay.width(), 2)
            for y in range(0, overlay.height(), 2)
        )

    _wait(60, lambda: page.session.running is not None and tinted(), "the live quality map")
    shoot(view, "capture-live")
    ctl.set_timing(Timing(fps=25))
    _wait(60, lambda: page.workflow.status(RIGHT_SLAP).state is StepState.CAPTURED, "the right slap")
    page.auto_advance = False
    _spin(0.5)
    shoot(view, "capture-slap-accepted")
    ctl.set_timing(Timing.fast())
    to_review(page)
    shoot(view, "capture-review")
    page.shutdown()
    view.close()

    # A bandaged right middle finger (retake, then the best of three kept) and an amputated
    # right little finger annotated before capture; then the scanner is unplugged mid-capture.
    ctl.reset()
    ctl.set_timing(Timing.fast())
    ctl.present(42, bandaged={3}, missing={5})
    second = booking("Lindqvist", "Astrid")
    CaptureWorkflow(station, second, clerk).annotate(5, "XX", "amputated (old injury)")
    ctl.set_auto(False)
    view, page = open_capture(second)
    hold_until_started(page)
    capture_once(page, RIGHT_SLAP)
    shoot(view, "capture-retake")
    capture_once(page, RIGHT_SLAP)
    capture_once(page, RIGHT_SLAP)
    shoot(view, "capture-kept-best-amputated")
    ctl.inject(Fault.UNPLUG)
    page.start_capture()
    _wait(60, lambda: page.session.device is None and page.session.running is None, "the unplug to show")
    shoot(view, "capture-unplugged")
    ctl.plug()
    page.shutdown()
    view.close()

    # The wrong finger on the right ring finger's rolled print: the review's sequence check says so.
    ctl.reset()
    ctl.set_timing(Timing.fast())
    ctl.present(43)
    ctl.set_auto(False)
    view, page = open_capture(booking("Haddad", "Omar"))
    hold_until_started(page)
    page.advance_delay_ms = 0
    for position in (RIGHT_SLAP, LEFT_SLAP, THUMBS, 1, 2, 3):
        capture_once(page, position)
    capture_once(page, 4, Fault.WRONG_FINGER)
    to_review(page)
    shoot(view, "capture-sequence-error")
    page.shutdown()
    view.close()

    # A booking closed while the scanner still holds a frame (a transfer a cancel cannot cut short):
    # the next booking's capture page says it waits for the scanner until the first lets it go.
    ctl.reset()
    ctl.set_timing(Timing.fast())
    ctl.present(44)
    ctl.hold_frames()
    view, page = open_capture(booking("Brennan", "Kate"))
    _wait(60, lambda: ctl.wait_frame_held(0), "the capture to reach the held frame")
    page.shutdown()  # the booking closes; its capture ends on its own thread once the frame comes
    view.close()
    view, page = open_capture(booking("Moreau", "Lucien"))
    # The page's own banner for the wait (in the language shown), not its English.
    waiting = page.tr("Waiting for the scanner…")
    _wait(30, lambda: page.view.banner == waiting, "the wait for the scanner")
    shoot(view, "capture-waiting-for-scanner")
    ctl.release_frames()
    _wait(60, lambda: page.session.device is not None, "the scanner to open")
    page.shutdown()
    view.close()
    ctl.reset()


def _hwtest_shots(station, window, out: Path, size: tuple[int, int], shoot, settle) -> None:
    """The diagnostics page as a hardware tester sees it after a conformance run of the emulated
    AES3500, and the capture page asking for the platen to be cleaned (virtual scanner, dirty)."""
    from desktop.station.bookings import BookingForm, parse
    from desktop.station.capture import RIGHT_SLAP, CapturePlan, CaptureWorkflow
    from desktop.ui.booking_pages import PageContext
    from desktop.ui.capture import CapturePage
    from drivers.virtual import Timing, control

    station.operators.add("supervisor", "correct horse battery", "supervisor", actor="setup")
    station.operators.add(
        "tester1", "tester password", "hardware-tester", full_name="Sam Ortiz", actor="setup"
    )
    window._show_start()
    settle(500)
    _log_in(window, "tester1", "tester password", settle)
    page = window.diagnostics_page
    _wait(30, lambda: page is not None and page.devices.count() > 1, "the scanner list")
    for row in range(page.devices.count()):
        if page.devices.item(row).data(0x0100).id.startswith("usb:"):  # Qt.UserRole
            page.devices.setCurrentRow(row)
    page.captures.setValue(2)
    page.conformance_button.click()
    _wait(120, lambda: page._task is None and page.results.rowCount() > 0, "the conformance run")
    shoot("diagnostics")

    ctl = control()
    ctl.reset()
    ctl.set_timing(Timing.fast())
    ctl.present(38)
    ctl.make_dirty()
    today = dt.datetime.now(station.config.zone).date()
    form = BookingForm(
        {
            "surname": "Okafor", "given_names": "Chidi", "date_of_birth": "1990-01-02", "sex": "M",
            "race": "W", "place_of_birth": "CA", "height": "5'10\"", "weight": "170", "eye_color": "BRO",
            "hair_color": "BLK", "arrested_on": today.isoformat(),
        },
        [{"offense_date": today.isoformat(), "text": "Theft of property", "level": "felony"}],
    )  # fmt: skip
    clerk = station.operators.add("clerk1", "clerk password", "clerk", full_name="Ana Díaz", actor="setup")
    booking_id = station.bookings.create(parse(form, today), actor="clerk1").id
    workflow = CaptureWorkflow(station, booking_id, clerk, plan=CapturePlan(rolled=False), threshold=10)
    capture = CapturePage(PageContext(station, clerk, booking_id, lambda: None), workflow=workflow)
    capture.resize(size[0], size[1] - 40)  # the booking header above it
    capture.show()
    _wait(30, lambda: capture.session is not None and capture.session.device is not None, "the scanner")
    capture.auto_advance = False
    capture.cancel_capture()
    _wait(60, lambda: capture.session.running is None, "the first capture to stop")
    capture.start_capture(workflow.step(RIGHT_SLAP))
    _wait(120, lambda: capture.last_attempt is not None and capture.session.running is None, "a capture")
    _spin(0.5)
    path = out / "capture-clean-the-platen.png"
    capture.grab().save(str(path))
    print(path, flush=True)
    capture.shutdown()
    capture.close()
    ctl.reset()


def _security_shots(station, window, shoot: Callable[[str], None], settle: Callable[..., None]) -> None:
    """The lock screen over a clerk's session (a detainer running, so the status bar's countdown
    would show), then the Audit page's check against the heads anchored at a real embedded backend
    (mutual TLS): intact, and after an intruder deleted the newest events and fixed the head."""
    from sqlalchemy import text

    from desktop.station.anchoring import anchor_now
    from desktop.station.bookings import BookingForm, parse
    from desktop.station.config import data_dir
    from desktop.station.models import AuditEvent
    from desktop.station.outbox_launcher import EmbeddedBackend

    station.operators.add("supervisor", "correct horse battery", "supervisor", full_name="Dana Whitfield",
                          actor="setup")  # fmt: skip
    station.operators.add("clerk1", "clerk password", "clerk", full_name="Ana Díaz", actor="supervisor")
    now = dt.datetime.now(station.config.zone)
    for sn, gn, dob, sex, race, pob, hgt, wgt, eye, hair, charge, level in SAMPLE_PEOPLE:
        form = BookingForm(
            {
                "surname": sn, "given_names": gn, "date_of_birth": dob, "sex": sex, "race": race,
                "place_of_birth": pob, "height": hgt, "weight": wgt, "eye_color": eye, "hair_color": hair,
                "arrested_on": now.date().isoformat(),
            },
            [{"offense_date": now.date().isoformat(), "text": charge, "level": level}],
        )  # fmt: skip
        booking = station.bookings.create(parse(form, now.date()), actor="clerk1").id
    station.detainers.receive(booking, "d-0001", now - dt.timedelta(hours=1), office="ICE ERO",
                              languages=["en"], actor="clerk1")  # fmt: skip
    window._show_start()
    settle(500)
    _log_in(window, "clerk1", "clerk password", settle)
    window.lock(idle=True)
    shoot("lock-screen")
    for _ in range(5):  # someone else tries passwords: the account locks, the screen says until when
        window.lock_page.password.setText("guessing 1234")
        window.lock_page.submit()
        settle(300)
    shoot("lock-screen-locked-out")

    backend = EmbeddedBackend(data_dir() / "backend")
    backend.start()
    try:
        page = window.lock_page
        page.username.setText("supervisor")
        page.password.setText("correct horse battery")
        page.submit()
        settle(1500)
        anchor_now(station.config, station.audit.head())
        for i in range(3):
            station.audit.append("clerk1", "booking.update", f"booking:{i + 1}", {"fields": ["weight"]})
        anchor_now(station.config, station.audit.head())
        window.show_audit()
        settle(500)
        window.audit_page.verify()
        _wait(60, lambda: window.audit_page.verify_button.isEnabled(), "the audit check")
        shoot("audit-verified")
        head = station.audit.head().sequence
        with station.store.session() as s:
            keep = s.query(AuditEvent).filter(AuditEvent.seq == head - 2).one().hash
        with station.store.engine.begin() as c:  # the intruder: triggers off, newest events gone
            c.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
            c.execute(text("DELETE FROM audit_events WHERE seq > :n"), {"n": head - 2})
            c.execute(
                text("UPDATE audit_head SET seq = :n, hash = :h WHERE id = 1"), {"n": head - 2, "h": keep}
            )
        window.audit_page.refresh()
        window.audit_page.verify()
        _wait(60, lambda: window.audit_page.verify_button.isEnabled(), "the audit check")
        shoot("audit-tampered")
    finally:
        backend.stop()


def _detainer_shots(station, window, shots: Path, size: tuple[int, int]) -> None:
    """The Detainer page in the logged-in window (Vietnamese copy previewed), a citizenship claim
    under review and ICE's withdrawal, an interpreter's hand-over in a language with no written copy,
    and the sample detainee's copies in Vietnamese and Arabic as printed (PDF pages at 72 dpi).
    `window` is logged in as the clerk who records; ICE's side is the mock LESC's answer, delivered
    through the station's mailbox hook as the backend's mailbox delivers it."""
    from PySide6.QtCore import Qt

    from desktop.station.bookings import BookingForm, parse
    from desktop.station.detainers import notice

    for code in ("vi", "ar"):
        path = shots / f"detainer-copy-{code}.png"
        path.write_bytes(notice.rasterize(notice.render(notice.sample_details(), code).pdf, dpi=72)[0])
        print(path, flush=True)

    now = dt.datetime.now(station.config.zone).replace(second=0, microsecond=0)

    def booking(surname: str, given: str, pob: str, languages: list[str], detainer_id: str) -> int:
        form = BookingForm(
            {
                "surname": surname, "given_names": given, "date_of_birth": "1988-03-14", "sex": "M",
                "race": "A", "place_of_birth": pob, "height": "5'07\"", "weight": "150", "eye_color": "BRO",
                "hair_color": "BLK", "arrested_on": now.date().isoformat(),
            },
            [{"offense_date": now.date().isoformat(), "text": "Theft of property", "level": "felony"}],
        )  # fmt: skip
        booking_id = station.bookings.create(parse(form, now.date()), actor="clerk1").id
        station.detainers.receive(
            booking_id, detainer_id, now - dt.timedelta(hours=1),
            office="ICE ERO Washington Field Office", languages=languages, actor="mailbox",
        )  # fmt: skip
        pk = station.detainers.for_booking(booking_id)[0].id
        station.detainers.set_releasable(pk, now.astimezone(dt.UTC), actor="clerk1")
        return booking_id

    def open_page(booking_id: int, language: str):
        window.open_booking(booking_id)
        view = window.booking_view
        page = view.show_page("detainer")  # by the page, not its title: the title is translated
        _wait(60, lambda: page._view is not None, "the detainer page")
        codes = [page.languages.item(r).data(Qt.ItemDataRole.UserRole) for r in range(page.languages.count())]
        page.languages.setCurrentRow(codes.index(language))
        _wait(60, lambda: page._drawing is None and not page.preview_image.pixmap().isNull(), "the preview")
        _spin(0.5)
        return page

    def shoot(path: Path) -> None:
        _spin(0.5)
        window.grab().save(str(path))
        print(path, flush=True)

    window.resize(*size)
    page = open_page(booking("Nguyễn", "Văn An", "CA", ["en", "vi"], "d-0001"), "vi")
    shoot(shots / "detainer-page.png")

    # A citizenship claim: recorded by the clerk, under review at ICE, then withdrawn.
    page.claim_kind.setCurrentIndex(page.claim_kind.findData("citizen"))
    page.claim_statement.setText("Says he was born in Fresno, California, and went to school there.")
    page.record_claim.click()
    _wait(60, lambda: bool(page._view and page._view.claims), "the claim")
    claim = page._view.claims[0]
    station.detainers.on_response(
        0, page._view.booking_id,
        {"claim_id": claim.claim_id, "detainer_id": "d-0001", "kind": "citizen", "outcome": "pending",
         "reason": "under review by ICE", "decided_at": dt.datetime.now(dt.UTC).isoformat()},
    )  # fmt: skip
    _wait(60, lambda: bool(page._view.claims[0].outcome), "the claim's review")
    shoot(shots / "detainer-claim.png")
    station.detainers.on_response(
        0, page._view.booking_id,
        {"claim_id": claim.claim_id, "detainer_id": "d-0001", "kind": "citizen", "outcome": "withdrawn",
         "reason": "place of birth in the booking is California, United States",
         "decided_at": dt.datetime.now(dt.UTC).isoformat()},
    )  # fmt: skip
    _wait(60, lambda: not page._view.open, "the withdrawal")
    shoot(shots / "detainer-claim-withdrawn.png")

    # A detainer listing K'iche' and Spanish: the Spanish copy saved, read in K'iche' by telephone.
    page = open_page(booking("Tzul", "Baltazar", "GT", ["quc", "es"], "d-0002"), "es")
    folder = Path(tempfile.mkdtemp(prefix="bs-copies-"))
    saved: list = []
    page.save_pdf(str(folder), saved.append)
    _wait(60, lambda: bool(saved) and bool(page._view.copies), "the saved copy")
    page.handover_method.setCurrentIndex(page.handover_method.findData("handed"))
    page.record_handover.click()
    _wait(60, lambda: bool(page._view.served), "the hand-over")
    page.handover_copy.setCurrentIndex(0)
    page.handover_language.setCurrentIndex(page.handover_language.findData("quc"))
    page.handover_method.setCurrentIndex(page.handover_method.findData("interpreter_phone"))
    page.interpreter.setText("LanguageLine interpreter 40417")
    shoot(shots / "detainer-interpreter-before.png")
    page.record_handover.click()
    _wait(60, lambda: len(page._view.served) == 2, "the interpreter's hand-over")
    shoot(shots / "detainer-interpreter.png")
    window.show_bookings()


def _responses_shots(station, clerk, out: Path, home: Path) -> None:
    """Real submissions to the real mock backend (a small population, started like the embedded
    one): a person with an FBI record and an expected detainer, and a person on no file, each
    captured through the capture page with the virtual scanner and submitted from the Responses tab."""
    import httpx

    from desktop.station.outbox_launcher import EmbeddedBackend
    from desktop.station.outbox_worker import SubmissionWorker
    from desktop.ui.bookings_list import BookingsPage

    backend = EmbeddedBackend(home / "backend", extra_args=("--population", "12"))
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config, embedded=backend)
    worker.start()
    try:
        _wait(120, lambda: backend.url is not None, "the backend to listen")
        # The admin pages need an administrator's certificate of the embedded backend's CA.
        from booking_station.pki import CertificateAuthority, client_context

        admin, _p12, _passphrase = CertificateAuthority.open(backend.pki_dir).issue_admin(
            "screenshots", home / "admin"
        )
        people = httpx.get(
            f"{backend.url}/admin/population",
            params={"record": "detainer"},
            timeout=30,
            verify=client_context(admin),
        ).json()
        known = next(p for p in people if p["fbi_number"] and p["detainer_expected"])
        # FBI SRE, DHS immigration response and ICE detainer, all shown on the page.
        view = _submit_person(station, clerk, known, answers=3)
        responses = view.pages["responses"]
        for row in range(responses.list.count()):
            if responses.list.item(row).text().split("  ", 1)[-1].startswith("FBI"):
                responses.list.setCurrentRow(row)
        _spin(0.3)
        path = out / "responses-sre.png"
        view.grab().save(str(path))
        print(path, flush=True)
        view.close()
        # Subject ids above the population's are people on no file: one answer, "no FBI record".
        stranger = {"subject_id": 900, "family_name": "Kowalczyk", "given_name": "Marta", "dob": "1993-05-17",
                    "sex": "F"}  # fmt: skip
        _submit_person(station, clerk, stranger, answers=1).close()

        bookings = BookingsPage(station)  # the Answer column says what came back
        bookings.resize(1200, 400)
        bookings.show()
        bookings.refresh()
        _spin(0.5)
        path = out / "bookings-answers.png"
        bookings.grab().save(str(path))
        print(path, flush=True)
        bookings.close()
    finally:
        worker.stop()
        backend.stop()


def _submit_person(station, clerk, person: dict, answers: int):
    """Book `person`, take all their prints from the virtual scanner (subject `subject_id`), submit,
    and wait until `answers` responses are on the Responses tab; returns the booking's view."""
    from desktop.station.bookings import BookingForm, parse
    from desktop.ui.booking_view import BookingView
    from drivers.virtual import Timing, control

    today = dt.datetime.now(station.config.zone).date()  # the station's day, not the machine's
    form = BookingForm(
        {
            "surname": person["family_name"], "given_names": person["given_name"],
            "date_of_birth": person["dob"], "sex": person["sex"], "race": "W", "place_of_birth": "NY",
            "height": "5'06\"", "weight": "140", "eye_color": "BRO", "hair_color": "BLK",
            "arrested_on": today.isoformat(),
        },
        [{"offense_date": today.isoformat(), "text": "Theft of property", "level": "felony"}],
    )  # fmt: skip
    booking = station.bookings.create(parse(form, today), actor="clerk1").id
    ctl = control()
    ctl.reset()
    ctl.set_timing(Timing.fast())
    ctl.present(int(person["subject_id"]))
    view = BookingView(station, clerk, booking)
    view.resize(1200, 900)
    view.show()
    page = view.show_page("capture")
    _wait(30, lambda: page.session is not None, "the capture session")  # made in the thread pool
    page.advance_delay_ms = 0
    _wait(300, lambda: page.workflow.complete() and page.stack.currentWidget() is page.review, "the prints")
    _wait(180, lambda: page.workflow.sequence is not None and not page.review.checking, "the sequence check")
    page.shutdown()
    ctl.reset()
    responses = view.show_page("responses")
    _spin(0.3)
    responses.submit.click()
    _wait(300, lambda: responses.list.count() >= answers, f"{answers} answer(s)")
    _spin(1.0)
    return view


if __name__ == "__main__":
    sys.exit(main())
