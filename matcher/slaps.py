"""Slap segmentation: a four-finger slap or a two-thumb image into one image per fingertip.

The method (in the spirit of NIST NFSEG): a block-level foreground map (ridges have contrast,
the background and the flexion creases do not); the hand's angle is the rotation that
concentrates the foreground into the fewest columns; the columns split into finger bands at
the valleys of that projection; each finger's own axis comes from the principal axis of its
band; the fingertip runs from the top of the finger down to the first crease (or a typical
distal-phalanx length when no crease shows). Finger positions follow the expected left-to-right
order (right slap: index…little; left slap: little…index; thumbs: left, right), skipping the
fingers the caller says are missing; when more or fewer fingers are found than expected, the
result says so and positions are assigned by the fingertip heights and spacing of a hand.

Boxes are reported in image pixels both as axis-aligned boxes (EBTS Type-14 SEG) and as the
four corners of the rotated fingertip rectangle (EBTS ASEG polygons).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from booking_station import fingers

__all__ = ["SlapFinger", "SlapSegmentation", "segment_slap", "RIGHT_SLAP", "LEFT_SLAP", "THUMBS"]

# ANSI/NIST FGP codes, left to right in the image (booking_station.fingers.SLAP_FINGERS).
RIGHT_SLAP: tuple[int, ...] = fingers.SLAP_FINGERS[fingers.RIGHT_SLAP]
LEFT_SLAP: tuple[int, ...] = fingers.SLAP_FINGERS[fingers.LEFT_SLAP]
THUMBS: tuple[int, ...] = fingers.SLAP_FINGERS[fingers.THUMBS]

# Fingertip height below the highest fingertip, in finger widths, for a flat hand; used only to
# decide which finger is which when some are missing (measured on the real card and on synthetic
# slaps: index 0.3–1.2, ring 0.1–0.6, little 0.6–2.2). Index, middle, ring, little / thumbs.
_TIP_DROP = {2: 0.7, 3: 0.0, 4: 0.3, 5: 1.3, 7: 0.7, 8: 0.0, 9: 0.3, 10: 1.3, 1: 0.0, 6: 0.0}
# Distance between neighbouring fingertips across the hand, in finger widths (measured 1.0–1.5).
_FINGER_PITCH = 1.2

_BLOCKS_PER_INCH = 32  # foreground map resolution: one block ~0.8 mm
_FINGER_WIDTH_IN = 0.62  # a typical adult finger, for spacing and phalanx-length priors
_DISTAL_RATIO = 1.45  # fingertip (distal phalanx) length / width when no crease is found
# A patch of foreground smaller than this (in squared finger widths) is not a finger: platen
# smudges and latent residue reach 0.15 (53 blocks at 500 ppi, synthetic thumbs), a fingertip
# 0.6 and more, the real card's pieces of lower phalanx 0.1–0.3 (they sit below their fingertips).
_MIN_BLOB = 0.2
# Ridge contrast is measured after a blur of this width (inches; 1 px at 500 ppi): it keeps ridges
# (0.4–0.5 mm apart, ~80 % of their contrast kept) and takes pixel noise down to about a quarter, so a
# noisy platen does not pass for print. Synthetic livescan slaps stretch a light print's grey levels
# and their noise with them: σ 20 on the bare platen against ridges' 30–50 (subject 6074's left slap).
_NOISE_BLUR_IN = 0.002
_MIN_CONTRAST = 10.0  # grey levels of (blurred) ridge contrast a print block has at least
_HAND_TURN = 60.0  # degrees a four-finger slap may be turned on the platen
_THUMBS_TURN = 6.0  # and two thumbs together


@dataclass(frozen=True)
class SlapFinger:
    finger: int  # FGP code, 0 when the position could not be decided
    box: tuple[int, int, int, int]  # x, y, width, height: axis-aligned, in image pixels (EBTS SEG)
    polygon: tuple[tuple[int, int], ...]  # the rotated fingertip rectangle's corners (EBTS ASEG)
    angle: float  # the finger's tilt in degrees, positive = tip leaning to the right
    image: np.ndarray  # the fingertip, rotated upright, same ppi as the slap


@dataclass(frozen=True)
class SlapSegmentation:
    fingers: tuple[SlapFinger, ...]  # left to right in the image
    expected: tuple[int, ...]  # the positions that should be present (expected minus missing)
    hand_angle: float  # degrees, positive = fingertips leaning to the right
    ppi: float

    @property
    def count(self) -> int:
        return len(self.fingers)

    @property
    def count_ok(self) -> bool:
        return self.count == len(self.expected)

    @property
    def problem(self) -> str | None:
        """A sentence for the operator when the finger count is wrong, else None."""
        if self.count_ok:
            return None
        return f"found {self.count} finger(s) where {len(self.expected)} were expected"

    def finger(self, fgp: int) -> SlapFinger | None:
        return next((f for f in self.fingers if f.finger == fgp), None)


def segment_slap(
    image: np.ndarray, ppi: float, expected: Sequence[int], missing: Iterable[int] = ()
) -> SlapSegmentation:
    """Split a slap (or two-thumb) image into fingertips.

    `expected` lists FGP codes left to right as they appear in the image (e.g. `RIGHT_SLAP`);
    `missing` are positions known to be absent (amputated, bandaged), which are skipped.
    """
    img = _check_image(image, ppi)
    missing_set = set(missing)
    present = tuple(f for f in expected if f not in missing_set)
    block = max(2, round(ppi / _BLOCKS_PER_INCH))
    fg, contrast = _foreground(img, block, ppi)
    finger_w = _FINGER_WIDTH_IN * ppi / block  # in blocks
    fg = _without_specks(fg, _MIN_BLOB * finger_w * finger_w)
    if fg.sum() < 0.5 * finger_w * finger_w:
        return SlapSegmentation((), present, 0.0, ppi)

    # Two thumbs are two hands side by side: they barely turn together (each thumb's own lean is
    # measured below), and with two blobs far apart any turn scores alike, so a free search
    # wandered to 34–51° and cut the thumbs on the slant.
    hand_angle = _hand_angle(fg, _THUMBS_TURN if set(expected) <= set(THUMBS) else _HAND_TURN)
    bands = _finger_bands(fg, hand_angle, finger_w, max_fingers=len(expected) + 1)
    tips = [_fingertip(fg, contrast, block, hand_angle, band, finger_w) for band in bands]
    tips = [t for t in tips if t is not None]
    tips.sort(key=lambda t: t["centre"][0])
    positions = _assign_positions(tips, present, finger_w * block)
    fingers = tuple(_make_finger(img, tip, fgp) for tip, fgp in zip(tips, positions, strict=True))
    return SlapSegmentation(fingers, present, hand_angle, ppi)


def _check_image(image: np.ndarray, ppi: float) -> np.ndarray:
    if not isinstance(image, np.ndarray) or image.ndim != 2:
        raise ValueError("slap image must be a 2-D grayscale array")
    if image.dtype != np.uint8:
        raise ValueError(f"slap image must be uint8, not {image.dtype}")
    if not 150 <= ppi <= 1200:
        raise ValueError(f"slap resolution {ppi} ppi is outside 150–1200 ppi")
    if min(image.shape) < ppi / 4:
        raise ValueError(f"slap image {image.shape[1]}×{image.shape[0]} is too small for {ppi:.0f} ppi")
    return image


def _foreground(img: np.ndarray, block: int, ppi: float) -> tuple[np.ndarray, np.ndarray]:
    """Block maps: foreground (1.0 where there is print) and ridge contrast (creases are low)."""
    raw = img.astype(np.float32)
    std, dark = _block_std(raw, block)
    # Print blocks: real ridge contrast and not paper-white. Threshold relative to the image's own
    # contrast so light and dark captures both work, and measured on the blurred image, where the
    # platen's noise is low (the crease search keeps the raw contrast, whose dips it was set on).
    ridge, _ = _block_std(cv2.GaussianBlur(raw, (0, 0), _NOISE_BLUR_IN * ppi), block)
    hi = float(np.percentile(ridge, 95))
    mask = (ridge > max(_MIN_CONTRAST, 0.3 * hi)) & (dark < 245)
    # Opening by a 2×2 square. OpenCV anchors an even kernel at (1, 1) for both steps, which would
    # move the whole mask one block right and down; anchoring the erosion at (0, 0) undoes that.
    square = np.ones((2, 2), np.uint8)
    mask = cv2.erode(mask.astype(np.uint8), square, anchor=(0, 0))
    mask = cv2.dilate(mask, square, anchor=(1, 1))
    return mask.astype(np.float32), (std * (dark < 245)).astype(np.float32)


def _block_std(f: np.ndarray, block: int) -> tuple[np.ndarray, np.ndarray]:
    """Per block: the grey levels' spread and their mean."""
    k = (block, block)
    mean = cv2.blur(f, k)
    var = cv2.blur(f * f, k) - mean * mean
    h, w = f.shape[0] // block, f.shape[1] // block
    std = np.sqrt(
        np.maximum(cv2.resize(var[: h * block, : w * block], (w, h), interpolation=cv2.INTER_AREA), 0)
    )
    return std, cv2.resize(mean[: h * block, : w * block], (w, h), interpolation=cv2.INTER_AREA)


