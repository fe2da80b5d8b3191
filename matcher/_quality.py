"""NFIQ 2-style quality 0–100 with a block map, from ideas of ISO/IEC 29794-4.

Per 32×32 block (at 500 ppi) of the foreground: orientation certainty (coherence of the gradient
field), local clarity (how well the ridge model — the Gabor-enhanced image — explains the pixels,
which also captures ridge–valley uniformity and the frequency domain's single dominant peak) and
contrast. The image score combines the mean block quality with the usable foreground area and the
number and quality of minutiae, because a clean but tiny or featureless print is still unusable.

It also asks whether the print holds its core well inside its edge (a singular point of the ridge
flow, Poincaré index +1/2). A clean print of a fingertip or of one side of the finger, with the
core outside the image or at its edge, shares too little with another impression to match: on
the six FVC sets such prints caused most of the failures that block quality did not predict
(docs/benchmarks.md, "Matcher accuracy (issue 24)"). A print without any core is either such a
part of a finger or a plain arch, which has none; a retake cannot help an arch, so a print with
no core is judged by its size: a small one counts as a part of a finger, one as large as a
rolled print (where an arch shows whole) does not lose anything.

Last, it asks how much of the print the ridge model contradicts: the share of pixels whose
ridge-or-valley label (the sign of the normalised image) differs from the Gabor-enhanced ridge
model's, in the worst quarter of the print's blocks. Dry prints with ridges broken into fragments
and wet ones with merged ridges have regions where it is high while orientation, clarity and
contrast still look good; there the extractor draws minutiae the next impression will not have
(fvc2002_db3_b finger 110, docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2
import numpy as np

if TYPE_CHECKING:  # imported where used: a QualityReport is unpickled where numba is not loaded
    from matcher import _features

_BLOCK = 32  # pixels at 500 ppi
_GOOD_AREA_PX = 220 * 220  # foreground at 500 ppi that counts as a full plain impression
_GOOD_MINUTIAE = 30
# Core position: a core at least _CORE_DEPTH_PX inside the foreground's edge (500 ppi) counts in
# full; nearer the edge the score falls in proportion, to no less than _NO_CORE. With no core
# found, the factor is _NO_CORE for a foreground up to _ARCH_AREA_PX[0] and rises to 1 at
# _ARCH_AREA_PX[1] (rolled-print sized: an arch, not a fingertip). Singular points are looked
# for on a grid of _CORE_STEP px, in the orientation field smoothed further by _CORE_SMOOTH px
# (noise makes spurious pairs of them).
_CORE_DEPTH_PX = 40.0
_NO_CORE = 0.3
_ARCH_AREA_PX = (60_000, 100_000)
_CORE_STEP = 8
_CORE_SMOOTH = 8.0
# Ridge-model disagreement (worst quarter of the blocks): none up to _DISAGREE[0], the score times
# _DISAGREE_FLOOR from _DISAGREE[1]. Blocks count when _DISAGREE_INNER of them lies at least
# _INNER_PX / 2 inside the foreground (the edge is judged by area and core, not here).
_DISAGREE = (0.24, 0.28)
_DISAGREE_FLOOR = 0.5
_DISAGREE_INNER = 0.9
_INNER_PX = 15


@dataclass(frozen=True)
class QualityReport:
    """score 0–100 (higher is better); block_map 0–100 per block; block_size in the image's own pixels."""

    score: int
    block_map: np.ndarray
    block_size: int


def _blocks(a: np.ndarray, nby: int, nbx: int) -> np.ndarray:
    h, w = a.shape
    pad = np.zeros((nby * _BLOCK, nbx * _BLOCK), a.dtype)
    pad[:h, :w] = a
    return pad.reshape(nby, _BLOCK, nbx, _BLOCK).swapaxes(1, 2)


