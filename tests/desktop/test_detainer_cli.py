"""`booking-station detainer …` and `booking-station rights …` as a user runs them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from booking_station.cli import main


def test_deadline_prints_iso_with_offset(capsys) -> None:
    argv = [
        "detainer",
        "deadline",
        "--releasable",
        "2012-12-21T17:00",
        "--tz",
        "America/New_York",
        "--state",
        "VA",
    ]
    assert main(argv) == 0
    assert capsys.readouterr().out == "2012-12-26T17:00-05:00\n"


def test_deadline_explains_the_days_it_skipped(capsys) -> None:
    argv = ["detainer", "deadline", "--releasable", "2012-12-21T17:00", "--tz", "America/New_York",
            "--state", "VA", "--explain"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "2012-12-25 not counted: Christmas Day" in out and "2012-12-22 not counted: Saturday" in out


def test_deadline_uses_the_stations_zone_state_and_rule_by_default(capsys, tmp_path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('time_zone = "America/Chicago"\nstate = "TX"\n')
    monkeypatch.setenv("BOOKING_STATION_CONFIG", str(config))
    assert main(["detainer", "deadline", "--releasable", "2012-12-21T17:00"]) == 0
    # Federal holidays only: Fri 7 h, Mon 24 (31), Christmas skipped, Wed 26 17:00, Central time.
    assert capsys.readouterr().out == "2012-12-26T17:00-06:00\n"
    # Texas also closes on 24 and 26 December; an agency that counts them: Thu 27 (31), Fri 28 17:00.
    config.write_text('time_zone = "America/Chicago"\nstate = "TX"\nhold_holidays = "federal+state"\n')
    assert main(["detainer", "deadline", "--releasable", "2012-12-21T17:00"]) == 0
    assert capsys.readouterr().out == "2012-12-28T17:00-06:00\n"


def test_deadline_follows_the_forms_federal_holidays_and_explains_the_rule(capsys) -> None:
    # The case: Cesar Chavez Day (Tue 31 March 2026) is a California holiday, not a Federal one.
    argv = ["detainer", "deadline", "--releasable", "2026-03-27T09:00", "--tz", "America/Los_Angeles",
            "--state", "CA", "--explain"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "2026-03-31T09:00-07:00"
    assert "excluding Saturdays, Sundays and Federal holidays" in out and "Cesar Chavez" not in out
    assert main([*argv, "--holidays", "federal+state"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "2026-04-01T09:00-07:00"
    assert "CA state holidays" in out and "2026-03-31 not counted: Cesar Chavez Day" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--releasable", "yesterday", "--tz", "America/New_York", "--state", "VA"], "not an ISO 8601 date"),
        (
            ["--releasable", "2012-12-21T17:00", "--tz", "Narnia", "--state", "VA"],
            "unknown time zone 'Narnia'",
        ),
        (
            ["--releasable", "2012-12-21T17:00", "--tz", "America/New_York", "--state", "ZZ"],
            "unknown US state",
        ),
        (["--releasable", "9999-12-30T17:00", "--tz", "UTC", "--state", "VA"], "not a plausible date"),
        (["--releasable", "0001-01-01T00:00", "--tz", "UTC", "--state", "VA"], "not a plausible date"),
    ],
)
def test_deadline_bad_input_is_one_clear_line(capsys, argv, message: str) -> None:
    assert main(["detainer", "deadline", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_languages_lists_code_and_own_name(capsys) -> None:
    assert main(["rights", "languages"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 24 and lines[0].startswith("en ")
    assert all("reviewed" in line for line in lines)
    assert any(line.split()[0] == "vi" and "Tiếng Việt" in line for line in lines)
    assert any(line.split()[0] == "ar" and "العربية" in line for line in lines)


def test_render_writes_the_pdf_and_prints_its_hash(capsys, tmp_path: Path) -> None:
    out = tmp_path / "vi.pdf"
    assert main(["rights", "render", "--lang", "vi", "--out", str(out), "--sample"]) == 0
    printed = capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF-")
    assert hashlib.sha256(out.read_bytes()).hexdigest() in printed


def test_render_unknown_language_and_unwritable_file(capsys, tmp_path: Path) -> None:
    assert main(["rights", "render", "--lang", "xx", "--out", str(tmp_path / "x.pdf"), "--sample"]) == 2
    assert "no rights notice in language 'xx'" in capsys.readouterr().err
    missing = tmp_path / "no" / "such" / "folder" / "x.pdf"
    assert main(["rights", "render", "--lang", "en", "--out", str(missing), "--sample"]) == 2
    assert f"cannot write {missing}" in capsys.readouterr().err
