"""The tenprint capture workflow, without Qt: which print comes next, judging each capture, keeping it.

A booking's prints are taken in steps: the right four-finger slap, the left slap, both thumbs,
then (unless the plan is flats only) the ten rolled prints one by one. Each scanner result is
judged at once: slaps are segmented into fingers (`matcher.slaps`), every finger gets a quality
score (`matcher.quality`) that is compared with the configured threshold, and the attempt is
written to the store before anything else happens, so a crash loses nothing. A good attempt is
accepted; a poor one asks for a retake, and after the third the best is kept with its reason.
Fingers that cannot be printed are annotated (`XX` amputated, `UP` unable to print) and a
supervisor may override a step. Before submission the rolled prints are checked against the
slap fingers (`matcher.sequence`) for swapped fingers, a wrong hand and duplicates.

Heavy methods (`judge`, `check_sequence`) and every store call are meant for a worker thread;
the state queries (`status`, `statuses`, `next_step`, `gate`) read memory only and are thread-safe.
Everything this module tells a person is a `Message` (a code with parameters); the UI words it.
`desktop/station/capture_session.py` drives a workflow with a scanner.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np
from sqlalchemy import select

from booking_station.fingers import LEFT_SLAP, RIGHT_SLAP, SLAP_FINGERS, THUMBS, finger_name
from booking_station.runtime import UserError
from desktop.station.capture_gate import GateStatus, SequenceGate
from desktop.station.messages import Message, StationError, message
from desktop.station.models import BookingStatus, Capture, utcnow
from drivers.api import CaptureMode, CaptureResult

if TYPE_CHECKING:
    from desktop.station.core import Station
    from desktop.station.operators import OperatorInfo
    from drivers.platen import PlatenReport
    from matcher import QualityReport, Template
    from matcher.sequence import SequenceReport
    from matcher.slaps import SlapSegmentation

_log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
AMPUTATED, UNABLE = "XX", "UP"  # EBTS AMP codes
_OVERRIDE, _SUPERSEDED = "override", "superseded"
_OVERRIDE_PREFIX = "supervisor override: "  # the stored reason of an override that keeps a capture


@dataclass(frozen=True)
class Step:
    position: int  # FGP: 1–10 rolled finger, 13/14 slaps, 15 both thumbs
    mode: CaptureMode
    fingers: tuple[int, ...]  # the fingers this capture holds, left to right in the image

    @property
    def flat(self) -> bool:
        return self.mode is not CaptureMode.ROLLED

    @property
    def impression(self) -> str:
        return "plain" if self.flat else "rolled"

    @property
    def label(self) -> str:
        """English, for logs and the command line (the UI words it itself)."""
        return finger_name(self.position) + ("" if self.flat else " (rolled)")


@dataclass(frozen=True)
class CapturePlan:
    """Which prints a booking needs. `rolled=False` is the flats-only (4-4-2) plan."""

    rolled: bool = True

    @classmethod
    def named(cls, name: str) -> CapturePlan:
        """The plan of the config key `capture_plan`: "tenprint" or "flats"."""
        if name not in ("tenprint", "flats"):
            raise StationError("capture.plan-unknown", value=repr(name))
        return cls(rolled=name == "tenprint")

    @property
    def name(self) -> str:
        return "tenprint" if self.rolled else "flats"

    @property
    def description(self) -> Message:
        return message("capture.plan-tenprint" if self.rolled else "capture.plan-flats")

    def steps(self) -> tuple[Step, ...]:
        flats = (
            Step(RIGHT_SLAP, CaptureMode.RIGHT_SLAP, SLAP_FINGERS[RIGHT_SLAP]),
            Step(LEFT_SLAP, CaptureMode.LEFT_SLAP, SLAP_FINGERS[LEFT_SLAP]),
            Step(THUMBS, CaptureMode.TWO_THUMBS, SLAP_FINGERS[THUMBS]),
        )
        rolled = tuple(Step(f, CaptureMode.ROLLED, (f,)) for f in range(1, 11)) if self.rolled else ()
        return flats + rolled


class StepState(enum.StrEnum):
    TODO = "to do"
    CAPTURED = "captured"
    LOW_QUALITY = "low quality"  # kept as the best of the attempts, below the threshold
    RETAKE = "retake"  # the last attempt was poor; more attempts remain
    AMPUTATED = "amputated"
    UNABLE = "unable to print"
    OVERRIDDEN = "skipped by supervisor"

    @property
    def done(self) -> bool:
        return self not in (StepState.TODO, StepState.RETAKE)


class Verdict(enum.StrEnum):
    ACCEPTED = "accepted"
    RETAKE = "retake"
    KEPT_BEST = "kept best"


@dataclass(frozen=True)
class Attempt:
    """One judged capture, as stored."""

    capture_id: int
    step: Step
    number: int  # 1..MAX_ATTEMPTS
    image: np.ndarray
    ppi: float
    quality: int  # the worst finger's score, 0–100
    finger_quality: Mapping[int, int]  # per finger (FGP 1–10)
    problems: tuple[Message, ...]  # what is wrong, for the clerk; empty when good
    verdict: Verdict
    reason: Message | None = None  # why a poor capture was kept
    report: QualityReport | None = field(default=None, repr=False)  # rolled: the print's block map
    segmentation: SlapSegmentation | None = field(default=None, repr=False)
    platen: PlatenReport | None = field(default=None, repr=False)  # residue found beside the fingers

    @property
    def dirty_platen(self) -> bool:
        return self.platen is not None and self.platen.dirty

    @property
    def good(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class StepStatus:
    step: Step
    state: StepState
    attempts: int
    quality: int | None = None
    finger_quality: Mapping[int, int] = field(default_factory=dict)
    note: Message | None = None  # the annotation's reason, or why a poor capture was kept
    capture_id: int | None = None


class CaptureWorkflow:
    """The capture state of one booking, rebuilt from the store and kept in step with it."""

    def __init__(
        self,
        station: Station,
        booking_id: int,
        operator: OperatorInfo,
        plan: CapturePlan | None = None,
        threshold: int | None = None,
    ) -> None:
        self._station = station
        self._store = station.store
        self.booking_id = booking_id
        self.operator = operator
        self.plan = plan or self._configured_plan(station, booking_id)
        self.threshold = station.config.quality_threshold if threshold is None else threshold
        self.steps = self.plan.steps()
        self._lock = threading.RLock()
        self._templates: dict[int, Template] = {}  # capture id (rolled) or -fgp (flat finger) -> template
        self._gate = SequenceGate(self.plan.rolled)
        self._status: dict[int, StepStatus] = {}
        self._number = station.bookings.get(booking_id).number
        self._reload()

    # --- state --------------------------------------------------------------------------------

    @property
    def booking_number(self) -> str:
        return self._number

    def status(self, position: int) -> StepStatus:
        with self._lock:
            return self._status[position]

    def statuses(self) -> list[StepStatus]:
        with self._lock:
            return [self._status[s.position] for s in self.steps]

    def next_step(self) -> Step | None:
        """The first step not yet done, in plan order."""
        with self._lock:
            return next((s for s in self.steps if not self._status[s.position].state.done), None)

    def step(self, position: int) -> Step:
        for s in self.steps:
            if s.position == position:
                return s
        raise StationError("capture.not-in-plan", position=position)

    def missing_fingers(self) -> frozenset[int]:
        """Fingers annotated XX or UP, which the slaps and thumbs will not show."""
        with self._lock:
            return frozenset(f for f, a in self._finger_annotations.items() if a in (AMPUTATED, UNABLE))

    def complete(self) -> bool:
        return self.next_step() is None

    # --- capturing ----------------------------------------------------------------------------

    def judge(self, result: CaptureResult) -> Attempt:
        """Judge a scanner result for the step its mode names, store it, accept or ask for a retake.

        Runs segmentation, quality and the database write: call it from a worker thread.
        """
        from desktop.station import capture_checks, compute

        step = self._step_for(result)
        image = _as_image(result.image)
        missing = self.missing_fingers()
        problems: list[Message] = []
        # In a worker process: the checks hold the interpreter lock for long stretches (compute.py).
        checked = compute.run(
            capture_checks.analyse, image, result.ppi, step.position, step.flat, step.fingers, missing
        )
        report, segmentation, platen = checked.report, checked.segmentation, checked.platen
        finger_quality = checked.finger_quality
        if segmentation is not None and not segmentation.count_ok:
            problems.append(_count_problem(segmentation.count, len(segmentation.expected)))
        expected = [f for f in step.fingers if f not in missing]
        low = [f for f in expected if finger_quality.get(f, 0) < self.threshold and f in finger_quality]
        if low:
            problems.append(
                message(
                    "capture.low-quality",
                    threshold=self.threshold,
                    qualities=[(f, finger_quality[f]) for f in low],
                )
            )
        worst = min((finger_quality.get(f, 0) for f in expected), default=0)
        # Residue of earlier prints beside the fingers: the score inside them can be 100 all the
        # same, so the platen is judged on its own and a dirty one asks for a retake once cleaned.
        if platen.dirty:
            problems.insert(0, message("capture.dirty-platen"))

        with self._lock:
            number = self._status[step.position].attempts + 1
            capture_id = self._write_attempt(
                step, image, result.ppi, worst, number, segmentation, finger_quality
            )
            attempt = Attempt(
                capture_id,
                step,
                number,
                image,
                result.ppi,
                worst,
                finger_quality,
                tuple(problems),
                Verdict.RETAKE,
                None,
                report,
                segmentation,
                platen,
            )
            if attempt.good:
                self._accept(step, capture_id, None)
                attempt = dataclasses.replace(attempt, verdict=Verdict.ACCEPTED)
            elif number >= MAX_ATTEMPTS:
                best_id, best_number = self._best_attempt(step.position)
                reason = message(
                    "capture.kept-best",
                    attempts=number,
                    attempt=best_number,
                    problem=self._kept_problem(step, best_id, missing) or problems[0],
                )
                self._accept(step, best_id, str(reason))
                attempt = dataclasses.replace(attempt, verdict=Verdict.KEPT_BEST, reason=reason)
            self._reload()
        self._station.audit.append(
            self.operator.username,
            "capture.attempt",
            f"booking:{self._number}",
            {
                "position": step.position,
                "attempt": number,
                "quality": worst,
                "verdict": attempt.verdict.value,
            },
        )
        return attempt

    @staticmethod
    def overlay_report(attempt: Attempt) -> QualityReport:
        """The quality block map over the whole captured image (for the overlay). Worker thread."""
        if attempt.report is not None:
            return attempt.report
        return preview_report(attempt.image, attempt.ppi)

    def annotate(self, finger: int, code: str, reason: str) -> None:
        """Record a finger that cannot be printed: `XX` (amputated) or `UP` (unable to print)."""
        if code not in (AMPUTATED, UNABLE):
            raise StationError("capture.annotation-code", code=code)
        if not 1 <= finger <= 10:
            raise StationError("capture.annotation-finger", value=finger)
        if not reason.strip():
            raise StationError("capture.annotation-reason", finger=finger, code=code)
        with self._lock, self._store.session() as s:
            s.add(
                Capture(
                    booking_id=self.booking_id,
                    position=finger,
                    impression="rolled",
                    image_png=None,
                    ppi=None,
                    quality=None,
                    attempt=0,
                    accepted=True,
                    annotation=code,
                    annotation_reason=reason.strip(),
                    annotated_by=self.operator.id,
                    captured_by=self.operator.id,
                )
            )
            self._station.audit.append(
                self.operator.username,
                "capture.annotate",
                f"booking:{self._number}",
                {"finger": finger, "code": code, "reason": reason.strip()},
                session=s,
            )
        with self._lock:
            self._gate.invalidate()
            self._reload()

    def override(self, position: int, supervisor: OperatorInfo, reason: str) -> None:
        """A supervisor accepts a step as it is: the best attempt so far, or none at all."""
        _require_supervisor(supervisor)
        if not reason.strip():
            raise StationError("capture.override-reason")
        step = self.step(position)
        with self._lock:
            best_id, _ = self._best_attempt(position)
            if best_id is not None:
                self._accept(step, best_id, _OVERRIDE_PREFIX + reason.strip(), by=supervisor.id)
            else:
                with self._store.session() as s:
                    s.add(
                        Capture(
                            booking_id=self.booking_id,
                            position=position,
                            impression=step.impression,
                            image_png=None,
                            attempt=0,
                            accepted=True,
                            annotation=_OVERRIDE,
                            annotation_reason=reason.strip(),
                            annotated_by=supervisor.id,
                            captured_by=self.operator.id,
                        )
                    )
            self._reload()
        self._station.audit.append(
            supervisor.username,
            "capture.override",
            f"booking:{self._number}",
            {"position": position, "reason": reason.strip(), "clerk": self.operator.username},
        )

    def redo(self, positions: Iterable[int], reason: str) -> None:
        """Set steps back to "to do" (e.g. after a sequence error); the old attempts stay on record."""
        positions = [self.step(p).position for p in positions]
        with self._lock, self._store.session() as s:
            rows = s.scalars(
                select(Capture).where(Capture.booking_id == self.booking_id, Capture.position.in_(positions))
            ).all()
            for row in rows:
                if row.annotation in (None, _OVERRIDE) or row.accepted:
                    row.accepted = False
                    row.annotation = _SUPERSEDED
                    row.annotation_reason = reason
            self._station.audit.append(
                self.operator.username,
                "capture.redo",
                f"booking:{self._number}",
                {"positions": positions, "reason": reason},
                session=s,
            )
        with self._lock:
            self._gate.invalidate()
            for p in positions:
                self._templates = {k: v for k, v in self._templates.items() if k != -p}
            self._reload()

    # --- sequence check and submission --------------------------------------------------------

    @property
    def gate(self) -> GateStatus:
        """The sequence-check gate between the prints and the outbox (see capture_gate.py)."""
        return self._gate.status(complete=self.complete())

    @property
    def sequence(self) -> SequenceReport | None:
        """The last sequence check's report (None when not run since the prints changed)."""
        return self._gate.report

    def check_sequence(self) -> SequenceReport | None:
        """Rolled prints against the slap fingers; None for a flats-only plan. Worker thread."""
        from matcher.sequence import check_sequence

        if not self.plan.rolled:
            return None
        self._gate.checking()
        try:
            rolled, flats = self._rolled_templates(), self._flat_templates()
            report = check_sequence(rolled, flats)
        except Exception as exc:
            _log.warning("sequence check of booking %s failed: %s", self._number, exc)
            self._gate.failed(message("sequence.failed", detail=str(exc)))
            raise StationError("sequence.failed", detail=str(exc)) from exc
        with self._lock:
            status = self._gate.checked(report)
        self._station.audit.append(
            self.operator.username,
            "capture.sequence",
            f"booking:{self._number}",
            {"ok": report.ok, "findings": [str(f.message) for f in status.findings]},
        )
        return report

    def override_sequence(self, supervisor: OperatorInfo, reason: str) -> None:
        """A supervisor lets the prints through a blocking sequence finding, with a reason."""
        _require_supervisor(supervisor)
        if not reason.strip():
            raise StationError("capture.sequence-override-reason")
        with self._lock:
            self._gate.override(supervisor.username, reason.strip())
        self._station.audit.append(
            supervisor.username,
            "capture.sequence-override",
            f"booking:{self._number}",
            {"reason": reason.strip()},
        )

    def blockers(self) -> list[Message]:
        """Why the prints cannot be submitted yet; empty when they can."""
        out = [
            message("capture.step-open", step=s.step.position, state=s.state.value)
            for s in self.statuses()
            if not s.state.done
        ]
        if not out:
            out.extend(self.gate.blockers)
        return out

    def submit(self) -> Message:
        """Mark the prints complete and hand the booking to the outbox; returns what happened."""
        blockers = self.blockers()
        if blockers:
            raise StationError("capture.not-ready", blockers=blockers)
        actor = self.operator.username
        self._station.bookings.set_status(self.booking_id, BookingStatus.CAPTURED, actor=actor)
        self._station.audit.append(
            actor,
            "capture.complete",
            f"booking:{self._number}",
            {"sequence_override": self._gate.override_reason},
        )
        try:
            tcn = self._station.outbox.enqueue(self.booking_id, actor=actor)
        except UserError as exc:
            # The prints are safe (status "captured"); the clerk can submit again once it is fixed.
            detail = exc.message if isinstance(exc, StationError) else str(exc)
            raise StationError("capture.queue-failed", detail=detail) from None
        return message("capture.queued", tcn=tcn)

    # --- images for the review page -----------------------------------------------------------

    def image(self, position: int) -> tuple[np.ndarray, float] | None:
        """The accepted image of a step (or the upright crop of a flat finger, FGP 1–10 of a slap)."""
        status = self._status.get(position)
        if status is not None and status.capture_id is not None:
            with self._store.session() as s:
                row = s.get(Capture, status.capture_id)
                if row is not None and row.image_png is not None:
                    return _decode(row.image_png), float(row.ppi)
        return None

    def segments(self, position: int) -> list[tuple[int, list[tuple[int, int]], int | None]]:
        """The accepted flat capture's fingers as stored: (FGP, polygon corners, quality)."""
        status = self._status.get(position)
        if status is None or status.capture_id is None:
            return []
        with self._store.session() as s:
            row = s.get(Capture, status.capture_id)
            seg = json.loads(row.segmentation_json) if row is not None and row.segmentation_json else None
        if not seg:
            return []
        return [(f["fgp"], _corners(f), f.get("quality")) for f in seg["fingers"]]

    def flat_finger_images(self) -> dict[int, tuple[np.ndarray, float]]:
        """Each finger cut from the accepted slaps and thumbs, FGP 1–10 -> (image, ppi)."""
        from matcher.slaps import segment_slap

        out: dict[int, tuple[np.ndarray, float]] = {}
        missing = self.missing_fingers()
        for step in self.steps:
            if not step.flat:
                continue
            found = self.image(step.position)
            if found is None:
                continue
            image, ppi = found
            seg = segment_slap(image, ppi, step.fingers, missing=missing & set(step.fingers))
            for f in seg.fingers:
                if f.finger:
                    out[f.finger] = (f.image, ppi)
        return out

    # --- internals ----------------------------------------------------------------------------

    @staticmethod
    def _configured_plan(station: Station, booking_id: int) -> CapturePlan:
        """The station's configured plan; a booking that already has rolled prints stays tenprint,
        so switching the setting to flats mid-booking never leaves prints out of its CAR."""
        plan = CapturePlan.named(station.config.capture_plan)
        if plan.rolled:
            return plan
        with station.store.session() as s:
            rolled = s.scalars(
                select(Capture.id).where(
                    Capture.booking_id == booking_id,
                    Capture.impression == "rolled",
                    Capture.image_png.is_not(None),
                    Capture.annotation.is_distinct_from(_SUPERSEDED),
                )
            ).first()
        return CapturePlan() if rolled is not None else plan

    def _step_for(self, result: CaptureResult) -> Step:
        if result.mode is CaptureMode.ROLLED:
            positions = [int(p) for p in result.finger_positions]
            if len(positions) != 1:
                raise StationError("capture.rolled-one-finger", count=len(positions))
            return self.step(positions[0])
        for s in self.steps:
            if s.mode is result.mode:
                return s
        raise StationError("capture.mode-not-in-plan", mode=result.mode.value)

    def _write_attempt(self, step, image, ppi, worst, number, segmentation, finger_quality) -> int:
        seg_json = None
        if segmentation is not None:
            seg_json = json.dumps(
                {
                    "fingers": [
                        {
                            "fgp": f.finger,
                            "box": list(f.box),
                            "polygon": [list(p) for p in f.polygon],
                            "quality": finger_quality.get(f.finger),
                        }
                        for f in segmentation.fingers
                    ],
                    "expected": list(segmentation.expected),
                    "problem": segmentation.problem,
                }
            )
        with self._store.session() as s:
            row = Capture(
                booking_id=self.booking_id,
                position=step.position,
                impression=step.impression,
                image_png=_encode(image),
                ppi=float(ppi),
                quality=int(worst),
                attempt=number,
                accepted=False,
                segmentation_json=seg_json,
                captured_at=utcnow(),
                captured_by=self.operator.id,
            )
            s.add(row)
            s.flush()
            return row.id

    def _accept(self, step: Step, capture_id: int | None, reason: str | None, by: int | None = None) -> None:
        if capture_id is None:
            return
        with self._store.session() as s:
            rows = s.scalars(
                select(Capture).where(
                    Capture.booking_id == self.booking_id, Capture.position == step.position
                )
            ).all()
            for row in rows:
                if row.annotation == _SUPERSEDED:
                    continue
                row.accepted = row.id == capture_id
                if row.id == capture_id and reason:
                    row.annotation = _OVERRIDE if by is not None else None
                    row.annotation_reason = reason
                    row.annotated_by = by
        self._templates.pop(capture_id, None)
        self._gate.invalidate()

    def _best_attempt(self, position: int) -> tuple[int | None, int | None]:
        """The capture id and attempt number of the best attempt so far."""
        with self._store.session() as s:
            rows = s.scalars(
                select(Capture).where(
                    Capture.booking_id == self.booking_id,
                    Capture.position == position,
                    Capture.image_png.is_not(None),
                )
            ).all()
            rows = [r for r in rows if r.annotation != _SUPERSEDED]
            if not rows:
                return None, None

            def key(r: Capture) -> tuple[int, int, int]:
                # Prefer a capture with the right finger count, then the best quality, then the first.
                count_ok = not (r.segmentation_json and json.loads(r.segmentation_json).get("problem"))
                return int(count_ok), r.quality or 0, -r.attempt

            best = max(rows, key=key)
            return best.id, best.attempt

    def _reload(self) -> None:
        with self._store.session() as s:
            rows = s.scalars(
                select(Capture).where(Capture.booking_id == self.booking_id).order_by(Capture.id)
            ).all()
            rows = [r for r in rows if r.annotation != _SUPERSEDED]
        annotations = {
            r.position: r.annotation
            for r in rows
            if r.image_png is None and r.annotation in (AMPUTATED, UNABLE)
        }
        self._finger_annotations = annotations
        status: dict[int, StepStatus] = {}
        for step in self.steps:
            mine = [r for r in rows if r.position == step.position]
            attempts = sum(1 for r in mine if r.image_png is not None)
            accepted = [r for r in mine if r.accepted]
            row = accepted[-1] if accepted else None
            fq = _finger_quality(row)
            if step.flat and all(f in annotations for f in step.fingers):
                code = annotations[step.fingers[0]]
                state = StepState.AMPUTATED if code == AMPUTATED else StepState.UNABLE
                note = message("capture.all-annotated")
                status[step.position] = StepStatus(step, state, attempts, note=note)
            elif row is None:
                state = StepState.RETAKE if attempts else StepState.TODO
                last = mine[-1] if mine else None
                status[step.position] = StepStatus(
                    step, state, attempts, last.quality if last else None, _finger_quality(last)
                )
            elif row.image_png is None:
                state = {AMPUTATED: StepState.AMPUTATED, UNABLE: StepState.UNABLE}.get(
                    row.annotation or "", StepState.OVERRIDDEN
                )
                note = _reason(row.annotation_reason)
                status[step.position] = StepStatus(step, state, attempts, note=note)
            else:
                state = StepState.LOW_QUALITY if row.annotation_reason else StepState.CAPTURED
                note = self._note(step, row, attempts, annotations) if row.annotation_reason else None
                status[step.position] = StepStatus(step, state, attempts, row.quality, fq, note, row.id)
        self._status = status

    def _kept_problem(self, step: Step, capture_id: int | None, missing: frozenset[int]) -> Message | None:
        """What is wrong with the kept capture: a wrong finger count, else its fingers below threshold."""
        if capture_id is None:
            return None
        with self._store.session() as s:
            row = s.get(Capture, capture_id)
            return _row_problem(row, step, self.threshold, missing) if row is not None else None

    def _note(self, step: Step, row: Capture, attempts: int, annotations: Mapping[int, str]) -> Message:
        """The note of an accepted capture with a reason: a supervisor's override, or the best kept."""
        if row.annotation == _OVERRIDE:
            return message(
                "capture.override-note", reason=row.annotation_reason.removeprefix(_OVERRIDE_PREFIX)
            )
        missing = frozenset(f for f, a in annotations.items() if a in (AMPUTATED, UNABLE))
        problem = _row_problem(row, step, self.threshold, missing)
        if problem is None:  # kept below an older threshold, good enough for today's
            return message("capture.kept-best-now-good", attempt=row.attempt)
        return message(
            "capture.kept-best", attempts=max(attempts, row.attempt), attempt=row.attempt, problem=problem
        )

    def _rolled_templates(self) -> dict[int, Template]:
        from matcher import Template

        out: dict[int, Template] = {}
        for step in self.steps:
            if step.flat:
                continue
            st = self._status[step.position]
            if st.capture_id is None:
                continue
            if st.capture_id not in self._templates:
                image, ppi = self.image(step.position)
                self._templates[st.capture_id] = Template.from_image(image, ppi)
            out[step.position] = self._templates[st.capture_id]
        return out

    def _flat_templates(self) -> dict[int, Template]:
        from matcher import Template

        out: dict[int, Template] = {}
        for fgp, (image, ppi) in self.flat_finger_images().items():
            try:
                out[fgp] = Template.from_image(image, ppi)
            except ValueError as exc:
                # A crop too small to compare (a fingertip the segmentation barely found): that
                # finger is not judged, rather than the whole check failing.
                _log.info("booking %s: flat finger %s not compared: %s", self._number, fgp, exc)
        return out


