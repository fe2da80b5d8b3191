"""Master fingerprints: the whole fingertip's ridge pattern and its true minutiae, one per (subject, finger)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from booking_station.fingers import SLAP_FINGERS, THUMBS
from matcher.synth import _gabor, _orientation, _rng, _skeleton

MARGIN = 24  # pixels of ridge pattern grown around the fingertip so impressions never hit the edge

# Fingertip size at 500 ppi (width nail to nail as a rolled print shows it, height of the last phalanx).
_SIZES = {1: (440, 560), 2: (390, 520), 3: (400, 530), 4: (380, 510), 5: (330, 460)}


@dataclass(frozen=True)
class Master:
    subject_id: int
    finger: int
    pattern: _orientation.PatternClass
    ridges: np.ndarray  # float32 in [-1, 1], ridges positive
    mask: np.ndarray  # float32 0..1, the fingertip
    minutiae: np.ndarray  # N x 4 (x, y, angle, type), master pixel coordinates
    cores: tuple[tuple[float, float], ...]
    deltas: tuple[tuple[float, float], ...]
    period: float  # mean ridge period, pixels

    @property
    def shape(self) -> tuple[int, int]:
        return self.ridges.shape  # type: ignore[return-value]


def _fingertip(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Soft mask of the fingertip: a rounded top, near-straight sides, a flatter bottom."""
    h, w = height + 2 * MARGIN, width + 2 * MARGIN
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w / 2, MARGIN + height * rng.uniform(0.40, 0.46)
    a = width / 2
    x = np.abs(xs - cx) / a
    top = (cy - ys) / (cy - MARGIN)
    bottom = (ys - cy) / (MARGIN + height - cy)
    upper = x ** rng.uniform(2.0, 2.6) + np.clip(top, 0, None) ** rng.uniform(1.8, 2.4)
    lower = x ** rng.uniform(3.0, 4.5) + np.clip(bottom, 0, None) ** rng.uniform(4.0, 6.0)
    inside = np.where(ys < cy, upper, lower)
    return np.clip((1.0 - inside) * 12.0, 0.0, 1.0).astype(np.float32)


