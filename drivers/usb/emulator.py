"""Emulated USB fingerprint sensors: the device side of their protocols, as pyusb backends.

Each emulator is a `usb.backend.IBackend`, so `usb.core.find(backend=emulator)` finds a device
with the real sensor's descriptors and the unmodified driver talks to it. Fingers come from the
synthetic fingerprint generator (`matcher.synth`) or any image source you give it, rendered the
way the sensor would see them (resolution, field of view, grey-level response: `drivers._look`).

`SensorEmulator` holds what every emulated sensor shares: the tester's hand (place and lift a
finger, or fingers that arrive by themselves), the cable (unplug, replug) and scripted faults.
The protocol of each device lives in its subclass: `Aes3500Emulator` here, `Nb1010Emulator` in
`_nb1010_emulator`, `UpektcEmulator` in `_upektc_emulator`.

The AES3500 emulator rejects what the real device rejects or ignores:
- a bulk OUT that is not whole (register, value) pairs, has more than 16 pairs, or names a
  register outside the writable block 0x80..0x9F: the endpoint stalls (EPIPE);
- an image read shorter than the 0x2089 bytes the device always sends: overflow (EOVERFLOW);
- an image read before the sensor was reset, configured with the calibrated values and armed:
  the sensor never triggers, so the read times out, as on hardware;
- a transfer on any other endpoint: stall.
"""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

from drivers import _look
from drivers.usb import _aes3500_protocol as proto
from drivers.usb._backend import DescribedBackend, usb_error

#: An image source: capture number -> (image, ppi). Images are dark ridges on light.
ImageSource = Callable[[int], tuple[np.ndarray, float]]

FAULTS = ("stall", "timeout", "busy", "denied", "corrupt")
_CALIBRATED = dict(pair for group in proto.INIT_WRITES for pair in group if pair[0] >= 0x82)
_NO_TIMEOUT_CAP_S = 3600.0


def synth_source(subject_id: int = 1, finger: int = 2) -> ImageSource:
    """Plain impressions of one synthetic finger as an AES3500 takes them, a new one (seed) per capture.

    The generator's `aes3500` profile already renders the sensor's 128 x 128 frame (the part of the
    finger on the sensor, its 16 grey levels and readout seams), so its pixels are handed over as
    the sensor's own, unscaled.
    """

    def source(capture_number: int) -> tuple[np.ndarray, float]:
        from matcher import synth  # lazy: heavy, and only needed once a finger is placed

        impression = synth.impression(subject_id, finger, seed=capture_number, kind="plain", sensor="aes3500")
        return impression.image, proto.PPI

    return source


