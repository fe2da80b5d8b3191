"""From a 500 ppi image to minutiae: segmentation, orientation, frequency, Gabor enhancement, skeleton.

All maps are full-resolution float32 arrays the size of the 500 ppi image; ridges are positive
in the normalised and enhanced images.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np

from matcher import _skeleton

_N_ANGLES = 16  # orientations of the contextual Gabor filter bank
_MIN_PERIOD, _MAX_PERIOD = 5.0, 16.0  # ridge period bounds at 500 ppi, pixels
_BORDER_PX = 10.0  # minutiae closer than this to the foreground edge are the edge, not the print
_PAIR_PX = 4.0  # two minutiae closer than this are a break, bridge or spur: both are dropped
_TRACE_PX = 10
_MAX_MINUTIAE = 96
_GABOR_SIGMA = 0.5  # across the ridges, in ridge periods
_GABOR_ALONG = 1.0  # along the ridges, relative to the across sigma
_SEGMENT_LEVEL = 0.3  # foreground where the local spread exceeds this fraction of its 95th percentile
_ORIENT_SMOOTH = 10.0  # sigma of the second, certainty-weighted orientation smoothing


@dataclass(frozen=True)
class Features:
    normalised: np.ndarray  # zero mean, unit local contrast, ridges positive
    mask: np.ndarray  # uint8 0/1 foreground
    orientation: np.ndarray  # ridge direction in [0, pi)
    coherence: np.ndarray  # 0..1 orientation certainty
    period: float  # dominant ridge period, pixels
    enhanced: np.ndarray  # Gabor response, ridges positive
    minutiae: np.ndarray  # (N, 4) float32: x, y, angle, type
    minutia_quality: np.ndarray  # (N,) uint8 0..100


def normalise(img: np.ndarray) -> np.ndarray:
    """Local zero-mean, unit-contrast image with ridges positive (input has dark ridges)."""
    mean = cv2.GaussianBlur(img, (0, 0), 8)
    d = mean - img
    var = cv2.GaussianBlur(d * d, (0, 0), 8)
    return d / np.sqrt(var + 25.0)


def segment(img: np.ndarray) -> np.ndarray:
    """Foreground mask: where the local grey-level spread looks like ridges, as one filled blob."""
    mean = cv2.GaussianBlur(img, (0, 0), 6)
    std = np.sqrt(np.maximum(cv2.GaussianBlur(img * img, (0, 0), 6) - mean * mean, 0))
    hi = float(np.percentile(std, 95))
    if hi <= 1.0:
        return np.zeros(img.shape, np.uint8)
    mask = (std > _SEGMENT_LEVEL * hi).astype(np.uint8)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (17, 17))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, k)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
    if n <= 1:
        return mask
    # Keep the components that are a sizeable part of the print (slap fingers are handled elsewhere).
    biggest = stats[1:, cv2.CC_STAT_AREA].max()
    keep = np.zeros(n, np.uint8)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= 0.2 * biggest
    mask = keep[labels]
    # Fill holes (a smudge in the middle is still the finger).
    inv = (1 - mask).astype(np.uint8)
    n2, lab2, st2, _ = cv2.connectedComponentsWithStats(inv, connectivity=4)
    h, w = mask.shape
    for i in range(1, n2):
        x, y, bw, bh, _a = st2[i]
        if x > 0 and y > 0 and x + bw < w and y + bh < h:
            mask[lab2 == i] = 1
    return mask


def orientation_field(norm: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ridge orientation in [0, pi) and coherence, from smoothed gradient moments."""
    g = cv2.GaussianBlur(norm, (0, 0), 1.0)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    gxx = cv2.GaussianBlur(gx * gx, (0, 0), 6)
    gyy = cv2.GaussianBlur(gy * gy, (0, 0), 6)
    gxy = cv2.GaussianBlur(gx * gy, (0, 0), 6)
    num = np.sqrt((gxx - gyy) ** 2 + 4 * gxy * gxy)
    coh = num / (gxx + gyy + 1e-6)
    # Smooth the doubled-angle field again, weighted by certainty, to bridge noisy spots.
    c2 = cv2.GaussianBlur((gxx - gyy), (0, 0), _ORIENT_SMOOTH)
    s2 = cv2.GaussianBlur(2 * gxy, (0, 0), _ORIENT_SMOOTH)
    theta = 0.5 * np.arctan2(s2, c2) + np.pi / 2  # gradient is across ridges; ridges run normal to it
    theta = np.mod(theta, np.pi).astype(np.float32)
    return theta, np.clip(coh, 0, 1).astype(np.float32)


