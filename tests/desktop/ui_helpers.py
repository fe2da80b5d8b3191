"""Waiting for the UI's operations (desktop.ui._worker.op) in GUI tests, without sleeps."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from desktop.ui import _worker


def settle(qtbot, timeout: int = 60_000) -> None:
    """Wait until every operation has reported back and the events it caused were handled."""
    for _ in range(3):  # an operation's result or a queued event may start another
        qtbot.waitUntil(lambda: _worker.pending() == 0, timeout=timeout)
        QApplication.processEvents()
    qtbot.waitUntil(lambda: _worker.pending() == 0, timeout=timeout)
