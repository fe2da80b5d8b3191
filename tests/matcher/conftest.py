"""Fingerprint-like test images with known structure, independent of the synthetic generator.

A phase-model print: parallel-ish curved ridges whose phase winds by ±2π around chosen points,
which puts a ridge ending or bifurcation at each point (Larkin & Fletcher's spiral phase).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest


def phase_print(seed: int, width: int = 320, height: int = 380, period: float = 9.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    cx, cy = width / 2, height / 2
    a = rng.uniform(0, np.pi)
    bend = rng.uniform(-1.0, 1.0) * 2e-3
    phase = (
        2 * np.pi / period * ((x - cx) * np.cos(a) + (y - cy) * np.sin(a))
        + bend * ((x - cx) ** 2 - (y - cy) ** 2) * 2 * np.pi / period / 10
    )
    for _ in range(40):
        px = rng.uniform(0.15, 0.85) * width
        py = rng.uniform(0.15, 0.85) * height
        phase += rng.choice([-1.0, 1.0]) * np.arctan2(y - py, x - px)
    ridges = np.cos(phase)
    inside = ((x - cx) / (0.45 * width)) ** 2 + ((y - cy) / (0.45 * height)) ** 2 <= 1
    img = np.where(inside, 128 - 100 * ridges, 235.0)
    img += rng.normal(0, 6, img.shape)
    return np.clip(cv2.GaussianBlur(img, (0, 0), 0.8), 0, 255).astype(np.uint8)


def rotate(img: np.ndarray, degrees: float, shift: tuple[float, float] = (0, 0)) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    m[:, 2] += shift
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=235)


@pytest.fixture(scope="session")
def prints() -> dict[int, np.ndarray]:
    """Five different 'fingers'."""
    return {s: phase_print(s) for s in range(5)}


@pytest.fixture(scope="session")
def make_phase_print():
    """phase_print(seed, width, height, period): a phase-model print of any size and ridge period."""
    return phase_print


@pytest.fixture(scope="session")
def rotated():
    """rotated(image, degrees, (dx, dy)): the image turned counter-clockwise about its centre and shifted."""
    return rotate
