"""Conformance with a real AES3500: the driver, through libusb, against umockdev's replay of a
recorded capture. The replay answers only the exact transfers the real device saw, so a wrong
register value or a wrong read length fails; the image must match libfprint's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import cv2
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.realdata, pytest.mark.umockdev]

_CAPTURE = textwrap.dedent(
    """
    import sys
    import numpy as np
    from drivers.api import CaptureMode, CaptureResult, ScannerError
    from drivers.usb import UsbProvider

    provider = UsbProvider()
    found = provider.devices()
    print("devices:", [d.id for d in found], file=sys.stderr)
    scanner = provider.open(found[0].id)
    scanner.open()
    for event in scanner.capture(CaptureMode.PLAIN, ()):
        if isinstance(event, ScannerError):
            sys.exit("scanner error: " + event.message)
        if isinstance(event, CaptureResult):
            np.save(sys.argv[1], event.image)
            print("ppi", event.ppi, "registers", len(event.metadata.get("registers", ())), file=sys.stderr)
    scanner.close()
    """
)


def _under_replay(recording: Path, command: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BOOKING_STATION_EMULATE", None)
    return subprocess.run(
        [
            "umockdev-run",
            "-d",
            str(recording / "device"),
            "-i",
            f"/dev/bus/usb/003/004={recording / 'capture.ioctl'}",
            "--",
            *command,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def recording(shared_data: Path) -> Path:
    folder = shared_data / "usb" / "aes3500"
    if not (folder / "capture.ioctl").is_file():
        pytest.skip(f"{folder} holds no AES3500 recording")
    if shutil.which("umockdev-run") is None:
        pytest.skip("umockdev-run is not installed (Debian: apt-get install umockdev)")
    return folder


def test_the_driver_replays_the_real_capture_and_matches_libfprints_image(
    recording: Path, tmp_path: Path
) -> None:
    script = tmp_path / "capture.py"
    script.write_text(_CAPTURE)
    out = tmp_path / "image.npy"
    proc = _under_replay(recording, [sys.executable, str(script), str(out)])
    assert proc.returncode == 0, proc.stderr
    assert "usb:08ff:5731:3-4" in proc.stderr
    image = np.load(out)
    assert image.shape == (128, 128) and image.dtype == np.uint8

    # libfprint's capture.png is the same image scaled 2x with bilinear interpolation.
    reference = cv2.imread(str(recording / "capture.png"), cv2.IMREAD_GRAYSCALE).astype(np.float64)
    enlarged = cv2.resize(image, (256, 256), interpolation=cv2.INTER_LINEAR).astype(np.float64)
    assert np.abs(enlarged - reference).mean() < 2.0
    # And at the sensor's own size: 2x2 block means of the reference track our pixels closely.
    reduced = reference.reshape(128, 2, 128, 2).mean(axis=(1, 3))
    assert np.corrcoef(reduced.ravel(), image.astype(np.float64).ravel())[0, 1] > 0.98


def test_scanners_list_finds_the_real_device_through_libusb(recording: Path) -> None:
    proc = _under_replay(
        recording, [sys.executable, "-m", "booking_station.cli", "scanners", "list", "--json"]
    )
    assert proc.returncode == 0, proc.stderr
    usb_rows = [row for row in json.loads(proc.stdout) if row["usb_id"] == "08ff:5731"]
    assert [(r["id"], r["driver"], r["ppi"]) for r in usb_rows] == [("usb:08ff:5731:3-4", "aes3500", 500.0)]


def _looks(image: np.ndarray) -> tuple[int, float, float]:
    """Distinct grey levels, dynamic range (0.5th to 99.5th percentile) and ridge period in pixels."""
    from matcher import _features

    pixels = image.astype(np.float32)
    period = _features.ridge_period(_features.normalise(pixels), _features.segment(pixels))
    low, high = np.percentile(image, [0.5, 99.5])
    return len(np.unique(image)), float(high - low), period


def test_the_emulated_aes3500_looks_like_the_real_one(recording: Path, tmp_path: Path) -> None:
    """Issue 22, broken 5: the emulator had 13 levels, a range of 119 and ridges 5.1 px apart."""
    from _usb_helpers import scanner_on

    from drivers.api import CaptureMode, CaptureResult
    from drivers.usb.emulator import Aes3500Emulator

    script = tmp_path / "capture.py"
    script.write_text(_CAPTURE)
    proc = _under_replay(recording, [sys.executable, str(script), str(tmp_path / "real.npy")])
    assert proc.returncode == 0, proc.stderr
    real_levels, real_range, real_period = _looks(np.load(tmp_path / "real.npy"))

    emulator = Aes3500Emulator(auto_finger=True, auto_delay_s=0.0)  # synthetic fingers, as in CI
    with scanner_on(emulator) as scanner:
        for _ in range(2):
            events = list(scanner.capture(CaptureMode.PLAIN, ()))
            image = next(e for e in events if isinstance(e, CaptureResult)).image
            levels, dynamic_range, period = _looks(image)
            assert levels == real_levels == 16
            assert dynamic_range >= 0.95 * real_range
            assert abs(period - real_period) <= 0.15 * real_period, (period, real_period)


#: The other real recordings: how umockdev replays each, and the id the station gives the device.
REPLAYS = {
    "nb1010": (["-i", "/dev/bus/usb/001/003={folder}/capture.ioctl"], "usb:298d:1010:1-3", 385.0),
    "upektc_img": (
        ["-p", "/sys/devices/pci0000:00/0000:00:1a.0/usb1/1-1/1-1.3={folder}/capture.pcapng"],
        "usb:147e:2016:1-3",
        508.0,
    ),
}


def _replay(name: str, shared_data: Path, command: list[str]) -> subprocess.CompletedProcess:
    folder = shared_data / "usb" / name
    if not (folder / "device").is_file():
        pytest.skip(f"{folder} holds no recording")
    if shutil.which("umockdev-run") is None:
        pytest.skip("umockdev-run is not installed (Debian: apt-get install umockdev)")
    replay_args, _, _ = REPLAYS[name]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BOOKING_STATION_EMULATE", None)
    args = [a.format(folder=folder) for a in replay_args]
    return subprocess.run(
        ["umockdev-run", "-d", str(folder / "device"), *args, "--", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", sorted(REPLAYS))
def test_the_driver_replays_the_real_capture_through_libusb_and_matches_libfprints_image(
    name: str, shared_data: Path, tmp_path: Path
) -> None:
    script = tmp_path / "capture.py"
    script.write_text(_CAPTURE)
    proc = _replay(name, shared_data, [sys.executable, str(script), str(tmp_path / "image.npy")])
    assert proc.returncode == 0, proc.stderr
    _, device_id, ppi = REPLAYS[name]
    assert device_id in proc.stderr and f"ppi {ppi}" in proc.stderr
    image = np.load(tmp_path / "image.npy")
    # libfprint's capture.png of these two is the image as the device sends it: no turn, no scaling.
    reference = cv2.imread(str(shared_data / "usb" / name / "capture.png"), cv2.IMREAD_GRAYSCALE)
    assert image.shape == reference.shape
    assert np.abs(image.astype(np.float64) - reference).mean() <= 2.0


@pytest.mark.parametrize("name", sorted(REPLAYS))
def test_scanners_list_finds_the_other_real_devices_through_libusb(name: str, shared_data: Path) -> None:
    proc = _replay(
        name, shared_data, [sys.executable, "-m", "booking_station.cli", "scanners", "list", "--json"]
    )
    assert proc.returncode == 0, proc.stderr
    _, device_id, ppi = REPLAYS[name]
    rows = [row for row in json.loads(proc.stdout) if row["usb_id"]]
    assert [(r["id"], r["driver"], r["ppi"]) for r in rows] == [(device_id, name, ppi)]
