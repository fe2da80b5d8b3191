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
    """Cores and deltas (x, y pixels) where they sit on real fingers, spread as widely as real ones.

    Loops: the core-to-delta distance of real loops spans about 2 to 25 ridges (ridge count mean
    about 12); the line from the core to the delta leans 15-70 degrees from the vertical. Whorls
    range from tight concentric ones (cores close together) to double loops (cores far apart,
    tilted), with two deltas at independent heights.
    """
    cx = width * rng.uniform(0.38, 0.62)
    cy = height * rng.uniform(0.32, 0.52)
    if cls is PatternClass.ARCH:
        return SingularPoints((), ())
    if cls is PatternClass.TENTED_ARCH:
        gap = rng.uniform(30, 95)
        return SingularPoints(((cx, cy),), ((cx + rng.normal(0, 10), cy + gap),))
    if cls in (PatternClass.LEFT_LOOP, PatternClass.RIGHT_LOOP):
        side = 1.0 if cls is PatternClass.LEFT_LOOP else -1.0
        distance = float(np.clip(rng.normal(125, 40), 55, 230))
        lean = np.radians(rng.uniform(15, 70))
        core = (cx - side * distance * 0.25 * np.sin(lean), cy - distance * 0.15)
        delta = (core[0] + side * distance * np.sin(lean), core[1] + distance * np.cos(lean))
        return SingularPoints((core,), (delta,))
    # Whorl: two cores (close for a concentric whorl, far apart for a double loop), two deltas.
    sep = rng.uniform(8, 35) if rng.random() < 0.7 else rng.uniform(35, 90)
    tilt = rng.uniform(-1.2, 1.2)
    c1 = (cx - sep / 2 * np.cos(tilt), cy - sep / 2 * np.sin(tilt))
    c2 = (cx + sep / 2 * np.cos(tilt), cy + sep / 2 * np.sin(tilt))
    d1 = (cx - rng.uniform(90, 180), cy + rng.uniform(80, 200))
    d2 = (cx + rng.uniform(90, 180), cy + rng.uniform(80, 200))
    return SingularPoints((c1, c2), (d1, d2))


_LOOP_TURN = (0.25, 0.75)  # radians
_LOOP_STRETCH = 0.6  # log of the largest stretch of a loop's head
_NODES = 8  # Vizcaya-Gerhardt correction nodes per singular point


def _correction(rng: np.random.Generator, spread: float) -> np.ndarray:
    """Node offsets of one Vizcaya-Gerhardt correction g(a) = a + e(a), kept monotonic."""
    e = rng.normal(0, spread, _NODES)
    e -= e.mean()
    step = np.diff(np.append(e, e[0]))
    worst = np.abs(step).max()
    limit = 0.7 * 2 * np.pi / _NODES  # g must keep rising: the singular point keeps its index
    return e * min(1.0, limit / worst) if worst > 0 else e


def _corrected(alpha: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """alpha (in (-pi, pi]) plus the piecewise-linear correction through `nodes`, periodic."""
    pos = (alpha + np.pi) / (2 * np.pi) * _NODES
    i = np.floor(pos).astype(np.int64) % _NODES
    t = pos - np.floor(pos)
    return alpha + (1 - t) * nodes[i] + t * nodes[(i + 1) % _NODES]


def _smooth_twist(rng: np.random.Generator, width: int, height: int, amplitude: float) -> np.ndarray:
    """A smooth random angle field (a few cells across the finger): no two far fields alike."""
    import cv2

    coarse = rng.normal(0, amplitude, (4, 3)).astype(np.float32)
    return cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC).astype(np.float64)


def _stretched(offset: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """`offset` (complex, from a loop's core) stretched along a random axis: narrow hairpin loop
    heads to broad round ones. Real loops differ so; the bare zero-pole core gives every loop the
    same head, and same-class loops made most of the synthetic impostor tail (issue 23).
    `rng` is the head's own stream: drawn from the field's stream, the stretch would shift every
    later draw of the master (its ridge spacing among them) and so redraw the whole finger."""
    axis = np.exp(1j * rng.uniform(0, np.pi))
    along = offset * np.conj(axis)
    factor = np.exp(rng.uniform(-_LOOP_STRETCH, _LOOP_STRETCH))
    return (along.real * factor + 1j * along.imag / factor) * axis


def orientation_field(
    cls: PatternClass,
    points: SingularPoints,
    width: int,
    height: int,
    rng: np.random.Generator,
    head_rng: np.random.Generator,
) -> np.ndarray:
    """Ridge orientation (radians, 0..pi, image coordinates with y down) at every pixel.

    The zero-pole model with Vizcaya and Gerhardt's correction: each singular point's angle
    term goes through its own random monotonic function, which bends the field the way real
    fingers' fields differ within one class (SFinGe does the same). `head_rng` draws the shape of
    a loop's head (and nothing else), apart from `rng`.
    """
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    if cls is PatternClass.ARCH:
        # Ridges run across the finger and rise in a hump over its middle, sometimes lopsided.
        cx = width * rng.uniform(0.35, 0.65)
        s = width * rng.uniform(0.13, 0.28)
        top = rng.uniform(0.0, 0.15)
        amp = (
            rng.uniform(0.7, 1.8)
            * s
            * np.clip((ys / height - top) / rng.uniform(0.45, 0.75), 0, 1)
            * (1 - np.clip((ys / height - 0.65) / 0.35, 0, 1) * rng.uniform(0.4, 0.9))
        )
        skew = 1.0 + rng.uniform(-0.35, 0.35) * np.tanh((xs - cx) / s)
        slope = amp * (xs - cx) / (s * skew) ** 2 * np.exp(-((xs - cx) ** 2) / (2 * (s * skew) ** 2))
        theta = np.arctan(slope)
    else:
        # Zero-pole model: theta = 1/2 (sum g_c(arg(z - core)) - sum g_d(arg(z - delta))), y up.
        z = xs - 1j * ys
        theta = np.zeros_like(xs)
        loop = cls in (PatternClass.LEFT_LOOP, PatternClass.RIGHT_LOOP)
        # Loops get the wider correction: one core and one delta bend the field less than a whorl's four.
        spread = rng.uniform(0.25, 0.5) if loop else rng.uniform(0.18, 0.38)
        for x, y in points.cores:
            offset = z - (x - 1j * y)
            if loop:
                offset = _stretched(offset, head_rng)
            theta += _corrected(np.angle(offset), _correction(rng, spread))
        for x, y in points.deltas:
            theta -= _corrected(np.angle(z - (x - 1j * y)), _correction(rng, spread))
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
            spread_px = rng.uniform(80, 200)
            theta = theta + turn * np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * spread_px**2))
    # A smooth random twist so no two fingers share the far field.
    loop = cls in (PatternClass.LEFT_LOOP, PatternClass.RIGHT_LOOP)
    twist = _smooth_twist(rng, width, height, rng.uniform(0.12, 0.3) if loop else rng.uniform(0.08, 0.2))
    return np.mod(theta + twist, np.pi)
