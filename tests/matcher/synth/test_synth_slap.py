"""Slaps and thumbs: the right fingers, in order, where the boxes say, with their own minutiae."""

from __future__ import annotations

import numpy as np
import pytest

from matcher import synth


def _centres(slap: synth.Slap) -> list[float]:
    return [x + w / 2 for _, (x, _y, w, _h) in slap.fingers]


def _ink(image: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Share of the box clearly darker than the platen (ridges), whatever the skin's contrast."""
    x, y, w, h = box
    return float((image[y : y + h, x : x + w] < np.median(image) - 40).mean())


def test_right_slap_holds_four_distinct_right_fingers_in_order() -> None:
    slap = synth.slap(21, "right", seed=1)
    assert [f for f, _ in slap.fingers] == [2, 3, 4, 5]
    centres = _centres(slap)
    assert centres == sorted(centres)
    assert slap.image.dtype == np.uint8 and slap.ppi == 500
    for fgp, box in slap.fingers:
        # Each box holds ridges, and each finger's minutiae fall inside its own box.
        assert _ink(slap.image, box) > 0.15
        m = slap.minutiae[fgp]
        x, y, w, h = box
        assert len(m) >= 10
        assert ((m[:, 0] >= x) & (m[:, 0] < x + w) & (m[:, 1] >= y) & (m[:, 1] < y + h)).all()
    # Distinct fingers: the middle finger's tip is the highest, the little finger's the lowest.
    tops = {f: box[1] for f, box in slap.fingers}
    assert tops[3] < tops[5] and tops[2] < tops[5] and tops[4] < tops[5]


def test_left_slap_and_thumbs_order() -> None:
    assert [f for f, _ in synth.slap(21, "left", seed=1).fingers] == [10, 9, 8, 7]
    assert [f for f, _ in synth.thumbs(21, seed=1).fingers] == [6, 1]


def test_slap_fingers_are_the_subjects_own_fingers() -> None:
    # The same master finger appears in the slap and in a plain impression: same pattern class,
    # and different subjects do not produce the same slap.
    a = synth.slap(22, "right", seed=3)
    b = synth.slap(23, "right", seed=3)
    assert not np.array_equal(a.image, b.image)
    assert np.array_equal(a.image, synth.slap(22, "right", seed=3).image)


def test_missing_and_bandaged_fingers() -> None:
    slap = synth.slap(21, "right", seed=2, missing=frozenset({4}), bandaged=frozenset({5}))
    assert [f for f, _ in slap.fingers] == [2, 3, 5]
    assert 4 not in slap.minutiae
    assert len(slap.minutiae[5]) == 0  # a dressing has no ridges
    assert len(slap.minutiae[2]) > 0


def test_stray_thumb_makes_five_fingers() -> None:
    slap = synth.slap(21, "right", seed=2, with_thumb=True)
    assert sorted(f for f, _ in slap.fingers) == [1, 2, 3, 4, 5]


def test_bad_finger_sets_are_named() -> None:
    with pytest.raises(ValueError, match="missing fingers \\[7\\]"):
        synth.slap(1, "right", seed=0, missing=frozenset({7}))
    with pytest.raises(ValueError, match="hand"):
        synth.slap(1, "middle", seed=0)


def test_ground_truth_is_json_ready() -> None:
    import json

    slap = synth.thumbs(5, seed=1, bandaged=frozenset({1}))
    data = json.loads(json.dumps(slap.ground_truth()))
    assert [f["finger"] for f in data["fingers"]] == [6, 1]
    assert data["bandaged"] == [1]
