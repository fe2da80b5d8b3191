"""Minutia Cylinder-Code (Cappelli, Ferrara, Maltoni, IEEE TPAMI 2010), bit-based, with LSS-R.

A cylinder is the local structure around one minutia: NS×NS cells in the minutia's own frame,
ND angular sections each. In the bit-based form each of the NS·NS·ND cells is one bit; the bits
of a cylinder are packed in `WORDS` uint64 words, and a second bit array marks the valid cells
(inside the radius and inside the print's convex hull). Similarity between two cylinders is
1 − ‖a⊕b‖ / (‖a‖ + ‖b‖) over the cells valid in both, with ‖·‖ the square root of a popcount.
Scores are consolidated by Local Similarity Sort with Relaxation (LSS-R).

The comparison kernels are written for AVX-512 (512-bit popcounts, compress); on a CPU without
it LLVM lowers the same code to narrower or scalar instructions: the same candidates, scores
equal to their last bits or so (sums in another order), slower; tests/matcher/test_fresh_process.py
compiles them for Haswell to keep it so. Cylinder bit arrays must be C-contiguous (rows are read
as whole vectors).
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from matcher import _texture
from matcher._jit import njit, prange

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
    """LLVM ctpop: one POPCNT instruction where the CPU has it (scalar; kept for other kernels)."""
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return x(x), codegen


# Popcounts over whole cylinder rows, written as explicit 512-bit vector code: LLVM fully unrolls
# the short word loops and then leaves them scalar, and four separate sums would need four
# horizontal reductions. Counts of several masks are packed in 16-bit fields of one sum (a
# cylinder has fewer than 65 536 bits), so one reduction gives them all.
_LANES = 8
_I64 = ir.IntType(64)
_VEC = ir.VectorType(_I64, _LANES)
assert BITS < 1 << 16


def _is_row(t) -> bool:
    return isinstance(t, types.Array) and t.ndim == 1 and t.dtype == types.uint64 and t.layout == "C"


def _is_rows(t) -> bool:
    """Cylinder bit arrays (n, WORDS), C-contiguous."""
    return isinstance(t, types.Array) and t.ndim == 2 and t.dtype == types.uint64 and t.layout == "C"


def _row_popcounts(combine):
    """Codegen summing, over the WORDS words of its row arguments, popcount(v) << shift for each
    (v, shift) that combine(builder, words) makes of the rows' words at one position."""

    def codegen(context, builder, signature, args):
        mod = builder.module
        ptrs = [
            context.make_array(t)(context, builder, a).data for t, a in zip(signature.args, args, strict=True)
        ]
        pop_v = cgutils.get_or_insert_function(mod, ir.FunctionType(_VEC, [_VEC]), "llvm.ctpop.v8i64")
        pop_s = cgutils.get_or_insert_function(mod, ir.FunctionType(_I64, [_I64]), "llvm.ctpop.i64")
        reduce = cgutils.get_or_insert_function(
            mod, ir.FunctionType(_I64, [_VEC]), "llvm.vector.reduce.add.v8i64"
        )
        acc = ir.Constant(_VEC, None)
        for w in range(0, WORDS - WORDS % _LANES, _LANES):
            xs = [
                builder.load(
                    builder.bitcast(builder.gep(p, [ir.Constant(_I64, w)]), _VEC.as_pointer()), align=8
                )
                for p in ptrs
            ]
            for v, shift in combine(builder, xs):
                c = builder.call(pop_v, [v])
                if shift:
                    c = builder.shl(c, ir.Constant(_VEC, [shift] * _LANES))
                acc = builder.add(acc, c)
        total = builder.call(reduce, [acc])
        for w in range(WORDS - WORDS % _LANES, WORDS):
            xs = [builder.load(builder.gep(p, [ir.Constant(_I64, w)]), align=8) for p in ptrs]
            for v, shift in combine(builder, xs):
                c = builder.call(pop_s, [v])
                if shift:
                    c = builder.shl(c, ir.Constant(_I64, shift))
                total = builder.add(total, c)
        return total

    return codegen


@intrinsic
def _pc_xor(typingctx, a, b):
    """popcount(a ^ b) over two cylinder rows."""
    if not (_is_row(a) and _is_row(b)):
        return None
    return types.int64(a, b), _row_popcounts(lambda bld, x: [(bld.xor(x[0], x[1]), 0)])


@intrinsic
def _pc_and_xor(typingctx, a, b, m):
    """popcount(a & m) | popcount((a ^ b) & m) << 32 over three cylinder rows."""
    if not (_is_row(a) and _is_row(b) and _is_row(m)):
        return None

    def combine(bld, x):
        return [(bld.and_(x[0], x[2]), 0), (bld.and_(bld.xor(x[0], x[1]), x[2]), 32)]

    return types.int64(a, b, m), _row_popcounts(combine)


@intrinsic
def _pc_common(typingctx, ba, va, bb, vb):
    """The four counts of _cyl_sim in 16-bit fields: common valid cells, a's and b's bits among
    them, and their differences there (bits 0, 16, 32, 48)."""
    if not all(_is_row(t) for t in (ba, va, bb, vb)):
        return None

    def combine(bld, x):
        common = bld.and_(x[1], x[3])
        a = bld.and_(x[0], common)
        b = bld.and_(x[2], common)
        return [(common, 0), (a, 16), (b, 32), (bld.xor(a, b), 48)]

    return types.int64(ba, va, bb, vb), _row_popcounts(combine)


# Branch-free compaction with AVX-512 compress: eight candidates at a time are packed into a
# register (vpcompressq) and stored whole, so the output needs _LANES slots of slack at its end.
_I8 = ir.IntType(8)
_F64 = ir.DoubleType()
_MASK8 = ir.VectorType(ir.IntType(1), _LANES)


def _vload(builder, ptr, offset, vty):
    return builder.load(builder.bitcast(builder.gep(ptr, [offset]), vty.as_pointer()), align=1)


def _store_compressed(builder, v, mask, ptr) -> None:
    # Always compressed as 64-bit integers (doubles bitcast: the same bytes moved): LLVM's
    # generic expansion for CPUs without AVX-512 fails an assertion on floating-point vectors
    # ("Cannot create FP integer constant"), which aborted the process on such machines.
    ity = ir.VectorType(_I64, _LANES)
    name = f"llvm.experimental.vector.compress.v{_LANES}i64"
    fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ity, [ity, _MASK8, ity]), name)
    packed = builder.call(fn, [builder.bitcast(v, ity), mask, ir.Constant(ity, None)])
    builder.store(packed, builder.bitcast(ptr, ity.as_pointer()), align=1)


