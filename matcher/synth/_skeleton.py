"""Thinning and crossing-number minutiae: the ground truth of a master, and the check used by tests.

A binary ridge image (True on ridges) is thinned to one-pixel lines (Zhang–Suen); a skeleton
pixel with one neighbour is a ridge ending, with three a bifurcation. Angles follow the
project's template convention (`matcher.Template`): radians in [0, 2π) from the image's +x axis
towards +y (rows go down), i.e. atan2(dy, dx); an ending points from the ending into its ridge, a
bifurcation points into the valley between its two branches.
"""

from __future__ import annotations

import numpy as np

from matcher import _skeleton as _matcher_skeleton
from matcher._jit import njit

ENDING = 1
BIFURCATION = 2

# Neighbours clockwise from north, as in the matcher's kernels.
_DY = np.array([-1, -1, 0, 1, 1, 1, 0, -1])
_DX = np.array([0, 1, 1, 1, 0, -1, -1, -1])


def thin(binary: np.ndarray) -> np.ndarray:
    """One-pixel-wide skeleton (bool) of a binary image (True = ridge): the matcher's own thinning,
    so ground truth and extraction see ridges the same way."""
    return _matcher_skeleton.thin(np.ascontiguousarray(binary, dtype=np.uint8)).astype(bool)


@njit(nogil=True, cache=True)
def _crossing(skel):  # pragma: no cover - compiled
    h, w = skel.shape
    dy = np.array([-1, -1, 0, 1, 1, 1, 0, -1])
    dx = np.array([0, 1, 1, 1, 0, -1, -1, -1])
    out = np.zeros((h, w), np.uint8)
    for y in range(1, h - 1):
        for x in range(1, w - 1):
            if not skel[y, x]:
                continue
            cn = 0
            for k in range(8):
                a = skel[y + dy[k], x + dx[k]]
                b = skel[y + dy[(k + 1) % 8], x + dx[(k + 1) % 8]]
                if a != b:
                    cn += 1
            cn //= 2
            if cn == 1:
                out[y, x] = 1
            elif cn == 3:
                out[y, x] = 2
    return out


@njit(nogil=True, cache=True)
def _trace(skel, y0, x0, first_y, first_x, steps):  # pragma: no cover - compiled
    """Follow the skeleton from (y0, x0) through (first_y, first_x); returns the end point and steps taken."""
    h, w = skel.shape
    dy = np.array([-1, -1, 0, 1, 1, 1, 0, -1])
    dx = np.array([0, 1, 1, 1, 0, -1, -1, -1])
    py, px = y0, x0
    cy, cx = first_y, first_x
    n = 1
    while n < steps:
        ny, nx, count = -1, -1, 0
        for k in range(8):
            yy, xx = cy + dy[k], cx + dx[k]
            if yy < 0 or xx < 0 or yy >= h or xx >= w:
                continue
            if skel[yy, xx] and not (yy == py and xx == px) and not (yy == y0 and xx == x0):
                # Prefer 4-neighbours so a diagonal shortcut is not taken as a branch.
                if count == 0 or (dy[k] == 0 or dx[k] == 0):
                    ny, nx = yy, xx
                count += 1
        if count == 0 or count > 2:
            break
        py, px, cy, cx = cy, cx, ny, nx
        n += 1
    return cy, cx, n


def _branches(skel: np.ndarray, y: int, x: int, steps: int) -> list[tuple[float, float, int]]:
    """Direction vectors (dx, dy) and lengths of the skeleton branches leaving (x, y)."""
    h, w = skel.shape
    starts = []
    for k in range(8):
        yy, xx = y + int(_DY[k]), x + int(_DX[k])
        if 0 <= yy < h and 0 <= xx < w and skel[yy, xx]:
            starts.append((yy, xx))
    # Neighbours touching each other belong to one branch: keep one per 8-connected run.
    kept: list[tuple[int, int]] = []
    for s in starts:
        if any(abs(s[0] - k[0]) + abs(s[1] - k[1]) == 1 for k in kept):
            continue
        kept.append(s)
    out = []
    for sy, sx in kept:
        ey, ex, n = _trace(skel, y, x, sy, sx, steps)
        out.append((float(ex - x), float(ey - y), int(n)))
    return out


def minutiae(skel: np.ndarray, steps: int = 10) -> np.ndarray:
    """Crossing-number minutiae of a skeleton: N x 4 float (x, y, angle, type), not yet filtered."""
    kinds = _crossing(np.ascontiguousarray(skel, dtype=np.bool_))
    rows = []
    for y, x in zip(*np.nonzero(kinds), strict=True):
        kind = int(kinds[y, x])
        br = _branches(skel, int(y), int(x), steps)
        if kind == ENDING and br:
            dx, dy, _ = br[0]
        elif kind == BIFURCATION and len(br) == 3:
            vecs = [np.array([b[0], b[1]]) / (np.hypot(b[0], b[1]) or 1.0) for b in br]
            # The two branches closest in direction are the forks; point between them.
            pairs = [(0, 1), (0, 2), (1, 2)]
            i, j = max(pairs, key=lambda p: float(vecs[p[0]] @ vecs[p[1]]))
            dx, dy = vecs[i] + vecs[j]
        else:
            continue
        rows.append((float(x), float(y), float(np.mod(np.arctan2(dy, dx), 2 * np.pi)), float(kind)))
    return np.array(rows, dtype=np.float64).reshape(-1, 4)
