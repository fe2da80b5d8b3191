"""An emulated UPEK TouchChip coprocessor: the device side of `_upektc_protocol`, as a pyusb backend.

It plays the coprocessor's half of a session in the order the real one does: the version answer
to the wake-up request, answers to the set-up messages, then a status (no finger), an event when
the finger arrives, a status (finger), and the image in frames, each sent after the host's
acknowledgement of the previous message; the closing message ends the session. Messages with a
bad CRC, unknown messages and messages out of turn stall the OUT endpoint; a read with nothing to
send times out (as while the real device waits for a finger).
"""

from __future__ import annotations

import errno
import time
from collections import deque
from typing import Any

import numpy as np

from drivers import _look
from drivers.usb import _upektc_protocol as proto
from drivers.usb._backend import usb_error
from drivers.usb.emulator import ImageSource, SensorEmulator, bar_target, field_of_view

_VERSION = (0x03, b"\x0110.5")  # what the recorded coprocessor answered to the wake-up request
_SETUP_ANSWER = (0x05, b"\x00")
_DONE_ANSWER = (0x01, b"")
_INFO_ANSWER = (0x00, bytes([0x28]) + bytes(8))
_SCAN_INFO = bytes(10)  # the first frame's scan information (not used by the host)


def render(
    image: np.ndarray, ppi: float, seed: int = 0, look: _look.Look | None = _look.UPEKTC
) -> np.ndarray:
    """The 144 x 384 image the coprocessor assembles from a finger swiped over its 508-ppi strip."""
    seen = field_of_view(image, ppi, proto.PPI, (proto.HEIGHT, proto.WIDTH))
    return seen if look is None else _look.render(seen, look, np.random.default_rng(seed))


def frames(image: np.ndarray) -> list[tuple[int, bytes]]:
    """The image as the coprocessor sends it: (type, body) of the first, middle and last frames."""
    pixels = image.astype(np.uint8).tobytes()
    first_size, size = 0x7FB - 11, 0x7FB - 1
    out = [(0x00, bytes([proto.FRAME_FIRST]) + _SCAN_INFO + pixels[:first_size])]
    rest = pixels[first_size:]
    while len(rest) > size:
        out.append((0x00, bytes([proto.FRAME]) + rest[:size]))
        rest = rest[size:]
    out.append((0x00, bytes([proto.FRAME_LAST]) + rest + bytes(4)))
    return out


