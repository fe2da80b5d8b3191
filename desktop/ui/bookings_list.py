"""Today's bookings (or all of them), with status and search. Enter opens the selected booking.

Other parts may add a column (e.g. the detainer deadline with its countdown) by appending a
`ListColumn` to `LIST_COLUMNS`: its `values(station, booking_ids)` returns the text per booking id
and is called at every refresh (every few seconds, so countdowns stay current). Import the page's
module inside that function (see `_answers` below), so start-up stays light; a function that raises
is logged and its column left blank.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.station.bookings import BookingSummary
from desktop.station.core import Station
from desktop.ui.status import status_colour, status_text

REFRESH_MS = 5000


@dataclass(frozen=True)
class ListColumn:
    title: str  # English, marked with QT_TRANSLATE_NOOP("BookingsList", …)
    values: Callable[[Station, Sequence[int]], Mapping[int, str]]


LIST_COLUMNS: list[ListColumn] = []


def _detainer_deadlines(station: Station, booking_ids: Sequence[int]) -> Mapping[int, str]:
    from desktop.ui.detainer_page import deadline_column  # imported when the list first refreshes

    return deadline_column(station, booking_ids)


def _answers(station: Station, booking_ids: Sequence[int]) -> Mapping[int, str]:
    from desktop.ui.responses_page import answer_column  # imported when the list first refreshes

    return answer_column(station, booking_ids)


LIST_COLUMNS.append(ListColumn(QT_TRANSLATE_NOOP("BookingsList", "Answer"), _answers))
LIST_COLUMNS.append(ListColumn(QT_TRANSLATE_NOOP("BookingsList", "Detainer"), _detainer_deadlines))


def _column_values(column: ListColumn, station: Station, ids: Sequence[int]) -> Mapping[int, str]:
    try:
        return column.values(station, ids)
    except Exception:
        # A broken column must not take the bookings list down with it.
        logging.getLogger(__name__).exception("bookings list column %r failed", column.title)
        return {}


class BookingsModel(QAbstractTableModel):
    def __init__(self, station: Station) -> None:
        super().__init__()
        self._station = station
        self.rows: list[BookingSummary] = []
        self._extra: list[Mapping[int, str]] = []

    def headers(self) -> list[str]:
        base = [
            self.tr("Booking"),
            self.tr("Name"),
            self.tr("Date of birth"),
            self.tr("Status"),
            self.tr("Booked at"),
        ]
        from PySide6.QtCore import QCoreApplication

        return base + [QCoreApplication.translate("BookingsList", c.title) for c in LIST_COLUMNS]

    def set_rows(self, rows: list[BookingSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        ids = [r.id for r in rows]
        self._extra = [_column_values(column, self._station, ids) for column in LIST_COLUMNS]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5 + len(LIST_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return row.number
            if col == 1:
                return row.name
            if col == 2:
                return row.date_of_birth.isoformat()
            if col == 3:
                return status_text(row.status)
            if col == 4:
                return row.created_at.astimezone(self._station.config.zone).strftime("%Y-%m-%d %H:%M")
            return self._extra[col - 5].get(row.id, "")
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            return status_colour(row.status)
        return None


class BookingsPage(QWidget):
    open_booking = Signal(int)
    new_booking = Signal()

    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Search by name or booking number (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._open_first)
        self.today_only = QCheckBox(self.tr("&Today only"))
        self.today_only.setChecked(True)
        self.today_only.toggled.connect(self.refresh)
        new = QPushButton(self.tr("&New booking (Ctrl+N)"))
        new.setAutoDefault(False)
        new.clicked.connect(self.new_booking)
        self.model = BookingsModel(station)
        self.table = QTableView()
        self.table.setObjectName("bookings_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the name gets the room
        self.table.activated.connect(lambda index: self.open_booking.emit(self.model.rows[index.row()].id))
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.today_only)
        top.addWidget(new)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def refresh(self) -> None:
        if not self.isVisible() and self.model.rows:
            return  # nothing to show; refreshed again when shown
        selected = self.selected_id()
        text = self.search.text()
        if self.today_only.isChecked():
            rows = self._station.bookings.today(self._station.config.zone, text=text)
        else:
            rows = self._station.bookings.find(text=text)
        self.model.set_rows(rows)
        ids = [r.id for r in rows]
        if selected in ids:
            self.table.selectRow(ids.index(selected))
        scope = self.tr("today") if self.today_only.isChecked() else self.tr("in all")
        self.count.setText(self.tr("%n booking(s)", "", len(rows)) + f" {scope}")

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return (
            self.model.rows[index.row()].id
            if index.isValid() and index.row() < len(self.model.rows)
            else None
        )

    def _open_first(self) -> None:
        if self.model.rows:
            self.open_booking.emit(self.selected_id() or self.model.rows[0].id)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()
