"""Kernels of the gallery index: cylinders rebuilt from compact minutiae, and MinHash LSH over them.

Storage. A gallery of a million cannot keep bit cylinders (~30 kB per rolled template); it keeps
minutiae (x, y, angle as float32, 12 bytes each) and rebuilds cylinders only for the templates it
scores. `cylinders` is the one cylinder builder (`Template.cylinders` uses it too): MCC's
definition (parameters in `_mcc`) organised for speed: neighbours are gathered once per minutia,
the angular contributions (which depend on the neighbour, not on the cell) computed once per neighbour, each
neighbour visits only the cells within its reach, and the hull distance comes from a coarse grid
except near the validity border. Each cell sums the same terms in the same order as the plain
cell-by-cell formulation, so the bits are identical (tests/matcher/test_index.py keeps that
formulation as the reference).

Index. After MCC-LSH (Cappelli, Ferrara, Maltoni, "Fingerprint indexing based on Minutia
Cylinder-Code", IEEE TPAMI 33(5), 2011): every cylinder of every template is hashed by L hash
functions into inverted lists of template ids; a probe's cylinders look up the same lists, and
templates are ranked by how many (probe cylinder, hash function) lookups they collide in. MCC-LSH
samples h bits of the cylinder; our cylinders are sparse (about 7 % of the valid bits are set, no
bit more than ~20 %), so h sampled bits are mostly all zero and collide for unrelated cylinders.
Each hash function here is therefore a band of K MinHashes (Broder 1997; Indyk & Motwani
banding) over the set bits of the cylinder's inner cells: a band collides with probability
J^K for cylinders of Jaccard similarity J, which suits sparse binary vectors. Only inner cells
are hashed because outer cells are often invalid (outside the print) in one of two impressions.
A probe also looks up multi-probe buckets (`probe_keys`): the index stays the same.

Verification. A posting names the template and the minutia of the colliding cylinder, so the
collisions of a candidate pair probe minutiae with gallery minutiae; `consensus` counts the
largest set of pairs that agree geometrically, which sorts mates from templates that merely share
common local structures before the expensive full score.
"""

from __future__ import annotations

import math

import numpy as np

from matcher import _mcc
from matcher._jit import njit, prange
from matcher._mcc import BITS, MIN_M, MIN_VC, ND, NS, OMEGA, SIGMA_D, SIGMA_S, WORDS, R

_DELTA_S = 2.0 * R / NS
_DELTA_D = 2.0 * math.pi / ND
MAX_MINUTIAE = 256  # minutiae of a template that the index can name (8 bits of a posting)
MAX_TEMPLATES = 1 << 24  # templates it can name (the other 24 bits)
_GRID = 10.0  # px between the nodes of the hull-distance grid
EMPTY = np.uint32(0xFFFFFFFF)  # key of a cylinder with no set bit in the hashed cells


