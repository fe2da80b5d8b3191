"""Orientation ("texture") descriptor of a minutia, after Tico & Kuosmanen (IEEE TPAMI 2003).

The ridge orientation field is sampled on concentric rings around the minutia, starting in its
direction, and each sample is stored relative to the minutia's angle, so the descriptor turns
with the finger. Where the field is outside the print the sample is invalid. The field is far
more stable than minutiae on wet (merged ridges) and dry (broken ridges) prints, so it checks
the pairs that MCC selects (see `_mcc._relaxed_score`).

Storage: one 4-bit code per sample, 0–14 = the relative orientation in 12° steps over [0, π),
15 = invalid; two codes per byte (low nibble first): BYTES bytes per minutia.
"""

from __future__ import annotations

import math

import numpy as np

# Rings: radius in pixels at 500 ppi, samples per ring (about one per 16–18 px of circumference).
RADII = (27.0, 45.0, 63.0, 81.0)
POINTS = (10, 16, 22, 28)
SAMPLES = sum(POINTS)  # 76
BYTES = SAMPLES // 2  # 38
LEVELS = 15  # orientation steps over [0, π); code LEVELS marks an invalid sample
INVALID = LEVELS
# Sample similarity exp(-(Δ/σ)²) of two orientations Δ apart, by circular code difference.
SIGMA = 0.25  # radians (≈ 14°)
SIM = np.array([math.exp(-(((d * math.pi / LEVELS) / SIGMA) ** 2)) for d in range(LEVELS // 2 + 1)])
# A pair of minutiae with fewer common valid samples than this (half the descriptor: near the
# print's edge, small overlaps) gets NEUTRAL instead: too little texture to judge by.
MIN_COMMON = SAMPLES // 2
NEUTRAL = 0.6

_OFFSETS = np.concatenate([2 * np.pi * np.arange(k) / k for k in POINTS])
_RADIUS = np.concatenate([np.full(k, r) for r, k in zip(RADII, POINTS, strict=True)])


def describe(minutiae: np.ndarray, theta: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Packed descriptors (N, BYTES) uint8 of minutiae (N×≥3: x, y, angle) on the field theta."""
    n = len(minutiae)
    if n == 0:
        return np.zeros((0, BYTES), np.uint8)
    h, w = theta.shape
    m = np.asarray(minutiae, np.float64)
    ang = m[:, 2:3] + _OFFSETS[None, :]
    x = np.round(m[:, 0:1] + _RADIUS * np.cos(ang)).astype(np.int64)
    y = np.round(m[:, 1:2] + _RADIUS * np.sin(ang)).astype(np.int64)
    ok = (x >= 0) & (x < w) & (y >= 0) & (y < h)
    xc = np.clip(x, 0, w - 1)
    yc = np.clip(y, 0, h - 1)
    ok &= mask[yc, xc] > 0
    rel = np.mod(theta[yc, xc].astype(np.float64) - m[:, 2:3], np.pi)
    codes = (np.floor(rel / np.pi * LEVELS + 0.5).astype(np.int64) % LEVELS).astype(np.uint8)
    codes[~ok] = INVALID
    return pack(codes)


def pack(codes: np.ndarray) -> np.ndarray:
    """(N, SAMPLES) codes 0–15 to (N, BYTES) bytes, two per byte, low nibble first."""
    c = np.asarray(codes, np.uint8).reshape(-1, SAMPLES)
    return (c[:, 0::2] | (c[:, 1::2] << 4)).astype(np.uint8)


def unpack(packed: np.ndarray) -> np.ndarray:
    p = np.asarray(packed, np.uint8).reshape(-1, BYTES)
    out = np.empty((len(p), SAMPLES), np.uint8)
    out[:, 0::2] = p & 15
    out[:, 1::2] = p >> 4
    return out


def absent(n: int) -> np.ndarray:
    """Descriptors of n minutiae whose texture is unknown (imported records): all samples invalid."""
    return np.full((n, BYTES), 0xFF, np.uint8)
