"""Ridge growth by iterative space-variant Gabor filtering (the SFinGe master-fingerprint step).

Every pixel is filtered with the kernel of its own orientation and ridge period, taken from a
precomputed bank (orientation bins x period bins), by one numba loop: a gather over the bank is
far cheaper than filtering the whole image once per bin and blending.
"""

from __future__ import annotations

import functools

import numpy as np

from matcher._jit import njit

N_ORIENTATIONS = 24
PERIOD_MIN = 3.0  # pixels, at whatever scale the growth runs
PERIOD_STEP = 0.25
PERIOD_MAX = 12.5  # the density map never goes wider


@functools.lru_cache(maxsize=16)
def kernel_bank(radius: int, n_periods: int, period_min: float, period_step: float) -> np.ndarray:
    """Even Gabor kernels, shape (N_ORIENTATIONS, n_periods, 2r+1, 2r+1), zero mean, unit gain on ridges."""
    size = 2 * radius + 1
    ys, xs = np.mgrid[-radius : radius + 1, -radius : radius + 1].astype(np.float64)
    bank = np.zeros((N_ORIENTATIONS, n_periods, size, size), np.float32)
    for o in range(N_ORIENTATIONS):
        ridge = o * np.pi / N_ORIENTATIONS
        # Coordinates across (u) and along (v) the ridges.
        u = -xs * np.sin(ridge) + ys * np.cos(ridge)
        v = xs * np.cos(ridge) + ys * np.sin(ridge)
        for p in range(n_periods):
            period = period_min + p * period_step
            su, sv = 0.42 * period, 0.62 * period
            env = np.exp(-(u**2) / (2 * su**2) - v**2 / (2 * sv**2))
            k = env * np.cos(2 * np.pi * u / period)
            k -= env * (k.sum() / env.sum())  # no response to flat grey
            k /= np.sum(k * np.cos(2 * np.pi * u / period))  # a clean ridge pattern maps to itself
            bank[o, p] = k
    return bank


@njit(nogil=True, cache=True)
def _filter(src, obin, pbin, mask, bank, gain, out):  # pragma: no cover - compiled
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


def grow(
    seed: np.ndarray,
    orientation: np.ndarray,
    period: np.ndarray,
    mask: np.ndarray,
    iterations: int,
    gain: float = 2.0,
    reach: float = 1.6,
) -> np.ndarray:
    """Iterate the space-variant filter from `seed`; values end in [-1, 1], ridges positive.

    `reach` is the kernel half-size in along-ridge envelope widths: 1.6 to grow a pattern, about 1
    to settle one that is already there (fewer taps).
    """
    # One bank size for every master, so banks are built once per kernel radius and reused.
    n_periods = int(np.ceil((max(float(period.max()), PERIOD_MAX) - PERIOD_MIN) / PERIOD_STEP)) + 1
    radius = int(np.ceil(0.62 * float(period.max()) * reach))
    bank = kernel_bank(radius, n_periods, PERIOD_MIN, PERIOD_STEP)
    obin = (np.round(orientation / np.pi * N_ORIENTATIONS).astype(np.int64) % N_ORIENTATIONS).astype(np.uint8)
    pbin = np.clip(np.round((period - PERIOD_MIN) / PERIOD_STEP), 0, n_periods - 1).astype(np.uint8)
    a = np.ascontiguousarray(seed, dtype=np.float32)
    b = np.empty_like(a)
    m = np.ascontiguousarray(mask, dtype=np.bool_)
    for _ in range(iterations):
        _filter(a, obin, pbin, m, bank, np.float32(gain), b)
        a, b = b, a
    return a
