"""Showing a long bookings list asks the model about the rows on screen, not every row: asking
about all 500 (to size the columns to their contents) ran ~30 000 Python calls on the UI thread
and stalled it for 0.2–1 s at every reload and every countdown redraw."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QCoreApplication

from desktop.station.booking_state import BookingState
from desktop.station.bookings import BookingSummary
from desktop.station.models import BookingStatus

pytest.importorskip("pytestqt")


def _rows(n: int) -> list[BookingSummary]:
    now = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    return [
        BookingSummary(i, f"2026-{i:06d}", f"SMITH, Person {i}", dt.date(1990, 1, 2), BookingStatus.DRAFT,
                       now.date(), now, now, BookingState.DRAFT)
        for i in range(1, n + 1)
    ]  # fmt: skip


def test_a_long_list_asks_only_about_the_rows_on_screen(qtbot, station) -> None:
    from desktop.ui.bookings_list import LIST_COLUMNS, BookingsModel, BookingsPage, ListData

    asked: set[int] = set()

    class CountingModel(BookingsModel):
        def data(self, index, role=0):  # noqa: ANN001, ANN201 - as the model's
            asked.add(index.row())
            return super().data(index, role)

    page = BookingsPage(station)
    qtbot.addWidget(page)
    page.model = CountingModel(station)  # the page's own, counting which rows it is asked about
    page.model.setParent(page)
    page.table.setModel(page.model)
    page.resize(1366, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.loading)
    asked.clear()
    page._show(ListData(_rows(500), [{} for _ in LIST_COLUMNS], today_only=False))
    page.table.selectRow(0)
    qtbot.wait(50)
    page.model.redraw_columns()  # the countdown's redraw, every second
    qtbot.wait(50)
    assert len(page.model.rows) == 500
    assert 0 < len(asked) < 100, f"the model was asked about {len(asked)} of 500 rows"


def test_a_hidden_list_is_not_redrawn(qtbot, station) -> None:
    """Under an open booking the list is hidden: its countdown kept redrawing it every second, and
    each redraw had Qt ask the model about its rows for the columns' sizes on the UI thread
    (bench ui, 2 000 bookings: thousands of calls during the capture step; none once stopped)."""
    from PySide6.QtWidgets import QLabel, QStackedWidget

    from desktop.ui.bookings_list import LIST_COLUMNS, BookingsModel, BookingsPage, ListData

    asked: list[int] = []

    class CountingModel(BookingsModel):
        def data(self, index, role=0):  # noqa: ANN001, ANN201 - as the model's
            asked.append(index.row())
            return super().data(index, role)

    work = QStackedWidget()  # as the main window's: the list, or a booking over it
    qtbot.addWidget(work)
    page = BookingsPage(station)
    page.model = CountingModel(station)
    page.model.setParent(page)
    page.table.setModel(page.model)
    booking = QLabel("a booking")
    work.addWidget(page)
    work.addWidget(booking)
    work.resize(1366, 700)
    work.show()
    qtbot.waitUntil(lambda: not page.loading)
    page._show(ListData(_rows(500), [{} for _ in LIST_COLUMNS], today_only=False))
    assert page._countdown.isActive()
    work.setCurrentWidget(booking)
    assert not page._countdown.isActive()  # nothing on screen to redraw
    asked.clear()
    work.setCurrentWidget(page)  # shown again: redrawn at once, at the current time, and counting
    qtbot.waitUntil(lambda: bool(asked))
    assert page._countdown.isActive()


class _Signals:
    """What a model told its views."""

    def __init__(self, model) -> None:  # noqa: ANN001
        self.resets = 0
        self.changed: list[tuple[int, int, int, int]] = []
        self.inserted: list[tuple[int, int]] = []
        self.removed: list[tuple[int, int]] = []
        model.modelReset.connect(self._reset)
        model.dataChanged.connect(
            lambda a, b, roles=(): self.changed.append((a.row(), b.row(), a.column(), b.column()))
        )
        model.rowsInserted.connect(lambda parent, first, last: self.inserted.append((first, last)))
        model.rowsRemoved.connect(lambda parent, first, last: self.removed.append((first, last)))

    def _reset(self) -> None:
        self.resets += 1


def test_a_load_of_the_same_rows_changes_only_the_rows_that_differ(qtbot, station) -> None:
    """Each reload reset the model (the view forgot everything and asked ~3 500 questions about the
    rows on screen, on the UI thread): the list reloads on every event and when shown again."""
    import dataclasses

    from desktop.ui.bookings_list import LIST_COLUMNS, BookingsModel, ListData

    model = BookingsModel(station)
    seen = _Signals(model)
    empty = [{} for _ in LIST_COLUMNS]
    rows = list(reversed(_rows(50)))  # newest first, as the list shows them
    model.set_data(ListData(rows, empty, today_only=True))
    assert seen.resets == 1
    model.set_data(ListData(list(rows), empty, today_only=True))  # shown again: the same rows
    assert (seen.resets, seen.changed, seen.inserted) == (1, [], [])

    moved = list(rows)
    moved[10] = dataclasses.replace(rows[10], state=BookingState.CAPTURED)  # one booking moved on
    model.set_data(ListData(moved, empty, today_only=True))
    assert seen.resets == 1 and seen.changed == [(10, 10, 0, model.columnCount() - 1)]
    assert model.data(model.index(10, 3)) != model.data(model.index(11, 3))

    newest = _rows(51)[-1]  # booked meanwhile: one row more at the top
    seen.changed.clear()
    model.set_data(ListData([newest, *moved], empty, today_only=True))
    assert (seen.resets, seen.inserted, seen.changed) == (1, [(0, 0)], [])
    assert [r.id for r in model.rows] == [51, *(r.id for r in rows)]
    assert model.data(model.index(0, 0)) == newest.number and model.data(model.index(1, 0)) == rows[0].number

    model.set_data(ListData(rows[5:], empty, today_only=True))  # another search: started again
    assert seen.resets == 2 and len(model.rows) == 45


def test_cell_texts_are_worked_out_once_per_load_and_the_countdown_redraws_only_its_cells(
    qtbot, station, monkeypatch
) -> None:
    from desktop.ui import bookings_list
    from desktop.ui.bookings_list import BookingsModel, ListColumn, ListData

    worded: list[int] = []

    def countdown(value, now) -> str:  # noqa: ANN001
        worded.append(value)
        return f"{value} h left"

    columns = [
        ListColumn("Plain", lambda station, ids: {}),
        ListColumn("Countdown", lambda s, i: {}, countdown),
    ]
    monkeypatch.setattr(bookings_list, "LIST_COLUMNS", columns)
    model = BookingsModel(station)
    seen = _Signals(model)
    rows = _rows(30)
    model.set_data(
        ListData(rows, [{1: "x"}, {rows[4].id: 48, rows[5].id: 47, rows[20].id: 3}], today_only=True)
    )
    for _ in range(3):  # every paint asks again
        assert model.data(model.index(4, 6)) == "48 h left" and model.data(model.index(4, 5)) == ""
    assert worded == [48]
    seen.changed.clear()
    model.redraw_columns()  # a second later: one signal over the rows that tick
    assert seen.changed == [(4, 20, 6, 6)] and seen.resets == 1
    assert model.data(model.index(4, 6)) == "48 h left" and worded == [48, 48]
    seen.changed.clear()
    model.redraw_columns(0, 10)  # only rows 0-10 on screen: the rows below are worded when shown
    assert seen.changed == [(4, 5, 6, 6)]
    model.redraw_columns(6, 19)  # none of the rows on screen ticks: nothing to redraw
    assert seen.changed == [(4, 5, 6, 6)]


def test_the_countdown_redraws_only_the_rows_on_screen_with_one_signal(qtbot, station) -> None:
    """Closing a booking (back to the list) stalled the UI thread for 80-180 ms (bench ui): the
    list's redraw signalled each run of ticking rows among all 500, and each signal had the view
    size its columns to the rows on screen again (a one-signal redraw costs ~4 ms, 250 signals ~26)."""
    from desktop.ui.bookings_list import LIST_COLUMNS, BookingsPage, ListData

    page = BookingsPage(station)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.loading)
    rows = _rows(500)
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(hours=30)
    detainers = {r.id: (deadline,) for r in rows[::3]}  # every third booking has an open hold
    extra = [detainers if c.title == "Detainer" else {} for c in LIST_COLUMNS]
    page._show(ListData(rows, extra, today_only=False))
    qtbot.wait(20)
    seen = _Signals(page.model)
    page.redraw()  # the countdown's tick
    on_screen = page.table.rowAt(page.table.viewport().height() - 1)
    assert 0 < on_screen < 100
    assert len(seen.changed) == 1
    top, bottom, _, _ = seen.changed[0]
    assert top == 0 and bottom <= on_screen


def test_shown_again_the_list_loads_after_it_is_painted(qtbot, station) -> None:
    """Closing a booking shows the list: its load started inside the show, so a worker thread read
    the database beside the UI thread's layout, paint and the booking's teardown, and the two took
    turns at the interpreter lock (bench ui: the worst stall of the script, 80-180 ms). The load
    now starts from the event loop, after the paint; `loading` says a load is coming meanwhile."""
    from PySide6.QtWidgets import QLabel, QStackedWidget

    from desktop.ui.bookings_list import LIST_COLUMNS, BookingsPage, ListData

    work = QStackedWidget()
    qtbot.addWidget(work)
    page = BookingsPage(station)
    booking = QLabel("a booking")
    work.addWidget(page)
    work.addWidget(booking)
    work.show()
    qtbot.waitUntil(lambda: not page.loading)
    page._show(ListData(_rows(50), [{} for _ in LIST_COLUMNS], today_only=False))
    work.setCurrentWidget(booking)
    loads: list[str] = []

    class Counted:  # the page's load, counted (not run)
        busy = False

        def __call__(self) -> None:
            loads.append("load")

    page._load = Counted()
    work.setCurrentWidget(page)
    assert loads == [] and page.loading  # not inside the show
    qtbot.waitUntil(lambda: loads == ["load"])
    page.today_only.setChecked(False)  # a refresh asked: one more load, the pending one done
    QCoreApplication.processEvents()
    assert loads == ["load", "load"]
