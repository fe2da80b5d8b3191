"""numba kernels on binary ridge maps: thinning and minutia detection by crossing number."""

from __future__ import annotations

import numpy as np

from matcher._jit import njit

# 8-neighbourhood in clockwise order starting at north: (dy, dx).
_NY = np.array([-1, -1, 0, 1, 1, 1, 0, -1], dtype=np.int64)
_NX = np.array([0, 1, 1, 1, 0, -1, -1, -1], dtype=np.int64)


def _removable() -> np.ndarray:
    """(2, 256) uint8: whether Zhang–Suen's first / second sub-iteration removes a ridge pixel
    whose 8 neighbours, clockwise from north, are the bits of the index (bit k = neighbour k).

    Removable: 2–6 neighbours set, exactly one 0→1 step going round them, and for the first
    sub-iteration N·E·S = E·S·W = 0, for the second N·E·W = N·S·W = 0.
    """
    table = np.zeros((2, 256), np.uint8)
    for code in range(256):
        p = [(code >> k) & 1 for k in range(8)]
        b = sum(p)
        a = sum(1 for k in range(8) if p[k] == 0 and p[(k + 1) % 8] == 1)
        if not (2 <= b <= 6 and a == 1):
            continue
        table[0, code] = p[0] * p[2] * p[4] == 0 and p[2] * p[4] * p[6] == 0
        table[1, code] = p[0] * p[2] * p[6] == 0 and p[0] * p[4] * p[6] == 0
    return table


_REMOVABLE = _removable()


@njit(nogil=True, cache=True)
def _code(img: np.ndarray, y: int, x: int) -> int:
    """The 8 neighbours of (y, x) as bits, clockwise from north (the order of _NY, _NX)."""
    return (
        np.int64(img[y - 1, x])
        | np.int64(img[y - 1, x + 1]) << 1
        | np.int64(img[y, x + 1]) << 2
        | np.int64(img[y + 1, x + 1]) << 3
        | np.int64(img[y + 1, x]) << 4
        | np.int64(img[y + 1, x - 1]) << 5
        | np.int64(img[y, x - 1]) << 6
        | np.int64(img[y - 1, x - 1]) << 7
    )


@njit(nogil=True, cache=True)
def thin(binary: np.ndarray) -> np.ndarray:
    """Zhang–Suen thinning of a 0/1 uint8 image; the one-pixel border is cleared.

    Each sub-iteration decides on the image as it was before it, so only the ridge pixels need
    visiting (kept in a list, raster order, shortened after each pass) and the order of the
    visits does not matter; the neighbourhood's verdict is looked up (_REMOVABLE).
    """
    img = binary.copy()
    h, w = img.shape
    img[0, :] = 0
    img[h - 1, :] = 0
    img[:, 0] = 0
    img[:, w - 1] = 0
    table = _REMOVABLE
    n = 0
    for y in range(1, h - 1):
        for x in range(1, w - 1):
            if img[y, x] != 0:
                n += 1
    ys = np.empty(n, dtype=np.int32)  # every ridge pixel still standing, in raster order
    xs = np.empty(n, dtype=np.int32)
    n = 0
    for y in range(1, h - 1):
        for x in range(1, w - 1):
            if img[y, x] != 0:
                ys[n] = y
                xs[n] = x
                n += 1
    gone = np.empty(n, dtype=np.int64)
    changed = True
    while changed:
        changed = False
        for step in range(2):
            m = 0
            for j in range(n):
                y = ys[j]
                x = xs[j]
                if img[y, x] != 0 and table[step, _code(img, y, x)]:
                    gone[m] = j
                    m += 1
            for i in range(m):
                img[ys[gone[i]], xs[gone[i]]] = 0
            if m > 0:
                changed = True
        kept = 0
        for j in range(n):
            if img[ys[j], xs[j]] != 0:
                ys[kept] = ys[j]
                xs[kept] = xs[j]
                kept += 1
        n = kept
    # Remove staircase corners: a pixel joining two 4-neighbours that already touch diagonally,
    # with nothing on the opposite side, so every ridge pixel has crossing number 2. In place,
    # in raster order (a removal changes the verdict on the pixels after it).
    for j in range(n):
        y = ys[j]
        x = xs[j]
        if img[y, x] == 0:
            continue
        n_ = img[y - 1, x]
        e_ = img[y, x + 1]
        s_ = img[y + 1, x]
        w_ = img[y, x - 1]
        if (
            (n_ and e_ and not s_ and not w_ and not img[y + 1, x - 1])
            or (e_ and s_ and not n_ and not w_ and not img[y - 1, x - 1])
            or (s_ and w_ and not n_ and not e_ and not img[y - 1, x + 1])
            or (w_ and n_ and not s_ and not e_ and not img[y + 1, x + 1])
        ):
            img[y, x] = 0
    return img


