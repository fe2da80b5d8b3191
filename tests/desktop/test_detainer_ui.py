"""End to end, as the clerk sees it (pytest-qt, offscreen): a detainer arrives through the mailbox,
the clerk records the releasable time, the deadline is right, the copy is saved as PDF in Vietnamese
and in Arabic, and each service is in the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from PySide6.QtCore import Qt
from test_detainer_service import DOCUMENT, deliver
from ui_helpers import log_in, open_main_window, settle

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
    page = view.show_page("detainer")
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


def _choose_copy(page: DetainerPage, language_name: str) -> None:
    """Pick, for the hand-over, the copy in that language not handed over yet."""
    box = page.handover_copy
    texts = [box.itemText(i) for i in range(box.count())]
    box.setCurrentIndex(
        next(i for i, t in enumerate(texts) if t.startswith(language_name) and "handed over" not in t)
    )


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

    made = {}
    for own_name, code in (("Tiếng Việt", "vi"), ("العربية", "ar")):
        _choose_language(qtbot, page, own_name, code)
        written: list = []
        page.save_pdf(str(tmp_path), written.append)
        qtbot.waitUntil(lambda: len(written) == 1, timeout=30_000)  # noqa: B023 (waited for here)
        path = tmp_path / f"{booking.number}-{code}.pdf"  # named after the booking and the language
        assert written[0].file == str(path)
        made[code] = hashlib.sha256(path.read_bytes()).hexdigest()
        assert written[0].sha256 == made[code]
    settle(qtbot)
    # Made, not yet served: nothing says the person has it until the clerk records the hand-over.
    actions = [e.action for e in station.audit.events(text="detainer:d-0001")]
    assert actions.count("detainer.copy_made") == 2 and "detainer.copy_served" not in actions
    assert "record how it was handed over" in page.served.text()
    assert page.handover_method.currentIndex() == -1 and not page.record_handover.isEnabled()

    for code in ("vi", "ar"):
        _choose_copy(page, {"vi": "Tiếng Việt", "ar": "العربية"}[code])
        page.handover_method.setCurrentIndex(page.handover_method.findData("handed"))
        assert page.record_handover.isEnabled() and not page.interpreter.isEnabled()
        qtbot.mouseClick(page.record_handover, Qt.MouseButton.LeftButton)
        settle(qtbot)

    events = [e for e in station.audit.events(text="detainer:d-0001") if e.action == "detainer.copy_served"]
    assert {(e.actor, e.details["language"], e.details["method"], e.details["sha256"], e.details["file"])
            for e in events} == {
        ("clerk1", "vi", "handed", made["vi"], str(tmp_path / f"{booking.number}-vi.pdf")),
        ("clerk1", "ar", "handed", made["ar"], str(tmp_path / f"{booking.number}-ar.pdf")),
    }  # fmt: skip
    assert "Tiếng Việt" in page.served.text() and "العربية" in page.served.text()
    assert "Service complete" in page.served.text()

    # The 2012 deadline is long past: the page says plainly the hold has lapsed. Recording the
    # lapse is the core's detainer clock's duty (test_station_service.py), never the page's.
    styled: list[str] = []
    page.banner.setStyleSheet = lambda style, set_=page.banner.setStyleSheet: (
        styled.append(style),
        set_(style),
    )
    for _ in range(3):  # the one-second tick, three times in the same stage
        page._tick()
    assert len(styled) <= 1, styled  # restyled (a polish of the banner) only when the stage changes
    assert "LAPSED" in page.banner.text() and page.countdown.text().startswith("lapsed")
    assert station.detainers.get(view.id).status is DetainerStatus.ACTIVE
    column = BookingsModel(station)
    column.set_data(load_list(station, "", today_only=False))
    assert column.data(column.index(0, column.columnCount() - 1)).startswith("LAPSED")

    # The outcome has no default: nothing can be recorded until the clerk says what was done.
    assert page.outcome_kind.currentIndex() == -1 and not page.record_outcome.isEnabled()
    page.outcome_kind.setCurrentIndex(page.outcome_kind.findData("released"))
    assert page.record_outcome.isEnabled()
    page.outcome_at.setText("2012-12-26 18:05")
    qtbot.mouseClick(page.record_outcome, Qt.MouseButton.LeftButton)
    settle(qtbot)
    closed = station.detainers.get(view.id)
    assert closed.status is DetainerStatus.RELEASED
    assert "Released" in page.outcome_text.text() and not page.record_outcome.isVisible()
    assert station.audit.events(text="detainer:d-0001")[0].details["after_hold_lapsed"] is True
    assert station.audit.verify().ok


def test_the_tabs_first_show_lays_out_the_details_only_once_the_detainers_are_read(
    qtbot, station, clerk, booking
) -> None:
    # bench ui: building the page and polishing and painting its ~60 detail widgets, still empty,
    # in one turn of the event loop held the UI thread 44–59 ms of CPU. Hidden until the read
    # returns, the details are laid out and painted in a later turn, once, with their data.
    deliver(station, booking.id, "DETAINER", DOCUMENT)
    view = BookingView(station, clerk, booking.id)
    qtbot.addWidget(view)
    view.show()
    page = view.show_page("detainer")
    assert page.loading
    assert not page._details_scroll.isVisibleTo(page) and not page.empty.isVisibleTo(page)
    qtbot.waitUntil(lambda: not page.loading)
    assert page.details.isVisible() and "d-0001" in page.facts.text()


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


def test_the_page_names_the_holiday_rule_in_force(qtbot, station, clerk, booking) -> None:
    page = _page(qtbot, station, clerk, booking)
    assert "Federal holidays" in page.hold_rule.text() and "state" not in page.hold_rule.text()
    station.config = replace(station.config, hold_holidays="federal+state", state="CA")
    page.refresh()
    settle(qtbot)
    assert "CA state holidays" in page.hold_rule.text() and "setting" in page.hold_rule.text()


def test_the_page_words_the_holiday_rule_without_loading_the_holiday_tables(
    qtbot, station, clerk, booking, monkeypatch
) -> None:
    """The holiday tables (the `holidays` package, ~0.1–0.7 s to import) are the clock's work off
    the UI thread; naming the rule on the page needs only the settings."""
    from desktop.station.detainers import clock

    def not_on_the_ui_thread(*args, **kwargs):
        raise AssertionError("the holiday tables were loaded to word the rule")

    monkeypatch.setattr(clock, "_subdivisions", not_on_the_ui_thread)
    station.config = replace(station.config, hold_holidays="federal+state", state="CA")
    page = _page(qtbot, station, clerk, booking)
    assert "CA state holidays" in page.hold_rule.text()


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


def test_printing_makes_the_copy_and_an_interpreter_hand_over_serves_it(
    qtbot, station, clerk, booking, tmp_path
) -> None:
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
    made = printed[0]
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000
    event = station.audit.events(text="detainer:d-0001")[0]
    assert event.action == "detainer.copy_made" and event.details == {
        **event.details, "language": "ko", "how": "print", "sha256": made.sha256,
    }  # fmt: skip
    settle(qtbot)

    # Read to the person by a telephone interpreter: the name or ID number is required.
    page.handover_method.setCurrentIndex(page.handover_method.findData("interpreter_phone"))
    assert page.interpreter.isEnabled() and not page.record_handover.isEnabled()
    qtbot.keyClicks(page.interpreter, "LanguageLine 40417")
    assert page.record_handover.isEnabled()
    qtbot.mouseClick(page.record_handover, Qt.MouseButton.LeftButton)
    settle(qtbot)
    event = station.audit.events(text="detainer:d-0001")[0]
    assert event.action == "detainer.copy_served" and event.details == {
        **event.details, "language": "ko", "method": "interpreter_phone",
        "interpreter": "LanguageLine 40417", "sha256": made.sha256,
    }  # fmt: skip
    assert "LanguageLine 40417" in page.served.text()


def test_a_copy_that_could_not_be_saved_is_an_error_not_a_service(
    qtbot, station, clerk, booking, tmp_path, monkeypatch
) -> None:
    deliver(station, booking.id, "DETAINER", {**DOCUMENT, "notice_languages": ["en", "vi"]})
    page = _page(qtbot, station, clerk, booking)
    station.detainers.set_releasable(page._view.id, dt.datetime(2012, 12, 21, 17, tzinfo=dt.UTC), actor="c")
    settle(qtbot)
    warnings = []
    monkeypatch.setattr("desktop.ui.detainer_page.QMessageBox.warning", lambda *a: warnings.append(a[2]))
    page.save_pdf(str(tmp_path / "no such folder"))
    qtbot.waitUntil(lambda: bool(warnings), timeout=30_000)
    settle(qtbot)
    assert "was not saved" in warnings[0] and "no such folder" in warnings[0]
    actions = [e.action for e in station.audit.events(text="detainer:d-0001")]
    assert "detainer.copy_failed" in actions
    assert not {"detainer.copy_made", "detainer.copy_served"} & set(actions)
    assert "has not been served" in page.served.text() and not page.handover_box.isVisible()


def test_a_printer_that_cannot_print_is_an_error_not_a_copy(
    qtbot, station, clerk, booking, tmp_path, monkeypatch
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    deliver(station, booking.id, "DETAINER", {**DOCUMENT, "notice_languages": ["en", "vi"]})
    page = _page(qtbot, station, clerk, booking)
    station.detainers.set_releasable(page._view.id, dt.datetime(2012, 12, 21, 17, tzinfo=dt.UTC), actor="c")
    settle(qtbot)
    warnings = []
    monkeypatch.setattr("desktop.ui.detainer_page.QMessageBox.warning", lambda *a: warnings.append(a[2]))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "no such folder" / "printed.pdf"))  # cannot be opened
    printed: list = []
    page.print_to(printer, printed.append)
    qtbot.waitUntil(lambda: bool(warnings), timeout=60_000)
    settle(qtbot)
    assert printed == [] and "printer" in warnings[0]
    events = station.audit.events(text="detainer:d-0001")
    failed = next(e for e in events if e.action == "detainer.copy_failed")
    assert failed.details == {**failed.details, "how": "print", "language": "vi"}
    assert not {"detainer.copy_made", "detainer.copy_served"} & {e.action for e in events}


def test_languages_without_a_written_copy_are_shown_and_given_by_an_interpreter(
    qtbot, station, clerk, booking, tmp_path
) -> None:
    deliver(station, booking.id, "DETAINER", {**DOCUMENT, "notice_languages": ["quc", "mam", "am", "hi"]})
    page = _page(qtbot, station, clerk, booking)
    assert "K'iche'" in page.facts.text() and "Mam" in page.facts.text() and "አማርኛ" in page.facts.text()
    assert (
        page.oral_note.isVisible()
        and "K'iche'" in page.oral_note.text()
        and "አማርኛ" not in page.oral_note.text()
    )
    station.detainers.set_releasable(page._view.id, dt.datetime(2012, 12, 21, 17, tzinfo=dt.UTC), actor="c")
    settle(qtbot)
    assert page.selected_language() == "am"  # the first listed language with a written copy
    saved: list = []
    page.save_pdf(str(tmp_path), saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=30_000)
    settle(qtbot)
    page.handover_method.setCurrentIndex(page.handover_method.findData("handed"))
    qtbot.mouseClick(page.record_handover, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "Still to give through an interpreter" in page.served.text()
    assert "Service complete" not in page.served.text()

    # K'iche' and Mam: the copy read by an interpreter; handing it over is not enough.
    for code, method, who in (("quc", "interpreter_phone", "LanguageLine 40417"),
                              ("mam", "interpreter_in_person", "María Tzul")):  # fmt: skip
        page.handover_copy.setCurrentIndex(0)
        page.handover_language.setCurrentIndex(page.handover_language.findData(code))
        page.handover_method.setCurrentIndex(page.handover_method.findData("handed"))
        assert not page.record_handover.isEnabled()
        page.handover_method.setCurrentIndex(page.handover_method.findData(method))
        page.interpreter.setText(who)
        qtbot.mouseClick(page.record_handover, Qt.MouseButton.LeftButton)
        settle(qtbot)
    served = [
        e.details for e in station.audit.events(text="detainer:d-0001") if e.action == "detainer.copy_served"
    ]
    assert sorted((d["language"], d["method"], d["interpreter"]) for d in served) == [
        ("am", "handed", ""), ("mam", "interpreter_in_person", "María Tzul"),
        ("quc", "interpreter_phone", "LanguageLine 40417"),
    ]  # fmt: skip
    assert "Service complete" in page.served.text() and "María Tzul" in page.served.text()


def test_a_citizenship_claim_and_its_withdrawal_show_on_the_page(qtbot, station, clerk, booking) -> None:
    from test_detainer_service import _Lesc

    deliver(station, booking.id, "DETAINER", DOCUMENT)
    page = _page(qtbot, station, clerk, booking)
    station.detainers.set_releasable(page._view.id, dt.datetime(2012, 12, 21, 17, tzinfo=dt.UTC), actor="c")
    settle(qtbot)
    assert page.claim_kind.currentIndex() == -1 and not page.record_claim.isEnabled()
    page.claim_kind.setCurrentIndex(page.claim_kind.findData("citizen"))
    qtbot.keyClicks(page.claim_statement, "Says he was born in Fresno, California.")
    qtbot.mouseClick(page.record_claim, Qt.MouseButton.LeftButton)
    settle(qtbot)
    event = station.audit.events(text="detainer:d-0001")[0]
    assert (event.action, event.actor, event.details["kind"]) == ("claim.recorded", "clerk1", "citizen")
    assert "Fresno" in page.claims_text.text() and "Waiting to be sent" in page.claims_text.text()
    assert "keeps running" in page.claims_text.text() and page._view.open

    lesc = _Lesc()
    station.detainers.claims.send_due(lesc, station.config.agency_ori)  # the station's duties
    settle(qtbot)
    assert "under review" in page.claims_text.text()
    lesc.decide(lesc.claims[0], "withdrawn", "place of birth in the booking is California, U.S.")
    station.responses.poll(lesc, station.config.agency_ori)
    settle(qtbot)
    assert "WITHDREW" in page.claims_text.text() and "California" in page.claims_text.text()
    assert "keeps running" not in page.claims_text.text()
    assert "cancelled" in page.outcome_text.text().lower() and not page.record_claim.isVisible()
    assert page.countdown.text() == "closed"


def test_print_and_save_show_without_scrolling_at_1366x768_and_the_wheel_scrolls_the_page(
    qtbot, station, clerk, booking
) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    deliver(station, booking.id, "DETAINER", {**DOCUMENT, "notice_languages": ["en", "vi", "quc"]})
    window = _logged_in_window(qtbot, station)
    window.resize(1366, 768 - 40)  # the screen less a title bar
    window.open_booking(booking.id)
    settle(qtbot)
    view = window.booking_view
    page = view.show_page("detainer")
    settle(qtbot)
    station.detainers.set_releasable(page._view.id, dt.datetime(2012, 12, 21, 17, tzinfo=dt.UTC), actor="c")
    settle(qtbot)
    qtbot.waitUntil(lambda: page._preview_pdf is not None, timeout=30_000)
    settle(qtbot)
    shown = page._details_scroll.viewport()
    for button in (page.print_button, page.save_button):
        corner = button.mapTo(shown, button.rect().bottomRight())
        assert shown.rect().contains(corner), button.objectName()
        assert button.isVisible() and button.isEnabled()

    # A smaller window scrolls the page; a wheel turned over the copy's preview moves the page.
    window.resize(1000, 560)
    settle(qtbot)
    page_bar, preview_bar = page._details_scroll.verticalScrollBar(), page._preview_scroll.verticalScrollBar()
    assert page_bar.maximum() > 0
    page_bar.setValue(0)
    preview_bar.setValue(0)
    target = page._preview_scroll.viewport()
    wheel = QWheelEvent(QPointF(10, 10), QPointF(target.mapToGlobal(QPoint(10, 10))), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(target, wheel)
    assert page_bar.value() > 0 and preview_bar.value() == 0


def _watch_14_hours_before(qtbot, station, booking):  # type: ignore[no-untyped-def]
    """A detainer whose hold ends 2012-12-21 17:00 UTC and the status bar's watch on a clock the test
    moves on, now 14 hours before the deadline: (window, watch, detainer, deadline, [now]). The caller
    keeps the window: qtbot holds it only weakly."""
    from PySide6.QtWidgets import QMainWindow

    from desktop.ui.detainer_status import DetainerIndicator

    deliver(station, booking.id, "DETAINER", DOCUMENT)
    detainer = station.detainers.for_booking(booking.id)[0]
    deadline = station.detainers.set_releasable(
        detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=dt.UTC), actor="c"
    )
    window = QMainWindow()
    qtbot.addWidget(window)
    now = [deadline - dt.timedelta(hours=14)]
    indicator = DetainerIndicator(station, now=lambda: now[0])
    window.statusBar().addWidget(indicator)
    return window, indicator, detainer, deadline, now


def test_status_bar_watch_announces_each_alert_the_core_raises_once(qtbot, station, booking) -> None:
    from desktop.station.detainers.watch import DetainerClock

    _window, indicator, detainer, deadline, now = _watch_14_hours_before(qtbot, station, booking)
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


def test_status_bar_watch_restyles_only_when_the_stage_changes(qtbot, station, booking) -> None:
    """Its one-second tick set the style sheet every second (a re-polish of the label each time):
    now once per change of stage."""
    _window, indicator, _detainer, deadline, now = _watch_14_hours_before(qtbot, station, booking)
    settle(qtbot)
    styled: list[str] = []
    indicator.setStyleSheet = lambda style, set_=indicator.setStyleSheet: (styled.append(style), set_(style))
    for minutes in range(5):  # running: five ticks, no change
        now[0] = deadline - dt.timedelta(hours=14, minutes=-minutes)
        indicator.tick()
    assert styled == []
    for minutes in range(5):  # an alert time passed: one change
        now[0] = deadline - dt.timedelta(hours=1, minutes=-minutes)
        indicator.tick()
    assert len(styled) == 1 and "background" in styled[0]
    for minutes in range(5):  # lapsed: one more
        now[0] = deadline + dt.timedelta(minutes=minutes)
        indicator.tick()
    assert len(styled) == 2 and "bold" in styled[1]
    assert indicator.styleSheet() == styled[1]


def _logged_in_window(qtbot, station):
    if station.operators.needs_first_supervisor():
        station.operators.add("sup1", "supervisor password", Role.SUPERVISOR, actor="t")
    window = open_main_window(qtbot, station)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login_page)
    log_in(qtbot, window, "clerk1", "correct horse battery")
    settle(qtbot)
    return window


def test_no_detainer_information_before_log_in_or_while_the_desk_is_closed(
    qtbot, station, clerk, booking
) -> None:
    from desktop.ui.main_window import MainWindow

    deliver(station, booking.id, "DETAINER", DOCUMENT)
    detainer = station.detainers.for_booking(booking.id)[0]
    station.detainers.set_releasable(detainer.id, dt.datetime(2012, 12, 21, 17, tzinfo=dt.UTC), actor="c")
    before = MainWindow(station)
    qtbot.addWidget(before)
    before.show()
    settle(qtbot)
    assert before.detainer_indicator is None  # the log-in page: nothing made, nothing read
    assert "d-0001" not in before.statusBar().currentMessage()

    window = _logged_in_window(qtbot, station)
    indicator = window.detainer_indicator
    qtbot.waitUntil(lambda: "Detainers: 1" in indicator.text())
    assert indicator.isVisible()

    window.statusBar().showMessage(f"Detainer d-0001 (booking {booking.number}): 2 h left in the hold.")
    window.gate.close()  # what the lock screen does when it locks
    assert not indicator.isVisible() and indicator.text() == "" and indicator.announced == []
    assert window.statusBar().currentMessage() == ""
    station.detainers.mark_lapsed(dt.datetime(2013, 1, 1, tzinfo=dt.UTC))  # a lapse while locked
    settle(qtbot)
    indicator.tick()
    assert not indicator.isVisible() and indicator.text() == "" and indicator.announced == []
    window.gate.open()  # unlocked
    qtbot.waitUntil(lambda: "Detainers: 1" in indicator.text())
    assert indicator.isVisible()

    window.log_out()
    settle(qtbot)
    assert not indicator.isVisible() and indicator.text() == ""
