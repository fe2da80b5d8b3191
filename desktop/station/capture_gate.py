"""The gate between a booking's prints and the outbox: the sequence check and what it found.

A tenprint's rolled prints must be the fingers the slaps say they are before the prints can be
submitted. The gate is a small state machine, so a blocking finding is a state of its own that a
supervisor's override (or retaking the flagged fingers) leaves, never a flag a view has to infer:

    NOT_NEEDED (flats only)
    WAITING (prints missing) -> NOT_RUN -> CHECKING -> PASSED | BLOCKED | FAILED
    BLOCKED -> OVERRIDDEN (a supervisor, with a reason)
    any change to the prints -> WAITING / NOT_RUN again

Findings are `GateFinding`s: what kind, which rolled fingers, whether it blocks, and the Message
that says so. Further checks (e.g. a wrong-person alert) add findings of their own kinds; any
blocking finding keeps the gate BLOCKED until it is overridden.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.station.messages import Message, StationError, message

if TYPE_CHECKING:
    from matcher.sequence import Finding, SequenceReport


class GateState(enum.StrEnum):
    NOT_NEEDED = "not needed"  # a flats-only plan: nothing to compare
    WAITING = "waiting"  # prints are still to be taken
    NOT_RUN = "not run"  # every print is taken; the check has not run since they changed
    CHECKING = "checking"
    PASSED = "passed"
    BLOCKED = "blocked"  # a blocking finding: retake the flagged fingers or a supervisor overrides
    OVERRIDDEN = "overridden"
    FAILED = "failed"  # the check itself could not run (its problem says why)

    @property
    def open(self) -> bool:
        """The prints may go to the outbox."""
        return self in (GateState.NOT_NEEDED, GateState.PASSED, GateState.OVERRIDDEN)


@dataclass(frozen=True)
class GateFinding:
    kind: str  # matcher.sequence.FindingKind value, or a later check's own kind
    fingers: tuple[int, ...]  # the rolled positions concerned
    blocking: bool
    message: Message


@dataclass(frozen=True)
class GateStatus:
    state: GateState
    findings: tuple[GateFinding, ...] = ()
    confirmed: int = 0  # rolled prints confirmed against their own flat finger
    problem: Message | None = None  # why the check failed
    override_by: str | None = None
    override_reason: str | None = None

    @property
    def flagged(self) -> frozenset[int]:
        """Fingers a blocking finding names: the ones to retake."""
        return frozenset(f for finding in self.findings if finding.blocking for f in finding.fingers)

    @property
    def blocking(self) -> tuple[GateFinding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def summary(self) -> Message | None:
        if self.state is GateState.PASSED and not self.findings:
            return message("sequence.passed", count=self.confirmed)
        return None

    @property
    def blockers(self) -> list[Message]:
        """Why the gate is shut, as the clerk reads it."""
        if self.state in (GateState.NOT_RUN, GateState.CHECKING, GateState.FAILED):
            return [message("capture.sequence-not-run")]
        if self.state is GateState.BLOCKED:
            return [message("capture.sequence-finding", finding=f.message) for f in self.blocking]
        return []


class SequenceGate:
    """The gate's state for one booking; thread-safe."""

    def __init__(self, needed: bool) -> None:
        self._needed = needed
        self._lock = threading.Lock()
        self.report: SequenceReport | None = None
        self._findings: tuple[GateFinding, ...] = ()
        self._checking = False
        self._problem: Message | None = None
        self._override: tuple[str, str] | None = None

    def status(self, *, complete: bool) -> GateStatus:
        with self._lock:
            override_by, reason = self._override or (None, None)
            if not self._needed:
                state = GateState.NOT_NEEDED
            elif self._checking:
                state = GateState.CHECKING
            elif not complete:
                state = GateState.WAITING
            elif self._problem is not None:
                state = GateState.FAILED
            elif self.report is None:
                state = GateState.NOT_RUN
            elif any(f.blocking for f in self._findings):
                state = GateState.OVERRIDDEN if self._override else GateState.BLOCKED
            else:
                state = GateState.PASSED
            confirmed = len(self.report.confirmed) if self.report is not None else 0
            return GateStatus(state, self._findings, confirmed, self._problem, override_by, reason)

    @property
    def override_reason(self) -> str | None:
        return self._override[1] if self._override else None

    def checking(self) -> None:
        with self._lock:
            self._checking, self._problem = True, None

    def checked(self, report: SequenceReport) -> GateStatus:
        with self._lock:
            self.report = report
            self._findings = tuple(_finding(f, report) for f in report.findings)
            self._checking, self._problem, self._override = False, None, None
        return self.status(complete=True)

    def failed(self, problem: Message) -> None:
        with self._lock:
            self._checking, self._problem = False, problem

    def override(self, supervisor: str, reason: str) -> None:
        with self._lock:
            if self.report is None or not any(f.blocking for f in self._findings):
                raise StationError("capture.nothing-to-override")
            self._override = (supervisor, reason)

    def invalidate(self) -> None:
        """The prints changed: the last check no longer speaks for them."""
        with self._lock:
            self.report, self._findings, self._problem, self._override = None, (), None, None


def _finding(finding: Finding, report: SequenceReport) -> GateFinding:
    """A matcher finding as a gate finding with its Message (the matcher's own text is English)."""
    kind, fingers = finding.kind.value, finding.fingers
    if kind in ("swapped", "duplicate"):
        msg = message(f"sequence.{kind}", first=fingers[0], second=fingers[1])
    elif kind == "wrong-hand":
        msg = message("sequence.wrong-hand", hand="right" if fingers[0] <= 5 else "left", fingers=fingers)
    elif kind == "misplaced":
        (rolled,) = fingers
        others = {f: s for (r, f), s in report.scores.items() if r == rolled and f != rolled}
        msg = message("sequence.misplaced", finger=rolled, other=max(others, key=others.__getitem__))
    elif kind == "other-person":
        msg = message("sequence.other-person", fingers=fingers)
    else:
        msg = message("sequence.unconfirmed", finger=fingers[0])
    return GateFinding(kind, fingers, finding.is_error, msg)


__all__ = ["GateFinding", "GateState", "GateStatus", "SequenceGate"]
