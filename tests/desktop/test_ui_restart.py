"""Killing the station (kill -9) while a booking is being edited loses nothing that was saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.station.core import Station
from desktop.station.models import Role

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("ui_station_child.py")


def _spawn(mode: str) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(CHILD), mode], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def _read_until(proc: subprocess.Popen, marker: str) -> list[str]:
    lines = []
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith(marker):
            return lines
    raise AssertionError(f"child ended before {marker!r}: {lines} {proc.stderr.read()}")


@pytest.mark.slow
def test_saved_booking_survives_kill_9_and_restart():
    first = Station.open()
    first.operators.add("clerk1", "clerk password", Role.CLERK, actor="test")
    first.close()

    child = _spawn("save")
    try:
        lines = _read_until(child, "EDITING")
        number = next(line.split()[1] for line in lines if line.startswith("SAVED"))
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()

    # A fresh process shows it in its list…
    again = _spawn("check")
    rows = [line for line in _read_until(again, "DONE") if line.startswith("ROW")]
    assert again.wait(timeout=30) == 0
    assert rows == [f"ROW {number} Ołeksandrów, Марія"]
    # …with what was saved (not the unsaved edit), and an intact audit chain.
    station = Station.open()
    record = station.bookings.find()[0]
    data = station.bookings.get(record.id).data
    assert (data.weight_pounds, data.charges[0].text) == (128, "Criminal mischief")
    assert station.audit.verify().ok
