"""Today's bookings (or all of them), with status and search. Enter opens the selected booking.

The list loads off the UI thread (`Reload`) when shown, when the search or the scope changes and
when the core publishes a change to bookings, submissions, responses or detainers: no polling.

Other parts may add a column (e.g. the detainer deadline with its countdown) by appending a
`ListColumn` to `LIST_COLUMNS`: its `values(station, booking_ids)` runs with the load, off the UI
thread, and returns a value per booking id; its `text(value, now)` turns a value into the cell's
words on the UI thread, and is redrawn every second (a countdown stays current without reading the
database again), so it must be light and already imported. Import the page's module inside
`values` (see `_answers` below), so start-up stays light; a `values` that raises is logged and its
column left blank.
"""

from __future__ import annotations

import datetime as dt
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
from PySide6.QtGui import QColor, QKeySequence, QShortcut
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
from desktop.ui import events
from desktop.ui._worker import Reload, off_ui_thread
from desktop.ui.detainer_status import deadline_text
from desktop.ui.status import status_colour, status_text

COUNTDOWN_MS = 1000  # redraws the time-dependent cells; never reads the database
# The core's events that can change what the list shows.
TOPICS = ("booking.", "submission.", "response.", "detainer.", "capture.", "alert.")


def _as_text(value: Any, now: dt.datetime) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class ListColumn:
    title: str  # English, marked with QT_TRANSLATE_NOOP("BookingsList", …)
    values: Callable[[Station, Sequence[int]], Mapping[int, Any]]  # off the UI thread
    text: Callable[[Any, dt.datetime], str] = _as_text  # on the UI thread, at every redraw
    colour: str | None = None  # the cell's text colour when it has a value (an alert's red)


LIST_COLUMNS: list[ListColumn] = []


@off_ui_thread
def _detainer_deadlines(station: Station, booking_ids: Sequence[int]) -> Mapping[int, Any]:
    from desktop.ui.detainer_page import deadline_column  # imported when the list first refreshes

    return deadline_column(station, booking_ids)


@off_ui_thread
def _answers(station: Station, booking_ids: Sequence[int]) -> Mapping[int, str]:
    from desktop.ui.responses_page import answer_column  # imported when the list first refreshes

    return answer_column(station, booking_ids)


@off_ui_thread
def _alerts(station: Station, booking_ids: Sequence[int]) -> Mapping[int, tuple[str, ...]]:
    from desktop.ui.alert_banner import alert_column

    return alert_column(station, booking_ids)


def _alert_text(fields: tuple[str, ...], now: dt.datetime) -> str:
    """The open alerts' disputed facts: "⚠ wrong person? name, date of birth"."""
    from PySide6.QtCore import QCoreApplication

    words = {
        "name": QCoreApplication.translate("BookingsList", "name"),
        "date_of_birth": QCoreApplication.translate("BookingsList", "date of birth"),
    }
    head = QCoreApplication.translate("BookingsList", "wrong person?")
    return f"⚠ {head} " + ", ".join(words.get(f, f) for f in fields)


LIST_COLUMNS.append(ListColumn(QT_TRANSLATE_NOOP("BookingsList", "Alert"), _alerts, _alert_text, "#c5221f"))
LIST_COLUMNS.append(ListColumn(QT_TRANSLATE_NOOP("BookingsList", "Answer"), _answers))
LIST_COLUMNS.append(
    ListColumn(QT_TRANSLATE_NOOP("BookingsList", "Detainer"), _detainer_deadlines, deadline_text)
)


@dataclass(frozen=True)
class ListData:
    """One load of the list: the rows and each extra column's values."""

    rows: list[BookingSummary]
    extra: list[Mapping[int, Any]]
    today_only: bool
    text: str = ""  # the search it answers


@off_ui_thread
def load_list(station: Station, text: str, today_only: bool) -> ListData:
    """What the list shows (runs off the UI thread)."""
    if today_only:
        rows = station.bookings.today(station.config.zone, text=text)
    else:
        rows = station.bookings.find(text=text)
    ids = [r.id for r in rows]
    return ListData(rows, [_column_values(column, station, ids) for column in LIST_COLUMNS], today_only, text)


@off_ui_thread
def _column_values(column: ListColumn, station: Station, ids: Sequence[int]) -> Mapping[int, Any]:
    try:
        return column.values(station, ids)
    except Exception:
        # A broken column must not take the bookings list down with it.
        logging.getLogger(__name__).exception("bookings list column %r failed", column.title)
        return {}


