"""From a 500 ppi image to minutiae: segmentation, orientation, frequency, Gabor enhancement, skeleton.

All maps are full-resolution float32 arrays the size of the 500 ppi image; ridges are positive
in the normalised and enhanced images.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

import cv2
import numpy as np

from matcher import _skeleton, _texture
from matcher._jit import njit

_N_ANGLES = 16  # orientations of the contextual Gabor filter bank
_MIN_PERIOD, _MAX_PERIOD = 5.0, 16.0  # ridge period bounds at 500 ppi, pixels
_BORDER_PX = 6.0  # minutiae closer than this to the foreground edge are the edge, not the print
_PAIR_PX = 4.0  # two minutiae closer than this are a break, bridge or spur: both are dropped
_TRACE_PX = 10
_MAX_MINUTIAE = 150
_GABOR_SIGMA = 0.5  # Gaussian envelope of the Gabor filter, in ridge periods
_SEGMENT_LEVEL = 0.3  # foreground where the ridge-band spread exceeds this fraction of its 95th percentile
_SEGMENT_RATIO = 2.0  # ... and the slower band holds less than twice the ridge band's energy (see segment)
_ORIENT_SMOOTH = 10.0  # sigma of the second orientation smoothing (strong gradients weigh most)
_MIN_Q = 5.0  # minutiae below this quality are dropped
_HALF_GABOR = 1  # Gabor filtering on a half-size grid for coarse ridges (see enhance)
_HALF_MIN_PERIOD = 10.0  # below this the half grid loses too much of the ridge shape (tested on FVC)
_PERIOD_SCALE = 1.04  # the spectrum's peak sits slightly short of the ridge period (finite band, blur)
_CLARITY_SIGMA = 4.0  # blur of the enhanced image's energy around a minutia (see _filter)
_NEED_PX = 17  # that blur reaches 4σ = 16 px (OpenCV's kernel size for σ), plus one
_EDGE_COLS = 32  # twice the widest SIMD register in floats: where OpenCV's row remainder can fall


@dataclass(frozen=True)
class Features:
    normalised: np.ndarray  # zero mean, unit local contrast, ridges positive
    mask: np.ndarray  # uint8 0/1 foreground
    orientation: np.ndarray  # ridge direction in [0, pi)
    coherence: np.ndarray  # 0..1 orientation certainty
    period: float  # dominant ridge period, pixels
    enhanced: np.ndarray  # Gabor response, ridges positive (0 away from the print, where unread: see enhance)
    depth: np.ndarray  # float32 distance of each pixel to the background or the image's edge
    minutiae: np.ndarray  # (N, 4) float32: x, y, angle, type
    minutia_quality: np.ndarray  # (N,) uint8 0..100
    texture: np.ndarray  # (N, _texture.BYTES) uint8: orientation descriptor of each minutia


def smooth(a: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur; wide ones run on a 4× smaller image (the result is smooth anyway)."""
    if sigma < 5:
        return cv2.GaussianBlur(a, (0, 0), sigma)
    h, w = a.shape
    small = cv2.resize(a, ((w + 3) // 4, (h + 3) // 4), interpolation=cv2.INTER_AREA)
    # The 4×4 area average already blurred by a variance of about 4²/12 pixels².
    small = cv2.GaussianBlur(small, (0, 0), np.sqrt(sigma**2 - 16 / 12) / 4)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def normalise(img: np.ndarray) -> np.ndarray:
    """Local zero-mean, unit-contrast image with ridges positive (input has dark ridges)."""
    mean = smooth(img, 8)
    d = mean - img
    var = smooth(d * d, 8)
    return d / np.sqrt(var + 25.0)


def segment(img: np.ndarray) -> np.ndarray:
    """Foreground mask: where the image holds ridge-like texture, as one filled blob.

    The texture measure is the local energy of a band-pass (difference of Gaussians, σ 1 and 4 px)
    that keeps ridge periods and drops slow grey-level changes. A plain grey-level spread also
    fires on straight steps of the sensor's frame (the bright margins and dark wedges of
    fvc2004_db2_b) and joined them to the print, so edge minutiae along the print's side were
    kept; a step puts most of its energy below the ridge band, so pixels where the slower band
    (σ 4 to 12) outweighs the ridge band by more than 1/_SEGMENT_RATIO are background.
    (Working this out on a 4× smaller grid was 10 ms faster on 640×480 but cost accuracy on
    the FVC sets: the mask edge decides which edge minutiae survive.)
    """
    coarse = cv2.GaussianBlur(img, (0, 0), 4.0)
    band = cv2.GaussianBlur(img, (0, 0), 1.0) - coarse
    slow = coarse - smooth(img, 12)
    energy = smooth(band * band, 6)
    spread = np.sqrt(energy)
    hi = float(np.percentile(spread, 95))
    if hi <= 1.0:
        return np.zeros(img.shape, np.uint8)
    ridged = _SEGMENT_RATIO * energy > smooth(slow * slow, 6)
    mask = ((spread > _SEGMENT_LEVEL * hi) & ridged).astype(np.uint8)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (17, 17))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, k)
    labels, areas = _components(mask)
    if len(areas) <= 1:
        return mask
    # Keep the components that are a sizeable part of the print (slaps are segmented elsewhere).
    biggest = areas[1:].max()
    keep = np.zeros(len(areas), np.uint8)
    keep[1:] = areas[1:] >= 0.2 * biggest
    mask = keep[labels]
    # Fill holes (a smudge in the middle is still the finger): the background not 4-connected to
    # the image's edge. Flooded from a frame around the image, it is what the flood leaves.
    outside = np.pad(1 - mask, 1, constant_values=1)
    cv2.floodFill(outside, None, (0, 0), 2, flags=4)
    return (outside[1:-1, 1:-1] != 2).astype(np.uint8)


