"""The desk's session (issue 16 item 5, CJIS 5.5.3 and 5.5.5), driven as a clerk would: the screen
locks after idle minutes and hides everything that names a person, the operator's password or a
supervisor's log-in opens it, the log-in form is empty after log-out, a locked-out account says
until when, and a supervisor unlocks an account on the Operators page."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QTableWidget,
)
from ui_helpers import log_in, open_main_window, settle

from desktop.station.bookings import parse
from desktop.station.models import Role
from desktop.ui import booking_pages
from desktop.ui.detainer_status import DetainerIndicator

CLERK_PW = "fingerprint desk 1"
BOSS_PW = "supervisor desk 7"


@pytest.fixture
def window(qtbot, station, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [booking_pages.BOOKING_PAGES[0]])
    station.operators.add("boss", BOSS_PW, Role.SUPERVISOR, full_name="Dana Whitfield", actor="t")
    station.operators.add("clerk1", CLERK_PW, Role.CLERK, full_name="Ana Díaz", actor="t")
    return open_main_window(qtbot, station, size=(1366, 768))


def _visible_text(win) -> str:
    """Every piece of text a person at the desk could read in the window now."""
    parts = []
    for widget in win.findChildren(QLabel) + win.findChildren(QLineEdit) + win.findChildren(QAbstractButton):
        if widget.isVisible():
            parts.append(widget.text())
    for table in win.findChildren(QTableView) + win.findChildren(QTableWidget):
        if table.isVisible():
            model = table.model()
            for r in range(model.rowCount()):
                parts.extend(str(model.index(r, c).data() or "") for c in range(model.columnCount()))
    parts.append(win.statusBar().currentMessage())
    return " | ".join(parts)


def _with_a_detainer(station, booking_form):
    """A booking of a person whose name must not show, with a running detainer hold."""
    from desktop.station.models import Detainer

    booking = station.bookings.create(
        parse(booking_form(surname="Quistgaard", given_names="Henrike"), dt.date.today()), actor="t"
    )
    now = dt.datetime.now(dt.UTC)
    with station.store.session() as s:
        s.add(Detainer(booking_id=booking.id, detainer_id="DET-77", lodged_at=now, office="ERO",
                       releasable_at=now, deadline=now + dt.timedelta(hours=30)))  # fmt: skip
    return booking


def test_idle_minutes_lock_the_screen_and_hide_every_name_and_the_countdown(
    qtbot, window, station, booking_form
):
    booking = _with_a_detainer(station, booking_form)
    assert window.findChild(DetainerIndicator) is None  # before log-in: no countdown, nothing read
    assert "Detainers" not in _visible_text(window) and "Quistgaard" not in _visible_text(window)

    log_in(qtbot, window, "clerk1", CLERK_PW)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
    indicator = window.findChild(DetainerIndicator)
    window.open_booking(booking.id)
    settle(qtbot)
    indicator._load()
    settle(qtbot)
    qtbot.waitUntil(lambda: "Detainers: 1" in indicator.text())
    assert indicator.isVisible() and "Quistgaard" in _visible_text(window)

    clock = [0.0]
    window.idle._now = lambda: clock[0]
    window.idle.arm()
    clock[0] += 29 * 60
    window.idle.check()
    assert not window.locked  # 29 minutes: not yet
    clock[0] += 60
    window.idle.check()
    assert window.locked and window.stack.currentWidget() is window.lock_page
    text = _visible_text(window)
    assert (
        "Quistgaard" not in text
        and "Henrike" not in text
        and "Detainers" not in text
        and "DET-77" not in text
    )
    assert not indicator.isVisible() and not window.toolbar.isVisible()
    assert "after 30 minutes without input" in window.lock_page.title.text()
    assert window.lock_page.username.text() == "clerk1" and window.lock_page.password.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_F2)  # the pages' shortcuts do nothing while locked
    assert window.stack.currentWidget() is window.lock_page
    settle(qtbot)
    assert station.audit.events(limit=1)[0].action == "session.locked"

    # The operator's own password opens it again, where they were.
    qtbot.keyClicks(window.lock_page.password, "wrong password")
    qtbot.keyClick(window.lock_page.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.locked and "Wrong user name or password" in window.lock_page.message.text()
    qtbot.keyClicks(window.lock_page.password, CLERK_PW)
    qtbot.keyClick(window.lock_page.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert (
        not window.locked
        and window.current_page() is window.booking_view.tabs.currentWidget()
        or (window.work.currentWidget() is window.booking_view)
    )
    assert indicator.isVisible() and window.operator.username == "clerk1"
    assert [e.action for e in station.audit.events(limit=3)][0] == "session.unlocked"


def test_another_clerk_cannot_unlock_but_a_supervisor_can_log_in_instead(qtbot, window, station):
    station.operators.add("clerk2", "second desk 22", Role.CLERK, actor="t")
    log_in(qtbot, window, "clerk1", CLERK_PW)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
    qtbot.keyClick(
        window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.locked and "on request" in window.lock_page.title.text()
    page = window.lock_page
    page.username.setText("clerk2")
    qtbot.keyClicks(page.password, "second desk 22")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.locked and "Only Ana Díaz or a supervisor" in page.message.text()
    page.username.setText("boss")
    qtbot.keyClicks(page.password, BOSS_PW)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert not window.locked and window.operator.username == "boss" and window.act_operators.isVisible()
    taken = next(e for e in station.audit.events() if e.action == "session.taken_over")
    assert taken.actor == "boss" and taken.details["from"] == "clerk1"


def test_after_log_out_the_form_is_empty_with_the_cursor_in_the_user_name(qtbot, window):
    log_in(qtbot, window, "clerk1", CLERK_PW)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    page = window.login_page
    assert window.stack.currentWidget() is page
    assert page.username.text() == "" and page.password.text() == ""
    assert not window.findChild(DetainerIndicator).isVisible() and window.who.text() == ""
    assert QApplication.focusWidget() is page.username
    qtbot.keyClicks(QApplication.focusWidget(), "boss")  # the next person types their name where it goes
    assert page.username.text() == "boss" and page.password.text() == ""


def test_five_wrong_passwords_say_until_when_and_a_supervisor_unlocks_it(qtbot, window, station):
    station.config = dataclasses.replace(station.config, time_zone="UTC")
    for _ in range(5):
        page = window.login_page
        page.username.setText("clerk1")
        page.password.setText("not my password")
        page.submit()
        settle(qtbot)
    message = window.login_page.message.text()
    assert "clerk1 is locked after too many wrong passwords, until" in message
    until = station.operators.list()[1].locked_until.strftime("%H:%M")
    assert until in message
    window.login_page.username.setText("boss")
    window.login_page.password.setText(BOSS_PW)
    window.login_page.submit()
    settle(qtbot)
    window.show_operators()
    settle(qtbot)
    ops = window.operators_page
    row = [w.username for w in ops.rows].index("clerk1")
    assert "locked until" in ops.table.item(row, 3).text()
    ops.table.selectRow(row)
    assert ops.unlock.isEnabled()
    ops.unlock.click()
    settle(qtbot)
    assert "clerk1 can log in again" in ops.message.text()
    assert station.operators.authenticate("clerk1", CLERK_PW) is not None
    assert any(e.action == "operator.unlock" and e.actor == "boss" for e in station.audit.events())


def test_a_common_password_is_refused_with_the_rule_it_breaks(qtbot, window, station):
    log_in(qtbot, window, "boss", BOSS_PW)
    window.show_operators()
    settle(qtbot)
    ops = window.operators_page
    ops.username.setText("clerk3")
    ops.password.setText("Password123")
    ops.repeat.setText("Password123")
    ops._add()
    settle(qtbot)
    assert "not a common password, dictionary word or name" in ops.message.text()
    assert "clerk3" not in [w.username for w in station.operators.list()]


def test_an_expired_password_is_changed_before_the_session_opens(qtbot, window, station):
    from desktop.station.models import Operator

    with station.store.session() as s:
        row = s.query(Operator).filter_by(username="clerk1").one()
        row.password_changed_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=91)
    log_in(qtbot, window, "clerk1", CLERK_PW, expect_work=False)  # the password must be changed first
    page = window.password_page
    assert window.stack.currentWidget() is page and window.operator is None
    page.current.setText(CLERK_PW)
    page.new.setText("violet lantern 42 harbor")
    page.repeat.setText("violet lantern 42 harbor")
    page.submit()
    settle(qtbot)
    assert window.stack.currentWidget() is window.work and window.operator.username == "clerk1"
    assert station.operators.authenticate("clerk1", "violet lantern 42 harbor") is not None


def test_wrong_passwords_at_the_lock_screen_lock_the_account_with_the_core_s_message(qtbot, window, station):
    station.config = dataclasses.replace(station.config, time_zone="UTC")
    log_in(qtbot, window, "clerk1", CLERK_PW)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
    window.lock()
    page = window.lock_page
    for _ in range(5):
        qtbot.keyClicks(page.password, "not my password")
        qtbot.keyClick(page.password, Qt.Key.Key_Return)
        settle(qtbot)
    until = next(w for w in station.operators.list() if w.username == "clerk1").locked_until
    assert until is not None
    expected = (
        f"the account clerk1 is locked after too many wrong passwords, until {until:%H:%M}; "
        "a supervisor can unlock it"
    )
    assert page.message.text() == expected[0].upper() + expected[1:]
    qtbot.keyClicks(page.password, CLERK_PW)  # the right password no longer opens it
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.locked and window.stack.currentWidget() is page and "is locked" in page.message.text()
    assert not window.findChild(DetainerIndicator).isVisible()
    page.username.setText("boss")  # a supervisor logs in instead
    qtbot.keyClicks(page.password, BOSS_PW)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert not window.locked and window.operator.username == "boss"
    assert any(e.action == "operator.locked" for e in station.audit.events())


@pytest.mark.parametrize("device", ["key", "mouse"])
def test_input_resets_the_idle_clock(qtbot, window, device):
    log_in(qtbot, window, "clerk1", CLERK_PW)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
    clock = [0.0]
    window.idle._now = lambda: clock[0]
    window.idle.arm()
    clock[0] += 20 * 60
    # Someone is at the desk: input as the windowing system delivers it (to the window first).
    if device == "key":
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_Shift)
    else:
        QTest.mouseMove(window.windowHandle(), QPoint(200, 300))
        QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(210, 300))
    clock[0] += 20 * 60
    window.idle.check()
    assert not window.locked  # 40 minutes in all, but only 20 since the last input
    clock[0] += 10 * 60
    window.idle.check()
    assert window.locked


def test_the_idle_clock_watches_the_windows_input_not_every_widgets_events(qtbot, window):
    # As an event filter on the whole application it ran Python for every event of every widget
    # (2 090 in opening a booking: 14 ms of the UI thread's CPU, and the interpreter lock each time,
    # waiting behind any worker thread). Input reaches a window before its widgets.
    from desktop.ui.idle import IdleWatch

    log_in(qtbot, window, "clerk1", CLERK_PW)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work)
    seen: list[QEvent.Type] = []

    class Counting(IdleWatch):  # the window's own watch, counting what it is shown
        def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
            seen.append(event.type())
            return super().eventFilter(watched, event)

    Counting(lambda: 30, window).arm()
    window.new_booking()  # a whole page built, polished, laid out and painted
    settle(qtbot)
    assert len(seen) < 50


def _take_over(qtbot, window) -> None:
    """clerk1's session locks on request; the supervisor logs in instead."""
    qtbot.keyClick(
        window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.locked
    page = window.lock_page
    page.username.setText("boss")
    qtbot.keyClicks(page.password, BOSS_PW)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    settle(qtbot)
    assert not window.locked and window.operator.username == "boss"


def test_a_take_over_saves_the_clerk_s_open_booking_as_the_clerk(qtbot, window, station, booking_form):
    clerk = next(o for o in station.operators.list() if o.username == "clerk1")
    record = station.bookings.create(
        parse(booking_form(), dt.date.today()), actor="clerk1", operator_id=clerk.id
    )
    log_in(qtbot, window, "clerk1", CLERK_PW)
    window.open_booking(record.id)
    details = window.booking_view.pages["details"]
    qtbot.waitUntil(lambda: details.form.editors["surname"].text() == "Nguyễn")
    details.form.editors["surname"].setText("Nguyen-Tran")  # typed, not saved
    _take_over(qtbot, window)
    qtbot.waitUntil(lambda: any(e.action == "session.taken_over" for e in station.audit.events()))
    assert station.bookings.get(record.id).data.surname == "Nguyen-Tran"
    updated = next(e for e in station.audit.events() if e.action == "booking.update")  # newest first
    assert updated.actor == "clerk1"  # the clerk's work, attributed to the clerk
    taken = next(e for e in station.audit.events() if e.action == "session.taken_over")
    assert taken.actor == "boss" and taken.details["from"] == "clerk1"
    assert taken.details["open_booking"] == {"booking": record.number, "unsaved": "saved as clerk1"}
    assert window.booking_view is None  # the supervisor starts on the list


def test_a_take_over_holds_a_form_that_cannot_be_saved_yet_until_the_clerk_returns(qtbot, window, station):
    log_in(qtbot, window, "clerk1", CLERK_PW)
    window.new_booking()
    details = window.booking_view.pages["details"]
    details.form.editors["surname"].setText("Okafor")  # no charges yet: not a booking that can be saved
    _take_over(qtbot, window)
    assert window.booking_view is None
    qtbot.waitUntil(lambda: any(e.action == "session.taken_over" for e in station.audit.events()))
    assert not any(e.action == "booking.create" for e in station.audit.events())
    taken = next(e for e in station.audit.events() if e.action == "session.taken_over")
    assert taken.details["open_booking"] == {"booking": None, "unsaved": "held for clerk1"}
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # the supervisor logs out
    settle(qtbot)
    log_in(qtbot, window, "clerk1", CLERK_PW)
    view = window.booking_view
    assert view is not None and window.work.currentWidget() is view
    assert view.pages["details"].form.editors["surname"].text() == "Okafor"  # nothing typed is lost
    qtbot.waitUntil(lambda: any(e.action == "booking.held_restored" for e in station.audit.events()))
    restored = next(e for e in station.audit.events() if e.action == "booking.held_restored")
    assert restored.actor == "clerk1"