class BookingsModel(QAbstractTableModel):
    """The list's rows. Qt asks `data()` about every role of every cell on screen at each paint and
    sizing (thousands of calls from the UI thread, each waiting for the interpreter lock while a
    worker thread holds it): the cells' texts are worked out once per load and kept, a load that
    brings the same rows changes only the rows that differ (no model reset, no relayout), and the
    countdown redraws only the cells whose words depend on the time."""

    def __init__(self, station: Station) -> None:
        super().__init__()
        self._station = station
        self.rows: list[BookingSummary] = []
        self._extra: list[Mapping[int, Any]] = []
        self._now = dt.datetime.now(dt.UTC)
        self._texts: list[tuple[str, ...] | None] = []  # each row's cell texts, made when first asked
        self._headers: list[str] | None = None

    def headers(self) -> list[str]:
        if self._headers is None:
            from PySide6.QtCore import QCoreApplication

            base = [
                self.tr("Booking"),
                self.tr("Name"),
                self.tr("Date of birth"),
                self.tr("Status"),
                self.tr("Booked at"),
            ]
            self._headers = base + [QCoreApplication.translate("BookingsList", c.title) for c in LIST_COLUMNS]
        return self._headers

    def set_data(self, data: ListData) -> None:
        """Show a load: rows already shown that did not change are left alone."""
        old_ids = [r.id for r in self.rows]
        new_ids = [r.id for r in data.rows]
        self._now = dt.datetime.now(dt.UTC)
        if not old_ids or old_ids[0] not in new_ids:
            self._reset(data)
            return
        added = new_ids.index(old_ids[0])  # rows new at the top (bookings made since)
        kept = len(new_ids) - added
        if new_ids[added:] != old_ids[:kept]:
            self._reset(data)  # another order or another set: start again
            return
        before = self._row_values(old_ids)
        if kept < len(old_ids):  # the limit pushed rows off the bottom
            self.beginRemoveRows(QModelIndex(), kept, len(old_ids) - 1)
            del self.rows[kept:], self._texts[kept:]
            self.endRemoveRows()
        if added:
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self.rows[:0] = data.rows[:added]
            self._texts[:0] = [None] * added
            self.endInsertRows()
        self.rows = list(data.rows)
        self._extra = data.extra
        after = self._row_values(new_ids)
        changed = [row for row in range(added, len(new_ids)) if before[row - added] != after[row]]
        for row in changed:
            self._texts[row] = None
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def _reset(self, data: ListData) -> None:
        self.beginResetModel()
        self.rows = list(data.rows)
        self._extra = data.extra
        self._texts = [None] * len(self.rows)
        self.endResetModel()

    def _row_values(self, ids: list[int]) -> list[tuple]:
        """What each row shows, to compare two loads."""
        return [
            (row, tuple(values.get(booking) for values in self._extra))
            for row, booking in zip(self.rows, ids, strict=True)
        ]

    def redraw_columns(self, first: int = 0, last: int | None = None) -> None:
        """Redraw the cells whose words depend on the time (countdowns) in rows `first`-`last` (those
        on screen); no database. One signal over the ticking rows: each signal has the view size its
        columns to the rows on screen again (a signal per run of rows stalled the UI thread)."""
        self._now = dt.datetime.now(dt.UTC)
        ticking = [n for n, column in enumerate(LIST_COLUMNS) if column.text is not _as_text]
        rows = [
            i for i, row in enumerate(self.rows)
            if any(n < len(self._extra) and self._extra[n].get(row.id) is not None for n in ticking)
        ]  # fmt: skip
        for row in rows:
            self._texts[row] = None  # also off screen: worded afresh when scrolled to
        last = len(self.rows) - 1 if last is None else last
        shown = [row for row in rows if first <= row <= last]
        if shown:
            left, right = 5 + min(ticking), 5 + max(ticking)
            top, bottom = self.index(shown[0], left), self.index(shown[-1], right)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

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
        if role == Qt.ItemDataRole.DisplayRole:
            number = index.row()
            texts = self._texts[number]
            if texts is None:
                texts = self._texts[number] = self._cell_texts(self.rows[number])
            return texts[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            row = self.rows[index.row()]
            col = index.column()
            if col == 3:
                return status_colour(row.state)
            extra = col - 5
            if 0 <= extra < len(self._extra):
                colour = LIST_COLUMNS[extra].colour
                if colour and self._extra[extra].get(row.id):
                    return QColor(colour)
        return None

    def _cell_texts(self, row: BookingSummary) -> tuple[str, ...]:
        base = (
            row.number,
            row.name,
            row.date_of_birth.isoformat(),
            status_text(row.state),
            row.created_at.astimezone(self._station.config.zone).strftime("%Y-%m-%d %H:%M"),
        )
        extra = []
        for n, column in enumerate(LIST_COLUMNS):
            value = self._extra[n].get(row.id) if n < len(self._extra) else None
            extra.append("" if value is None else column.text(value, self._now))
        return base + tuple(extra)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of neighbours."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


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
        # Down and Up in the search box move the highlight in the list; Enter opens it.
        for key, step in ((Qt.Key.Key_Down, 1), (Qt.Key.Key_Up, -1)):
            QShortcut(
                QKeySequence(key), self.search, lambda s=step: self._move(s),
                context=Qt.ShortcutContext.WidgetShortcut,
            )  # fmt: skip
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
        # Sized to the rows on screen: sizing to all 500 asked the model ~30 000 times on the UI
        # thread at every load and every countdown redraw (a stall of up to a second).
        header.setResizeContentsPrecision(0)
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
        self._load = Reload(self._read, self._show)
        self._query = ("", True)
        self._shown_query: tuple[str, bool] | None = None
        self._refresh_pending = False  # shown: a load waits for the first paint (showEvent)
        events.on(self, station, self._on_event, *TOPICS)
        self._countdown = QTimer(self)
        self._countdown.timeout.connect(self.redraw)
        self._countdown.start(COUNTDOWN_MS)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def refresh(self) -> None:
        """Load the list again (off the UI thread); shown when it arrives."""
        self._refresh_pending = False
        if not self.isVisible() and self.model.rows:
            return  # nothing to show; loaded again when shown (showEvent)
        self._query = (self.search.text(), self.today_only.isChecked())  # read on the UI thread
        self._load()

    @property
    def loading(self) -> bool:
        return self._load.busy or self._refresh_pending

    @off_ui_thread
    def _read(self) -> ListData:
        text, today_only = self._query
        return load_list(self._station, text, today_only)

    def _show(self, data: ListData) -> None:
        # The same list again keeps the clerk's row; a new search highlights its first match (the
        # row Enter opens), never a booking from before the search that happens to match too.
        query = (data.text, data.today_only)
        selected = self.selected_id() if query == self._shown_query else None
        self._shown_query = query
        self.model.set_data(data)
        ids = [r.id for r in data.rows]
        if selected in ids:
            self.table.selectRow(ids.index(selected))
        elif ids and query[0]:
            self.table.selectRow(0)
        scope = self.tr("today") if data.today_only else self.tr("in all")
        self.count.setText(self.tr("%n booking(s)", "", len(data.rows)) + f" {scope}")

    def _on_event(self, event) -> None:
        self.refresh()

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

    def _move(self, step: int) -> None:
        """Move the highlighted row by `step` (from the search box)."""
        if self.model.rows:
            row = self.table.currentIndex().row() if self.table.currentIndex().isValid() else -1
            self.table.selectRow(max(0, min(len(self.model.rows) - 1, row + step)))

    def _refresh_if_pending(self) -> None:
        if self._refresh_pending:
            self.refresh()

    def redraw(self) -> None:
        """The countdown's tick: the time-dependent cells of the rows on screen (the others are
        worded afresh when scrolled to)."""
        table = self.table
        first = max(table.rowAt(0), 0)
        last = table.rowAt(table.viewport().height() - 1)
        self.model.redraw_columns(first, len(self.model.rows) - 1 if last < 0 else last)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        # The load starts once the list is painted (and a closed booking's widgets are gone): a
        # worker thread loading beside the UI thread's layout and paint made both wait for the
        # interpreter lock (bench ui, closing a booking). A refresh asked meanwhile loads instead.
        self._refresh_pending = True
        QTimer.singleShot(0, self, self._refresh_if_pending)
        self.redraw()
        self._countdown.start(COUNTDOWN_MS)

    def hideEvent(self, event) -> None:  # noqa: N802
        # A hidden list is not redrawn: each redraw asks the model about the rows on screen for
        # the columns' sizes, on the UI thread, also while a booking is open over the list.
        self._countdown.stop()
        super().hideEvent(event)
