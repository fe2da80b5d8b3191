"""The one way the UI calls the core: `op(call, done, failed)`, off the UI thread (Anki's model).

    op(lambda: station.bookings.get(booking_id), self._show, self._not_loaded)

runs `call()` on a worker thread of the operations pool, then `done(result)` or `failed(exc)` on the
UI thread. Every call into the station's core from desktop/ui goes through here: reads, saves,
password checks, rendering a PDF. The UI thread never waits on the database (tests fail when a UI
module opens a store session on the UI thread: tests/desktop/test_ui_thread.py).

- `done` may be None (fire and forget); `failed` may be None: the error then goes to the window's
  default handler (`set_failure_handler`: the status bar for a database outage, a dialog otherwise).
- A `done`/`failed` that is a method of a widget deleted meanwhile (the booking was closed) is not
  called.
- Results come back in the order the operations finish, not the order they started: for a view
  that reloads on every event, use `Reload` (at most one load in flight, the newest data wins).
- `pending()` tells how many operations have not reported yet (tests wait for 0).
- A function or method that reads the core and is only ever run through `op`/`Reload` (a page's
  `_read`) is marked `@off_ui_thread`; tests/desktop/test_ui_thread.py allows core calls there.

Extending: an operation that needs the operator's secret (encryption at rest, a supervisor's
signature) takes it in its closure; nothing here keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

# Store calls wait on I/O, not the CPU: a few threads keep a slow PDF render from holding up a list.
_POOL_THREADS = 4


class _Relay(QObject):
    """Lives on the UI thread; its signals, emitted by the worker, are queued to its slots there."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self, on_done: Callable[[Any], None] | None, on_error: Callable[[Exception], None] | None
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver_done(self, result: Any) -> None:
        _live.discard(self)
        if self._on_done is not None and _alive(self._on_done):
            self._on_done(result)

    @Slot(object)
    def _deliver_error(self, exc: Exception) -> None:
        _live.discard(self)
        handler = self._on_error if self._on_error is not None else _failure_handler
        if _alive(handler):
            handler(exc)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # delivered to the caller's failed(), which shows it
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


OFF_UI_THREAD: set = set()  # the code objects of the functions marked below (for the tests' guard)


def off_ui_thread(fn: Callable) -> Callable:
    """Marks a function that calls the core and runs only through `op` or `Reload`."""
    OFF_UI_THREAD.add(fn.__code__)
    return fn


def _alive(callback: Callable) -> bool:
    """False for a bound method of a Qt object that has been deleted."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def _default_failure(exc: Exception) -> None:
    raise exc  # reaches sys.excepthook: the window shows it (desktop/ui/app.py)


_failure_handler: Callable[[Exception], None] = _default_failure
_live: set[_Relay] = set()  # keeps relays alive until their job has reported
_pool: QThreadPool | None = None


def _operations_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(_POOL_THREADS)
        _pool.setObjectName("operations")
    return _pool


def op(
    call: Callable[[], Any],
    done: Callable[[Any], None] | None = None,
    failed: Callable[[Exception], None] | None = None,
) -> None:
    """Run `call()` off the UI thread; `done(result)` or `failed(exc)` runs on the UI thread."""
    relay = _Relay(done, failed)
    _live.add(relay)
    _operations_pool().start(_Job(call, relay))


def pending() -> int:
    """Operations started and not yet reported back (0 when the UI is idle)."""
    return len(_live)


def set_failure_handler(handler: Callable[[Exception], None]) -> None:
    """Where an operation's error goes when its caller gave no `failed`."""
    global _failure_handler
    _failure_handler = handler


class Reload:
    """A view's reload on events: at most one load in flight; asked again meanwhile, it loads once
    more when that one reports, so a burst of events costs two loads and the newest data is shown.

        self._reload = Reload(lambda: station.bookings.find(text=t), self._show)
        self._reload()  # on every event
    """

    def __init__(
        self,
        load: Callable[[], Any],
        show: Callable[[Any], None],
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        self._load = load
        self._show = show
        self._failed = failed
        self._running = False
        self._again = False

    def __call__(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        self._again = False
        op(self._load, self._done, self._error)

    @property
    def busy(self) -> bool:
        return self._running

    def _done(self, result: Any) -> None:
        self._running = False
        if self._again:
            self()  # newer data is wanted: the result in hand is already stale
            return
        if _alive(self._show):
            self._show(result)

    def _error(self, exc: Exception) -> None:
        self._running = False
        if self._again:
            self()
            return
        handler = self._failed if self._failed is not None else _failure_handler
        if _alive(handler):
            handler(exc)
