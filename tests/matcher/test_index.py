"""The MCC-LSH index of large galleries: same cylinders, same mates, consistent after changes."""

from __future__ import annotations

import json
import math

import cv2
import numpy as np
import pytest
from numba import njit

from matcher import Gallery, Template, _fillers, _gallery, _index, _mcc, _parts


@pytest.fixture(scope="module")
def enrolled(prints) -> dict[int, Template]:
    return {k: Template.from_image(img, 500) for k, img in prints.items()}


@pytest.fixture(scope="module")
def mates(prints, rotated) -> dict[int, Template]:
    return {k: Template.from_image(rotated(img, 10, (8, -6)), 500) for k, img in prints.items()}


@pytest.fixture(scope="module")
def fillers(enrolled) -> list[Template]:
    """Templates derived from the prints by the bench's perturbations (not mates of any probe)."""
    return list(_fillers.fillers(60, [enrolled[k] for k in (1, 2, 3, 4)], seed=3))[4:]


@pytest.fixture
def small_index(monkeypatch):
    """Index every gallery of 10 or more; shortlist 6."""
    monkeypatch.setattr(_gallery, "INDEX_MIN", 10)
    monkeypatch.setattr(_parts, "_SHORTLIST_MIN", 6)
    monkeypatch.setattr(_parts, "_SHORTLIST_SQRT", 0.0)
    monkeypatch.setattr(_gallery, "_HASH_CHUNK", 7)  # several chunks even here


def _gallery_of(enrolled, fillers) -> Gallery:
    g = Gallery()
    for k, t in enumerate(fillers):
        g.add(f"filler-{k}", 1 + k % 10, t)
    for k, t in enrolled.items():
        g.add(f"subject-{k}", 1 + k % 10, t)
    return g


@njit(cache=True)
def _plain_cylinders(m: np.ndarray, hx: np.ndarray, hy: np.ndarray):
    """MCC cylinders cell by cell as the paper defines them (the builder before it was reorganised
    for speed): bits, valid cells and the minutia number of each kept cylinder."""
    n = m.shape[0]
    bits = np.zeros((n, _mcc.WORDS), dtype=np.uint64)
    valid = np.zeros((n, _mcc.WORDS), dtype=np.uint64)
    idx = np.zeros(n, dtype=np.int32)
    gs_norm = 1.0 / (_mcc.SIGMA_S * math.sqrt(2 * math.pi))
    reach2 = (3.0 * _mcc.SIGMA_S) ** 2
    inside_r = _mcc._INSIDE_R
    acc = np.zeros(_mcc.BITS)
    cd = np.zeros(_mcc.ND)
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
                if dx * dx + dy * dy <= (_mcc.R + 3.0 * _mcc.SIGMA_S) ** 2:
                    n_near += 1
        if n_near < _mcc.MIN_M:
            continue
        acc[:] = 0.0
        n_valid = 0
        for i in range(_mcc.NS):
            for j in range(_mcc.NS):
                ci = (i + 0.5 - _mcc.NS / 2) * _mcc._DELTA_S
                cj = (j + 0.5 - _mcc.NS / 2) * _mcc._DELTA_S
                if ci * ci + cj * cj > _mcc.R * _mcc.R:
                    continue
                px = xm + c * ci - s * cj
                py = ym + s * ci + c * cj
                if _mcc._hull_dist(px, py, hx, hy) > _mcc.OMEGA:
                    continue
                n_valid += 1
                base = (i * _mcc.NS + j) * _mcc.ND
                for k in range(_mcc.ND):
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
                    cs = gs_norm * math.exp(-d2 / (2 * _mcc.SIGMA_S * _mcc.SIGMA_S))
                    dtheta = _mcc._dphi(tm, m[t, 2])
                    for k in range(_mcc.ND):
                        phik = -math.pi + (k + 0.5) * _mcc._DELTA_D
                        alpha = _mcc._dphi(phik, dtheta)
                        lo = (alpha - _mcc._DELTA_D / 2) / (_mcc.SIGMA_D * math.sqrt(2.0))
                        hi = (alpha + _mcc._DELTA_D / 2) / (_mcc.SIGMA_D * math.sqrt(2.0))
                        cd[k] = 0.5 * (math.erf(hi) - math.erf(lo))
                        acc[base + k] += cs * cd[k]
        if n_valid < _mcc.MIN_VC * inside_r:
            valid[k_out, :] = 0
            continue
        for b in range(_mcc.BITS):
            if acc[b] > _mcc.MU_PSI:
                bits[k_out, b >> 6] |= np.uint64(1) << np.uint64(b & 63)
        idx[k_out] = a
        k_out += 1
    return bits[:k_out].copy(), valid[:k_out].copy(), idx[:k_out].copy()


