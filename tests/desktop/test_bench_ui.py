"""`booking-station bench ui` runs its whole script over a small station (the figures themselves are the
benchmark's business: no timing is asserted). It runs in its own process because it drives a full
window with its own throw-away database, operators and virtual scanner."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_bench_ui_runs_to_its_figures(tmp_path):
    out = tmp_path / "ui.json"
    home = tmp_path / "home"
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(home / "run"),
    }
    (home / "run").mkdir(parents=True)
    run = subprocess.run(
        [sys.executable, "-m", "booking_station.cli", "bench", "ui", "--bookings", "10", "--events", "2",
         "--no-serve", "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    figures = json.loads(out.read_text())
    assert figures["bookings"] == 10
    assert figures["search_rows"] >= 1  # the seeded names are found by the clerk's search
    for key in ("login_to_list_shown_ms", "open_booking_ms", "event_to_screen_ms_median", "longest_stall_ms"):
        assert figures[key] >= 0, key
