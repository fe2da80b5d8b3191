"""The scanner API every device implements: the virtual scanner, USB drivers, vendor-SDK adapters.

A capture is the libfprint state machine run in Python:

    idle -> await finger on -> capture -> await finger off -> idle

`Scanner.capture()` is a generator of events. It is meant to run in a worker thread: the
caller iterates, forwarding events to the UI, and may call `cancel()` or `trigger()` from
any other thread. A capture ends after a `CaptureResult` (once the finger is lifted),
after a `ScannerError`, or when cancelled. Images are the project's one image type: a 2-D
`numpy.uint8` array, dark ridges on a light background, with its resolution in ppi.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from booking_station import fingers
from booking_station.fingers import FingerPosition  # the project's one FGP vocabulary, re-exported


class CaptureMode(enum.Enum):
    ROLLED = "rolled"
    PLAIN = "plain"
    RIGHT_SLAP = "right-slap"
    LEFT_SLAP = "left-slap"
    TWO_THUMBS = "two-thumbs"


#: The fingers a slap or thumbs capture is expected to hold, in left-to-right image order.
EXPECTED_FINGERS: dict[CaptureMode, tuple[FingerPosition, ...]] = {
    mode: tuple(FingerPosition(f) for f in fingers.SLAP_FINGERS[fgp])
    for mode, fgp in (
        (CaptureMode.RIGHT_SLAP, fingers.RIGHT_SLAP),
        (CaptureMode.LEFT_SLAP, fingers.LEFT_SLAP),
        (CaptureMode.TWO_THUMBS, fingers.THUMBS),
    )
}


class ScannerState(enum.Enum):
    IDLE = "idle"
    AWAIT_FINGER_ON = "await-finger-on"
    CAPTURE = "capture"
    AWAIT_FINGER_OFF = "await-finger-off"


class FingerStatus(enum.Enum):
    NONE = "none"
    PRESENT = "present"
    TOO_LIGHT = "too-light"
    TOO_DARK = "too-dark"
    OFF_CENTRE = "off-centre"
    WRONG_FINGER_COUNT = "wrong-finger-count"


@dataclass(frozen=True)
class DeviceInfo:
    id: str  # stable id used by `open_device()` and `--device`, e.g. "virtual" or "usb:08ff:5731:3-4"
    vendor: str
    model: str
    serial: str
    driver: str
    ppi: float
    platen_mm: tuple[float, float]  # width, height
    modes: tuple[CaptureMode, ...]
    usb_id: str | None = None  # "vvvv:pppp" for USB devices
    problem: str | None = None  # e.g. a permissions problem, with the fix
    # The virtual scanner's person at the platen, and whether anyone chose them (a demo's first
    # prints must not silently come from subject 1). None for real devices.
    subject: int | None = None
    subject_chosen: bool = True


@dataclass(frozen=True)
class StateChanged:
    state: ScannerState


@dataclass(frozen=True)
class FingerStatusChanged:
    status: FingerStatus
    finger_count: int | None = None  # fingers seen on the platen, where the device knows


@dataclass(frozen=True)
class PreviewFrame:
    image: np.ndarray
    ppi: float
    timestamp: float  # time.monotonic() when the frame was read


@dataclass(frozen=True)
class CaptureResult:
    image: np.ndarray
    ppi: float
    mode: CaptureMode
    finger_positions: tuple[FingerPosition, ...]
    timestamp: float
    # Driver-specific facts, e.g. the virtual scanner's ground truth.
    metadata: dict = field(default_factory=dict)


#: `ScannerError.code` values a workflow can act on without reading the message.
FINGER_MISSING = "finger-missing"  # the person has no such finger (amputated): record it, do not retry
WRONG_FINGER_COUNT = "wrong-finger-count"  # the count on the platen never matched what was asked


@dataclass(frozen=True)
class ScannerError:
    message: str
    retryable: bool
    device_gone: bool = False
    code: str | None = None  # FINGER_MISSING, WRONG_FINGER_COUNT, or None
    fingers: tuple[int, ...] = ()  # the FGP codes the code is about (e.g. the missing finger)


Event = StateChanged | FingerStatusChanged | PreviewFrame | CaptureResult | ScannerError


class ScannerUnavailable(Exception):
    """The device cannot be opened or has gone (unplugged, busy, no permission); the message says which."""


class Scanner(abc.ABC):
    """One fingerprint scanner. Open it, run captures, close it."""

    @abc.abstractmethod
    def info(self) -> DeviceInfo: ...

    @abc.abstractmethod
    def open(self) -> None:
        """Claim the device. Raises ScannerUnavailable with a message naming the problem."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the device; safe to call twice."""

    @abc.abstractmethod
    def capture(self, mode: CaptureMode, finger_positions: Sequence[FingerPosition]) -> Iterator[Event]:
        """Run one capture through the state machine, yielding events until it ends."""

    @abc.abstractmethod
    def cancel(self) -> None:
        """End the capture in progress (thread-safe); the generator finishes promptly."""

    @abc.abstractmethod
    def trigger(self) -> None:
        """Take the image now (the clerk's manual-capture key), thread-safe."""

    def __enter__(self) -> Scanner:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