def _mask_count(builder, mask):
    pop = cgutils.get_or_insert_function(builder.module, ir.FunctionType(_I8, [_I8]), "llvm.ctpop.i8")
    return builder.zext(builder.call(pop, [builder.bitcast(mask, _I8)]), _I64)


def _data(context, builder, ty, value):
    return context.make_array(ty)(context, builder, value).data


@intrinsic
def _compress8(typingctx, out, n, vals, flags, e0):
    """Append vals[e0:e0+8] where flags (uint8) are set to out[n:]; returns the new n."""
    if not (
        isinstance(out, types.Array)
        and out.dtype == types.int64
        and isinstance(vals, types.Array)
        and vals.dtype == types.int64
        and isinstance(flags, types.Array)
        and flags.dtype == types.uint8
        and all(t.layout == "C" for t in (out, vals, flags))
    ):
        return None

    def codegen(context, builder, signature, args):
        a_out, a_n, a_vals, a_flags, a_e0 = args
        v = _vload(builder, _data(context, builder, signature.args[2], a_vals), a_e0, _VEC)
        f = _vload(
            builder, _data(context, builder, signature.args[3], a_flags), a_e0, ir.VectorType(_I8, _LANES)
        )
        mask = builder.icmp_unsigned("!=", f, ir.Constant(f.type, None))
        _store_compressed(
            builder, v, mask, builder.gep(_data(context, builder, signature.args[0], a_out), [a_n])
        )
        return builder.add(a_n, _mask_count(builder, mask))

    return types.int64(out, types.int64, vals, flags, types.int64), codegen


@intrinsic
def _compact8(typingctx, sim, code, n, row, code0, j0):
    """Append row[j0:j0+8] where > 0 to sim[n:], and code0 + j of each to code[n:]; returns the new n."""
    if not (
        isinstance(sim, types.Array)
        and sim.dtype == types.float64
        and isinstance(row, types.Array)
        and row.dtype == types.float64
        and isinstance(code, types.Array)
        and code.dtype == types.int64
        and all(t.layout == "C" for t in (sim, code, row))
    ):
        return None

    def codegen(context, builder, signature, args):
        a_sim, a_code, a_n, a_row, a_code0, a_j0 = args
        vty = ir.VectorType(_F64, _LANES)
        r = _vload(builder, _data(context, builder, signature.args[3], a_row), a_j0, vty)
        mask = builder.fcmp_ordered(">", r, ir.Constant(vty, None))
        _store_compressed(
            builder, r, mask, builder.gep(_data(context, builder, signature.args[0], a_sim), [a_n])
        )
        first = builder.add(a_code0, a_j0)
        codes = builder.add(
            builder.shuffle_vector(
                builder.insert_element(ir.Constant(_VEC, None), first, ir.Constant(ir.IntType(32), 0)),
                ir.Constant(_VEC, None),
                ir.Constant(ir.VectorType(ir.IntType(32), _LANES), [0] * _LANES),
            ),
            ir.Constant(_VEC, list(range(_LANES))),
        )
        _store_compressed(
            builder, codes, mask, builder.gep(_data(context, builder, signature.args[1], a_code), [a_n])
        )
        return builder.add(a_n, _mask_count(builder, mask))

    return types.int64(sim, code, types.int64, row, types.int64, types.int64), codegen


@njit(nogil=True, cache=True, inline="always")
def _select(out, vals, flags, lo: int, hi: int) -> int:
    """vals[e] for e in [lo, hi) where flags[e], packed into out (which needs _LANES of slack)."""
    n = 0
    e = lo
    while e + _LANES <= hi:
        n = _compress8(out, n, vals, flags, e)
        e += _LANES
    while e < hi:
        out[n] = vals[e]
        n += flags[e]
        e += 1
    return n


@njit(nogil=True, cache=True, inline="always")
def _dphi(a: float, b: float) -> float:
    """Signed angle difference a − b wrapped to [−π, π)."""
    d = a - b
    if d < -math.pi:
        d += 2 * math.pi
    elif d >= math.pi:
        d -= 2 * math.pi
    return d


@njit(nogil=True, cache=True, inline="always")
def _dphi_sel(a: float, b: float) -> float:
    """_dphi written as selects (no branch to mispredict, and loops over it vectorise); the same
    value for every input: after the first correction d is below π (the sum is exact, Sterbenz)."""
    d = a - b
    d = d + 2 * math.pi if d < -math.pi else d
    return d - 2 * math.pi if d >= math.pi else d


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


@njit(nogil=True, cache=True, inline="always")
def _cyl_sim(ba, va, bb, vb, min_common: int) -> float:
    """Bit-based cylinder similarity over the cells valid in both; 0 when too few are."""
    c = _pc_common(ba, va, bb, vb)
    nc = c & 0xFFFF
    na = (c >> 16) & 0xFFFF
    nb = (c >> 32) & 0xFFFF
    if nc < min_common or na + nb == 0:
        return 0.0
    return 1.0 - math.sqrt(c >> 48) / (math.sqrt(na) + math.sqrt(nb))


@njit(nogil=True, cache=True, inline="always")
def _z(v: float, mu: float, tau: float) -> float:
    return 1.0 / (1.0 + math.exp(-tau * (v - mu)))


# Beyond these differences the relaxation compatibility is below 1e-3: treat it as zero.
_D1_CUT = _MU1 + math.log(999.0) / -_TAU1
_D2_CUT = _MU2 + math.log(999.0) / -_TAU2
_D3_CUT = _MU3 + math.log(999.0) / -_TAU3


# --- Full comparison: score_pair, score_many ---------------------------------------------------
# The scores are bit for bit those of the plain formulation (tests/matcher/test_mcc_speedpath.py
# keeps a copy of it to compare with); the speed comes from skipped and shared work only: popcount
# shortcuts where the valid masks are known, no allocation per comparison, a sparse relaxation.
# The helpers of one comparison are inline="always": as separate functions, every array they take
# out of the scratch tuple cost an atomic NRT incref and decref (≈ 1.5 µs per comparison, most of
# a small one); inlined into score_many's loop, numba's reference-count pruning removes them.


def _inside_mask() -> np.ndarray:
    """The bits of every cell whose centre lies inside the radius (the cylinder builder's own test)."""
    mask = np.zeros(WORDS, np.uint64)
    for i in range(NS):
        for j in range(NS):
            ci = (i + 0.5 - NS / 2) * _DELTA_S
            cj = (j + 0.5 - NS / 2) * _DELTA_S
            if ci * ci + cj * cj <= R * R:
                for k in range(ND):
                    b = (i * NS + j) * ND + k
                    mask[b >> 6] |= np.uint64(1) << np.uint64(b & 63)
    return mask


