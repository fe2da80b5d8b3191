"""The lock screen (CJIS Security Policy 5.5.5): what the desk shows while its session is locked.

Nothing of the session stays visible: no booking, no name, no detainer countdown (the window hides
its pages, dialogs and status-bar watches while this page is up). The operator who was logged in
unlocks with their password; a supervisor may log in instead (the window then ends the locked
session). The password is checked off the UI thread; wrong passwords count towards the account's
lock-out, as at the log-in form.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.station.core import Station
from desktop.station.operators import AccountLocked, OperatorInfo
from desktop.ui._worker import op
from desktop.ui.login import ERROR_STYLE, centred
from desktop.ui.message_text import error_text, sentence


class LockScreen(QWidget):
    #: (who typed the right password, the operator whose session was locked)
    unlocked = Signal(object, object)

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._locked: OperatorInfo | None = None
        box = QWidget()
        box.setFixedWidth(480)  # a fixed width lets the wrapped title take the lines it needs
        self.title = QLabel()
        self.title.setObjectName("lock_title")
        self.title.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("lock_username")
        self.password = QLineEdit()
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = QPushButton(self.tr("&Unlock"))
        self.button.setDefault(True)
        self.message = QLabel()
        self.message.setObjectName("lock_message")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("&Password"), self.password)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addLayout(form)
        inner.addWidget(self.button)
        inner.addWidget(self.message)
        self.setLayout(centred(box))
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)

    @property
    def locked_operator(self) -> OperatorInfo | None:
        return self._locked

    def show_locked(self, operator: OperatorInfo, since: dt.datetime, idle_minutes: int | None) -> None:
        """Show the form for `operator`'s locked session (`idle_minutes`: why, None when asked)."""
        self._locked = operator
        when = since.astimezone(self._station.config.zone).strftime("%H:%M")
        reason = (
            self.tr("after %1 minutes without input").replace("%1", str(idle_minutes))
            if idle_minutes is not None
            else self.tr("on request")
        )
        self.title.setText(
            self.tr(
                "<h2>This station is locked</h2>Locked at %1 %2. %3 can unlock it with their password; "
                "a supervisor can log in instead."
            )
            .replace("%1", when)
            .replace("%2", reason)
            .replace("%3", operator.display_name)
        )
        _fit(self.title)
        self.username.setText(operator.username)
        self.password.clear()
        self.message.clear()
        self.button.setEnabled(True)
        self.password.setFocus()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        _fit(self.message)

    def submit(self) -> None:
        if not self.button.isEnabled() or self._locked is None:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.message.setStyleSheet(ERROR_STYLE)
            self._say(self.tr("Enter the user name and password."))
            return
        self.button.setEnabled(False)
        self.message.setStyleSheet("")
        self._say(self.tr("Checking…"))
        locked = self._locked
        op(lambda: self._station.operators.authenticate(username, password), lambda who: self._done(who, locked),
           self._failed)  # fmt: skip

    def _done(self, who: OperatorInfo | None, locked: OperatorInfo) -> None:
        self.button.setEnabled(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.password.clear()
        if who is None:
            self._say(self.tr("Wrong user name or password."))
            self.password.setFocus()
            return
        if who.username != locked.username and not who.is_supervisor:
            self._say(
                self.tr("Only %1 or a supervisor can unlock this station.").replace("%1", locked.display_name)
            )
            self.username.setText(locked.username)
            self.password.setFocus()
            return
        self.message.clear()
        self.unlocked.emit(who, locked)

    def _failed(self, exc: Exception) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        self.message.setStyleSheet(ERROR_STYLE)
        if isinstance(exc, AccountLocked):  # the core's message: whose account, until when
            self._say(sentence(error_text(exc)))
        else:
            self._say(self.tr("Could not unlock: %1").replace("%1", error_text(exc)))
        self.password.setFocus()


def _fit(label: QLabel) -> None:
    """A centred box does not ask a wrapped label for its height: give it what its text needs."""
    label.setMinimumHeight(label.heightForWidth(label.parentWidget().width()) if label.text() else 0)
