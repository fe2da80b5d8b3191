"""`booking-station scanners ...` with the emulated AES3500."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _usb_helpers import ridges
from PIL import Image

from booking_station.cli import main
from drivers import registry
from drivers.usb import emulator
from drivers.usb.replay import Recording

EMULATED = "usb:08ff:5731:emulated-1"


@pytest.fixture(autouse=True)
def usb_only(monkeypatch: pytest.MonkeyPatch) -> emulator.Aes3500Emulator:
    """Only USB scanners (the virtual scanner has its own tests), and a fast, fresh emulator."""
    monkeypatch.setattr(registry, "_PROVIDER_MODULES", ["drivers.usb"])
    monkeypatch.delenv("BOOKING_STATION_EMULATE", raising=False)
    emu = emulator.Aes3500Emulator(
        lambda n: (ridges(angle=0.2 * n), 500.0), auto_finger=True, auto_delay_s=0.0
    )
    monkeypatch.setitem(emulator._shared, "aes3500", emu)
    return emu


def test_list_json_shows_the_emulated_scanner(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scanners", "list", "--emulate", "aes3500", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    emulated = [r for r in rows if r["id"] == EMULATED]
    assert emulated and emulated[0]["usb_id"] == "08ff:5731" and emulated[0]["driver"] == "aes3500 (emulated)"
    assert emulated[0]["problem"] is None and emulated[0]["modes"] == ["plain"]


def test_list_prints_a_table_and_any_permission_problem(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from drivers.usb import _provider

    original = _provider._describe

    def with_problem(dev, supported, source):
        info = original(dev, supported, _provider._Source(source.backend, emulated=False))
        return info

    monkeypatch.setattr(
        _provider, "permission_problem", lambda bus, address: "no read/write permission on X: fix"
    )
    monkeypatch.setattr(_provider, "_describe", with_problem)
    assert main(["scanners", "list", "--emulate", "aes3500"]) == 0
    out = capsys.readouterr().out
    assert "08ff:5731" in out and "AuthenTec AES3500" in out
    assert "problem with usb:08ff:5731:0-1: no read/write permission on X: fix" in out


def test_capture_writes_the_image_with_its_resolution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "print.png"
    assert main(["scanners", "capture", "--emulate", "aes3500", "--out", str(out)]) == 0
    with Image.open(out) as image:
        assert image.size == (128, 128) and image.mode == "L"
        assert round(image.info["dpi"][0]) == 500
    assert f"saved {out}: 128x128 px at 500 ppi" in capsys.readouterr().out


def test_capture_errors_are_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], usb_only: emulator.Aes3500Emulator
) -> None:
    assert (
        main(
            [
                "scanners",
                "capture",
                "--emulate",
                "aes3500",
                "--mode",
                "rolled",
                "--out",
                str(tmp_path / "a.png"),
            ]
        )
        == 2
    )
    assert "AES3500 cannot capture rolled; it supports plain" in capsys.readouterr().err
    usb_only.inject("busy")
    assert main(["scanners", "capture", "--emulate", "aes3500", "--out", str(tmp_path / "b.png")]) == 2
    assert "in use by another program" in capsys.readouterr().err
    assert (
        main(["scanners", "capture", "--device", "usb:dead:beef:1-1", "--out", str(tmp_path / "c.png")]) == 2
    )
    assert "no scanner with id 'usb:dead:beef:1-1'" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_a_bad_emulate_variable_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOOKING_STATION_EMULATE", "aes3500,aes9999")
    assert main(["scanners", "list"]) == 2
    assert "unknown emulator(s) aes9999; available: aes3500" in capsys.readouterr().err


def test_capture_without_a_device_asks_for_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scanners", "capture", "--out", str(tmp_path / "a.png")]) == 2
    assert "name a scanner with --device" in capsys.readouterr().err


def test_preview_reports_frames_and_finger_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scanners", "preview", "--emulate", "aes3500", "--seconds", "0.5", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["frames"] >= 1 and stats["frame_rate"] > 0 and stats["finger_status"] == "present"
    assert stats["errors"] == []


def test_conformance_reports_each_check_with_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "scanners",
            "conformance",
            "--emulate",
            "aes3500",
            "--captures",
            "2",
            "--target-pitch-mm",
            "1",
            "--json",
        ]
    )
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert set(checks) == {"resolution", "gray levels", "dynamic range", "uniformity", "platen", "geometry"}
    # The AES3500 is a 500-ppi but 4-bit sensor: it honestly fails Appendix F's grey levels.
    assert checks["resolution"]["passed"] and "500 ppi" in checks["resolution"]["figure"]
    levels = int(checks["gray levels"]["figure"].split()[0])
    assert not checks["gray levels"]["passed"] and levels == 16
    assert checks["geometry"]["passed"], checks["geometry"]["figure"]
    assert code == 1


def test_record_writes_a_replayable_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "session.json"
    assert main(["scanners", "record", "--emulate", "aes3500", "--out", str(out)]) == 0
    recording = Recording.load(out)
    assert recording.notes["captures"] == 1 and len(recording.notes["images_sha256"]) == 1
    assert [t.direction for t in recording.transfers].count("in") == 1
    assert (tmp_path / "session-1.png").is_file()


def test_udev_rule_prints_and_installs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scanners", "udev-rule"]) == 0
    assert 'ATTRS{idVendor}=="08ff"' in capsys.readouterr().out
    assert main(["scanners", "udev-rule", "--dir", str(tmp_path)]) == 0
    assert (tmp_path / "70-booking-station-scanners.rules").is_file()


@pytest.mark.parametrize(
    ("name", "device_id", "model", "shape", "ppi"),
    [
        ("nb1010", "usb:298d:1010:emulated-2", "NEXT Biometrics NB-1010-U", (180, 256), 385),
        ("upektc_img", "usb:147e:2016:emulated-3", "UPEK TouchChip", (384, 144), 508),
    ],
)
def test_the_new_sensors_are_listed_captured_previewed_and_checked(
    name: str,
    device_id: str,
    model: str,
    shape: tuple[int, int],
    ppi: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import importlib

    module, _, cls = emulator.EMULATORS[name].partition(":")
    emulator_class = getattr(importlib.import_module(module), cls)
    address = int(device_id.rsplit("-", 1)[1])
    fast = emulator_class(
        lambda n: (ridges(angle=0.2 * n), 500.0), auto_finger=True, auto_delay_s=0.0, address=address
    )
    monkeypatch.setitem(emulator._shared, name, fast)

    assert main(["scanners", "list", "--emulate", name]) == 0
    listing = capsys.readouterr().out
    assert device_id in listing and model in listing and f"{name} (emulated)" in listing

    out = tmp_path / "print.png"
    assert main(["scanners", "capture", "--emulate", name, "--out", str(out)]) == 0
    with Image.open(out) as image:
        assert image.size == shape[::-1] and round(image.info["dpi"][0]) == ppi
    capsys.readouterr()

    assert main(["scanners", "preview", "--emulate", name, "--seconds", "0.5", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["frames"] >= 1 and stats["finger_status"] == "present" and not stats["errors"]

    main(
        ["scanners", "conformance", "--emulate", name, "--captures", "1", "--target-pitch-mm", "1", "--json"]
    )
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert f"{ppi} ppi declared" in checks["resolution"]["figure"]
    assert checks["geometry"]["passed"], checks["geometry"]["figure"]
