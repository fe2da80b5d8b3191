"""Cycles are collected on the UI thread only (desktop/ui/ui_gc.py): a worker thread that collected
a cycle holding a Qt object deleted it off the UI thread and crashed the process."""

from __future__ import annotations

import threading


class _Cycle:
    """Part of a reference cycle; says in which thread it was collected."""

    collected_in: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.collected_in.append(threading.current_thread().name)


def test_a_worker_thread_allocating_never_collects_a_cycle(qtbot) -> None:
    from desktop.ui import ui_gc

    ui_gc.install()  # as `desktop.ui.app.prepare` does before the window shows
    _Cycle.collected_in.clear()
    _Cycle()  # unreachable now, but only the cycle collector can free it

    def allocate() -> None:  # far past the collector's first threshold (700 allocations)
        keep = [[i] for i in range(50_000)]
        del keep

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(_Cycle.collected_in), timeout=10_000)  # the UI thread's timer
    assert _Cycle.collected_in == [threading.main_thread().name]
