"""The AES3500 driver against the emulated device: captures, what the device rejects, faults."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import usb.core
from _usb_helpers import ridges, scanner_on

from drivers.api import CaptureMode, CaptureResult, ScannerError, ScannerUnavailable
from drivers.usb import _aes3500_protocol as proto
from drivers.usb.emulator import Aes3500Emulator, render


def emulator(**kwargs) -> Aes3500Emulator:
    return Aes3500Emulator(lambda n: (ridges(angle=0.3 * n), 500.0), **kwargs)


def capture(scanner) -> list:
    return list(scanner.capture(CaptureMode.PLAIN, ()))


def result_of(events) -> CaptureResult:
    results = [e for e in events if isinstance(e, CaptureResult)]
    assert results, f"no image; events: {events}"
    return results[0]


def test_the_driver_captures_what_lies_on_the_emulated_sensor() -> None:
    emu = emulator()
    finger = ridges(angle=1.1)
    emu.place_finger(finger, 500.0)
    with scanner_on(emu) as scanner:
        result = result_of(capture(scanner))
    expected = proto.to_user_image(render(finger, 500.0) * 17)
    np.testing.assert_array_equal(result.image, expected)
    # Upright and dark-ridged: the driver undoes the sensor's inversion and rotation.
    # 300 px at 500 ppi; the 500-ppi sensor sees the middle 128.
    middle = finger[86:214, 86:214].astype(float)
    assert np.corrcoef(middle.ravel(), result.image.astype(float).ravel())[0, 1] > 0.9


def test_a_capture_waits_for_a_finger_placed_from_another_thread() -> None:
    emu = emulator()
    with scanner_on(emu) as scanner:
        timer = threading.Timer(0.4, emu.place_finger)
        timer.start()
        events = capture(scanner)
        timer.join()
    assert result_of(events).image.shape == (128, 128)


def test_cancel_ends_a_capture_waiting_for_a_finger() -> None:
    emu = emulator()
    with scanner_on(emu) as scanner:
        threading.Timer(0.3, scanner.cancel).start()
        events = capture(scanner)
    assert not any(isinstance(e, (CaptureResult, ScannerError)) for e in events)


def test_automatic_fingers_give_a_new_impression_per_capture() -> None:
    emu = emulator(auto_finger=True, auto_delay_s=0.0)
    with scanner_on(emu) as scanner:
        first, second = result_of(capture(scanner)), result_of(capture(scanner))
    assert emu.captures == 2
    assert not np.array_equal(first.image, second.image)


def test_unplugging_during_a_capture_reports_the_device_gone() -> None:
    emu = emulator()
    with scanner_on(emu) as scanner:
        threading.Timer(0.3, emu.unplug).start()
        events = capture(scanner)
    error = next(e for e in events if isinstance(e, ScannerError))
    assert error.device_gone and "unplugged" in error.message
    emu.replug()  # after replugging, the device opens and works again
    emu.place_finger()
    with scanner_on(emu) as scanner:
        assert result_of(capture(scanner))


@pytest.mark.parametrize(
    ("fault", "message"),
    [("busy", "in use by another program"), ("denied", "no permission")],
)
def test_open_faults_say_what_to_do(fault: str, message: str) -> None:
    emu = emulator()
    emu.inject(fault)
    with pytest.raises(ScannerUnavailable, match=message):
        scanner_on(emu).open()


def test_a_stalled_image_read_is_a_retryable_error_and_the_next_capture_works() -> None:
    emu = emulator()
    emu.place_finger()
    with scanner_on(emu) as scanner:
        scanner.open()
        emu.inject("stall")
        # The stall hits the first arming write.
        error = next(e for e in capture(scanner) if isinstance(e, ScannerError))
        assert error.retryable and "stalled" in error.message
        emu.place_finger()
        assert result_of(capture(scanner))


def test_the_default_source_is_the_synthetic_fingerprint_generator() -> None:
    emu = Aes3500Emulator(auto_finger=True, auto_delay_s=0.0)
    with scanner_on(emu) as scanner:
        image = result_of(capture(scanner)).image
    # A real print: both ridges and valleys over most of the sensor.
    assert 60 < image.mean() < 200 and image.std() > 40


# --- what the emulated device rejects, as the real one does -------------------------------------
def raw_device(emu: Aes3500Emulator) -> usb.core.Device:
    return usb.core.find(idVendor=proto.VENDOR_ID, idProduct=proto.PRODUCT_ID, backend=emu)


def initialise(dev: usb.core.Device, groups=proto.INIT_WRITES + proto.ARM_WRITES) -> None:
    for payload in proto.encode_writes(groups):
        dev.write(proto.EP_OUT, payload, timeout=100)


@pytest.mark.parametrize(
    "payload",
    [b"\x80", bytes(34), b"\x7f\x00", b"\xa0\x00"],
    ids=["odd-length", "more-than-16-pairs", "register-below-block", "register-above-block"],
)
def test_malformed_register_writes_stall(payload: bytes) -> None:
    dev = raw_device(emulator())
    with pytest.raises(usb.core.USBError) as info:
        dev.write(proto.EP_OUT, payload, timeout=100)
    assert info.value.errno == 32  # EPIPE


def test_a_short_image_read_overflows() -> None:
    emu = emulator()
    emu.place_finger()
    dev = raw_device(emu)
    initialise(dev)
    with pytest.raises(usb.core.USBError) as info:
        dev.read(proto.EP_IN, 8200, timeout=100)
    assert info.value.errno == 75  # EOVERFLOW


def test_an_uncalibrated_sensor_never_triggers() -> None:
    emu = emulator()
    emu.place_finger()
    dev = raw_device(emu)
    altered = tuple(
        tuple((reg, 0x24 if reg == 0x8E else value) for reg, value in group) for group in proto.INIT_WRITES
    )
    initialise(dev, altered + proto.ARM_WRITES)
    with pytest.raises(usb.core.USBTimeoutError):
        dev.read(proto.EP_IN, proto.DATA_LENGTH, timeout=100)


def test_an_unarmed_sensor_never_triggers() -> None:
    emu = emulator()
    emu.place_finger()
    dev = raw_device(emu)
    initialise(dev, proto.INIT_WRITES)
    with pytest.raises(usb.core.USBTimeoutError):
        dev.read(proto.EP_IN, proto.DATA_LENGTH, timeout=100)
