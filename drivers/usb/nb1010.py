"""Driver for the NEXT Biometrics NB-1010-U (USB 298d:1010), a 256 x 180, 385-ppi press sensor.

An active-thermal single-finger sensor with FBI PIV certification. Protocol: `_nb1010_protocol`.

Capture follows the libfprint state machine. The device does not trigger itself: the driver
polls its finger level every 50 ms (so `cancel()` takes effect within one poll) and, once a
finger covers the sensor, asks for the image and reads it in 90 packets. Like libfprint, the
capture treats the finger as lifted once the image has arrived (polling for the lift would be
possible, but the real recording the driver is tested against does not do it). A manual
`trigger()` takes the image at the next poll even if the finger covers the sensor only partly.
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
from drivers.usb import _nb1010_protocol as proto
from drivers.usb._capture_guard import guarded_capture
from drivers.usb.transport import TransportError, UsbTransport

log = logging.getLogger(__name__)

_TIMEOUT_MS = 500  # libfprint's timeout for every transfer


class Nb1010Scanner(Scanner):
    def __init__(self, info: DeviceInfo, transport: UsbTransport, finger_timeout_s: float = 60.0) -> None:
        self._info = info
        self._transport = transport
        self._finger_timeout_s = finger_timeout_s
        self._cancel = threading.Event()
        self._trigger = threading.Event()

    def info(self) -> DeviceInfo:
        return self._info

    def open(self) -> None:
        if self._transport.is_open:
            return
        try:
            self._transport.open()  # the sensor needs no initialisation: each capture asks for itself
        except TransportError as exc:
            self._transport.close()
            raise ScannerUnavailable(f"{self._info.model}: {exc}") from exc

    def close(self) -> None:
        self._transport.close()

    def cancel(self) -> None:
        self._cancel.set()

    def trigger(self) -> None:
        self._trigger.set()

    def capture(self, mode: CaptureMode, finger_positions: Sequence[FingerPosition]) -> Iterator[Event]:
        self._cancel.clear()
        self._trigger.clear()
        yield from guarded_capture(
            self._info, self._transport.is_open, mode, self._capture(mode, tuple(finger_positions)), "answer"
        )

    def _capture(self, mode: CaptureMode, positions: tuple[FingerPosition, ...]) -> Iterator[Event]:
        yield StateChanged(ScannerState.AWAIT_FINGER_ON)
        yield FingerStatusChanged(FingerStatus.NONE)
        deadline = time.monotonic() + self._finger_timeout_s
        status = FingerStatus.NONE
        while True:
            level = self._finger_level()
            if level > proto.FINGER_THRESHOLD or self._trigger.is_set():
                break
            # Some contact, not enough: tell the person to press.
            now_status = FingerStatus.TOO_LIGHT if level > 0 else FingerStatus.NONE
            if now_status is not status:
                status = now_status
                yield FingerStatusChanged(status, finger_count=1 if level else None)
            if time.monotonic() > deadline:
                yield ScannerError(
                    f"no finger was placed on the {self._info.model} within {self._finger_timeout_s:.0f} s",
                    retryable=True,
                )
                yield StateChanged(ScannerState.IDLE)
                return
            if self._cancel.wait(proto.POLL_INTERVAL_S):
                yield StateChanged(ScannerState.IDLE)
                return
        yield StateChanged(ScannerState.CAPTURE)
        yield FingerStatusChanged(FingerStatus.PRESENT, finger_count=1)
        self._command(proto.PRECAPTURE, proto.STATUS_ANSWER, "preparing the capture")
        self._command(proto.CAPTURE, proto.STATUS_ANSWER, "starting the capture")
        image = np.empty((proto.HEIGHT, proto.WIDTH), dtype=np.uint8)
        for index in range(proto.PACKETS):
            data = self._transport.read(proto.EP_IN, proto.PACKET_LENGTH, _TIMEOUT_MS, "reading the image")
            rows = slice(index * proto.ROWS_PER_PACKET, (index + 1) * proto.ROWS_PER_PACKET)
            image[rows] = proto.decode_packet(index, data)
        read_at = time.monotonic()
        yield PreviewFrame(image=image, ppi=proto.PPI, timestamp=read_at)
        yield StateChanged(ScannerState.AWAIT_FINGER_OFF)
        yield CaptureResult(
            image=image,
            ppi=proto.PPI,
            mode=mode,
            finger_positions=positions,
            timestamp=read_at,
            metadata={"device": self._info.id, "finger_level": level},
        )
        yield FingerStatusChanged(FingerStatus.NONE)
        yield StateChanged(ScannerState.IDLE)

    def _finger_level(self) -> int:
        self._transport.write(proto.EP_OUT, proto.FINGER_LEVEL, _TIMEOUT_MS, "asking for the finger level")
        data = self._transport.read(proto.EP_IN, proto.ANSWER_LENGTH, _TIMEOUT_MS, "reading the finger level")
        return proto.finger_level(data)

    def _command(self, command: bytes, kind: int, what: str) -> bytes:
        self._transport.write(proto.EP_OUT, command, _TIMEOUT_MS, what)
        data = self._transport.read(proto.EP_IN, proto.ANSWER_LENGTH, _TIMEOUT_MS, what)
        proto.check_answer(data, kind, command)
        return data
