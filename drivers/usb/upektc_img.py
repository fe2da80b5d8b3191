"""Driver for the UPEK TouchChip fingerprint coprocessor (USB 147e:2016), 144 x 384, 508 ppi.

The coprocessor drives a TouchStrip swipe sensor and assembles the swiped finger into one image,
so to the station it is a single-finger device taking plain impressions. Protocol (framed,
CRC-checked messages; a running sequence number): `_upektc_protocol`.

Capture follows the libfprint state machine and the same message order as libfprint's driver,
because the coprocessor checks it: each capture activates the device (wake request, set-up
messages), asks for an acceptable finger with no time limit, acknowledges every status, event
and image frame, and closes the session after the last frame. Waiting for the finger is done in
short reads so that `cancel()` takes effect promptly; the coprocessor decides itself when the
swipe is good, so a manual `trigger()` has no effect. A failed swipe (too short, sideways) ends
the capture with a retryable error saying how to swipe.
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
from drivers.usb import _upektc_protocol as proto
from drivers.usb._capture_guard import guarded_capture
from drivers.usb.transport import TransportError, UsbTransport

log = logging.getLogger(__name__)

_TIMEOUT_MS = 4000  # libfprint's timeout for commands and answers
_POLL_MS = 250  # one slice of waiting for the finger; cancel() is seen between slices


class UpektcScanner(Scanner):
    def __init__(self, info: DeviceInfo, transport: UsbTransport, finger_timeout_s: float = 60.0) -> None:
        self._info = info
        self._transport = transport
        self._finger_timeout_s = finger_timeout_s
        self._cancel = threading.Event()
        self._seq = 0

    def info(self) -> DeviceInfo:
        return self._info

    def open(self) -> None:
        if self._transport.is_open:
            return
        try:
            self._transport.open()
        except TransportError as exc:
            self._transport.close()
            raise ScannerUnavailable(f"{self._info.model}: {exc}") from exc

    def close(self) -> None:
        self._transport.close()

    def cancel(self) -> None:
        self._cancel.set()

    def trigger(self) -> None:
        log.info(
            "the %s decides itself when a swipe is good; a manual trigger has no effect", self._info.model
        )

    def capture(self, mode: CaptureMode, finger_positions: Sequence[FingerPosition]) -> Iterator[Event]:
        self._cancel.clear()
        yield from guarded_capture(
            self._info, self._transport.is_open, mode, self._capture(mode, tuple(finger_positions)), "answer"
        )

    # --- the session ---------------------------------------------------------------------------
    def _capture(self, mode: CaptureMode, positions: tuple[FingerPosition, ...]) -> Iterator[Event]:
        self._activate()
        yield StateChanged(ScannerState.AWAIT_FINGER_ON)
        yield FingerStatusChanged(FingerStatus.NONE)
        self._send(proto.START_CAPTURE)
        deadline = time.monotonic() + self._finger_timeout_s
        pixels = bytearray()
        while True:
            message = self._receive(deadline)
            if message is None:  # cancelled or no finger in time: the session is closed
                yield from self._end_without_image(deadline)
                return
            if message.kind == proto.EVENT:
                self._send(proto.ACK_EVENT, counted=False)
                continue
            if message.kind != 0x00:
                raise ValueError(f"unexpected message type 0x{message.kind:02x}")
            if message.code == proto.STATUS:
                status = message.body[proto.STATUS_BYTE] if len(message.body) > proto.STATUS_BYTE else None
                self._send(proto.ACK_STATUS)
                if status == proto.FINGER:
                    yield StateChanged(ScannerState.CAPTURE)
                    yield FingerStatusChanged(FingerStatus.PRESENT, finger_count=1)
                elif status != proto.NO_FINGER:
                    self._receive(deadline)  # the coprocessor's last word on the failed swipe
                    self._close_session(best_effort=True)
                    yield FingerStatusChanged(FingerStatus.OFF_CENTRE, finger_count=1)
                    reason = proto.SCAN_FAILURES.get(status, f"the scan failed (status 0x{status or 0:02x})")
                    yield ScannerError(f"{reason}; swipe again", retryable=True)
                    yield StateChanged(ScannerState.IDLE)
                    return
                continue
            if message.code in (proto.FRAME_FIRST, proto.FRAME, proto.FRAME_LAST):
                pixels += proto.frame_pixels(message)
                if message.code != proto.FRAME_LAST:
                    self._send(proto.ACK_FRAME)
                    continue
                break
            raise ValueError(f"unexpected message 0x{message.code or 0:02x}")
        read_at = time.monotonic()
        self._close_session()
        if len(pixels) != proto.IMAGE_BYTES:
            raise ValueError(f"the image has {len(pixels)} pixels, expected {proto.IMAGE_BYTES}")
        image = np.frombuffer(bytes(pixels), dtype=np.uint8).reshape(proto.HEIGHT, proto.WIDTH).copy()
        yield PreviewFrame(image=image, ppi=proto.PPI, timestamp=read_at)
        yield StateChanged(ScannerState.AWAIT_FINGER_OFF)
        yield CaptureResult(
            image=image,
            ppi=proto.PPI,
            mode=mode,
            finger_positions=positions,
            timestamp=read_at,
            metadata={"device": self._info.id},
        )
        yield FingerStatusChanged(FingerStatus.NONE)
        yield StateChanged(ScannerState.IDLE)

    def _end_without_image(self, deadline: float) -> Iterator[Event]:
        self._close_session(best_effort=True)
        if not self._cancel.is_set():
            yield ScannerError(
                f"no finger was swiped on the {self._info.model} within {self._finger_timeout_s:.0f} s",
                retryable=True,
            )
        yield StateChanged(ScannerState.IDLE)

    def _activate(self) -> None:
        self._seq = 0
        request_type, request, value, index, data = proto.WAKE
        for setup in ((proto.SETUP_1, proto.SETUP_2), (proto.SETUP_3,)):
            self._transport.control_out(
                request_type, request, value, index, data, _TIMEOUT_MS, "waking the sensor"
            )
            self._receive_now()
            for message in setup:
                self._send(message, counted=False, seq=0)
                self._receive_now()
        self._send(proto.SETUP_4)
        self._receive_now()

    def _close_session(self, best_effort: bool = False) -> None:
        """End the session (the next capture activates again). Best effort after a cancel or a
        failed swipe: the capture is over either way, and the next one starts with a wake-up."""
        try:
            self._send(proto.CLOSE)
            self._receive_now()
        except TransportError as exc:
            if not best_effort or exc.kind == "gone":
                raise
            log.info("closing the %s session: %s", self._info.model, exc)

    # --- messages ------------------------------------------------------------------------------
    def _send(self, message: tuple[int, bytes], counted: bool = True, seq: int | None = None) -> None:
        kind, body = message
        number = (self._seq if counted else 0) if seq is None else seq
        self._transport.write(
            proto.EP_OUT, proto.encode(kind, body, number), _TIMEOUT_MS, "sending a command"
        )
        if counted:
            self._seq += 1

    def _receive_now(self) -> proto.Message:
        return self._read_message(_TIMEOUT_MS, "reading the sensor's answer")

    def _receive(self, deadline: float) -> proto.Message | None:
        """The next message, waiting in slices (None when cancelled or past the deadline)."""
        while True:
            if self._cancel.is_set() or time.monotonic() > deadline:
                return None
            try:
                return self._read_message(_POLL_MS, "waiting for a finger")
            except TransportError as exc:
                if exc.kind != "timeout":
                    raise

    def _read_message(self, timeout_ms: int, what: str) -> proto.Message:
        data = self._transport.read(proto.EP_IN, proto.FIRST_READ, timeout_ms, what)
        length = proto.message_length(data)
        if length > len(data):
            data += self._transport.read(proto.EP_IN, proto.REST_READ, _TIMEOUT_MS, "reading the image")
        return proto.decode(data)
