"""Operator accounts (supervisors only): list them, add one, disable or enable one, unlock one
locked after too many wrong passwords."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from booking_station.runtime import UserError
from desktop.station.core import Station
from desktop.station.models import Role
from desktop.station.operators import MIN_PASSWORD, OperatorInfo
from desktop.ui import events
from desktop.ui._worker import Reload, op
from desktop.ui.booking_form import ERROR_STYLE
from desktop.ui.message_text import error_text, role_text, sentence


class OperatorsPage(QWidget):
    def __init__(self, station: Station, operator: OperatorInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._operator = operator
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("User name"), self.tr("Full name"), self.tr("Role"), self.tr("State")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.toggle = QPushButton(self.tr("&Disable / enable selected"))
        self.toggle.setAutoDefault(False)
        self.toggle.clicked.connect(self._toggle)
        self.unlock = QPushButton(self.tr("U&nlock selected"))
        self.unlock.setObjectName("unlock_operator")
        self.unlock.setAutoDefault(False)
        self.unlock.setEnabled(False)
        self.unlock.clicked.connect(self._unlock)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.role = QComboBox()
        for role, label in (
            (Role.CLERK, self.tr("Clerk")),
            (Role.SUPERVISOR, self.tr("Supervisor")),
            (Role.HARDWARE_TESTER, self.tr("Hardware tester")),
        ):
            self.role.addItem(label, role.value)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("at least %1 characters, not a common one").replace("%1", str(MIN_PASSWORD))
        )
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton(self.tr("&Add account"))
        self.add_button.clicked.connect(self._add)
        self.repeat.returnPressed.connect(self._add)
        self.message = QLabel()
        self.message.setObjectName("operators_message")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("&Full name"), self.full_name)
        form.addRow(self.tr("&Role"), self.role)
        form.addRow(self.tr("&Password"), self.password)
        form.addRow(self.tr("R&epeat password"), self.repeat)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.toggle)
        buttons.addWidget(self.unlock)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("<b>New account</b>")))
        right.addLayout(form)
        right.addWidget(self.add_button)
        right.addWidget(self.message)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<h3>Operators</h3>Accounts that can log in to this station.")))
        layout.addLayout(body, 1)
        self.rows: list[OperatorInfo] = []
        self._load = Reload(self._station.operators.list, self._show)
        events.on(self, station, lambda _event: self.refresh(), "operator.")

    def refresh(self) -> None:
        """Read the accounts again (off the UI thread)."""
        self._load()

    @property
    def loading(self) -> bool:
        return self._load.busy

    def _show(self, rows: list[OperatorInfo]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        zone = self._station.config.zone
        for i, who in enumerate(rows):
            state = self.tr("active") if who.active else self.tr("disabled")
            if who.locked_until is not None:
                state = self.tr("locked until %1 (too many wrong passwords)").replace(
                    "%1", who.locked_until.astimezone(zone).strftime("%H:%M")
                )
            for j, text in enumerate((who.username, who.full_name, role_text(who.role.value), state)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self._selection_changed()

    def _selected(self) -> OperatorInfo | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _selection_changed(self) -> None:
        who = self._selected()
        self.unlock.setEnabled(who is not None and who.locked_until is not None)

    def _unlock(self) -> None:
        who = self._selected()
        if who is None or who.locked_until is None:
            return
        actor = self._operator.username

        def done(_none: None) -> None:
            self._say(self.tr("%1 can log in again.").replace("%1", who.username))
            self.refresh()

        op(lambda: self._station.operators.unlock(who.username, actor=actor), done, self._failed_toggle)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def _add(self) -> None:
        if self.password.text() != self.repeat.text():
            self._say(self.tr("The two passwords differ."), error=True)
            return
        username, full_name, password = self.username.text(), self.full_name.text(), self.password.text()
        role = self.role.currentData()
        actor = self._operator.username
        self.add_button.setEnabled(False)

        def add() -> OperatorInfo:  # argon2 hashing: off the UI thread
            return self._station.operators.add(username, password, role, full_name=full_name, actor=actor)

        op(add, self._added, self._failed)

    def _added(self, who: OperatorInfo) -> None:
        self.add_button.setEnabled(True)
        for edit in (self.username, self.full_name, self.password, self.repeat):
            edit.clear()
        self._say(
            self.tr("Added %1 (%2).").replace("%1", who.username).replace("%2", role_text(who.role.value))
        )
        self.refresh()

    def _failed(self, exc: Exception) -> None:
        self.add_button.setEnabled(True)
        if not isinstance(exc, UserError):
            raise exc
        self._say(sentence(error_text(exc)), error=True)  # a refused password names the rules it breaks

    def _toggle(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            self._say(self.tr("Select an account first."), error=True)
            return
        if row >= len(self.rows):
            return
        who = self.rows[row]
        if who.username == self._operator.username:
            self._say(self.tr("You cannot disable your own account."), error=True)
            return
        actor = self._operator.username

        def done(_none: None) -> None:
            self._say(self.tr("%1 is now %2.").replace("%1", who.username).replace(
                "%2", self.tr("disabled") if who.active else self.tr("active")))  # fmt: skip
            self.refresh()

        op(
            lambda: self._station.operators.set_active(who.username, not who.active, actor=actor),
            done,
            self._failed_toggle,
        )

    def _failed_toggle(self, exc: Exception) -> None:
        if not isinstance(exc, UserError):
            raise exc
        self._say(sentence(error_text(exc)), error=True)
