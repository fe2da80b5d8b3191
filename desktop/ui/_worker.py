"""Run a blocking call off the UI thread and deliver its result (or error) back on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Lives on the UI thread; its signals, emitted by the worker, are queued to its slots there."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver_done(self, result: Any) -> None:
        _live.discard(self)
        self._on_done(result)

    @Slot(object)
    def _deliver_error(self, exc: Exception) -> None:
        _live.discard(self)
        self._on_error(exc)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # delivered to the caller's on_error, which shows it
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


_live: set[_Relay] = set()  # keeps relays alive until their job has reported


def run_in_thread(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
) -> None:
    """Call `fn()` in the global thread pool; `on_done(result)` or `on_error(exc)` runs on the UI thread."""
    relay = _Relay(on_done, on_error)
    _live.add(relay)
    QThreadPool.globalInstance().start(_Job(fn, relay))
