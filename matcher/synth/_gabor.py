"""Ridge growth by iterative space-variant Gabor filtering (the SFinGe master-fingerprint step).

Every pixel is filtered with the kernel of its own orientation and ridge period, taken from a
precomputed bank (orientation bins x period bins), by one numba loop: a gather over the bank is
far cheaper than filtering the whole image once per bin and blending. The masters' bits rest on
this loop's arithmetic (tests/matcher/synth/test_synth_pins.py); a faster loop must keep it.
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


LANES = 8  # pixels of a row summed together (a0..a7 in _filter: numba has no vector type to loop over)


@njit(nogil=True, cache=True)
def _padded(src, r, extra):  # pragma: no cover - compiled
    """`src` with its edge pixels repeated r deep (and `extra` more columns on the right): each
    pixel then reads the same values the old clamped border loop read, with no border test."""
    h, w = src.shape
    out = np.empty((h + 2 * r, w + 2 * r + extra), np.float32)
    for yy in range(h + 2 * r):
        sy = min(max(yy - r, 0), h - 1)
        for xx in range(w + 2 * r + extra):
            out[yy, xx] = src[sy, min(max(xx - r, 0), w - 1)]
    return out


@njit(nogil=True, cache=True)
def _filter(src, obin, pbin, mask, bank, gain, out):  # pragma: no cover - compiled
    """out[y, x] = clip(gain * sum over (j, i) of bank[bin of (y, x)][j, i] * src[y - r + j, x - r + i]),
    src clamped at the borders; 0 outside the mask.

    Bit for bit the plain per-pixel loop (tests/matcher/synth/test_synth_gabor.py keeps it): each
    pixel's sum is float64 of float32 products added in (j, i) order. What is faster: the
    border is padded once instead of tested per pixel, and LANES neighbouring pixels, each with
    its own kernel, are summed side by side; one pixel's sum alone waits on each addition's
    latency. No fastmath: it would reorder the sums.
    """
    h, w = src.shape
    size = bank.shape[2]
    padded = _padded(src, size // 2, LANES - 1)
    for y in range(h):
        for x in range(0, w, LANES):
            n = min(LANES, w - x)
            # Lanes past the row's end repeat its last pixel (padding covers their reads); not written.
            k0 = bank[obin[y, x], pbin[y, x]]
            k1 = bank[obin[y, x + min(1, n - 1)], pbin[y, x + min(1, n - 1)]]
            k2 = bank[obin[y, x + min(2, n - 1)], pbin[y, x + min(2, n - 1)]]
            k3 = bank[obin[y, x + min(3, n - 1)], pbin[y, x + min(3, n - 1)]]
            k4 = bank[obin[y, x + min(4, n - 1)], pbin[y, x + min(4, n - 1)]]
            k5 = bank[obin[y, x + min(5, n - 1)], pbin[y, x + min(5, n - 1)]]
            k6 = bank[obin[y, x + min(6, n - 1)], pbin[y, x + min(6, n - 1)]]
            k7 = bank[obin[y, x + min(7, n - 1)], pbin[y, x + min(7, n - 1)]]
            a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0.0
            for j in range(size):
                row = padded[y + j, x : x + size + LANES - 1]
                for i in range(size):
                    a0 += k0[j, i] * row[i]
                    a1 += k1[j, i] * row[i + 1]
                    a2 += k2[j, i] * row[i + 2]
                    a3 += k3[j, i] * row[i + 3]
                    a4 += k4[j, i] * row[i + 4]
                    a5 += k5[j, i] * row[i + 5]
                    a6 += k6[j, i] * row[i + 6]
                    a7 += k7[j, i] * row[i + 7]
            for lane, acc in enumerate((a0, a1, a2, a3, a4, a5, a6, a7)):
                if lane < n:
                    if not mask[y, x + lane]:
                        out[y, x + lane] = 0.0
                    else:
                        v = acc * gain
                        out[y, x + lane] = 1.0 if v > 1.0 else (-1.0 if v < -1.0 else v)


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
