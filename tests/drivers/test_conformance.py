"""The hardware tester's conformance checks: the geometry check must notice a missing bar target,
and the virtual scanner must pass the project's own checks with realistic images."""

from __future__ import annotations

import json

import numpy as np
import pytest

from booking_station.cli import main
from drivers.hwtest import conformance
from drivers.usb.emulator import bar_target
from drivers.virtual import Timing, control


@pytest.fixture
def fast_virtual_scanner():
    ctl = control()
    ctl.reset()
    ctl.set_timing(Timing.fast())
    yield ctl
    ctl.reset()


def _finger() -> np.ndarray:
    from matcher import synth

    return synth.impression(3, 2, 1, kind="plain").image


def test_geometry_without_a_bar_target_says_so_instead_of_measuring_noise() -> None:
    """Issue 22, broken 3: a fingerprint measured as '10376.2 ppi ... error 1975 %'."""
    check = conformance.check_geometry(_finger(), 500.0, 0.5)
    assert not check.passed
    assert check.figure.startswith("no bar target in the image")
    assert "ppi measured" not in check.figure and "0.5 mm target" in check.figure
    blank = conformance.check_geometry(np.full((200, 200), 200, np.uint8), 500.0, 0.5)
    assert not blank.passed and "blank" in blank.figure


def test_geometry_measures_a_bar_target_of_the_declared_pitch() -> None:
    check = conformance.check_geometry(bar_target(0.5, 500.0, (300, 400)), 500.0, 0.5)
    assert check.passed and check.figure.startswith("500.")
    # The same bars read as a 0.6 mm target: the resolution is off by 20 % and says so.
    wrong = conformance.check_geometry(bar_target(0.5, 500.0, (300, 400)), 500.0, 0.6)
    assert not wrong.passed and "ppi measured" in wrong.figure


def test_the_virtual_scanner_passes_the_projects_own_conformance_check(
    fast_virtual_scanner, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 22, broken 4: 168 grey levels and a dynamic range of 143, so exit status 1."""
    code = main(["scanners", "conformance", "--device", "virtual", "--json"])
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert all(c["passed"] for c in checks.values()), checks
    assert code == 0
    assert int(checks["gray levels"]["figure"].split()[0]) >= 200


def test_the_virtual_scanner_with_a_target_pitch_reports_that_no_target_was_there(
    fast_virtual_scanner, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["scanners", "conformance", "--device", "virtual", "--captures", "1", "--target-pitch-mm", "0.5"]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  geometry" in out and "no bar target in the image" in out and "1975" not in out


def test_a_dirty_platen_fails_conformance_and_says_to_clean_it(
    fast_virtual_scanner, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 22: a dirty platen still passed every check (and scored quality 100 at the desk)."""
    from drivers.virtual import control

    control().make_dirty()
    try:
        code = main(["scanners", "conformance", "--device", "virtual", "--captures", "1", "--json"])
    finally:
        control().clean()
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert code == 1 and not checks["platen"]["passed"]
    assert "residue" in checks["platen"]["figure"] and "clean" in checks["platen"]["requirement"]
