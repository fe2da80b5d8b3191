"""Thinning: the kernel gives plain Zhang–Suen's skeleton, pixel for pixel."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from matcher import _skeleton


def _plain_thin(binary: np.ndarray) -> np.ndarray:
    """Zhang–Suen as written in the paper: every pixel judged on the image before each
    sub-iteration, then the staircase corners removed in raster order."""
    img = binary.astype(np.int64)
    img[[0, -1], :] = 0
    img[:, [0, -1]] = 0
    h, w = img.shape

    def neighbours(a: np.ndarray) -> list[np.ndarray]:
        pad = np.pad(a, 1)
        return [
            pad[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w]
            for dy, dx in zip(_skeleton._NY, _skeleton._NX, strict=True)
        ]

    changed = True
    while changed:
        changed = False
        for step in range(2):
            p = neighbours(img)
            b = sum(p)
            a = sum((p[k] == 0) & (p[(k + 1) % 8] == 1) for k in range(8))
            if step == 0:
                keep = (p[0] * p[2] * p[4] != 0) | (p[2] * p[4] * p[6] != 0)
            else:
                keep = (p[0] * p[2] * p[6] != 0) | (p[0] * p[4] * p[6] != 0)
            gone = (img == 1) & (b >= 2) & (b <= 6) & (a == 1) & ~keep
            if gone.any():
                img[gone] = 0
                changed = True
    for y, x in zip(*np.nonzero(img), strict=True):
        if y in (0, h - 1) or x in (0, w - 1) or not img[y, x]:
            continue
        n_, e_, s_, w_ = img[y - 1, x], img[y, x + 1], img[y + 1, x], img[y, x - 1]
        if (
            (n_ and e_ and not s_ and not w_ and not img[y + 1, x - 1])
            or (e_ and s_ and not n_ and not w_ and not img[y - 1, x - 1])
            or (s_ and w_ and not n_ and not e_ and not img[y - 1, x + 1])
            or (w_ and n_ and not s_ and not e_ and not img[y + 1, x + 1])
        ):
            img[y, x] = 0
    return img.astype(np.uint8)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_thinning_equals_plain_zhang_suen(make_phase_print: Callable[..., np.ndarray], seed: int) -> None:
    img = make_phase_print(seed, width=200, height=180, period=7.0 + 2 * seed)
    ridges = (cv2.GaussianBlur(img, (0, 0), 1.0) < 128).astype(np.uint8)
    ridges[:, :3] = 1  # ridges touching the border, and a blob thick enough for many passes
    ridges[60:110, 80:150] = 1
    assert np.array_equal(_skeleton.thin(ridges), _plain_thin(ridges))


def test_thinning_of_noise_equals_plain_zhang_suen() -> None:
    noise = (np.random.default_rng(5).random((90, 110)) < 0.55).astype(np.uint8)
    assert np.array_equal(_skeleton.thin(noise), _plain_thin(noise))
