"""`booking-station bench sequence`: its figures and JSON (the captures are replaced by markers: the
real run, with the virtual scanner and the matcher, is the benchmark itself)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from booking_station import cli
from desktop import sequence_bench

ROOT = Path(__file__).resolve().parents[2]


def test_bench_sequence_counts_misses_and_false_alarms(tmp_path, monkeypatch):
    monkeypatch.setattr(
        sequence_bench, "_capture", lambda subject: (subject, {"who": subject}, {"who": subject})
    )

    def judge(subject, rolled, flats):
        # Subject 7's booking is wrongly blocked; another person's slaps pass once (subject 8's).
        same_person = rolled["who"] == flats["who"]
        blocked = (subject == 7) if same_person else (subject != 8)
        kinds = ("other-person",) if blocked else ()
        return sequence_bench._Verdict(subject, blocked, kinds, 10, 10 if same_person else 0, 0.01)

    monkeypatch.setattr(sequence_bench, "_judge", judge)
    monkeypatch.setattr(sequence_bench, "_swap_hands", lambda rolled: {"who": -1})
    out = tmp_path / "seq.json"
    assert cli.main(["bench", "sequence", "--cases", "4", "--first-subject", "5", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["cases"] == 4
    assert figures["other_person_detected_pct"] == 75.0  # 3 of 4
    assert figures["same_person_blocked_pct"] == 25.0  # 1 of 4
    assert [c["subject"] for c in figures["same_person_blocked"]] == [7]
    assert [c["subject"] for c in figures["other_person_missed"]] == [8]
    assert figures["targets"] == {"other_person_detected_pct": ">= 99.5", "same_person_blocked_pct": "<= 0.5"}


def test_bench_sequence_refuses_one_case(capsys):
    assert cli.main(["bench", "sequence", "--cases", "1"]) == 2
    assert "--cases must be at least 2" in capsys.readouterr().err


# A bench whose captures never end: each worker notes its process id, then waits. Eight cases
# make two chunks of four, one for each worker.
_KILLED_BENCH = """
import os, sys, time
from booking_station import cli
from desktop import sequence_bench

def capture(subject):
    open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
    time.sleep(600)

sequence_bench._capture = capture
cli.main(["bench", "sequence", "--cases", "8", "--workers", "2"])
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads worker processes from /proc")
def test_killed_bench_takes_its_workers_with_it(tmp_path):
    bench = subprocess.Popen([sys.executable, "-c", _KILLED_BENCH, str(tmp_path)], cwd=ROOT)

    def workers() -> list[int]:
        return [int(p.name) for p in tmp_path.iterdir()]

    try:
        deadline = time.monotonic() + 120  # generous: the machine may be busy; not a speed check
        while len(workers()) < 2 and bench.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(workers()) == 2, f"the bench started {len(workers())} capturing workers, not 2"
        bench.kill()
        bench.wait()
        deadline = time.monotonic() + 60
        while any(_alive(w) for w in workers()) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [w for w in workers() if _alive(w)]
        assert not left, f"workers {left} kept running after the bench was killed"
    finally:
        bench.kill()
        bench.wait()
        for w in workers():
            if _alive(w):
                os.kill(w, signal.SIGKILL)  # not left running for the rest of the suite
