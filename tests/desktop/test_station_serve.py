"""`booking-station station serve` as a real process: it records the lapses missed while nothing ran
at its start, the next one when its deadline comes, stands by while another process holds the
duties, and takes them over when that one stops."""

from __future__ import annotations

import datetime as dt
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from desktop.station import config as config_module
from desktop.station.bookings import parse
from desktop.station.config import Config
from desktop.station.core import Station
from desktop.station.models import Detainer, DetainerStatus, utcnow

ROOT = Path(__file__).resolve().parents[2]


class _Serve:
    """One `station serve` child; its output lines arrive on a queue."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "booking_station.cli", "station", "serve"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.seen: list[str] = []

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            if text in line:
                return
        raise AssertionError(f"no {text!r} from station serve: {self.seen}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


def _detainer(station: Station, booking_form, name: str, deadline: dt.datetime) -> int:
    booking = station.bookings.create(parse(booking_form(surname=name), dt.date.today()), actor="clerk1")
    pk = station.detainers.receive(booking.id, f"D-{name}", utcnow() - dt.timedelta(days=3))
    with station.store.session() as s:
        row = s.get(Detainer, pk)
        row.releasable_at, row.deadline = deadline - dt.timedelta(hours=48), deadline
    return pk


def _lapse(station: Station, name: str):
    return next(
        (e for e in station.audit.events(text=f"detainer:D-{name}") if e.action == "detainer.lapsed"), None
    )


@pytest.mark.slow
def test_station_serve_keeps_the_clock_and_hands_over(
    tmp_path, monkeypatch, booking_form, backend_tls
) -> None:
    path = tmp_path / "station.toml"
    monkeypatch.setenv(config_module.CONFIG_ENV, str(path))
    config = Config(
        database_url=f"sqlite:///{tmp_path / 'station.db'}", backend_url="https://127.0.0.1:9", **backend_tls
    )
    config_module.save(config, path)
    station = Station.open(config)
    missed_deadline = (utcnow() - dt.timedelta(hours=3)).replace(microsecond=0)
    missed = _detainer(station, booking_form, "Missed", missed_deadline)
    first = _Serve()
    second = None
    try:
        first.wait_for("running the station's duties")
        assert station.detainers.get(missed).status is DetainerStatus.LAPSED  # recorded at its start
        lapse = _lapse(station, "Missed")
        assert dt.datetime.fromisoformat(lapse.details["lapsed_at"]) == missed_deadline
        assert lapse.details["recorded_late_s"] >= 3 * 3600

        second = _Serve()
        second.wait_for("standing by")
        # A hold that ends while the service runs: recorded when its deadline comes, by one of them.
        soon = utcnow() + dt.timedelta(seconds=2)
        coming = _detainer(station, booking_form, "Coming", soon)
        station.audit.append("clerk1", "detainer.releasable", "detainer:D-Coming")  # as the page records it
        deadline = time.monotonic() + 60
        while station.detainers.get(coming).status is not DetainerStatus.LAPSED:
            assert time.monotonic() < deadline, "the lapse was not recorded"
            time.sleep(0.1)
        assert dt.datetime.fromisoformat(_lapse(station, "Coming").details["lapsed_at"]) == soon

        assert first.stop() == 0  # a clean stop releases the duties; the standby takes them over
        second.wait_for("running the station's duties", timeout=30)
        assert [e.action for e in station.audit.events(limit=200)].count("detainer.lapsed") == 2
    finally:
        first.stop()
        if second is not None:
            assert second.stop() == 0
        station.close()


def test_the_systemd_user_unit_runs_the_service_command() -> None:
    import configparser
    import shlex

    from booking_station.cli import build_parser

    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(ROOT / "installer" / "systemd" / "booking-station.service")
    command = shlex.split(unit["Service"]["ExecStart"])
    assert command[:2] == ["/usr/bin/env", "booking-station"]
    args = build_parser(command[2:]).parse_args(command[2:])
    assert (args.command, args.station_command) == ("station", "serve")
    assert unit["Service"]["KillSignal"] == "SIGTERM"  # the clean stop that hands the duties over
    assert unit["Install"]["WantedBy"] == "default.target"
