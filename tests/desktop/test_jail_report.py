"""The jail's quarterly report: its counts equal those of a scripted quarter, and a hold past its
deadline is listed. The quarter is scripted through the core's own services and audit API, with the
audit clock set to the quarter's days (the audit log stamps events with the time they are written)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from jail_quarter import NY, Q3, Clock, audit_clock, script_quarter

from booking_station.cli import main
from desktop.station.reports import jail, jail_files


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return audit_clock(monkeypatch)


def test_the_reports_counts_are_the_scripted_quarters(station, booking_form, clock) -> None:
    script_quarter(station, booking_form, clock)
    report = jail.compute(station.store, station.audit, station.config, Q3, now=clock.at("2026-10-05T09:00"))
    figures = dict(report.summary())
    assert report.verification.ok
    assert figures["received"] == 4
    assert figures["clocks_started"] == 3
    assert (figures["ended:transferred"], figures["ended:released"], figures["ended:cancelled"]) == (1, 1, 1)
    assert (figures["late:transferred"], figures["late:released"], figures["late:cancelled"]) == (0, 1, 0)
    assert figures["lapsed"] == 1
    assert figures["copies"] == 4
    assert report.copies_by_language == {"es": 3, "vi": 1}
    assert report.copies_by_method == {
        "handed": 1,
        "interpreter_phone": 1,
        "refused": 1,
        jail.NOT_RECORDED: 1,
    }
    assert report.copies[("vi", "interpreter_phone", "yes")] == 1
    assert (figures["claims:citizen"], figures["claims:victim"]) == (2, 1)
    assert (
        figures["claim:citizen:withdrawn"]
        == figures["claim:citizen:pending"]
        == figures["claim:victim:refused"]
        == 1
    )
    assert (figures["alerts_raised"], figures["alerts_acknowledged"], figures["declined"]) == (2, 1, 3)
    assert report.read["detainer.received"] == 4 and "detainer.unmatched" not in report.read


def test_every_hold_past_its_deadline_is_listed(station, booking_form, clock) -> None:
    script_quarter(station, booking_form, clock)
    report = jail.compute(station.store, station.audit, station.config, Q3, now=clock.at("2026-10-05T09:00"))
    late = {h.detainer_id: h for h in report.late}
    assert set(late) == {"D2", "D4"}  # D1 ended in time, D3 was withdrawn, D0 and D9 never had a clock
    assert late["D2"].deadline == dt.datetime(2026, 7, 21, 17, 0, tzinfo=NY)
    assert late["D2"].ended_how == "released" and late["D2"].hours_over == 15.5
    # Still held when the report was made: counted to that moment (Wednesday 30 Sep 12:00 to Monday 5 Oct 09:00).
    assert late["D4"].ended_at is None and late["D4"].hours_over == 117.0
    assert dict(report.summary())["past_deadline"] == 2

    # Before the deadline had passed, nothing is listed for D4.
    early = jail.compute(
        station.store, station.audit, station.config, Q3, now=dt.datetime(2026, 9, 30, 11, tzinfo=NY)
    )
    assert {h.detainer_id for h in early.late} == {"D2"}


def test_files_and_the_command_line(station, booking_form, clock, tmp_path, capsys, monkeypatch) -> None:
    script_quarter(station, booking_form, clock)
    report = jail.compute(station.store, station.audit, station.config, Q3, now=clock.at("2026-10-05T09:00"))
    paths = jail_files.write(report, tmp_path / "out")
    assert paths["pdf"].read_bytes().startswith(b"%PDF")
    with open(paths["past_deadline"], encoding="utf-8") as handle:
        assert [r["detainer_id"] for r in csv.DictReader(handle)] == ["D2", "D4"]
    with open(paths["audit_read"], encoding="utf-8") as handle:
        read = {r["action"]: int(r["events"]) for r in csv.DictReader(handle)}
    assert read["claim.recorded"] == 3 and read["response.declined"] == 3 and set(read) == set(jail.INPUTS)

    # The command reads the station's configured database.
    monkeypatch.setattr("desktop.station.config.load", lambda *a, **k: station.config)
    assert main(["report", "jail", "--quarter", "2026Q3", "--out", str(tmp_path / "cli")]) == 0
    out = capsys.readouterr().out
    assert "chain verified" in out and "holds past their deadline (target: none): 2" in out
    assert (tmp_path / "cli" / "jail-2026Q3.pdf").is_file()
    assert main(["report", "jail", "--quarter", "Q3", "--out", str(tmp_path)]) == 2
    assert "e.g. 2026Q3" in capsys.readouterr().err


def test_a_tampered_chain_is_said_on_the_report(station, booking_form, clock, tamper, tmp_path) -> None:
    import shutil
    import subprocess

    script_quarter(station, booking_form, clock)
    tamper(
        station,
        """UPDATE audit_events SET details_json = '{"kind":"victim"}' WHERE action = 'claim.recorded'""",
    )
    report = jail.compute(station.store, station.audit, station.config, Q3)
    assert not report.verification.ok
    pdf = jail_files.write(report, tmp_path)["pdf"]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "NOT VERIFIED" in text and "TAMPERED at event" in text
