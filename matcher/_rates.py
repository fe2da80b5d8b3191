"""Verification error rates from genuine and impostor score lists (higher score = more similar)."""

from __future__ import annotations

import numpy as np


def curve(genuine: np.ndarray, impostor: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(thresholds, fmr, fnmr): accept when score >= threshold."""
    g = np.sort(np.asarray(genuine, np.float64))
    i = np.sort(np.asarray(impostor, np.float64))
    if len(g) == 0 or len(i) == 0:
        raise ValueError("need at least one genuine and one impostor score")
    t = np.unique(np.concatenate([g, i, [np.nextafter(max(g[-1], i[-1]), np.inf)]]))
    fmr = 1.0 - np.searchsorted(i, t, side="left") / len(i)
    fnmr = np.searchsorted(g, t, side="left") / len(g)
    return t, fmr, fnmr


def eer(genuine: np.ndarray, impostor: np.ndarray) -> tuple[float, float]:
    """(equal error rate, threshold) as FVC defines it: the middle of the interval where FMR and FNMR cross."""
    t, fmr, fnmr = curve(genuine, impostor)
    # FMR falls and FNMR rises with the threshold.
    k1 = int(np.flatnonzero(fnmr <= fmr)[-1])
    k2 = int(np.flatnonzero(fnmr >= fmr)[0])
    if fnmr[k1] + fmr[k1] <= fnmr[k2] + fmr[k2]:
        low, high, k = fnmr[k1], fmr[k1], k1
    else:
        low, high, k = fmr[k2], fnmr[k2], k2
    return float((low + high) / 2), float(t[k])


def fnmr_at_fmr(genuine: np.ndarray, impostor: np.ndarray, target: float) -> float:
    """Lowest FNMR over thresholds whose FMR is at most `target` (ZeroFMR when target is 0)."""
    _t, fmr, fnmr = curve(genuine, impostor)
    ok = fmr <= target
    return float(fnmr[ok].min())