def test_cylinders_equal_the_plain_cell_by_cell_formulation(enrolled, mates) -> None:
    for t in [*enrolled.values(), *mates.values()]:
        m = t.minutiae.astype(np.float64)
        hull = cv2.convexHull(m[:, :2].astype(np.float32)).reshape(-1, 2).astype(np.float64)
        bits, valid, idx = _plain_cylinders(m, hull[:, 0].copy(), hull[:, 1].copy())
        c = t.cylinders
        assert len(c.bits) > 10
        assert np.array_equal(bits, c.bits)
        assert np.array_equal(valid, c.valid)
        assert np.array_equal(m[idx][:, :3], c.minutiae)


def test_index_finds_the_mate_exhaustive_search_finds(small_index, enrolled, mates, fillers) -> None:
    g = _gallery_of(enrolled, fillers)
    for k, probe in mates.items():
        full = g.search(probe, top=1, exhaustive=True)[0]
        assert full.subject_id == f"subject-{k}"
        shortlist = g._shortlist(probe, top=1)
        assert len(shortlist) == 6 < len(g)
        best = g.search(probe, top=1)[0]
        assert best == full


def test_index_penetration_ranks_the_mate_first(small_index, enrolled, mates, fillers) -> None:
    g = _gallery_of(enrolled, fillers)
    view = g._snapshot()
    assert view.index is not None and view.cyl is None
    for k, probe in mates.items():
        p = _gallery._INDEX_PARAMS
        keys = _index.keys(probe.cylinders.bits, _gallery._RANKS, p["hashes"], p["band"], p["table_bits"])
        hits, _counts = _index.collisions(keys, view.index.offsets, view.index.postings, len(g))
        mate = view.subjects.index(f"subject-{k}")
        assert hits[mate] > 0
        assert (hits * view.index.norm > hits[mate] * view.index.norm[mate]).sum() < 6


def _index_arrays(g: Gallery) -> tuple[np.ndarray, np.ndarray, list[str]]:
    v = g._snapshot()
    return np.asarray(v.index.offsets), np.asarray(v.index.postings), list(v.subjects)


def test_add_and_remove_keep_the_index_consistent(small_index, enrolled, mates, fillers) -> None:
    g = _gallery_of(enrolled, fillers[:20])
    g.search(mates[0], top=1)  # index built
    for k, t in enumerate(fillers[20:]):
        g.add(f"late-{k}", 1 + k % 10, t)
    assert g.remove("filler-3") == 1
    assert g.remove("subject-2") == 1
    g.search(mates[1], top=1)
    assert g.remove("late-5") == 1
    # The same content enrolled at once gives the same lists.
    fresh = Gallery()
    v = g._snapshot()
    for t in range(len(v.subjects)):
        m = v.minutiae[v.offsets[t] : v.offsets[t + 1]]
        fresh.add(v.subjects[t], int(v.fingers[t]), Template(np.column_stack([m, np.ones(len(m))]), 400, 400))
    a, b = _index_arrays(g), _index_arrays(fresh)
    assert a[2] == b[2]
    assert np.array_equal(a[0], b[0])
    # Within a list the order may differ (an old list is renumbered, then new ids follow).
    for lo, hi in zip(a[0][:-1], a[0][1:], strict=True):
        if hi > lo:
            assert np.array_equal(np.sort(a[1][lo:hi]), np.sort(b[1][lo:hi]))
    assert all(c.subject_id != "subject-2" for c in g.search(mates[2], top=10))
    assert g.search(mates[3], top=1)[0].subject_id == "subject-3"


