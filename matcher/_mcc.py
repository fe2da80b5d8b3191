"""Minutia Cylinder-Code (Cappelli, Ferrara, Maltoni, IEEE TPAMI 2010), bit-based, with LSS-R.

A cylinder is the local structure around one minutia: NS×NS cells in the minutia's own frame,
ND angular sections each. In the bit-based form each of the NS·NS·ND cells is one bit; the bits
of a cylinder are packed in `WORDS` uint64 words, and a second bit array marks the valid cells
(inside the radius and inside the print's convex hull). Similarity between two cylinders is
1 − ‖a⊕b‖ / (‖a‖ + ‖b‖) over the cells valid in both, with ‖·‖ the square root of a popcount.
Scores are consolidated by Local Similarity Sort with Relaxation (LSS-R).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange, types
from numba.extending import intrinsic

# Parameters from the paper (Table 2), for 500 ppi.
R = 70.0
NS = 16
ND = 6
SIGMA_S = 28.0 / 3.0
SIGMA_D = 2.0 * math.pi / 9.0
MU_PSI = 0.01
OMEGA = 50.0
MIN_VC = 0.75  # fraction of the cells inside the radius that must be valid
MIN_M = 2  # minimum number of other minutiae contributing to a cylinder
MIN_ME = 0.60  # fraction of cells valid in both cylinders for them to be comparable
DELTA_THETA = 2.0 * math.pi / 3.0
BITS = NS * NS * ND
WORDS = BITS // 64
_DELTA_S = 2.0 * R / NS
_DELTA_D = 2.0 * math.pi / ND
# Cells whose centre lies inside the radius, and the common valid bits two cylinders need.
_INSIDE_R = sum(
    1
    for i in range(NS)
    for j in range(NS)
    if ((i + 0.5 - NS / 2) ** 2 + (j + 0.5 - NS / 2) ** 2) * _DELTA_S**2 <= R * R
)
_MIN_COMMON = int(MIN_ME * _INSIDE_R * ND)
# LSS-R parameters.
# The paper averages at least 4 relaxed pairs; 8 keeps small templates (15–25 minutiae) from
# reaching high impostor scores on a few lucky pairs (FVC: highest of 113 280 impostors 0.048 -> 0.041).
_MIN_NP, _MAX_NP, _MU_P, _TAU_P = 8, 12, 20.0, 0.4
_N_REL, _W_R = 5, 0.5
_MAX_NR = 64  # pairs taken into the relaxation (the paper uses min(nA, nB))
_MU1, _TAU1 = 8.0, -8.0 / 5.0  # the paper has 5 px; 8 px tolerates more skin distortion (FVC2004)
_MU2, _TAU2 = math.pi / 12.0, -30.0
_MU3, _TAU3 = math.pi / 12.0, -30.0


@intrinsic
def _popcount(typingctx, x):
    """LLVM ctpop: one POPCNT instruction where the CPU has it."""
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return x(x), codegen


@njit(nogil=True, cache=True, inline="always")
def _dphi(a: float, b: float) -> float:
    """Signed angle difference a − b wrapped to [−π, π)."""
    d = a - b
    if d < -math.pi:
        d += 2 * math.pi
    elif d >= math.pi:
        d -= 2 * math.pi
    return d


@njit(nogil=True, cache=True)
def _hull_dist(px: float, py: float, hx: np.ndarray, hy: np.ndarray) -> float:
    """Signed distance from a point to a convex polygon (counter-clockwise or clockwise): <0 inside."""
    n = hx.shape[0]
    if n < 3:
        return 1e9
    # Orientation of the polygon from its signed area.
    area = 0.0
    for i in range(n):
        j = (i + 1) % n
        area += hx[i] * hy[j] - hx[j] * hy[i]
    sgn = 1.0 if area > 0 else -1.0
    inside = True
    best = 1e18
    for i in range(n):
        j = (i + 1) % n
        ex = hx[j] - hx[i]
        ey = hy[j] - hy[i]
        cross = ex * (py - hy[i]) - ey * (px - hx[i])
        if cross * sgn < 0:
            inside = False
        ll = ex * ex + ey * ey
        t = 0.0 if ll == 0 else ((px - hx[i]) * ex + (py - hy[i]) * ey) / ll
        t = min(1.0, max(0.0, t))
        dx = px - (hx[i] + t * ex)
        dy = py - (hy[i] + t * ey)
        best = min(best, dx * dx + dy * dy)
    d = math.sqrt(best)
    return -d if inside else d


@njit(nogil=True, cache=True)
def build_cylinders(m: np.ndarray, hx: np.ndarray, hy: np.ndarray):
    """Bit cylinders of all minutiae m (N×4: x, y, angle, type) of one print.

    Returns (bits (K, WORDS) uint64, valid (K, WORDS) uint64, index (K,) int32 of the minutia of
    each kept cylinder). Invalid cylinders (too few valid cells or neighbours) are dropped.
    """
    n = m.shape[0]
    bits = np.zeros((n, WORDS), dtype=np.uint64)
    valid = np.zeros((n, WORDS), dtype=np.uint64)
    idx = np.zeros(n, dtype=np.int32)
    gs_norm = 1.0 / (SIGMA_S * math.sqrt(2 * math.pi))
    reach2 = (3.0 * SIGMA_S) ** 2
    inside_r = _INSIDE_R
    acc = np.zeros(BITS)
    cd = np.zeros(ND)
    k_out = 0
    for a in range(n):
        xm = m[a, 0]
        ym = m[a, 1]
        tm = m[a, 2]
        c = math.cos(tm)
        s = math.sin(tm)
        # Neighbours that can reach any cell at all.
        n_near = 0
        for t in range(n):
            if t != a:
                dx = m[t, 0] - xm
                dy = m[t, 1] - ym
                if dx * dx + dy * dy <= (R + 3.0 * SIGMA_S) ** 2:
                    n_near += 1
        if n_near < MIN_M:
            continue
        acc[:] = 0.0
        n_valid = 0
        for i in range(NS):
            for j in range(NS):
                ci = (i + 0.5 - NS / 2) * _DELTA_S
                cj = (j + 0.5 - NS / 2) * _DELTA_S
                if ci * ci + cj * cj > R * R:
                    continue
                px = xm + c * ci - s * cj
                py = ym + s * ci + c * cj
                if _hull_dist(px, py, hx, hy) > OMEGA:
                    continue
                n_valid += 1
                base = (i * NS + j) * ND
                for k in range(ND):
                    b = base + k
                    valid[k_out, b >> 6] |= np.uint64(1) << np.uint64(b & 63)
                for t in range(n):
                    if t == a:
                        continue
                    dx = m[t, 0] - px
                    dy = m[t, 1] - py
                    d2 = dx * dx + dy * dy
                    if d2 > reach2:
                        continue
                    cs = gs_norm * math.exp(-d2 / (2 * SIGMA_S * SIGMA_S))
                    dtheta = _dphi(tm, m[t, 2])
                    for k in range(ND):
                        phik = -math.pi + (k + 0.5) * _DELTA_D
                        alpha = _dphi(phik, dtheta)
                        lo = (alpha - _DELTA_D / 2) / (SIGMA_D * math.sqrt(2.0))
                        hi = (alpha + _DELTA_D / 2) / (SIGMA_D * math.sqrt(2.0))
                        cd[k] = 0.5 * (math.erf(hi) - math.erf(lo))
                        acc[base + k] += cs * cd[k]
        if n_valid < MIN_VC * inside_r:
            valid[k_out, :] = 0
            continue
        for b in range(BITS):
            if acc[b] > MU_PSI:
                bits[k_out, b >> 6] |= np.uint64(1) << np.uint64(b & 63)
        idx[k_out] = a
        k_out += 1
    return bits[:k_out].copy(), valid[:k_out].copy(), idx[:k_out].copy()


@njit(nogil=True, cache=True, inline="always")
def _cyl_sim(ba, va, bb, vb, min_common: int) -> float:
    """Bit-based cylinder similarity over the cells valid in both; 0 when too few are."""
    na = 0
    nb = 0
    nx = 0
    nc = 0
    for w in range(WORDS):
        common = va[w] & vb[w]
        a = ba[w] & common
        b = bb[w] & common
        nc += _popcount(common)
        na += _popcount(a)
        nb += _popcount(b)
        nx += _popcount(a ^ b)
    if nc < min_common or na + nb == 0:
        return 0.0
    return 1.0 - math.sqrt(nx) / (math.sqrt(na) + math.sqrt(nb))


@njit(nogil=True, cache=True, inline="always")
def _z(v: float, mu: float, tau: float) -> float:
    return 1.0 / (1.0 + math.exp(-tau * (v - mu)))


@njit(nogil=True, cache=True)
def _similarities(ba, va, ma, bb, vb, mb, sim: np.ndarray, pair: np.ndarray) -> int:
    """Non-zero cylinder similarities of all pairs; returns their count (values in sim, i*nB+j in pair)."""
    na = ba.shape[0]
    nb = bb.shape[0]
    n = 0
    for i in range(na):
        ai = ma[i, 2]
        for j in range(nb):
            if abs(_dphi(ai, mb[j, 2])) > DELTA_THETA:
                continue
            s = _cyl_sim(ba[i], va[i], bb[j], vb[j], _MIN_COMMON)
            if s > 0.0:
                sim[n] = s
                pair[n] = i * nb + j
                n += 1
    return n


@njit(nogil=True, cache=True)
def _top_pairs(sim, pair, n, n_a, nb, k, out_a, out_b, out_s) -> int:
    """Greedy best pairs in decreasing similarity, each minutia used once, at most k.

    A counting sort on 1/1024 steps of similarity replaces a full sort: O(n), and the order
    within a step does not matter at that resolution.
    """
    nbins = 1025
    count = np.zeros(nbins + 1, dtype=np.int64)
    for q in range(n):
        count[nbins - 1 - int(sim[q] * 1024.0)] += 1
    start = np.zeros(nbins + 1, dtype=np.int64)
    for h in range(nbins):
        start[h + 1] = start[h] + count[h]
    order = np.empty(n, dtype=np.int64)
    for q in range(n):
        h = nbins - 1 - int(sim[q] * 1024.0)
        order[start[h]] = q
        start[h] += 1
    used_a = np.zeros(n_a, dtype=np.uint8)
    used_b = np.zeros(nb, dtype=np.uint8)
    r = 0
    for q in range(n):
        o = order[q]
        p = pair[o]
        i = p // nb
        j = p % nb
        if used_a[i] or used_b[j]:
            continue
        used_a[i] = 1
        used_b[j] = 1
        out_a[r] = i
        out_b[r] = j
        out_s[r] = sim[o]
        r += 1
        if r >= k:
            break
    return r


# Beyond these differences the relaxation compatibility is below 1e-3: treat it as zero.
_D1_CUT = _MU1 + math.log(999.0) / -_TAU1
_D2_CUT = _MU2 + math.log(999.0) / -_TAU2
_D3_CUT = _MU3 + math.log(999.0) / -_TAU3


@njit(nogil=True, cache=True)
def score_pair(ba, va, ma, bb, vb, mb, sim: np.ndarray, pair: np.ndarray) -> float:
    """LSS-R global score in [0, 1] of two prints given their cylinders and cylinder minutiae.

    ba/va (nA, WORDS), ma (nA, 3: x, y, angle); the same for b. sim (float64) and pair (int64) are
    scratch of at least nA·nB entries.
    """
    na = ba.shape[0]
    nb = bb.shape[0]
    if na == 0 or nb == 0:
        return 0.0
    n = _similarities(ba, va, ma, bb, vb, mb, sim, pair)
    if n == 0:
        return 0.0
    nmin = min(na, nb)
    n_p = _MIN_NP + int(round(_z(nmin, _MU_P, _TAU_P) * (_MAX_NP - _MIN_NP)))
    k = min(nmin, _MAX_NR)
    sel_a = np.empty(k, dtype=np.int64)
    sel_b = np.empty(k, dtype=np.int64)
    lam0 = np.empty(k)
    nr = _top_pairs(sim, pair, n, na, nb, k, sel_a, sel_b, lam0)
    if nr < n_p:
        n_p = nr
    # Relaxation: a pair keeps its similarity in proportion to how well it agrees with the others.
    rho = np.zeros((nr, nr))
    for t in range(nr):
        at = sel_a[t]
        bt = sel_b[t]
        for q in range(t + 1, nr):
            aq = sel_a[q]
            bq = sel_b[q]
            dxa = ma[aq, 0] - ma[at, 0]
            dya = ma[aq, 1] - ma[at, 1]
            dxb = mb[bq, 0] - mb[bt, 0]
            dyb = mb[bq, 1] - mb[bt, 1]
            d1 = abs(math.sqrt(dxa * dxa + dya * dya) - math.sqrt(dxb * dxb + dyb * dyb))
            if d1 > _D1_CUT:
                continue
            d2 = abs(_dphi(_dphi(ma[at, 2], ma[aq, 2]), _dphi(mb[bt, 2], mb[bq, 2])))
            if d2 > _D2_CUT:
                continue
            ra = _dphi(ma[at, 2], math.atan2(dya, dxa))
            rb = _dphi(mb[bt, 2], math.atan2(dyb, dxb))
            d3 = abs(_dphi(ra, rb))
            if d3 > _D3_CUT:
                continue
            r = _z(d1, _MU1, _TAU1) * _z(d2, _MU2, _TAU2) * _z(d3, _MU3, _TAU3)
            rho[t, q] = r
            rho[q, t] = r
    cur = lam0[:nr].copy()
    nxt = np.empty(nr)
    for _ in range(_N_REL):
        for t in range(nr):
            acc = 0.0
            for q in range(nr):
                acc += rho[t, q] * cur[q]
            nxt[t] = _W_R * cur[t] + (1.0 - _W_R) * acc / max(nr - 1, 1)
        cur[:] = nxt
    eff = np.empty(nr)
    for t in range(nr):
        eff[t] = cur[t] / lam0[t]
    best = np.argsort(-eff)
    total = 0.0
    for q in range(n_p):
        total += cur[best[q]]
    return total / n_p


@njit(nogil=True, cache=True, parallel=True)
def score_many(pb, pv, pm, gb, gv, gm, offsets, select):
    """Scores of one probe against the gallery templates listed in `select` (indices into offsets).

    Gallery cylinders of template t are rows offsets[t]:offsets[t+1] of gb/gv/gm.
    """
    out = np.zeros(select.shape[0])
    na = pb.shape[0]
    for q in prange(select.shape[0]):
        t = select[q]
        lo = offsets[t]
        hi = offsets[t + 1]
        nb = hi - lo
        sim = np.empty(max(na * nb, 1))
        pair = np.empty(max(na * nb, 1), dtype=np.int64)
        out[q] = score_pair(pb, pv, pm, gb[lo:hi], gv[lo:hi], gm[lo:hi], sim, pair)
    return out


@njit(nogil=True, cache=True, parallel=True)
def prefilter_many(pb, pv, pm, gb, gv, gm, rows, row_offsets, select, n_best):
    """Cheap first-stage scores of one probe against every gallery template.

    Only the templates listed in `select` are scored. Template t is represented by a few of its
    cylinders, rows[row_offsets[t]:row_offsets[t+1]]
    (the gallery keeps its richest ones). For each probe cylinder (the caller passes a few
    informative ones) take its best similarity among those; the score is the mean of the n_best
    largest. No pairing constraint and no relaxation: many times cheaper than score_pair, and a
    mate's strong local matches still put it near the top.
    """
    out = np.zeros(select.shape[0])
    na = pb.shape[0]
    for q_t in prange(select.shape[0]):
        t = select[q_t]
        best = np.zeros(na)
        for i in range(na):
            ai = pm[i, 2]
            b = 0.0
            for q in range(row_offsets[t], row_offsets[t + 1]):
                j = rows[q]
                if abs(_dphi(ai, gm[j, 2])) > DELTA_THETA:
                    continue
                s = _cyl_sim(pb[i], pv[i], gb[j], gv[j], _MIN_COMMON)
                if s > b:
                    b = s
            best[i] = b
        best.sort()
        k = min(n_best, na)
        acc = 0.0
        for q in range(na - k, na):
            acc += best[q]
        out[q_t] = acc / max(k, 1)
    return out
