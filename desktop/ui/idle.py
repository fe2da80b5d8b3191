"""The session lock's clock (CJIS Security Policy 5.5.5): `idle` after N minutes without input.

Watches the keyboard, mouse, wheel and touch input of the whole application (an event filter that
only notes the time) and checks every few seconds; while disarmed (nobody logged in, or already
locked) it never fires. Timers, repaints and the scanner's preview frames are not input: a preview
running on an unattended desk still locks.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
CHECK_MS = 5000


class IdleWatch(QObject):
    idle = Signal()

    def __init__(
        self,
        minutes: Callable[[], float],
        parent: QObject | None = None,
        *,
        now: Callable[[], float] = time.monotonic,
        check_ms: int = CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self._minutes = minutes
        self._now = now
        self._last_input = now()
        self._armed = False
        QApplication.instance().installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(check_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT:
            self._last_input = self._now()
        return False

    def arm(self) -> None:
        """Start counting from now (at log-in and unlock)."""
        self._last_input = self._now()
        self._armed = True

    def disarm(self) -> None:
        self._armed = False

    @property
    def armed(self) -> bool:
        return self._armed

    def check(self) -> None:
        if self._armed and self._now() - self._last_input >= self._minutes() * 60:
            self._armed = False
            self.idle.emit()