def test_falling_below_the_threshold_searches_exhaustively_again(
    small_index, enrolled, mates, fillers
) -> None:
    g = _gallery_of(enrolled, fillers[:6])
    assert g._snapshot().index is not None
    for k in range(3):
        g.remove(f"filler-{k}")
    v = g._snapshot()
    assert v.index is None and v.cyl is not None
    assert g.search(mates[4], top=1)[0].subject_id == "subject-4"


def test_save_and_load_keep_the_index(small_index, tmp_path, enrolled, mates, fillers) -> None:
    g = _gallery_of(enrolled, fillers)
    g.save(tmp_path / "g")
    loaded = Gallery.load(tmp_path / "g")
    assert isinstance(loaded._ix.postings, np.memmap)
    for probe in mates.values():
        assert loaded.search(probe, top=3) == g.search(probe, top=3)
    a, b = _index_arrays(g), _index_arrays(loaded)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    loaded.add("extra", 1, enrolled[0])
    loaded.remove("subject-0")
    assert loaded.search(mates[0], top=1)[0].subject_id == "extra"


def test_a_loaded_gallery_reads_lists_and_textures_from_its_files(
    small_index, tmp_path, enrolled, mates, fillers
) -> None:
    import dataclasses

    from matcher import _rows

    g = _gallery_of(enrolled, fillers)
    g.save(tmp_path / "g")
    loaded = Gallery.load(tmp_path / "g")
    v = loaded._snapshot()
    assert isinstance(v.index.file, _rows.RowFile) and isinstance(v.texture_file, _rows.RowFile)
    # The lists a probe looks up, read from the file, are the index's own lists.
    p = mates[0].cylinders
    params = _gallery._INDEX_PARAMS
    keys = _index.probe_keys(p.bits, _gallery._RANKS, params["hashes"], params["band"], params["table_bits"])
    local, offsets, postings = v.index.lists(keys)
    assert local.shape == keys.shape and len(postings) < len(v.index.postings)
    for k, q in zip(keys.ravel(), local.ravel(), strict=True):
        assert (k == _index.EMPTY) == (q == _index.EMPTY)
        if k != _index.EMPTY:
            want = v.index.postings[v.index.offsets[k] : v.index.offsets[k + 1]]
            assert np.array_equal(postings[offsets[q] : offsets[q + 1]], want)
    # Rows of some templates, in the order asked, with their textures read from the file.
    select = np.array([7, 2, 3, 40], np.int64)
    m, tex, off = v.rows(select)
    for i, t in enumerate(select):
        assert np.array_equal(m[off[i] : off[i + 1]], v.minutiae[v.offsets[t] : v.offsets[t + 1]])
        assert np.array_equal(tex[off[i] : off[i + 1]], v.texture[v.offsets[t] : v.offsets[t + 1]])
    # Searching through the files or through the maps finds the same, with the same scores.
    mapped = Gallery.load(tmp_path / "g")
    mapped._texture_file = None
    mapped._ix = dataclasses.replace(mapped._ix, file=None)
    for probe in mates.values():
        assert loaded.search(probe, top=5) == mapped.search(probe, top=5) == g.search(probe, top=5)
    # A change makes the arrays the gallery's own again: no file is read for them any more.
    loaded.add("extra", 1, enrolled[0])
    v2 = loaded._snapshot()
    assert v2.texture_file is None and v2.index.file is None
    assert loaded.search(mates[0], top=2)[0].subject_id in {"extra", "subject-0"}


