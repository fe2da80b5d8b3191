"""Python's cycle collector runs on the UI thread only, in the window's process.

The collector runs in whichever thread happens to allocate when its counters trip. A reference
cycle that holds a Qt object (a closed page and the lambdas connected to its signals) collected in a
worker thread deletes that object off the UI thread, which crashes Qt: a segmentation fault while
a worker thread loaded the bookings list (fresh-clone test run, 2026-12-07). So automatic collection
is off, and a timer on the UI thread collects by Python's own thresholds instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 1000  # how often the UI thread collects (the youngest generation: microseconds)

_collector: _Collector | None = None


class _Collector(QObject):
    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(INTERVAL_MS)

    def collect(self) -> None:
        """The youngest generation every tick (a worker's allocations and frees leave its counter
        near zero, so it cannot say when); older ones when their counters say so, as Python does."""
        _, t1, t2 = self._thresholds
        _, c1, c2 = gc.get_count()
        gc.collect(2 if c1 >= t1 and c2 >= t2 else 1 if c1 >= t1 else 0)

    def stop(self) -> None:
        self._timer.stop()


def install() -> None:
    """From now on only the UI thread (this one) collects cycles. Idempotent."""
    global _collector
    if _collector is None:
        _collector = _Collector(QCoreApplication.instance())
    gc.disable()


def uninstall() -> None:
    """Automatic collection again, in any thread (tests that end their window)."""
    global _collector
    if _collector is not None:
        _collector.stop()
        _collector.setParent(None)
        _collector = None
    gc.enable()
