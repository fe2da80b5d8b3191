from __future__ import annotations

import io

from booking_station.cli import main
from desktop.station.core import Station


def test_operators_add_and_audit_verify_from_the_command_line(monkeypatch, capsys, tamper):
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    assert main(["operators", "add", "boss", "--role", "supervisor", "--password-stdin"]) == 0
    assert "added boss (supervisor)" in capsys.readouterr().out
    station = Station.open()
    assert station.operators.authenticate("boss", "s3cret-pass") is not None
    assert main(["audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out

    tamper(station, "UPDATE audit_events SET subject = 'operator:mallory' WHERE seq = 1")
    assert main(["audit", "verify"]) == 1
    assert "TAMPERED at event 1" in capsys.readouterr().out


def test_bad_operator_is_one_clear_line(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["operators", "add", "ann", "--role", "clerk", "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("booking-station: the password does not follow the rules: at least 8")
    assert err.count("\n") == 1


def test_bad_config_is_refused_before_anything_starts(tmp_path, monkeypatch, capsys):
    path = tmp_path / "c.toml"
    path.write_text('agency_ori = "nope"\n')
    monkeypatch.setenv("BOOKING_STATION_CONFIG", str(path))
    assert main(["audit", "verify"]) == 2
    assert "agency_ori" in capsys.readouterr().err


def test_config_check_prints_the_values_in_effect(tmp_path, monkeypatch, capsys):
    path = tmp_path / "c.toml"
    path.write_text('agency_ori = "TX1234567"\nstate = "TX"\n')
    monkeypatch.setenv("BOOKING_STATION_CONFIG", str(path))
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    assert "agency_ori = 'TX1234567'" in out and "state = 'TX'" in out and "# database: sqlite:///" in out
