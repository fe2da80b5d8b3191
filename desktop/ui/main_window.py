"""The station window: first-run set-up, log-in, then the workspace (bookings, a booking, settings, audit).

Keyboard: F2 bookings, Ctrl+N new booking, Ctrl+F search, Esc back from a booking, F7 scanner
diagnostics (hardware testers and supervisors), F8 operators, F9 audit log, F10 reports, Ctrl+,
settings (those four supervisors only), Ctrl+L log out, F6 a new answer (answer_notices.py).
Hardware testers see only the diagnostics.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QToolBar, QWidget

from desktop.station.core import Station
from desktop.station.models import Role
from desktop.station.operators import OperatorInfo
from desktop.ui import booking_pages
from desktop.ui._worker import op
from desktop.ui.answer_notices import AnswerNotices
from desktop.ui.audit_page import AuditPage
from desktop.ui.booking_view import BookingView
from desktop.ui.bookings_list import BookingsPage
from desktop.ui.icon import app_icon
from desktop.ui.login import FirstRunPage, LoginPage
from desktop.ui.message_text import role_text
from desktop.ui.operators_page import OperatorsPage
from desktop.ui.settings_page import SettingsPage


class MainWindow(QMainWindow):
    def __init__(self, station: Station) -> None:
        super().__init__()
        self.station = station
        self.operator: OperatorInfo | None = None
        self.booking_view: BookingView | None = None
        self.settings_page: SettingsPage | None = None
        self.audit_page: AuditPage | None = None
        self.reports_page: QWidget | None = None
        self.operators_page: OperatorsPage | None = None
        self.diagnostics_page: QWidget | None = None
        self.setWindowTitle(self.tr("Booking Station — %1").replace("%1", station.config.agency_name))
        self.setWindowIcon(app_icon())
        self.resize(1100, 720)  # when un-maximised
        # A booking desk runs the station full screen (1366×768 is common): every page gets the room.
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.login_page = LoginPage(station)
        self.login_page.logged_in.connect(self._logged_in)
        self.first_run_page = FirstRunPage(station)
        self.first_run_page.created.connect(self._logged_in)
        self.work = QStackedWidget()
        self.bookings_page = BookingsPage(station)
        self.bookings_page.open_booking.connect(self.open_booking)
        self.bookings_page.new_booking.connect(self.new_booking)
        self.work.addWidget(self.bookings_page)
        self.starting = QWidget()  # shown while the store says whether a supervisor exists yet
        for page in (self.starting, self.first_run_page, self.login_page, self.work):
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
        self.act_logout = self._action(self.tr("Log out (Ctrl+L)"), "Ctrl+L", self.log_out)
        self.who = QLabel()
        self.statusBar().addPermanentWidget(self.who)
        self.answer_notices = AnswerNotices(station, self)  # an answer or detainer arrived: F6 opens it
        self.answer_notices.open_booking.connect(self._open_number)
        self._show_start()

    def _action(self, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    # --- who is at the desk ------------------------------------------------------------------

    def _show_start(self) -> None:
        self.operator = None
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

    def _logged_in(self, who: OperatorInfo) -> None:
        self.operator = who
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
        cfg = self.station.config
        self.who.setText(
            self.tr("%1 (%2) · %3 %4")
            .replace("%1", who.display_name)
            .replace("%2", role_text(who.role.value))
            .replace("%3", cfg.agency_ori)
            .replace("%4", cfg.agency_name)
        )
        self.stack.setCurrentWidget(self.work)
        self.answer_notices.set_active(not tester)
        if not tester:
            op(booking_pages.warm_up)  # the first booking opened does not wait for the imports
        if tester:
            self.show_diagnostics()
        else:
            self.show_bookings()

    def log_out(self) -> None:
        if not self._leave_booking(self.log_out):
            return
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
        who = self.operator.username if self.operator else "?"
        op(lambda: self.station.audit.append(who, "logout", ""))
        self._show_start()

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
        if (
            self.operator is None
            or self.operator.role is Role.HARDWARE_TESTER
            or not self._leave_booking(self.show_bookings)
        ):
            return
        self.work.setCurrentWidget(self.bookings_page)
        self.bookings_page.refresh()
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
        current = view.tabs.currentWidget()
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
        if self._leave_booking(self.close):
            event.accept()
        else:
            event.ignore()
