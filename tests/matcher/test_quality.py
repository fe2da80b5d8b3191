from __future__ import annotations

import cv2
import numpy as np

from matcher import quality


def test_good_print_scores_above_degraded_versions(prints) -> None:
    img = prints[0]
    good = quality(img, 500)
    blurred = quality(cv2.GaussianBlur(img, (0, 0), 3.0), 500)
    rng = np.random.default_rng(1)
    noisy = quality(np.clip(img + rng.normal(0, 70, img.shape), 0, 255).astype(np.uint8), 500)
    faint = quality((img.astype(np.float32) * 0.15 + 200).astype(np.uint8), 500)
    assert 0 <= good.score <= 100
    assert good.score > blurred.score
    assert good.score > noisy.score
    assert good.score > faint.score + 10


def test_partial_print_scores_below_full(prints) -> None:
    img = prints[1].copy()
    partial = img.copy()
    partial[:, : int(img.shape[1] * 0.65)] = 235
    assert quality(img, 500).score > quality(partial, 500).score


def test_blank_image_scores_zero() -> None:
    assert quality(np.full((300, 300), 220, np.uint8), 500).score == 0


def test_block_map_covers_the_image_at_its_own_resolution(prints) -> None:
    img = prints[2]
    r = quality(img, 500)
    assert r.block_size == 32
    assert r.block_map.dtype == np.float32
    assert r.block_map.shape == (-(-img.shape[0] // 32), -(-img.shape[1] // 32))
    assert r.block_map.min() >= 0 and r.block_map.max() <= 100
    # Background corners are worthless, the centre of the print is not.
    assert r.block_map[0, 0] == 0
    h, w = r.block_map.shape
    assert r.block_map[h // 2, w // 2] > 30
    big = cv2.resize(img, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    r2 = quality(big, 1000)
    assert r2.block_size == 64
    assert r2.block_map.shape == r.block_map.shape


def _loop_print():  # type: ignore[no-untyped-def]
    """A synthetic rolled print with one core (a loop)."""
    from matcher import synth

    for finger in range(1, 11):
        imp = synth.impression(424_242, finger, seed=0, kind="rolled")
        if len(imp.cores) == 1:
            return imp
    raise AssertionError("no single-core finger among the subject's ten")


def test_a_print_whose_core_lies_at_its_edge_scores_below_one_that_holds_it() -> None:
    from matcher import _features, _quality

    imp = _loop_print()
    cx, cy = (int(v) for v in imp.cores[0])
    img = imp.image
    held = img[max(0, cy - 160) : cy + 160, max(0, cx - 150) : cx + 150]
    # The same finger framed so that the core sits at the bottom edge: the tip of the finger.
    tip = img[max(0, cy - 300) : cy + 4, max(0, cx - 150) : cx + 150]
    _img, f_held = _features.analyse(held, 500)
    _img, f_tip = _features.analyse(tip, 500)
    assert _quality.core_depth(f_held) >= 40
    assert _quality.core_depth(f_tip) < 20
    assert quality(tip, 500).score < 0.7 * quality(held, 500).score


def test_no_core_costs_a_small_print_but_not_one_as_large_as_a_rolled_arch() -> None:
    from matcher import _quality

    assert _quality._core_factor(0.0, 40_000) == _quality._NO_CORE
    assert _quality._core_factor(0.0, 150_000) == 1.0
    assert _quality._core_factor(80.0, 40_000) == 1.0  # a core well inside: nothing to fear
    assert _quality._core_factor(10.0, 150_000) < 0.5


def test_a_print_whose_ridges_are_broken_into_fragments_scores_below_half_the_whole_one(prints) -> None:
    # Dry skin touches the platen in patches: the ridges print as fragments with valley-grey gaps
    # of a few pixels. The Gabor ridge model still draws them whole (orientation, clarity and
    # contrast stay good: the old score gave these 44–48 where the whole print has 75), but the
    # extractor finds minutiae at the gaps that the next impression will not have.
    from matcher import _features, _quality

    rng = np.random.default_rng(7)
    for seed in (0, 1, 2):
        img = prints[seed]
        contact = cv2.GaussianBlur(rng.normal(0, 1, img.shape), (0, 0), 3.5)
        gap = contact < np.quantile(contact, 0.4)
        broken = np.where(gap & (img < 200), 228, img).astype(np.uint8)
        _img, f_whole = _features.analyse(img, 500)
        _img, f_broken = _features.analyse(broken, 500)
        assert _quality.ridge_disagreement(f_whole) < _quality._DISAGREE[0]
        assert _quality.ridge_disagreement(f_broken) > _quality._DISAGREE[0]
        assert quality(broken, 500).score < 0.5 * quality(img, 500).score


def test_ridge_model_disagreement_costs_nothing_below_its_start_and_the_floor_above_its_end() -> None:
    from matcher import _quality

    lo, hi = _quality._DISAGREE
    assert _quality._model_factor(0.0) == _quality._model_factor(lo) == 1.0
    assert _quality._model_factor(hi) == _quality._model_factor(0.5) == _quality._DISAGREE_FLOOR
    assert _quality._DISAGREE_FLOOR < _quality._model_factor((lo + hi) / 2) < 1.0
