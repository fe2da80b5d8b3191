"""1:N search over a gallery stored as compact minutiae, with an MCC-LSH index for large galleries.

Every template is kept as its minutiae (x, y, angle as float32) in one contiguous array, and
their texture descriptors (matcher._texture, 38 bytes each) in another; template t owns rows
offsets[t]:offsets[t+1] of both. Bit cylinders (~30 kB a rolled template) are not stored:
- a small gallery (fewer than INDEX_MIN templates) keeps them in memory, built once per template,
  and every search scores all templates with the full LSS-R (exact);
- a large gallery keeps an MCC-LSH index (matcher._index: inverted lists of template ids per
  hash bucket). A search ranks templates by their collisions with the probe's cylinders and
  scores only the best `shortlist_size(n)` with the full LSS-R, rebuilding their cylinders from
  minutiae; the shortlist grows as √n, so the work per probe is sublinear.
A saved gallery is a folder of .npy files; minutiae, textures and the index's postings load
memory-mapped, and a search reads the postings and textures it needs with pread (matcher._rows)
rather than through the maps, so its resident memory does not grow with the probes searched.
Saved with a `sealer` (booking_station.envelope.Sealer: the backend's galleries, biometric data at
rest), every file, gallery.json with the subjects included, is sealed with AES-256-GCM in chunks as
it is written, and loading opens them into memory (no file map: nothing readable is on disk).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from matcher import _index, _mcc, _parts, _texture
from matcher._parts import shortlist_size  # noqa: F401 - part of this module's face for the benches
from matcher._rows import RowFile
from matcher._template import Template

if TYPE_CHECKING:
    from booking_station.envelope import Sealer

_FORMAT = "booking-station-gallery/3"  # 3: texture.npy
# Galleries at least this large are searched through the index; smaller ones exhaustively.
INDEX_MIN = 5000
_AUTO_FLUSH = 65536  # pending additions gathered into the arrays at this count
_HASH_CHUNK = 8192  # templates hashed per step when the index is (re)built
# MCC-LSH parameters (matcher._index): L hash functions, each a band of K MinHashes over the
# cells within RADIUS·R; 2^TABLE_BITS buckets per function. Chosen on synthetic galleries of
# 10 000–20 000 (docs/benchmarks.md): K = 3 keeps lists short, L = 12 bounds the index at
# ~1 000 postings (4 kB) per rolled template, inner cells avoid the often-invalid rim.
_INDEX_PARAMS = {"hashes": 12, "band": 3, "radius": 0.9, "table_bits": 20, "seed": 5}
# Collision scores are divided by (minutiae)^this: a template with more cylinders has more chances.
_LENGTH_EXP = 0.5


@dataclass(frozen=True)
class Candidate:
    subject_id: str
    finger: int
    score: float


@dataclass(frozen=True)
class TenprintCandidate:
    subject_id: str
    score: float
    finger_scores: dict[int, float]


def _check_finger(finger: int) -> int:
    if not isinstance(finger, int | np.integer) or not 1 <= int(finger) <= 10:
        raise ValueError(f"finger must be an ANSI/NIST finger position 1–10, got {finger!r}")
    return int(finger)


def _ranks(params: dict) -> np.ndarray:
    return _index.permutations(params["hashes"], params["band"], params["radius"], params["seed"])


@dataclass(frozen=True)
class _Cylinders:
    """Stacked cylinders of every template of a small gallery (rows offsets[t]:offsets[t+1])."""

    bits: np.ndarray
    valid: np.ndarray
    centres: np.ndarray
    texture: np.ndarray
    offsets: np.ndarray


@dataclass(frozen=True)
class _Index:
    offsets: np.ndarray  # int64, one per bucket + 1
    postings: np.ndarray  # uint32: template id << 8 | minutia number
    norm: np.ndarray  # float32 per template: 1 / minutiae^_LENGTH_EXP
    file: RowFile | None = None  # the postings' file, when loaded: searches read it, not the map

    def lists(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(keys, offsets, postings) holding the inverted lists that `keys` look up.

        In memory: the index itself. Loaded: only those lists, read from the file into a buffer
        of this search (keys renumbered to them), so the map's pages are never touched.
        """
        if self.file is None:
            return keys, self.offsets, self.postings
        flat = keys.ravel()
        used = flat != _index.EMPTY
        buckets, local = np.unique(flat[used], return_inverse=True)
        starts, stops = self.offsets[buckets], self.offsets[buckets + 1]
        offsets = np.zeros(len(buckets) + 1, np.int64)
        np.cumsum(stops - starts, out=offsets[1:])
        renumbered = np.full(flat.shape, _index.EMPTY, np.uint32)
        renumbered[used] = local
        return renumbered.reshape(keys.shape), offsets, self.file.read(starts, stops)


