"""Gabor enhancement: the fast filtering gives the plain filtering's numbers, bit for bit, where read."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from matcher import _features


def _plain(norm: np.ndarray, theta: np.ndarray, period: float) -> np.ndarray:
    """Every orientation filtered in the box of all its pixels, each pixel taking its own (the
    extractor's enhancement until issue 24's speed-up)."""
    n = _features._N_ANGLES
    idx = (np.round(theta / (np.pi / n)).astype(np.int32)) % n
    out = np.zeros_like(norm)
    for i in range(n):
        sel = idx == i
        if not sel.any():
            continue
        cx, sx, cy, sy = _features._gabor_1d(period, i * np.pi / n)
        ys, xs = np.nonzero(sel)
        pad = len(cx) // 2 + 1
        y0, y1 = max(ys.min() - pad, 0), min(ys.max() + pad + 1, norm.shape[0])
        x0, x1 = max(xs.min() - pad, 0), min(xs.max() + pad + 1, norm.shape[1])
        win = norm[y0:y1, x0:x1]
        r = cv2.sepFilter2D(win, cv2.CV_32F, cx, cy) - cv2.sepFilter2D(win, cv2.CV_32F, sx, sy)
        out[y0:y1, x0:x1][sel[y0:y1, x0:x1]] = r[sel[y0:y1, x0:x1]]
    return out


def _plain_enhance(norm: np.ndarray, theta: np.ndarray, period: float) -> np.ndarray:
    if period < _features._HALF_MIN_PERIOD:
        return _plain(norm, theta, period)
    h, w = norm.shape
    small = cv2.resize(norm, ((w + 1) // 2, (h + 1) // 2), interpolation=cv2.INTER_AREA)
    th = np.ascontiguousarray(theta[::2, ::2])[: small.shape[0], : small.shape[1]]
    return cv2.resize(_plain(small, th, period / 2), (w, h), interpolation=cv2.INTER_CUBIC)


@pytest.mark.parametrize("period", [7.0, 9.0, 12.5])  # full grid twice, then the half grid
@pytest.mark.parametrize("cut", [0, 57, 60, 63, 77])  # the print cut at the right edge, at several widths
def test_enhancement_equals_plain_filtering_wherever_it_is_read(
    make_phase_print: Callable[..., np.ndarray], period: float, cut: int
) -> None:
    img = make_phase_print(7, width=340, height=300, period=period)
    img = img[:, : img.shape[1] - cut].astype(np.float32)
    mask = _features.segment(img)
    norm = _features.normalise(img)
    theta, _coh = _features.orientation_field(norm, mask)
    p = _features.ridge_period(norm, mask)
    assert (p < _features._HALF_MIN_PERIOD) == (period < 10)
    fast = _features.enhance(norm, theta, p, mask)
    plain = _plain_enhance(norm, theta, p)
    read = _features._needed(mask, _features._NEED_PX) > 0
    assert mask[:, -1].any() or not cut
    assert np.array_equal(fast[read], plain[read])
    if period < 10:  # nothing reads it further out, so nothing is computed there
        assert not fast[~read].any()
