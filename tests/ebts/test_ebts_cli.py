from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from booking_station.runtime import UserError
from ebts import build_car
from ebts import cli as ebts_cli


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    ebts_cli.register(parser.add_subparsers())
    args = parser.parse_args(["ebts", *argv])
    return args.func(args)


def test_dump_lists_fields_with_mnemonics_and_images(tmp_path: Path, submission, capsys) -> None:
    path = tmp_path / "car.ebts"
    path.write_bytes(build_car(submission))
    assert _run("dump", str(path)) == 0
    out = capsys.readouterr().out
    assert "2.018 NAM   DOE,JOHN Q" in out
    assert "WSQ 256x64 500 ppi" in out


def test_dump_json_is_complete(tmp_path: Path, submission, capsys) -> None:
    path = tmp_path / "car.ebts"
    path.write_bytes(build_car(submission))
    _run("dump", str(path), "--json")
    doc = json.loads(capsys.readouterr().out)
    assert doc["tot"] == "CAR" and len(doc["records"]) == 16
    t2 = {f["name"]: f for f in doc["records"][1]["fields"]}
    assert t2["ASL"]["subfields"][0] == ["20261119", "BURGLARY 2ND DEGREE"]


def test_validate_exit_status_follows_the_problems(tmp_path: Path, submission, capsys) -> None:
    from dataclasses import replace

    good, bad = tmp_path / "good.ebts", tmp_path / "bad.ebts"
    good.write_bytes(build_car(submission))
    bad.write_bytes(build_car(replace(submission, sex="Q")))
    assert _run("validate", str(good)) == 0
    assert _run("validate", str(bad)) == 1
    assert "L0002 2.024 SEX = 'Q'" in capsys.readouterr().out


def test_unreadable_files_are_user_errors(tmp_path: Path) -> None:
    junk = tmp_path / "junk.an2"
    junk.write_bytes(b"not a transaction")
    with pytest.raises(UserError, match="not a readable ANSI/NIST-ITL file"):
        _run("dump", str(junk))
    with pytest.raises(UserError, match="cannot read"):
        _run("validate", str(tmp_path / "missing.an2"))


def test_bench_reports_a_valid_tenprint_car_and_its_wsq_ratio(tmp_path: Path, capsys) -> None:
    out = tmp_path / "bench.json"
    parser = argparse.ArgumentParser()
    ebts_cli.register_bench(parser.add_subparsers())
    args = parser.parse_args(["ebts", "--repeat", "1", "--shared-data", str(tmp_path), "--json", str(out)])
    assert args.func(args) == 0
    report = json.loads(out.read_text())
    assert report["valid"] is True and report["image_count"] == 13
    assert report["images"] == "synthetic ridge patterns"
    assert 10 <= report["wsq_ratio"] <= 20