@dataclass(frozen=True)
class _View:
    """One consistent state of a gallery's arrays, searched without holding its lock."""

    minutiae: np.ndarray
    texture: np.ndarray
    offsets: np.ndarray
    fingers: np.ndarray
    subjects: list[str]
    cyl: _Cylinders | None  # small galleries
    index: _Index | None  # large galleries
    texture_file: RowFile | None  # the textures' file, when loaded and unchanged since

    def rows(self, select: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(minutiae, texture, offsets) of templates `select` only, in that order, copied out."""
        starts, stops = self.offsets[select], self.offsets[select + 1]
        offsets = np.zeros(len(select) + 1, np.int64)
        np.cumsum(stops - starts, out=offsets[1:])
        rows = np.repeat(starts - offsets[:-1], stops - starts) + np.arange(offsets[-1])
        minutiae = np.ascontiguousarray(self.minutiae[rows])
        if self.texture_file is not None:
            texture = self.texture_file.read(starts, stops)
        else:
            texture = np.ascontiguousarray(self.texture[rows])
        return minutiae, texture, offsets

    def scores(self, probe: Template, select: np.ndarray) -> np.ndarray:
        p = probe.cylinders
        if self.cyl is not None:
            c = self.cyl
            return _mcc.score_many(
                p.bits,
                p.valid,
                p.minutiae,
                p.texture,
                c.bits,
                c.valid,
                c.centres,
                c.texture,
                c.offsets,
                select,
            )
        minutiae, texture, offsets = self.rows(select)
        local = np.arange(len(select), dtype=np.int64)
        return _index.rebuild_and_score(
            p.bits, p.valid, p.minutiae, p.texture, minutiae, texture, offsets, local
        )

    def lookup(self, probe: Template, keys: np.ndarray | None = None) -> tuple[np.ndarray, tuple]:
        """The probe's hash keys (`probe_keys`, unless given: computed once for all the parts of a
        gallery), and the (keys, offsets, postings) of the inverted lists they look up."""
        assert self.index is not None
        keys = probe_keys(probe) if keys is None else keys
        return keys, self.index.lists(keys)

    def names(self, select: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What ties between templates are settled by (matcher._parts): subject id, finger, and
        their order in the gallery."""
        subjects = np.array([self.subjects[i] for i in select], dtype=str)
        return subjects, self.fingers[select], np.asarray(select, np.int64)


_RANKS = _ranks(_INDEX_PARAMS)


def probe_keys(probe: Template) -> np.ndarray:
    """The buckets a probe looks up in the index (multi-probe: each band also with one MinHash
    replaced by the second smallest, since mates of small probes collided in too few exact
    buckets). They depend on the probe alone: the same in every part of a gallery."""
    p = _INDEX_PARAMS
    return _index.probe_keys(probe.cylinders.bits, _RANKS, p["hashes"], p["band"], p["table_bits"])


class _Shortlisted(Exception):
    """Ends a search at its score stage (`Gallery._shortlist`: the shortlist, not the scores)."""


_CYLINDER_ARRAYS = ("bits", "valid", "centres", "texture", "offsets")  # fields of _Cylinders


