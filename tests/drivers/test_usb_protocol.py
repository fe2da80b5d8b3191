"""The AES3500 driver's exact USB traffic, PyMeasure expected_protocol style: every transfer is
listed; a different one fails at once and one never made fails at the end."""

from __future__ import annotations

import numpy as np
import pytest
from _usb_helpers import ridges, scanner_on

from drivers.api import (
    CaptureMode,
    CaptureResult,
    ScannerError,
    ScannerState,
    ScannerUnavailable,
    StateChanged,
)
from drivers.usb import _aes3500_protocol as proto
from drivers.usb.emulator import render
from drivers.usb.replay import ProtocolMismatch, Transfer, expected_protocol

INIT = [
    Transfer("out", 0x02, bytes.fromhex(h))
    for h in (
        "8001",
        "8000",
        "81008000",
        "8002",
        "8000",
        "8004",
        "8000",
        "8100",
        "80008100820483138407853d86038701880289028a338b338c0f8d048e238f07",
        "9000911c9208930094079500961f9704982899009a0b9b009c009d099e539f6b",
    )
]
ARM = [Transfer("out", 0x02, bytes.fromhex(h)) for h in ("80008100", "8104", "8100")]


def image_read() -> tuple[Transfer, np.ndarray]:
    raw = render(ridges(), 500.0)
    data = proto.encode_image(raw) + proto.encode_readback({0x80: 0, 0x8E: 0x23})
    return Transfer("in", 0x81, data, size=proto.DATA_LENGTH), proto.to_user_image(raw * 17)


def run(scanner) -> list:
    return list(scanner.capture(CaptureMode.PLAIN, ()))


def test_open_and_capture_are_exactly_the_known_transfers() -> None:
    read, expected_image = image_read()
    with expected_protocol(INIT + ARM + [read], proto.DESCRIPTORS) as backend:
        scanner = scanner_on(backend)
        scanner.open()
        events = run(scanner)
        scanner.close()
    result = next(e for e in events if isinstance(e, CaptureResult))
    assert result.ppi == 500.0 and result.image.shape == (128, 128)
    np.testing.assert_array_equal(result.image, expected_image)
    assert result.metadata["registers"][0x8E] == 0x23
    states = [e.state for e in events if isinstance(e, StateChanged)]
    assert states == [
        ScannerState.AWAIT_FINGER_ON,
        ScannerState.CAPTURE,
        ScannerState.AWAIT_FINGER_OFF,
        ScannerState.IDLE,
    ]


def test_waiting_for_a_finger_polls_the_image_read_until_it_comes() -> None:
    read, _ = image_read()
    waits = [Transfer("in", 0x81, size=proto.DATA_LENGTH, error="timeout")] * 3
    with expected_protocol(INIT + ARM + waits + [read], proto.DESCRIPTORS) as backend:
        scanner = scanner_on(backend)
        scanner.open()
        assert any(isinstance(e, CaptureResult) for e in run(scanner))


def test_a_different_register_value_fails_the_protocol_test() -> None:
    wrong = INIT[:4] + [Transfer("out", 0x02, bytes.fromhex("8003"))] + INIT[5:]
    with (
        pytest.raises(ProtocolMismatch, match="transfer 5: expected OUT 0x02 8003, got OUT 0x02 8000"),
        expected_protocol(wrong, proto.DESCRIPTORS) as backend,
    ):
        scanner_on(backend).open()


def test_a_transfer_never_made_fails_the_protocol_test() -> None:
    with (
        pytest.raises(ProtocolMismatch, match="1 expected transfer"),
        expected_protocol(INIT + ARM[:1], proto.DESCRIPTORS) as backend,
    ):
        scanner_on(backend).open()


def test_a_stall_during_initialisation_makes_the_scanner_unavailable_with_the_reason() -> None:
    script = INIT[:2] + [Transfer("out", 0x02, INIT[2].data, error="stall")]
    with (
        expected_protocol(script, proto.DESCRIPTORS) as backend,
        pytest.raises(ScannerUnavailable, match="refused the request while initialising"),
    ):
        scanner_on(backend).open()


def test_unplug_during_capture_is_an_error_event_saying_the_device_has_gone() -> None:
    script = INIT + ARM + [Transfer("in", 0x81, size=proto.DATA_LENGTH, error="gone")]
    with expected_protocol(script, proto.DESCRIPTORS) as backend:
        scanner = scanner_on(backend)
        scanner.open()
        events = run(scanner)
    errors = [e for e in events if isinstance(e, ScannerError)]
    assert len(errors) == 1 and errors[0].device_gone and "unplugged" in errors[0].message
    assert events[-1] == StateChanged(ScannerState.IDLE)


def test_a_damaged_frame_is_a_retryable_error_not_an_image() -> None:
    read, _ = image_read()
    damaged = bytearray(read.data)
    damaged[proto.FRAME_BYTES * 3] = 0x00  # frame 3's header
    script = INIT + ARM + [Transfer("in", 0x81, bytes(damaged), size=proto.DATA_LENGTH)]
    with expected_protocol(script, proto.DESCRIPTORS) as backend:
        scanner = scanner_on(backend)
        scanner.open()
        events = run(scanner)
    assert not any(isinstance(e, CaptureResult) for e in events)
    error = next(e for e in events if isinstance(e, ScannerError))
    assert error.retryable and "frame 3" in error.message


def test_no_finger_within_the_time_limit_is_a_retryable_error() -> None:
    waits = [Transfer("in", 0x81, size=proto.DATA_LENGTH, error="timeout")]
    with expected_protocol(INIT + ARM + waits, proto.DESCRIPTORS) as backend:
        scanner = scanner_on(backend, finger_timeout_s=0.0)
        scanner.open()
        events = run(scanner)
    error = next(e for e in events if isinstance(e, ScannerError))
    assert error.retryable and "no finger" in error.message


def test_an_unsupported_mode_is_refused_without_touching_the_device() -> None:
    with expected_protocol(INIT, proto.DESCRIPTORS) as backend:
        scanner = scanner_on(backend)
        scanner.open()
        events = list(scanner.capture(CaptureMode.RIGHT_SLAP, ()))
    assert len(events) == 1 and "cannot capture right-slap" in events[0].message


def test_frames_decode_column_by_column_two_rows_per_byte() -> None:
    raw = np.arange(128 * 128, dtype=np.int64).reshape(128, 128) % 16
    data = proto.encode_image(raw.astype(np.uint8))
    assert len(data) == 8 * 1025 and data[0] == 0xE0 and data[1025] == 0xE1
    # First byte of frame 0: column 0, rows 0 (low nibble) and 1 (high nibble).
    assert data[1] == (raw[0, 0] | raw[1, 0] << 4)
    np.testing.assert_array_equal(proto.decode_image(data + bytes(129)), raw * 17)
