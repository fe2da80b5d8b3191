"""The UPEK TouchChip coprocessor driver: its exact USB traffic (PyMeasure expected_protocol
style), the real pcapng recording replayed through pyusb, and the emulator."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from _usb_helpers import driver_on, ridges

from drivers.api import CaptureMode, CaptureResult, FingerStatus, FingerStatusChanged, ScannerError
from drivers.usb import _upektc_protocol as proto
from drivers.usb import recordings
from drivers.usb._upektc_emulator import UpektcEmulator, frames, render
from drivers.usb.replay import ProtocolMismatch, Transfer, expected_protocol


def out(message: tuple[int, bytes], seq: int) -> Transfer:
    return Transfer("out", 0x02, proto.encode(*message, seq))


def answer(message: tuple[int, bytes], seq: int = 0) -> list[Transfer]:
    """The reads that bring one message in: 64 bytes, and the rest when it is longer."""
    data = proto.encode(*message, seq)
    padded = data + bytes(max(0, 64 - len(data)))
    reads = [Transfer("in", 0x81, padded[:64], size=64)]
    if len(data) > 64:
        reads.append(Transfer("in", 0x81, data[64:], size=1988))
    return reads


def status(code: int) -> tuple[int, bytes]:
    body = bytearray(17)
    body[0], body[11] = 0x28, code
    return 0x00, bytes(body)


WAKE = Transfer.control(0x40, 0x0C, 0x0100, 0x0400, b"\x00")
DONE = (0x01, b"")
ACTIVATION = [
    WAKE,
    *answer((0x03, b"\x0110.5")),
    out(proto.SETUP_1, 0),
    *answer((0x05, b"\x00")),
    out(proto.SETUP_2, 0),
    *answer(DONE),
    WAKE,
    *answer((0x03, b"\x0110.5")),
    out(proto.SETUP_3, 0),
    *answer((0x05, b"\x00")),
    out(proto.SETUP_4, 0),
    *answer((0x00, b"\x28\x00")),
]


def session(image: np.ndarray, waits: int = 0) -> list[Transfer]:
    script = [*ACTIVATION, out(proto.START_CAPTURE, 1), *answer(status(proto.NO_FINGER), 1)]
    script += [out(proto.ACK_STATUS, 2)]
    script += [Transfer("in", 0x81, size=64, error="timeout")] * waits  # waiting for the finger
    script += [*answer((proto.EVENT, b"")), out(proto.ACK_EVENT, 0), *answer(status(proto.FINGER), 2)]
    script += [out(proto.ACK_STATUS, 3)]
    seq = 3
    parts = frames(image)
    for n, frame in enumerate(parts):
        script += answer(frame, seq)
        seq += 1
        if n < len(parts) - 1:
            script.append(out(proto.ACK_FRAME, seq))
    script += [out(proto.CLOSE, seq), *answer(DONE)]
    return script


def capture(scanner) -> list:
    return list(scanner.capture(CaptureMode.PLAIN, ()))


def test_a_capture_is_exactly_the_known_transfers_and_gives_the_image() -> None:
    image = render(ridges(), 500.0)
    with expected_protocol(session(image, waits=2), proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "upektc_img")
        scanner.open()
        events = capture(scanner)
        scanner.close()
    result = next(e for e in events if isinstance(e, CaptureResult))
    assert result.ppi == 508.0 and result.image.shape == (384, 144)
    np.testing.assert_array_equal(result.image, image)
    assert FingerStatusChanged(FingerStatus.PRESENT, finger_count=1) in events


def test_the_frames_carry_the_whole_image_in_28_messages() -> None:
    parts = frames(np.zeros((384, 144), np.uint8))
    assert len(parts) == 28
    assert [p[1][0] for p in (parts[0], parts[1], parts[-1])] == [0x2C, 0x24, 0x20]
    assert sum(len(proto.frame_pixels(proto.Message(0, 0, body))) for _, body in parts) == 144 * 384


def test_a_wrong_sequence_number_fails_the_protocol_test() -> None:
    script = session(render(ridges(), 500.0))
    start = script.index(out(proto.START_CAPTURE, 1))
    script[start] = out(proto.START_CAPTURE, 2)
    with (
        pytest.raises(ProtocolMismatch, match=f"transfer {start + 1}: expected OUT 0x02"),
        expected_protocol(script, proto.DESCRIPTORS) as backend,
    ):
        scanner = driver_on(backend, "upektc_img")
        scanner.open()
        capture(scanner)


def test_a_message_with_a_bad_crc_is_a_retryable_error() -> None:
    script = session(render(ridges(), 500.0))
    index = script.index(answer(status(proto.FINGER), 2)[0])
    damaged = bytearray(script[index].data)
    damaged[9] ^= 0x01
    script[index] = Transfer("in", 0x81, bytes(damaged), size=64)
    with expected_protocol(script[: index + 1], proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "upektc_img")
        scanner.open()
        events = capture(scanner)
    error = next(e for e in events if isinstance(e, ScannerError))
    assert error.retryable and "CRC" in error.message


def test_a_short_swipe_asks_to_swipe_again() -> None:
    script = [*ACTIVATION, out(proto.START_CAPTURE, 1), *answer(status(0x1E), 1), out(proto.ACK_STATUS, 2)]
    script += [*answer(DONE), out(proto.CLOSE, 3), *answer(DONE)]
    with expected_protocol(script, proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "upektc_img")
        scanner.open()
        events = capture(scanner)
    error = next(e for e in events if isinstance(e, ScannerError))
    assert error.retryable and "too short" in error.message and "swipe again" in error.message


def test_the_emulator_answers_the_driver_with_a_synthetic_finger() -> None:
    emulator = UpektcEmulator(lambda n: (ridges(angle=0.3 * n), 500.0), auto_finger=True, auto_delay_s=0.0)
    scanner = driver_on(emulator, "upektc_img")
    with scanner:
        first = next(e for e in capture(scanner) if isinstance(e, CaptureResult)).image
        second = next(e for e in capture(scanner) if isinstance(e, CaptureResult)).image
    assert emulator.captures == 2 and not np.array_equal(first, second)
    np.testing.assert_array_equal(first, render(ridges(angle=0.0), 500.0, seed=0))


def test_the_emulator_reports_a_damaged_frame_and_then_works() -> None:
    emulator = UpektcEmulator(lambda n: (ridges(), 500.0), auto_finger=True, auto_delay_s=0.0)
    scanner = driver_on(emulator, "upektc_img")
    with scanner:
        emulator.inject("corrupt")
        error = next(e for e in capture(scanner) if isinstance(e, ScannerError))
        assert error.retryable and "CRC" in error.message
        assert any(isinstance(e, CaptureResult) for e in capture(scanner))


@pytest.mark.realdata
def test_the_real_recording_replays_strictly_and_gives_libfprints_image(shared_data: Path) -> None:
    folder = shared_data / "usb" / "upektc_img"
    if not (folder / "capture.pcapng").is_file():
        pytest.skip(f"{folder} holds no UPEK recording")
    script = recordings.from_pcapng(folder / "capture.pcapng", address=3)
    with expected_protocol(script, proto.DESCRIPTORS) as backend:
        scanner = driver_on(backend, "upektc_img")
        scanner.open()
        events = capture(scanner)
        scanner.close()
    image = next(e for e in events if isinstance(e, CaptureResult)).image
    reference = cv2.imread(str(folder / "capture.png"), cv2.IMREAD_GRAYSCALE)
    assert image.shape == reference.shape == (384, 144)  # libfprint keeps the coprocessor's image as is
    assert np.abs(image.astype(float) - reference).mean() <= 2.0
