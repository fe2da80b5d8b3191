"""Driver for the AuthenTec AES3500 (USB 08ff:5731), a 128x128, 500-ppi, 4-bit press sensor.

A small single-finger sensor: it proves the pyusb path end to end (emulator in CI, umockdev
replay of a real device, real hardware for testers). Protocol details: `_aes3500_protocol`.

Capture follows the libfprint state machine. The sensor triggers itself when a finger
touches it, so the driver arms it and polls the image read in short slices (so `cancel()`
takes effect promptly); a manual `trigger()` cannot force an image out of this hardware. The
sensor cannot report the finger being lifted (no register for it is known), so, like
libfprint, the capture treats the finger as lifted once the image has arrived.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence

import numpy as np

from drivers.api import (
    CaptureMode,
    CaptureResult,
    DeviceInfo,
    Event,
    FingerPosition,
    FingerStatus,
    FingerStatusChanged,
    PreviewFrame,
    Scanner,
    ScannerError,
    ScannerState,
    ScannerUnavailable,
    StateChanged,
)
from drivers.usb import _aes3500_protocol as proto
from drivers.usb._capture_guard import guarded_capture
from drivers.usb.transport import TransportError, UsbTransport

log = logging.getLogger(__name__)

_WRITE_TIMEOUT_MS = 1000
_POLL_MS = 250  # one slice of waiting for a finger; cancel() is seen between slices


def image_from_read(data: bytes) -> np.ndarray:
    """The user-facing image (dark ridges on light, upright, 500 ppi) from one image read."""
    return proto.to_user_image(proto.decode_image(data))


def finger_status(image: np.ndarray) -> FingerStatus:
    """A coarse judgement of contact, from how much of the sensor shows ridges."""
    mean = float(image.mean())
    if mean > 225:
        return FingerStatus.TOO_LIGHT  # little contact: most cells read as background
    if mean < 50:
        return FingerStatus.TOO_DARK  # a wet or pressed-flat finger saturates the cells
    return FingerStatus.PRESENT


class Aes3500Scanner(Scanner):
    def __init__(self, info: DeviceInfo, transport: UsbTransport, finger_timeout_s: float = 60.0) -> None:
        self._info = info
        self._transport = transport
        self._finger_timeout_s = finger_timeout_s
        self._cancel = threading.Event()

    def info(self) -> DeviceInfo:
        return self._info

    def open(self) -> None:
        if self._transport.is_open:
            return
        try:
            self._transport.open()
            self._write_groups(proto.INIT_WRITES, "initialising the sensor")
        except TransportError as exc:
            self._transport.close()
            raise ScannerUnavailable(f"{self._info.model}: {exc}") from exc

    def close(self) -> None:
        self._transport.close()

    def cancel(self) -> None:
        self._cancel.set()

    def trigger(self) -> None:
        # The AES3500 decides itself when a finger is on it; there is no command to take an image.
        log.info("%s triggers on finger contact; a manual trigger has no effect", self._info.model)

    def capture(self, mode: CaptureMode, finger_positions: Sequence[FingerPosition]) -> Iterator[Event]:
        self._cancel.clear()
        yield from guarded_capture(
            self._info, self._transport.is_open, mode, self._capture(mode, tuple(finger_positions)), "image"
        )

    def _capture(self, mode: CaptureMode, positions: tuple[FingerPosition, ...]) -> Iterator[Event]:
        yield StateChanged(ScannerState.AWAIT_FINGER_ON)
        yield FingerStatusChanged(FingerStatus.NONE)
        self._write_groups(proto.ARM_WRITES, "arming the sensor")
        deadline = time.monotonic() + self._finger_timeout_s
        while True:
            if self._cancel.is_set():
                yield StateChanged(ScannerState.IDLE)
                return
            try:
                data = self._transport.read(proto.EP_IN, proto.DATA_LENGTH, _POLL_MS, "waiting for a finger")
                break
            except TransportError as exc:
                if exc.kind != "timeout":
                    raise
                if time.monotonic() > deadline:
                    yield ScannerError(
                        f"no finger was placed on the {self._info.model} within {self._finger_timeout_s:.0f} s",
                        retryable=True,
                    )
                    yield StateChanged(ScannerState.IDLE)
                    return
        read_at = time.monotonic()
        if len(data) != proto.DATA_LENGTH:
            raise TransportError(
                "io",
                f"the image read was {len(data)} bytes, the {self._info.model} sends {proto.DATA_LENGTH}",
            )
        yield StateChanged(ScannerState.CAPTURE)
        image = image_from_read(data)
        yield FingerStatusChanged(finger_status(image), finger_count=1)
        yield PreviewFrame(image=image, ppi=proto.PPI, timestamp=read_at)
        yield StateChanged(ScannerState.AWAIT_FINGER_OFF)
        yield CaptureResult(
            image=image,
            ppi=proto.PPI,
            mode=mode,
            finger_positions=positions,
            timestamp=read_at,
            metadata={"device": self._info.id, "registers": proto.decode_readback(data)},
        )
        yield FingerStatusChanged(FingerStatus.NONE)
        yield StateChanged(ScannerState.IDLE)

    def _write_groups(self, groups: tuple[tuple[tuple[int, int], ...], ...], what: str) -> None:
        for payload in proto.encode_writes(groups):
            self._transport.write(proto.EP_OUT, payload, _WRITE_TIMEOUT_MS, what)
