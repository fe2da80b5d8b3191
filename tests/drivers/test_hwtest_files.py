"""Capture-to-file and record-to-file as functions (what the diagnostics page can call)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _usb_helpers import ridges
from PIL import Image

from drivers import registry
from drivers.hwtest.files import ToolFailed, capture_to_file, record_to_file
from drivers.usb import emulator
from drivers.usb.replay import Recording


@pytest.fixture(autouse=True)
def emulated_nb1010(monkeypatch: pytest.MonkeyPatch):
    from drivers.usb._nb1010_emulator import Nb1010Emulator

    monkeypatch.setattr(registry, "_PROVIDER_MODULES", ["drivers.usb"])
    monkeypatch.setenv("BOOKING_STATION_EMULATE", "nb1010")
    fast = Nb1010Emulator(
        lambda n: (ridges(angle=0.2 * n), 500.0), auto_finger=True, auto_delay_s=0.0, address=2
    )
    monkeypatch.setitem(emulator._shared, "nb1010", fast)
    return fast


def test_capture_to_file_writes_the_image_with_its_resolution(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "print.tif"
    result = capture_to_file("usb:298d:1010:emulated-2", out)
    with Image.open(out) as image:
        assert image.size == (256, 180) and round(image.info["dpi"][0]) == 385
    assert result.image.shape == (180, 256)
    assert [p.name for p in out.parent.iterdir()] == ["print.tif"]  # no partial file left


def test_capture_to_file_failures_name_the_problem_and_write_nothing(tmp_path: Path, emulated_nb1010) -> None:
    with pytest.raises(ToolFailed, match="use a .png"):
        capture_to_file("usb:298d:1010:emulated-2", tmp_path / "print.jpg")
    emulated_nb1010.inject("busy")
    with pytest.raises(ToolFailed, match="in use by another program"):
        capture_to_file("usb:298d:1010:emulated-2", tmp_path / "print.png")
    assert not any(tmp_path.iterdir())


def test_record_to_file_writes_a_replayable_session_and_its_images(tmp_path: Path) -> None:
    recorded = record_to_file("usb:298d:1010:emulated-2", tmp_path / "session.json", captures=2)
    assert [p.name for p in recorded.images] == ["session-1.png", "session-2.png"]
    recording = Recording.load(recorded.path)
    assert recording.notes["captures"] == 2 and recording.notes["driver"] == "nb1010 (emulated)"
    assert recorded.transfers == len(recording.transfers) == 2 * (2 + 4 + 90)
    with pytest.raises(ToolFailed, match="not a USB scanner"):
        record_to_file("virtual", tmp_path / "v.json")


def test_a_place_that_cannot_be_written_is_named_and_nothing_is_left(tmp_path: Path) -> None:
    """A folder that is a file (or read-only, or full): ToolFailed naming the path, never an
    OSError from the clean-up (the diagnostics page's worker thread died of one)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(ToolFailed, match="cannot write .*not-a-folder"):
        capture_to_file("usb:298d:1010:emulated-2", blocker / "print.png")
    with pytest.raises(ToolFailed, match="cannot write .*not-a-folder"):
        record_to_file("usb:298d:1010:emulated-2", blocker / "session.json")
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]


def test_a_recording_whose_images_cannot_be_written_leaves_no_half(tmp_path: Path) -> None:
    (tmp_path / "session-1.png").mkdir()  # the first image's name is taken by a folder
    with pytest.raises(ToolFailed, match="cannot write"):
        record_to_file("usb:298d:1010:emulated-2", tmp_path / "session.json")
    assert [p.name for p in tmp_path.iterdir()] == ["session-1.png"]
