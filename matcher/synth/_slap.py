"""Four-finger slaps and two-thumb impressions: several plain fingers of one person on one platen.

Fingers sit at a hand's natural spacing, heights (the middle finger reaches highest, the little
finger lowest) and fan-out angles, the whole hand turned a little; one skin condition for the
whole capture, painted once so the background and noise are continuous.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.synth import _cache, _impression, _rng, _sensors

CANVAS = (1600, 1000)  # 3.2 x 2.0 in at 500 ppi, the usual livescan slap area
_LOCAL = {"finger": (400, 560), "thumb": (460, 620)}

# Per finger, left to right on the image: (FGP, x offset in finger spacings, tip drop in pixels,
# tilt in degrees, positive = tip leaning to the right).
_RIGHT = ((2, -1.5, 70, -6.0), (3, -0.5, 0, -1.0), (4, 0.5, 45, 5.0), (5, 1.5, 260, 12.0))
_LEFT = ((10, -1.5, 260, -12.0), (9, -0.5, 45, -5.0), (8, 0.5, 0, 1.0), (7, 1.5, 70, 6.0))
_THUMBS = ((6, -0.75, 0, 9.0), (1, 0.75, 0, -9.0))
# Where a thumb lands when it strays into a four-finger slap (the "too many fingers" fault).
_STRAY_THUMB = {"right": (1, -2.3, 430, 40.0), "left": (6, 2.3, 430, -40.0)}


@dataclass(frozen=True)
class Layout:
    fgp: int
    centre: tuple[float, float]
    tilt: float  # degrees, tip to the right


def layout(hand: str, rng: np.random.Generator, with_thumb: bool = False) -> list[Layout]:
    """Where each finger of the capture goes, left to right."""
    width, height = CANVAS
    rows = {"right": _RIGHT, "left": _LEFT, "thumbs": _THUMBS}[hand]
    if with_thumb and hand in _STRAY_THUMB:
        rows = (_STRAY_THUMB[hand], *rows) if hand == "right" else (*rows, _STRAY_THUMB[hand])
    spacing = rng.uniform(330, 365) if hand != "thumbs" else rng.uniform(560, 680)
    # Thumbs belong to two hands placed side by side: they barely turn together.
    hand_angle = np.radians(rng.uniform(-6, 6) if hand != "thumbs" else rng.uniform(-1.5, 1.5))
    cx, cy = width / 2 + rng.normal(0, 30), (330 if hand != "thumbs" else 480) + rng.normal(0, 25)
    c, s = np.cos(hand_angle), np.sin(hand_angle)
    out = []
    for fgp, offset, drop, tilt in rows:
        x, y = offset * spacing + rng.normal(0, 10), drop + rng.normal(0, 15)
        # Turn the hand about its top centre; positive hand angle leans the tips to the right.
        out.append(
            Layout(
                fgp,
                (cx + c * x + s * y, cy - s * x + c * y),
                tilt + np.degrees(hand_angle) + rng.normal(0, 2),
            )
        )
    return out


@dataclass(frozen=True)
class Composite:
    image: np.ndarray
    boxes: list[tuple[int, tuple[int, int, int, int]]]
    minutiae: dict[int, np.ndarray]


def compose(
    subject_id: int,
    hand: str,
    seed: int,
    missing: frozenset[int],
    bandaged: frozenset[int],
    with_thumb: bool = False,
) -> Composite:
    """Render the capture: every finger of `hand` ("right", "left" or "thumbs") not missing."""
    rng = _rng.generator("slap", subject_id, hand, seed, with_thumb)
    width, height = CANVAS
    ridges = np.zeros((height, width), np.float32)
    alpha = np.zeros((height, width), np.float32)
    marks = np.zeros((height, width), np.float32)
    boxes: list[tuple[int, tuple[int, int, int, int]]] = []
    minutiae: dict[int, np.ndarray] = {}
    for spot in layout(hand, rng, with_thumb):
        if spot.fgp in missing:
            continue
        master = _cache.master(subject_id, spot.fgp)
        finger_rng = _rng.generator("slap-finger", subject_id, spot.fgp, hand, seed)
        local = _LOCAL["thumb" if spot.fgp in (1, 6) else "finger"]
        placed = _impression.place_finger(
            master, "plain", finger_rng, local, angle=-np.radians(spot.tilt), cut_off=False
        )
        local_ridges = (
            placed.ridges
            if spot.fgp not in bandaged
            else _impression.dressing(placed.ridges.shape, finger_rng)
        )
        x0 = int(round(spot.centre[0] - local[0] / 2))
        y0 = int(round(spot.centre[1] - local[1] / 2))
        # Clip the local canvas to the platen.
        gx0, gy0 = max(x0, 0), max(y0, 0)
        gx1, gy1 = min(x0 + local[0], width), min(y0 + local[1], height)
        if gx1 <= gx0 or gy1 <= gy0:
            continue
        la = placed.alpha[gy0 - y0 : gy1 - y0, gx0 - x0 : gx1 - x0]
        lr = local_ridges[gy0 - y0 : gy1 - y0, gx0 - x0 : gx1 - x0]
        window_a = alpha[gy0:gy1, gx0:gx1]
        window_r = ridges[gy0:gy1, gx0:gx1]
        take = la > window_a
        window_r[take] = lr[take]
        window_a[take] = la[take]
        if placed.marks is not None and spot.fgp not in bandaged:
            marks[gy0:gy1, gx0:gx1][take] = placed.marks[gy0 - y0 : gy1 - y0, gx0 - x0 : gx1 - x0][take]
        rows, cols = np.nonzero(la > 0.5)
        if len(rows) == 0:
            continue
        boxes.append(
            (
                spot.fgp,
                (
                    int(gx0 + cols.min()),
                    int(gy0 + rows.min()),
                    int(cols.max() - cols.min() + 1),
                    int(rows.max() - rows.min() + 1),
                ),
            )
        )
        truth = placed.minutiae.copy()
        truth[:, 0] += x0
        truth[:, 1] += y0
        inside = (truth[:, 0] >= 0) & (truth[:, 1] >= 0) & (truth[:, 0] < width) & (truth[:, 1] < height)
        minutiae[spot.fgp] = truth[inside] if spot.fgp not in bandaged else np.zeros((0, 4))
    skin = _impression.draw_skin(rng, assisted=True)
    image = _impression.paint(ridges, alpha, skin, rng, _sensors.sensor(_sensors.DEFAULT), marks)
    return Composite(image, boxes, minutiae)