def assess(img500: np.ndarray, f: _features.Features, ppi: float) -> QualityReport:
    """Quality of the 500 ppi image `img500` whose features are `f`."""
    h, w = f.mask.shape
    nby = -(-h // _BLOCK)
    nbx = -(-w // _BLOCK)
    fg = _blocks(f.mask.astype(np.float32), nby, nbx).mean(axis=(2, 3))
    coh = _blocks(f.coherence * f.mask, nby, nbx).sum(axis=(2, 3)) / np.maximum(fg * _BLOCK**2, 1)
    n = _blocks(f.normalised * f.mask, nby, nbx)
    e = _blocks(f.enhanced * f.mask, nby, nbx)
    corr = (n * e).sum(axis=(2, 3)) / np.sqrt((n * n).sum(axis=(2, 3)) * (e * e).sum(axis=(2, 3)) + 1e-6)
    # Enhanced-signal strength: weak Gabor response means no clear ridge–valley alternation.
    strength = np.sqrt((e * e).sum(axis=(2, 3)) / np.maximum(fg * _BLOCK**2, 1))
    # Grey-level spread: normalisation hides faint or washed-out prints, the raw pixels do not.
    g = _blocks(img500 * f.mask, nby, nbx)
    area_b = np.maximum(fg * _BLOCK**2, 1)
    g_mean = g.sum(axis=(2, 3)) / area_b
    g_std = np.sqrt(
        np.maximum(_blocks(img500 * img500 * f.mask, nby, nbx).sum(axis=(2, 3)) / area_b - g_mean**2, 0)
    )
    spread = np.clip((g_std - 6.0) / 24.0, 0, 1)
    ocl = np.clip((coh - 0.2) / 0.6, 0, 1)
    clarity = np.clip((corr - 0.3) / 0.5, 0, 1)
    contrast = np.clip(strength / 0.25, 0, 1)
    block = 100.0 * (ocl**0.5) * clarity * contrast * spread**0.5
    block[fg < 0.5] = 0.0
    fg_blocks = fg >= 0.5
    mean_q = float(block[fg_blocks].mean()) if fg_blocks.any() else 0.0
    area = float(f.mask.sum())
    area_f = min(1.0, area / _GOOD_AREA_PX)
    q = f.minutia_quality.astype(np.float64)
    minutiae_f = min(1.0, float((q / 100.0).sum()) / (0.6 * _GOOD_MINUTIAE))
    core_f = _core_factor(core_depth(f), area)
    model_f = _model_factor(ridge_disagreement(f))
    score = mean_q * (0.4 + 0.6 * area_f) * (0.8 + 0.2 * minutiae_f) * core_f * model_f
    block_size = max(1, round(_BLOCK * float(ppi) / 500.0))
    return QualityReport(int(round(np.clip(score, 0, 100))), block.astype(np.float32), block_size)


def _core_factor(depth: float, area: float) -> float:
    if depth > 0:
        return float(np.clip(depth / _CORE_DEPTH_PX, _NO_CORE, 1.0))
    lo, hi = _ARCH_AREA_PX
    return _NO_CORE + (1.0 - _NO_CORE) * float(np.clip((area - lo) / (hi - lo), 0.0, 1.0))


def _model_factor(disagreement: float) -> float:
    lo, hi = _DISAGREE
    return 1.0 - (1.0 - _DISAGREE_FLOOR) * float(np.clip((disagreement - lo) / (hi - lo), 0.0, 1.0))


def ridge_disagreement(f: _features.Features) -> float:
    """Share of pixels whose ridge/valley label the Gabor ridge model contradicts, 0–1 (chance is
    0.5), at the 75th percentile over the blocks well inside the foreground; 0.5 if there are none."""
    inner = cv2.erode(f.mask, np.ones((_INNER_PX, _INNER_PX), np.uint8))
    if inner.sum() < 1000:  # a sliver of a print: judge what there is
        inner = f.mask
    h, w = f.mask.shape
    nby, nbx = -(-h // _BLOCK), -(-w // _BLOCK)
    wrong = ((f.normalised > 0) != (f.enhanced > 0)) & (inner > 0)
    n_inner = _blocks(inner.astype(np.float32), nby, nbx).sum(axis=(2, 3))
    n_wrong = _blocks(wrong.astype(np.float32), nby, nbx).sum(axis=(2, 3))
    full = n_inner >= _DISAGREE_INNER * _BLOCK**2
    if not full.any():
        return 0.5
    return float(np.percentile(n_wrong[full] / n_inner[full], 75))


# The closed loop around a grid point (row, column offsets), for the Poincaré index.
_LOOP = ((-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))


def core_depth(f: _features.Features) -> float:
    """Distance in pixels from the foreground's edge to the deepest core of the print, 0 if none.

    A core is a grid point around which the ridge orientation turns by +π (Poincaré index +1/2),
    every point of its loop inside the foreground.
    """
    from matcher import _features

    theta = f.orientation.astype(np.float32)
    c2 = _features.smooth(np.cos(2 * theta), _CORE_SMOOTH)
    s2 = _features.smooth(np.sin(2 * theta), _CORE_SMOOTH)
    h, w = theta.shape
    ys = np.arange(_CORE_STEP, h - _CORE_STEP, _CORE_STEP)
    xs = np.arange(_CORE_STEP, w - _CORE_STEP, _CORE_STEP)
    if len(ys) < 3 or len(xs) < 3:
        return 0.0
    phi = 0.5 * np.arctan2(s2[np.ix_(ys, xs)], c2[np.ix_(ys, xs)]).astype(np.float64)
    inside = f.mask[np.ix_(ys, xs)] > 0
    ny, nx = len(ys) - 2, len(xs) - 2
    total = np.zeros((ny, nx))
    whole = inside[1 : 1 + ny, 1 : 1 + nx].copy()
    for (a, b), (c, d) in zip(_LOOP[:-1], _LOOP[1:], strict=True):
        step = phi[1 + c : 1 + c + ny, 1 + d : 1 + d + nx] - phi[1 + a : 1 + a + ny, 1 + b : 1 + b + nx]
        total += (step + np.pi / 2) % np.pi - np.pi / 2  # orientation differences wrap at ±π/2
        whole &= inside[1 + a : 1 + a + ny, 1 + b : 1 + b + nx]
    core = whole & (np.abs(total - np.pi) < 0.5)
    if not core.any():
        return 0.0
    return float(f.depth[np.ix_(ys[1:-1], xs[1:-1])][core].max())
