"""The optimised MCC comparison gives exactly the scores of the plain formulation.

`_reference_score` is the comparison as first written (one pair at a time, dense relaxation);
the kernel's shortcuts (popcounts from a FULL cylinder's known masks, vector rows, sparse rho,
scratch reuse, packed texture codes) must not change a single bit of any score.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit

from matcher import Template, _mcc, _texture
from matcher._mcc import _D1_CUT, _D2_CUT, _D3_CUT, _MIN_COMMON, DELTA_THETA, WORDS, _dphi, _z


@njit(cache=False)
def _ref_cyl_sim(ba, va, bb, vb) -> float:
    na = nb = nx = nc = 0
    for w in range(WORDS):
        common = va[w] & vb[w]
        a = ba[w] & common
        b = bb[w] & common
        nc += _popcount64(common)
        na += _popcount64(a)
        nb += _popcount64(b)
        nx += _popcount64(a ^ b)
    if nc < _MIN_COMMON or na + nb == 0:
        return 0.0
    return 1.0 - math.sqrt(nx) / (math.sqrt(na) + math.sqrt(nb))


@njit(cache=False)
def _popcount64(x) -> int:
    n = 0
    while x:
        x &= x - np.uint64(1)
        n += 1
    return n


@njit(cache=False)
def _ref_sample(a, b):
    if a == _texture.INVALID or b == _texture.INVALID:
        return 0.0, 0
    d = abs(np.int64(a) - np.int64(b))  # int() of a uint8 stays unsigned in numba
    return math.exp(-(((min(d, _texture.LEVELS - d) * math.pi / _texture.LEVELS) / _texture.SIGMA) ** 2)), 1


@njit(cache=False)
def _ref_texture(da, db) -> float:
    """Texture similarity from the unpacked codes (even samples in low nibbles, odd in high):
    the mean sample similarity, summed as the kernel does, by difference (Σ SIM[d]·count[d])."""
    total_d = np.zeros(_texture.LEVELS // 2 + 1)
    count_d = np.zeros(_texture.LEVELS // 2 + 1, np.int64)
    for q in range(2 * _texture.BYTES):
        a = np.int64(da[q // 2] >> (4 * (q % 2))) & 15
        b = np.int64(db[q // 2] >> (4 * (q % 2))) & 15
        s, n = _ref_sample(a, b)
        d = abs(a - b)
        d = min(d, _texture.LEVELS - d)
        if n:
            total_d[d] = s  # the same value for every sample at this difference
            count_d[d] += 1
    total = 0.0
    n = 0
    for d in range(total_d.shape[0]):
        total += total_d[d] * count_d[d]
        n += count_d[d]
    return total / n if n >= _texture.MIN_COMMON else _texture.NEUTRAL


@njit(cache=False)
def _reference_score(ba, va, ma, da, bb, vb, mb, db) -> float:
    na, nb = ba.shape[0], bb.shape[0]
    if na == 0 or nb == 0:
        return 0.0
    sim = np.empty(na * nb)
    pair = np.empty(na * nb, np.int64)
    n = 0
    for i in range(na):
        for j in range(nb):
            if abs(_dphi(ma[i, 2], mb[j, 2])) > DELTA_THETA:
                continue
            s = _ref_cyl_sim(ba[i], va[i], bb[j], vb[j])
            if s > 0.0:
                sim[n] = s
                pair[n] = i * nb + j
                n += 1
    if n == 0:
        return 0.0
    nmin = min(na, nb)
    n_p = _mcc._MIN_NP + int(round(_z(nmin, _mcc._MU_P, _mcc._TAU_P) * (_mcc._MAX_NP - _mcc._MIN_NP)))
    k = min(nmin, _mcc._MAX_NR)
    # Stable sort on 1/1024 steps of similarity, then greedy pairing.
    keys = np.empty(n, np.int64)
    for q in range(n):
        keys[q] = (1024 - int(sim[q] * 1024.0)) * (na * nb + 1) + q
    order = np.argsort(keys)
    used_a = np.zeros(na, np.bool_)
    used_b = np.zeros(nb, np.bool_)
    sel_a = np.empty(k, np.int64)
    sel_b = np.empty(k, np.int64)
    lam0 = np.empty(k)
    nr = 0
    for o in order:
        i, j = pair[o] // nb, pair[o] % nb
        if used_a[i] or used_b[j]:
            continue
        used_a[i] = used_b[j] = True
        sel_a[nr], sel_b[nr], lam0[nr] = i, j, sim[o]
        nr += 1
        if nr >= k:
            break
    n_p = min(n_p, nr)
    rho = np.zeros((nr, nr))
    for t in range(nr):
        for q in range(t + 1, nr):
            at, aq, bt, bq = sel_a[t], sel_a[q], sel_b[t], sel_b[q]
            dxa, dya = ma[aq, 0] - ma[at, 0], ma[aq, 1] - ma[at, 1]
            dxb, dyb = mb[bq, 0] - mb[bt, 0], mb[bq, 1] - mb[bt, 1]
            d1 = abs(math.sqrt(dxa * dxa + dya * dya) - math.sqrt(dxb * dxb + dyb * dyb))
            d2 = abs(_dphi(_dphi(ma[at, 2], ma[aq, 2]), _dphi(mb[bt, 2], mb[bq, 2])))
            ra = math.atan2(dya, dxa)
            rb = math.atan2(dyb, dxb)
            d3 = max(
                abs(_dphi(_dphi(ma[at, 2], ra), _dphi(mb[bt, 2], rb))),
                abs(_dphi(_dphi(ma[aq, 2], ra + math.pi), _dphi(mb[bq, 2], rb + math.pi))),
            )
            if d1 > _D1_CUT or d2 > _D2_CUT or d3 > _D3_CUT:
                continue
            rho[t, q] = rho[q, t] = (
                _z(d1, _mcc._MU1, _mcc._TAU1) * _z(d2, _mcc._MU2, _mcc._TAU2) * _z(d3, _mcc._MU3, _mcc._TAU3)
            )
    cur = lam0[:nr].copy()
    for _ in range(_mcc._N_REL):
        nxt = np.empty(nr)
        for t in range(nr):
            acc = 0.0
            for q in range(nr):
                acc += rho[t, q] * cur[q]
            nxt[t] = _mcc._W_R * cur[t] + (1.0 - _mcc._W_R) * acc / max(nr - 1, 1)
        cur = nxt
    for t in range(nr):
        cur[t] *= _ref_texture(da[sel_a[t]], db[sel_b[t]])
    best = np.argsort(-(cur / lam0[:nr]), kind="mergesort")  # ties: the lower t first
    total = 0.0
    for q in range(n_p):
        total += cur[best[q]]
    return total / n_p


def _random_cylinders(rng: np.random.Generator, n: int, spread: float = 120.0, kinds: int = 3):
    """n cylinders of every kind: FULL (all cells valid), CLEAN (some cells invalid) and GENERAL
    (bits outside the valid cells, valid cells outside the radius) — the cylinder builder makes only
    the first two, the kernel must still be exact on the third. kinds=2: FULL and CLEAN only (the
    probe-in-lanes path), kinds=1: FULL only."""
    mask = _mcc._MASK
    bits = rng.integers(0, 2**63, size=(n, WORDS), dtype=np.uint64) & rng.integers(
        0, 2**63, size=(n, WORDS), dtype=np.uint64
    )
    valid = np.empty_like(bits)
    kind = rng.integers(0, kinds, n)
    for c in range(n):
        if kind[c] == 0:
            valid[c] = mask
        elif kind[c] == 1:
            drop = np.zeros(WORDS, np.uint64)
            drop[rng.integers(0, WORDS, 3)] = np.uint64(0xFFFFFFFF)
            valid[c] = mask & ~drop
        else:
            valid[c] = rng.integers(0, 2**63, WORDS, dtype=np.uint64) | mask
        if kind[c] < 2:
            bits[c] &= valid[c]
    m = np.column_stack([rng.uniform(0, spread, n), rng.uniform(0, spread, n), rng.uniform(0, 2 * np.pi, n)])
    return bits, valid, m, _random_texture(rng, n)


def _random_texture(rng: np.random.Generator, n: int) -> np.ndarray:
    """Descriptors of every sort: all samples valid, some invalid, too few valid (neutral), none."""
    codes = rng.integers(0, _texture.LEVELS, (n, _texture.SAMPLES)).astype(np.uint8)
    invalid = rng.random((n, 1)) * 1.2 > rng.random((n, _texture.SAMPLES))
    codes[invalid] = _texture.INVALID
    return _texture.pack(codes)


def _pair(a, b) -> float:
    n = max(len(a[0]) * len(b[0]), 1)
    return _mcc.score_pair(*a[:3], *b[:3], a[3], b[3], np.empty(n), np.empty(n, np.int64))


@pytest.mark.parametrize("sizes", [(1, 1), (5, 9), (30, 24), (70, 90)])
def test_scores_equal_the_plain_formulation_on_random_cylinders(sizes) -> None:
    rng = np.random.default_rng(sum(sizes))
    for _ in range(5):
        a = _random_cylinders(rng, sizes[0], spread=40.0)  # close minutiae: many compatible pairs
        b = _random_cylinders(rng, sizes[1], spread=40.0)
        assert _pair(a, b) == _reference_score(*a, *b)


@pytest.mark.parametrize("sizes", [(1, 1), (3, 17), (8, 8), (9, 30), (33, 16), (45, 48), (70, 90)])
@pytest.mark.parametrize("kinds", [(1, 1), (1, 2), (2, 1), (2, 2), (3, 2), (2, 3)])
def test_lane_path_equals_the_plain_formulation(sizes, kinds) -> None:
    """Probes and galleries of FULL and CLEAN cylinders go through _lane_similarities (probe in
    lanes, all four count modes, padding lanes, 8×8 transposes and their tails); a GENERAL
    cylinder on either side sends the comparison back to _similarities."""
    rng = np.random.default_rng(sizes[0] * 100 + sizes[1] + 7 * kinds[0] + kinds[1])
    for _ in range(4):
        a = _random_cylinders(rng, sizes[0], spread=40.0, kinds=kinds[0])
        b = _random_cylinders(rng, sizes[1], spread=40.0, kinds=kinds[1])
        assert _pair(a, b) == _reference_score(*a, *b)
        offsets = np.array([0, sizes[1], sizes[1]], np.int64)
        got = _mcc.score_many(*a, *b, offsets, np.array([0, 1, 0], np.int64))
        assert got.tolist() == [_reference_score(*a, *b), 0.0, got[0]]


def _template(rng: np.random.Generator, n: int) -> Template:
    m = np.column_stack(
        [
            rng.uniform(20, 280, n),
            rng.uniform(20, 360, n),
            rng.uniform(0, 2 * np.pi, n),
            rng.integers(1, 3, n),
        ]
    )
    return Template(m, 300, 380, texture=_random_texture(rng, n))


def test_score_many_equals_the_plain_formulation_on_templates() -> None:
    rng = np.random.default_rng(7)
    base = _template(rng, 45)
    # Mates (the same minutiae moved a little and thinned) and impostors, of various sizes.
    gallery = []
    for k in range(12):
        if k % 2:
            m = base.minutiae.copy()
            keep = rng.random(len(m)) > 0.2
            m = m[keep]
            m[:, :2] += rng.normal(0, 2, (len(m), 2))
            gallery.append(Template(m, 300, 380, texture=base.texture[keep]))
        else:
            gallery.append(_template(rng, int(rng.integers(3, 110))))
    gallery.append(Template(np.zeros((0, 4)), 300, 380))
    cyl = [t.cylinders for t in gallery]
    offsets = np.concatenate([[0], np.cumsum([len(c.bits) for c in cyl])]).astype(np.int64)
    gb = np.concatenate([c.bits for c in cyl])
    gv = np.concatenate([c.valid for c in cyl])
    gm = np.concatenate([c.minutiae for c in cyl])
    gd = np.concatenate([c.texture for c in cyl])
    p = base.cylinders
    select = np.arange(len(gallery), dtype=np.int64)[::-1].copy()
    got = _mcc.score_many(p.bits, p.valid, p.minutiae, p.texture, gb, gv, gm, gd, offsets, select)
    want = [
        _reference_score(
            p.bits, p.valid, p.minutiae, p.texture, cyl[t].bits, cyl[t].valid, cyl[t].minutiae, cyl[t].texture
        )
        for t in select
    ]
    assert got.tolist() == want
    assert max(want) > 0.1  # the mates really matched: the relaxation had work to do


def test_select_form_of_the_angle_difference_is_exact() -> None:
    """_dphi_sel (the relaxation's vectorised candidate test) equals _dphi bit for bit."""
    rng = np.random.default_rng(3)
    edges = [0.0, -0.0, math.pi, -math.pi, 2 * math.pi, -2 * math.pi, np.nextafter(math.pi, 0)]
    a = np.concatenate([rng.uniform(-7, 7, 20000), rng.uniform(0, 2 * np.pi, 20000), edges])
    b = np.concatenate([rng.uniform(-7, 7, 20000), rng.uniform(0, 2 * np.pi, 20000), edges[::-1]])
    for x, y in zip(a, b, strict=True):
        assert np.float64(_mcc._dphi_sel(x, y)).tobytes() == np.float64(_dphi(x, y)).tobytes()
