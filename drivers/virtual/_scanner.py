"""The virtual livescan: the libfprint capture state machine over synthetic prints.

Events of one capture, in order (see docs/virtual-scanner.md for each fault's events):
    StateChanged(AWAIT_FINGER_ON), FingerStatusChanged(NONE), empty-platen PreviewFrames
    StateChanged(CAPTURE), FingerStatusChanged(TOO_LIGHT), frames of the finger touching down
    FingerStatusChanged(PRESENT) (or WRONG_FINGER_COUNT with the count seen), frames of the press
    (rolled: the roll, nail to nail), then steady frames until auto-capture or trigger()
    StateChanged(AWAIT_FINGER_OFF), frames of the lift, FingerStatusChanged(NONE)
    StateChanged(IDLE), CaptureResult
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np

from drivers.api import (
    FINGER_MISSING,
    WRONG_FINGER_COUNT,
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
from drivers.virtual._control import Fault, Timing, VirtualControl, control

_log = logging.getLogger(__name__)
T = TypeVar("T")

DEVICE_ID = "virtual"
PPI = 500.0
_PLATEN_SEED = 20240601  # the same smudges every time the platen is dirty

INFO = DeviceInfo(
    id=DEVICE_ID,
    vendor="Booking Station",
    model="Virtual livescan (synthetic fingerprints)",
    serial="VIRTUAL-0001",
    driver="virtual",
    ppi=PPI,
    platen_mm=(81.3, 50.8),
    modes=tuple(CaptureMode),
)


def _in_this_thread(fn: Callable[..., T], /, *args: Any) -> T:
    return fn(*args)


# How a capture's synthetic print is drawn: here by default; a station runs it in its worker
# processes (`render_with`), since drawing holds the interpreter lock for up to half a second.
_prepare: Callable[..., Any] = _in_this_thread


def render_with(run: Callable[..., Any] | None) -> None:
    """Draw each capture's print with `run(fn, *args)` (e.g. in a worker process), or here (None)."""
    global _prepare
    _prepare = run or _in_this_thread


class _Abort(Exception):
    """Ends a capture early with this event (cancel, unplug)."""

    def __init__(self, event: Event | None) -> None:
        self.event = event


