"""Showing a long bookings list asks the model about the rows on screen, not every row: asking
about all 500 (to size the columns to their contents) ran ~30 000 Python calls on the UI thread
and stalled it for 0.2–1 s at every reload and every countdown redraw."""

from __future__ import annotations

import datetime as dt

import pytest

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