def _finger_quality_of(store, capture_id: int | None) -> dict[int, int]:
    if capture_id is None:
        return {}
    with store.session() as s:
        return _finger_quality(s.get(Capture, capture_id))


def _finger_quality(row: Capture | None) -> dict[int, int]:
    if row is None:
        return {}
    if row.segmentation_json:
        return {
            f["fgp"]: f["quality"]
            for f in json.loads(row.segmentation_json)["fingers"]
            if f["fgp"] and f["quality"] is not None
        }
    return {row.position: row.quality} if row.quality is not None else {}


def _corners(finger: dict) -> list[tuple[int, int]]:
    """A stored finger's outline: its rotated polygon, else the corners of its box."""
    if finger.get("polygon"):
        return [tuple(p) for p in finger["polygon"]]
    x, y, w, h = finger["box"]
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def _count_problem(found: int, expected: int) -> Message:
    return message("capture.finger-count", found=found, expected=expected)


def _row_problem(row: Capture, step: Step, threshold: int, missing: frozenset[int]) -> Message | None:
    """Why a stored capture falls short: a wrong finger count, else fingers below the threshold."""
    if row.segmentation_json:
        seg = json.loads(row.segmentation_json)
        if seg.get("problem"):
            return _count_problem(len(seg.get("fingers", [])), len(seg.get("expected", [])))
    quality = _finger_quality(row)
    expected = [f for f in step.fingers if f not in missing]
    absent = [f for f in expected if f not in quality]
    if absent and step.flat:
        return message("capture.not-found", fingers=absent)
    low = [(f, quality[f]) for f in expected if f in quality and quality[f] < threshold]
    return message("capture.low-quality", threshold=threshold, qualities=low) if low else None


def _reason(text: str | None) -> Message | None:
    """A person's own words (an XX/UP reason, a supervisor's override): shown as written."""
    return message("capture.reason", reason=text) if text else None


def _require_supervisor(operator: OperatorInfo) -> None:
    if not operator.is_supervisor:
        raise StationError("capture.not-supervisor", name=operator.display_name)


def preview_report(image: np.ndarray, ppi: float) -> QualityReport:
    """The quality block map over a whole image (a slap's overlay, the live preview's), computed
    in a worker process (compute.py). Call it from a worker thread."""
    from desktop.station import capture_checks, compute

    return compute.run(capture_checks.quality_report, image, ppi)


def _as_image(image: np.ndarray) -> np.ndarray:
    if not isinstance(image, np.ndarray) or image.ndim != 2 or image.dtype != np.uint8:
        raise StationError("capture.bad-image")
    return image


def _encode(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", image)
    if not ok:
        raise StationError("capture.encode-failed")
    return buf.tobytes()


def _decode(data: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
