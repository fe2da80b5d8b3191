"""Heavy pure work (print checks, the detainee's copy) in worker processes, not in this interpreter.

numpy, the numba kernels' callers and fpdf run long stretches of Python that hold the interpreter
lock: in a worker thread of the GUI process they still stop the UI thread (measured: stalls of
0.3–1 s while a capture was judged or the copy drawn). A worker process has its own interpreter,
so the calling thread only waits, and the UI thread keeps running.

One pool per process (there is one interpreter lock per process), started by the first call, with
the spawn context (never fork a process that runs Qt and database threads). It is shut down a
short while after the last station closes (so a command or test that opens the next station does
not pay a worker's start-up: imports and numba cache loads take seconds) and at exit.

`run(fn, *args)` blocks the calling thread (a worker thread, never the UI thread) and returns
`fn`'s result or raises its exception, as if called here. A worker that dies (a crash in native
code, killed) is replaced and the call tried once more; a second death is `StationError
("compute.crashed")`. `fn` must be a module-level function; its arguments and result are pickled.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from desktop.station.messages import StationError

_log = logging.getLogger(__name__)

T = TypeVar("T")

WORKERS = 1  # one check at a time is the norm; a second process would take a core from the UI
LINGER_S = 30.0  # how long the pool outlives the last station (see the module's docstring)

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_stations = 0
_linger: threading.Timer | None = None
_warmed: ProcessPoolExecutor | None = None  # the pool whose workers were asked to load the checks


def run(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a worker process; its result, or its exception raised here."""
    for attempt in (1, 2):
        pool = _started()
        try:
            return pool.submit(fn, *args, **kwargs).result()
        except BrokenProcessPool:
            _log.warning(
                "a worker process ended during %s (attempt %d); starting a new one", _name(fn), attempt
            )
            _discard(pool)
    raise StationError("compute.crashed")


def warm() -> None:
    """Start the workers and load the print checks' code in them, without waiting: the first
    capture is then judged at once instead of after the workers' start-up."""
    global _warmed
    pool = _started()
    with _lock:
        if _warmed is pool:
            return
        _warmed = pool
    for _ in range(WORKERS):
        pool.submit(_load_checks)


def opened() -> None:
    """A station opened: keep the pool. While a station is open, the virtual scanner draws its
    synthetic prints in the pool too (drawing holds the interpreter lock for up to half a second)."""
    global _stations, _linger
    with _lock:
        _stations += 1
        first = _stations == 1
        if _linger is not None:
            _linger.cancel()
            _linger = None
    if first:
        _virtual_prints_drawn_by(run)


def closed() -> None:
    """A station closed: the pool ends LINGER_S after the last one, unless another opens; the
    virtual scanner draws in the calling thread again."""
    global _stations, _linger
    with _lock:
        _stations = max(0, _stations - 1)
        last = _stations == 0
        if last and _pool is not None:
            if _linger is not None:
                _linger.cancel()
            _linger = threading.Timer(LINGER_S, _shutdown_if_unused)
            _linger.daemon = True
            _linger.start()
    if last:
        _virtual_prints_drawn_by(None)


def _virtual_prints_drawn_by(how: Callable[..., Any] | None) -> None:
    from drivers.virtual import render_with

    render_with(how)


def shutdown() -> None:
    """End the workers now (waits for the calls under way)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def worker_pids() -> list[int]:
    """The workers' process ids (none before the first call)."""
    with _lock:
        processes = getattr(_pool, "_processes", None) or {}
        return list(processes)


# --- internals --------------------------------------------------------------------------------


def _started() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"))
        return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def _shutdown_if_unused() -> None:
    with _lock:
        if _stations:
            return
    shutdown()


def _load_checks() -> None:
    import matcher  # noqa: F401  (numba kernels come from their cache on first use)
    from desktop.station import capture_checks

    capture_checks.warm_up()


def _name(fn: Callable) -> str:
    return getattr(fn, "__qualname__", repr(fn))


atexit.register(shutdown)
