"""The capture session without Qt: a whole plan through the virtual scanner, events, the gate.

No QApplication is involved: the session is the core object the Capture page only shows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import subprocess
import sys
import threading

import pytest

from booking_station.fingers import LEFT_SLAP, RIGHT_SLAP, THUMBS
from desktop.station import capture_session
from desktop.station.bookings import parse
from desktop.station.capture import CapturePlan, StepState
from desktop.station.capture_events import (
    AttemptJudged,
    CaptureEnded,
    PlanComplete,
    ScannerOpened,
    ScannerProblem,
    ScannerWaiting,
    StepsChanged,
)
from desktop.station.capture_gate import GateState
from desktop.station.capture_session import CaptureSession
from desktop.station.messages import StationError
from desktop.station.models import BookingStatus, Role
from drivers.virtual import Fault, Timing, VirtualControl, VirtualScanner


@pytest.fixture
def people(station):
    clerk = station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="test")
    boss = station.operators.add("super1", "fingerprint desk 1", Role.SUPERVISOR, actor="test")
    return clerk, boss


@pytest.fixture
def booking(station, booking_form, people):
    return station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1").id


@pytest.fixture
def scene():
    ctl = VirtualControl()
    ctl.set_timing(Timing.fast())
    return ctl


@pytest.fixture
def make_session(station, booking, people, scene):
    sessions = []

    def make(plan: CapturePlan | None = None, **kw) -> CaptureSession:
        session = CaptureSession(
            station,
            booking,
            people[0],
            lambda: VirtualScanner(scene, serve_socket=False),
            plan=plan,
            advance_delay=0.0,
            **kw,
        )
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()


def test_a_flats_plan_runs_headless_and_publishes_each_change(make_session, scene, station, booking) -> None:
    scene.present(61)
    session = make_session(CapturePlan(rolled=False))
    events = []
    session.subscribe(events.append)
    summary = session.run_plan(timeout=120)
    assert summary["complete"], summary
    assert [s["position"] for s in summary["steps"]] == [RIGHT_SLAP, LEFT_SLAP, THUMBS]
    assert {s["state"] for s in summary["steps"]} == {"captured"}
    assert summary["sequence"]["state"] == GateState.NOT_NEEDED.value
    kinds = [type(e) for e in events]
    judged = [e.attempt for e in events if isinstance(e, AttemptJudged)]
    # One accepted attempt per step; a synthetic finger may need a retake, and each retake says why.
    assert len([a for a in judged if not a.problems]) == 3, judged
    assert {m.code for a in judged for m in a.problems} <= {"capture.low-quality"}, judged
    assert kinds.count(CaptureEnded) == len(judged)
    assert StepsChanged in kinds and kinds[-1] is not None
    assert PlanComplete in kinds
    assert session.gate.state is GateState.NOT_NEEDED and session.blockers() == []
    assert session.epoch >= 2 * len(judged)  # started and judged, for every attempt
    # Submit hands the booking to the outbox (this card is a valid flats CAR).
    result = session.submit()
    assert result.code == "capture.queued"
    assert station.bookings.get(booking).status == BookingStatus.QUEUED


def test_a_poor_finger_is_retaken_then_the_best_kept_and_said_as_a_code(make_session, scene) -> None:
    scene.present(62, bandaged={2})
    session = make_session(CapturePlan(rolled=False))
    session.run_plan(timeout=120)
    status = session.status(RIGHT_SLAP)
    assert status.state is StepState.LOW_QUALITY and status.attempts == 3
    assert status.note.code == "capture.kept-best"
    assert status.note.params["problem"].code == "capture.low-quality"
    assert 2 in dict(status.note.params["problem"].params["qualities"])
    assert "best of 3 attempts kept" in str(status.note) and "right index" in str(status.note)


def test_auto_advance_waits_for_the_clerk_at_the_capture_screen(make_session, scene) -> None:
    scene.present(63)
    session = make_session(CapturePlan(rolled=False))
    ended = threading.Event()
    session.subscribe(lambda e: ended.set() if isinstance(e, CaptureEnded) else None)
    session.connect()  # not active: the scanner opens, nothing starts
    _until(lambda: session.device is not None)
    assert session.running is None and session.status(RIGHT_SLAP).attempts == 0
    picked = session.select(THUMBS)  # the clerk picks a step: it runs although not "active"
    assert ended.wait(60) and session.status(picked.position).state is StepState.CAPTURED
    _until(lambda: session.running is None)
    assert session.status(RIGHT_SLAP).attempts == 0  # nothing else started by itself


def test_an_unplugged_scanner_stops_the_plan_and_keeps_what_was_taken(make_session, scene) -> None:
    scene.present(64)
    # About the flow, not quality: a synthetic little finger in the 20s would ask for a retake.
    session = make_session(CapturePlan(rolled=False), threshold=10)
    session.auto_advance = False
    session.connect()
    _until(lambda: session.device is not None)
    problems = []
    session.subscribe(lambda e: problems.append(e) if isinstance(e, ScannerProblem) else None)
    done = threading.Event()
    session.subscribe(lambda e: done.set() if isinstance(e, CaptureEnded) else None)
    session.start()
    assert done.wait(60)
    scene.inject(Fault.UNPLUG)
    done.clear()
    session.start()
    assert done.wait(60)
    assert session.device is None and problems and problems[-1].gone
    assert problems[-1].problem.code == "scanner.gone"
    assert session.status(RIGHT_SLAP).state is StepState.CAPTURED
    scene.plug()
    session.auto_advance = True
    summary = session.run_plan(timeout=120)  # reconnects and carries on where it stopped
    assert summary["complete"] and session.status(RIGHT_SLAP).attempts == 1


def test_overrides_are_signed_by_a_supervisors_password(make_session, people) -> None:
    session = make_session()
    with pytest.raises(StationError) as refused:
        session.override(3, "clerk1", "fingerprint desk 1", "bandaged")
    assert refused.value.message.code == "capture.supervisor-refused"
    with pytest.raises(StationError) as wrong:
        session.override(3, "super1", "not the password", "bandaged")
    assert wrong.value.message.code == "capture.supervisor-refused"
    with pytest.raises(StationError) as no_reason:
        session.override(3, "super1", "fingerprint desk 1", "  ")
    assert no_reason.value.message.code == "capture.override-reason"
    session.override(3, "super1", "fingerprint desk 1", "bandaged hand")
    assert session.status(3).state is StepState.OVERRIDDEN
    assert session.status(3).note.params["reason"] == "bandaged hand"


def test_the_gate_is_a_state_of_its_own(make_session, people) -> None:
    session = make_session()
    assert session.gate.state is GateState.WAITING
    blockers = session.blockers()
    assert blockers and all(b.code == "capture.step-open" for b in blockers)
    assert str(blockers[0]) == "right four fingers: to do"
    with pytest.raises(StationError) as early:
        session.submit()
    assert early.value.message.code == "capture.not-ready"
    with pytest.raises(StationError) as nothing:
        session.override_sequence("super1", "fingerprint desk 1", "no findings yet")
    assert nothing.value.message.code == "capture.nothing-to-override"


def _until(condition, timeout: float = 60.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_capture_headless_command_runs_a_plan_without_qt(tmp_path, database_url, booking_form) -> None:
    """`booking-station capture --booking N --headless` in a fresh process: no Qt module is loaded."""
    from desktop.station import config as config_module
    from desktop.station.core import Station

    config_path = tmp_path / "station.toml"
    config_module.save(config_module.Config(database_url=database_url, capture_plan="flats"), config_path)
    station = Station.open(config_module.load(config_path))
    try:
        station.operators.add("clerk9", "fingerprint desk 9", Role.CLERK, actor="test")
        number = station.bookings.create(parse(booking_form(), dt.date.today()), actor="test").number
    finally:
        station.close()
    probe = (
        "import sys; from booking_station.cli import main; code = main(sys.argv[1:]); "
        "qt = sorted(m for m in sys.modules if m.startswith('PySide6')); "
        "print('QT-MODULES', qt, file=sys.stderr); sys.exit(code)"
    )
    argv = ["capture", "--booking", number, "--headless", "--subject", "65", "--missing", "10"]
    argv += ["--operator", "clerk9", "--password-stdin", "--submit"]
    env = {**os.environ, config_module.CONFIG_ENV: str(config_path)}
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        input="fingerprint desk 9\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "QT-MODULES []" in done.stderr
    summary = json.loads(done.stdout)
    assert summary["booking"] == number and summary["plan"] == "flats" and summary["complete"]
    states = {s["position"]: s["state"] for s in summary["steps"]}
    assert states[LEFT_SLAP] == "captured" and set(summary["steps"][1]["finger_quality"]) == {"7", "8", "9"}
    assert summary["submitted"].startswith("prints complete; queued for submission")


def test_capture_command_refuses_a_wrong_password(tmp_path, database_url, booking_form, capsys, monkeypatch):
    from booking_station.cli import main
    from desktop.station import config as config_module

    config_path = tmp_path / "station.toml"
    config_module.save(config_module.Config(database_url=database_url), config_path)
    monkeypatch.setenv(config_module.CONFIG_ENV, str(config_path))
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("nope\n"))
    code = main(["capture", "--booking", "2026-000001", "--headless", "--operator", "x1", "--password-stdin"])
    assert code == 2 and "wrong user name or password" in capsys.readouterr().err


def test_a_cancel_right_after_start_is_not_lost(make_session, scene) -> None:
    """Cancelled before the driver began the capture (it clears its own flag then): it still ends."""
    scene.present(66)
    scene.set_auto(False)  # nobody puts a finger down: only a cancel ends this capture
    session = make_session(CapturePlan(rolled=False))
    session.auto_advance = False
    session.connect()
    _until(lambda: session.device is not None)
    ended = threading.Event()
    session.subscribe(lambda e: ended.set() if isinstance(e, CaptureEnded) else None)
    for _ in range(5):  # the race is narrow: try it a few times
        ended.clear()
        assert session.start()
        session.cancel()
        assert ended.wait(20), "the cancelled capture kept waiting for a finger"
        _until(lambda: session.running is None)
    assert session.status(RIGHT_SLAP).attempts == 0


class _Recorded(VirtualScanner):
    """A virtual scanner that notes when it is opened and closed, by name."""

    def __init__(self, scene: VirtualControl, name: str, log: list[str]) -> None:
        super().__init__(scene, serve_socket=False)
        self.name, self.log = name, log

    def open(self) -> None:
        self.log.append(f"open {self.name}")
        super().open()

    def close(self) -> None:
        self.log.append(f"close {self.name}")
        super().close()


def _next_of(events: queue.Queue, kind: type, timeout: float = 60.0):
    while True:
        event = events.get(timeout=timeout)
        if isinstance(event, kind):
            return event


def test_closing_mid_capture_returns_at_once_and_the_next_session_waits_for_the_scanner(
    station, booking, booking_form, people, scene
) -> None:
    """The scanner is slow to hand over a frame (a transfer a cancel cannot cut short) when the
    booking closes: close() returns with the session's thread still in the driver. The next
    booking's session says it waits, opens the scanner only after the first has closed it, and
    captures; the station's close waits for every session to end."""
    log: list[str] = []
    scene.present(67)
    scene.hold_frames()
    first = CaptureSession(
        station, booking, people[0], lambda: _Recorded(scene, "first", log), advance_delay=0.0
    )
    second = None
    try:
        first.set_active(True)
        first.connect()
        assert scene.wait_frame_held(60), "the first capture never reached the scanner"
        first.close()
        assert first.running is not None and not first.ended  # returned while the driver is busy
        assert not capture_session.wait_released(timeout=0)
        assert log == ["open first"]

        other = station.bookings.create(
            parse(booking_form(surname="Second"), dt.date.today()), actor="clerk1"
        )
        second = CaptureSession(
            station, other.id, people[0], lambda: _Recorded(scene, "second", log), advance_delay=0.0
        )
        events: queue.Queue = queue.Queue()
        second.subscribe(events.put)
        second.set_active(True)
        second.connect()
        _next_of(events, ScannerWaiting)
        assert log == ["open first"]  # the first still holds it
        scene.release_frames()
        _next_of(events, ScannerOpened)
        assert first.ended and log == ["open first", "close first", "open second"]
        judged = _next_of(events, AttemptJudged)
        assert judged.attempt.step.position == RIGHT_SLAP  # the next booking's capture got the scanner
        assert first.status(RIGHT_SLAP).attempts == 0  # the cancelled capture stored nothing
        assert capture_session.close_all(station)  # what the station's close does at exit
        assert second.ended and log[-1] == "close second"
    finally:
        scene.release_frames()
        for session in (first, second):
            if session is not None:
                session.close()