_MASK = _inside_mask()
_MASK_ONES = int(sum(bin(int(w)).count("1") for w in _MASK))
# Kinds of cylinder, for the popcount shortcuts. FULL: valid == _MASK and bits ⊆ valid; CLEAN:
# bits ⊆ valid ⊆ _MASK (`_index.cylinders` makes only these two); GENERAL: anything else.
_GENERAL, _CLEAN, _FULL = 0, 1, 2
_NBINS = 1025  # similarity steps of 1/1024 for the counting sort of the pairs
_CHUNKS, _CHUNK_MIN = 64, 32  # score_many: work split, at most 64 parts of at least 32 templates


@intrinsic
def _pc(typingctx, x):
    """Popcount of a uint64 as an int64 (mixing uint64 and int64 would make numba use floats)."""
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return types.int64(x), codegen


@njit(nogil=True, cache=True, inline="always")
def _cyl_stats(bits, valid, ones, nvalid, kind) -> None:
    """Set bits, valid cells and kind (_FULL, _CLEAN, _GENERAL) of every cylinder."""
    for c in range(bits.shape[0]):
        nb = 0
        nv = 0
        stray = np.uint64(0)
        diff = np.uint64(0)
        for w in range(WORDS):
            b = bits[c, w]
            v = valid[c, w]
            mk = _MASK[w]
            nb += _pc(b)
            nv += _pc(v)
            stray |= (b & ~v) | (v & ~mk)
            diff |= v ^ mk
        ones[c] = nb
        nvalid[c] = nv
        kind[c] = _GENERAL if stray != 0 else (_FULL if diff == 0 else _CLEAN)


@njit(nogil=True, cache=True, inline="always")
def _sim_of_counts(nc: int, na: int, nb: int, nx: int) -> float:
    """_cyl_sim from its four counts (same expression, same rounding)."""
    if nc < _MIN_COMMON or na + nb == 0:
        return 0.0
    return 1.0 - math.sqrt(nx) / (math.sqrt(na) + math.sqrt(nb))


