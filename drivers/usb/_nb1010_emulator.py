"""An emulated NEXT Biometrics NB-1010-U: the device side of `_nb1010_protocol`, as a pyusb backend.

It answers what the real device answers and rejects the rest: a command that is not one of the
three known ones (or whose length byte is wrong) stalls the OUT endpoint; a read on another
endpoint stalls; a read with no answer pending times out; a read shorter than the pending
answer overflows. The finger level is 0xf7 while a finger is on the sensor and 0 otherwise.
"""

from __future__ import annotations

import errno
import time
from collections import deque
from typing import Any

import numpy as np

from drivers import _look
from drivers.usb import _nb1010_protocol as proto
from drivers.usb._backend import usb_error
from drivers.usb.emulator import ImageSource, SensorEmulator, bar_target, field_of_view

_FINGER_ON_LEVEL = 0xF7  # what the recorded device reported for a finger
_CAPTURE_STATUS = 0x03  # byte 12 of the recorded answer to the capture command


def render(
    image: np.ndarray, ppi: float, seed: int = 0, look: _look.Look | None = _look.NB1010
) -> np.ndarray:
    """What the 256 x 180, 385-ppi sensor reports for a finger image (its raw 8-bit image)."""
    seen = field_of_view(image, ppi, proto.PPI, (proto.HEIGHT, proto.WIDTH))
    return seen if look is None else _look.render(seen, look, np.random.default_rng(seed))


class Nb1010Emulator(SensorEmulator):
    model = "nb1010"
    descriptors = proto.DESCRIPTORS
    strings = {1: "NEXT Biometrics", 2: "NB-1010-U"}

    def __init__(self, image_source: ImageSource | None = None, **options: Any) -> None:
        # options: bus, address, auto_finger, auto_delay_s (see SensorEmulator)
        super().__init__(image_source, **options)
        self._answers: deque[bytes] = deque()
        self._waiting_since: float | None = None  # first finger-level poll of this capture
        self.commands: list[bytes] = []  # every accepted command, for tests and diagnostics

    def _render(self, image: np.ndarray, ppi: float, seed: int, look: bool = True) -> np.ndarray:
        return render(image, ppi, seed, _look.NB1010 if look else None)

    def _target_image(self, pitch_mm: float) -> tuple[np.ndarray, float]:
        return bar_target(pitch_mm, proto.PPI, (proto.HEIGHT, proto.WIDTH)), proto.PPI

    def _on_unplug(self) -> None:
        self._answers.clear()
        self._waiting_since = None

    # --- device side --------------------------------------------------------------------------
    def _write(self, endpoint: int, data: bytes, timeout: int) -> int:
        with self._cond:
            self._require_connected()
            fault = self._take_fault("stall", "timeout")
            if fault == "stall" or endpoint != proto.EP_OUT:
                raise usb_error(errno.EPIPE)
            if fault == "timeout":
                raise usb_error(errno.ETIMEDOUT)
            known = {proto.FINGER_LEVEL[1]: proto.FINGER_LEVEL, proto.PRECAPTURE[1]: proto.PRECAPTURE}
            known[proto.CAPTURE[1]] = proto.CAPTURE
            if len(data) < 8 or data[0] != 0x80 or data[1] not in known or data[4] != len(data):
                raise usb_error(errno.EPIPE)
            if len(data) != len(known[data[1]]):
                raise usb_error(errno.EPIPE)
            self.commands.append(bytes(data))
            if data[1] == proto.FINGER_LEVEL[1]:
                self._answer_level(data)
            elif data[1] == proto.PRECAPTURE[1]:
                self._answers.append(proto.answer(proto.STATUS_ANSWER, data))
            else:
                self._start_capture(data)
            self._cond.notify_all()
            return len(data)

    def _answer_level(self, command: bytes) -> None:
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        if self.auto_finger and self._finger is None and now >= self._waiting_since + self.auto_delay_s:
            self._auto_place()
        level = _FINGER_ON_LEVEL if self._finger is not None else 0
        self._answers.append(proto.answer(proto.LEVEL_ANSWER, command, level))

    def _start_capture(self, command: bytes) -> None:
        self._answers.append(proto.answer(proto.STATUS_ANSWER, command, _CAPTURE_STATUS))
        # An empty sensor reads as its background.
        image = (
            self._finger if self._finger is not None else np.full((proto.HEIGHT, proto.WIDTH), 229, np.uint8)
        )
        corrupt = self._take_fault("corrupt") is not None
        for index in range(proto.PACKETS):
            packet = proto.encode_packet(index, image[2 * index : 2 * index + 2])
            if corrupt and index == 7:
                packet = packet[:16] + bytes(4) + packet[20:]  # a packet that names the wrong row
            self._answers.append(packet)
        self._captures += 1
        self._waiting_since = None
        if self.auto_finger:
            self._finger = None  # the next capture presents the next impression

    def _read(self, endpoint: int, size: int, timeout: int) -> bytes:
        deadline = time.monotonic() + timeout / 1000.0 if timeout else None
        with self._cond:
            self._require_connected()
            fault = self._take_fault("stall", "timeout")
            if fault == "stall" or endpoint != proto.EP_IN:
                raise usb_error(errno.EPIPE)
            while fault == "timeout" or not self._answers:
                remaining = None if deadline is None else deadline - time.monotonic()
                if fault == "timeout" or (remaining is not None and remaining <= 0):
                    raise usb_error(errno.ETIMEDOUT)
                self._cond.wait(remaining)
                self._require_connected()
            if size < len(self._answers[0]):
                raise usb_error(errno.EOVERFLOW)
            answer = self._answers.popleft()
        if self._slow_s and len(answer) == proto.PACKET_LENGTH:
            time.sleep(self._slow_s / proto.PACKETS)
        return answer
