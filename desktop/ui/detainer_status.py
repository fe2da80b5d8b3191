"""The status-bar watch over every open detainer, whichever page the clerk is on.

Shows how many holds are running and the next to end; turns amber at an alert time and red once a
hold has lapsed; announces each alert once (window alert, a message in the status bar) and records
a lapse in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QStatusBar, QWidget

from desktop.station.core import Station
from desktop.station.detainers import clock
from desktop.ui.translations import short_day

TICK_MS = 15_000
_STYLE = {
    clock.Stage.RUNNING: "",
    clock.Stage.ALERT: "background:#fef7e0; color:#8a4b00; padding:0 6px;",
    clock.Stage.EXPIRED: "background:#fce8e6; color:#a50e0e; font-weight:bold; padding:0 6px;",
}


class DetainerIndicator(QLabel):
    def __init__(
        self,
        station: Station,
        parent: QWidget | None = None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("detainer_indicator")
        self._station = station
        self._now = now
        self._last_tick: dt.datetime | None = None
        self.announced: list[str] = []  # messages shown, newest last (kept for the session)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._timer.start(TICK_MS)
        self.tick()

    def tick(self) -> None:
        now = self._now()
        hours = self._station.config.detainer_alerts_hours
        views = [v for v in self._station.detainers.open_by_booking().values() if v.deadline is not None]
        if not views:
            self.setText("")
            self.setStyleSheet("")
            self._last_tick = now
            return
        worst = clock.Stage.RUNNING
        messages = []
        for view in views:
            status = clock.status(view.deadline, now, hours)
            if status.stage is clock.Stage.EXPIRED or (
                status.stage is clock.Stage.ALERT and worst is clock.Stage.RUNNING
            ):
                worst = status.stage
            for alert in clock.new_alerts(view.deadline, self._last_tick, now, hours):
                if alert.is_expiry:
                    text = self.tr("Detainer %1 (booking %2): the hold has LAPSED; record what was done.")
                else:
                    text = self.tr("Detainer %1 (booking %2): %3 h left in the hold.").replace(
                        "%3", f"{alert.hours_before:g}"
                    )
                messages.append(text.replace("%1", view.detainer_id).replace("%2", view.booking_number))
        if any(clock.status(v.deadline, now, hours).stage is clock.Stage.EXPIRED for v in views):
            self._station.detainers.mark_lapsed(now)
        soonest = min(views, key=lambda v: v.deadline)
        remaining = clock.format_countdown(soonest.deadline - now)
        self.setText(
            self.tr("Detainers: %1 · next hold ends %2 (%3)")
            .replace("%1", str(len(views)))
            .replace("%2", short_day(soonest.deadline) + soonest.deadline.strftime(" %m-%d %H:%M"))
            .replace("%3", remaining)
        )
        self.setStyleSheet(_STYLE[worst])
        self._last_tick = now
        if messages:
            self.announced.extend(messages)
            bar = self.parent()
            while bar is not None and not isinstance(bar, QStatusBar):
                bar = bar.parent()
            if bar is not None:
                bar.showMessage("  ".join(messages), 60_000)
            QApplication.alert(self.window())
