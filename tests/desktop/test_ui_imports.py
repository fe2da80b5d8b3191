"""The window's process imports and loads what its pages and duties need before the window shows
(`desktop.ui.app.prepare`): an import while the clerk works runs on the UI thread, or holds the
interpreter lock in a worker thread while the UI thread waits for it (bench ui: the `holidays`
package, ~300 modules, loaded by the list's first deadline; the scanner's drivers by the capture)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
    from desktop.ui.app import prepare

    before = sys.getswitchinterval()
    try:
        prepare(station)
        assert sys.getswitchinterval() <= 0.001
    finally:
        sys.setswitchinterval(before)
