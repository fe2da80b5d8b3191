"""The session lock's clock (CJIS Security Policy 5.5.5): `idle` after N minutes without input.

Watches the keyboard, mouse, wheel and touch input of every window of the application (an event
filter that only notes the time) and checks every few seconds; while disarmed (nobody logged in, or
already locked) it never fires. Timers, repaints and the scanner's preview frames are not input: a
preview running on an unattended desk still locks.

The filter sits on the windows (QWindow), not on the application: input reaches a window before its
widgets, while an application-wide filter ran Python, and took the interpreter lock, for every event
of every widget (2 090 in opening a booking). A window that appears is watched from the next check,
or at once when it takes the focus.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow

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
        QGuiApplication.instance().focusWindowChanged.connect(self._watch)
        self._watch_windows()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(check_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT:
            self._last_input = self._now()
        return False

    def _watch(self, window: QWindow | None) -> None:
        if window is not None:
            window.installEventFilter(self)  # once: installing it again only moves it first

    def _watch_windows(self) -> None:
        for window in QGuiApplication.topLevelWindows():
            self._watch(window)

    def arm(self) -> None:
        """Start counting from now (at log-in and unlock)."""
        self._watch_windows()
        self._last_input = self._now()
        self._armed = True

    def disarm(self) -> None:
        self._armed = False

    @property
    def armed(self) -> bool:
        return self._armed

    def check(self) -> None:
        self._watch_windows()
        if self._armed and self._now() - self._last_input >= self._minutes() * 60:
            self._armed = False
            self.idle.emit()
