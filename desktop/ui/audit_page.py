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

from desktop.station.audit import Event, Verification
from desktop.station.core import Station
from desktop.ui import events
from desktop.ui._worker import Reload, op
from desktop.ui.booking_form import ERROR_STYLE


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
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Checking the chain…"))
        op(self._station.audit.verify, self._verified, self._failed)

    def _verified(self, result: Verification) -> None:
        self.verify_button.setEnabled(True)
        self.result.setStyleSheet("" if result.ok else ERROR_STYLE)
        if result.ok:
            self.result.setText(
                self.tr("Intact: %1 events, every link checked.").replace("%1", str(result.count))
            )
        else:
            self.result.setText(
                self.tr("TAMPERED at event %1: %2")
                .replace("%1", str(result.first_bad_seq))
                .replace("%2", result.reason)
            )

    def _failed(self, exc: Exception) -> None:
        self.verify_button.setEnabled(True)
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(self.tr("Could not check the chain: %1").replace("%1", str(exc)))

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()