class VirtualScanner(Scanner):
    def __init__(self, ctl: VirtualControl | None = None, serve_socket: bool = True) -> None:
        self._control = ctl or control()
        self._serve_socket = serve_socket
        self._opened = False
        self._cancel = threading.Event()
        self._trigger = threading.Event()
        self._last_frame = 0.0
        self._due = 0.0

    @property
    def control(self) -> VirtualControl:
        return self._control

    def info(self) -> DeviceInfo:
        """The device, with who is at the platen: what the capture page shows under the preview."""
        return replace(
            INFO, subject=self._control.subject.subject_id, subject_chosen=self._control.subject_chosen
        )

    def open(self) -> None:
        if self._serve_socket:
            # First, so that an unplugged scanner can be plugged back from outside.
            from drivers.virtual._socket import serve

            serve(self._control)
        if self._control.unplugged:
            raise ScannerUnavailable(
                "the virtual scanner is unplugged; plug it back in (control().plug() or 'plug' on its control socket)"
            )
        if not self._control.subject_chosen:
            _log.warning(
                "virtual scanner: nobody chose a subject, so subject 1 is at the platen; choose one with "
                "`booking-station virtual-scanner subject N` (it is remembered for the next start)"
            )
        self._opened = True

    def close(self) -> None:
        # The control socket stays: it belongs to the process (see `_socket.serve`).
        self._opened = False
        self._cancel.set()

    def cancel(self) -> None:
        self._cancel.set()

    def trigger(self) -> None:
        self._trigger.set()

    # --- the capture -------------------------------------------------------------------
    def capture(self, mode: CaptureMode, finger_positions: Sequence[FingerPosition]) -> Iterator[Event]:
        mode = CaptureMode(mode)
        positions = tuple(int(p) for p in finger_positions)
        self._cancel.clear()
        self._trigger.clear()
        self._last_frame = 0.0
        self._due = 0.0
        if self._control.unplugged:
            self._opened = False
            yield ScannerError("the virtual scanner is unplugged", retryable=False, device_gone=True)
            return
        if not self._opened:
            yield ScannerError("the virtual scanner is not open; open it first", retryable=False)
            return
        ctl = self._control
        faults = ctl.take_faults()
        timing = ctl.timing
        if Fault.SLOW in faults:
            f = timing.slow_factor
            timing = replace(
                timing,
                fps=timing.fps / f,
                approach_s=timing.approach_s * f,
                place_s=timing.place_s * f,
                press_s=timing.press_s * f,
                roll_s=timing.roll_s * f,
                lift_s=timing.lift_s * f,
                patience_s=timing.patience_s * f,
            )
        ctl.register_active(self)
        try:
            yield from self._run(mode, positions, faults, timing)
        except _Abort as stop:
            if stop.event is not None:
                yield stop.event
        finally:
            ctl.unregister_active(self)
            ctl.reset_fingers()

    def _run(
        self, mode: CaptureMode, positions: tuple[int, ...], faults: frozenset[Fault], timing: Timing
    ) -> Iterator[Event]:
        from drivers.virtual import _frames, _scene

        ctl = self._control
        subject = ctl.subject
        seed = ctl.take_seed()
        dirty = ctl.dirty
        yield StateChanged(ScannerState.AWAIT_FINGER_ON)
        yield FingerStatusChanged(FingerStatus.NONE)
        try:
            scene, dirt = _prepare(
                _scene.prepare, mode, positions, subject, seed, faults, dirty, _PLATEN_SEED
            )
        except _scene.MissingFinger as exc:
            yield StateChanged(ScannerState.IDLE)
            yield ScannerError(
                f"{exc}: nothing can be placed (record it as amputated)",
                retryable=False,
                code=FINGER_MISSING,
                fingers=(exc.finger,),
            )
            return
        anim = _frames.Animator(scene.image, PPI, dirt, np.random.default_rng(seed))
        step = 1.0 / timing.fps

        def frames(n: int, make) -> Iterator[Event]:  # noqa: ANN001 - a frame builder
            for i in range(n):
                yield self._tick(lambda t=(i + 1) / n: make(t), anim.ppi, step)

        def count(seconds: float) -> int:
            return max(1, round(seconds * timing.fps))

        # Await finger on.
        if ctl.auto:
            yield from frames(count(timing.approach_s), lambda t: anim.empty())
        else:
            while not ctl.wait_finger_on(0):
                yield self._tick(anim.empty, anim.ppi, step)
        yield StateChanged(ScannerState.CAPTURE)
        seen = len(scene.boxes)
        count_ok = seen == len(scene.expected) or mode in (CaptureMode.ROLLED, CaptureMode.PLAIN)
        yield FingerStatusChanged(FingerStatus.TOO_LIGHT, seen)
        if mode is CaptureMode.ROLLED:
            # A rolled print starts on the nail's edge: a narrow strip at the left.
            yield from frames(count(timing.place_s), lambda t: anim.rolling(0.12 * t))
        else:
            yield from frames(count(timing.place_s), anim.touching)

        if Fault.RETRY in faults:
            yield FingerStatusChanged(FingerStatus.OFF_CENTRE, seen)
            yield from self._lift(anim, timing, step, count(timing.lift_s))
            yield ScannerError("the finger is off-centre on the platen; place it again", retryable=True)
            return
        if Fault.FATAL in faults:
            yield StateChanged(ScannerState.IDLE)
            yield ScannerError(
                "sensor failure reported by the device (scripted fatal fault)", retryable=False
            )
            return
        if Fault.UNPLUG in faults:
            ctl.unplug()
        yield FingerStatusChanged(FingerStatus.PRESENT if count_ok else FingerStatus.WRONG_FINGER_COUNT, seen)
        if mode is CaptureMode.ROLLED:
            yield from frames(count(timing.roll_s), anim.rolling)
        else:
            yield from frames(count(timing.press_s), anim.pressing)

        # Steady: auto-capture after enough good frames, or the operator's trigger.
        steady = 0
        patience = count(timing.patience_s)
        while not self._trigger.is_set():
            yield self._tick(anim.full, anim.ppi, step)
            steady += 1
            if count_ok and steady >= timing.stable_frames:
                break
            gave_up = (ctl.auto and steady >= patience) or (not ctl.auto and ctl.wait_finger_off(0))
            if not count_ok and gave_up:
                yield from self._lift(anim, timing, step, count(timing.lift_s))
                yield ScannerError(
                    f"saw {seen} finger(s) where {len(scene.expected)} were expected; place them again",
                    retryable=True,
                    code=WRONG_FINGER_COUNT,
                )
                return
        image = scene.image if dirt is None else np.clip(scene.image - dirt, 0, 255).astype(np.uint8)
        taken = time.monotonic()
        yield StateChanged(ScannerState.AWAIT_FINGER_OFF)
        yield from self._lift(anim, timing, step, count(timing.lift_s))
        yield CaptureResult(
            image=image,
            ppi=PPI,
            mode=mode,
            finger_positions=tuple(FingerPosition(p) for p in (positions or scene.expected)),
            timestamp=taken,
            metadata={
                "device": DEVICE_ID,
                "subject_id": subject.subject_id,
                "subject_chosen": ctl.subject_chosen,
                "seed": seed,
                "faults": sorted(f.value for f in faults),
                "dirty_platen": dirty,
                "fingers": [{"finger": fgp, "box": list(box)} for fgp, box in scene.boxes],
                "ground_truth": scene.truth,
            },
        )

    def _lift(self, anim, timing: Timing, step: float, n: int) -> Iterator[Event]:  # noqa: ANN001
        ctl = self._control
        if ctl.auto:
            for i in range(n):
                yield self._tick(lambda t=(i + 1) / n: anim.lifting(t), anim.ppi, step)
        else:
            while not ctl.wait_finger_off(0):
                yield self._tick(anim.full, anim.ppi, step)
        yield FingerStatusChanged(FingerStatus.NONE)
        yield StateChanged(ScannerState.IDLE)

    def _tick(self, draw: Callable[[], np.ndarray], ppi: float, step: float) -> PreviewFrame:
        """Pace to the frame rate, check for cancel and unplug, then expose and draw a frame.

        The frame's timestamp is its exposure (the moment it was due), as a camera's would be:
        drawing it is the device's processing, so the consumer's latency (timestamp to hand-over)
        is real work, not zero.
        """
        # Frames are due on a fixed schedule (drawing time and late wake-ups do not lower the rate),
        # but never closer than 0.9 of a period to the previous one: a late frame is not followed
        # by a burst, as with a sensor's fixed frame clock.
        now = time.monotonic()
        if self._last_frame:
            self._due = max(self._due + step, self._last_frame + 0.9 * step)
        else:
            self._due = now + step
        self._control.pass_frame()  # a held frame (hold_frames) ignores a cancel, as a transfer in flight
        if self._cancel.wait(max(0.0, self._due - now)):
            raise _Abort(StateChanged(ScannerState.IDLE))
        if self._control.unplugged:
            self._opened = False
            raise _Abort(
                ScannerError(
                    "the scanner was unplugged during the capture", retryable=False, device_gone=True
                )
            )
        self._last_frame = exposed = time.monotonic()
        return PreviewFrame(image=draw(), ppi=ppi, timestamp=exposed)
