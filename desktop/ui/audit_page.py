"""The audit log viewer (supervisors only): newest events first, a filter, and a chain check."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.station import anchoring
from desktop.station.audit import Event, Verification, local_time
from desktop.station.core import Station
from desktop.station.messages import Message
from desktop.ui import events, message_text
from desktop.ui._worker import Reload, op

_BOX = "padding: 8px; border-radius: 4px; border: 1px solid {0}; color: {0}; background: {1};"
_VERDICT_STYLES = {
    "ok": _BOX.format("#1b5e20", "#e8f5e9"),
    "unchecked": _BOX.format("#8a4b00", "#fff4e0") + " font-weight: bold;",
    "tampered": _BOX.format("#b00020", "#fdecea") + " font-weight: bold;",
}


class AuditModel(QAbstractTableModel):
    def __init__(self, station: Station) -> None:
        super().__init__()
        self._station = station
        self.events: list[Event] = []

    def set_events(self, events: list[Event]) -> None:
        self.beginResetModel()
        self.events = events
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [
                self.tr("#"),
                self.tr("When"),
                self.tr("Who"),
                self.tr("What"),
                self.tr("Subject"),
                self.tr("Details"),
            ][section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.events[index.row()]
        return [
            str(e.seq),
            e.at.astimezone(self._station.config.zone).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor,
            e.action,
            e.subject,
            json.dumps(dict(e.details), ensure_ascii=False) if e.details else "",
        ][index.column()]


class AuditPage(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by who, what or subject"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.refresh)
        self.verify_button = QPushButton(self.tr("&Verify chain"))
        self.verify_button.setAutoDefault(False)
        self.verify_button.clicked.connect(self.verify)
        self.result = QLabel()
        self.result.setObjectName("verify_result")
        self.result.setWordWrap(True)
        self.model = AuditModel(station)
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<h3>Audit log</h3>Every change, newest first (last 500 shown).")))
        layout.addLayout(top)
        layout.addWidget(self.result)
        layout.addWidget(table, 1)
        self._filter_text = ""
        self._load = Reload(
            lambda: list(self._station.audit.events(text=self._filter_text)), self.model.set_events
        )
        events.on(self, station, self._on_event)  # every change is an audit event

    def refresh(self) -> None:
        """Read the newest events again (off the UI thread)."""
        self._filter_text = self.filter.text()
        self._load()

    @property
    def loading(self) -> bool:
        return self._load.busy

    def _on_event(self, event) -> None:
        if event.seq is not None and self.isVisible():
            self.refresh()

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self._show_verdict("", self.tr("Checking the chain…"))
        station = self._station
        # The chain, then the heads the backend anchored (a network call): off the UI thread.
        op(
            lambda: anchoring.verify(station.audit, station.config, start_embedded=False),
            self._verified,
            self._failed,
        )

    def _show_verdict(self, verdict: str, text: str) -> None:
        """The result in a coloured box a supervisor cannot miss; `verdict` (ok, unchecked,
        tampered, or "" while checking) is also kept as the label's property for tests."""
        self.result.setProperty("verdict", verdict or None)
        self.result.setStyleSheet(_VERDICT_STYLES.get(verdict, ""))
        self.result.setText(text)

    def _verified(self, outcome: tuple[Verification, Message | None]) -> None:
        result, problem = outcome
        self.verify_button.setEnabled(True)
        if not result.ok:
            text = (
                self.tr("TAMPERED at event %1: %2.")
                .replace("%1", str(result.first_bad_seq))
                .replace("%2", message_text.text(result.reason) if result.reason else "")
            )
            if result.changed_after is not None:
                text += " " + self.tr("The log was changed after %1.").replace(
                    "%1", local_time(result.changed_after, self._station.config.zone)
                )
            self._show_verdict("tampered", text)
            return
        text = self.tr("Intact: %1 events, every link checked.").replace("%1", str(result.count))
        if result.anchors_checked:
            text += " " + self.tr(
                "It matches the %1 heads anchored at the FBI/DHS backend (through event %2)."
            ).replace("%1", str(result.anchors_checked)).replace("%2", str(result.anchored_through))
            self._show_verdict("ok", text)
        elif problem:
            text += " " + self.tr("NOT checked against the backend's anchored heads: %1").replace(
                "%1", message_text.text(problem)
            )
            self._show_verdict("unchecked", text)
        else:
            text += " " + self.tr(
                "The backend keeps no anchored head of this station yet (the first submission anchors one)."
            )
            self._show_verdict("unchecked", text)

    def _failed(self, exc: Exception) -> None:
        self.verify_button.setEnabled(True)
        self._show_verdict(
            "unchecked", self.tr("Could not check the chain: %1").replace("%1", message_text.error_text(exc))
        )

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()