def test_row_file_reads_runs_of_rows(tmp_path) -> None:
    import os

    from matcher._rows import RowFile

    a = np.arange(200 * 3, dtype=np.float32).reshape(200, 3)
    np.save(tmp_path / "a.npy", a)
    f = RowFile(tmp_path / "a.npy", np.load(tmp_path / "a.npy", mmap_mode="r"))
    starts = np.array([5, 9, 9, 12, 150, 0, 199])
    stops = np.array([9, 9, 12, 20, 151, 3, 200])  # adjacent, empty, out of order, the last row
    want = np.concatenate([a[lo:hi] for lo, hi in zip(starts, stops, strict=True)])
    assert np.array_equal(f.read(starts, stops), want)
    assert f.read(np.zeros(0, np.int64), np.zeros(0, np.int64)).shape == (0, 3)
    with pytest.raises(ValueError, match="outside"):
        f.read(np.array([190]), np.array([201]))
    # Replaced on disk (as save replaces files): the open file is still the one read.
    np.save(tmp_path / "b.npy", a + 1000)
    os.replace(tmp_path / "b.npy", tmp_path / "a.npy")
    assert np.array_equal(f.read(np.array([10]), np.array([12])), a[10:12])


def test_an_old_gallery_folder_gets_a_clear_error(tmp_path) -> None:
    (tmp_path / "gallery.json").write_text(json.dumps({"format": "booking-station-gallery/1", "words": 24}))
    with pytest.raises(ValueError, match="enrol the templates again"):
        Gallery.load(tmp_path)


def test_a_damaged_gallery_folder_gets_a_clear_error(small_index, tmp_path, enrolled, fillers) -> None:
    g = _gallery_of(enrolled, fillers)
    g.save(tmp_path / "g")
    (tmp_path / "g" / "index_postings.npy").write_bytes(b"\x93NUMPY garbage")
    with pytest.raises(ValueError, match="missing or damaged"):
        Gallery.load(tmp_path / "g")
    g.save(tmp_path / "h")
    m = np.load(tmp_path / "h" / "minutiae.npy")
    np.save(tmp_path / "h" / "minutiae.npy", m[:-5])
    with pytest.raises(ValueError, match="truncated"):
        Gallery.load(tmp_path / "h")
    (tmp_path / "h" / "offsets.npy").unlink()
    with pytest.raises(ValueError, match="missing or damaged"):
        Gallery.load(tmp_path / "h")


def test_a_wrong_finger_is_rejected_by_an_indexed_gallery(small_index, enrolled, mates, fillers) -> None:
    g = _gallery_of(enrolled, fillers)
    with pytest.raises(ValueError, match="finger"):
        g.add("x", 0, enrolled[0])
    with pytest.raises(ValueError, match="finger"):
        g.search_tenprint({12: mates[0]})


def test_derived_fillers_differ_from_their_sources(enrolled) -> None:
    rng = np.random.default_rng(0)
    a, b = enrolled[1], enrolled[2]
    d = _fillers.derive(a, b, rng)
    assert 0.7 * len(a) <= len(d) <= 1.4 * len(a)
    assert not np.array_equal(d.minutiae[: len(a)], a.minutiae[: len(d)])
    again = _fillers.derive(a, b, np.random.default_rng(0))
    assert again == d


def test_any_filler_is_made_alone_as_the_whole_sequence_makes_it(enrolled) -> None:
    """A cluster's shards each derive their own fillers: filler k must not depend on the ones
    made before it, so a shard making only its own gets the one-process gallery's templates."""
    distinct = [enrolled[k] for k in (1, 2, 3, 4)]
    every = list(_fillers.fillers(30, distinct, seed=5))
    assert every[:4] == distinct
    for k in (29, 4, 17):  # out of order, alone
        assert _fillers.filler(k, distinct, seed=5) == every[k]
    assert _fillers.filler(17, distinct, seed=6) != every[17]
    assert len({t.minutiae.tobytes() for t in every}) == 30


