"""A booking's capture session without Qt: the scanner, the step on the platen, what comes next.

The session owns a `CaptureWorkflow` (the plan, every step's state, attempts, the best kept, XX/UP,
supervisor overrides and the sequence-check gate, all kept in the store) and drives a scanner
with it: it opens the device, runs one capture at a time in its own thread, judges each result,
and starts the next step by itself (auto-advance) while the clerk is at the capture screen. A step
the clerk picks runs next; a retake repeats its step. `epoch` counts captures started and judged,
so work begun for an older capture (a preview overlay) can tell it is stale.

It publishes what changed as plain events (`subscribe(listener)`, capture_events.py); listeners run on the session's
thread or the caller's, so a UI relays them to its own thread. Everything it says is a `Message`.
The Capture page shows a session and forwards the clerk's actions; `booking-station capture
--headless` runs one with no UI at all (`run_plan`).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from desktop.station.capture import Attempt, CapturePlan, CaptureWorkflow, Step, StepStatus
from desktop.station.capture_events import (
    AttemptJudged,
    CaptureEnded,
    CaptureStarted,
    Frame,
    GateChanged,
    Judging,
    PlanComplete,
    ScannerOpened,
    ScannerProblem,
    ScannerStatus,
    ScannerWaiting,
    SessionEvent,
    StepsChanged,
    Submitted,
)
from desktop.station.capture_gate import GateState, GateStatus
from desktop.station.messages import Message, StationError, message
from drivers.api import (
    CaptureResult,
    DeviceInfo,
    FingerPosition,
    FingerStatusChanged,
    PreviewFrame,
    Scanner,
    ScannerError,
    ScannerState,
    ScannerUnavailable,
    StateChanged,
)

if TYPE_CHECKING:
    from desktop.station.core import Station
    from desktop.station.operators import OperatorInfo

_log = logging.getLogger(__name__)

# Sessions closed whose thread has not ended yet: it may still be inside a driver call that a cancel
# does not cut short (a frame in transfer), judging and storing a capture that arrived, or closing
# the scanner. Closing never waits for that on the caller's thread (a UI's); instead the next session
# waits for it on its own thread before it opens the scanner, and the station waits for it before
# it closes the store (`wait_released`), so the scanner is released and nothing is half-written.
_ending: set[threading.Thread] = set()
_ending_lock = threading.Lock()
_open_sessions: set[CaptureSession] = set()  # sessions whose thread runs (also under _ending_lock)
RELEASE_WAIT_S = 60.0  # a driver that takes longer is stuck: the waiter goes on and says so


def wait_released(timeout: float | None = RELEASE_WAIT_S) -> bool:
    """Wait until every closed session's thread has ended (its capture stored or abandoned, its
    scanner closed). True when they all did within `timeout` seconds."""
    return _wait_ending(timeout, exclude=None)


def close_all(station: Station, timeout: float | None = RELEASE_WAIT_S) -> bool:
    """Close every session still open on `station` (the process is ending with a booking open),
    then wait as `wait_released` does."""
    with _ending_lock:
        sessions = [s for s in _open_sessions if s.station is station]
    for session in sessions:
        session.close()
    return wait_released(timeout)


def _wait_ending(timeout: float | None, exclude: threading.Thread | None) -> bool:
    with _ending_lock:
        threads = [t for t in _ending if t is not exclude]
    deadline = None if timeout is None else time.monotonic() + timeout
    for thread in threads:
        thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    if stuck:
        _log.warning("capture sessions still ending after %s s: %s", timeout, ", ".join(stuck))
    return not stuck


def virtual_scanner(subject: int, missing: frozenset[int] = frozenset(), *, fast: bool = True):
    """A function that opens a private virtual scanner with synthetic person `subject` on its platen
    (not the station's shared one, so several sessions can run side by side)."""
    from drivers.virtual import Timing, VirtualControl, VirtualScanner

    scene = VirtualControl()
    scene.present(subject, missing=missing)
    scene.set_timing(Timing.fast() if fast else Timing())
    return lambda: VirtualScanner(scene, serve_socket=False)


class CaptureSession:
    """One booking's capture: thread-safe; the clerk's actions return at once or run the store work
    they need on the calling thread (call those from a worker, never a UI thread)."""

    def __init__(
        self,
        station: Station,
        booking_id: int,
        operator: OperatorInfo,
        open_scanner: Callable[[], Scanner],
        *,
        plan: CapturePlan | None = None,
        threshold: int | None = None,
        workflow: CaptureWorkflow | None = None,
        advance_delay: float = 0.9,
    ) -> None:
        self.station = station
        self.workflow = workflow or CaptureWorkflow(station, booking_id, operator, plan, threshold)
        self.auto_advance = True  # start the next step by itself (off: the clerk starts each)
        self.advance_delay = advance_delay  # seconds to read the verdict before the next step
        self._open_scanner = open_scanner
        self._listeners: list[Callable[[SessionEvent], None]] = []
        self._lock = threading.RLock()
        self._jobs: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._scanner: Scanner | None = None
        self._closed = False
        self._cancelled = False  # the clerk cancelled the capture on the platen
        self._advance: threading.Timer | None = None
        self.device: DeviceInfo | None = None
        self.running: Step | None = None  # the step on the platen
        self.selected: Step | None = None  # the step the clerk picked to take next
        self.problem: ScannerProblem | None = None  # the scanner's last problem, until it works again
        self.last_problem: ScannerProblem | None = None  # for the summary: kept after it cleared
        self.last_attempt: Attempt | None = None
        self.scanner_state: ScannerState | None = None
        self.finger_status: FingerStatusChanged | None = None
        self.epoch = 0
        self.active = False  # the clerk is at the capture screen (headless: always)
        self.frames_received = 0
        self._frame: Frame | None = None
        name = f"capture-session-{self.workflow.booking_id}"
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        with _ending_lock:
            _open_sessions.add(self)
        self._thread.start()

    # --- what the views read (memory only, thread-safe) -------------------------------------------

    @property
    def plan(self) -> CapturePlan:
        return self.workflow.plan

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.workflow.steps

    @property
    def threshold(self) -> int:
        return self.workflow.threshold

    def statuses(self) -> list[StepStatus]:
        return self.workflow.statuses()

    def status(self, position: int) -> StepStatus:
        return self.workflow.status(position)

    def step(self, position: int) -> Step:
        return self.workflow.step(position)

    def next_step(self) -> Step | None:
        return self.workflow.next_step()

    def complete(self) -> bool:
        return self.workflow.complete()

    def missing_fingers(self) -> frozenset[int]:
        return self.workflow.missing_fingers()

    def current_step(self) -> Step | None:
        """The step on the platen, else the one picked, else the next to do."""
        with self._lock:
            return self.running or self.selected or self.workflow.next_step()

    @property
    def gate(self) -> GateStatus:
        return self.workflow.gate

    def blockers(self) -> list[Message]:
        return self.workflow.blockers()

    def latest_frame(self) -> Frame | None:
        """The newest preview frame not yet taken (older ones are dropped, so nothing queues)."""
        with self._lock:
            frame, self._frame = self._frame, None
            return frame

    # --- events -------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[SessionEvent], None]) -> Callable[[], None]:
        """Call `listener(event)` on every change; returns the function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _publish(self, event: SessionEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a broken view must not stop the capture
                _log.exception("capture session listener failed on %s", type(event).__name__)

    # --- the clerk's actions: the scanner ------------------------------------------------------

    def connect(self) -> None:
        """Open the scanner (again, after an unplug); capture starts by itself while active."""
        self._jobs.put(("open", None))

    def set_active(self, active: bool) -> None:
        """The clerk is (or is no longer) at the capture screen: auto-advance runs only then."""
        with self._lock:
            self.active = active
        if active:
            self._maybe_advance(delay=0.0)
        else:
            self._cancel_advance()

    def start(self, step: Step | None = None) -> bool:
        """Capture `step` (or the picked, or the next one). False when it cannot start now."""
        with self._lock:
            step = step or self.selected or self.workflow.next_step()
            if step is None or self.running is not None or self.device is None or self._closed:
                return False
            unsupported = step.mode not in self.device.modes
            if unsupported:
                # e.g. a single-finger sensor asked for a slap: say so instead of failing in the driver.
                self.selected = step
                device = f"{self.device.vendor} {self.device.model}"
                problem = message("scanner.mode-unsupported", device=device, mode=step.mode.value)
        if unsupported:
            self._set_problem(ScannerProblem(problem, False, False))
            return False
        with self._lock:
            if self.running is not None:
                return False
            self._cancel_advance()
            self.running, self.selected = step, None
            self._cancelled = False
            self.epoch += 1
            self.finger_status = self.scanner_state = None
            self._frame = None
            self._jobs.put(("capture", step))
        return True

    def select(self, position: int) -> Step:
        """The clerk picked a step: it runs next (the one on the platen stops)."""
        step = self.workflow.step(position)
        with self._lock:
            self.selected = step
            running = self.running
        if running is not None and running != step:
            self.cancel()  # the capture thread starts the picked step when this one ends
        elif running is None:
            self.start(step)
        self._publish(StepsChanged())
        return step

    def trigger(self) -> None:
        """Take the image now (the clerk's manual-capture key)."""
        scanner = self._scanner
        if scanner is not None and self.running is not None:
            scanner.trigger()

    def cancel(self) -> None:
        """Stop the capture on the platen; it ends with CaptureEnded."""
        self._cancel_advance()
        with self._lock:
            # Remembered, not only passed on: a capture started but not yet running in the driver
            # would otherwise miss it (a driver clears its cancel flag when a capture begins).
            self._cancelled = self.running is not None
        scanner = self._scanner
        if scanner is not None:
            scanner.cancel()

    def close(self, timeout: float = 0.0) -> None:
        """Stop the capture, close the scanner and end the session's thread; safe twice.

        Returns at once by default (a UI thread must never wait for a driver): the session's thread
        ends by itself, and the next session, or `wait_released()`, waits for it. A headless
        caller may wait here up to `timeout` seconds.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with _ending_lock:
                _ending.add(self._thread)
        self._cancel_advance()
        self.cancel()
        self._jobs.put(("stop", None))
        if timeout > 0 and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def ended(self) -> bool:
        """The session's thread has ended: its last capture is stored and its scanner closed."""
        return not self._thread.is_alive()

    # --- the clerk's actions: the booking (store work: call from a worker thread) -------------------

    def annotate(self, finger: int, code: str, reason: str) -> None:
        """Mark a finger XX or UP; a capture expecting it on the platen starts again without it."""
        self.workflow.annotate(finger, code, reason)  # stored first: a restarted capture leaves it out
        with self._lock:
            self.selected = None
            running = self.running
        if running is not None and finger in running.fingers:
            self.cancel()
        self._changed()

    def supervisor(self, username: str, password: str) -> OperatorInfo:
        """The supervisor signing an override, by their own name and password (argon2: slow)."""
        who = self.station.operators.authenticate(username, password)
        if who is None or not who.is_supervisor:
            raise StationError("capture.supervisor-refused")
        return who

    def override(self, position: int, username: str, password: str, reason: str) -> None:
        """A supervisor accepts a step as it is, signed with their own password."""
        if not reason.strip():
            raise StationError("capture.override-reason")
        who = self.supervisor(username, password)
        self.workflow.override(position, who, reason)
        with self._lock:
            self.selected = None
            running = self.running
        if running is not None and running.position == position:
            self.cancel()
        self._changed()

    def redo(self, positions: list[int], reason: str) -> None:
        """Take steps again (a retake from the review, or the fingers the sequence check flagged)."""
        self.workflow.redo(positions, reason)
        self._changed()

    def redo_flagged(self) -> list[int]:
        """Set the fingers a blocking sequence finding names back to "to do"; returns them."""
        gate = self.gate
        fingers = sorted(gate.flagged)
        if fingers:
            reasons = "; ".join(str(f.message) for f in gate.blocking)
            self.redo(fingers, f"sequence check: {reasons}")
        return fingers

    def check_sequence(self) -> GateStatus:
        """Run the sequence check (slow: a worker thread); the gate says what it found."""
        self._publish(GateChanged(GateStatus(GateState.CHECKING)))
        try:
            self.workflow.check_sequence()
        finally:
            self._publish(GateChanged(self.gate))
        return self.gate

    def override_sequence(self, username: str, password: str, reason: str) -> None:
        if not reason.strip():
            raise StationError("capture.sequence-override-reason")
        who = self.supervisor(username, password)
        self.workflow.override_sequence(who, reason)
        self._publish(GateChanged(self.gate))

    def submit(self) -> Message:
        """Mark the prints complete and queue them for the FBI; the Message says what happened."""
        result = self.workflow.submit()
        self._publish(Submitted(result))
        return result

    def image(self, position: int) -> tuple[np.ndarray, float] | None:
        """The accepted image of a step (store read: a worker thread)."""
        return self.workflow.image(position)

    def segments(self, position: int) -> list[tuple[int, list[tuple[int, int]], int | None]]:
        return self.workflow.segments(position)

    # --- headless ----------------------------------------------------------------------------

    def run_plan(self, timeout: float = 600.0, *, check_sequence: bool = True) -> dict:
        """Capture every step to the end of the plan with no UI, then run the sequence check.

        Returns a summary (JSON-ready). Stops early when the scanner reports a problem that
        auto-advance does not retry (unplugged, cannot open).
        """
        done = threading.Event()

        def watch(event: SessionEvent) -> None:
            if isinstance(event, PlanComplete) or isinstance(event, ScannerProblem) and not event.retryable:
                done.set()

        unsubscribe = self.subscribe(watch)
        started = time.monotonic()
        try:
            self.set_active(True)
            if self.complete():
                done.set()
            elif self.device is None:
                self.connect()
            else:
                self.start()
            if not done.wait(timeout):
                self.cancel()
                self._set_problem(
                    ScannerProblem(message("scanner.stopped", seconds=round(timeout)), False, False)
                )
            self.set_active(False)
            self._wait_idle(10.0)
            if check_sequence and self.complete() and self.gate.state is GateState.NOT_RUN:
                self.check_sequence()
        finally:
            unsubscribe()
        return self.summary(seconds=time.monotonic() - started)

    def summary(self, seconds: float | None = None) -> dict:
        """What was captured, in JSON-ready form (English words; codes for machines)."""
        gate = self.gate
        out = {
            "booking": self.workflow.booking_number,
            "plan": self.plan.name,
            "threshold": self.threshold,
            "complete": self.complete(),
            "steps": [
                {
                    "position": s.step.position,
                    "step": s.step.label,
                    "state": s.state.value,
                    "attempts": s.attempts,
                    "quality": s.quality,
                    "finger_quality": {str(k): v for k, v in sorted(s.finger_quality.items())},
                    "note": str(s.note) if s.note else None,
                }
                for s in self.statuses()
            ],
            "sequence": {
                "state": gate.state.value,
                "confirmed": gate.confirmed,
                "findings": [
                    {
                        "kind": f.kind,
                        "fingers": list(f.fingers),
                        "blocking": f.blocking,
                        "message": str(f.message),
                    }
                    for f in gate.findings
                ],
            },
            "blockers": [str(b) for b in self.blockers()],
            "scanner_problem": str(self.last_problem.problem) if self.last_problem else None,
        }
        if seconds is not None:
            out["seconds"] = round(seconds, 1)
        return out

    # --- the session's thread -------------------------------------------------------------------

    def _serve(self) -> None:
        from desktop.station import compute

        # The checks' worker processes start (seconds of imports) while the clerk places the fingers
        # (the virtual scanner draws its synthetic prints there too: set when the station opened).
        compute.warm()
        try:
            while True:
                job, arg = self._jobs.get()
                if job == "stop":
                    break
                try:
                    if job == "open":
                        self._open()
                    elif job == "capture":
                        self._capture(arg)
                except Exception:  # never let the session's thread die silently
                    _log.exception("capture session job %s failed", job)
        finally:
            self._close_scanner()
            with _ending_lock:
                _open_sessions.discard(self)
                _ending.discard(self._thread)

    def _open(self) -> None:
        if self._closed:  # closed before its scanner was opened: nothing to open
            return
        if self._scanner is None:
            self._wait_for_release()
        try:
            if self._scanner is None:
                scanner = self._open_scanner()
                scanner.open()
                self._scanner = scanner
            info = self._scanner.info()
        except ScannerUnavailable as exc:
            self._scanner = None
            self._set_problem(ScannerProblem(message("scanner.gone", detail=str(exc)), True, False))
            return
        except Exception as exc:  # a driver bug: the clerk sees it, the session lives on
            _log.exception("scanner open failed")
            self._scanner = None
            self._set_problem(ScannerProblem(message("scanner.open-failed", detail=str(exc)), True, False))
            return
        with self._lock:
            self.device, self.problem = info, None
        self._publish(ScannerOpened(info))
        self._maybe_advance(delay=0.0)

    def _wait_for_release(self) -> None:
        """A booking closed mid-capture may still hold the scanner: wait here, off any UI thread."""
        with _ending_lock:
            busy = any(t is not self._thread for t in _ending)
        if busy:
            self._publish(ScannerWaiting())
            _wait_ending(RELEASE_WAIT_S, exclude=self._thread)

    def _capture(self, step: Step) -> None:
        scanner = self._scanner
        if scanner is None:
            self._set_problem(ScannerProblem(message("scanner.none"), True, False))
            self._ended(step)
            return
        # Published here, on the thread that publishes the capture's other events, so a view
        # always hears that a capture started before it hears what the scanner sees.
        self._publish(CaptureStarted(step))
        missing = self.workflow.missing_fingers()  # annotated fingers are not expected on the platen
        fingers = tuple(FingerPosition(f) for f in step.fingers if f not in missing)
        try:
            for event in [] if self._cancelled else scanner.capture(step.mode, fingers):
                if self._cancelled:
                    scanner.cancel()  # idempotent: the driver ends the capture promptly
                if isinstance(event, PreviewFrame):
                    with self._lock:
                        self.frames_received += 1
                        self._frame = Frame(event.image, event.ppi, event.timestamp)
                elif isinstance(event, FingerStatusChanged):
                    self.finger_status = event
                    self._publish(ScannerStatus(self.scanner_state, event))
                elif isinstance(event, StateChanged):
                    self.scanner_state = event.state
                    self._publish(ScannerStatus(event.state, self.finger_status))
                elif isinstance(event, ScannerError):
                    self._scanner_error(event.message, event.device_gone, event.retryable)
                    if event.device_gone or not event.retryable:
                        break
                elif isinstance(event, CaptureResult):
                    self._judge(event)
        except ScannerUnavailable as exc:
            self._scanner_error(str(exc), True, False)
        except Exception as exc:
            _log.exception("capture failed")
            self._set_problem(ScannerProblem(message("scanner.failed", detail=str(exc)), False, False))
        finally:
            self._ended(step)

    def _judge(self, result: CaptureResult) -> None:
        arrived = time.monotonic()
        with self._lock:
            self.epoch += 1  # preview work still under way is now stale
            step = self.running
        self._publish(Judging(step, arrived))
        try:
            attempt = self.workflow.judge(result)
        except Exception as exc:  # a bad image is reported; the step can be taken again
            _log.exception("judging a capture failed")
            problem = (
                exc.message
                if isinstance(exc, StationError)
                else message("capture.judge-failed", detail=str(exc))
            )
            self._set_problem(ScannerProblem(problem, False, False))
            return
        self.last_attempt = attempt
        self._publish(AttemptJudged(attempt, arrived))
        self._publish(StepsChanged())

    def _scanner_error(self, text: str, gone: bool, retryable: bool) -> None:
        if gone:
            self._close_scanner()
            with self._lock:
                self.device = None
        code = "scanner.gone" if gone else "scanner.device"
        self._set_problem(ScannerProblem(message(code, detail=text), gone, retryable and not gone))

    def _set_problem(self, problem: ScannerProblem) -> None:
        with self._lock:
            if not problem.retryable:
                self.problem = self.last_problem = problem
        self._publish(problem)

    def _ended(self, step: Step) -> None:
        with self._lock:
            self.running = None
            self._frame = None
            # Carry on unless the scanner is gone or reported a problem; a retake repeats the step.
            problem, self.problem = self.problem, (self.problem if self.device is None else None)
        self._publish(CaptureEnded(step))
        self._publish(GateChanged(self.gate))
        if problem is not None and not problem.retryable:
            return
        if self.workflow.complete() and self.selected is None:
            self._publish(PlanComplete())
            return
        self._maybe_advance(delay=self.advance_delay if self.last_attempt is not None else 0.0)

    def _changed(self) -> None:
        self._publish(StepsChanged())
        self._publish(GateChanged(self.gate))

    # --- auto-advance ----------------------------------------------------------------------------

    def _maybe_advance(self, delay: float) -> None:
        """Start the picked step at once, else (auto-advance) the next one after `delay` seconds."""
        with self._lock:
            if self._closed or self.running is not None or self.device is None:
                return
            picked = self.selected
            if picked is None and not (self.auto_advance and self.active and self.workflow.next_step()):
                return
            self._cancel_advance()
            if picked is not None:
                delay = 0.0
            timer = threading.Timer(delay, self._advance_now)
            timer.daemon = True
            self._advance = timer
        timer.start()

    def _advance_now(self) -> None:
        with self._lock:
            self._advance = None
            if self.selected is None and not (self.auto_advance and self.active):
                return
        self.start()

    def _cancel_advance(self) -> None:
        with self._lock:
            timer, self._advance = self._advance, None
        if timer is not None:
            timer.cancel()

    def _wait_idle(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.running is not None and time.monotonic() < deadline:
            time.sleep(0.02)

    def _close_scanner(self) -> None:
        scanner, self._scanner = self._scanner, None
        if scanner is None:
            return
        try:
            scanner.close()
        except Exception:  # already gone: closing is best effort
            _log.debug("closing the scanner failed", exc_info=True)
