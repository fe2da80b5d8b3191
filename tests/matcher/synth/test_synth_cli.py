"""`booking-station synth`: an FVC-style folder with one ground-truth JSON per image."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from booking_station.cli import main
from matcher import synth
from matcher.synth._cli_impl import file_stem


def test_writes_fvc_style_set_with_ground_truth(tmp_path: Path) -> None:
    out = tmp_path / "set"
    assert (
        main(["synth", "--subjects", "2", "--impressions", "2", "--fingers", "2,7", "--out", str(out)]) == 0
    )
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"{s}{f:02d}_{i}.{ext}" for s in (1, 2) for f in (2, 7) for i in (1, 2) for ext in ("png", "json")
    )
    truth = json.loads((out / "207_2.json").read_text())
    assert (truth["subject_id"], truth["finger"], truth["seed"], truth["kind"]) == (2, 7, 2, "plain")
    image = cv2.imread(str(out / "207_2.png"), cv2.IMREAD_UNCHANGED)
    # The file is exactly the impression the API gives for the same subject, finger and seed.
    assert (image == synth.impression(2, 7, seed=2, kind="plain").image).all()
    assert len(truth["minutiae"]) == len(synth.impression(2, 7, seed=2, kind="plain").minutiae)


def test_seed_selects_another_population(tmp_path: Path) -> None:
    assert (
        main(
            [
                "synth",
                "--subjects",
                "1",
                "--impressions",
                "1",
                "--fingers",
                "3",
                "--seed",
                "4",
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    assert json.loads((tmp_path / "103_1.json").read_text())["subject_id"] == 4_000_001


def test_three_digit_prefix_beyond_nine_subjects() -> None:
    assert file_stem(3, 2, 1, subjects=9) == "302_1"
    assert file_stem(3, 2, 1, subjects=10) == "00302_1"
    assert file_stem(120, 10, 8, subjects=500) == "12010_8"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--subjects", "0", "--impressions", "1"], "must be 1 or more"),
        (["--subjects", "1", "--impressions", "1", "--fingers", "11"], "FGP codes 1–10"),
        (["--subjects", "1000", "--impressions", "1"], "at most 999"),
    ],
)
def test_bad_arguments_are_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    try:
        code = main(["synth", *argv, "--out", str(tmp_path)])
    except SystemExit as exc:  # argparse refuses before the command runs
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_progress_with_time_left_on_a_terminal_and_nothing_in_a_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    argv = ["synth", "--subjects", "1", "--impressions", "2", "--fingers", "2"]
    assert main([*argv, "--out", str(tmp_path / "piped")]) == 0
    assert capsys.readouterr().err == ""  # a pipe or a log: quiet

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([*argv, "--out", str(tmp_path / "shown")]) == 0
    shown = terminal.getvalue()
    assert "synthetic fingerprints" in shown and "2/2" in shown and "<" in shown  # elapsed<left