class Gallery:
    """Templates of enrolled subjects, searchable 1:N (single finger) and by tenprint fusion.

    Searches may run on several threads at once (the kernels release the GIL); changes are
    serialised with the searches' lazy bookkeeping by one lock.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._subjects: list[str] = []
        self._fingers = np.zeros(0, np.int8)
        self._minutiae = np.zeros((0, 3), np.float32)
        self._texture = np.zeros((0, _texture.BYTES), np.uint8)
        self._offsets = np.zeros(1, np.int64)
        self._texture_file: RowFile | None = None  # the file _texture maps, while it is unchanged
        self._pending: list[tuple[str, int, np.ndarray, np.ndarray]] = []
        self._cyl: _Cylinders | None = None  # cylinders of the first _cyl_n templates (small galleries)
        self._cyl_n = 0
        self._ix: _Index | None = None  # index of the first _ix_n templates (large galleries)
        self._ix_n = 0
        # Searched through the index or not: by its own size (None), or as the whole gallery of
        # which it is a part (a shard, matcher._parts) is, whatever its own size.
        self._indexed: bool | None = None

    # --- content --------------------------------------------------------------------------
    def add(self, subject_id: str, finger: int, template: Template) -> None:
        if not isinstance(subject_id, str) or not subject_id:
            raise ValueError("subject_id must be a non-empty string")
        if not isinstance(template, Template):
            raise TypeError(f"template must be a Template, got {type(template).__name__}")
        m = np.ascontiguousarray(template.minutiae[:, :3])
        entry = (subject_id, _check_finger(finger), m, template.texture)
        with self._lock:
            self._pending.append(entry)
            if len(self._pending) >= _AUTO_FLUSH:
                self._flush_locked()

    def remove(self, subject_id: str) -> int:
        """Remove every template of a subject; returns how many were removed."""
        with self._lock:
            return self._remove_locked(subject_id)

    def _remove_locked(self, subject_id: str) -> int:
        self._flush_locked()
        drop = np.array([s == subject_id for s in self._subjects], dtype=bool)
        n = int(drop.sum())
        if n == 0:
            return 0
        keep_t = ~drop
        counts = np.diff(self._offsets)
        rows_m = np.repeat(keep_t, counts)
        self._minutiae = np.ascontiguousarray(self._minutiae[rows_m])
        self._texture = np.ascontiguousarray(self._texture[rows_m])
        self._texture_file = None
        self._offsets = np.concatenate([[0], np.cumsum(counts[keep_t])]).astype(np.int64)
        self._fingers = self._fingers[keep_t].copy()
        self._subjects = [s for s, k in zip(self._subjects, keep_t, strict=True) if k]
        if self._cyl is not None:
            c = self._cyl
            kept = keep_t[: self._cyl_n]
            rows = np.repeat(kept, np.diff(c.offsets))
            self._cyl = _Cylinders(
                np.ascontiguousarray(c.bits[rows]),
                np.ascontiguousarray(c.valid[rows]),
                np.ascontiguousarray(c.centres[rows]),
                np.ascontiguousarray(c.texture[rows]),
                np.concatenate([[0], np.cumsum(np.diff(c.offsets)[kept])]).astype(np.int64),
            )
            self._cyl_n = int(kept.sum())
        if self._ix is not None:
            # Renumber the surviving postings; indexed templates stay a prefix.
            remap = np.full(len(keep_t), -1, np.int32)
            remap[keep_t] = np.arange(int(keep_t.sum()), dtype=np.int32)
            first_new = int(keep_t[: self._ix_n].sum())
            self._ix = self._build_index(self._ix, remap, first_new)
            self._ix_n = len(self._subjects)
        return n

    def __len__(self) -> int:
        with self._lock:  # a flush moves the pending into the arrays: never count it half-way
            return len(self._subjects) + len(self._pending)

    def len(self) -> int:  # the contract spells it as a method too
        return len(self)

    def subjects(self) -> set[str]:
        self._flush()
        return set(self._subjects)

    def _flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if not self._pending:
            return
        pend = self._pending
        self._pending = []
        counts = np.array([len(m) for _s, _f, m, _t in pend], np.int64)
        self._minutiae = np.concatenate([self._minutiae] + [m for _s, _f, m, _t in pend]).astype(np.float32)
        self._texture = np.concatenate([self._texture] + [t for _s, _f, _m, t in pend])
        self._texture_file = None
        self._offsets = np.concatenate([self._offsets, self._offsets[-1] + np.cumsum(counts)])
        self._fingers = np.concatenate([self._fingers, np.array([f for _s, f, _m, _t in pend], np.int8)])
        # A new list, never extended in place: searches in progress hold the old one (their _View).
        self._subjects = [*self._subjects, *(s for s, _f, _m, _t in pend)]

    # --- derived structures ---------------------------------------------------------------
    def _update_cylinders_locked(self) -> None:
        """Extend the small gallery's cylinders to its newest templates."""
        n = len(self._subjects)
        if self._cyl is None:
            self._cyl = _Cylinders(
                np.zeros((0, _mcc.WORDS), np.uint64),
                np.zeros((0, _mcc.WORDS), np.uint64),
                np.zeros((0, 3)),
                np.zeros((0, _texture.BYTES), np.uint8),
                np.zeros(1, np.int64),
            )
            self._cyl_n = 0
        if self._cyl_n == n:
            return
        bits, valid, centres, tex, off = _index.cylinders_many(
            self._minutiae, self._texture, self._offsets, np.arange(self._cyl_n, n, dtype=np.int64)
        )
        c = self._cyl
        self._cyl = _Cylinders(
            np.concatenate([c.bits, bits]),
            np.concatenate([c.valid, valid]),
            np.concatenate([c.centres, centres]),
            np.concatenate([c.texture, tex]),
            np.concatenate([c.offsets, c.offsets[-1] + off[1:]]),
        )
        self._cyl_n = n

    def _build_index(self, old: _Index | None, remap: np.ndarray, first_new: int) -> _Index:
        """Inverted lists of the old index (renumbered by remap) plus templates first_new… .

        Keys of the new templates are spilled to a temporary folder between the counting and the
        filling pass, so a million templates' keys and postings are never in memory together.
        """
        p = _INDEX_PARAMS
        n = len(self._subjects)
        if n > _index.MAX_TEMPLATES:
            raise ValueError(f"the index holds at most {_index.MAX_TEMPLATES} templates, not {n}")
        n_buckets = p["hashes"] << p["table_bits"]
        count = np.zeros(n_buckets + 1, np.int64)
        if old is not None:
            _index.count_old(count, old.offsets, old.postings, remap)
        with tempfile.TemporaryDirectory(prefix="gallery-keys-") as tmp:
            chunks = []
            for lo in range(first_new, n, _HASH_CHUNK):
                hi = min(n, lo + _HASH_CHUNK)
                keys = _index.template_keys(
                    self._minutiae, self._offsets, lo, hi, _RANKS, p["hashes"], p["band"], p["table_bits"]
                )
                _index.count_new(count, keys)
                path = Path(tmp) / f"{lo}.npy"
                np.save(path, keys)
                chunks.append((lo, path))
                del keys
            offsets = np.cumsum(count)
            postings = np.empty(int(offsets[-1]), np.uint32)
            fill = offsets[:-1].copy()
            if old is not None:
                _index.fill_old(fill, postings, old.offsets, old.postings, remap)
            for lo, path in chunks:
                _index.fill_new(fill, postings, np.load(path), lo, p["hashes"])
        norm = (1.0 / np.maximum(np.diff(self._offsets), 1) ** _LENGTH_EXP).astype(np.float32)
        return _Index(offsets, postings, norm)

    def _update_index_locked(self) -> None:
        n = len(self._subjects)
        if self._ix is not None and self._ix_n == n:
            return
        identity = np.arange(self._ix_n, dtype=np.int32)
        self._ix = self._build_index(self._ix, identity, self._ix_n)
        self._ix_n = n

    # --- search ---------------------------------------------------------------------------
    def _snapshot(self, indexed: bool | None = None) -> _View:
        """The arrays of this moment: a search keeps working on them if another thread changes the gallery.

        `indexed` (kept for later snapshots and `save`): with the index or the small gallery's
        cylinders whatever the size, as the whole gallery this one is a part of is searched."""
        with self._lock:
            self._flush_locked()
            if indexed is not None:
                self._indexed = indexed
            if self._indexed if self._indexed is not None else len(self._subjects) >= INDEX_MIN:
                self._cyl, self._cyl_n = None, 0
                self._update_index_locked()
            else:
                self._ix, self._ix_n = None, 0
                self._update_cylinders_locked()
            return _View(
                self._minutiae,
                self._texture,
                self._offsets,
                self._fingers,
                self._subjects,
                self._cyl,
                self._ix,
                self._texture_file,
            )

    def search(self, probe: Template, top: int = 10, *, exhaustive: bool = False) -> list[Candidate]:
        """The `top` best-scoring templates, best first (ties: lower subject id, finger, then
        the earlier enrolled).

        Large galleries (INDEX_MIN templates or more) are searched through the index unless
        `exhaustive`; only its shortlist gets the full score, so a mate the index ranks below
        the shortlist is not returned.
        """
        if top <= 0:
            return []
        found = self._run([(probe, None)], top, tenprint=False, exhaustive=exhaustive).found
        return [Candidate(sid, finger, score) for sid, finger, score in found]

    def search_tenprint(self, probes: Mapping[int, Template], top: int = 10) -> list[TenprintCandidate]:
        """Subjects ranked by the mean, over the probe fingers, of their same-finger scores (ties:
        lower subject id first).

        A finger the subject has no template for counts as 0, so a subject enrolled with fewer
        fingers cannot outrank one that matches on all of them. In large galleries each finger is
        searched through the index like `search`; a template left out of a finger's shortlist
        counts as 0 there.
        """
        probes = {_check_finger(f): t for f, t in probes.items()}
        if not probes or top <= 0:
            return []
        found = self._run([(t, f) for f, t in probes.items()], top, tenprint=True).found
        return [TenprintCandidate(sid, score, fs) for sid, score, fs in found]

    def _run(self, queries: list, top: int, *, tenprint: bool, exhaustive: bool = False,
             record: list | None = None) -> _parts.Outcome:  # fmt: skip
        """The stages of matcher._parts over this gallery as its one part. `record`: collect what
        the score stage would be asked and stop there (`_Shortlisted`)."""
        part = _parts.Part(self)

        def fan(stage: str, args: list[tuple]) -> list:
            if stage == "score" and record is not None:
                record.append(args[0][1])  # what would be scored; the full scores are skipped
                part.forget(args[0][0])
                raise _Shortlisted
            return [getattr(part, stage)(*args[0])]

        n = len(self)
        if n == 0:
            return _parts.Outcome([], 0)
        indexed = self._indexed if self._indexed is not None else n >= INDEX_MIN
        return _parts.run(fan, 1, queries, top, tenprint=tenprint, indexed=indexed, exhaustive=exhaustive)

    def _shortlist(self, probe: Template, top: int) -> np.ndarray:
        """The templates a search of `probe` gives the full score (positions, in gallery order)."""
        asks: list = []
        with contextlib.suppress(_Shortlisted):
            self._run([(probe, None)], top, tenprint=False, record=asks)
        chosen = asks[0][0] if asks else np.zeros(0, np.int64)
        return np.arange(len(self), dtype=np.int64) if chosen is None else chosen

    def _nbytes(self) -> int:
        """Bytes of the stored arrays (minutiae, textures, offsets, index or small-gallery cylinders)."""
        v = self._snapshot()
        total = v.minutiae.nbytes + v.texture.nbytes + v.offsets.nbytes + v.fingers.nbytes
        if v.index is not None:
            total += v.index.offsets.nbytes + v.index.postings.nbytes + v.index.norm.nbytes
        if v.cyl is not None:
            total += v.cyl.bits.nbytes + v.cyl.valid.nbytes + v.cyl.centres.nbytes + v.cyl.texture.nbytes
        return total

    # --- persistence ----------------------------------------------------------------------
    def save(self, path: str | Path, sealer: Sealer | None = None, *, cylinders: bool = False) -> None:
        """Write the gallery as a folder of arrays (created or replaced), sealed when a `sealer` is given.

        Each file is written beside its final name and renamed into place, so a gallery loaded
        (memory-mapped) from the same folder stays valid, and a crash leaves whole files. The
        index of a large gallery is saved with it. Sealed files are bound to their name and to
        this save (an id in gallery.json), so files of two galleries cannot be mixed.

        `cylinders`: a gallery searched without the index also keeps its cylinders (~50 kB a
        template, 13 times its minutiae), so loading it does not build them again (~5 ms a
        template on this machine's two cores): what a restarted shard actor waits for.

        A gallery too large to hold in memory with its index (a million rolled templates) is
        better written by `matcher._gallery_writer.write`, which makes this folder (sealed or
        not, without cylinders) from an iterator of enrolments, a block at a time.
        """
        v = self._snapshot()
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        save_id = os.urandom(8).hex() if sealer is not None else None
        arrays = {"minutiae": v.minutiae, "texture": v.texture, "offsets": v.offsets, "fingers": v.fingers}
        if v.index is not None:
            arrays.update({"index_offsets": v.index.offsets, "index_postings": v.index.postings})
        with_cylinders = cylinders and v.cyl is not None
        if with_cylinders:
            assert v.cyl is not None
            arrays.update({f"cylinder_{name}": getattr(v.cyl, name) for name in _CYLINDER_ARRAYS})
        for name, array in arrays.items():
            tmp = folder / f"{name}.npy.tmp"
            if sealer is None:
                with open(tmp, "wb") as fh:
                    np.save(fh, np.asarray(array))
            else:
                with sealer.file_writer(tmp, _context(name, save_id)) as sealed:
                    np.save(sealed, np.asarray(array))  # type: ignore[arg-type]
            os.replace(tmp, folder / f"{name}.npy")
        if v.index is None:
            for name in ("index_offsets", "index_postings"):
                (folder / f"{name}.npy").unlink(missing_ok=True)
        if not with_cylinders:
            for name in _CYLINDER_ARRAYS:
                (folder / f"cylinder_{name}.npy").unlink(missing_ok=True)
        meta = folder / "gallery.json.tmp"
        text = json.dumps(
            {
                "format": _FORMAT,
                "subjects": v.subjects,
                "index": _INDEX_PARAMS if v.index is not None else None,
                "cylinders": with_cylinders,
                "sealed": save_id,
            }
        ).encode()
        if sealer is None:
            meta.write_bytes(text)
        else:
            with sealer.file_writer(meta, _context("gallery.json", None)) as sealed:
                sealed.write(text)
        os.replace(meta, folder / "gallery.json")

    @classmethod
    def load(cls, path: str | Path, sealer: Sealer | None = None) -> Gallery:
        """Open a saved gallery; minutiae, textures and index postings are memory-mapped read-only,
        or, with a `sealer`, opened into memory (a gallery in clear is then refused, as is a file
        altered or sealed with another key: ValueError naming the file).

        Additions and removals after loading are made in memory; `save` writes them back.
        """
        folder = Path(path)
        meta_file = folder / "gallery.json"
        if not meta_file.is_file():
            raise ValueError(f"{folder} is not a saved gallery (no gallery.json)")
        from booking_station.envelope import KeyProblem

        raw: bytes | bytearray = b""
        try:
            if sealer is None:
                raw = meta_file.read_bytes()
            else:
                raw = sealer.read_file(meta_file, _context("gallery.json", None))
            meta = json.loads(raw)
        except KeyProblem as exc:
            raise ValueError(str(exc)) from None
        except (OSError, ValueError) as exc:
            if raw[:4] == b"BSF1":
                raise ValueError(
                    f"{meta_file} is sealed: it opens only with the key it was sealed with"
                ) from None
            raise ValueError(f"{folder}: gallery.json is unreadable ({exc})") from exc
        fmt = meta.get("format") if isinstance(meta, dict) else None
        if fmt != _FORMAT:
            raise ValueError(
                f"{folder}: gallery format {fmt!r} is not {_FORMAT!r} "
                "(saved by another version of the matcher: enrol the templates again)"
            )
        save_id = meta.get("sealed")

        def array(name: str, mapped: bool) -> np.ndarray:
            if sealer is None:
                return np.load(folder / f"{name}.npy", mmap_mode="r" if mapped else None)
            return _npy_from_buffer(sealer.read_file(folder / f"{name}.npy", _context(name, save_id)))

        g = cls()
        try:
            g._minutiae = array("minutiae", True)
            g._texture = array("texture", True)
            g._texture_file = RowFile(folder / "texture.npy", g._texture) if sealer is None else None
            g._offsets = array("offsets", False)
            g._fingers = array("fingers", False)
            g._subjects = list(meta["subjects"])
            if meta.get("index") == _INDEX_PARAMS:
                ix_off = array("index_offsets", False)
                postings = array("index_postings", True)
                g._ix = _Index(
                    ix_off,
                    postings,
                    np.zeros(0, np.float32),
                    RowFile(folder / "index_postings.npy", postings) if sealer is None else None,
                )
                g._ix_n = len(g._subjects)
            if meta.get("cylinders") and g._ix is None:
                loaded = {name: array(f"cylinder_{name}", name != "offsets") for name in _CYLINDER_ARRAYS}
                g._cyl, g._cyl_n = _Cylinders(**loaded), len(g._subjects)
        except KeyProblem as exc:
            raise ValueError(str(exc)) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{folder}: gallery files are missing or damaged ({exc})") from exc
        n = len(g._subjects)
        if len(g._fingers) != n or len(g._offsets) != n + 1:
            raise ValueError(f"{folder}: gallery files disagree on the number of templates")
        if g._minutiae.ndim != 2 or g._minutiae.shape[1] != 3 or int(g._offsets[-1]) != len(g._minutiae):
            raise ValueError(f"{folder}: gallery minutiae are truncated")
        if g._texture.shape != (len(g._minutiae), _texture.BYTES) or g._texture.dtype != np.uint8:
            raise ValueError(f"{folder}: gallery textures are truncated")
        if np.any(np.diff(g._offsets) < 0) or not np.isin(g._fingers, np.arange(1, 11)).all():
            raise ValueError(f"{folder}: gallery offsets or fingers are damaged")
        if g._ix is not None:
            ix = g._ix
            n_buckets = _INDEX_PARAMS["hashes"] << _INDEX_PARAMS["table_bits"]
            if len(ix.offsets) != n_buckets + 1 or int(ix.offsets[-1]) != len(ix.postings):
                raise ValueError(f"{folder}: gallery index is truncated")
            norm = (1.0 / np.maximum(np.diff(g._offsets), 1) ** _LENGTH_EXP).astype(np.float32)
            g._ix = _Index(ix.offsets, ix.postings, norm, ix.file)
        if g._cyl is not None:
            _check_cylinders(folder, g._cyl, g._offsets)
        return g