def test_derived_fillers_keep_the_descriptors_of_the_minutiae_they_keep(enrolled) -> None:
    """A gallery of fillers without texture would score every filler pair with the neutral weight,
    unlike real enrolled prints; each kept minutia brings its own descriptor, spurious ones none."""
    a, b = enrolled[1], enrolled[2]
    d = _fillers.derive(a, b, np.random.default_rng(0))
    sources = {row.tobytes() for t in (a, b) for row in t.texture}
    described = [row for row in d.texture if (row != 0xFF).any()]
    assert len(described) >= 0.5 * len(d)
    assert all(row.tobytes() in sources for row in described)


def _consensus_of(probe: np.ndarray, template: np.ndarray, pairs: list[tuple[int, int]]) -> float:
    """The geometric check of one template whose collisions with the probe are `pairs` (i, j):
    each pair gets a bucket of its own, holding one posting (template 0, minutia j)."""
    keys = np.full((len(probe), len(pairs)), _index.EMPTY, np.uint32)
    for b, (i, _j) in enumerate(pairs):
        keys[i, b] = b
    offsets = np.arange(len(pairs) + 1, dtype=np.int64)
    postings = np.array([j for _i, j in pairs], np.uint32)  # template 0 << 8 | j
    # One template: every list is as long as the gallery, so it is counted but not weighted.
    counts = _index.collisions(keys, offsets, postings, 1)[1]
    assert counts[0] == len(pairs)
    return float(
        _index.consensus(
            keys,
            probe.astype(np.float64),
            offsets,
            postings,
            np.array([0], np.int64),
            template.astype(np.float32),
            np.array([0, len(template)], np.int64),
            1,
            counts,
        )[0]
    )


def test_consensus_counts_pairs_that_agree_as_mcc_pairs_do() -> None:
    probe = np.array([[100, 100, 0.0], [160, 100, 0.0], [100, 180, 1.0]])
    # A rotated and shifted copy: every pair agrees with every other.
    a = 0.7
    c, s = math.cos(a), math.sin(a)
    mate = np.array([[c * x - s * y + 30, s * x + c * y - 20, t + a] for x, y, t in probe])
    assert _consensus_of(probe, mate, [(0, 0), (1, 1), (2, 2)]) == 3
    # Same distance from the anchor and the same rotation, but on the wrong side of it (the line
    # to it makes another angle with the anchor's direction): no agreement.
    wrong_side = np.array([[100, 100, 0.0], [100, 160, 0.0]])
    assert _consensus_of(probe, wrong_side, [(0, 0), (1, 1)]) == 1
    # A probe minutia that collides with two template minutiae at one spot counts once.
    twice = np.array([[100, 100, 0.0], [160, 100, 0.0], [162, 101, 0.05]])
    assert _consensus_of(probe, twice, [(0, 0), (1, 1), (1, 2)]) == 2


def test_probe_keys_are_the_index_keys_plus_multiprobe_buckets(mates) -> None:
    p = _gallery._INDEX_PARAMS
    for probe in list(mates.values())[:3]:
        bits = probe.cylinders.bits
        exact = _index.keys(bits, _gallery._RANKS, p["hashes"], p["band"], p["table_bits"])
        multi = _index.probe_keys(bits, _gallery._RANKS, p["hashes"], p["band"], p["table_bits"])
        assert multi.shape == (len(bits), p["hashes"] * (1 + p["band"]))
        assert np.array_equal(multi[:, : p["hashes"]], exact)
        extra = multi[:, p["hashes"] :]
        assert (extra != _index.EMPTY).mean() > 0.9
        # Each multi-probe bucket belongs to its hash function's table and differs from the exact one.
        lh = np.broadcast_to(np.repeat(np.arange(p["hashes"]), p["band"]), extra.shape)
        filled = extra != _index.EMPTY
        assert np.array_equal((extra >> np.uint32(p["table_bits"]))[filled], lh[filled])
        assert not (extra == np.repeat(exact, p["band"], axis=1))[filled].any()
