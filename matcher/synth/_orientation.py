"""Fingerprint class and orientation field: the zero-pole (Sherlock–Monro) model, as SFinGe uses it."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np


class PatternClass(enum.Enum):
    ARCH = "arch"
    TENTED_ARCH = "tented-arch"
    LEFT_LOOP = "left-loop"
    RIGHT_LOOP = "right-loop"
    WHORL = "whorl"


# Natural frequencies (Wilson, Candela & Watson, NIST, as quoted by SFinGe): arch 3.7 %, tented arch
# 2.9 %, left loop 33.8 %, right loop 31.7 %, whorl 27.9 %.  Loops lean towards the little finger
# (ulnar loops are about four in five): on a print of the right hand the little finger is on the
# image's right, so right loops dominate there and left loops on the left hand.  Averaged over both
# hands the split stays 33.8 / 31.7.
_LOOPS = 0.338 + 0.317
_ULNAR = 0.8


def _class_probabilities(finger: int) -> dict[PatternClass, float]:
    right_hand = 1 <= finger <= 5
    ulnar, radial = _LOOPS * _ULNAR, _LOOPS * (1 - _ULNAR)
    # Tilt so that the two hands together keep the published left/right totals.
    skew = (0.338 - 0.317) / 2
    right_loop = (ulnar if right_hand else radial) - skew
    left_loop = (radial if right_hand else ulnar) + skew
    return {
        PatternClass.ARCH: 0.037,
        PatternClass.TENTED_ARCH: 0.029,
        PatternClass.LEFT_LOOP: left_loop,
        PatternClass.RIGHT_LOOP: right_loop,
        PatternClass.WHORL: 0.279,
    }


def choose_class(finger: int, rng: np.random.Generator) -> PatternClass:
    probs = _class_probabilities(finger)
    classes = list(probs)
    p = np.array([probs[c] for c in classes])
    return classes[int(rng.choice(len(classes), p=p / p.sum()))]


@dataclass(frozen=True)
class SingularPoints:
    cores: tuple[tuple[float, float], ...]
    deltas: tuple[tuple[float, float], ...]


def singular_points(cls: PatternClass, width: int, height: int, rng: np.random.Generator) -> SingularPoints:
    """Cores and deltas (x, y pixels) placed where they sit on real fingers, with random jitter."""
    cx = width * rng.uniform(0.44, 0.56)
    cy = height * rng.uniform(0.38, 0.48)
    if cls is PatternClass.ARCH:
        return SingularPoints((), ())
    if cls is PatternClass.TENTED_ARCH:
        gap = rng.uniform(45, 80)
        return SingularPoints(((cx, cy),), ((cx + rng.normal(0, 6), cy + gap),))
    if cls in (PatternClass.LEFT_LOOP, PatternClass.RIGHT_LOOP):
        side = 1.0 if cls is PatternClass.LEFT_LOOP else -1.0
        dx = side * rng.uniform(60, 110)
        dy = rng.uniform(140, 200)
        return SingularPoints(((cx - side * 15, cy),), ((cx - side * 15 + dx, cy + dy),))
    # Whorl: two cores close together, a delta low on each side.
    sep = rng.uniform(18, 45)
    tilt = rng.uniform(-0.6, 0.6)
    c1 = (cx - sep / 2 * np.cos(tilt), cy - sep / 2 * np.sin(tilt))
    c2 = (cx + sep / 2 * np.cos(tilt), cy + sep / 2 * np.sin(tilt))
    dy = rng.uniform(120, 170)
    d1 = (cx - rng.uniform(120, 170), cy + dy + rng.normal(0, 15))
    d2 = (cx + rng.uniform(120, 170), cy + dy + rng.normal(0, 15))
    return SingularPoints((c1, c2), (d1, d2))


_LOOP_TURN = (0.35, 0.6)  # radians


def orientation_field(
    cls: PatternClass, points: SingularPoints, width: int, height: int, rng: np.random.Generator
) -> np.ndarray:
    """Ridge orientation (radians, 0..pi, image coordinates with y down) at every pixel."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    if cls is PatternClass.ARCH:
        # Ridges run across the finger and rise in a hump over its middle.
        cx = width * rng.uniform(0.42, 0.58)
        s = width * rng.uniform(0.16, 0.24)
        amp = (
            rng.uniform(1.0, 1.5)
            * s
            * np.clip((ys / height - 0.05) / 0.6, 0, 1)
            * (1 - np.clip((ys / height - 0.65) / 0.35, 0, 1) * 0.7)
        )
        slope = amp * (xs - cx) / s**2 * np.exp(-((xs - cx) ** 2) / (2 * s**2))
        theta = np.arctan(slope)
    else:
        # Zero-pole model: theta = 1/2 (sum arg(z - core) - sum arg(z - delta)), y pointing up.
        z = xs - 1j * ys
        theta = np.zeros_like(xs)
        for x, y in points.cores:
            theta += np.angle(z - (x - 1j * y))
        for x, y in points.deltas:
            theta -= np.angle(z - (x - 1j * y))
        theta = 0.5 * theta
        # Back to y-down image coordinates.
        theta = -theta
        if cls in (PatternClass.LEFT_LOOP, PatternClass.RIGHT_LOOP):
            # The bare zero-pole loop points its legs at the delta (a tented look). Real loops open
            # away from the delta: turn the field around the core, fading out with distance, so
            # the legs slant to the side the ridges enter from.
            (cx, cy), (dx, _dy) = points.cores[0], points.deltas[0]
            side = 1.0 if dx > cx else -1.0
            turn = side * rng.uniform(_LOOP_TURN[0], _LOOP_TURN[1])
            spread = rng.uniform(110, 170)
            theta = theta + turn * np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * spread**2))
    # A gentle, smooth random twist so no two fingers share the far field exactly.
    twist = rng.normal(0, 0.06) * (xs / width - 0.5) + rng.normal(0, 0.06) * (ys / height - 0.5)
    return np.mod(theta + twist, np.pi)
