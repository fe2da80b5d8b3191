"""The Gabor growth kernel gives the plain per-pixel loop's output, bit for bit.

The plain loop is the kernel the masters of generator version 11 were grown with; it is compiled
here by numba for the same CPU as the kernel (so with NUMBA_CPU_NAME=haswell both are haswell
code, and the comparison still holds every bit).
"""

from __future__ import annotations

import numba
import numpy as np
import pytest

from matcher.synth import _gabor


@numba.njit(nogil=True)
def _plain_filter(src, obin, pbin, mask, bank, gain, out):  # noqa: ANN001, ANN202 - numba
    """One pixel at a time: sum k[j, i] * src[...] (float32 products) into a float64, (j, i) in
    order, clamping reads at the borders."""
    h, w = src.shape
    r = bank.shape[2] // 2
    for y in range(h):
        for x in range(w):
            if not mask[y, x]:
                out[y, x] = 0.0
                continue
            k = bank[obin[y, x], pbin[y, x]]
            acc = 0.0
            y0 = y - r
            x0 = x - r
            if y0 >= 0 and x0 >= 0 and y0 + 2 * r < h and x0 + 2 * r < w:
                for j in range(2 * r + 1):
                    for i in range(2 * r + 1):
                        acc += k[j, i] * src[y0 + j, x0 + i]
            else:
                for j in range(2 * r + 1):
                    yy = min(max(y0 + j, 0), h - 1)
                    for i in range(2 * r + 1):
                        xx = min(max(x0 + i, 0), w - 1)
                        acc += k[j, i] * src[yy, xx]
            v = acc * gain
            out[y, x] = 1.0 if v > 1.0 else (-1.0 if v < -1.0 else v)


def _case(seed: int, shape: tuple[int, int], radius: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    n_periods = 9
    bank = _gabor.kernel_bank(radius, n_periods, _gabor.PERIOD_MIN, _gabor.PERIOD_STEP)
    src = rng.normal(0, 0.5, shape).astype(np.float32)
    obin = rng.integers(0, _gabor.N_ORIENTATIONS, shape).astype(np.uint8)
    pbin = rng.integers(0, n_periods, shape).astype(np.uint8)
    mask = rng.random(shape) > 0.1
    return src, obin, pbin, mask, bank


@pytest.mark.parametrize(
    ("shape", "radius"),
    [
        ((37, 29), 4),  # a row that ends mid-lane
        ((40, 64), 6),  # whole lanes; the half-scale growth's radius
        ((30, 45), 9),  # the full-scale settle's radius
        ((5, 3), 4),  # smaller than the kernel and than one lane: every read clamped
        ((17, 1), 2),
    ],
)
def test_kernel_equals_plain_loop_bit_for_bit(shape: tuple[int, int], radius: int) -> None:
    src, obin, pbin, mask, bank = _case(sum(shape) + radius, shape, radius)
    gain = np.float32(2.0)
    fast = np.full(shape, np.nan, np.float32)
    plain = np.full(shape, np.nan, np.float32)
    _gabor._filter(src, obin, pbin, mask, bank, gain, fast)
    _plain_filter(src, obin, pbin, mask, bank, gain, plain)
    assert np.array_equal(fast.view(np.uint32), plain.view(np.uint32))
    assert (fast[~mask] == 0).all() and (np.abs(fast) <= 1).all()


def test_growth_equals_plain_loop_growth(monkeypatch: pytest.MonkeyPatch) -> None:
    """Iterated as `grow` does (the output fed back), on a smooth field like a master's."""
    h, w = 60, 75
    y, x = np.mgrid[0:h, 0:w]
    orientation = (np.arctan2(y - h / 2, x - w / 3) % np.pi).astype(np.float32)
    period = (4.0 + 2.0 * x / w).astype(np.float32)
    seed = np.random.default_rng(3).normal(0, 0.3, (h, w)).astype(np.float32)
    mask = np.ones((h, w), bool)
    grown = _gabor.grow(seed, orientation, period, mask, 4)
    monkeypatch.setattr(_gabor, "_filter", _plain_filter)
    plain = _gabor.grow(seed, orientation, period, mask, 4)
    assert np.array_equal(grown.view(np.uint32), plain.view(np.uint32))
