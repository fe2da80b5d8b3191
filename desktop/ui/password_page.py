"""A new password, asked for at log-in when the old one is more than 90 days old (CJIS 5.6.2.1.1).

The rules are the core's (desktop/station/passwords.py); a refused password is answered with the
rules it breaks, in the UI's language. Checking and hashing run off the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.station.core import Station
from desktop.station.operators import MIN_PASSWORD, OperatorInfo
from desktop.ui._worker import op
from desktop.ui.login import ERROR_STYLE, centred
from desktop.ui.message_text import error_text, sentence


class ChangePasswordPage(QWidget):
    changed = Signal(object)  # OperatorInfo, with the new password in force
    cancelled = Signal()

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._who: OperatorInfo | None = None
        box = QWidget()
        box.setMinimumWidth(440)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.current = QLineEdit()
        self.current.setObjectName("current_password")
        self.new = QLineEdit()
        self.new.setObjectName("new_password")
        self.new.setPlaceholderText(self.tr("at least %1 characters").replace("%1", str(MIN_PASSWORD)))
        self.repeat = QLineEdit()
        self.repeat.setObjectName("new_password_repeat")
        for edit in (self.current, self.new, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = QPushButton(self.tr("&Change password"))
        self.button.setDefault(True)
        self.back = QPushButton(self.tr("Log &out"))
        self.message = QLabel()
        self.message.setObjectName("password_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        form.addRow(self.tr("C&urrent password"), self.current)
        form.addRow(self.tr("&New password"), self.new)
        form.addRow(self.tr("&Repeat new password"), self.repeat)
        inner = QVBoxLayout(box)
        inner.addWidget(self.intro)
        inner.addLayout(form)
        inner.addWidget(self.button)
        inner.addWidget(self.back)
        inner.addWidget(self.message)
        self.setLayout(centred(box))
        self.current.returnPressed.connect(self.new.setFocus)
        self.new.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)
        self.back.clicked.connect(self.cancelled.emit)

    def ask(self, who: OperatorInfo) -> None:
        self._who = who
        self.intro.setText(
            self.tr(
                "<h2>Choose a new password</h2>%1, your password is more than 90 days old. Choose a new "
                "one: at least %2 characters, not a common password, word or name, not your user name and "
                "none of your last ten."
            )
            .replace("%1", who.display_name)
            .replace("%2", str(MIN_PASSWORD))
        )
        for edit in (self.current, self.new, self.repeat):
            edit.clear()
        self.message.clear()
        self.button.setEnabled(True)
        self.current.setFocus()

    def submit(self) -> None:
        if self._who is None or not self.button.isEnabled():
            return
        if self.new.text() != self.repeat.text():
            self.message.setText(self.tr("The two new passwords differ."))
            self.repeat.selectAll()
            self.repeat.setFocus()
            return
        username, old, new = self._who.username, self.current.text(), self.new.text()
        self.button.setEnabled(False)
        self.message.clear()
        op(lambda: self._station.operators.change_password(username, old, new), self._done, self._failed)

    def _done(self, who: OperatorInfo) -> None:
        self.button.setEnabled(True)
        for edit in (self.current, self.new, self.repeat):
            edit.clear()
        self.changed.emit(who)

    def _failed(self, exc: Exception) -> None:
        self.button.setEnabled(True)
        self.message.setText(sentence(error_text(exc)))
        self.new.selectAll()
        self.new.setFocus()