@njit(nogil=True, cache=True)
def _trace(skel: np.ndarray, y0: int, x0: int, y1: int, x1: int, length: int) -> tuple:
    """Follow a skeleton ridge from (y0,x0) through its neighbour (y1,x1); returns (y, x, steps, hit).

    hit is 1 when the walk met another junction or ending before `length` steps.
    """
    ny = _NY
    nx = _NX
    py, px = y0, x0
    cy, cx = y1, x1
    h, w = skel.shape
    for step in range(1, length):
        cnt = 0
        nyy = -1
        nxx = -1
        for k in range(8):
            yy = cy + ny[k]
            xx = cx + nx[k]
            if yy < 0 or xx < 0 or yy >= h or xx >= w:
                continue
            if skel[yy, xx] and not (yy == py and xx == px) and not (yy == y0 and xx == x0):
                cnt += 1
                nyy = yy
                nxx = xx
        if cnt != 1:
            return cy, cx, step, 1
        py, px = cy, cx
        cy, cx = nyy, nxx
    return cy, cx, length, 0


@njit(nogil=True, cache=True)
def _on_axis(axis: float, dx: float, dy: float) -> float:
    """The direction along the ridge-flow axis (mod π) that agrees with the vector (dx, dy).

    The orientation field gives a steadier angle than a short traced ridge; the trace only
    decides which way along the axis the minutia points.
    """
    if np.cos(axis) * dx + np.sin(axis) * dy >= 0:
        return axis
    return axis + np.pi


@njit(nogil=True, cache=True)
def detect(
    skel: np.ndarray, border: np.ndarray, theta: np.ndarray, min_border: float, trace_len: int
) -> np.ndarray:
    """Minutiae of a thinned ridge map: rows (x, y, angle, type, spur) with type 1=ending 2=bifurcation.

    The angle points from the minutia along the ridge it ends (ending) or between the two ridges
    that fork (bifurcation), in image coordinates (y down): a ridge ending and the valley
    bifurcation it becomes under other pressure then point the same way. spur=1 marks a minutia whose
    ridge met another minutia within `trace_len` pixels (a short ridge, bridge or spur).
    """
    h, w = skel.shape
    ny = _NY
    nx = _NX
    out = np.zeros((4096, 5), dtype=np.float64)
    n = 0
    for y in range(1, h - 1):
        for x in range(1, w - 1):
            if skel[y, x] == 0 or border[y, x] < min_border:
                continue
            cn = 0
            nb = 0
            for k in range(8):
                a = skel[y + ny[k], x + nx[k]]
                b = skel[y + ny[(k + 1) % 8], x + nx[(k + 1) % 8]]
                if a == 0 and b == 1:
                    cn += 1
                nb += a
            if cn == 1 and nb <= 2:
                # Ending: walk along its ridge; the direction points along the ridge.
                for k in range(8):
                    if skel[y + ny[k], x + nx[k]]:
                        ey, ex, steps, hit = _trace(skel, y, x, y + ny[k], x + nx[k], trace_len)
                        break
                ang = _on_axis(theta[y, x], float(ex - x), float(ey - y))
                if n < out.shape[0]:
                    out[n, 0] = x
                    out[n, 1] = y
                    out[n, 2] = ang % (2 * np.pi)
                    out[n, 3] = 1
                    out[n, 4] = hit
                    n += 1
            elif cn == 3:
                # Bifurcation: walk the three branches to see which way the fork opens.
                by = np.zeros(3)
                hits = 0
                nbr = 0
                for k in range(8):
                    yy = y + ny[k]
                    xx = x + nx[k]
                    prev = skel[y + ny[(k + 7) % 8], x + nx[(k + 7) % 8]]
                    if skel[yy, xx] and not prev and nbr < 3:
                        ty, tx, steps, hit = _trace(skel, y, x, yy, xx, trace_len)
                        by[nbr] = np.arctan2(ty - y, tx - x)
                        hits += hit
                        nbr += 1
                if nbr != 3:
                    continue
                # Two branches run one way along the ridge flow, the lone one the other:
                # the sum of the three branch directions points into the fork.
                sx = 0.0
                sy = 0.0
                for i in range(3):
                    sx += np.cos(by[i])
                    sy += np.sin(by[i])
                ang = _on_axis(theta[y, x], sx, sy)
                if n < out.shape[0]:
                    out[n, 0] = x
                    out[n, 1] = y
                    out[n, 2] = ang % (2 * np.pi)
                    out[n, 3] = 2
                    out[n, 4] = 1 if hits > 0 else 0
                    n += 1
    return out[:n]
