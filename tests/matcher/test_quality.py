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
