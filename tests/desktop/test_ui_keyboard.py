"""A clerk's keyboard on the booking pages: where focus lands, where Tab goes, what Tab keeps.

Found by walking the station as a clerk (sixth session): each test drives real key presses on a
shown, active window (pytest-qt, offscreen) and checks what the clerk would see next.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QVBoxLayout, QWidget
from ui_helpers import log_in, open_main_window, settle

from desktop.station.models import Role
from desktop.ui import booking_pages


class _TypingPage(QWidget):
    """A page that changes the booking while the clerk types in it, as Capture and Detainer do."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.edit = QLineEdit()
        self.edit.setObjectName("typing_page_edit")
        QVBoxLayout(self).addWidget(self.edit)


@pytest.fixture
def window(qtbot, station, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    probe = booking_pages.BookingPage(
        "typing", QT_TRANSLATE_NOOP("BookingPages", "Typing"), f"{__name__}:_TypingPage"
    )
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [booking_pages.BOOKING_PAGES[0], probe])
    station.operators.add("clerk1", "clerk password", Role.CLERK, actor="t")
    win = open_main_window(qtbot, station, active=True)
    log_in(qtbot, win, "clerk1", "clerk password")
    return win


def _focused() -> QWidget | None:
    return QApplication.focusWidget()


def _saved_booking(qtbot, win, booking_form) -> int:
    win.new_booking()
    details = win.booking_view.pages["details"]
    details.form.set_form(booking_form())
    assert details.save()
    settle(qtbot)
    return details._ctx.booking_id


def test_new_booking_puts_the_cursor_in_surname(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    surname = window.booking_view.pages["details"].form.editors["surname"]
    qtbot.waitUntil(lambda: _focused() is surname)
    qtbot.keyClicks(_focused(), "Smith")
    assert surname.text() == "Smith"


def test_a_change_on_another_page_leaves_the_cursor_where_the_clerk_is_typing(qtbot, window, booking_form):
    _saved_booking(qtbot, window, booking_form)
    view = window.booking_view
    qtbot.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    typing = view.pages["typing"]  # built when its tab is first shown
    typing.edit.setFocus()
    qtbot.waitUntil(lambda: _focused() is typing.edit)
    typing.context.changed()  # e.g. a print accepted, a releasable time recorded
    qtbot.keyClicks(_focused(), "abc")
    assert typing.edit.text() == "abc"
    assert view.pages["details"].form.editors["surname"].text() == booking_form().values["surname"]
    qtbot.keyClick(view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # back on Details: surname
    qtbot.waitUntil(lambda: _focused() is view.pages["details"].form.editors["surname"])


def test_place_of_birth_typed_with_the_list_open_is_kept_on_tab(qtbot, window):
    window.new_booking()
    form = window.booking_view.pages["details"].form
    place = form.editors["place_of_birth"]
    place.setFocus()
    qtbot.waitUntil(lambda: _focused() is place)
    qtbot.keyClicks(place.lineEdit(), "Syria")
    assert place.completer().popup().isVisible()  # the clerk sees "SY — Syria" offered
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: _focused() is form.editors["height"])
    assert place.currentData() == "SY"
    assert place.currentText() == "SY — Syria"


def _tab_from(qtbot, widget: QWidget) -> QWidget | None:
    widget.setFocus()
    qtbot.waitUntil(lambda: _focused() is widget)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return _focused()


def test_tab_goes_from_date_of_arrest_through_the_charges_to_add_charge(qtbot, window, booking_form):
    _saved_booking(qtbot, window, booking_form)  # saved and reloaded: the charge rows are rebuilt
    form = window.booking_view.pages["details"].form
    form.add_charge()
    first, second = form._charge_rows
    qtbot.waitUntil(second.isVisible)  # a row added to a shown form appears on the next event loop pass
    assert _tab_from(qtbot, form.editors["arrested_on"]) is first.offense_date
    assert _tab_from(qtbot, first.offense_date) is first.text
    assert _tab_from(qtbot, first.remove) is second.offense_date
    assert _tab_from(qtbot, second.remove) is form.add_charge_button


def test_enter_in_the_bookings_list_opens_the_row_the_clerk_is_on(qtbot, window, station, booking_form):
    """Issue 22: Enter opened the previously selected row. Every Enter opens the highlighted one."""
    from desktop.station.bookings import parse

    today = __import__("datetime").date.today()
    for surname in ("Adams", "Brown", "Clark"):
        station.bookings.create(parse(booking_form(surname=surname), today), actor="clerk1")
    page = window.bookings_page
    window.show_bookings()
    qtbot.waitUntil(lambda: len(page.model.rows) == 3 and not page.loading)
    table = page.table
    qtbot.waitUntil(lambda: _focused() is table)
    opened = []
    page.open_booking.connect(opened.append)
    for keys in ((Qt.Key.Key_Down,), (Qt.Key.Key_Down, Qt.Key.Key_Down), (Qt.Key.Key_Up,)):
        window.show_bookings()
        qtbot.waitUntil(lambda: _focused() is table and not page.loading)
        settle(qtbot)
        for key in keys:
            qtbot.keyClick(table, key)
        highlighted = page.model.rows[table.currentIndex().row()].id
        assert [page.model.rows[i.row()].id for i in table.selectionModel().selectedRows()] == [highlighted]
        qtbot.keyClick(table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.booking_view is not None)
        assert opened[-1] == highlighted


def test_enter_after_a_search_opens_the_highlighted_match_not_the_last_booking(
    qtbot, window, station, booking_form
):
    """Issue 22: after a search, Enter opened the previously selected booking (kept selected while
    the list narrowed) instead of the first match. A new search highlights its first match; Down
    and Up in the search box move the highlight; Enter opens what is highlighted."""
    from desktop.station.bookings import parse

    today = __import__("datetime").date.today()
    for surname in ("Clark", "Adams", "Clarkson"):
        station.bookings.create(parse(booking_form(surname=surname), today), actor="clerk1")
    page, table = window.bookings_page, window.bookings_page.table
    opened = []
    page.open_booking.connect(opened.append)

    def search(text):
        window.show_bookings()
        qtbot.waitUntil(lambda: not page.loading and len(page.model.rows) == 3)
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: _focused() is page.search)
        qtbot.keyClicks(page.search, text)
        qtbot.waitUntil(lambda: not page.loading and len(page.model.rows) == 2)
        settle(qtbot)
        return [r.id for r in page.model.rows]

    matches = search("clark")
    qtbot.keyClick(page.search, Qt.Key.Key_Down)  # the second match
    assert table.currentIndex().row() == 1
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.booking_view is not None)
    assert opened[-1] == matches[1]

    page.search.clear()
    assert search("clark") == matches
    assert table.currentIndex().row() == 0  # a new search: its first match, not the last opened
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.booking_view is not None)
    assert opened[-1] == matches[0]
