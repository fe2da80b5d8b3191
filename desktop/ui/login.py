"""Log-in, and the first-run page that creates the station's first supervisor account."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from booking_station.runtime import UserError
from desktop.station.core import Station
from desktop.station.models import Role
from desktop.station.operators import MIN_PASSWORD, AccountLocked, OperatorInfo
from desktop.ui._worker import op
from desktop.ui.message_text import error_text, sentence

ERROR_STYLE = "color: #b00020;"


def centred(inner: QWidget) -> QVBoxLayout:
    """`inner` in the middle of a page (log-in, first run, lock screen, new password)."""
    outer = QVBoxLayout()
    outer.addStretch(1)
    outer.addWidget(inner, 0, Qt.AlignmentFlag.AlignHCenter)
    outer.addStretch(2)
    return outer


class LoginPage(QWidget):
    logged_in = Signal(object)  # OperatorInfo

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        box = QWidget()
        box.setMinimumWidth(360)
        title = QLabel(self.tr("<h2>Booking Station</h2>%1").replace("%1", station.config.agency_name))
        title.setObjectName("login_title")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = QPushButton(self.tr("&Log in"))
        self.button.setDefault(True)
        self.message = QLabel()
        self.message.setObjectName("login_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("&Password"), self.password)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.button)
        inner.addWidget(self.message)
        self.setLayout(centred(box))
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)

    def reset(self) -> None:
        """An empty form with the cursor in the user name (after log-out the next person starts
        with their name, not in the previous person's password box)."""
        self.username.clear()
        self.password.clear()
        self.message.clear()
        self.button.setEnabled(True)
        self.username.setFocus()

    def submit(self) -> None:
        if not self.button.isEnabled():
            return
        username, password = self.username.text(), self.password.text()
        if not username or not password:
            self.message.setText(self.tr("Enter your user name and password."))
            return
        self.button.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        self.message.setStyleSheet("")
        # argon2 is deliberately slow: keep it off the UI thread.
        op(lambda: self._station.operators.authenticate(username, password), self._done, self._failed)

    def _done(self, who: OperatorInfo | None) -> None:
        self.button.setEnabled(True)
        self.message.setStyleSheet(ERROR_STYLE)
        if who is None:
            self.message.setText(self.tr("Wrong user name or password."))
            self.password.selectAll()
            self.password.setFocus()
            return
        self.message.clear()
        self.password.clear()
        self.logged_in.emit(who)

    def _failed(self, exc: Exception) -> None:
        self.button.setEnabled(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.password.clear()
        if isinstance(exc, AccountLocked):  # the core's message: whose account, until when
            self.message.setText(sentence(error_text(exc)))
            self.username.setFocus()
            return
        self.message.setText(self.tr("Could not log in: %1").replace("%1", error_text(exc)))


class FirstRunPage(QWidget):
    """No supervisor yet: create one before anything else can happen."""

    created = Signal(object)  # OperatorInfo of the new supervisor

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        box = QWidget()
        box.setMinimumWidth(440)
        intro = QLabel(
            self.tr(
                "<h2>Welcome</h2>This station has no accounts yet. Create the first supervisor: "
                "supervisors change settings, read the audit log and add accounts for clerks."
            )
        )
        intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("new_username")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("new_full_name")
        self.password = QLineEdit()
        self.password.setObjectName("new_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("at least %1 characters, not a common one").replace("%1", str(MIN_PASSWORD))
        )
        self.repeat = QLineEdit()
        self.repeat.setObjectName("new_password_repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = QPushButton(self.tr("&Create supervisor"))
        self.button.setDefault(True)
        self.message = QLabel()
        self.message.setObjectName("first_run_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&User name"), self.username)
        form.addRow(self.tr("&Full name"), self.full_name)
        form.addRow(self.tr("&Password"), self.password)
        form.addRow(self.tr("&Repeat password"), self.repeat)
        inner = QVBoxLayout(box)
        inner.addWidget(intro)
        inner.addLayout(form)
        inner.addWidget(self.button)
        inner.addWidget(self.message)
        self.setLayout(centred(box))
        for edit, nxt in (
            (self.username, self.full_name),
            (self.full_name, self.password),
            (self.password, self.repeat),
        ):
            edit.returnPressed.connect(nxt.setFocus)
        self.repeat.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)

    def submit(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText(self.tr("The two passwords differ."))
            self.repeat.selectAll()
            self.repeat.setFocus()
            return
        username, full_name, password = self.username.text(), self.full_name.text(), self.password.text()
        self.button.setEnabled(False)

        def create() -> OperatorInfo | None:
            self._station.operators.add(
                username, password, Role.SUPERVISOR, full_name=full_name, actor="first-run"
            )
            return self._station.operators.authenticate(username, password)  # logs the log-in as usual

        op(create, self._done, self._failed)

    def _done(self, who: OperatorInfo) -> None:
        self.button.setEnabled(True)
        self.message.clear()
        self.created.emit(who)

    def _failed(self, exc: Exception) -> None:
        self.button.setEnabled(True)
        if not isinstance(exc, UserError):
            raise exc
        self.message.setText(sentence(error_text(exc)))  # a refused password names the rules it breaks