def field_of_view(image: np.ndarray, ppi: float, sensor_ppi: float, shape: tuple[int, int]) -> np.ndarray:
    """The part of a finger image (dark ridges on light) a sensor of this resolution and size sees.

    The finger is centred on the sensor; where it does not reach, the sensor sees no contact.
    """
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError("finger image must be a 2-D uint8 array")
    scale = sensor_ppi / ppi
    if abs(scale - 1.0) > 1e-6:
        size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    rows, cols = shape
    canvas = np.full(shape, 255, dtype=np.uint8)
    h, w = image.shape
    sy, sx = max(0, (h - rows) // 2), max(0, (w - cols) // 2)
    crop = image[sy : sy + rows, sx : sx + cols]
    oy, ox = (rows - crop.shape[0]) // 2, (cols - crop.shape[1]) // 2
    canvas[oy : oy + crop.shape[0], ox : ox + crop.shape[1]] = crop
    return canvas


def bar_target(pitch_mm: float, ppi: float, shape: tuple[int, int]) -> np.ndarray:
    """Vertical bars, `pitch_mm` per bar pair, as a sensor of this resolution sees them."""
    if pitch_mm <= 0:
        raise ValueError("the bar pitch must be positive")
    period_px = pitch_mm * ppi / 25.4
    x = np.arange(shape[1], dtype=np.float64)
    row = 128.0 + 110.0 * np.sin(2.0 * np.pi * x / period_px)
    return np.tile(np.clip(np.rint(row), 0, 255).astype(np.uint8), (shape[0], 1))


def render(
    image: np.ndarray, ppi: float, seed: int = 0, look: _look.Look | None = _look.AES3500
) -> np.ndarray:
    """What the 128x128, 500-ppi AES3500 reports for a finger image: raw 4-bit levels."""
    seen = field_of_view(image, ppi, proto.PPI, (proto.WIDTH, proto.WIDTH))
    if look is not None:
        seen = _look.render(seen, look, np.random.default_rng(seed))
    return proto.from_user_image(seen)


class SensorEmulator(DescribedBackend):
    """The control side every emulated sensor shares; subclasses speak the device's protocol.

    Subclasses set `model`, `descriptors` and `strings`, and implement `_render(image, ppi, seed)` (a finger image as the device's raw
    representation) and `_target(pitch_mm)` (a bar target image at the device's resolution).
    The tester's hand and the faults are thread-safe.
    """

    model = "sensor"
    descriptors: bytes = b""  # the device's USB descriptors, set by each sensor
    strings: dict[int, str] = {}  # its USB string descriptors by index

    def __init__(
        self,
        image_source: ImageSource | None = None,
        *,
        bus: int = 0,
        address: int = 1,
        auto_finger: bool = False,
        auto_delay_s: float = 0.05,
    ) -> None:
        super().__init__(self.descriptors, bus=bus, address=address, strings=dict(self.strings))
        self.set_serial(f"EMU-{self.model.upper()}-{address:04d}")
        self._source = image_source or synth_source()
        self.auto_finger = auto_finger
        self.auto_delay_s = auto_delay_s
        self._cond = threading.Condition(self._lock)
        self._finger: np.ndarray | None = None  # the device's raw image while a finger is on it
        self._faults: list[str] = []
        self._slow_s = 0.0
        self._captures = 0

    # --- hooks ------------------------------------------------------------------------------
    def _render(self, image: np.ndarray, ppi: float, seed: int, look: bool = True) -> np.ndarray:
        raise NotImplementedError

    def _target_image(self, pitch_mm: float) -> tuple[np.ndarray, float]:
        raise NotImplementedError

    # --- control: the tester's hand and scripted faults ---------------------------------------
    def place_finger(self, image: np.ndarray | None = None, ppi: float = 500.0) -> None:
        """Put a finger on the sensor: this image, or the next one from the image source."""
        if image is None:
            image, ppi = self._source(self._captures)
        raw = self._render(image, ppi, self._captures)
        with self._cond:
            self._finger = raw
            self._cond.notify_all()

    def place_target(self, pitch_mm: float = 1.0) -> None:
        """Put a bar target (vertical bars, `pitch_mm` per cycle) on the sensor, for geometry checks."""
        image, ppi = self._target_image(pitch_mm)
        raw = self._render(image, ppi, self._captures, look=False)
        with self._cond:
            self._finger = raw
            self._cond.notify_all()

    def lift_finger(self) -> None:
        with self._cond:
            self._finger = None

    def unplug(self) -> None:
        with self._cond:
            self.connected = False
            self._on_unplug()
            self._cond.notify_all()

    def _on_unplug(self) -> None:
        """Forget the device's state (it loses power)."""

    def replug(self) -> None:
        with self._cond:
            self.connected = True

    def inject(self, fault: str) -> None:
        """Make the next matching operation fail: stall or timeout (next transfer), busy or
        denied (next open), corrupt (next image has a damaged frame)."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose one of {', '.join(FAULTS)}")
        with self._cond:
            self._faults.append(fault)

    def set_slow(self, seconds: float) -> None:
        """Delay every image read by this long (a sluggish sensor or a busy hub)."""
        self._slow_s = max(0.0, seconds)

    @property
    def captures(self) -> int:
        return self._captures

    # --- device side helpers ------------------------------------------------------------------
    def _take_fault(self, *kinds: str) -> str | None:
        for kind in kinds:
            if kind in self._faults:
                self._faults.remove(kind)
                return kind
        return None

    def _check_open(self) -> None:
        if self._take_fault("denied"):
            raise usb_error(errno.EACCES)

    def claim_interface(self, dev_handle: object, intf: int) -> None:
        with self._cond:
            if self._take_fault("busy"):  # another program holds the interface
                raise usb_error(errno.EBUSY)
        super().claim_interface(dev_handle, intf)

    def _auto_place(self) -> None:
        """The automatic finger lands (call with the lock held)."""
        image, ppi = self._source(self._captures)
        self._finger = self._render(image, ppi, self._captures)

    def _wait_for_finger(self, timeout_ms: int, ready: Callable[[], bool], since: float) -> bool:
        """Wait (lock held) until a finger is on and `ready()`; automatic fingers land
        `auto_delay_s` after `since`. False on timeout; raises ENODEV if unplugged."""
        deadline = time.monotonic() + (timeout_ms / 1000.0 if timeout_ms else _NO_TIMEOUT_CAP_S)
        auto_at = since + self.auto_delay_s
        while True:
            self._require_connected()
            if ready() and self._finger is not None:
                return True
            now = time.monotonic()
            if now >= deadline:
                return False
            if self.auto_finger and ready() and self._finger is None and now >= auto_at:
                self._auto_place()
                continue
            wait_until = min(deadline, auto_at) if self.auto_finger and now < auto_at else deadline
            self._cond.wait(max(0.001, wait_until - now))


class Aes3500Emulator(SensorEmulator):
    model = "aes3500"
    descriptors = proto.DESCRIPTORS
    strings = {1: "Fingerprint Sensor"}

    def __init__(self, image_source: ImageSource | None = None, **options: Any) -> None:
        # options: bus, address, auto_finger, auto_delay_s (see SensorEmulator)
        super().__init__(image_source, **options)
        self._registers: dict[int, int] = {}
        self._reset_seen = False
        self._armed = False
        self._armed_at = 0.0
        self.writes: list[bytes] = []  # every accepted OUT payload, for tests and diagnostics

    def _render(self, image: np.ndarray, ppi: float, seed: int, look: bool = True) -> np.ndarray:
        return render(image, ppi, seed, _look.AES3500 if look else None)

    def _target_image(self, pitch_mm: float) -> tuple[np.ndarray, float]:
        return bar_target(pitch_mm, proto.PPI, (proto.WIDTH, proto.WIDTH)), proto.PPI

    def _on_unplug(self) -> None:
        self._armed = False
        self._registers.clear()
        self._reset_seen = False

    # --- device side --------------------------------------------------------------------------
    def _write(self, endpoint: int, data: bytes, timeout: int) -> int:
        with self._cond:
            self._require_connected()
            fault = self._take_fault("stall", "timeout")
            if fault == "stall" or endpoint != proto.EP_OUT:
                raise usb_error(errno.EPIPE)
            if fault == "timeout":
                raise usb_error(errno.ETIMEDOUT)
            if not data or len(data) % 2 or len(data) > 2 * proto.MAX_PAIRS_PER_WRITE:
                raise usb_error(errno.EPIPE)
            pairs = [(data[i], data[i + 1]) for i in range(0, len(data), 2)]
            if any(not 0x80 <= reg <= 0x9F for reg, _ in pairs):
                raise usb_error(errno.EPIPE)
            for reg, value in pairs:
                self._apply(reg, value)
            self.writes.append(data)
            return len(data)

    def _apply(self, reg: int, value: int) -> None:
        if reg == 0x80 and value & 0x01:  # master reset: every register back to zero
            self._registers.clear()
            self._reset_seen = True
            self._armed = False
            return
        self._registers[reg] = value
        if reg == 0x81 and value & 0x04:
            calibrated = all(self._registers.get(r) == v for r, v in _CALIBRATED.items())
            # An unreset or uncalibrated sensor never detects a finger: the read times out.
            self._armed = self._reset_seen and calibrated
            self._armed_at = time.monotonic()

    def _read(self, endpoint: int, size: int, timeout: int) -> bytes:
        with self._cond:
            self._require_connected()
            fault = self._take_fault("stall", "timeout")
            if fault == "stall" or endpoint != proto.EP_IN:
                raise usb_error(errno.EPIPE)
            if size < proto.DATA_LENGTH:
                raise usb_error(errno.EOVERFLOW)
            # The automatic finger lands a moment after arming, however the host slices its reads.
            armed = (lambda: self._armed) if fault != "timeout" else (lambda: False)
            if not self._wait_for_finger(timeout, armed, self._armed_at):
                raise usb_error(errno.ETIMEDOUT)
            raw = self._finger
            self._armed = False
            self._captures += 1
            if self.auto_finger:
                self._finger = None  # the next capture presents the next impression
            corrupt = self._take_fault("corrupt") is not None
        if self._slow_s:
            time.sleep(self._slow_s)
        frames = bytearray(proto.encode_image(raw))
        if corrupt:
            frames[proto.FRAME_BYTES] ^= 0xFF
        registers = {
            r: self._registers.get(r, 0) for r in range(proto.FIRST_REGISTER, proto.LAST_REGISTER + 1)
        }
        return bytes(frames) + proto.encode_readback(registers)


#: The emulators `--emulate NAME` and BOOKING_STATION_EMULATE can plug in, by name.
EMULATORS: dict[str, str] = {
    "aes3500": "drivers.usb.emulator:Aes3500Emulator",
    "nb1010": "drivers.usb._nb1010_emulator:Nb1010Emulator",
    "upektc_img": "drivers.usb._upektc_emulator:UpektcEmulator",
}

_shared: dict[str, SensorEmulator] = {}
_shared_lock = threading.Lock()


def shared(name: str = "aes3500") -> SensorEmulator:
    """The process-wide emulator that `--emulate NAME` and BOOKING_STATION_EMULATE plug in.

    It presents a finger by itself at every capture (synthetic subject 1, right index finger,
    a new impression each time), so a person without hardware can try every tool. Each emulator
    sits at its own address, so several can be plugged in at once.
    """
    if name not in EMULATORS:
        raise ValueError(f"no emulator named {name!r}; available: {', '.join(EMULATORS)}")
    with _shared_lock:
        if name not in _shared:
            import importlib

            module, _, cls = EMULATORS[name].partition(":")
            emulator_class = getattr(importlib.import_module(module), cls)
            address = 1 + list(EMULATORS).index(name)
            _shared[name] = emulator_class(auto_finger=True, auto_delay_s=0.3, address=address)
        return _shared[name]
