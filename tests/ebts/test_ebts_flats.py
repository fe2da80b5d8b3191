"""A flats-only (4-4-2) CAR: both slaps and both thumbs, segmented, no rolled prints."""

from __future__ import annotations

import dataclasses

import pytest
from ebts_samples import ridges

from ebts import FingerImage, Segment, Submission, Transaction, build_car, parse, validate
from ebts.validate import is_flats_only

SIZE = 64


def _flats(missing: dict[int, str] | None = None) -> list[FingerImage]:
    missing = missing or {}
    out = []
    for fgp, fingers in ((13, (2, 3, 4, 5)), (14, (7, 8, 9, 10)), (15, (1, 6))):
        segments = tuple(
            Segment(f, i * SIZE, (i + 1) * SIZE, 0, SIZE, 50 + i)
            for i, f in enumerate(fingers)
            if f not in missing
        )
        gone = {f: code for f, code in missing.items() if f in fingers}
        image = ridges(len(fingers) * SIZE, SIZE, fgp)
        out.append(FingerImage(fgp, image, 500, False, quality=55, segments=segments, missing=gone))
    return out


@pytest.fixture
def flats_car(submission: Submission) -> Transaction:
    return parse(build_car(dataclasses.replace(submission, images=_flats())))


def test_a_segmented_flats_only_car_is_valid(flats_car: Transaction) -> None:
    assert is_flats_only(flats_car)
    assert validate(flats_car) == []
    assert sorted(r.get(13) for r in flats_car.of_type(14)) == ["13", "14", "15"]
    assert {r.get(3) for r in flats_car.of_type(14)} == {"0"}  # live-scan plain


def test_the_tenprint_car_is_not_flats_only(submission: Submission) -> None:
    assert not is_flats_only(parse(build_car(submission)))


def test_an_amputated_finger_is_declared_not_segmented(submission: Submission) -> None:
    flats = dataclasses.replace(submission, images=_flats({3: "XX"}), amputated={3: "XX"})
    assert validate(parse(build_car(flats))) == []


@pytest.mark.parametrize(
    ("breaks", "field", "code"),
    [
        # A slap finger with no segment and no AMP code cannot be searched.
        (lambda tx: _slap(tx, 13).set(21, [["2", "0", "64", "0", "64"]]), "14.021 SEG", "L0005"),
        (lambda tx: _slap(tx, 15).fields.pop(21), "14.021 SEG", "L0005"),
        (lambda tx: tx.records.remove(_slap(tx, 14)), "14.013 FGP", "L0005"),
        (lambda tx: tx.records.remove(_slap(tx, 15)), "14.013 FGP", "L0005"),
        # The flats are plain impressions.
        (lambda tx: _slap(tx, 13).set(3, "1"), "14.003 IMP", "L0002"),
        # Declared amputated yet segmented in the slap.
        (lambda tx: tx.first(2).set(84, [["04", "XX"]]), "2.084 AMP", "L0005"),
    ],
    ids=["unsegmented-finger", "unsegmented-thumbs", "no-left-slap", "no-thumbs", "rolled-imp", "amp-shown"],
)
def test_flats_only_rules(flats_car: Transaction, breaks, field: str, code: str) -> None:
    breaks(flats_car)
    problems = validate(flats_car)
    assert any(p.field == field and p.code == code for p in problems), problems


def test_some_rolled_prints_make_it_a_tenprint_car_that_needs_all_ten(submission: Submission) -> None:
    rolled = [FingerImage(2, ridges(SIZE, SIZE, 2), 500, True, quality=60)]
    tx = parse(build_car(dataclasses.replace(submission, images=_flats() + rolled)))
    problems = validate(tx)
    assert not is_flats_only(tx)
    assert any(p.field == "14.013 FGP" and "no rolled" in p.rule for p in problems), problems


def _slap(tx: Transaction, fgp: int):  # type: ignore[no-untyped-def]
    return next(r for r in tx.of_type(14) if r.get(13) == str(fgp))


def test_a_slap_of_amputated_fingers_need_not_be_sent(submission: Submission) -> None:
    gone = {1: "XX", 6: "XX"}
    images = [f for f in _flats(gone) if f.fgp != 15]
    flats = dataclasses.replace(submission, images=images, amputated=gone)
    assert validate(parse(build_car(flats))) == []
    # Only one thumb declared: the thumbs are still wanted.
    flats = dataclasses.replace(flats, amputated={1: "XX"})
    assert any(p.field == "14.013 FGP" and "thumbs" in p.rule for p in validate(parse(build_car(flats))))


def test_a_car_without_any_images_is_judged_as_a_tenprint(flats_car: Transaction) -> None:
    for record in flats_car.of_type(14):
        flats_car.records.remove(record)
    assert not is_flats_only(flats_car)
    rules = [p.rule for p in validate(flats_car)]
    assert sum("no rolled" in r for r in rules) == 10, rules
