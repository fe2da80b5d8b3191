"""Every recorded USB session in tests/drivers/recordings/ replays exactly and gives the same images.

Make a new one with `booking-station scanners record --device ID --out tests/drivers/recordings/NAME.json`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import usb.core

from drivers.api import CaptureResult, ScannerError
from drivers.usb import devices
from drivers.usb._provider import UsbProvider, _Source
from drivers.usb.replay import Recording, ReplayBackend

RECORDINGS = sorted((Path(__file__).parent / "recordings").glob("*.json"))


def test_there_is_at_least_one_recording() -> None:
    assert RECORDINGS, "tests/drivers/recordings/ holds no recorded session"


@pytest.mark.parametrize("path", RECORDINGS, ids=[p.stem for p in RECORDINGS])
def test_recorded_session_replays(path: Path) -> None:
    recording = Recording.load(path)
    backend = ReplayBackend(recording.transfers, recording.descriptors)
    provider = UsbProvider(sources=lambda: [_Source(backend, emulated=False)])
    (info,) = provider.devices()
    dev = usb.core.find(backend=backend)
    assert devices.lookup(dev.idVendor, dev.idProduct) is not None
    scanner = provider.open(info.id)
    scanner.open()
    images = []
    for _ in range(recording.notes["captures"]):
        for event in scanner.capture(info.modes[0], ()):
            assert not isinstance(event, ScannerError), event.message
            if isinstance(event, CaptureResult):
                images.append(event.image)
    scanner.close()
    backend.assert_consumed()
    assert [hashlib.sha256(i.tobytes()).hexdigest() for i in images] == recording.notes["images_sha256"]


def test_a_file_that_is_not_a_recording_is_named_in_the_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(ValueError, match="bad.json is not a USB recording"):
        Recording.load(bad)
