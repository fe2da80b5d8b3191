"""The NEXT Biometrics NB-1010-U driver: its exact USB traffic (PyMeasure expected_protocol
style), the real recording replayed through pyusb, and the emulator."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from _usb_helpers import driver_on, ridges

from drivers.api import CaptureMode, CaptureResult, FingerStatus, FingerStatusChanged, ScannerError
from drivers.usb import _nb1010_protocol as proto
from drivers.usb import recordings
from drivers.usb._nb1010_emulator import Nb1010Emulator, render
from drivers.usb.replay import ProtocolMismatch, Transfer, expected_protocol

LEVEL = Transfer("out", 0x02, bytes.fromhex("8038010008000000"))
PRECAPTURE = Transfer("out", 0x02, bytes.fromhex("800d03000c00000000040000"))
CAPTURE = Transfer(
    "out", 0x02, bytes.fromhex("8012040020000000020000000000000000000000000000000000000020000000")
)


def level_answer(level: int) -> Transfer:
    return Transfer("in", 0x83, bytes.fromhex(f"803701001000000000000000{level:02x}000000"), size=16)


def status_answer(seq: int, value: int = 0) -> Transfer:
    return Transfer("in", 0x83, bytes.fromhex(f"8020{seq:02x}001000000000000000{value:02x}000000"), size=16)


def image_packets(image: np.ndarray) -> list[Transfer]:
    return [
        Transfer("in", 0x83, proto.encode_packet(i, image[2 * i : 2 * i + 2]), size=540) for i in range(90)
    ]


def session(image: np.ndarray, waits: int = 0) -> list[Transfer]:
    polls = [LEVEL, level_answer(0)] * waits + [LEVEL, level_answer(0xF7)]
    return [*polls, PRECAPTURE, status_answer(3), CAPTURE, status_answer(4, 3), *image_packets(image)]


def capture(scanner) -> list:
    return list(scanner.capture(CaptureMode.PLAIN, ()))


def test_a_capture_is_exactly_the_known_transfers_and_gives_the_image() -> None:
    image = render(ridges(), 500.0)
    with expected_protocol(session(image, waits=2), proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "nb1010")
        scanner.open()
        events = capture(scanner)
        scanner.close()
    result = next(e for e in events if isinstance(e, CaptureResult))
    assert result.ppi == 385.0 and result.image.shape == (180, 256)
    np.testing.assert_array_equal(result.image, image)
    assert FingerStatusChanged(FingerStatus.PRESENT, finger_count=1) in events


def test_partial_contact_asks_to_press_before_the_image() -> None:
    image = render(ridges(), 500.0)
    script = [LEVEL, level_answer(0x12), *session(image)]
    with expected_protocol(script, proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "nb1010")
        scanner.open()
        statuses = [e.status for e in capture(scanner) if isinstance(e, FingerStatusChanged)]
    assert statuses[:3] == [FingerStatus.NONE, FingerStatus.TOO_LIGHT, FingerStatus.PRESENT]


def test_a_different_command_byte_fails_the_protocol_test() -> None:
    wrong = [Transfer("out", 0x02, bytes.fromhex("8038020008000000")), level_answer(0xF7)]
    with (
        pytest.raises(ProtocolMismatch, match="transfer 1: expected OUT 0x02 8038020008000000"),
        expected_protocol(wrong, proto.DESCRIPTORS) as backend,
    ):
        scanner = driver_on(backend, "nb1010")
        scanner.open()
        capture(scanner)


def test_a_packet_out_of_order_is_a_retryable_error_not_an_image() -> None:
    image = render(ridges(), 500.0)
    script = session(image)
    script[-80], script[-79] = script[-79], script[-80]
    with expected_protocol(script[:-79], proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "nb1010")
        scanner.open()
        events = capture(scanner)
    assert not any(isinstance(e, CaptureResult) for e in events)
    error = next(e for e in events if isinstance(e, ScannerError))
    assert error.retryable and "out of order" in error.message


def test_unplug_while_reading_the_image_says_the_device_has_gone() -> None:
    image = render(ridges(), 500.0)
    script = session(image)[:10] + [Transfer("in", 0x83, size=540, error="gone")]
    with expected_protocol(script, proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "nb1010")
        scanner.open()
        events = capture(scanner)
    error = next(e for e in events if isinstance(e, ScannerError))
    assert error.device_gone and "unplugged" in error.message


def test_an_answer_to_another_command_is_reported_as_damaged() -> None:
    script = [LEVEL, status_answer(1)]
    with expected_protocol(script, proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "nb1010")
        scanner.open()
        error = next(e for e in capture(scanner) if isinstance(e, ScannerError))
    assert error.retryable and "damaged answer" in error.message and "0x37" in error.message


def test_the_emulator_answers_the_driver_with_a_synthetic_finger() -> None:
    emulator = Nb1010Emulator(lambda n: (ridges(angle=0.3 * n), 500.0), auto_finger=True, auto_delay_s=0.0)
    scanner = driver_on(emulator, "nb1010")
    with scanner:
        first = next(e for e in capture(scanner) if isinstance(e, CaptureResult)).image
        second = next(e for e in capture(scanner) if isinstance(e, CaptureResult)).image
    assert emulator.captures == 2 and not np.array_equal(first, second)
    np.testing.assert_array_equal(first, render(ridges(angle=0.0), 500.0, seed=0))


def test_the_emulator_stalls_an_unknown_command() -> None:
    import usb.core

    emulator = Nb1010Emulator()
    device = usb.core.find(idVendor=proto.VENDOR_ID, idProduct=proto.PRODUCT_ID, backend=emulator)
    with pytest.raises(usb.core.USBError, match="Pipe"):
        device.write(proto.EP_OUT, bytes.fromhex("8099010008000000"))


@pytest.mark.realdata
def test_the_real_recording_replays_strictly_and_gives_libfprints_image(shared_data: Path) -> None:
    folder = shared_data / "usb" / "nb1010"
    if not (folder / "capture.ioctl").is_file():
        pytest.skip(f"{folder} holds no NB-1010-U recording")
    script = recordings.from_umockdev(folder / "capture.ioctl")
    with expected_protocol(script, proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "nb1010")
        scanner.open()
        events = capture(scanner)
        scanner.close()
    image = next(e for e in events if isinstance(e, CaptureResult)).image
    reference = cv2.imread(str(folder / "capture.png"), cv2.IMREAD_GRAYSCALE)
    assert image.shape == reference.shape == (180, 256)  # libfprint keeps the image as the sensor sends it
    assert np.abs(image.astype(float) - reference).mean() <= 2.0
