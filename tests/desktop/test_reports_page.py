"""The Reports page (supervisors, F10): the scripted quarter's report on screen and saved."""

from __future__ import annotations

import pytest
from jail_quarter import Clock, audit_clock, script_quarter
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_helpers import log_in, open_main_window

from desktop.station.models import Role
from desktop.station.reports import jail
from desktop.ui import booking_pages


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return audit_clock(monkeypatch)


@pytest.fixture
def window(qtbot, station, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(booking_pages, "BOOKING_PAGES", [booking_pages.BOOKING_PAGES[0]])
    return open_main_window(qtbot, station)


def _cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_supervisor_sees_the_quarter_and_saves_it(
    qtbot, window, station, booking_form, clock, tmp_path
) -> None:
    script_quarter(station, booking_form, clock)
    clock.at("2026-10-05T09:00")
    station.operators.add("boss", "quarterly figures 7", Role.SUPERVISOR, actor="t")
    window._show_start()
    log_in(qtbot, window, "boss", "quarterly figures 7")
    qtbot.keyClick(window, Qt.Key.Key_F10)
    page = window.reports_page
    assert window.work.currentWidget() is page
    # The report is read "now" (the real clock), so choose the scripted quarter by its value.
    page.quarter.insertItem(0, "2026Q3", "2026Q3")
    page.quarter.setCurrentIndex(0)
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.report is not None and page.show_button.isEnabled(), timeout=60_000)

    assert "Audit chain verified" in page.chain.text()
    figures = dict(_cells(page.figures))
    assert figures["Detainers received"] == "4"
    assert figures["Holds past their deadline (target: none)"] == "2"
    assert figures["Holds ended: transferred to ICE custody"] == "1"
    assert figures["Wrong-person alerts raised"] == "2"
    assert figures["Immigration responses declined by the agency's choice"] == "3"
    late = _cells(page.late)
    assert [row[0] for row in late] == ["D2", "D4"]
    assert late[0][5] == "released" and late[1][4] == "still held"
    assert ["vi", "read by an interpreter by phone", "yes", "1"] in _cells(page.copies)
    assert ["citizenship claim", "withdrawn", "1"] in _cells(page.claims)

    page.save_into(str(tmp_path))
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved"), timeout=60_000)
    assert (tmp_path / "jail-2026Q3.pdf").is_file() and (tmp_path / "jail-2026Q3-past-deadline.csv").is_file()
    qtbot.keyClick(page.quarter, Qt.Key.Key_Escape)
    assert window.work.currentWidget() is window.bookings_page


def test_a_quarter_without_late_holds_says_so_and_clerks_cannot_open_reports(qtbot, window, station) -> None:
    station.operators.add("boss", "quarterly figures 7", Role.SUPERVISOR, actor="t")
    station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="t")
    window._show_start()
    log_in(qtbot, window, "clerk1", "fingerprint desk 1")
    assert not window.act_reports.isVisible()
    window.show_reports()
    assert window.reports_page is None
    window.log_out()
    log_in(qtbot, window, "boss", "quarterly figures 7")
    window.show_reports()
    page = window.reports_page
    assert page.quarter.count() == 8 and page.quarter.currentData() == str(
        jail.recent_quarters(station.config)[1]
    )
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None and page.show_button.isEnabled(), timeout=60_000)
    assert page.late_note.text() == "None: every hold ended by its deadline." and not page.late.isVisibleTo(
        page
    )
