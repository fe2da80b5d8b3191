"""NFIQ 2-style quality 0–100 with a block map, from ideas of ISO/IEC 29794-4.

Per 32×32 block (at 500 ppi) of the foreground: orientation certainty (coherence of the gradient
field), local clarity (how well the ridge model — the Gabor-enhanced image — explains the pixels,
which also captures ridge–valley uniformity and the frequency domain's single dominant peak) and
contrast. The image score combines the mean block quality with the usable foreground area and the
number and quality of minutiae, because a clean but tiny or featureless print is still unusable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher import _features

_BLOCK = 32  # pixels at 500 ppi
_GOOD_AREA_PX = 220 * 220  # foreground at 500 ppi that counts as a full plain impression
_GOOD_MINUTIAE = 30


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
    score = mean_q * (0.4 + 0.6 * area_f) * (0.8 + 0.2 * minutiae_f)
    block_size = max(1, round(_BLOCK * float(ppi) / 500.0))
    return QualityReport(int(round(np.clip(score, 0, 100))), block.astype(np.float32), block_size)
