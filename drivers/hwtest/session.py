"""Running captures on any scanner for the tester tools: one capture, or a timed preview."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from drivers.api import (
    CaptureMode,
    CaptureResult,
    Event,
    FingerPosition,
    FingerStatus,
    FingerStatusChanged,
    PreviewFrame,
    Scanner,
    ScannerError,
)


class CaptureFailed(Exception):
    """The scanner reported an error; the message is the scanner's."""

    def __init__(self, error: ScannerError) -> None:
        super().__init__(error.message)
        self.error = error


def capture_once(
    scanner: Scanner,
    mode: CaptureMode,
    positions: Sequence[FingerPosition] = (),
    on_event: Callable[[Event], None] | None = None,
) -> CaptureResult:
    """Run one capture on an open scanner; its result, or CaptureFailed with the scanner's message."""
    result: CaptureResult | None = None
    for event in scanner.capture(mode, positions):
        if on_event is not None:
            on_event(event)
        if isinstance(event, ScannerError):
            raise CaptureFailed(event)
        if isinstance(event, CaptureResult):
            result = event
    if result is None:
        raise CaptureFailed(ScannerError("the capture ended without an image", retryable=True))
    return result


#: The current frame rate is measured over the frames of the last second: what the tester sees
#: now (a stall, a slow sensor) rather than an average since the start that hides it.
RATE_WINDOW_S = 1.0


@dataclass
class PreviewStats:
    seconds: float = 0.0
    frames: int = 0
    captures: int = 0
    latencies_ms: list[float] = field(default_factory=list)  # frame read -> frame handed to us
    finger_status: FingerStatus = FingerStatus.NONE  # as it was when the last frame came
    finger_count: int | None = None
    errors: list[str] = field(default_factory=list)
    _recent: deque[float] = field(default_factory=deque, repr=False)  # arrival times, last window

    def add_frame(self, arrived: float, read_at: float, since_start: float) -> None:
        self.frames += 1
        self.latencies_ms.append(max(0.0, (arrived - read_at) * 1000.0))
        self.seconds = since_start
        self._recent.append(arrived)
        while self._recent and self._recent[0] < arrived - RATE_WINDOW_S:
            self._recent.popleft()

    @property
    def frame_rate(self) -> float:
        """Frames per second since the preview started."""
        return self.frames / self.seconds if self.seconds > 0 else 0.0

    @property
    def current_frame_rate(self) -> float:
        """Frames per second over the last second (frame intervals within the window)."""
        if len(self._recent) < 2:
            return 0.0
        return (len(self._recent) - 1) / max(self._recent[-1] - self._recent[0], 1e-9)

    @property
    def mean_latency_ms(self) -> float | None:
        return sum(self.latencies_ms) / len(self.latencies_ms) if self.latencies_ms else None

    @property
    def last_latency_ms(self) -> float | None:
        return self.latencies_ms[-1] if self.latencies_ms else None

    def as_dict(self) -> dict:
        def ms(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return {
            "seconds": round(self.seconds, 3),
            "frames": self.frames,
            "captures": self.captures,
            "frame_rate": round(self.frame_rate, 2),
            "current_frame_rate": round(self.current_frame_rate, 2),
            "mean_latency_ms": ms(self.mean_latency_ms),
            "last_latency_ms": ms(self.last_latency_ms),
            "finger_status": self.finger_status.value,
            "finger_count": self.finger_count,
            "errors": self.errors,
        }


def preview(
    scanner: Scanner,
    mode: CaptureMode,
    seconds: float,
    on_frame: Callable[[PreviewFrame, PreviewStats], None] | None = None,
    max_errors: int = 3,
    stop: threading.Event | None = None,
) -> PreviewStats:
    """Capture again and again on an open scanner for `seconds`, counting frames and timing them.

    Stops early when `stop` is set, after `max_errors` scanner errors, or at once if the device
    has gone.
    """
    stop = stop or threading.Event()
    stats = PreviewStats()
    status, count = FingerStatus.NONE, None
    start = time.monotonic()
    end = start + seconds
    while time.monotonic() < end and len(stats.errors) < max_errors and not stop.is_set():
        for event in scanner.capture(mode, ()):
            now = time.monotonic()
            if isinstance(event, PreviewFrame):
                stats.add_frame(now, event.timestamp, now - start)
                stats.finger_status, stats.finger_count = status, count
                if on_frame is not None:
                    on_frame(event, stats)
            elif isinstance(event, FingerStatusChanged):
                status, count = event.status, event.finger_count
            elif isinstance(event, CaptureResult):
                stats.captures += 1
            elif isinstance(event, ScannerError):
                stats.errors.append(event.message)
                if event.device_gone:
                    stats.seconds = time.monotonic() - start
                    return stats
            if now >= end or stop.is_set():
                scanner.cancel()
    stats.seconds = time.monotonic() - start
    return stats
