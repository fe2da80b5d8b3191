"""The clerk UI shell, driven as a clerk would with the keyboard and mouse (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget
from ui_helpers import log_in, open_main_window, settle

from desktop.station import config as config_module
from desktop.station.models import Role
from desktop.ui import booking_pages


@pytest.fixture
def window(qtbot, station, monkeypatch):
    # A modal question left open would hang the run: answer "discard" unless a test says otherwise.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    # The shell is tested with its own Details page only; other parts test their pages.
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [booking_pages.BOOKING_PAGES[0]])
    # The first page depends on whether a supervisor exists, read off the UI thread.
    return open_main_window(qtbot, station)


def _type(qtbot, editor, value):
    """Type ASCII key by key; other scripts arrive as an input method would deliver them (QTest can't)."""
    if value.isascii():
        qtbot.keyClicks(editor, value)
    else:
        editor.insert(value)


def _fill(qtbot, form, values):
    for key, value in values.items():
        editor = form.editors[key]
        if hasattr(editor, "setText"):
            editor.clear()
            _type(qtbot, editor, value)
        else:
            editor.setCurrentIndex(editor.findData(value))


VALID = {
    "surname": "Nguyễn",
    "given_names": "Thị Mai",
    "date_of_birth": "1991-04-05",
    "sex": "F",
    "race": "A",
    "place_of_birth": "CA",
    "height": "5'03\"",
    "weight": "118",
    "eye_color": "BRO",
    "hair_color": "BLK",
}


def test_first_run_asks_for_a_supervisor_then_logs_in(qtbot, window, station):
    assert window.stack.currentWidget() is window.first_run_page
    page = window.first_run_page
    qtbot.keyClicks(page.username, "boss")
    qtbot.keyClicks(page.password, "long enough pw")
    qtbot.keyClicks(page.repeat, "different pw!!")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert "differ" in page.message.text()
    page.repeat.clear()
    qtbot.keyClicks(page.repeat, "long enough pw")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
    assert window.operator.role is Role.SUPERVISOR
    assert not station.operators.needs_first_supervisor()
    assert [e.action for e in station.audit.events()] == ["login", "operator.add"]


def test_clerk_logs_in_books_with_invalid_then_valid_data_and_finds_it(qtbot, window, station):
    station.operators.add("boss", "supervisor desk 7", Role.SUPERVISOR, actor="t")
    station.operators.add("clerk1", "clerk password", Role.CLERK, actor="t")
    window._show_start()
    settle(qtbot)
    assert window.stack.currentWidget() is window.login_page

    log_in(qtbot, window, "clerk1", "not the password", expect_work=False)
    qtbot.waitUntil(lambda: "Wrong" in window.login_page.message.text())
    window.login_page.password.clear()
    qtbot.keyClicks(window.login_page.password, "clerk password")
    qtbot.keyClick(window.login_page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
    assert not window.act_settings.isVisible() and not window.act_audit.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    view = window.booking_view
    assert view is not None and list(view.pages) == ["details"]
    details = view.pages["details"]
    form = details.form
    _fill(qtbot, form, {**VALID, "surname": "Nguyễn, Thị", "weight": "9", "date_of_birth": "1991-13-05"})
    qtbot.keyClick(form.editors["weight"], Qt.Key.Key_Return)  # Enter saves
    assert "comma" in form.errors["surname"].text()
    assert "50 to 499" in form.errors["weight"].text()
    assert "no month 13" in form.errors["date_of_birth"].text()  # says which part is wrong
    assert form.errors["sex"].text() == ""
    assert form.charges_error.isVisible()
    assert station.bookings.find() == []  # nothing saved

    _fill(qtbot, form, VALID)
    charge = form._charge_rows[0]
    qtbot.keyClicks(charge.offense_date, form.editors["arrested_on"].text())
    _type(qtbot, charge.text, "Robo, hurto mayor")
    charge.level.setCurrentIndex(charge.level.findData("felony"))
    qtbot.keyClick(details, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert all(label.text() == "" for label in form.errors.values())
    saved = station.bookings.find()
    assert len(saved) == 1 and saved[0].name == "Nguyễn, Thị Mai"
    assert saved[0].number in details.status.text()
    assert saved[0].number in view.title.text()

    qtbot.keyClick(view, Qt.Key.Key_Escape)
    settle(qtbot)
    assert window.work.currentWidget() is window.bookings_page
    assert [r.number for r in window.bookings_page.model.rows] == [saved[0].number]
    _type(qtbot, window.bookings_page.search, "NGUYỄN")
    settle(qtbot)
    assert len(window.bookings_page.model.rows) == 1
    window.bookings_page.search.clear()
    qtbot.keyClicks(window.bookings_page.search, "nobody")
    settle(qtbot)
    assert window.bookings_page.model.rows == []
    window.bookings_page.search.clear()
    settle(qtbot)
    qtbot.keyClick(window.bookings_page.search, Qt.Key.Key_Return)  # opens the first match
    settle(qtbot)
    assert window.booking_view is not None
    assert window.booking_view.pages["details"].form.editors["given_names"].text() == "Thị Mai"


def test_unsaved_edits_are_not_dropped_silently(qtbot, window, station, booking_form, monkeypatch):
    import datetime as dt

    from desktop.station.bookings import parse

    station.operators.add("boss", "supervisor desk 7", Role.SUPERVISOR, actor="t")
    record = station.bookings.create(parse(booking_form(), dt.date.today()), actor="t")
    log_in(qtbot, window, "boss", "supervisor desk 7")
    window.open_booking(record.id)
    settle(qtbot)
    details = window.booking_view.pages["details"]
    details.form.editors["weight"].setText("190")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    window.show_bookings()
    settle(qtbot)
    assert window.work.currentWidget() is window.booking_view  # stayed
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    window.show_bookings()  # saves, then leaves once saved
    qtbot.waitUntil(lambda: window.work.currentWidget() is window.bookings_page)
    settle(qtbot)
    assert station.bookings.get(record.id).data.weight_pounds == 190


def test_a_database_failure_on_save_says_so_and_keeps_the_typing(qtbot, window, station, monkeypatch):
    from sqlalchemy.exc import OperationalError

    station.operators.add("clerk1", "clerk password", Role.CLERK, actor="t")
    window._show_start()
    settle(qtbot)
    log_in(qtbot, window, "clerk1", "clerk password")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    details = window.booking_view.pages["details"]
    form = details.form
    _fill(qtbot, form, VALID)
    charge = form._charge_rows[0]
    qtbot.keyClicks(charge.offense_date, form.editors["arrested_on"].text())
    qtbot.keyClicks(charge.text, "Trespass")
    charge.level.setCurrentIndex(charge.level.findData("misdemeanor"))
    real_create = station.bookings.create

    def server_gone(*args, **kwargs):
        raise OperationalError(
            "INSERT INTO bookings", {}, Exception("server closed the connection unexpectedly")
        )

    monkeypatch.setattr(station.bookings, "create", server_gone)
    qtbot.keyClick(details, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert "Not saved" in details.status.text()
    assert "server closed the connection" in details.status.text()
    assert station.bookings.find() == []
    assert form.editors["surname"].text() == VALID["surname"] and details.dirty()

    monkeypatch.setattr(station.bookings, "create", real_create)  # the server is back
    qtbot.keyClick(details, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    saved = station.bookings.find()
    assert len(saved) == 1 and saved[0].number in details.status.text()
    assert not details.dirty()


class _ProbePage(QLabel):
    """A page added the way Capture/Responses/Detainer pages are added."""

    def __init__(self, context, parent=None):
        super().__init__("probe", parent)
        self.context = context
        self.refreshed = 0
        self.leave = True

    def refresh(self):
        self.refreshed += 1

    def can_leave(self):
        return self.leave


def test_other_parts_add_a_page_with_one_list_entry(qtbot, window, station, monkeypatch):
    entry = booking_pages.BookingPage(
        "probe", QT_TRANSLATE_NOOP("BookingPages", "Probe"), f"{__name__}:_ProbePage"
    )
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [*booking_pages.BOOKING_PAGES, entry])
    station.operators.add("boss", "supervisor desk 7", Role.SUPERVISOR, actor="t")
    log_in(qtbot, window, "boss", "supervisor desk 7")
    window.new_booking()
    view = window.booking_view
    assert "probe" not in view.pages  # needs a saved booking
    details = view.pages["details"]
    _fill(qtbot, details.form, VALID)
    row = details.form._charge_rows[0]
    row.offense_date.setText(details.form.editors["arrested_on"].text())
    row.text.setText("Trespass")
    row.level.setCurrentIndex(row.level.findData("misdemeanor"))
    assert details.save()
    settle(qtbot)
    assert view.tabs.tabText(1) == "Probe" and "probe" not in view.pages  # built when first shown
    qtbot.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    probe = view.pages["probe"]
    assert probe.context.booking_id == station.bookings.find()[0].id
    assert view.current_page() is probe and probe.refreshed >= 1
    probe.leave = False
    window.show_bookings()
    assert window.work.currentWidget() is view
    probe.leave = True
    window.show_bookings()
    assert window.work.currentWidget() is window.bookings_page


class _CountedPage(_ProbePage):
    built: list[str] = []

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        _CountedPage.built.append(self.objectName() or "page")


def test_a_booking_builds_each_page_when_its_tab_is_first_shown(
    qtbot, window, station, booking_form, monkeypatch
):
    # Building every page when a booking opens held the UI thread (bench ui) and started work for
    # pages the clerk may never look at; only the tab shown is built.
    entries = [
        booking_pages.BookingPage(key, QT_TRANSLATE_NOOP("BookingPages", "Probe"), f"{__name__}:_CountedPage")
        for key in ("first", "second")
    ]
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [*booking_pages.BOOKING_PAGES, *entries])
    _CountedPage.built = []
    import datetime as dt

    from desktop.station.bookings import parse

    booking = station.bookings.create(parse(booking_form(), dt.date.today()), actor="t")
    station.operators.add("clerk1", "clerk password", Role.CLERK, actor="t")
    log_in(qtbot, window, "clerk1", "clerk password")
    window.open_booking(booking.id)
    view = window.booking_view
    assert view.tabs.count() == 3 and list(view.pages) == ["details"] and _CountedPage.built == []
    qtbot.keyClick(view, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert list(view.pages) == ["details", "second"] and len(_CountedPage.built) == 1
    second = view.pages["second"]
    assert view.current_page() is second and second.refreshed >= 1 and second.isVisible()
    assert view.show_page("first") is view.pages["first"] and len(_CountedPage.built) == 2
    view.show_page("second")  # shown again: the same page, refreshed, not built again
    assert view.pages["second"] is second and len(_CountedPage.built) == 2 and second.refreshed >= 2


def test_supervisor_settings_show_errors_beside_fields_and_save(
    qtbot, window, station, tmp_path, monkeypatch
):
    monkeypatch.setenv(config_module.CONFIG_ENV, str(tmp_path / "station.toml"))
    station.operators.add("boss", "supervisor desk 7", Role.SUPERVISOR, actor="t")
    log_in(qtbot, window, "boss", "supervisor desk 7")
    window.show_settings()
    page = window.settings_page
    page.ori.setText("12")
    page.zone.setText("Nowhere/Town")
    assert not page.save()
    assert "9 characters" in page.errors["agency_ori"].text()
    assert "Nowhere/Town" in page.errors["time_zone"].text()
    assert not (tmp_path / "station.toml").exists()
    page.ori.setText("tx1234500")
    page.zone.setText("America/Chicago")
    page.state.setCurrentIndex(page.state.findData("TX"))
    page.immigration.setChecked(False)
    assert page.save()
    settle(qtbot)
    saved = config_module.load()
    assert (saved.agency_ori, saved.time_zone, saved.state, saved.immigration_responses) == (
        "TX1234500", "America/Chicago", "TX", False,
    )  # fmt: skip
    assert station.config == saved
    assert station.audit.events(limit=1)[0].action == "settings.update"


def test_audit_viewer_detects_tampering(qtbot, window, station, tamper):
    station.operators.add("boss", "supervisor desk 7", Role.SUPERVISOR, actor="t")
    log_in(qtbot, window, "boss", "supervisor desk 7")
    qtbot.keyClick(window, Qt.Key.Key_F9)
    settle(qtbot)
    page = window.audit_page
    assert window.work.currentWidget() is page
    assert [e.action for e in page.model.events][:2] == ["login", "login.failed"] or page.model.events[
        0
    ].action == "login"
    page.verify()
    qtbot.waitUntil(lambda: "Intact" in page.result.text())
    tamper(station, "UPDATE audit_events SET actor = 'someone' WHERE seq = 1")
    page.verify()
    qtbot.waitUntil(lambda: "TAMPERED at event 1" in page.result.text())
    qtbot.keyClick(page.filter, Qt.Key.Key_Escape)
    assert window.work.currentWidget() is window.bookings_page


def test_clerk_cannot_reach_supervisor_pages(qtbot, window, station):
    station.operators.add("boss", "supervisor desk 7", Role.SUPERVISOR, actor="t")
    station.operators.add("clerk1", "clerk password", Role.CLERK, actor="t")
    window._show_start()
    settle(qtbot)
    log_in(qtbot, window, "clerk1", "clerk password")
    window.show_settings()
    window.show_audit()
    assert window.settings_page is None and window.audit_page is None
    assert isinstance(window.current_page(), QWidget) and window.current_page() is window.bookings_page


def test_supervisor_adds_and_disables_a_clerk(qtbot, window, station):
    station.operators.add("boss", "supervisor desk 7", Role.SUPERVISOR, actor="t")
    log_in(qtbot, window, "boss", "supervisor desk 7")
    qtbot.keyClick(window, Qt.Key.Key_F8)
    page = window.operators_page
    assert window.work.currentWidget() is page
    qtbot.keyClicks(page.username, "clerk2")
    qtbot.keyClicks(page.password, "second desk 22")
    qtbot.keyClicks(page.repeat, "second desk 22")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Added clerk2" in page.message.text())
    settle(qtbot)
    assert station.operators.authenticate("clerk2", "second desk 22").role is Role.CLERK
    page.table.selectRow([op.username for op in station.operators.list()].index("boss"))
    page.toggle.click()
    assert "own account" in page.message.text()
    page.table.selectRow([op.username for op in station.operators.list()].index("clerk2"))
    page.toggle.click()
    settle(qtbot)
    assert station.operators.authenticate("clerk2", "second desk 22") is None
    assert [e.action for e in station.audit.events(limit=2)] == ["login.failed", "operator.disable"]


def test_hardware_tester_sees_the_scanner_diagnostics_not_bookings(qtbot, window, station):
    station.operators.add("boss", "supervisor desk 7", Role.SUPERVISOR, actor="t")
    station.operators.add("tess", "tester password", Role.HARDWARE_TESTER, actor="t")
    window._show_start()
    settle(qtbot)
    log_in(qtbot, window, "tess", "tester password")
    assert window.work.currentWidget() is window.diagnostics_page is not None
    assert not window.act_new.isEnabled() and not window.act_bookings.isEnabled()
    window.new_booking()
    assert window.booking_view is None
    window.log_out()
    assert window.diagnostics_page is None


def test_a_failing_list_column_leaves_the_list_working(qtbot, station, booking_form, monkeypatch):
    import datetime as dt

    from desktop.station.bookings import parse
    from desktop.ui import bookings_list

    def broken(station, ids):
        raise RuntimeError("column bug")

    monkeypatch.setattr(bookings_list, "LIST_COLUMNS", [bookings_list.ListColumn("Broken", broken)])
    station.bookings.create(parse(booking_form(), dt.date.today()), actor="t")
    model = bookings_list.BookingsModel(station)
    model.set_data(bookings_list.load_list(station, "", today_only=False))
    assert model.columnCount() == 6 and model.data(model.index(0, 5)) == ""
    assert model.data(model.index(0, 1)) == "Nguyễn, Văn An"


def test_place_of_birth_is_found_by_typing_part_of_the_country_or_its_code(qtbot):
    from desktop.ui.booking_form import _searchable_code_combo
    from ebts import codes

    combo = _searchable_code_combo(codes.PLACE_OF_BIRTH)
    qtbot.addWidget(combo)
    combo.show()

    def enter(text: str) -> object:
        combo.lineEdit().clear()
        qtbot.keyClicks(combo.lineEdit(), text)
        combo.lineEdit().editingFinished.emit()
        return combo.currentData()

    combo.lineEdit().clear()
    qtbot.keyClicks(combo.lineEdit(), "viet")  # the list narrows to entries containing the text
    model = combo.completer().completionModel()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["RV — Vietnam"]
    assert enter("nebraska") == "NB"  # NCIC's Nebraska, not USPS's NE (the Netherlands in NCIC)
    assert enter("ne") == "NE" and "Netherlands" in combo.currentText()
    assert enter("rv") == "RV"
    assert enter("guinea") == ""  # several entries contain it: no silent guess
    assert enter("Atlantis") == "" and combo.currentText() == ""


@pytest.mark.qt_no_exception_capture
def test_an_error_no_page_handles_is_shown_to_the_clerk(qtbot, window, monkeypatch):
    import sys

    from PySide6.QtCore import QTimer

    from desktop.ui import app

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    app._report_unexpected_errors(window)

    def broken_slot():
        raise RuntimeError("the label printer is out of paper")

    QTimer.singleShot(0, broken_slot)  # raised inside Qt's event loop, as a page's slot would
    qtbot.waitUntil(lambda: bool(shown))
    assert "the label printer is out of paper" in shown[0]
    assert "saved before is safe" in shown[0]


def test_the_window_opens_maximised(window):
    """A booking desk runs the station full screen: at 1366×768 every page needs the room."""
    assert window.windowState() & Qt.WindowState.WindowMaximized


def test_a_form_error_goes_when_its_field_is_corrected(qtbot, window, station):
    """Issue 22: form errors stayed until the next save. A field's message goes as soon as what it
    holds is right, and is reworded when the clerk leaves it still wrong."""
    station.operators.add("clerk1", "clerk password", Role.CLERK, actor="t")
    window._show_start()
    settle(qtbot)
    log_in(qtbot, window, "clerk1", "clerk password")
    window.new_booking()
    details = window.booking_view.pages["details"]
    form = details.form
    _fill(qtbot, form, {**VALID, "date_of_birth": "1990-02-30", "weight": "9"})
    assert not details.save()
    dob, weight = form.editors["date_of_birth"], form.editors["weight"]
    assert "no day 30" in form.errors["date_of_birth"].text()
    assert form.errors["weight"].text()
    dob.setFocus()
    qtbot.keyClick(dob, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dob, "8")  # 1990-02-28
    assert form.errors["date_of_birth"].text() == ""  # gone the moment it is right
    assert form.errors["weight"].text()  # the other field is still wrong: its message stays
    weight.setFocus()
    qtbot.keyClicks(weight, "000")  # 9000 lb: wrong again (90 was right on the way)
    qtbot.keyClick(weight, Qt.Key.Key_Tab)
    assert form.errors["weight"].text()
    weight.setFocus()
    weight.selectAll()
    qtbot.keyClicks(weight, "170")
    assert form.errors["weight"].text() == ""
    form.editors["sex"].setCurrentIndex(0)  # no sex chosen: nothing said until the next save
    assert form.errors["sex"].text() == ""


def test_closing_a_booking_loads_the_bookings_list_once(qtbot, window, station, booking_form, monkeypatch):
    # The list showing (its showEvent) loaded it, and so did the window's "show the bookings": two
    # loads one after the other in a worker thread, holding the interpreter lock while the UI thread
    # painted the list (bench ui, closing a booking).
    import datetime as dt

    from desktop.station.bookings import parse
    from desktop.ui import bookings_list

    booking = station.bookings.create(parse(booking_form(), dt.date.today()), actor="t")
    station.operators.add("clerk1", "clerk password", Role.CLERK, actor="t")
    log_in(qtbot, window, "clerk1", "clerk password")
    window.open_booking(booking.id)
    settle(qtbot)
    loads: list[tuple[str, bool]] = []
    load = bookings_list.load_list
    monkeypatch.setattr(
        bookings_list,
        "load_list",
        lambda st, text, today: loads.append((text, today)) or load(st, text, today),
    )
    window.show_bookings()
    settle(qtbot)
    assert loads == [("", True)]
    assert [r.id for r in window.bookings_page.model.rows] == [booking.id]