class UpektcEmulator(SensorEmulator):
    model = "upektc"
    descriptors = proto.DESCRIPTORS
    strings = {1: "UPEK", 2: "Biometric Coprocessor"}

    def __init__(self, image_source: ImageSource | None = None, **options: Any) -> None:
        # options: bus, address, auto_finger, auto_delay_s (see SensorEmulator)
        super().__init__(image_source, **options)
        self._outgoing: deque[bytes] = deque()  # whole messages, padded to the first read's size
        self._sending = b""  # the rest of a long message the host is reading
        self._state = "asleep"  # asleep, awake, waiting, touched, finger, frames
        self._waiting_since = 0.0
        self._frames: deque[tuple[int, bytes]] = deque()
        self.messages: list[bytes] = []  # every accepted host message, for tests and diagnostics

    def _render(self, image: np.ndarray, ppi: float, seed: int, look: bool = True) -> np.ndarray:
        return render(image, ppi, seed, _look.UPEKTC if look else None)

    def _target_image(self, pitch_mm: float) -> tuple[np.ndarray, float]:
        return bar_target(pitch_mm, proto.PPI, (proto.HEIGHT, proto.WIDTH)), proto.PPI

    def _on_unplug(self) -> None:
        self._outgoing.clear()
        self._sending = b""
        self._state = "asleep"

    # --- device side --------------------------------------------------------------------------
    def _reply(self, message: tuple[int, bytes], seq: int) -> None:
        data = proto.encode(*message, seq)
        self._outgoing.append(data + bytes(max(0, proto.FIRST_READ - len(data))))
        self._cond.notify_all()

    def _control(self, request_type: int, request: int, value: int, index: int, data: bytes | int) -> int:
        with self._cond:
            if (request_type, request, value, index, data) != proto.WAKE:
                raise usb_error(errno.EPIPE)
            self._state = "awake"
            self._outgoing.clear()
            self._reply(_VERSION, 0)
            return len(data)

    def _write(self, endpoint: int, data: bytes, timeout: int) -> int:
        with self._cond:
            self._require_connected()
            fault = self._take_fault("stall", "timeout")
            if fault == "stall" or endpoint != proto.EP_OUT:
                raise usb_error(errno.EPIPE)
            if fault == "timeout":
                raise usb_error(errno.ETIMEDOUT)
            try:
                message = proto.decode(data)
            except ValueError:
                raise usb_error(errno.EPIPE) from None
            self._receive((message.kind, message.body), message.seq)
            self.messages.append(bytes(data))
            return len(data)

    def _receive(self, message: tuple[int, bytes], seq: int) -> None:
        """The coprocessor's answer to one host message; EPIPE for one out of turn or unknown."""
        state = self._state
        if state == "asleep":
            raise usb_error(errno.EPIPE)  # not woken by the control request
        if message in (proto.SETUP_1, proto.SETUP_3):
            self._reply(_SETUP_ANSWER, 0)
        elif message == proto.CLOSE:  # also the second set-up message: it closes nothing while awake
            self._state = "awake" if state == "awake" else "asleep"
            self._reply(_DONE_ANSWER, 0)
        elif message == proto.SETUP_4:
            self._reply(_INFO_ANSWER, seq)
        elif message == proto.START_CAPTURE and state == "awake":
            self._state, self._waiting_since = "waiting", time.monotonic()
            self._reply((0x00, self._status(proto.NO_FINGER)), seq)
        elif message == proto.ACK_STATUS and state == "waiting":
            self._state = "touched"  # the next read waits for the finger, then says so (an event)
        elif message == proto.ACK_EVENT and state == "event":
            self._state = "finger"
            self._reply((0x00, self._status(proto.FINGER)), seq)
        elif message == proto.ACK_STATUS and state == "finger":
            self._state = "frames"
            self._frames = deque(frames(self._finger))
            self._captures += 1
            if self.auto_finger:
                self._finger = None  # the next capture presents the next impression
            self._send_frame(seq)
        elif message == proto.ACK_FRAME and state == "frames" and self._frames:
            self._send_frame(seq)
        else:
            raise usb_error(errno.EPIPE)

    @staticmethod
    def _status(code: int) -> bytes:
        body = bytearray(proto.STATUS_BYTE + 6)
        body[0], body[6], body[7] = proto.STATUS, 0x20, 0x01
        body[proto.STATUS_BYTE] = code
        return bytes(body)

    def _send_frame(self, seq: int) -> None:
        kind, body = self._frames.popleft()
        if not self._frames and self._take_fault("corrupt"):
            data = proto.encode(kind, body, seq)
            self._outgoing.append(data[:-2] + bytes([data[-2] ^ 0xFF, data[-1]]))  # a CRC that does not match
            return
        self._reply((kind, body), seq)

    def _read(self, endpoint: int, size: int, timeout: int) -> bytes:
        deadline = time.monotonic() + (timeout / 1000.0 if timeout else 3600.0)
        with self._cond:
            self._require_connected()
            fault = self._take_fault("stall", "timeout")
            if fault == "stall" or endpoint != proto.EP_IN:
                raise usb_error(errno.EPIPE)
            if fault == "timeout":
                raise usb_error(errno.ETIMEDOUT)
            while not self._sending and not self._outgoing:
                if self._state == "touched" and self._wait_for_finger(
                    max(1, int((deadline - time.monotonic()) * 1000)), lambda: True, self._waiting_since
                ):
                    self._state = "event"
                    self._reply((proto.EVENT, b""), 0)
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise usb_error(errno.ETIMEDOUT)
                self._cond.wait(remaining)
                self._require_connected()
            if not self._sending:
                self._sending = self._outgoing.popleft()
            answer, self._sending = self._sending[:size], self._sending[size:]
        if self._slow_s and len(answer) > proto.FIRST_READ:
            time.sleep(self._slow_s / 28)
        return answer