def _check_cylinders(folder: Path, c: _Cylinders, offsets: np.ndarray) -> None:
    """Saved cylinders must be those of the saved templates: one row set per template, at most one
    cylinder per minutia, arrays of one length (a damaged file is refused, never searched)."""
    n, rows = len(offsets) - 1, len(c.bits)
    shapes_ok = (
        c.offsets.shape == (n + 1,)
        and c.bits.shape == c.valid.shape == (rows, _mcc.WORDS)
        and c.bits.dtype == c.valid.dtype == np.uint64
        and c.centres.shape == (rows, 3)
        and c.texture.shape == (rows, _texture.BYTES)
    )
    if not shapes_ok or int(c.offsets[0]) != 0 or int(c.offsets[-1]) != rows:
        raise ValueError(f"{folder}: gallery cylinders are truncated or damaged")
    per_template = np.diff(c.offsets)
    if np.any(per_template < 0) or np.any(per_template > np.diff(offsets)):
        raise ValueError(f"{folder}: gallery cylinders do not belong to its templates")


def _context(name: str, save_id: str | None) -> bytes:
    return f"booking-station gallery/{name}/{save_id or ''}".encode()


def _npy_from_buffer(buffer: bytearray) -> np.ndarray:
    """The array an .npy file's bytes hold, as a view of them (not a copy)."""
    import io

    head = io.BytesIO(bytes(buffer[:4096]))
    fmt = np.lib.format
    version = fmt.read_magic(head)
    read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
    shape, fortran, dtype = read(head)
    if dtype.hasobject:
        raise ValueError("a gallery array holds no Python objects")
    count = int(np.prod(shape, dtype=np.int64))
    array = np.frombuffer(buffer, dtype=dtype, count=count, offset=head.tell())
    return array.reshape(shape, order="F" if fortran else "C")
