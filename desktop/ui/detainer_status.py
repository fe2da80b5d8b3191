"""The status-bar watch over every open detainer, whichever page the clerk is on.

Shows how many holds are running and the next to end; turns amber at an alert time and red once a
hold has lapsed. The alerts and lapses themselves are raised and recorded by the core's detainer
clock (desktop/station/detainers/watch.py, run by the station's duties even with no window open);
this watch announces each one it hears of (window alert, a message in the status bar). It reloads
the open holds on "detainer." events, off the UI thread; its one-second tick only redraws the
countdown.

It shows nothing before log-in or while the station is locked (`SessionGate`): hidden, its text
and the status bar's message cleared, no announcement, no read. The window makes it at the first
log-in (desktop/ui/main_window.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QStatusBar, QWidget

from desktop.station.core import Station
from desktop.station.detainers import clock
from desktop.station.detainers.service import DetainerView
from desktop.station.events import Event
from desktop.ui import events
from desktop.ui._worker import Reload, off_ui_thread
from desktop.ui.session_gate import SessionGate
from desktop.ui.translations import short_day

TICK_MS = 1000
_STYLE = {
    clock.Stage.RUNNING: "",
    clock.Stage.ALERT: "background:#fef7e0; color:#8a4b00; padding:0 6px;",
    clock.Stage.EXPIRED: "background:#fce8e6; color:#a50e0e; font-weight:bold; padding:0 6px;",
}


def restyle(widget: QWidget, style: str) -> None:
    """Set `widget`'s style sheet only when it changes: each set re-polishes the widget (and its
    children) on the UI thread, and the countdowns redraw every second."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)


class DetainerIndicator(QLabel):
    def __init__(
        self,
        station: Station,
        parent: QWidget | None = None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        gate: SessionGate | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("detainer_indicator")
        self._station = station
        self._now = now
        self._gate = gate or SessionGate(self, opened=True)
        self._views: list[DetainerView] = []
        self.announced: list[str] = []  # messages shown, newest last (kept for the session)
        self._load = Reload(self._read, self._loaded)
        events.on(self, station, self._on_event, "detainer.")
        self._gate.changed.connect(self._gate_changed)
        self._timer = QTimer(self)  # redraws the countdown; never reads the database
        self._timer.timeout.connect(self.tick)
        self._timer.start(TICK_MS)
        self._gate_changed(self._gate.is_open())

    def _gate_changed(self, opened: bool) -> None:
        """Logged in and unlocked: load and show. Logged out or locked: show and keep nothing."""
        if opened:
            if self.parent() is not None:  # (not yet in a status bar: it would open as a window)
                self.show()
            self._load()
            return
        self.hide()
        self._views = []
        self.announced.clear()
        self.setText("")
        restyle(self, "")
        bar = self._status_bar()
        if bar is not None:
            bar.clearMessage()  # an alert naming a booking must not stay on a locked screen

    @property
    def loading(self) -> bool:
        return self._load.busy

    @off_ui_thread
    def _read(self) -> list[DetainerView]:
        return [v for v in self._station.detainers.open_by_booking().values() if v.deadline is not None]

    def _loaded(self, views: list[DetainerView]) -> None:
        if not self._gate.is_open():
            return  # locked or logged out while it was loading
        self._views = views
        self.tick()

    def _on_event(self, event: Event) -> None:
        if not self._gate.is_open():
            return  # the core records the alert; nobody is at the desk to be told
        self._load()
        if event.topic == "detainer.alert":
            text = self.tr("Detainer %1 (booking %2): %3 h left in the hold.").replace(
                "%3", f"{float(event.details.get('hours_before', 0)):g}"
            )
        elif event.topic == "detainer.lapsed":
            text = self.tr("Detainer %1 (booking %2): the hold has LAPSED; record what was done.")
        else:
            return
        detainer_id = event.subject.partition(":")[2]
        self._announce(text.replace("%1", detainer_id).replace("%2", event.booking or "?"))

    def _announce(self, message: str) -> None:
        self.announced.append(message)
        bar = self._status_bar()
        if bar is not None:
            bar.showMessage(message, 60_000)
        QApplication.alert(self.window())

    def _status_bar(self) -> QStatusBar | None:
        bar = self.parent()
        while bar is not None and not isinstance(bar, QStatusBar):
            bar = bar.parent()
        return bar

    def tick(self) -> None:
        """Redraw from the holds last loaded, at the current time."""
        views = self._views
        if not views or not self._gate.is_open():
            self.setText("")
            restyle(self, "")
            return
        now = self._now()
        hours = self._station.config.detainer_alerts_hours
        stages = [clock.status(v.deadline, now, hours).stage for v in views]
        worst = (
            clock.Stage.EXPIRED
            if clock.Stage.EXPIRED in stages
            else clock.Stage.ALERT
            if clock.Stage.ALERT in stages
            else clock.Stage.RUNNING
        )
        soonest = min(views, key=lambda v: v.deadline)
        remaining = clock.format_countdown(soonest.deadline - now)
        self.setText(
            self.tr("Detainers: %1 · next hold ends %2 (%3)")
            .replace("%1", str(len(views)))
            .replace("%2", short_day(soonest.deadline) + soonest.deadline.strftime(" %m-%d %H:%M"))
            .replace("%3", remaining)
        )
        restyle(self, _STYLE[worst])


def deadline_text(value: tuple[dt.datetime | None], now: dt.datetime) -> str:
    """The bookings list's 'Detainer' cell at `now` (values from detainer_page.deadline_column):
    deadline and time left, or that the hold has lapsed."""
    (deadline,) = value
    if deadline is None:
        return QCoreApplication.translate("BookingsList", "releasable time not recorded")
    if now >= deadline:
        return QCoreApplication.translate("BookingsList", "LAPSED %1").replace(
            "%1", deadline.strftime("%m-%d %H:%M")
        )
    left = clock.format_countdown(deadline - now)
    return (
        QCoreApplication.translate("BookingsList", "ends %1 · %2 left")
        .replace("%1", short_day(deadline) + deadline.strftime(" %m-%d %H:%M"))
        .replace("%2", left)
    )
