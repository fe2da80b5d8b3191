"""Sequence check: swapped fingers, a wrong hand, duplicates, on the real card and by its rules."""

from __future__ import annotations

import pytest

from matcher.sequence import FindingKind, check_sequence

ALL = range(1, 11)


def _same(a: str, b: str) -> float:
    # Stand-in "templates" are the true finger's name: equal names are the same finger.
    return 0.9 if a == b else 0.05


def _run(rolled_truth: dict[int, str], flats_truth: dict[int, str] | None = None):
    flats = flats_truth or {f: f"finger{f}" for f in ALL}
    return check_sequence(rolled_truth, flats, threshold=0.5, score=_same)


def test_correct_sequence_is_confirmed():
    report = _run({r: f"finger{r}" for r in ALL})
    assert report.ok and report.findings == ()
    assert report.confirmed == frozenset(ALL)
    assert report.summary() == "sequence confirmed for 10 finger(s)"


def test_swapped_rolled_fingers_are_found():
    rolled = {r: f"finger{r}" for r in ALL}
    rolled[3], rolled[4] = rolled[4], rolled[3]
    report = _run(rolled)
    assert not report.ok
    assert [(f.kind, f.fingers) for f in report.findings] == [(FindingKind.SWAPPED, (3, 4))]
    assert "right middle and right ring appear swapped" in report.summary()


def test_wrong_hand_rolled():
    rolled = {r: f"finger{r}" for r in ALL}
    for r in (2, 3, 4, 5):
        rolled[r] = f"finger{r + 5}"  # the left hand's fingers rolled in the right hand's places
    report = _run(rolled)
    kinds = {f.kind for f in report.errors}
    assert FindingKind.WRONG_HAND in kinds
    wrong = next(f for f in report.findings if f.kind == FindingKind.WRONG_HAND)
    assert set(wrong.fingers) == {2, 3, 4, 5} and "right-hand rolled prints" in wrong.message
    # The left hand's rolled prints are also the left fingers: duplicates of the same fingers.
    assert any(f.kind == FindingKind.DUPLICATE and f.fingers == (2, 7) for f in report.findings)


def test_same_finger_twice():
    rolled = {r: f"finger{r}" for r in ALL}
    rolled[9] = "finger8"
    report = _run(rolled)
    assert [(f.kind, f.fingers) for f in report.errors] == [(FindingKind.DUPLICATE, (8, 9))]
    assert 9 not in report.confirmed and 8 in report.confirmed


def test_a_poor_print_is_only_a_warning():
    rolled = {r: f"finger{r}" for r in ALL}
    rolled[5] = "smudge"
    report = _run(rolled)
    assert report.ok
    assert [(f.kind, f.fingers) for f in report.findings] == [(FindingKind.UNCONFIRMED, (5,))]


def test_missing_positions_are_not_judged():
    rolled = {r: f"finger{r}" for r in ALL if r != 7}
    flats = {f: f"finger{f}" for f in ALL if f != 2}
    report = _run(rolled, flats)
    assert report.ok and report.findings == ()
    assert 2 not in report.confirmed and 7 not in report.confirmed


def test_bad_positions_are_named():
    with pytest.raises(ValueError, match=r"\[13\]"):
        check_sequence({13: "x"}, {}, threshold=0.5, score=_same)
