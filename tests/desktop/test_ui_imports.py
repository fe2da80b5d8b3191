"""The window's process imports and loads what its pages and duties need before the window shows
(`desktop.ui.app.prepare`): an import while the clerk works runs on the UI thread, or holds the
interpreter lock in a worker thread while the UI thread waits for it (bench ui: the `holidays`
package, ~300 modules, loaded by the list's first deadline; the scanner's drivers by the capture)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
# Packages whose first import while the clerk works is a stall (ours, and the heavy ones they use).
WATCHED = {"desktop", "drivers", "matcher", "ebts", "booking_station", "holidays", "dateutil", "usb", "numpy",
           "numba", "cv2", "fpdf", "matplotlib", "sqlalchemy"}  # fmt: skip


def test_working_at_the_desk_imports_nothing_after_the_window_shows(tmp_path) -> None:
    # A process of its own: in the test process, earlier tests have imported everything already.
    # (The user folders and the scanner's socket are the test's own: tests/conftest.py.)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(HERE.parents[1])}
    done = subprocess.run(
        [sys.executable, str(HERE / "ui_imports_child.py")],
        capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert imported["ui"] == [], "imported on the UI thread while the clerk worked"
    late = sorted({m for m in imported["any"] if m.split(".")[0] in WATCHED})
    assert late == [], "imported while the clerk worked (holding the interpreter lock)"


def test_the_window_process_gives_the_ui_thread_the_interpreter_lock_back_within_a_millisecond(
    station,
) -> None:
    # The UI thread takes the lock back at every call from Qt into Python (each cell the list paints):
    # with CPython's 5 ms it waited up to 5 ms each time behind a worker thread loading rows.
    from desktop.ui.app import prepared

    with prepared(station):
        assert sys.getswitchinterval() <= 0.001


def test_after_prepare_the_startup_objects_are_never_walked_by_a_collection(station) -> None:
    # A full collection walks every object the collector tracks: over the ~150 000 the window's
    # process holds after start-up (modules, classes, the pages' code) it held the UI thread 130–430
    # ms (bench ui, at the Capture tab's first show). Frozen after `prepare`, they are never walked.
    from desktop.ui import booking_pages
    from desktop.ui.app import prepared

    with prepared(station):
        walked = {id(o) for o in gc.get_objects()}
        assert gc.get_freeze_count() > 0
        assert id(vars(booking_pages)) not in walked  # a page module loaded by prepare


def test_the_checks_worker_process_starts_before_the_window_shows(station, monkeypatch) -> None:
    # Started by the first capture, its start-up (spawn, numpy, OpenCV, the checks' code: ~0.6 s of
    # CPU) competed with the Capture tab's first show for the machine's two cores (bench ui).
    from desktop.station import compute
    from desktop.ui.app import prepared

    started: list[bool] = []
    monkeypatch.setattr(compute, "warm", lambda: started.append(True))
    with prepared(station):
        assert started == [True]


def test_a_prepared_window_that_ends_leaves_the_process_as_it_was(station) -> None:
    # bench ui prepares its window as the app does; in a process that goes on (a test run) the 1 ms
    # switch interval, manual collection and the frozen objects must not outlive it.
    from desktop.ui.app import prepared

    interval = sys.getswitchinterval()
    with pytest.raises(RuntimeError), prepared(station):
        assert not gc.isenabled()
        raise RuntimeError("the window's script failed")
    assert sys.getswitchinterval() == interval
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
