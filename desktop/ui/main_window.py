"""The station window: first-run set-up, log-in, then the workspace (bookings, a booking, settings, audit).

Keyboard: F2 bookings, Ctrl+N new booking, Ctrl+F search, Esc back from a booking, F7 scanner
diagnostics (hardware testers and supervisors), F8 operators, F9 audit log, F10 reports, Ctrl+,
settings (those four supervisors only), Ctrl+Shift+L lock the screen, Ctrl+L log out, F6 a new
answer (answer_notices.py). Hardware testers see only the diagnostics.

The session locks after `idle_lock_minutes` without input (CJIS 5.5.5; idle.py) or on request:
the lock screen replaces every page, dialogs close, the status bar's watches (the detainer
countdown) hide; the same operator's password, or a supervisor logging in instead, opens it.
Nothing that names a person is shown before log-in either (the watches appear with the session).
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget, QToolBar, QWidget

from desktop.station.bookings import BookingInvalid, parse
from desktop.station.core import Station
from desktop.station.models import Role
from desktop.station.operators import OperatorInfo
from desktop.ui._worker import op
from desktop.ui.answer_notices import AnswerNotices
from desktop.ui.audit_page import AuditPage
from desktop.ui.booking_view import BookingView
from desktop.ui.bookings_list import BookingsPage
from desktop.ui.icon import app_icon
from desktop.ui.idle import IdleWatch
from desktop.ui.lock_screen import LockScreen
from desktop.ui.login import FirstRunPage, LoginPage
from desktop.ui.message_text import role_text
from desktop.ui.operators_page import OperatorsPage
from desktop.ui.password_page import ChangePasswordPage
from desktop.ui.session_gate import SessionGate
from desktop.ui.settings_page import SettingsPage

_log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        self.operator: OperatorInfo | None = None
        self.booking_view: BookingView | None = None
        # Bookings a take-over closed with unsaved typing, by clerk, until saved or the clerk returns.
        self._held: dict[str, BookingView] = {}
        self.settings_page: SettingsPage | None = None
        self.audit_page: AuditPage | None = None
        self.reports_page: QWidget | None = None
        self.operators_page: OperatorsPage | None = None
        self.diagnostics_page: QWidget | None = None
        # Open while someone is logged in and the station is not locked: the status bar's detainer
        # watch shows nothing otherwise (the lock screen closes it too).
        self.gate = SessionGate(self)
        self.detainer_indicator: QWidget | None = None
        self.locked = False  # the session's screen is locked (the operator stays logged in)
        self._status_watches: list[QWidget] = []  # status-bar widgets that show CJI
        self.setWindowTitle(self.tr("Booking Station — %1").replace("%1", station.config.agency_name))
        self.setWindowIcon(app_icon())
        self.resize(1100, 720)  # when un-maximised
        # A booking desk runs the station full screen (1366×768 is common): every page gets the room.
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.login_page = LoginPage(station)
        self.login_page.logged_in.connect(self._password_checked)
        self.first_run_page = FirstRunPage(station)
        self.first_run_page.created.connect(self._logged_in)
        self.password_page = ChangePasswordPage(station)
        self.password_page.changed.connect(self._logged_in)
        self.password_page.cancelled.connect(self._show_start)
        self.lock_page = LockScreen(station)
        self.lock_page.unlocked.connect(self._unlocked)
        self.work = QStackedWidget()
        self.bookings_page = BookingsPage(station)
        self.bookings_page.open_booking.connect(self.open_booking)
        self.bookings_page.new_booking.connect(self.new_booking)
        self.work.addWidget(self.bookings_page)
        self.starting = QWidget()  # shown while the store says whether a supervisor exists yet
        pages = (
            self.starting,
            self.first_run_page,
            self.login_page,
            self.password_page,
            self.lock_page,
            self.work,
        )
        for page in pages:
            self.stack.addWidget(page)

        self.toolbar = QToolBar(self.tr("Navigation"))
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)
        self.act_bookings = self._action(self.tr("Bookings (F2)"), "F2", self.show_bookings)
        self.act_new = self._action(
            self.tr("New booking (Ctrl+N)"), QKeySequence.StandardKey.New, self.new_booking
        )
        self.act_diagnostics = self._action(self.tr("Scanners (F7)"), "F7", self.show_diagnostics)
        self.act_operators = self._action(self.tr("Operators (F8)"), "F8", self.show_operators)
        self.act_audit = self._action(self.tr("Audit log (F9)"), "F9", self.show_audit)
        self.act_reports = self._action(self.tr("Reports (F10)"), "F10", self.show_reports)
        self.act_settings = self._action(self.tr("Settings (Ctrl+,)"), "Ctrl+,", self.show_settings)
        self.toolbar.addSeparator()
        self.act_lock = self._action(self.tr("Lock (Ctrl+Shift+L)"), "Ctrl+Shift+L", self.lock)
        self.act_logout = self._action(self.tr("Log out (Ctrl+L)"), "Ctrl+L", self.log_out)
        self.who = QLabel()
        self.statusBar().addPermanentWidget(self.who)
        self.idle = IdleWatch(lambda: self.station.config.idle_lock_minutes, self)
        self.idle.idle.connect(lambda: self.lock(idle=True))
        self.answer_notices = AnswerNotices(station, self)  # an answer or detainer arrived: F6 opens it
        self.answer_notices.open_booking.connect(self._open_number)
        self._show_start()

    def _action(self, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: None if self.locked else slot())
        self.toolbar.addAction(action)
        return action

    def add_status_watch(self, widget: QWidget) -> None:
        """A status-bar widget that may show criminal-justice information (the detainer countdown):
        shown only while an operator's session is open and unlocked."""
        self.statusBar().addPermanentWidget(widget)
        self._status_watches.append(widget)
        widget.setVisible(self._session_open())

    def _session_open(self) -> bool:
        return self.operator is not None and not self.locked

    def _show_watches(self) -> None:
        """Status-bar CJI follows the session: hidden and silent when logged out or locked."""
        shown = self._session_open()
        for widget in self._status_watches:
            widget.setVisible(shown)
        if not shown:
            self.statusBar().clearMessage()
        # The detainer watch reads and announces only for someone at the desk who may see detainers.
        if shown and self.operator is not None and self.operator.role is not Role.HARDWARE_TESTER:
            self._ensure_detainer_watch()
            self.gate.open()
        else:
            self.gate.close()

    def _ensure_detainer_watch(self) -> None:
        if self.detainer_indicator is None:
            from desktop.ui.detainer_status import DetainerIndicator

            # Made at the first log-in, never before: nothing about a detainer on the log-in page.
            self.detainer_indicator = DetainerIndicator(self.station, gate=self.gate)
            self.add_status_watch(self.detainer_indicator)

    # --- who is at the desk ------------------------------------------------------------------

    def _show_start(self) -> None:
        self.operator = None
        self.locked = False
        self.idle.disarm()
        self._show_watches()
        self.answer_notices.set_active(False)
        self.toolbar.hide()
        self.who.clear()
        self.stack.setCurrentWidget(self.starting)
        op(self.station.operators.needs_first_supervisor, self._show_first_page)

    def _show_first_page(self, needs_supervisor: bool) -> None:
        if self.operator is not None:
            return
        if needs_supervisor:
            self.stack.setCurrentWidget(self.first_run_page)
            self.first_run_page.username.setFocus()
        else:
            self.stack.setCurrentWidget(self.login_page)
            self.login_page.reset()

    def _password_checked(self, who: OperatorInfo) -> None:
        """The log-in form's operator: a password older than 90 days is changed before anything else."""
        if who.password_expired:
            self.stack.setCurrentWidget(self.password_page)
            self.password_page.ask(who)
            return
        self._logged_in(who)

    def _logged_in(self, who: OperatorInfo) -> None:
        self.operator = who
        self.locked = False
        self.idle.arm()
        self._show_watches()
        supervisor = who.is_supervisor
        self.act_settings.setEnabled(supervisor)
        self.act_settings.setVisible(supervisor)
        tester = who.role is Role.HARDWARE_TESTER
        for action in (self.act_audit, self.act_operators, self.act_reports):
            action.setEnabled(supervisor)
            action.setVisible(supervisor)
        for action in (self.act_bookings, self.act_new):
            action.setEnabled(not tester)
            action.setVisible(not tester)
        self.act_diagnostics.setEnabled(supervisor or tester)
        self.act_diagnostics.setVisible(supervisor or tester)
        self.toolbar.show()
        self._show_who(who)
        self.stack.setCurrentWidget(self.work)
        self.answer_notices.set_active(not tester)
        if tester:
            self.show_diagnostics()
        elif not self._restore_held_booking(who):
            self.show_bookings()

    def _show_who(self, who: OperatorInfo) -> None:
        cfg = self.station.config
        self.who.setText(
            self.tr("%1 (%2) · %3 %4")
            .replace("%1", who.display_name)
            .replace("%2", role_text(who.role.value))
            .replace("%3", cfg.agency_ori)
            .replace("%4", cfg.agency_name)
        )

    def log_out(self) -> None:
        if not self._leave_booking(self.log_out):
            return
        self._drop_supervisor_pages()
        who = self.operator.username if self.operator else "?"
        op(lambda: self.station.audit.append(who, "logout", ""))
        self._show_start()

    def _drop_supervisor_pages(self) -> None:
        for page in (
            self.settings_page,
            self.audit_page,
            self.operators_page,
            self.diagnostics_page,
            self.reports_page,
        ):
            if page is not None:
                self.work.removeWidget(page)
                page.deleteLater()
        self.settings_page = self.audit_page = self.operators_page = self.diagnostics_page = None
        self.reports_page = None

    # --- the session lock (CJIS 5.5.5) ------------------------------------------------------------

    def lock(self, idle: bool = False) -> None:
        """Hide the session behind the lock screen (after idle minutes, or on request)."""
        if self.operator is None or self.locked:
            return
        who = self.operator
        self.locked = True
        self.idle.disarm()
        for other in QApplication.topLevelWidgets():  # a dialog may show a booking: close it
            if other is not self and other.isVisible() and other.isWindow():
                other.close()
        self._show_watches()
        self.toolbar.hide()
        self.who.clear()
        minutes = self.station.config.idle_lock_minutes
        self.lock_page.show_locked(who, dt.datetime.now(dt.UTC), minutes if idle else None)
        self.stack.setCurrentWidget(self.lock_page)
        reason = {"reason": "idle", "minutes": minutes} if idle else {"reason": "request"}
        op(
            lambda: self.station.audit.append(
                who.username, "session.locked", f"operator:{who.username}", reason
            )
        )

    def _unlocked(self, who: OperatorInfo, locked: OperatorInfo) -> None:
        if not self.locked:
            return
        if who.username == locked.username:
            self.locked = False
            self.operator = who
            self.idle.arm()
            self._show_watches()
            self.toolbar.show()
            self._show_who(who)
            self.stack.setCurrentWidget(self.work)
            op(
                lambda: self.station.audit.append(
                    who.username, "session.unlocked", f"operator:{who.username}"
                )
            )
            return
        # A supervisor logs in instead: the locked session ends, and the clerk's open booking with
        # it, but not the clerk's work (_keep_open_booking).
        view = self.booking_view
        self.booking_view = None
        if view is not None:
            self.work.removeWidget(view)
        self._drop_supervisor_pages()
        self._keep_open_booking(view, locked, who)
        self._logged_in(who)

    def _keep_open_booking(self, view: BookingView | None, clerk: OperatorInfo, who: OperatorInfo) -> None:
        """What the clerk typed and had not saved, at a take-over: saved as the clerk's (audited as
        the clerk's change) when it is a booking that can be saved, otherwise held in this window
        until the clerk logs in again. `session.taken_over` says which, once it is so."""
        station = self.station

        def taken_over(kept: dict | None) -> None:
            details = {"from": clerk.username, "open_booking": kept}
            station.audit.append(who.username, "session.taken_over", f"operator:{clerk.username}", details)

        booking_id = view.context.booking_id if view is not None else None
        number = view.record.number if view is not None and view.record is not None else None
        typed = view.unsaved_details() if view is not None else None
        if view is None or typed is None:
            if view is not None:
                view.deleteLater()
            op(lambda: taken_over(None if view is None else {"booking": number, "unsaved": "none"}))
            return
        self._held[clerk.username] = view  # until it is saved, or for the clerk's return
        view.hide()
        try:
            data = parse(typed, dt.datetime.now(station.config.zone).date())
        except BookingInvalid:
            op(lambda: taken_over({"booking": number, "unsaved": f"held for {clerk.username}"}))
            return

        def save() -> None:
            if booking_id is None:
                record = station.bookings.create(data, actor=clerk.username, operator_id=clerk.id)
            else:
                record = station.bookings.update(booking_id, data, actor=clerk.username)
            taken_over({"booking": record.number, "unsaved": f"saved as {clerk.username}"})

        def saved(_result: object) -> None:
            if self._held.get(clerk.username) is view:
                del self._held[clerk.username]
                view.deleteLater()

        def failed(exc: Exception) -> None:  # kept in the window: the clerk saves it on return
            _log.error("saving %s's booking at a take-over failed: %s", clerk.username, exc)
            op(lambda: taken_over({"booking": number, "unsaved": f"held for {clerk.username}"}))

        op(save, saved, failed)

    def _restore_held_booking(self, who: OperatorInfo) -> bool:
        """The booking held for `who` at a take-over, open again as they left it."""
        view = self._held.pop(who.username, None)
        if view is None:
            return False
        self.booking_view = view
        self.work.addWidget(view)
        self.work.setCurrentWidget(view)
        view.show()
        subject = f"booking:{view.record.number}" if view.record is not None else "booking:new"
        op(lambda: self.station.audit.append(who.username, "booking.held_restored", subject))
        return True

    # --- pages -------------------------------------------------------------------------------

    def _leave_booking(self, retry=None) -> bool:
        """Close the open booking if its pages allow; `retry()` runs once a page that saved first
        has saved (the action that wanted to leave, asked again)."""
        view = self.booking_view
        if view is None:
            return True
        if not view.can_leave(retry):
            self.work.setCurrentWidget(view)
            return False
        self.work.removeWidget(view)
        view.deleteLater()
        self.booking_view = None
        return True

    def show_bookings(self) -> None:
        if self.operator is None or self.operator.role is Role.HARDWARE_TESTER:
            return
        shown_before = self.bookings_page.isVisible()  # closing the booking may show it already
        if not self._leave_booking(self.show_bookings):
            return
        self.work.setCurrentWidget(self.bookings_page)
        if shown_before or not self.bookings_page.isVisible():
            self.bookings_page.refresh()  # else the list loaded itself as it showed (showEvent)
        self.bookings_page.table.setFocus()

    def new_booking(self) -> None:
        self._open(None)

    def open_booking(self, booking_id: int) -> None:
        self._open(booking_id)

    def _open_number(self, number: str) -> None:
        """Open a booking by its number (found off the UI thread)."""

        def find() -> int | None:
            return next((b.id for b in self.station.bookings.find(text=number) if b.number == number), None)

        op(find, lambda booking_id: self.open_booking(booking_id) if booking_id is not None else None)

    def _open(self, booking_id: int | None) -> None:
        retry = lambda: self._open(booking_id)  # noqa: E731
        if (
            self.operator is None
            or self.operator.role is Role.HARDWARE_TESTER
            or not self._leave_booking(retry)
        ):
            return
        view = BookingView(self.station, self.operator, booking_id)
        view.closed.connect(self.show_bookings)
        view.booking_changed.connect(lambda _id: self.bookings_page.refresh())
        self.booking_view = view
        self.work.addWidget(view)
        self.work.setCurrentWidget(view)
        current = view.current_page()
        if current is not None:
            current.setFocus()
            if hasattr(current, "refresh"):
                current.refresh()

    def show_settings(self) -> None:
        if (
            self.operator is None
            or not self.operator.is_supervisor
            or not self._leave_booking(self.show_settings)
        ):
            return
        if self.settings_page is None:
            self.settings_page = SettingsPage(self.station, self.operator)
            self.settings_page.saved.connect(self._settings_saved)
            self._add_page(self.settings_page)
        self.settings_page.refresh()
        self.work.setCurrentWidget(self.settings_page)
        self.settings_page.ori.setFocus()

    def _settings_saved(self) -> None:
        if self.operator is not None:
            self._logged_in_label_refresh()

    def _logged_in_label_refresh(self) -> None:
        cfg = self.station.config
        self.setWindowTitle(self.tr("Booking Station — %1").replace("%1", cfg.agency_name))

    def show_audit(self) -> None:
        if (
            self.operator is None
            or not self.operator.is_supervisor
            or not self._leave_booking(self.show_audit)
        ):
            return
        if self.audit_page is None:
            self.audit_page = AuditPage(self.station)
            self._add_page(self.audit_page)
        self.work.setCurrentWidget(self.audit_page)
        self.audit_page.refresh()
        self.audit_page.filter.setFocus()

    def show_reports(self) -> None:
        if self.operator is None or not self.operator.is_supervisor or not self._leave_booking():
            return
        if self.reports_page is None:
            from desktop.ui.reports_page import ReportsPage  # matplotlib and fpdf: only when asked

            self.reports_page = ReportsPage(self.station)
            self._add_page(self.reports_page)
        self.work.setCurrentWidget(self.reports_page)
        self.reports_page.quarter.setFocus()

    def _add_page(self, page: QWidget) -> None:
        """A supervisor page: Esc leaves it for the bookings list."""
        QShortcut(QKeySequence("Esc"), page, self.show_bookings)
        self.work.addWidget(page)

    def show_diagnostics(self) -> None:
        if (
            self.operator is None
            or not self.act_diagnostics.isEnabled()
            or not self._leave_booking(self.show_diagnostics)
        ):
            return
        if self.diagnostics_page is None:
            from desktop.ui.diagnostics_page import DiagnosticsPage  # drivers and numpy: only when asked

            self.diagnostics_page = DiagnosticsPage()
            self.work.addWidget(self.diagnostics_page)
        self.work.setCurrentWidget(self.diagnostics_page)

    def show_operators(self) -> None:
        if (
            self.operator is None
            or not self.operator.is_supervisor
            or not self._leave_booking(self.show_operators)
        ):
            return
        if self.operators_page is None:
            self.operators_page = OperatorsPage(self.station, self.operator)
            self._add_page(self.operators_page)
        self.operators_page.refresh()
        self.work.setCurrentWidget(self.operators_page)
        self.operators_page.username.setFocus()

    def current_page(self) -> QWidget:
        return (
            self.work.currentWidget()
            if self.stack.currentWidget() is self.work
            else self.stack.currentWidget()
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.locked:  # only the operator or a supervisor ends a locked session
            event.ignore()
            return
        if self._leave_booking(self.close):
            event.accept()
        else:
            event.ignore()