def _period_map(
    shape: tuple[int, int], points: _orientation.SingularPoints, base: float, rng: np.random.Generator
) -> np.ndarray:
    """Ridge period in pixels: wider above the cores and below the deltas (SFinGe's density map),
    with patches of wider and narrower ridges as real fingers have."""
    h, w = shape
    ys = np.arange(h, dtype=np.float32)[:, None]
    core_y = np.mean([p[1] for p in points.cores]) if points.cores else h * 0.45
    delta_y = np.mean([p[1] for p in points.deltas]) if points.deltas else h * 0.7
    above = np.clip((core_y - ys) / max(core_y, 1.0), 0, 1)
    below = np.clip((ys - delta_y) / max(h - delta_y, 1.0), 0, 1)
    period = base + rng.uniform(0.5, 1.4) * above + rng.uniform(0.3, 1.0) * below
    broad = cv2.resize(rng.normal(0, 0.35, (4, 4)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    cells = (max(2, w // 70), max(2, h // 70))
    patches = cv2.resize(
        rng.normal(0, 0.045 * base, (cells[1], cells[0])).astype(np.float32),
        (w, h),
        interpolation=cv2.INTER_CUBIC,
    )
    return np.clip(period + broad + patches, 5.5, 12.5).astype(np.float32)


def _ridge_base_period(subject_id: int, finger: int, rng: np.random.Generator) -> float:
    """Mean ridge period of the finger: mostly the person's (ridge breadth goes with sex and build),
    a little the finger's; thumbs a little wider. Spread as on the optical FVC sets (7.9–10.3 px)."""
    person = _rng.generator("ridge-breadth", subject_id).normal(8.4, 0.6)
    own = rng.normal(0, 0.3) + (0.35 if finger in SLAP_FINGERS[THUMBS] else 0.0)
    return float(np.clip(person + own, 7.0, 11.2))


def _wobble(theta: np.ndarray, rng: np.random.Generator, amplitude: float) -> np.ndarray:
    """Ridge-line irregularity: a mid-frequency random turn of the orientation (cells about
    4 ridges apart), so ridges wander and split as real ones do instead of running like rails."""
    h, w = theta.shape
    cells = (max(2, w // 36), max(2, h // 36))
    noise = cv2.resize(
        rng.normal(0, amplitude, (cells[1], cells[0])).astype(np.float32),
        (w, h),
        interpolation=cv2.INTER_CUBIC,
    )
    return np.mod(theta + noise, np.pi)


def _arc_top(
    theta: np.ndarray, mask_centre: tuple[float, float], top_y: float, core_y: float, strength: float
) -> np.ndarray:
    """Bend the ridges above the core into arcs that follow the fingertip, as on real fingers."""
    h, w = theta.shape
    c, s = np.cos(2 * theta), np.sin(2 * theta)
    # The arcs' weight falls to 0 a little above the core and stays 0 below: only the rows above
    # are blended. Below, (1 - 0) * c + 0 * (...) is c itself (up to a zero's sign, which arctan2
    # ignores where s is not 0), so the result's bits are the blend's everywhere.
    ys = np.arange(h, dtype=np.float32)[:, None]
    weight = np.clip((core_y - 15 - ys) / max(core_y - 15 - top_y, 1.0), 0, 1) ** 0.8 * strength
    top = int(np.count_nonzero(weight[:, 0]))  # weight decreases down the rows
    if top:
        ys, xs = np.mgrid[0:top, 0:w].astype(np.float32)
        cx, cy = mask_centre
        tangent = np.arctan2(ys - cy, xs - cx) + np.pi / 2
        wt = weight[:top]
        c[:top] = (1 - wt) * c[:top] + wt * np.cos(2 * tangent)
        s[:top] = (1 - wt) * s[:top] + wt * np.sin(2 * tangent)
    return np.mod(0.5 * np.arctan2(s, c), np.pi)


def _to_half(theta: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    c = cv2.resize(np.cos(2 * theta).astype(np.float32), size, interpolation=cv2.INTER_AREA)
    s = cv2.resize(np.sin(2 * theta).astype(np.float32), size, interpolation=cv2.INTER_AREA)
    return np.mod(0.5 * np.arctan2(s, c), np.pi)


def _clean_minutiae(found: np.ndarray, mask: np.ndarray, period: float) -> np.ndarray:
    """Drop minutiae near the fingertip's edge and pairs too close to be real (growth artefacts)."""
    inner = cv2.erode((mask > 0.5).astype(np.uint8), np.ones((21, 21), np.uint8))
    xs, ys = found[:, 0].astype(int), found[:, 1].astype(int)
    found = found[inner[ys, xs] > 0]
    if len(found) < 2:
        return found
    d = np.hypot(found[:, None, 0] - found[None, :, 0], found[:, None, 1] - found[None, :, 1])
    np.fill_diagonal(d, np.inf)
    return found[d.min(axis=1) > 0.6 * period]


def pattern_class(subject_id: int, finger: int) -> _orientation.PatternClass:
    """The finger's class, from its own random stream so it is known without growing the master."""
    return _orientation.choose_class(finger, _rng.generator("class", subject_id, finger))


def generate(subject_id: int, finger: int) -> Master:
    """The master of one finger; a pure function of (subject_id, finger)."""
    rng = _rng.generator("master", subject_id, finger)
    base_w, base_h = _SIZES[finger if finger <= 5 else finger - 5]
    scale = rng.uniform(0.93, 1.07)
    width, height = int(base_w * scale), int(base_h * scale)
    mask = _fingertip(width, height, rng)
    h, w = mask.shape
    pattern = pattern_class(subject_id, finger)
    points = _orientation.singular_points(pattern, width, height, rng)
    points = _orientation.SingularPoints(
        tuple((x + MARGIN, y + MARGIN) for x, y in points.cores),
        tuple((x + MARGIN, y + MARGIN) for x, y in points.deltas),
    )
    # The loop head's shape has its own stream, so that varying it leaves the rest of the finger as drawn.
    head_rng = _rng.generator("loop-head", subject_id, finger)
    theta = _orientation.orientation_field(pattern, points, w, h, rng, head_rng)
    core_y = min((p[1] for p in points.cores), default=MARGIN + height * 0.42)
    theta = _arc_top(
        theta,
        (w / 2 + rng.normal(0, 0.05 * width), core_y + rng.uniform(0.0, 0.25) * height),
        MARGIN,
        core_y,
        rng.uniform(0.55, 0.95),
    )
    theta = _wobble(theta, rng, rng.uniform(0.07, 0.14))
    period = _period_map((h, w), points, _ridge_base_period(subject_id, finger, rng), rng)
    # Grow at half scale (a quarter of the pixels, half the kernel), then settle at full scale.
    half = (w // 2, h // 2)
    seed = cv2.GaussianBlur(rng.normal(0, 0.3, (half[1], half[0])).astype(np.float32), (0, 0), 1.0)
    period_half = cv2.resize(period, half, interpolation=cv2.INTER_AREA) / 2
    grown = _gabor.grow(seed, _to_half(theta, half), period_half, np.ones(seed.shape, bool), 12)
    ridges = _gabor.grow(
        cv2.resize(grown, (w, h), interpolation=cv2.INTER_LINEAR),
        theta,
        period,
        np.ones((h, w), bool),
        1,
        reach=1.3,
    )
    # Thin a lightly smoothed copy: single-pixel specks of the field would become false minutiae.
    skel = _skeleton.thin(cv2.GaussianBlur(ridges, (0, 0), 1.2) > 0)
    found = _clean_minutiae(_skeleton.minutiae(skel), mask, float(period.mean()))
    # Quantised as the disk cache stores them, so a master read back from disk is this master exactly.
    ridges = np.round(ridges * 127).astype(np.float32) / np.float32(127)
    mask = np.round(mask * 255).astype(np.float32) / np.float32(255)
    return Master(
        subject_id=subject_id,
        finger=finger,
        pattern=pattern,
        ridges=ridges,
        mask=mask,
        minutiae=found,
        cores=points.cores,
        deltas=points.deltas,
        period=float(period.mean()),
    )
