"""The capture workflow core (no Qt) fed with the real NBIS card's prints as scanner results."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from booking_station.runtime import UserError
from desktop.station.bookings import parse
from desktop.station.capture import (
    LEFT_SLAP,
    RIGHT_SLAP,
    THUMBS,
    CapturePlan,
    CaptureWorkflow,
    StepState,
    Verdict,
)
from desktop.station.models import BookingStatus, Capture, Role
from drivers.api import EXPECTED_FINGERS, CaptureMode, CaptureResult, FingerPosition

pytestmark = pytest.mark.realdata
PPI = 250.0


@pytest.fixture
def card(shared_data: Path) -> dict[int, np.ndarray]:
    folder = shared_data / "fingerprints" / "nbis_tenprint_card"
    images = {int(p.name[9:11]): cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p in folder.glob("rec*.png")}
    # The card has single plain thumbs (11 right, 12 left); a two-thumb scanner shows left then right.
    left, right = images[12], images[11]
    h = max(left.shape[0], right.shape[0])
    canvas = np.full((h + 40, left.shape[1] + right.shape[1] + 120), 250, np.uint8)
    canvas[20 : 20 + left.shape[0], 20 : 20 + left.shape[1]] = left
    canvas[20 : 20 + right.shape[0], 100 + left.shape[1] : 100 + left.shape[1] + right.shape[1]] = right
    images[THUMBS] = canvas
    return images


@pytest.fixture
def people(station):
    clerk = station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="test")
    boss = station.operators.add("super1", "fingerprint desk 1", Role.SUPERVISOR, actor="test")
    return clerk, boss


@pytest.fixture
def booking(station, booking_form, people):
    import datetime as dt

    data = parse(booking_form(), dt.date.today())
    return station.bookings.create(data, actor="clerk1", operator_id=people[0].id).id


_MODES = {
    RIGHT_SLAP: CaptureMode.RIGHT_SLAP,
    LEFT_SLAP: CaptureMode.LEFT_SLAP,
    THUMBS: CaptureMode.TWO_THUMBS,
}


def _result(position: int, image: np.ndarray) -> CaptureResult:
    mode = _MODES.get(position, CaptureMode.ROLLED)
    fingers = EXPECTED_FINGERS[mode] if mode in EXPECTED_FINGERS else (FingerPosition(position),)
    return CaptureResult(image, PPI, mode, tuple(fingers), time.monotonic())


def _blank() -> np.ndarray:
    return np.full((375, 400), 245, np.uint8)


def test_flats_only_plan_captures_and_keeps_prints_when_the_outbox_refuses(station, booking, people, card):
    wf = CaptureWorkflow(station, booking, people[0], plan=CapturePlan(rolled=False), threshold=20)
    assert [s.position for s in wf.steps] == [RIGHT_SLAP, LEFT_SLAP, THUMBS]
    for position in (RIGHT_SLAP, LEFT_SLAP, THUMBS):
        assert wf.next_step().position == position
        attempt = wf.judge(_result(position, card[position]))
        assert attempt.verdict is Verdict.ACCEPTED, attempt.problems
        assert len(attempt.finger_quality) == len(wf.step(position).fingers)
    assert wf.complete() and wf.blockers() == []
    # The card is 250 ppi and flats only: the outbox refuses to build a CAR from it. The prints
    # stay saved and the booking says "captured", with the reason given (the field, its value and
    # the EBTS error code, which the UI words in the clerk's language).
    reason = (
        "complete and saved, but could not be queued: .*14.009 THPS is '250': value out of range; "
        "accepted: 500 ppi or 1000 ppi, error code L0011"
    )
    with pytest.raises(UserError, match=reason):
        wf.submit()
    assert station.bookings.get(booking).status == BookingStatus.CAPTURED
    assert CaptureWorkflow(station, booking, people[0], plan=CapturePlan(rolled=False)).complete()


def test_each_accepted_capture_is_stored_at_once(station, booking, people, card):
    wf = CaptureWorkflow(station, booking, people[0], threshold=20)
    wf.judge(_result(RIGHT_SLAP, card[RIGHT_SLAP]))
    wf.judge(_result(3, card[3]))
    # A new workflow (as after a crash) sees exactly what was accepted.
    again = CaptureWorkflow(station, booking, people[0], threshold=20)
    assert again.status(RIGHT_SLAP).state is StepState.CAPTURED
    assert again.status(3).state is StepState.CAPTURED
    assert again.next_step().position == LEFT_SLAP
    image, ppi = again.image(3)
    assert ppi == PPI and np.array_equal(image, card[3])


def test_bad_capture_is_retaken_then_best_kept(station, booking, people, card):
    wf = CaptureWorkflow(station, booking, people[0], threshold=20)
    first = wf.judge(_result(2, _blank()))
    assert first.verdict is Verdict.RETAKE and first.problems
    assert wf.status(2).state is StepState.RETAKE and wf.status(2).attempts == 1
    second = wf.judge(_result(2, _blank()))
    assert second.verdict is Verdict.RETAKE
    third = wf.judge(_result(2, _blank()))
    assert third.verdict is Verdict.KEPT_BEST and "best of 3 attempts" in str(third.reason)
    status = wf.status(2)
    assert status.state is StepState.LOW_QUALITY and status.attempts == 3 and "best of 3" in str(status.note)
    with station.store.session() as s:
        rows = s.query(Capture).filter_by(booking_id=booking, position=2).all()
    assert len(rows) == 3 and sum(r.accepted for r in rows) == 1


def test_good_retake_is_accepted(station, booking, people, card):
    wf = CaptureWorkflow(station, booking, people[0], threshold=20)
    assert wf.judge(_result(4, _blank())).verdict is Verdict.RETAKE
    assert wf.judge(_result(4, card[4])).verdict is Verdict.ACCEPTED
    assert wf.status(4).state is StepState.CAPTURED and wf.status(4).attempts == 2


def test_amputated_finger_is_annotated_and_expected_missing_from_the_slap(station, booking, people, card):
    wf = CaptureWorkflow(station, booking, people[0], threshold=20)
    with pytest.raises(UserError, match="reason"):
        wf.annotate(5, "XX", "  ")
    with pytest.raises(UserError, match="XX"):
        wf.annotate(5, "ZZ", "why")
    wf.annotate(5, "XX", "amputated at the knuckle")
    assert wf.status(5).state is StepState.AMPUTATED
    assert wf.missing_fingers() == {5}
    # The little finger is not on the slap: three fingers is the right count now.
    attempt = wf.judge(_result(RIGHT_SLAP, card[RIGHT_SLAP][:, :620]))
    assert attempt.verdict is Verdict.ACCEPTED, attempt.problems
    assert sorted(attempt.finger_quality) == [2, 3, 4]


def test_wrong_finger_count_asks_for_a_retake(station, booking, people, card):
    wf = CaptureWorkflow(station, booking, people[0], threshold=20)
    attempt = wf.judge(_result(RIGHT_SLAP, card[RIGHT_SLAP][:, :620]))
    assert attempt.verdict is Verdict.RETAKE
    assert attempt.problems[0].code == "capture.finger-count"
    assert attempt.problems[0].params == {"found": 3, "expected": 4}
    assert str(attempt.problems[0]) == "found 3 finger(s) where 4 were expected"


def test_override_needs_a_supervisor(station, booking, people):
    clerk, boss = people
    wf = CaptureWorkflow(station, booking, clerk, threshold=20)
    with pytest.raises(UserError, match="not a supervisor"):
        wf.override(1, clerk, "finger bandaged")
    wf.override(1, boss, "finger bandaged, cannot be rolled")
    assert wf.status(1).state is StepState.OVERRIDDEN
    assert wf.status(1).note.params["reason"] == "finger bandaged, cannot be rolled"


def test_submit_is_refused_until_complete(station, booking, people, card):
    wf = CaptureWorkflow(station, booking, people[0], threshold=20)
    wf.judge(_result(RIGHT_SLAP, card[RIGHT_SLAP]))
    with pytest.raises(UserError, match="cannot be submitted yet: left four fingers: to do"):
        wf.submit()


def test_redo_sets_a_step_back(station, booking, people, card):
    wf = CaptureWorkflow(station, booking, people[0], threshold=20)
    wf.judge(_result(7, card[7]))
    wf.redo([7], "sequence check: swapped")
    assert wf.status(7).state is StepState.TODO and wf.status(7).attempts == 0
    with station.store.session() as s:
        assert s.query(Capture).filter_by(booking_id=booking, position=7).count() == 1


def test_a_flat_crop_too_small_to_compare_is_left_out_not_fatal(station, booking, people, card, monkeypatch):
    """Segmentation may find a fingertip only as a sliver: that finger is not judged, and the
    sequence check still runs on the others (it used to fail as a whole)."""
    wf = CaptureWorkflow(station, booking, people[0])
    images = {2: (np.full((32, 64), 128, np.uint8), 500.0), 3: (card[3], PPI)}
    monkeypatch.setattr(wf, "flat_finger_images", lambda: images)
    templates = wf._flat_templates()
    assert sorted(templates) == [3]