@njit(nogil=True, cache=True)
def _scratch(na: int, nb: int):
    """Work arrays for comparisons of an na-cylinder probe with templates of up to nb cylinders."""
    k = _MAX_NR
    nn = max(na * nb, 1)
    nl = (na + _LANES - 1) // _LANES * _LANES
    pt = np.empty(k * (k - 1) // 2, np.int64)
    pq = np.empty(k * (k - 1) // 2, np.int64)
    p = 0
    for q in range(1, k):
        for t in range(q):
            pt[p] = t
            pq[p] = q
            p += 1
    return (
        np.empty(max(nb, nl)),  # 0 row: similarities of one probe cylinder (or of a gallery one, by lane)
        np.empty(nb + _LANES, np.int64),  # 1-3 gallery cylinders within DELTA_THETA, by kind
        np.empty(nb + _LANES, np.int64),
        np.empty(nb + _LANES, np.int64),
        np.empty(nn + _LANES),  # 4 sim: non-zero similarities
        np.empty(nn + _LANES, np.int64),  # 5 code: i << 16 | j of each
        np.empty(0),  # 6 (unused)
        np.empty(nn, np.int64),  # 7 places in sim and code, in decreasing similarity
        np.empty(_NBINS + 1, np.int64),  # 8 counting-sort bins
        np.empty(max(na, 1), np.uint8),  # 9 used probe cylinders
        np.empty(max(nb, 1), np.uint8),  # 10 used gallery cylinders
        np.empty(k, np.int64),  # 11 selected pairs: probe side
        np.empty(k, np.int64),  # 12 gallery side
        # 13 lam0, cur, nxt, eff, xa, ya, 14 ta, xb, yb, tb: separate arrays,
        # as rows of one 2-D array they would keep LLVM from vectorising the loops over them.
        (np.empty(k), np.empty(k), np.empty(k), np.empty(k), np.empty(k), np.empty(k)),
        (np.empty(k), np.empty(k), np.empty(k), np.empty(k)),  # 14
        np.empty(k * k, np.int64),  # 15 compatible pairs (t < q): t
        np.empty(k * k, np.int64),  # 16 q
        np.empty(k * k),  # 17 rho
        np.empty(k + 1, np.int64),  # 18 row starts of the sparse rho
        np.empty(k * k, np.int64),  # 19 its columns
        np.empty(k * k),  # 20 its values
        np.empty(nb, np.int64),  # 21-23 gallery cylinder stats
        np.empty(nb, np.int64),
        np.empty(nb, np.int64),
        np.empty(k, np.int64),  # 24 fill cursors of the sparse rho rows
        np.empty(nb, np.int64),  # 25 packed popcounts of one probe cylinder's pairs
        np.empty(k * k + _LANES, np.int64),  # 26 relaxation: candidate pairs (indices into 33, 34)
        np.full((na, na), np.nan),  # 27 probe minutia directions (atan2), filled on demand
        np.empty(nb, np.int64),  # 28 gallery cylinders grouped by kind
        np.empty(nb),  # 29 their angles
        np.empty(max(nb, nl), np.uint8),  # 30 within DELTA_THETA of one probe cylinder (or gallery one)
        np.empty(3, np.int64),  # 31 where each kind's group ends in 28
        np.empty((na, na)),  # 32 probe minutia distances (_probe_distances)
        pt,  # 33, 34 the pairs t < q of selected pairs, ordered by q then t
        pq,
        np.empty(nn, np.int64),  # 35 counting-sort bin of each similarity
        np.empty(0, np.int64),  # 36 (unused)
        np.empty((na + 1) * max(nb, 1)),  # 37 lane similarities by (probe row, j); row na: padding lanes
        np.empty(max(nb, 1) * nl),  # 38 the same by (j, probe lane), as _lane_counts stores them
        np.empty(k * (k - 1) // 2 + _LANES, np.uint8),  # 39 relaxation: candidate flags of pairs t < q
        np.arange(k * (k - 1) // 2, dtype=np.int64),  # 40 0, 1, 2, …: the pairs' numbers
        np.empty(k),  # 41, 42 the n_p most improved pairs so far: improvement, relaxed value
        np.empty(k),
    )


@njit(nogil=True, cache=True)
def _probe_distances(ma, scr) -> None:
    """Distances between the probe's cylinder minutiae, computed as the relaxation would."""
    pdist = scr[32]
    for at in range(ma.shape[0]):
        for aq in range(ma.shape[0]):
            dxa = ma[aq, 0] - ma[at, 0]
            dya = ma[aq, 1] - ma[at, 1]
            pdist[at, aq] = math.sqrt(dxa * dxa + dya * dya)


# error_model="numpy": a row computes x / 0 where a pair has no bits and then discards it.
@njit(nogil=True, cache=True, error_model="numpy")
def _similarities(ba, va, ma, a_ones, a_nv, a_kind, bb, vb, mb, b_ones, b_nv, b_kind, scr) -> int:
    """Non-zero cylinder similarities of all pairs in (i, j) order; returns their count.

    Values go to scr[4], codes i << 16 | j to scr[5]. Same values as _cyl_sim: a FULL cylinder's
    valid cells are _MASK, so against it the common cells are the other's valid cells and some
    counts are the cylinders' own. The four counts of a pair are packed like _pc_common's, and
    turned into similarities a whole row at a time (vectorised square roots and divisions).
    """
    row, lf, lc, lg, sim, code, cnt = scr[0], scr[1], scr[2], scr[3], scr[4], scr[5], scr[25]
    perm, gang, ok, ends = scr[28], scr[29], scr[30], scr[31]
    na = ba.shape[0]
    nb = bb.shape[0]
    # Gallery cylinders grouped by kind (FULL, CLEAN, GENERAL), with their angles.
    e = 0
    for kind in (_FULL, _CLEAN, _GENERAL):
        for j in range(nb):
            if b_kind[j] == kind:
                perm[e] = j
                e += 1
        ends[kind] = e
    e_full = ends[_FULL]
    e_clean = ends[_CLEAN]
    for e in range(nb):
        gang[e] = mb[perm[e], 2]
    n = 0
    for i in range(na):
        ai = ma[i, 2]
        for e in range(nb):  # these two loops vectorise
            ok[e] = not abs(_dphi(ai, gang[e])) > DELTA_THETA
        for j in range(nb):
            cnt[j] = 0  # no common cells: similarity 0
        # Lists of the cylinders within DELTA_THETA, one per kind.
        n_f = _select(lf, perm, ok, 0, e_full)
        n_c = _select(lc, perm, ok, e_full, e_clean)
        n_g = _select(lg, perm, ok, e_clean, nb)
        ki = a_kind[i]
        if ki == _FULL:
            base = _MASK_ONES | a_ones[i] << 16
            for t in range(n_f):
                j = lf[t]
                cnt[j] = base | b_ones[j] << 32 | _pc_xor(ba[i], bb[j]) << 48
            for t in range(n_c):
                j = lc[t]
                c = _pc_and_xor(ba[i], bb[j], vb[j])
                cnt[j] = b_nv[j] | (c & 0xFFFF) << 16 | b_ones[j] << 32 | (c >> 32) << 48
        elif ki == _CLEAN:
            base = a_nv[i] | a_ones[i] << 16
            for t in range(n_f):
                j = lf[t]
                c = _pc_and_xor(bb[j], ba[i], va[i])
                cnt[j] = base | (c & 0xFFFF) << 32 | (c >> 32) << 48
            for t in range(n_c):
                j = lc[t]
                cnt[j] = _pc_common(ba[i], va[i], bb[j], vb[j])
        else:
            for t in range(n_f):
                j = lf[t]
                cnt[j] = _pc_common(ba[i], va[i], bb[j], vb[j])
            for t in range(n_c):
                j = lc[t]
                cnt[j] = _pc_common(ba[i], va[i], bb[j], vb[j])
        for t in range(n_g):
            j = lg[t]
            cnt[j] = _pc_common(ba[i], va[i], bb[j], vb[j])
        for j in range(nb):  # _cyl_sim's formula; no branches, so it vectorises
            c = cnt[j]
            nc = c & 0xFFFF
            n_a = (c >> 16) & 0xFFFF
            n_b = (c >> 32) & 0xFFFF
            s = 1.0 - math.sqrt(c >> 48) / (math.sqrt(n_a) + math.sqrt(n_b))
            row[j] = s if nc >= _MIN_COMMON and n_a + n_b != 0 else 0.0
        j = 0  # compaction, in j order
        while j + _LANES <= nb:
            n = _compact8(sim, code, n, row, i << 16, j)
            j += _LANES
        while j < nb:
            s = row[j]
            sim[n] = s
            code[n] = (i << 16) | j
            n += s > 0.0
            j += 1
    return n


# --- Similarities with the probe in lanes --------------------------------------------------------
# One 512-bit vector holds the same word of 8 probe cylinders; a gallery word is broadcast against
# it, so 8 pairs are counted at once with no horizontal reduction. The probe is laid out once per
# search (_probe_lanes). Lanes are sorted by kind, then by angle, so that the 8 cylinders of a
# group are often all outside DELTA_THETA of a gallery cylinder and the group is skipped.
# Valid only for CLEAN and FULL cylinders (bits ⊆ valid ⊆ _MASK); GENERAL ones take _similarities.
_FF, _FC, _CF, _CC = 0, 1, 2, 3  # probe group all FULL or not × gallery cylinder FULL or CLEAN


def _broadcast(builder, x):
    v = builder.insert_element(ir.Constant(_VEC, None), x, ir.Constant(ir.IntType(32), 0))
    return builder.shuffle_vector(
        v, ir.Constant(_VEC, None), ir.Constant(ir.VectorType(ir.IntType(32), _LANES), [0] * _LANES)
    )


def _lane_counts(mode: int):
    """Intrinsic storing, for one group of 8 probe lanes against one gallery cylinder, their
    similarities to out[o:o+8] (float64): the four counts of _pc_common (common cells, probe's
    bits, gallery's bits, their differences), base[bo:bo+8] | bsc holding those known without
    popcount in 16-bit fields, then _cyl_sim's formula, 0 where ok[bo + lane] is 0."""

    def typer(typingctx, out, o, pbt, pvt, po, bb, vb, j, base, bo, bsc, ok):
        if not (_is_row(pbt) and _is_row(pvt) and _is_rows(bb) and _is_rows(vb)):
            return None
        if not (
            all(isinstance(t, types.Array) and t.layout == "C" for t in (out, base, ok))
            and (out.dtype, base.dtype, ok.dtype) == (types.float64, types.int64, types.uint8)
        ):
            return None

        def codegen(context, builder, signature, args):
            a_out, a_o, a_pbt, a_pvt, a_po, a_bb, a_vb, a_j, a_base, a_bo, a_bsc, a_ok = args
            sig = signature.args
            p_b = _data(context, builder, sig[2], a_pbt)
            p_v = _data(context, builder, sig[3], a_pvt)
            row0 = builder.mul(a_j, ir.Constant(_I64, WORDS))  # no view of the row: it would cost refcounts
            g_b = builder.gep(_data(context, builder, sig[5], a_bb), [row0])
            g_v = builder.gep(_data(context, builder, sig[6], a_vb), [row0])
            pop = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(_VEC, [_VEC]), "llvm.ctpop.v8i64"
            )
            acc = [ir.Constant(_VEC, None)] * 4
            for w in range(WORDS):
                off = builder.add(a_po, ir.Constant(_I64, w * _LANES))
                a = _vload(builder, p_b, off, _VEC)
                b = _broadcast(builder, builder.load(builder.gep(g_b, [ir.Constant(_I64, w)])))
                if mode == _FF:
                    counts = {3: builder.xor(a, b)}
                elif mode == _FC:
                    vb = _broadcast(builder, builder.load(builder.gep(g_v, [ir.Constant(_I64, w)])))
                    counts = {1: builder.and_(a, vb), 3: builder.and_(builder.xor(a, b), vb)}
                elif mode == _CF:
                    va = _vload(builder, p_v, off, _VEC)
                    counts = {2: builder.and_(b, va), 3: builder.and_(builder.xor(a, b), va)}
                else:
                    va = _vload(builder, p_v, off, _VEC)
                    vb = _broadcast(builder, builder.load(builder.gep(g_v, [ir.Constant(_I64, w)])))
                    a_c = builder.and_(a, vb)
                    b_c = builder.and_(b, va)
                    counts = {0: builder.and_(va, vb), 1: a_c, 2: b_c, 3: builder.xor(a_c, b_c)}
                for f, v in counts.items():
                    acc[f] = builder.add(acc[f], builder.call(pop, [v]))
            r = builder.or_(
                _vload(builder, _data(context, builder, sig[8], a_base), a_bo, _VEC),
                _broadcast(builder, a_bsc),
            )
            for f in range(4):
                r = builder.or_(r, builder.shl(acc[f], ir.Constant(_VEC, [16 * f] * _LANES)))
            # 1 − √nx / (√na + √nb), as _cyl_sim computes it (same operations, same rounding).
            vty = ir.VectorType(_F64, _LANES)
            sqrt = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(vty, [vty]), "llvm.sqrt.v8f64"
            )
            field = [
                builder.and_(
                    builder.ashr(r, ir.Constant(_VEC, [16 * f] * _LANES)),
                    ir.Constant(_VEC, [0xFFFF] * _LANES),
                )
                for f in range(3)
            ] + [builder.ashr(r, ir.Constant(_VEC, [48] * _LANES))]
            root = [builder.call(sqrt, [builder.sitofp(field[f], vty)]) for f in (1, 2, 3)]
            s = builder.fsub(
                ir.Constant(vty, [1.0] * _LANES), builder.fdiv(root[2], builder.fadd(root[0], root[1]))
            )
            near = _vload(builder, _data(context, builder, sig[11], a_ok), a_bo, ir.VectorType(_I8, _LANES))
            keep = builder.and_(
                builder.icmp_unsigned("!=", near, ir.Constant(near.type, None)),
                builder.and_(
                    builder.icmp_signed(">=", field[0], ir.Constant(_VEC, [_MIN_COMMON] * _LANES)),
                    builder.icmp_signed("!=", builder.add(field[1], field[2]), ir.Constant(_VEC, None)),
                ),
            )
            s = builder.select(keep, s, ir.Constant(vty, None))
            ptr = builder.gep(_data(context, builder, sig[0], a_out), [a_o])
            builder.store(s, builder.bitcast(ptr, vty.as_pointer()), align=8)
            return context.get_dummy_value()

        args = (
            out,
            types.int64,
            pbt,
            pvt,
            types.int64,
            bb,
            vb,
            types.int64,
            base,
            types.int64,
            types.int64,
            ok,
        )
        return types.void(*args), codegen

    return intrinsic(typer)


@intrinsic
def _transpose8(typingctx, dst, rows, r0, nb, j0, src, s0, stride):
    """dst[rows[r0 + l]·nb + j0 + k] = src[s0 + k·stride + l] for l, k < 8: an 8×8 block of
    similarities from (gallery cylinder, probe lane) to (probe row, gallery cylinder) order."""
    if not (
        isinstance(dst, types.Array)
        and dst.dtype == types.float64
        and isinstance(src, types.Array)
        and src.dtype == types.float64
        and isinstance(rows, types.Array)
        and rows.dtype == types.int64
        and all(t.layout == "C" for t in (dst, src, rows))
    ):
        return None

    def codegen(context, builder, signature, args):
        a_dst, a_rows, a_r0, a_nb, a_j0, a_src, a_s0, a_stride = args
        sig = signature.args
        vty = ir.VectorType(_F64, _LANES)
        p_src = _data(context, builder, sig[5], a_src)
        m = [
            _vload(builder, p_src, builder.add(a_s0, builder.mul(a_stride, ir.Constant(_I64, k))), vty)
            for k in range(_LANES)
        ]
        b = 1
        while b < _LANES:  # swap the off-diagonal b×b blocks of every 2b×2b block
            lo = [e if (e // b) % 2 == 0 else e - b + _LANES for e in range(_LANES)]
            hi = [e + b if (e // b) % 2 == 0 else e + _LANES for e in range(_LANES)]
            for r in range(_LANES):
                if (r // b) % 2 == 0:
                    x, y = m[r], m[r + b]
                    m[r] = builder.shuffle_vector(
                        x, y, ir.Constant(ir.VectorType(ir.IntType(32), _LANES), lo)
                    )
                    m[r + b] = builder.shuffle_vector(
                        x, y, ir.Constant(ir.VectorType(ir.IntType(32), _LANES), hi)
                    )
            b *= 2
        p_dst = _data(context, builder, sig[0], a_dst)
        p_rows = _data(context, builder, sig[1], a_rows)
        for lane in range(_LANES):
            r = builder.load(builder.gep(p_rows, [builder.add(a_r0, ir.Constant(_I64, lane))]))
            ptr = builder.gep(p_dst, [builder.add(builder.mul(r, a_nb), a_j0)])
            builder.store(m[lane], builder.bitcast(ptr, vty.as_pointer()), align=8)
        return context.get_dummy_value()

    sig = types.void(dst, rows, types.int64, types.int64, types.int64, src, types.int64, types.int64)
    return sig, codegen


_counts_ff = _lane_counts(_FF)
_counts_fc = _lane_counts(_FC)
_counts_cf = _lane_counts(_CF)
_counts_cc = _lane_counts(_CC)


@njit(nogil=True, cache=True)
def _probe_lanes(ba, va, ma, a_ones, a_nv, a_kind):
    """The probe in lanes for _lane_similarities, or an empty layout if it has GENERAL cylinders.

    Returns (groups, bits, valid: words of lane l of group g at (g·WORDS + w)·8 + l, angle and
    row (probe index; na for a padding lane) of each lane, per-lane known counts for a FULL and
    for a CLEAN gallery cylinder, 1 where a group is all FULL)."""
    na = ba.shape[0]
    general = False
    for i in range(na):
        general |= a_kind[i] == _GENERAL
    ng = 0 if general else (na + _LANES - 1) // _LANES
    nl = ng * _LANES
    order = np.empty(na, np.int64)
    e = 0
    for kind in (_FULL, _CLEAN):
        idx = np.where(a_kind == kind)[0]
        srt = np.argsort(ma[idx, 2])
        for q in range(idx.shape[0]):
            order[e + q] = idx[srt[q]]
        e += idx.shape[0]
    pbt = np.zeros(nl * WORDS, np.uint64)
    pvt = np.zeros(nl * WORDS, np.uint64)
    ang = np.zeros(nl)
    row = np.full(nl, na, np.int64)
    k_full = np.zeros(nl, np.int64)  # known counts against a FULL gallery cylinder: nv, ones
    k_clean = np.zeros(nl, np.int64)  # against a CLEAN one: none
    g_full = np.zeros(ng, np.uint8)
    if ng == 0:
        return ng, pbt, pvt, ang, row, k_full, k_clean, g_full
    for g in range(ng):
        g_full[g] = 1
    for lane in range(nl):
        g = lane // _LANES
        if lane >= na:  # padding: no valid cell, never similar; its row is na (discarded)
            continue
        i = order[lane]
        for w in range(WORDS):
            pbt[(g * WORDS + w) * _LANES + lane % _LANES] = ba[i, w]
            pvt[(g * WORDS + w) * _LANES + lane % _LANES] = va[i, w]
        ang[lane] = ma[i, 2]
        row[lane] = i
        k_full[lane] = a_nv[i] | a_ones[i] << 16
        if a_kind[i] != _FULL:
            g_full[g] = 0
    return ng, pbt, pvt, ang, row, k_full, k_clean, g_full


# error_model="numpy": lanes outside DELTA_THETA hold stale counts, computed on and discarded (the
# division is in _lane_counts' own code, so inlined into _score, whose model is python's, it stays so).
@njit(nogil=True, cache=True, error_model="numpy", inline="always")
def _lane_similarities(na, lanes, bb, vb, mb, b_ones, b_nv, b_kind, scr) -> int:
    """_similarities for a probe laid out by _probe_lanes and a gallery template of CLEAN and
    FULL cylinders: the same values, codes and (i, j) order."""
    ng, pbt, pvt, ang, row, k_full, k_clean, g_full = lanes
    sim, code, s2 = scr[4], scr[5], scr[37]
    nb = bb.shape[0]
    nl = ng * _LANES
    ok, st = scr[30], scr[38]
    for j in range(nb):
        bj = mb[j, 2]
        full = b_kind[j] == _FULL
        for lane in range(nl):  # vectorises
            ok[lane] = not abs(_dphi(ang[lane], bj)) > DELTA_THETA
        for g in range(ng):
            near = 0
            for lane in range(g * _LANES, (g + 1) * _LANES):
                near |= ok[lane]
            o = j * nl + g * _LANES
            if near == 0:
                for e in range(o, o + _LANES):
                    st[e] = 0.0
                continue
            po = g * WORDS * _LANES
            gl = g * _LANES
            if full:
                if g_full[g]:
                    _counts_ff(st, o, pbt, pvt, po, bb, vb, j, k_full, gl, b_ones[j] << 32, ok)
                else:
                    _counts_cf(st, o, pbt, pvt, po, bb, vb, j, k_full, gl, 0, ok)
            elif g_full[g]:
                _counts_fc(st, o, pbt, pvt, po, bb, vb, j, k_clean, gl, b_nv[j] | b_ones[j] << 32, ok)
            else:
                _counts_cc(st, o, pbt, pvt, po, bb, vb, j, k_clean, gl, 0, ok)
    # To (probe row, j) order, 8×8 blocks at a time.
    j0 = 0
    while j0 + _LANES <= nb:
        for g in range(ng):
            _transpose8(s2, row, g * _LANES, nb, j0, st, j0 * nl + g * _LANES, nl)
        j0 += _LANES
    for j in range(j0, nb):
        for lane in range(nl):
            s2[row[lane] * nb + j] = st[j * nl + lane]
    n = 0
    for i in range(na):  # compaction, in (i, j) order
        r0 = i * nb
        j = 0
        while j + _LANES <= nb:
            n = _compact8(sim, code, n, s2, (i << 16) - r0, r0 + j)
            j += _LANES
        while j < nb:
            s = s2[r0 + j]
            sim[n] = s
            code[n] = (i << 16) | j
            n += s > 0.0
            j += 1
    return n


@njit(nogil=True, cache=True, inline="always")
def _top_pairs(n: int, na: int, nb: int, k: int, scr) -> int:
    """Greedy best pairs in decreasing similarity, each cylinder used once, at most k.

    A stable counting sort on 1/1024 steps of similarity replaces a full sort: O(n), and within
    a step the (i, j) order decides. Pairs go to scr[11], scr[12], their similarity to scr[13][0] (lam0).
    """
    sim, code, ocode, count = scr[4], scr[5], scr[7], scr[8]
    used_a, used_b, out_a, out_b, out_s = scr[9], scr[10], scr[11], scr[12], scr[13][0]
    bins = scr[35]
    b_lo = _NBINS
    b_hi = 0
    for q in range(n):  # vectorises
        h = _NBINS - 1 - int(sim[q] * 1024.0)
        bins[q] = h
        b_lo = min(b_lo, h)
        b_hi = max(b_hi, h)
    # Only the bins between the lowest and highest used are cleared and summed.
    count[b_lo : b_hi + 1] = 0
    # Indices as unsigned: no negative-index wraparound code in these scalar loops.
    for q in range(n):
        count[np.uint64(bins[q])] += 1
    acc = 0
    for h in range(b_lo, b_hi + 1):
        c = count[h]
        count[h] = acc
        acc += c
    for q in range(n):
        h = np.uint64(bins[q])
        p = np.uint64(count[h])
        ocode[p] = q  # the pair's place in sim and code: one scattered store instead of two
        count[h] = p + np.uint64(1)
    used_a[:na] = 0
    used_b[:nb] = 0
    r = 0
    for p in range(n):
        q = np.uint64(ocode[p])
        c = code[q]
        i = np.uint64(c >> 16)
        j = np.uint64(c & 0xFFFF)
        if used_a[i] | used_b[j]:
            continue
        used_a[i] = 1
        used_b[j] = 1
        out_a[r] = i
        out_b[r] = j
        out_s[r] = sim[q]
        r += 1
        if r >= k:
            break
    return r


@njit(nogil=True, cache=True, inline="always")
def _relaxed_score(ma, mb, tex_a, tex_b, nr: int, n_p: int, scr) -> float:
    """LSS-R: relax the selected pairs' similarities by their mutual compatibility, weigh them by
    their texture similarity (tex_a, tex_b: packed descriptors of the cylinders), average the n_p most improved. rho is sparse (most pairs are incompatible), so only its non-zeros are
    kept; adding the zero terms did not change any sum."""
    sel_a, sel_b = scr[11], scr[12]
    tt, tq, tr, start, cols, vals, fill = scr[15], scr[16], scr[17], scr[18], scr[19], scr[20], scr[24]
    lam0, cur, nxt, eff, xa, ya = scr[13]
    ta, xb, yb, tb = scr[14]
    for t in range(nr):
        xa[t] = ma[sel_a[t], 0]
        ya[t] = ma[sel_a[t], 1]
        ta[t] = ma[sel_a[t], 2]
        xb[t] = mb[sel_b[t], 0]
        yb[t] = mb[sel_b[t], 1]
        tb[t] = mb[sel_b[t], 2]
    cand, pdir, pdist, pt, pq, flags, iota = scr[26], scr[27], scr[32], scr[33], scr[34], scr[39], scr[40]
    # Candidates first, a row of pairs (t < q) at a time so that the loop vectorises: squared
    # distances with a safety margin find every pair within _D1_CUT (and a few more), and the
    # direction test d2 is the exact one (it rejects most pairs). Flags go in pair order (q, then t) and
    # are compressed to the candidates' numbers; the exact tests follow on those.
    p0 = 0
    for q in range(1, nr):
        xaq = xa[q]
        yaq = ya[q]
        xq = xb[q]
        yq = yb[q]
        taq = ta[q]
        tbq = tb[q]
        for t in range(q):
            dxa = xaq - xa[t]
            dya = yaq - ya[t]
            da = math.sqrt(dxa * dxa + dya * dya)  # pdist's value; a table look-up would not vectorise
            dxb = xq - xb[t]
            dyb = yq - yb[t]
            db2 = dxb * dxb + dyb * dyb
            hi = da + _D1_CUT
            lo = da - _D1_CUT
            d2 = abs(_dphi_sel(_dphi_sel(ta[t], taq), _dphi_sel(tb[t], tbq)))
            flags[np.uint64(p0 + t)] = (
                (db2 <= hi * hi * (1.0 + 1e-9))
                & ((lo <= 0.0) | (db2 >= lo * lo * (1.0 - 1e-9)))
                & ((d2 <= _D2_CUT) | (d2 != d2))  # what the exact test lets through, NaN too
            )
        p0 += q
    n_c = _select(cand, iota, flags, 0, p0)
    m = 0
    for e in range(n_c):
        t = pt[cand[e]]
        q = pq[cand[e]]
        dxb = xb[q] - xb[t]
        dyb = yb[q] - yb[t]
        d1 = abs(pdist[sel_a[t], sel_a[q]] - math.sqrt(dxb * dxb + dyb * dyb))
        if d1 > _D1_CUT:
            continue
        d2 = abs(_dphi(_dphi(ta[t], ta[q]), _dphi(tb[t], tb[q])))
        if d2 > _D2_CUT:
            continue
        # The probe's directions are cached: a probe meets the same pairs in many comparisons.
        ra = pdir[sel_a[t], sel_a[q]]
        if ra != ra:
            ra = math.atan2(ya[q] - ya[t], xa[q] - xa[t])
            pdir[sel_a[t], sel_a[q]] = ra
        rb = math.atan2(yb[q] - yb[t], xb[q] - xb[t])
        # Seen from both ends: the other minutia must lie in the same relative direction from t
        # and from q (the paper checks t only; one-sided matches let impostor pairs through).
        d3 = max(
            abs(_dphi(_dphi(ta[t], ra), _dphi(tb[t], rb))),
            abs(_dphi(_dphi(ta[q], ra + math.pi), _dphi(tb[q], rb + math.pi))),
        )
        if d3 > _D3_CUT:
            continue
        tt[m] = t
        tq[m] = q
        tr[m] = _z(d1, _MU1, _TAU1) * _z(d2, _MU2, _TAU2) * _z(d3, _MU3, _TAU3)
        m += 1
    # Symmetric rho as rows of (column, value) in increasing column order. The triples come
    # ordered by (q, t): row r gets its columns c < r from the triples (c, r), in order, before
    # any triple (r, c > r), which come in order of c — appending in triple order keeps rows sorted.
    start[: nr + 1] = 0
    for e in range(m):
        start[tt[e] + 1] += 1
        start[tq[e] + 1] += 1
    for t in range(nr):
        start[t + 1] += start[t]
    for t in range(nr):
        fill[t] = start[t]
    for e in range(m):
        t = tt[e]
        q = tq[e]
        cols[fill[t]] = q
        vals[fill[t]] = tr[e]
        fill[t] += 1
        cols[fill[q]] = t
        vals[fill[q]] = tr[e]
        fill[q] += 1
    for t in range(nr):
        cur[t] = lam0[t]
    for _ in range(_N_REL):
        for t in range(nr):
            acc = 0.0
            for e in range(start[t], start[t + 1]):
                acc += vals[e] * cur[cols[e]]
            nxt[t] = _W_R * cur[t] + (1.0 - _W_R) * acc / max(nr - 1, 1)
        for t in range(nr):
            cur[t] = nxt[t]
    # Texture: each relaxed value is weighed by how well the orientation fields around the two
    # minutiae agree (Tico & Kuosmanen's descriptor; Feng 2008 combines it with minutia descriptors
    # the same way); the n_p most improved of those are averaged (ties: the lower t first), kept
    # by insertion as they come (np.argsort cost two allocations and a full sort per comparison).
    top_e, top_c = scr[41], scr[42]
    k = 0
    for t in range(nr):
        c = cur[t] * _texture_sim(tex_a[sel_a[t]], tex_b[sel_b[t]])
        e = c / lam0[t]
        if k == n_p:
            if not e > top_e[k - 1]:
                continue
            k -= 1  # the last kept pair drops out
        p = k
        while p > 0 and top_e[p - 1] < e:
            top_e[p] = top_e[p - 1]
            top_c[p] = top_c[p - 1]
            p -= 1
        top_e[p] = e
        top_c[p] = c
        k += 1
    total = 0.0
    for q in range(n_p):
        total += top_c[q]
    return total / n_p


_TEX_SIM = _texture.SIM  # similarity of two samples by circular code difference 0 … LEVELS // 2
_TEX_INVALID, _TEX_LEVELS = _texture.INVALID, _texture.LEVELS
_TEX_MIN, _TEX_NEUTRAL = _texture.MIN_COMMON, _texture.NEUTRAL
assert _TEX_SIM.shape[0] <= 8 and _texture.SAMPLES < 256  # counts fit 8 one-byte fields


@njit(nogil=True, cache=True, inline="always")
def _texture_sim(a, b) -> float:
    """Mean sample similarity of two packed descriptors over the samples valid in both, or
    _TEX_NEUTRAL when fewer than _TEX_MIN are.

    The samples are first counted by circular code difference, in one-byte fields of one int64
    (arithmetic only, so the loop vectorises; a table look-up per sample did not), then weighed:
    Σ SIM[d]·count[d] / Σ count[d].
    """
    acc = 0
    for k in range(a.shape[0]):
        x = np.int64(a[k])
        y = np.int64(b[k])
        u = x & 15
        v = y & 15
        d = abs(u - v)
        d = min(d, _TEX_LEVELS - d)
        acc += np.int64((u != _TEX_INVALID) & (v != _TEX_INVALID)) << (8 * d)
        u = x >> 4
        v = y >> 4
        d = abs(u - v)
        d = min(d, _TEX_LEVELS - d)
        acc += np.int64((u != _TEX_INVALID) & (v != _TEX_INVALID)) << (8 * d)
    total = 0.0
    n = 0
    for d in range(_TEX_SIM.shape[0]):
        c = (acc >> (8 * d)) & 255
        total += _TEX_SIM[d] * c
        n += c
    if n < _TEX_MIN:
        return _TEX_NEUTRAL
    return total / n


@njit(nogil=True, cache=True, inline="always")
def _score(ba, va, ma, da, a_ones, a_nv, a_kind, lanes, bb, vb, mb, db, b_ones, b_nv, b_kind, scr) -> float:
    na = ba.shape[0]
    nb = bb.shape[0]
    if na == 0 or nb == 0:
        return 0.0
    general = lanes[0] == 0
    for j in range(nb):
        general |= b_kind[j] == _GENERAL
    if general:
        n = _similarities(ba, va, ma, a_ones, a_nv, a_kind, bb, vb, mb, b_ones, b_nv, b_kind, scr)
    else:
        n = _lane_similarities(na, lanes, bb, vb, mb, b_ones, b_nv, b_kind, scr)
    if n == 0:
        return 0.0
    nmin = min(na, nb)
    n_p = _MIN_NP + int(round(_z(nmin, _MU_P, _TAU_P) * (_MAX_NP - _MIN_NP)))
    nr = _top_pairs(n, na, nb, min(nmin, _MAX_NR), scr)
    if nr < n_p:
        n_p = nr
    return _relaxed_score(ma, mb, da, db, nr, n_p, scr)


@njit(nogil=True, cache=True)
def score_pair(ba, va, ma, bb, vb, mb, da, db, sim: np.ndarray, pair: np.ndarray) -> float:
    """LSS-R global score in [0, 1] of two prints given their cylinders and cylinder minutiae.

    ba/va (nA, WORDS), ma (nA, 3: x, y, angle), da (nA, _texture.BYTES) uint8 texture descriptors
    (all 0xFF when unknown); the same for b. sim (float64) and pair (int64) are scratch of at least
    nA·nB entries (kept for callers; the kernel now brings its own).
    """
    na = ba.shape[0]
    nb = bb.shape[0]
    if na == 0 or nb == 0:
        return 0.0
    scr = _scratch(na, nb)
    _probe_distances(ma, scr)
    a_ones = np.empty(na, np.int64)
    a_nv = np.empty(na, np.int64)
    a_kind = np.empty(na, np.int64)
    _cyl_stats(ba, va, a_ones, a_nv, a_kind)
    _cyl_stats(bb, vb, scr[21], scr[22], scr[23])
    lanes = _probe_lanes(ba, va, ma, a_ones, a_nv, a_kind)
    return _score(ba, va, ma, da, a_ones, a_nv, a_kind, lanes, bb, vb, mb, db, scr[21], scr[22], scr[23], scr)


@njit(nogil=True, cache=True, parallel=True)
def score_many(pb, pv, pm, pd, gb, gv, gm, gd, offsets, select):
    """Scores of one probe against the gallery templates listed in `select` (indices into offsets).

    Gallery cylinders of template t are rows offsets[t]:offsets[t+1] of gb/gv/gm and of gd (their
    texture descriptors, as score_pair's); the bit arrays C-contiguous. Scores equal score_pair's, bit for bit.
    """
    n_sel = select.shape[0]
    out = np.zeros(n_sel)
    na = pb.shape[0]
    if n_sel == 0 or na == 0:
        return out
    nb_max = 1
    for q in range(n_sel):
        t = select[q]
        nb_max = max(nb_max, offsets[t + 1] - offsets[t])
    a_ones = np.empty(na, np.int64)
    a_nv = np.empty(na, np.int64)
    a_kind = np.empty(na, np.int64)
    _cyl_stats(pb, pv, a_ones, a_nv, a_kind)
    lanes = _probe_lanes(pb, pv, pm, a_ones, a_nv, a_kind)
    # A few chunks per thread, each with its own scratch: no allocation per template.
    n_chunks = min(_CHUNKS, max(1, n_sel // _CHUNK_MIN))
    for c in prange(n_chunks):
        scr = _scratch(na, nb_max)
        _probe_distances(pm, scr)
        for q in range(c * n_sel // n_chunks, (c + 1) * n_sel // n_chunks):
            t = select[q]
            lo = offsets[t]
            hi = offsets[t + 1]
            if hi == lo:
                continue
            nb = hi - lo
            b_ones = scr[21][:nb]
            b_nv = scr[22][:nb]
            b_kind = scr[23][:nb]
            _cyl_stats(gb[lo:hi], gv[lo:hi], b_ones, b_nv, b_kind)
            out[q] = _score(
                pb,
                pv,
                pm,
                pd,
                a_ones,
                a_nv,
                a_kind,
                lanes,
                gb[lo:hi],
                gv[lo:hi],
                gm[lo:hi],
                gd[lo:hi],
                b_ones,
                b_nv,
                b_kind,
                scr,
            )
    return out