def _without_specks(fg: np.ndarray, min_area: float) -> np.ndarray:
    """The foreground without patches too small to be a finger. A smudge left alone is cut out as a
    finger of its own (and takes a real finger's position) or, above a fingertip, is taken for its
    top."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(fg.astype(np.uint8), connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] >= min_area
    keep[0] = False  # the background
    return keep[labels].astype(np.float32)


def _rotation(shape: tuple[int, int], angle: float) -> tuple[np.ndarray, tuple[int, int]]:
    """An affine map rotating by `angle` degrees about the centre into a canvas that holds it all."""
    h, w = shape
    centre = (w / 2.0, h / 2.0)
    m = cv2.getRotationMatrix2D(centre, angle, 1.0)
    c, s = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(math.ceil(h * s + w * c)), int(math.ceil(h * c + w * s))
    m[0, 2] += nw / 2.0 - centre[0]
    m[1, 2] += nh / 2.0 - centre[1]
    return m, (nw, nh)


def _rotate(a: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    m, size = _rotation(a.shape, angle)
    return cv2.warpAffine(a, m, size, flags=cv2.INTER_LINEAR), m


def _hand_angle(fg: np.ndarray, limit: float) -> float:
    """The rotation (degrees, OpenCV sense) that makes the fingers vertical.

    At that angle the column projection of the foreground swings most between fingers and the
    gaps between them: its total variation, relative to its peak, is largest.
    """

    def score(angle: float) -> float:
        r, _ = _rotate(fg, angle)
        prof = cv2.GaussianBlur(r.sum(axis=0).reshape(1, -1), (0, 0), 2.0).ravel()
        return float(np.abs(np.diff(prof)).sum() / max(float(prof.max()), 1e-6))

    coarse = max(np.arange(-limit, limit + 0.01, 3.0), key=score)
    return float(max(np.arange(coarse - 2.0, coarse + 2.01, 1.0), key=score))


def _finger_bands(fg: np.ndarray, angle: float, finger_w: float, max_fingers: int) -> list[tuple[int, int]]:
    """Column ranges (in the rotated frame) holding one finger each."""
    r, _ = _rotate(fg, angle)
    prof = r.sum(axis=0)
    sigma = max(1.0, finger_w / 8)
    prof = cv2.GaussianBlur(prof.reshape(1, -1).astype(np.float32), (0, 0), sigma).ravel()
    if prof.max() <= 0:
        return []
    # Candidate splits: local minima. Keep a split when the valley is clearly lower than the
    # peaks on both sides; merge otherwise. Repeat until stable.
    active = prof > 0.12 * prof.max()
    runs = _runs(active)
    bands: list[tuple[int, int]] = []
    for a, b in runs:
        bands.extend(_split_run(prof, a, b, finger_w))
    # Drop slivers (a knuckle, a palm edge) narrower than a third of a finger.
    bands = [(a, b) for a, b in bands if b - a >= finger_w * 0.35]
    if len(bands) > max_fingers:
        bands = sorted(bands, key=lambda ab: -float(prof[ab[0] : ab[1]].sum()))[:max_fingers]
        bands.sort()
    return bands


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, v in enumerate(mask):
        if v and start is None:
            start = i
        elif not v and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(mask)))
    return runs


def _split_run(prof: np.ndarray, a: int, b: int, finger_w: float) -> list[tuple[int, int]]:
    seg = prof[a:b]
    if b - a < 1.5 * finger_w:
        return [(a, b)]
    minima = [i for i in range(1, len(seg) - 1) if seg[i] <= seg[i - 1] and seg[i] < seg[i + 1]]
    best_i, best_depth = None, 0.0
    for i in minima:
        if i < 0.45 * finger_w or len(seg) - i < 0.45 * finger_w:
            continue
        left, right = seg[:i].max(), seg[i:].max()
        depth = 1.0 - seg[i] / min(left, right)
        if depth > best_depth:
            best_i, best_depth = i, depth
    if best_i is None or best_depth < 0.2:
        return [(a, b)]
    m = a + best_i
    return _split_run(prof, a, m, finger_w) + _split_run(prof, m, b, finger_w)


def _fingertip(
    fg: np.ndarray,
    contrast: np.ndarray,
    block: int,
    hand_angle: float,
    band: tuple[int, int],
    finger_w: float,
) -> dict | None:
    """The fingertip rectangle of one finger band, in image pixels."""
    r, m = _rotate(fg, hand_angle)
    a, b = band
    sub = r[:, a:b] > 0.5
    ys, xs = np.nonzero(sub)
    if len(ys) < finger_w:
        return None
    # The finger's own axis: the principal direction of its foreground, relative to the hand.
    xs_f, ys_f = xs.astype(np.float64) + a, ys.astype(np.float64)
    cov = np.cov(np.vstack([xs_f, ys_f]))
    evals, evecs = np.linalg.eigh(cov)
    vx, vy = evecs[:, 1]
    tilt = math.degrees(math.atan2(vx, vy)) if evals[1] > 1.5 * evals[0] else 0.0
    if vy < 0:
        tilt = math.degrees(math.atan2(-vx, -vy))
    tilt = float(np.clip(tilt, -45.0, 45.0))
    angle = hand_angle - tilt  # this finger's rotation to vertical
    # Re-project the finger alone (its band, from the hand-rotated frame) to its own frame.
    inv = cv2.invertAffineTransform(m)
    band_mask = np.zeros_like(r, dtype=np.uint8)
    band_mask[:, a:b] = 1
    band_in_img = cv2.warpAffine(band_mask, inv, (fg.shape[1], fg.shape[0]), flags=cv2.INTER_NEAREST)
    own = fg * band_in_img
    ro, mo = _rotate(own, angle)
    cols = (ro > 0.5).sum(axis=0)
    if cols.max() == 0:
        return None
    xs_on = np.nonzero(cols > 0.25 * cols.max())[0]
    x0, x1 = int(xs_on[0]), int(xs_on[-1]) + 1
    rows = (ro[:, x0:x1] > 0.5).sum(axis=1).astype(np.float32)
    width = x1 - x0
    on = np.nonzero(rows > 0.3 * width)[0]
    if len(on) == 0:
        return None
    top = int(on[0])
    # The crease: a clear dip in ridge contrast down the finger's middle, below a fingertip's
    # minimum length.
    rc, _ = _rotate(contrast * band_in_img, angle)
    q = max(1, width // 4)
    prof = rc[:, x0 + q : x1 - q].mean(axis=1) if x1 - x0 > 2 * q else rc[:, x0:x1].mean(axis=1)
    smooth = cv2.GaussianBlur(prof.reshape(-1, 1).astype(np.float32), (0, 0), 1.0).ravel()
    bottom = _crease(smooth, top, width)
    # Last row with foreground above the bottom (a short finger ends early).
    last = on[on < bottom]
    bottom = int(last[-1]) + 1 if len(last) else bottom
    if bottom - top < 0.5 * width:
        return None
    # Corners of [x0, x1) × [top, bottom) in the finger's frame, mapped back to image pixels.
    inv_o = cv2.invertAffineTransform(mo)
    # Block index i is the block's centre, so the edges of blocks x0..x1-1 lie half a block outside.
    corners = np.array([[x0, top], [x1, top], [x1, bottom], [x0, bottom]], dtype=np.float64) - 0.5
    pts = (inv_o[:, :2] @ corners.T).T + inv_o[:, 2]
    # Where the fingertip sits in the hand's frame (fingers vertical), for telling fingers apart.
    hand_top = m[:, :2] @ pts[:2].mean(axis=0) + m[:, 2]
    pts = (pts + 0.5) * block  # block coordinates are block centres
    return {"polygon": pts, "angle": angle, "centre": pts.mean(axis=0), "hand_top": hand_top * block}


def _crease(contrast: np.ndarray, top: int, width: int) -> int:
    """The row of the distal flexion crease: the most prominent contrast dip 0.9–2.0 widths below the
    top; a typical fingertip length when no dip stands out."""
    lo, hi = top + int(0.9 * width), min(len(contrast) - 1, top + int(2.0 * width) + 1)
    reach_back, reach_fwd = max(2, width // 2), max(2, int(0.4 * width))
    best, best_prom = top + int(_DISTAL_RATIO * width), 0.12
    for i in range(lo, hi):
        if not (contrast[i] <= contrast[i - 1] and contrast[i] < contrast[i + 1]):
            continue
        before = float(contrast[max(top, i - reach_back) : i].max())
        after = float(contrast[i + 1 : i + 1 + reach_fwd].max())
        prom = (min(before, after) - float(contrast[i])) / max(before, 1e-6)
        if prom > best_prom:
            best, best_prom = i, prom
    return best


def _assign_positions(tips: list[dict], present: tuple[int, ...], finger_px: float) -> list[int]:
    """FGP code per found fingertip (left to right)."""
    n, k = len(tips), len(present)
    if n == 0:
        return []
    if n == k:
        return list(present)
    if n > k:
        # Extra blobs: keep the k with the best fit, the rest get 0 (unknown).
        keep = _best_subset(tips, present, finger_px, choose_tips=True)
        out, it = [0] * n, iter(present)
        for i in keep:
            out[i] = next(it)
        return out
    best = _best_subset(tips, present, finger_px, choose_tips=False)
    return [present[i] for i in best]


def _best_subset(
    tips: list[dict], present: tuple[int, ...], finger_px: float, choose_tips: bool
) -> list[int]:
    """Order-preserving match between fingertips and positions by fingertip height and spacing."""
    n, k = len(tips), len(present)
    best, best_cost = None, math.inf
    # Either choose which tips are fingers (too many found) or which positions are present (too few).
    candidates = itertools.combinations(range(n), k) if choose_tips else itertools.combinations(range(k), n)
    x_all = np.array([t["hand_top"][0] for t in tips]) / (finger_px * _FINGER_PITCH)
    for combo in candidates:
        # pairs: (tip index, position index)
        pairs = [(i, c) for c, i in enumerate(combo)] if choose_tips else list(enumerate(combo))
        tops = np.array([tips[t]["hand_top"][1] for t, _ in pairs]) / finger_px
        drops = np.array([_TIP_DROP.get(present[p], 0.0) for _, p in pairs])
        offset = float(np.mean(tops - drops))
        cost = float(np.sum((tops - drops - offset) ** 2))
        xs = [x_all[t] for t, _ in pairs]
        for (x_a, (_, pa)), (x_b, (_, pb)) in itertools.pairwise(zip(xs, pairs, strict=True)):
            cost += 8.0 * ((x_b - x_a) - (pb - pa)) ** 2  # gaps vary less than heights
        if cost < best_cost:
            best, best_cost = list(combo), cost
    return best or []


def _make_finger(img: np.ndarray, tip: dict, fgp: int) -> SlapFinger:
    pts = tip["polygon"]
    h, w = img.shape
    xs = np.clip(pts[:, 0], 0, w)
    ys = np.clip(pts[:, 1], 0, h)
    x0, y0 = int(math.floor(xs.min())), int(math.floor(ys.min()))
    x1, y1 = int(math.ceil(xs.max())), int(math.ceil(ys.max()))
    # Upright crop: map the rotated rectangle onto an axis-aligned one.
    width = float(np.linalg.norm(pts[1] - pts[0]))
    height = float(np.linalg.norm(pts[3] - pts[0]))
    dst = np.array([[0, 0], [width, 0], [width, height]], dtype=np.float32)
    a = cv2.getAffineTransform(pts[:3].astype(np.float32), dst)
    crop = cv2.warpAffine(
        img, a, (max(1, round(width)), max(1, round(height))), flags=cv2.INTER_LINEAR, borderValue=255
    )
    polygon = tuple((int(round(float(x))), int(round(float(y)))) for x, y in zip(xs, ys, strict=True))
    return SlapFinger(
        finger=fgp,
        box=(x0, y0, x1 - x0, y1 - y0),
        polygon=polygon,
        angle=float(tip["angle"]),
        image=crop,
    )