def ridge_period(norm: np.ndarray, mask: np.ndarray) -> float:
    """Dominant ridge period from the radial power spectrum of the foreground."""
    fg = norm * mask
    h, w = fg.shape
    n = int(2 ** np.ceil(np.log2(max(h, w))))
    spec = np.abs(np.fft.fft2(fg, s=(n, n))) ** 2
    spec = np.fft.fftshift(spec)
    yy, xx = np.indices(spec.shape)
    r = np.hypot(yy - n // 2, xx - n // 2)
    lo, hi = n / _MAX_PERIOD, n / _MIN_PERIOD
    band = (r >= lo) & (r <= hi)
    if not band.any() or mask.sum() < 100:
        return 9.0
    radial = np.bincount(r[band].astype(np.int64), weights=spec[band])
    radial = np.convolve(radial, np.ones(3) / 3, mode="same")
    k = int(np.argmax(radial))
    return float(np.clip(n / max(k, 1), _MIN_PERIOD, _MAX_PERIOD))


def _gabor_bank(period: float) -> list[np.ndarray]:
    sigma = _GABOR_SIGMA * period
    half = int(np.ceil(3 * sigma))
    y, x = np.mgrid[-half : half + 1, -half : half + 1].astype(np.float32)
    bank = []
    for i in range(_N_ANGLES):
        t = i * np.pi / _N_ANGLES
        # Coordinate across the ridges (normal to ridge direction t).
        across = -x * np.sin(t) + y * np.cos(t)
        along = x * np.cos(t) + y * np.sin(t)
        env = np.exp(-(across**2) / (2 * sigma**2) - (along**2) / (2 * (_GABOR_ALONG * sigma) ** 2))
        k = env * np.cos(2 * np.pi * across / period)
        k -= env * (k.sum() / env.sum())  # zero DC: flat regions give no response
        k /= np.abs(k).sum()
        bank.append(k.astype(np.float32))
    return bank


def enhance(norm: np.ndarray, theta: np.ndarray, period: float) -> np.ndarray:
    """Contextual Gabor filtering: each pixel takes the response of the filter along its ridges."""
    idx = (np.round(theta / (np.pi / _N_ANGLES)).astype(np.int32)) % _N_ANGLES
    out = np.zeros_like(norm)
    for i, k in enumerate(_gabor_bank(period)):
        sel = idx == i
        if sel.any():
            out[sel] = cv2.filter2D(norm, cv2.CV_32F, k)[sel]
    return out


def extract(img500: np.ndarray) -> Features:
    """Everything the matcher and the quality measure need from one 500 ppi image."""
    mask = segment(img500)
    norm = normalise(img500)
    theta, coh = orientation_field(norm, mask)
    period = ridge_period(norm, mask)
    enh = enhance(norm, theta, period)
    binary = ((enh > 0) & (mask > 0)).astype(np.uint8)
    skel = _skeleton.thin(binary)
    border = cv2.distanceTransform(np.pad(mask, 1), cv2.DIST_L2, 3)[1:-1, 1:-1]
    raw = _skeleton.detect(skel, border, theta, _BORDER_PX, _TRACE_PX)
    minutiae, q = _filter(raw, coh, enh)
    return Features(norm, mask, theta, coh, period, enh, minutiae, q)


def _filter(raw: np.ndarray, coh: np.ndarray, enh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop spurious minutiae (close pairs, spurs) and keep the best ones with a 0–100 quality."""
    if len(raw) == 0:
        return np.zeros((0, 4), np.float32), np.zeros(0, np.uint8)
    xy = raw[:, :2]
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(d, np.inf)
    keep = d.min(axis=1) >= _PAIR_PX
    xi = raw[:, 0].astype(np.int64)
    yi = raw[:, 1].astype(np.int64)
    # Local energy of the enhanced image: strong, regular ridges around the minutia.
    clarity = np.clip(np.sqrt(cv2.GaussianBlur(enh * enh, (0, 0), 4))[yi, xi] / 0.6, 0, 1)
    qual = 100.0 * np.sqrt(coh[yi, xi] * clarity)
    qual[raw[:, 4] > 0] *= 0.5  # short ridges are often noise
    keep &= qual > 5
    m = raw[keep, :4].astype(np.float32)
    q = qual[keep]
    order = np.argsort(-q, kind="stable")[:_MAX_MINUTIAE]
    return m[order], np.round(q[order]).astype(np.uint8)


_CACHE: dict[bytes, tuple[np.ndarray, Features]] = {}
_CACHE_SIZE = 4
_CACHE_LOCK = threading.Lock()


def analyse(image: np.ndarray, ppi: float) -> tuple[np.ndarray, Features]:
    """The 500 ppi image and its features; the last few results are remembered.

    Callers often want both a template and a quality report of the same capture; keying on a
    digest of the pixels means the second call does not extract again.
    """
    import hashlib

    from matcher import _image

    _image.check_image(image, ppi)
    key = hashlib.blake2b(np.ascontiguousarray(image).data, digest_size=16)
    key.update(f"{image.shape}{float(ppi)!r}".encode())
    k = key.digest()
    with _CACHE_LOCK:
        hit = _CACHE.get(k)
    if hit is not None:
        return hit
    img = _image.to_500ppi(image, ppi)
    result = (img, extract(img))
    with _CACHE_LOCK:
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[k] = result
    return result