@njit(nogil=True, cache=True)
def hull(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Convex hull (Andrew's monotone chain, collinear points dropped) of points x, y."""
    n = x.shape[0]
    if n < 3:
        return np.zeros(0), np.zeros(0)
    order = np.argsort(y, kind="mergesort")
    order = order[np.argsort(x[order], kind="mergesort")]  # by x, then y
    hx = np.empty(2 * n)
    hy = np.empty(2 * n)
    k = 0
    for step in range(2):  # lower hull, then upper hull
        start = k
        for q in range(n):
            i = order[q] if step == 0 else order[n - 1 - q]
            while k >= start + 2:
                cross = (hx[k - 1] - hx[k - 2]) * (y[i] - hy[k - 2]) - (hy[k - 1] - hy[k - 2]) * (
                    x[i] - hx[k - 2]
                )
                if cross > 0:
                    break
                k -= 1
            hx[k] = x[i]
            hy[k] = y[i]
            k += 1
        k -= 1  # the last point of each chain starts the other
    return hx[:k].copy(), hy[:k].copy()


@njit(nogil=True, cache=True)
def cylinders(m: np.ndarray):
    """Bit cylinders of minutiae m (N×≥3: x, y, angle), validity from their convex hull.

    Returns (bits (K, WORDS) uint64, valid (K, WORDS) uint64, centres (K, 3) float64).
    """
    bits, valid, centres, _idx = _build(m)
    return bits, valid, centres


@njit(nogil=True, cache=True)
def _build(m: np.ndarray):
    """`cylinders`, plus the minutia number (K,) of each cylinder."""
    n = m.shape[0]
    mx = np.empty(n)
    my = np.empty(n)
    ma = np.empty(n)
    for t in range(n):
        mx[t] = m[t, 0]
        my[t] = m[t, 1]
        ma[t] = m[t, 2]
    hx, hy = hull(mx, my)
    bits = np.zeros((n, WORDS), dtype=np.uint64)
    valid = np.zeros((n, WORDS), dtype=np.uint64)
    centres = np.zeros((n, 3))
    idx = np.zeros(n, np.int64)
    gs_norm = 1.0 / (SIGMA_S * math.sqrt(2 * math.pi))
    reach2 = (3.0 * SIGMA_S) ** 2
    near2 = (R + 3.0 * SIGMA_S) ** 2
    inside_r = _mcc._INSIDE_R
    acc = np.zeros(BITS)
    cell_ok = np.zeros(NS * NS, np.bool_)
    cell_x = np.zeros(NS * NS)
    cell_y = np.zeros(NS * NS)
    # Signed hull distance on a coarse grid covering every cell centre (within R of a minutia).
    # It is 1-Lipschitz and a cell centre is within _GRID/√2 of its nearest node, so a node
    # farther than _GRID from the OMEGA contour decides the cell; the others get the exact test.
    gx0 = (mx.min() if n else 0.0) - R - 2 * _GRID
    gy0 = (my.min() if n else 0.0) - R - 2 * _GRID
    gw = int(((mx.max() if n else 0.0) + R + 2 * _GRID - gx0) / _GRID) + 2
    gh = int(((my.max() if n else 0.0) + R + 2 * _GRID - gy0) / _GRID) + 2
    grid = np.empty((gh, gw))
    for gy in range(gh):
        for gx in range(gw):
            grid[gy, gx] = _mcc._hull_dist(gx0 + gx * _GRID, gy0 + gy * _GRID, hx, hy)
    nb = np.empty(n, dtype=np.int64)
    cdn = np.empty((n, ND))
    k_out = 0
    for a in range(n):
        xm = mx[a]
        ym = my[a]
        tm = ma[a]
        c = math.cos(tm)
        s = math.sin(tm)
        n_near = 0
        for t in range(n):
            if t != a:
                dx = mx[t] - xm
                dy = my[t] - ym
                if dx * dx + dy * dy <= near2:
                    nb[n_near] = t
                    n_near += 1
        if n_near < MIN_M:
            continue
        # Only neighbours within R + 3σ can reach a cell inside R; their angular terms per section.
        for q in range(n_near):
            dtheta = _mcc._dphi(tm, ma[nb[q]])
            for k in range(ND):
                phik = -math.pi + (k + 0.5) * _DELTA_D
                alpha = _mcc._dphi(phik, dtheta)
                lo = (alpha - _DELTA_D / 2) / (SIGMA_D * math.sqrt(2.0))
                hi = (alpha + _DELTA_D / 2) / (SIGMA_D * math.sqrt(2.0))
                cdn[q, k] = 0.5 * (math.erf(hi) - math.erf(lo))
        acc[:] = 0.0
        n_valid = 0
        for i in range(NS):
            for j in range(NS):
                ij = i * NS + j
                cell_ok[ij] = False
                ci = (i + 0.5 - NS / 2) * _DELTA_S
                cj = (j + 0.5 - NS / 2) * _DELTA_S
                if ci * ci + cj * cj > R * R:
                    continue
                px = xm + c * ci - s * cj
                py = ym + s * ci + c * cj
                dn = grid[int(round((py - gy0) / _GRID)), int(round((px - gx0) / _GRID))]
                if dn > OMEGA + _GRID:
                    continue
                if dn >= OMEGA - _GRID and _mcc._hull_dist(px, py, hx, hy) > OMEGA:
                    continue
                cell_ok[ij] = True
                cell_x[ij] = px
                cell_y[ij] = py
                n_valid += 1
                base = ij * ND
                for k in range(ND):
                    b = base + k
                    valid[k_out, b >> 6] |= np.uint64(1) << np.uint64(b & 63)
        # Each neighbour visits only the cells within reach (3σ plus a cell) of it, in the
        # minutia's frame; neighbours in increasing order, so every cell sums in the same order.
        for q in range(n_near):
            t = nb[q]
            u = (c * (mx[t] - xm) + s * (my[t] - ym)) / _DELTA_S + NS / 2 - 0.5
            v = (-s * (mx[t] - xm) + c * (my[t] - ym)) / _DELTA_S + NS / 2 - 0.5
            span = 3.0 * SIGMA_S / _DELTA_S + 1.0
            i0 = max(0, int(math.floor(u - span)))
            i1 = min(NS - 1, int(math.ceil(u + span)))
            j0 = max(0, int(math.floor(v - span)))
            j1 = min(NS - 1, int(math.ceil(v + span)))
            for i in range(i0, i1 + 1):
                for j in range(j0, j1 + 1):
                    ij = i * NS + j
                    if not cell_ok[ij]:
                        continue
                    dx = mx[t] - cell_x[ij]
                    dy = my[t] - cell_y[ij]
                    d2 = dx * dx + dy * dy
                    if d2 > reach2:
                        continue
                    cs = gs_norm * math.exp(-d2 / (2 * SIGMA_S * SIGMA_S))
                    base = ij * ND
                    for k in range(ND):
                        acc[base + k] += cs * cdn[q, k]
        if n_valid < MIN_VC * inside_r:
            valid[k_out, :] = 0
            continue
        for b in range(BITS):
            if acc[b] > _mcc.MU_PSI:
                bits[k_out, b >> 6] |= np.uint64(1) << np.uint64(b & 63)
        centres[k_out, 0] = xm
        centres[k_out, 1] = ym
        centres[k_out, 2] = tm
        idx[k_out] = a
        k_out += 1
    return bits[:k_out].copy(), valid[:k_out].copy(), centres[:k_out].copy(), idx[:k_out].copy()


@njit(nogil=True, cache=True, parallel=True)
def cylinders_many(minutiae, texture, offsets, select):
    """Cylinders of the templates in `select`, stacked: (bits, valid, centres, texture, offsets).

    texture: the minutiae's texture descriptors (rows as minutiae); each cylinder gets its own.
    """
    n = select.shape[0]
    room = np.zeros(n + 1, np.int64)  # a template has at most one cylinder per minutia
    for q in range(n):
        room[q + 1] = room[q] + offsets[select[q] + 1] - offsets[select[q]]
    bits = np.zeros((room[n], WORDS), np.uint64)
    valid = np.zeros((room[n], WORDS), np.uint64)
    centres = np.zeros((room[n], 3))
    tex = np.zeros((room[n], texture.shape[1]), np.uint8)
    kept = np.zeros(n, np.int64)
    for q in prange(n):
        t = select[q]
        b, v, c, src = _build(minutiae[offsets[t] : offsets[t + 1]])
        k = b.shape[0]
        bits[room[q] : room[q] + k] = b
        valid[room[q] : room[q] + k] = v
        centres[room[q] : room[q] + k] = c
        for r in range(k):
            tex[room[q] + r] = texture[offsets[t] + src[r]]
        kept[q] = k
    off = np.zeros(n + 1, np.int64)
    rows = np.empty(room[n], np.int64)
    for q in range(n):
        off[q + 1] = off[q] + kept[q]
        rows[off[q] : off[q + 1]] = np.arange(room[q], room[q] + kept[q])
    rows = rows[: off[n]]
    return bits[rows], valid[rows], centres[rows], tex[rows], off


@njit(nogil=True, cache=True, parallel=True)
def rebuild_and_score(pb, pv, pm, pd, minutiae, texture, offsets, select):
    """LSS-R scores of a probe against templates `select`, their cylinders rebuilt from minutiae
    (pd, texture: the probe's cylinders' and the gallery minutiae's texture descriptors)."""
    out = np.zeros(select.shape[0])
    na = pb.shape[0]
    for q in prange(select.shape[0]):
        t = select[q]
        gb, gv, gm, src = _build(minutiae[offsets[t] : offsets[t + 1]])
        nb = gb.shape[0]
        gd = np.empty((nb, texture.shape[1]), np.uint8)
        for r in range(nb):
            gd[r] = texture[offsets[t] + src[r]]
        sim = np.empty(max(na * nb, 1))
        pair = np.empty(max(na * nb, 1), dtype=np.int64)
        out[q] = _mcc.score_pair(pb, pv, pm, gb, gv, gm, pd, gd, sim, pair)
    return out


# --- MinHash LSH --------------------------------------------------------------------------------


def inner_bits(radius_fraction: float) -> np.ndarray:
    """Bit numbers of the cells whose centre lies within radius_fraction·R of the cylinder centre."""
    out = []
    for i in range(NS):
        for j in range(NS):
            ci = (i + 0.5 - NS / 2) * _DELTA_S
            cj = (j + 0.5 - NS / 2) * _DELTA_S
            if ci * ci + cj * cj <= (radius_fraction * R) ** 2:
                out.extend((i * NS + j) * ND + k for k in range(ND))
    return np.array(out, np.int64)


def permutations(n_hashes: int, band: int, radius_fraction: float, seed: int) -> np.ndarray:
    """Ranks (n_hashes·band, BITS) uint16: a random order of the inner bits, outer bits never chosen."""
    rng = np.random.default_rng(seed)
    inner = inner_bits(radius_fraction)
    ranks = np.full((n_hashes * band, BITS), 0xFFFF, np.uint16)
    for r in range(n_hashes * band):
        ranks[r, inner] = rng.permutation(len(inner)).astype(np.uint16)
    return ranks


@njit(nogil=True, cache=True, inline="always")
def _mix(h: np.uint64, v: np.uint64) -> np.uint64:
    # A multiply-xorshift step (splitmix64's finaliser) to fold a band's MinHashes into one key.
    h = (h ^ v) * np.uint64(0x9E3779B97F4A7C15)
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    return h ^ (h >> np.uint64(32))


@njit(nogil=True, cache=True)
def _set_bits(row, out) -> int:
    """Write the indices of the set bits of one cylinder's words to `out`; return how many."""
    ns = 0
    for w in range(WORDS):
        x = row[w]
        while x:
            low = x & (~x + np.uint64(1))
            out[ns] = w * 64 + _mcc._popcount(low - np.uint64(1))
            ns += 1
            x ^= low
    return ns


@njit(nogil=True, cache=True)
def keys(bits, ranks, n_hashes: int, band: int, table_bits: int):
    """Bucket number of each cylinder under each hash function: (K, n_hashes) uint32.

    Hash function l owns buckets l·2^table_bits … (l+1)·2^table_bits − 1; EMPTY where the
    cylinder has no set bit among the hashed cells.
    """
    k = bits.shape[0]
    out = np.empty((k, n_hashes), np.uint32)
    mins = np.empty(n_hashes * band, np.int64)
    setbits = np.empty(BITS, np.int64)
    mask = (np.uint64(1) << np.uint64(table_bits)) - np.uint64(1)
    for c in range(k):
        ns = _set_bits(bits[c], setbits)
        for r in range(n_hashes * band):
            best = 0xFFFF
            for q in range(ns):
                v = ranks[r, setbits[q]]
                if v < best:
                    best = v
            mins[r] = best
        for lh in range(n_hashes):
            h = np.uint64(lh + 1)
            empty = True
            for q in range(band):
                v = mins[lh * band + q]
                if v != 0xFFFF:
                    empty = False
                h = _mix(h, np.uint64(v))
            if empty:
                out[c, lh] = EMPTY
            else:
                out[c, lh] = np.uint32((np.uint64(lh) << np.uint64(table_bits)) | (h & mask))
    return out


@njit(nogil=True, cache=True)
def probe_keys(bits, ranks, n_hashes: int, band: int, table_bits: int):
    """Buckets a probe cylinder looks up: (K, n_hashes·(1 + band)) uint32, EMPTY-padded.

    Column lh is `keys`' bucket of hash function lh; columns n_hashes + lh·band + q are multi-probe
    buckets (Lv et al., VLDB 2007, here for MinHash bands): the band with its q-th MinHash
    replaced by the cylinder's second-smallest rank under that permutation. A set bit of the probe
    that its mate's cylinder lacks (noise, distortion) takes the minimum of a permutation with it,
    and the band then misses; the second minimum is what the band would hold without that bit.
    Only the probe's side changes: the index is the same.
    """
    k = bits.shape[0]
    width = n_hashes * (1 + band)
    out = np.full((k, width), EMPTY, np.uint32)
    mins = np.empty(n_hashes * band, np.int64)
    seconds = np.empty(n_hashes * band, np.int64)
    setbits = np.empty(BITS, np.int64)
    mask = (np.uint64(1) << np.uint64(table_bits)) - np.uint64(1)
    for c in range(k):
        ns = _set_bits(bits[c], setbits)
        for r in range(n_hashes * band):
            best = 0xFFFF
            second = 0xFFFF
            for q in range(ns):
                v = ranks[r, setbits[q]]
                if v < best:
                    second = best
                    best = v
                elif v < second:
                    second = v
            mins[r] = best
            seconds[r] = second
        for lh in range(n_hashes):
            for alt in range(-1, band):  # -1: the exact band; alt: MinHash alt replaced
                h = np.uint64(lh + 1)
                empty = True
                for q in range(band):
                    v = seconds[lh * band + q] if q == alt else mins[lh * band + q]
                    if v != 0xFFFF:
                        empty = False
                    h = _mix(h, np.uint64(v))
                if empty or (alt >= 0 and seconds[lh * band + alt] == 0xFFFF):
                    continue
                col = lh if alt < 0 else n_hashes + lh * band + alt
                out[c, col] = np.uint32((np.uint64(lh) << np.uint64(table_bits)) | (h & mask))
    return out


@njit(nogil=True, cache=True, parallel=True)
def template_keys(minutiae, offsets, lo: int, hi: int, ranks, n_hashes: int, band: int, table_bits: int):
    """Buckets of every cylinder of templates lo…hi−1: (hi−lo, slots) uint32, EMPTY-padded.

    Slot a·n_hashes + l holds hash l of the cylinder of minutia a (a < MAX_MINUTIAE: postings keep
    the minutia number in 8 bits). Every cylinder is hashed: indexing only the richest ones lost
    mates whose overlap with the probe lies elsewhere.
    """
    n = hi - lo
    widest = 0
    for t in range(lo, hi):
        widest = max(widest, min(offsets[t + 1] - offsets[t], MAX_MINUTIAE))
    out = np.full((n, widest * n_hashes), EMPTY, np.uint32)
    for q in prange(n):
        t = lo + q
        b, _v, _c, idx = _build(minutiae[offsets[t] : offsets[t + 1]])
        ks = keys(b, ranks, n_hashes, band, table_bits)
        for c in range(ks.shape[0]):
            if idx[c] >= MAX_MINUTIAE:
                continue
            for lh in range(n_hashes):
                out[q, idx[c] * n_hashes + lh] = ks[c, lh]
    return out


# Inverted lists are CSR arrays: offsets (int64, one more than buckets) and postings (uint32:
# template id << 8 | minutia number, so a collision says which minutiae correspond). They are
# built by a counting sort in two passes over the keys (count, then fill), chunk by chunk, so the
# keys of a million templates never need to be held twice.


@njit(nogil=True, cache=True)
def count_old(count, offsets, postings, remap) -> None:
    """Add to count[b + 1] the postings of an existing index whose template survives (remap ≥ 0)."""
    for b in range(offsets.shape[0] - 1):
        for q in range(offsets[b], offsets[b + 1]):
            if remap[postings[q] >> 8] >= 0:
                count[b + 1] += 1


@njit(nogil=True, cache=True)
def fill_old(fill, out, offsets, postings, remap) -> None:
    for b in range(offsets.shape[0] - 1):
        for q in range(offsets[b], offsets[b + 1]):
            t = remap[postings[q] >> 8]
            if t >= 0:
                out[fill[b]] = (np.uint32(t) << np.uint32(8)) | (postings[q] & np.uint32(255))
                fill[b] += 1


@njit(nogil=True, cache=True)
def count_new(count, chunk) -> None:
    """Add to count[b + 1] the keys of a chunk (templates × slots, EMPTY skipped)."""
    for t in range(chunk.shape[0]):
        for s in range(chunk.shape[1]):
            if chunk[t, s] != EMPTY:
                count[np.int64(chunk[t, s]) + 1] += 1


@njit(nogil=True, cache=True)
def fill_new(fill, out, chunk, first: int, n_hashes: int) -> None:
    """Postings of a chunk whose row t is template first + t."""
    for t in range(chunk.shape[0]):
        for s in range(chunk.shape[1]):
            b = chunk[t, s]
            if b != EMPTY:
                out[fill[b]] = (np.uint32(first + t) << np.uint32(8)) | np.uint32(s // n_hashes)
                fill[b] += 1


@njit(nogil=True, cache=True)
def fill_ragged(fill, out, keys, named, first: int, first_bucket: int) -> None:
    """Postings of one hash function for templates first, first + 1, …: `keys` holds named[t] keys
    of template t, one per minutia in order; bucket first_bucket + i fills out[fill[i]] next
    (`fill_new`'s postings, for the buckets of one hash function: matcher._gallery_writer)."""
    q = 0
    for t in range(named.shape[0]):
        for a in range(named[t]):
            b = keys[q]
            q += 1
            if b != EMPTY:
                i = np.int64(b) - first_bucket
                out[fill[i]] = (np.uint32(first + t) << np.uint32(8)) | np.uint32(a)
                fill[i] += 1


def idf_weights(lengths: np.ndarray, n_templates: int) -> np.ndarray:
    """The weight of each probe lookup (float32, shaped as the probe's keys): log(N / length of
    its inverted list), 0 for an empty list or one as long as the gallery (such a lookup is only
    counted). N and the lengths are the whole gallery's, summed over its parts when it is split
    (`matcher._parts`), so a part weighs its lookups as the whole gallery does. Python's
    `math.log`: the same value in every process, whatever SIMD numpy dispatches to."""
    out = np.zeros(lengths.shape, np.float32)
    flat = lengths.ravel()
    weights = out.reshape(-1)
    cache: dict[int, np.float32] = {}
    for i in np.flatnonzero((flat > 0) & (flat < n_templates)):
        n = int(flat[i])
        w = cache.get(n)
        if w is None:
            w = cache[n] = np.float32(math.log(n_templates / n))
        weights[i] = w
    return out


def list_lengths(probe_keys: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """How many postings each probe key's inverted list holds (0 for an unused key)."""
    out = np.zeros(probe_keys.shape, np.int64)
    used = probe_keys != EMPTY
    b = probe_keys[used].astype(np.int64)
    out[used] = offsets[b + 1] - offsets[b]
    return out


def collisions(probe_keys, offsets, postings, n_templates: int):  # type: ignore[no-untyped-def]
    """`weighted_collisions` with the weights of this index alone (a gallery in one piece)."""
    weights = idf_weights(list_lengths(probe_keys, offsets), n_templates)
    return weighted_collisions(probe_keys, offsets, postings, n_templates, weights)


@njit(nogil=True, cache=True)
def weighted_collisions(probe_keys, offsets, postings, n_templates: int, weights):
    """(score, count) for every template.

    score: the IDF-weighted number of (probe cylinder, hash function) lookups that reach it: a
    lookup weighs `weights[c, h]` (`idf_weights`: log(N / list length), so common structures
    count less), and a template counts once per lookup however many of its cylinders share the
    bucket.
    count (int32): its postings in all the lists looked up, the unweighted ones too: the sizes of
    `consensus`' pair lists, counted in the same scan so that the check reads the lists only once
    more."""
    score = np.zeros(n_templates, np.float32)
    count = np.zeros(n_templates, np.int32)
    stamp = np.full(n_templates, -1, np.int32)  # int32: half the cache footprint of the random accesses
    k, n_hashes = probe_keys.shape
    for c in range(k):
        for lh in range(n_hashes):
            b = probe_keys[c, lh]
            if b == EMPTY:
                continue
            w = weights[c, lh]
            if w == 0:  # no weight: only counted
                for q in range(offsets[b], offsets[b + 1]):
                    count[postings[q] >> 8] += 1
                continue
            mark = c * n_hashes + lh
            for q in range(offsets[b], offsets[b + 1]):
                t = postings[q] >> 8
                count[t] += 1
                if stamp[t] != mark:
                    stamp[t] = mark
                    score[t] += w
    return score, count


_MAX_PAIRS = 64  # corresponding minutiae per candidate kept for the geometric check
_PAIR_DIST = 12.0  # px: tolerated difference of a distance between the two prints
_PAIR_ANGLE = math.pi / 6  # tolerated difference of the rotation two pairs imply


@njit(nogil=True, cache=True, parallel=True)
def consensus(probe_keys, pm, offsets, postings, cand, minutiae, moffsets, n_templates: int, counts):
    """Geometric verification of candidates (as in image retrieval, Philbin et al., CVPR 2007).

    Every collision of probe cylinder i with a cylinder of template t pairs probe minutia i with
    a minutia j of t. For each candidate, the pairs are checked against each other: two pairs
    agree when they imply the same rotation (±_PAIR_ANGLE) and the distance i–i' in the probe
    equals j–j' in the template (±_PAIR_DIST), and the line i–i' makes the same angle with minutia
    i's direction as j–j' with j's (±_PAIR_ANGLE): MCC's own pair compatibility (distance,
    direction difference, radial angle; Cappelli et al. 2010, LSS-R). The score is the largest
    number of distinct probe minutiae and distinct template minutiae (the smaller of the two)
    agreeing with one pair: collisions of unrelated structures rarely agree, a mate's do. Counting
    minutiae, not pairs, keeps a probe minutia that collides with several minutiae of a rich
    template from counting several times; without the radial angle, pairs at the right distance
    anywhere on a circle around the anchor agreed by chance.

    counts: postings per template in the lists looked up (`collisions`), so the lists
    are scanned once here, not once to size each candidate's pairs and again to fill them.
    """
    m = cand.shape[0]
    slot = np.full(n_templates, -1, np.int32)
    for r in range(m):
        slot[cand[r]] = r
    k, n_hashes = probe_keys.shape
    start = np.zeros(m + 1, np.int64)
    for r in range(m):
        start[r + 1] = start[r] + counts[cand[r]]
    code = np.empty(start[m], np.int64)
    fill = start[:m].copy()
    for c in range(k):
        for lh in range(n_hashes):
            b = probe_keys[c, lh]
            if b == EMPTY:
                continue
            for q in range(offsets[b], offsets[b + 1]):
                r = slot[postings[q] >> 8]
                if r >= 0 and fill[r] < start[r + 1]:  # never past its room, whatever counts says
                    code[fill[r]] = c * MAX_MINUTIAE + np.int64(postings[q] & np.uint32(255))
                    fill[r] += 1
    out = np.zeros(m, np.float32)
    for r in prange(m):
        seg = np.sort(code[start[r] : fill[r]])
        # Unique pairs, with how many hash functions found each; keep the best-supported.
        uniq = np.empty(seg.shape[0], np.int64)
        support = np.empty(seg.shape[0], np.int64)
        nu = 0
        for q in range(seg.shape[0]):
            if nu > 0 and uniq[nu - 1] == seg[q]:
                support[nu - 1] += 1
            else:
                uniq[nu] = seg[q]
                support[nu] = 1
                nu += 1
        order = np.argsort(-support[:nu], kind="mergesort")[:_MAX_PAIRS]
        npairs = order.shape[0]
        base = moffsets[cand[r]]
        px = np.empty(npairs)
        py = np.empty(npairs)
        gx = np.empty(npairs)
        gy = np.empty(npairs)
        rot = np.empty(npairs)
        pa = np.empty(npairs)
        ga = np.empty(npairs)
        pi = np.empty(npairs, np.int64)
        gj = np.empty(npairs, np.int64)
        for q in range(npairs):
            u = uniq[order[q]]
            i = u // MAX_MINUTIAE
            j = u % MAX_MINUTIAE
            pi[q] = i
            gj[q] = j
            px[q] = pm[i, 0]
            py[q] = pm[i, 1]
            gx[q] = minutiae[base + j, 0]
            gy[q] = minutiae[base + j, 1]
            pa[q] = pm[i, 2]
            ga[q] = minutiae[base + j, 2]
            rot[q] = _mcc._dphi(minutiae[base + j, 2], pm[i, 2])
        best = 0
        seen_p = np.zeros(MAX_MINUTIAE, np.int64)  # stamped with anchor + 1: counted for this anchor
        seen_g = np.zeros(MAX_MINUTIAE, np.int64)
        for a in range(npairs):
            mark = a + 1
            seen_p[pi[a]] = mark
            seen_g[gj[a]] = mark
            n_p = 1
            n_g = 1
            for q in range(npairs):
                if q == a or pi[q] == pi[a] or gj[q] == gj[a]:
                    continue
                if abs(_mcc._dphi(rot[q], rot[a])) > _PAIR_ANGLE:
                    continue
                dp = math.sqrt((px[q] - px[a]) ** 2 + (py[q] - py[a]) ** 2)
                dg = math.sqrt((gx[q] - gx[a]) ** 2 + (gy[q] - gy[a]) ** 2)
                if abs(dp - dg) > _PAIR_DIST:
                    continue
                radial_p = _mcc._dphi(math.atan2(py[q] - py[a], px[q] - px[a]), pa[a])
                radial_g = _mcc._dphi(math.atan2(gy[q] - gy[a], gx[q] - gx[a]), ga[a])
                if abs(_mcc._dphi(radial_p, radial_g)) > _PAIR_ANGLE:
                    continue
                if seen_p[pi[q]] != mark:
                    seen_p[pi[q]] = mark
                    n_p += 1
                if seen_g[gj[q]] != mark:
                    seen_g[gj[q]] = mark
                    n_g += 1
            best = max(best, min(n_p, n_g))
        out[r] = best
    return out
