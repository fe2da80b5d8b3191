"""End to end, as the clerk sees it (pytest-qt, offscreen): a detainer arrives through the mailbox,
the clerk records the releasable time, the deadline is right, the copy is saved as PDF in Vietnamese
and in Arabic, and each service is in the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from PySide6.QtCore import Qt
from test_detainer_service import DOCUMENT, deliver
from ui_helpers import settle

from desktop.station.bookings import parse
from desktop.station.config import replace
from desktop.station.models import DetainerStatus, Role
from desktop.ui.booking_view import BookingView
from desktop.ui.bookings_list import BookingsModel, load_list
from desktop.ui.detainer_page import DetainerPage


@pytest.fixture
def clerk(station):
    return station.operators.add("clerk1", "correct horse battery", Role.CLERK, actor="admin")


@pytest.fixture
def booking(station, booking_form):
    return station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1")


def _page(qtbot, station, clerk, booking) -> DetainerPage:
    view = BookingView(station, clerk, booking.id)
    qtbot.addWidget(view)
    view.show()
    page = view.pages["detainer"]
    view.tabs.setCurrentWidget(page)
    assert isinstance(page, DetainerPage)
    settle(qtbot)
    return page


def _choose_language(qtbot, page: DetainerPage, own_name: str, code: str) -> None:
    page.language_search.clear()
    page.language_search.insert(own_name)  # as an input method delivers it
    assert page.selected_language() == code
    qtbot.waitUntil(
        lambda: page._preview_pdf is not None and page._preview_pdf.language == code, timeout=20000
    )
    assert not page.preview_image.pixmap().isNull()


def test_detainer_arrives_clock_runs_and_copies_are_served(qtbot, station, clerk, booking, tmp_path) -> None:
    page = _page(qtbot, station, clerk, booking)
    assert page.empty.isVisible() and not page.details.isVisible()

    deliver(station, booking.id, "DETAINER", {**DOCUMENT, "notice_languages": ["en", "vi", "ar"]})
    settle(qtbot)  # the page reloads on the "detainer.received" event by itself
    assert page.details.isVisible() and "d-0001" in page.facts.text()
    assert not page.copy_box.isEnabled()  # no deadline yet, so no copy

    qtbot.keyClicks(page.releasable, "2012-12-21 17:00")
    qtbot.mouseClick(page.record_releasable, Qt.MouseButton.LeftButton)
    settle(qtbot)
    view = station.detainers.for_booking(booking.id)[0]
    assert view.deadline.isoformat() == "2012-12-26T17:00:00-05:00"
    assert "2012-12-26 17:00 EST" in page.deadline.text()
    assert page.copy_box.isEnabled()

    served = {}
    for own_name, code in (("Tiếng Việt", "vi"), ("العربية", "ar")):
        _choose_language(qtbot, page, own_name, code)
        path = tmp_path / f"{code}.pdf"
        written: list = []
        page.save_pdf(str(path), written.append)
        qtbot.waitUntil(lambda: len(written) == 1, timeout=30_000)  # noqa: B023 (waited for here)
        assert path.read_bytes() == written[0].pdf
        served[code] = hashlib.sha256(path.read_bytes()).hexdigest()

    events = [e for e in station.audit.events(text="detainer:d-0001") if e.action == "detainer.copy_served"]
    assert {(e.actor, e.details["language"], e.details["sha256"]) for e in events} == {
        ("clerk1", "vi", served["vi"]),
        ("clerk1", "ar", served["ar"]),
    }
    settle(qtbot)
    assert "Tiếng Việt" in page.served.text() and "العربية" in page.served.text()

    # The 2012 deadline is long past: the page says plainly the hold has lapsed. Recording the
    # lapse is the core's detainer clock's duty (test_station_service.py), never the page's.
    page._tick()
    assert "LAPSED" in page.banner.text() and page.countdown.text().startswith("lapsed")
    assert station.detainers.get(view.id).status is DetainerStatus.ACTIVE
    column = BookingsModel(station)
    column.set_data(load_list(station, "", today_only=False))
    assert column.data(column.index(0, column.columnCount() - 1)).startswith("LAPSED")

    page.outcome_kind.setCurrentIndex(page.outcome_kind.findData("released"))
    page.outcome_at.setText("2012-12-26 18:05")
    qtbot.mouseClick(page.record_outcome, Qt.MouseButton.LeftButton)
    settle(qtbot)
    closed = station.detainers.get(view.id)
    assert closed.status is DetainerStatus.RELEASED
    assert "Released" in page.outcome_text.text() and not page.record_outcome.isVisible()
    assert station.audit.events(text="detainer:d-0001")[0].details["after_hold_lapsed"] is True
    assert station.audit.verify().ok


def test_agency_that_declines_immigration_responses_is_told_detainers_still_come(
    qtbot, station, clerk, booking
) -> None:
    page = _page(qtbot, station, clerk, booking)
    assert "receives immigration responses" in page.agency_note.text()
    station.config = replace(station.config, immigration_responses=False)
    page.refresh()
    settle(qtbot)
    assert "declined immigration responses" in page.agency_note.text()
    assert "still delivered" in page.agency_note.text()


def test_a_bad_releasable_time_is_named_and_nothing_changes(
    qtbot, station, clerk, booking, monkeypatch
) -> None:
    deliver(station, booking.id, "DETAINER", DOCUMENT)
    page = _page(qtbot, station, clerk, booking)
    warnings = []
    monkeypatch.setattr("desktop.ui.detainer_page.QMessageBox.warning", lambda *a: warnings.append(a[2]))
    qtbot.keyClicks(page.releasable, "2023-03-12 02:30")  # skipped by the spring-forward change
    qtbot.mouseClick(page.record_releasable, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert warnings and "does not exist in America/New_York" in warnings[0]
    assert station.detainers.for_booking(booking.id)[0].deadline is None


def test_printing_serves_the_copy_on_the_printer(qtbot, station, clerk, booking, tmp_path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    deliver(station, booking.id, "DETAINER", {**DOCUMENT, "notice_languages": ["en", "ko"]})
    page = _page(qtbot, station, clerk, booking)
    station.detainers.set_releasable(
        page._view.id, dt.datetime(2012, 12, 21, 17, tzinfo=dt.UTC), actor="clerk1"
    )
    settle(qtbot)  # the page reloads on the "detainer.releasable" event
    assert page.selected_language() == "ko"  # the detainer's first non-English language
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a printer that writes a file
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printed = []
    page.print_to(printer, printed.append)
    qtbot.waitUntil(lambda: bool(printed), timeout=60_000)
    copy = printed[0]
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    event = station.audit.events(text="detainer:d-0001")[0]
    assert event.action == "detainer.copy_served" and event.details == {
        **event.details,
        "language": "ko",
        "sha256": copy.sha256,
    }


def test_status_bar_watch_announces_each_alert_the_core_raises_once(qtbot, station, booking) -> None:
    from PySide6.QtWidgets import QMainWindow

    from desktop.station.detainers.watch import DetainerClock
    from desktop.ui.detainer_status import DetainerIndicator

    deliver(station, booking.id, "DETAINER", DOCUMENT)
    detainer = station.detainers.for_booking(booking.id)[0]
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=dt.UTC), actor="c"
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    now = [deadline - dt.timedelta(hours=14)]
    indicator = DetainerIndicator(station, now=lambda: now[0])  # a clock the test moves on
    window.statusBar().addWidget(indicator)
    settle(qtbot)
    assert indicator.announced == [] and "Detainers: 1" in indicator.text()
    clock = DetainerClock(station.detainers, station.events, now=lambda: now[0])  # the core's duty
    for hours_before in (13, 11.9, 11, 1.9, 1, -0.01, -1):
        now[0] = deadline - dt.timedelta(hours=hours_before)
        clock.run_once()
        settle(qtbot)
        indicator.tick()
    announced = indicator.announced
    assert [("): 12 h" in m, "): 2 h" in m, "LAPSED" in m) for m in announced] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    assert all(booking.number in m for m in announced)
    assert station.detainers.get(detainer.id).status is DetainerStatus.LAPSED
    assert "Detainers: 1" in indicator.text() and "lapsed" in indicator.text()
