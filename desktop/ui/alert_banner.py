"""Wrong-person alerts on screen: a banner over every page of the booking, and the list's column.

The core raises the alert (desktop/station/alerts.py); the banner shows each open one, what the
answer says against what the booking says, and asks the clerk to acknowledge it with a note of
what they checked. Reads and the acknowledgement run off the UI thread (`op`, `Reload`); the
banner redraws on the core's `alert.` events, whichever desk acknowledged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.station.alerts import AlertView
from desktop.station.core import Station
from desktop.station.operators import OperatorInfo
from desktop.ui import events
from desktop.ui._worker import Reload, off_ui_thread, op
from desktop.ui.message_text import error_text, sentence

ALERT_RED = "#c5221f"


@off_ui_thread
def alert_column(station: Station, booking_ids: Sequence[int]) -> Mapping[int, tuple[str, ...]]:
    """The bookings list's Alert column: per booking, the facts its open alerts dispute."""
    return station.alerts.open_fields(booking_ids)


class AlertBanner(QFrame):
    """The open alerts of one booking; hidden when there are none."""

    def __init__(self, station: Station, operator: OperatorInfo, booking_id: int | None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("alert_banner")
        self.setStyleSheet(
            f"QFrame#alert_banner {{ background: #fce8e6; border: 2px solid {ALERT_RED}; border-radius: 4px; }}"
        )
        self._station = station
        self._operator = operator
        self.booking_id = booking_id
        self.alerts: list[AlertView] = []
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(10, 6, 10, 6)
        self.setVisible(False)
        self._load = Reload(self._read, self._show)
        events.on(self, station, self._on_event, "alert.")
        self.refresh()

    def refresh(self) -> None:
        if self.booking_id is not None:
            self._load()

    def set_booking(self, booking_id: int | None) -> None:
        self.booking_id = booking_id
        self.refresh()

    @off_ui_thread
    def _read(self) -> list[AlertView]:
        booking_id = self.booking_id
        return (
            [] if booking_id is None else [a for a in self._station.alerts.for_booking(booking_id) if a.open]
        )

    def _show(self, alerts: list[AlertView]) -> None:
        self.alerts = alerts
        while self._rows.count():
            item = self._rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for alert in alerts:
            self._rows.addWidget(self._row(alert))
        self.setVisible(bool(alerts))

    def _row(self, alert: AlertView) -> QWidget:
        row = QWidget()
        text = QLabel(self.describe(alert))
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        button = QPushButton(self.tr("Acknowledge…"))
        button.setObjectName(f"acknowledge_{alert.id}")
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self.acknowledge(alert))
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(text, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def describe(self, alert: AlertView) -> str:
        answer = {
            "SRE": self.tr("The FBI's answer"),
            "IAR": self.tr("The immigration response"),
            "DETAINER": self.tr("The ICE detainer"),
        }.get(alert.response_kind, self.tr("An answer"))
        differ = [self.tr("name") if f == "name" else self.tr("date of birth") for f in alert.fields]
        named = escape(alert.named) + (f" ({escape(alert.named_birth)})" if alert.named_birth else "")
        booked = escape(alert.booked) + (f" ({escape(alert.booked_birth)})" if alert.booked_birth else "")
        head = self.tr("Possible wrong person")
        body = (
            self.tr("%1 names %2; this booking is %3. They differ in: %4.")
            .replace("%1", answer)
            .replace("%2", f"<b>{named}</b>")
            .replace("%3", f"<b>{booked}</b>")
            .replace("%4", ", ".join(differ))
        )
        check = self.tr("Check the identity before acting on this answer, then acknowledge.")
        return f"<b style='color:{ALERT_RED}'>⚠ {head}</b> — {body} {check}"

    def acknowledge(self, alert: AlertView, note: str | None = None) -> None:
        """Ask what was checked (unless given), then record the acknowledgement off the UI thread."""
        if note is None:
            dialog = AcknowledgeDialog(self.describe(alert), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            note = dialog.note()
        station, who = self._station, self._operator.username
        op(
            lambda: station.alerts.acknowledge(alert.id, who, note),
            lambda _view: self.refresh(),
            self._failed,
        )

    def _failed(self, exc: Exception) -> None:
        QMessageBox.warning(self, self.tr("Alert not acknowledged"), sentence(error_text(exc)))
        self.refresh()

    def _on_event(self, event) -> None:
        self.refresh()


class AcknowledgeDialog(QDialog):
    """What the clerk checked: required, kept in the audit log with the acknowledgement."""

    def __init__(self, described: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Acknowledge the alert"))
        what = QLabel(described)
        what.setTextFormat(Qt.TextFormat.RichText)
        what.setWordWrap(True)
        ask = QLabel(self.tr("What did you check? (e.g. photo and ID compared, supervisor informed)"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("acknowledge_note")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Acknowledge"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._enable)
        self._enable()
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(ask)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 300)

    def _enable(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.note()))

    def note(self) -> str:
        return self.text.toPlainText().strip()


__all__ = ["AcknowledgeDialog", "AlertBanner", "alert_column"]
