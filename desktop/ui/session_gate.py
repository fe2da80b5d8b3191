"""Whether the desk is open: someone is logged in and the station is not locked (Qt side).

Criminal-justice information outside the pages themselves (the status bar's detainer watch and its
alerts) is shown only while the gate is open. The window opens it at log-in and closes it at
log-out; the session lock screen closes it when it locks and opens it when the operator unlocks:

    window.gate.close()   # locked: the watch hides, clears its text and announces nothing
    window.gate.open()    # unlocked: it reloads and shows the holds again

A widget that shows such information follows `changed(bool)` and asks `is_open()` before it draws.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SessionGate(QObject):
    changed = Signal(bool)  # True: opened (logged in, unlocked); False: closed

    def __init__(self, parent: QObject | None = None, *, opened: bool = False) -> None:
        super().__init__(parent)
        self._open = opened

    def is_open(self) -> bool:
        return self._open

    def open(self) -> None:
        self._set(True)

    def close(self) -> None:
        self._set(False)

    def _set(self, value: bool) -> None:
        if value != self._open:
            self._open = value
            self.changed.emit(value)
