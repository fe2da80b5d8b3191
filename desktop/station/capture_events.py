"""What a capture session publishes: one small frozen dataclass per kind of change.

Views subscribe with `CaptureSession.subscribe(listener)` and redraw on these; they carry what the
view needs to show the change, never a sentence (problems are Messages).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.station.capture import Attempt, Step
from desktop.station.capture_gate import GateStatus
from desktop.station.messages import Message
from drivers.api import DeviceInfo, FingerStatusChanged, ScannerState


@dataclass(frozen=True)
class ScannerOpened:
    info: DeviceInfo


@dataclass(frozen=True)
class ScannerProblem:
    problem: Message
    gone: bool  # the device is gone: reconnect before carrying on
    retryable: bool  # e.g. fingers off-centre: the step runs again by itself


@dataclass(frozen=True)
class ScannerWaiting:
    """A booking closed mid-capture still holds the scanner; it opens here once released."""


@dataclass(frozen=True)
class CaptureStarted:
    step: Step


@dataclass(frozen=True)
class ScannerStatus:
    """The scanner's state or what it sees on the platen changed (for the guidance banner)."""

    state: ScannerState | None
    finger: FingerStatusChanged | None


@dataclass(frozen=True)
class Judging:
    step: Step
    arrived: float  # time.monotonic() when the scanner's result arrived


@dataclass(frozen=True)
class AttemptJudged:
    attempt: Attempt
    arrived: float


@dataclass(frozen=True)
class CaptureEnded:
    step: Step


@dataclass(frozen=True)
class StepsChanged:
    """Steps' states changed (an attempt, an annotation, an override, a retake)."""


@dataclass(frozen=True)
class GateChanged:
    gate: GateStatus


@dataclass(frozen=True)
class PlanComplete:
    """Every step is done: time for the review."""


@dataclass(frozen=True)
class Submitted:
    result: Message


SessionEvent = (
    ScannerOpened
    | ScannerProblem
    | ScannerWaiting
    | CaptureStarted
    | ScannerStatus
    | Judging
    | AttemptJudged
    | CaptureEnded
    | StepsChanged
    | GateChanged
    | PlanComplete
    | Submitted
)


@dataclass(frozen=True)
class Frame:
    image: np.ndarray
    ppi: float
    timestamp: float