@njit(nogil=True, cache=True)
def _components(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """4-connected components of the nonzero pixels: labels (int32, 0 = background) and the area
    of each label (index 0 unused). OpenCV's labelling does the same, but its parallel version
    costs twice the CPU of these two passes with union-find."""
    h, w = mask.shape
    parent = np.empty(h * w // 2 + 2, np.int64)  # a new provisional label at most every other pixel
    labels = np.zeros((h, w), np.int32)
    n = 1
    for y in range(h):
        for x in range(w):
            if mask[y, x] == 0:
                continue
            up = labels[y - 1, x] if y > 0 else 0
            left = labels[y, x - 1] if x > 0 else 0
            if up == 0 and left == 0:
                parent[n] = n
                labels[y, x] = n
                n += 1
            elif up == 0 or left == 0:
                labels[y, x] = up + left
            else:
                a = up
                while parent[a] != a:
                    a = parent[a]
                b = left
                while parent[b] != b:
                    b = parent[b]
                root = min(a, b)
                parent[a] = root
                parent[b] = root
                parent[up] = root
                parent[left] = root
                labels[y, x] = root
    final = np.zeros(n, np.int32)
    count = 0
    for i in range(1, n):
        r = i
        while parent[r] != r:
            r = parent[r]
        parent[i] = r
        if r == i:
            count += 1
            final[i] = count
        else:
            final[i] = final[r]  # r < i: numbered already
    areas = np.zeros(count + 1, np.int64)
    for y in range(h):
        for x in range(w):
            if labels[y, x] != 0:
                labels[y, x] = final[labels[y, x]]
                areas[labels[y, x]] += 1
    return labels, areas


def orientation_field(norm: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ridge orientation in [0, pi) and coherence, from smoothed gradient moments."""
    g = cv2.GaussianBlur(norm, (0, 0), 1.0)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    gxx = smooth(gx * gx, 6)
    gyy = smooth(gy * gy, 6)
    gxy = smooth(gx * gy, 6)
    num = np.sqrt((gxx - gyy) ** 2 + 4 * gxy * gxy)
    coh = num / (gxx + gyy + 1e-6)
    # Smooth the doubled-angle field further (strong, certain gradients weigh most) to bridge noisy spots.
    c2 = smooth(gxx - gyy, _ORIENT_SMOOTH)
    s2 = smooth(2 * gxy, _ORIENT_SMOOTH)
    theta = 0.5 * np.arctan2(s2, c2) + np.pi / 2  # gradient is across ridges; ridges run normal to it
    # theta lies in [0, π]: there np.mod(theta, π) only folds π to 0 (the same, at 15× the cost).
    pi = theta.dtype.type(np.pi)
    np.subtract(theta, pi, out=theta, where=theta >= pi)
    return theta.astype(np.float32), np.clip(coh, 0, 1).astype(np.float32)


def ridge_period(norm: np.ndarray, mask: np.ndarray) -> float:
    """Dominant ridge period from the radial power spectrum of the foreground.

    Computed on the image halved in size (periods of 5–16 px stay well above the new Nyquist
    limit), which makes the transform four times cheaper.
    """
    if mask.sum() < 100:
        return 9.0
    small = cv2.resize(norm * mask, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    fh, fw = cv2.getOptimalDFTSize(h), cv2.getOptimalDFTSize(w)
    pad = np.zeros((fh, fw), np.float32)
    pad[:h, :w] = small
    spec = cv2.dft(pad, flags=cv2.DFT_COMPLEX_OUTPUT)
    power = spec[..., 0] ** 2 + spec[..., 1] ** 2
    ky = np.fft.fftfreq(fh)[:, None]
    kx = np.fft.fftfreq(fw)[None, :]
    freq = np.sqrt(ky**2 + kx**2) / 2.0  # cycles per full-resolution pixel
    band = (freq >= 1 / _MAX_PERIOD) & (freq <= 1 / _MIN_PERIOD)
    # Histogram of power over period in 0.25 px steps, lightly smoothed.
    periods = 1.0 / freq[band]
    bins = np.arange(_MIN_PERIOD, _MAX_PERIOD + 0.25, 0.25)
    hist, _ = np.histogram(periods, bins=bins, weights=power[band])
    hist = np.convolve(hist, np.ones(5) / 5, mode="same")
    k = int(np.argmax(hist))
    return float(np.clip((bins[k] + bins[k + 1]) / 2 * _PERIOD_SCALE, _MIN_PERIOD, _MAX_PERIOD))


@functools.lru_cache(maxsize=256)  # ridge_period returns one of 45 periods: the factors repeat
def _gabor_1d(period: float, angle: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """1-D factors of an isotropic complex Gabor filter across ridges running at `angle`.

    exp(-(x²+y²)/2σ²)·exp(i·2π(x·u + y·v)/T) = [g(x)·e^{i2πxu/T}]·[g(y)·e^{i2πyv/T}], so its real
    part is cx⊗cy − sx⊗sy: two separable filterings instead of one dense 2-D convolution.
    """
    sigma = _GABOR_SIGMA * period
    half = int(np.ceil(3 * sigma))
    t = np.arange(-half, half + 1, dtype=np.float64)
    g = np.exp(-(t**2) / (2 * sigma**2))
    u = -np.sin(angle) / period  # the wave runs across the ridges: normal to their direction
    v = np.cos(angle) / period
    norm = 1.0 / (g.sum() ** 2 * 0.5)
    cx, sx = g * np.cos(2 * np.pi * u * t), g * np.sin(2 * np.pi * u * t)
    cy, sy = g * np.cos(2 * np.pi * v * t), g * np.sin(2 * np.pi * v * t)
    f32 = np.float32
    factors = (cx * norm).astype(f32), sx.astype(f32) * f32(norm), cy.astype(f32), sy.astype(f32)
    for f in factors:
        f.flags.writeable = False  # shared by every caller (cached)
    return factors


def _enhance_full(norm: np.ndarray, theta: np.ndarray, period: float, need: np.ndarray) -> np.ndarray:
    """Contextual Gabor filtering: each pixel of `need` takes the response of the filter along its
    ridges; the others stay 0.

    Each pair of orientations filters the bounding box of its needed pixels only: leaving out the
    background (whose noisy orientations put every angle all over the image) shrinks the boxes
    about threefold. The filter at angle π − a is the one at a mirrored top to bottom: the same row
    factors and the sine part's column factor negated, so with A = cx⊗cy and B = sx⊗sy the
    response is A − B at a and A + B at π − a, the same numbers bit for bit as filtering twice
    (checked for every period `ridge_period` can return), from one pair of filterings.
    """
    idx = (np.round(theta / (np.pi / _N_ANGLES)).astype(np.int32)) % _N_ANGLES
    pair = np.minimum(idx, _N_ANGLES - idx)  # a and π − a share their filters
    pair[need == 0] = -1
    out = np.zeros_like(norm)
    h, w = norm.shape
    boxes = _boxes(pair, _N_ANGLES // 2 + 1)
    for g in range(_N_ANGLES // 2 + 1):
        ya, yb, xa, xb = boxes[g]
        if yb == 0:
            continue
        cx, sx, cy, sy = _gabor_1d(period, g * np.pi / _N_ANGLES)
        # Filter a window reaching past the box by more than the kernel's half width, so the
        # box's pixels never see the window's edge (the image's edge is the same in any window).
        pad = len(cx) // 2 + 1
        y0, y1 = max(ya - pad, 0), min(yb + pad, h)
        x0, x1 = max(xa - pad, 0), min(xb + pad, w)
        win = norm[y0:y1, x0:x1]
        box = slice(ya - y0, yb - y0), slice(xa - x0, xb - x0)
        a = cv2.sepFilter2D(win, cv2.CV_32F, cx, cy)[box]
        b = cv2.sepFilter2D(win, cv2.CV_32F, sx, sy)[box]
        _place(out, a, b, idx, pair, g, ya, xa)
    _redo_right_edge(out, norm, idx, period, need)
    return out


@njit(nogil=True, cache=True)
def _boxes(pair: np.ndarray, groups: int) -> np.ndarray:
    """(groups, 4) int64: y0, y1, x0, x1 (ends exclusive) of the pixels of each value of `pair`
    (values below 0 ignored); all 0 for a value that does not occur."""
    box = np.zeros((groups, 4), dtype=np.int64)
    h, w = pair.shape
    for y in range(h):
        for x in range(w):
            g = pair[y, x]
            if g < 0:
                continue
            if box[g, 1] == 0:
                box[g, 0] = y
                box[g, 2] = x
                box[g, 3] = x + 1
            box[g, 1] = y + 1
            box[g, 2] = min(box[g, 2], x)
            box[g, 3] = max(box[g, 3], x + 1)
    return box


@njit(nogil=True, cache=True)
def _place(
    out: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    idx: np.ndarray,
    pair: np.ndarray,
    g: int,
    ya: int,
    xa: int,
) -> None:
    """Where pair is g in the box at (ya, xa) the size of a: out = a − b at angle g, a + b at its
    mirror angle (the other angle of the pair)."""
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            y = ya + i
            x = xa + j
            if pair[y, x] == g:
                if idx[y, x] == g:
                    out[y, x] = a[i, j] - b[i, j]
                else:
                    out[y, x] = a[i, j] + b[i, j]


def _redo_right_edge(
    out: np.ndarray, norm: np.ndarray, idx: np.ndarray, period: float, need: np.ndarray
) -> None:
    """Filter the needed pixels of the image's last _EDGE_COLS columns as plain per-angle filtering did.

    OpenCV computes the last few pixels of each filtered row (its SIMD loop's remainder) in
    scalar code, whose last bit can differ; which pixels fall there depends on the window's
    width. Away from the image's right edge they lie in the window's padding, never read; at
    the edge they are image pixels. So there each angle is filtered in the window plain
    filtering used: as wide as the bounding box of all its pixels (rows do not matter).
    """
    h, w = norm.shape
    x_edge = max(w - _EDGE_COLS, 0)
    redo = need[:, x_edge:] > 0
    if not redo.any():
        return
    edge_idx = idx[:, x_edge:]
    # Columns holding each angle anywhere in the image: the plain windows' left ends.
    per_angle = np.bincount((idx * w + np.arange(w)).ravel(), minlength=_N_ANGLES * w).reshape(_N_ANGLES, w)
    for i in np.unique(edge_idx[redo]):
        sel = redo & (edge_idx == i)
        cx, sx, cy, sy = _gabor_1d(period, i * np.pi / _N_ANGLES)
        pad = len(cx) // 2 + 1
        cols = np.flatnonzero(per_angle[i])
        x0, x1 = max(cols[0] - pad, 0), min(cols[-1] + pad + 1, w)
        rows = np.flatnonzero(sel.any(axis=1))
        ya, yb = rows[0], rows[-1] + 1
        y0, y1 = max(ya - pad, 0), min(yb + pad, h)
        win = norm[y0:y1, x0:x1]
        r = cv2.sepFilter2D(win, cv2.CV_32F, cx, cy) - cv2.sepFilter2D(win, cv2.CV_32F, sx, sy)
        xa = max(x_edge, x0)  # the angle's pixels lie within x0 … x1, which may cut into the edge
        np.copyto(
            out[ya:yb, xa:x1], r[ya - y0 : yb - y0, xa - x0 :], where=sel[ya:yb, xa - x_edge : x1 - x_edge]
        )


def _needed(mask: np.ndarray, reach: int) -> np.ndarray:
    """The mask grown by `reach` pixels (a square): where the enhanced image is read."""
    k = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    return cv2.dilate(mask, k)


def enhance(norm: np.ndarray, theta: np.ndarray, period: float, mask: np.ndarray) -> np.ndarray:
    """Contextual Gabor filtering, on a half-size grid when the ridges allow it.

    Ridges of 10 px or more at 500 ppi stay at least 5 px apart on the half grid, well above its
    Nyquist limit; filtering there costs about an eighth, and the smooth ridge waves interpolate
    back cleanly. Finer ridges are filtered at full size.

    Only the foreground and _NEED_PX around it are filtered (the rest is 0): nothing reads the
    enhanced image further out (the ridge map and quality read it inside the mask, `_filter`'s
    clarity within its blur's reach of a minutia, which lies inside the mask).
    """
    if not _HALF_GABOR or period < _HALF_MIN_PERIOD:
        return _enhance_full(norm, theta, period, _needed(mask, _NEED_PX))
    h, w = norm.shape
    small = cv2.resize(norm, ((w + 1) // 2, (h + 1) // 2), interpolation=cv2.INTER_AREA)
    th = np.ascontiguousarray(theta[::2, ::2])[: small.shape[0], : small.shape[1]]
    # Bicubic interpolation reads the half-grid pixels x//2 − 2 … x//2 + 2 for full pixel x:
    # half-grid pixel j is needed when a needed full pixel lies within 2j − 5 … 2j + 5.
    need = np.ascontiguousarray(_needed(mask, _NEED_PX + 5)[::2, ::2])
    enh = _enhance_full(small, th, period / 2, need)
    return cv2.resize(enh, (w, h), interpolation=cv2.INTER_CUBIC)


def extract(img500: np.ndarray) -> Features:
    """Everything the matcher and the quality measure need from one 500 ppi image."""
    mask = segment(img500)
    norm = normalise(img500)
    theta, coh = orientation_field(norm, mask)
    period = ridge_period(norm, mask)
    enh = enhance(norm, theta, period, mask)
    binary = ((enh > 0) & (mask > 0)).astype(np.uint8)
    skel = _skeleton.thin(binary)
    depth = cv2.distanceTransform(np.pad(mask, 1), cv2.DIST_L2, 3)[1:-1, 1:-1]
    raw = _skeleton.detect(skel, depth, theta, _BORDER_PX, _TRACE_PX)
    minutiae, q = _filter(raw, coh, enh)
    texture = _texture.describe(minutiae, theta, mask)
    return Features(norm, mask, theta, coh, period, enh, depth, minutiae, q, texture)


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
    clarity = np.clip(np.sqrt(cv2.GaussianBlur(enh * enh, (0, 0), _CLARITY_SIGMA))[yi, xi] / 0.6, 0, 1)
    qual = 100.0 * np.sqrt(coh[yi, xi] * clarity)
    qual[raw[:, 4] > 0] *= 0.5  # short ridges are often noise
    keep &= qual > _MIN_Q
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
