"""Issue 22: nothing told the clerk when an answer or a detainer arrived. A notice shows on arrival,
and the status bar keeps a queue of new answers that opens each booking (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_helpers import log_in, open_main_window, settle

from desktop.station.bookings import parse
from desktop.station.events import Event
from desktop.station.models import Role


@pytest.fixture
def window(qtbot, station, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    station.operators.add("clerk1", "clerk password", Role.CLERK, actor="t")
    return open_main_window(qtbot, station, active=True)


def test_an_answer_and_a_detainer_are_announced_and_queued(qtbot, window, station, booking_form):
    today = dt.date.today()
    first = station.bookings.create(parse(booking_form(surname="Adams"), today), actor="clerk1")
    second = station.bookings.create(parse(booking_form(surname="Brown"), today), actor="clerk1")
    notices = window.answer_notices
    station.events.publish(Event("response.received", f"booking:{first.number}", {"kind": "SRE"}))
    settle(qtbot)
    assert not notices.button.isVisible()  # nothing is shown before log-in
    log_in(qtbot, window, "clerk1", "clerk password")
    station.events.publish(Event("response.received", f"booking:{second.number}", {"kind": "DETAINER"}))
    qtbot.waitUntil(notices.toast.isVisible)
    assert second.number in notices.toast.text() and "detainer" in notices.toast.text().casefold()
    assert notices.button.isVisible() and "1" in notices.button.text()
    station.events.publish(Event("response.received", f"booking:{first.number}", {"kind": "SRE"}))
    qtbot.waitUntil(lambda: "2" in notices.button.text())
    assert [n.booking for n in notices.queue] == [second.number, first.number]  # newest last
    # F6 opens the answer on the notice ("F6 opens it") and takes it off the queue.
    assert first.number in notices.toast.text()
    qtbot.keyClick(window, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: window.booking_view is not None and window.booking_view.record is not None)
    assert window.booking_view.record.number == first.number
    assert [n.booking for n in notices.queue] == [second.number]
    # With no notice showing, the button (as F6) takes the detainer waiting. (A key sent to the
    # offscreen window once a booking is open does not reach any window shortcut, F2 neither.)
    notices.toast.hide()
    qtbot.mouseClick(notices.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.booking_view.record is not None and window.booking_view.record.number == second.number
    )
    assert notices.queue == []
    window.log_out()
    settle(qtbot)
    assert not notices.button.isVisible() and not notices.toast.isVisible() and notices.queue == []
