"""1:N search over a gallery of templates held in contiguous cylinder arrays.

Cylinders of every template are stacked into one (M, WORDS) array pair; template t owns rows
offsets[t]:offsets[t+1]. A saved gallery is a folder of .npy files that loads memory-mapped, so a
large gallery costs page cache, not resident memory, until it is searched.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matcher import _mcc
from matcher._template import Cylinders, Template

_FORMAT = "booking-station-gallery/1"
# Galleries at least this large are searched in two stages: a cheap pre-filter over everything,
# then the full LSS-R score on a shortlist.
PREFILTER_MIN = 5000
_SHORTLIST_FRACTION = 0.01
_SHORTLIST_MIN = 200
_PREFILTER_CYLINDERS = 16  # probe cylinders used by the pre-filter (the richest ones)
_PREFILTER_GALLERY_CYLINDERS = 40  # cylinders per gallery template the pre-filter compares with
_PREFILTER_BEST = 8


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


def _richest(bits: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the k cylinders with most set bits of every template, and their offsets."""
    ones = np.zeros(len(bits), np.int64)
    for w in range(bits.shape[1]):  # popcount column by column keeps memory flat
        ones += np.unpackbits(np.ascontiguousarray(bits[:, w]).view(np.uint8).reshape(-1, 8), axis=1).sum(
            axis=1, dtype=np.int64
        )
    rows = []
    counts = np.zeros(len(offsets) - 1, np.int64)
    for t in range(len(offsets) - 1):
        lo, hi = int(offsets[t]), int(offsets[t + 1])
        top = lo + np.sort(np.argsort(-ones[lo:hi], kind="stable")[:k])
        rows.append(top)
        counts[t] = len(top)
    flat = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    return flat.astype(np.int64), np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def _check_finger(finger: int) -> int:
    if not isinstance(finger, int | np.integer) or not 1 <= int(finger) <= 10:
        raise ValueError(f"finger must be an ANSI/NIST finger position 1–10, got {finger!r}")
    return int(finger)


@dataclass(frozen=True)
class _View:
    """One consistent state of a gallery's arrays, searched without holding its lock."""

    bits: np.ndarray
    valid: np.ndarray
    minutiae: np.ndarray
    offsets: np.ndarray
    fingers: np.ndarray
    subjects: list[str]
    pre: tuple[np.ndarray, np.ndarray] | None

    def scores(self, probe: Template, select: np.ndarray) -> np.ndarray:
        p = probe.cylinders
        return _mcc.score_many(
            p.bits, p.valid, p.minutiae, self.bits, self.valid, self.minutiae, self.offsets, select
        )

    def shortlist(self, probe: Template, top: int, among: np.ndarray | None = None) -> np.ndarray:
        """Indices of the templates (of `among`, default all) worth a full comparison.

        All of them below PREFILTER_MIN, otherwise the pre-filter's best.
        """
        among = np.arange(len(self.subjects), dtype=np.int64) if among is None else among
        n = len(among)
        if n < PREFILTER_MIN:
            return among
        p = probe.cylinders
        if len(p.bits) == 0:
            return np.zeros(0, np.int64)
        pick = _richest(p.bits, np.array([0, len(p.bits)]), _PREFILTER_CYLINDERS)[0]
        pre_rows = (
            self.pre
            if self.pre is not None
            else _richest(self.bits, self.offsets, _PREFILTER_GALLERY_CYLINDERS)
        )
        rows, row_offsets = pre_rows
        pre = _mcc.prefilter_many(
            np.ascontiguousarray(p.bits[pick]),
            np.ascontiguousarray(p.valid[pick]),
            np.ascontiguousarray(p.minutiae[pick]),
            self.bits,
            self.valid,
            self.minutiae,
            rows,
            row_offsets,
            among,
            _PREFILTER_BEST,
        )
        keep = min(n, max(top, _SHORTLIST_MIN, int(np.ceil(_SHORTLIST_FRACTION * n))))
        return np.sort(among[np.argpartition(-pre, keep - 1)[:keep]]).astype(np.int64)


class Gallery:
    """Templates of enrolled subjects, searchable 1:N (single finger) and by tenprint fusion.

    Searches may run on several threads at once (the kernels release the GIL); changes are
    serialised with the searches' lazy bookkeeping by one lock.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._subjects: list[str] = []
        self._fingers = np.zeros(0, np.int8)
        self._bits = np.zeros((0, _mcc.WORDS), np.uint64)
        self._valid = np.zeros((0, _mcc.WORDS), np.uint64)
        self._minutiae = np.zeros((0, 3), np.float64)
        self._offsets = np.zeros(1, np.int64)
        self._pending: list[tuple[str, int, Cylinders]] = []
        self._pre: tuple[np.ndarray, np.ndarray] | None = None  # pre-filter rows, built on demand

    # --- content --------------------------------------------------------------------------
    def add(self, subject_id: str, finger: int, template: Template) -> None:
        if not isinstance(subject_id, str) or not subject_id:
            raise ValueError("subject_id must be a non-empty string")
        if not isinstance(template, Template):
            raise TypeError(f"template must be a Template, got {type(template).__name__}")
        entry = (subject_id, _check_finger(finger), template.cylinders)
        with self._lock:
            self._pending.append(entry)

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
        rows = np.repeat(keep_t, counts)
        self._bits = np.ascontiguousarray(self._bits[rows])
        self._valid = np.ascontiguousarray(self._valid[rows])
        self._minutiae = np.ascontiguousarray(self._minutiae[rows])
        self._offsets = np.concatenate([[0], np.cumsum(counts[keep_t])]).astype(np.int64)
        self._fingers = self._fingers[keep_t].copy()
        self._subjects = [s for s, k in zip(self._subjects, keep_t, strict=True) if k]
        self._pre = None
        return n

    def __len__(self) -> int:
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
        counts = np.array([len(c.bits) for _s, _f, c in pend], np.int64)
        self._bits = np.concatenate([self._bits] + [c.bits for _s, _f, c in pend])
        self._valid = np.concatenate([self._valid] + [c.valid for _s, _f, c in pend])
        self._minutiae = np.concatenate([self._minutiae] + [c.minutiae for _s, _f, c in pend])
        self._offsets = np.concatenate([self._offsets, self._offsets[-1] + np.cumsum(counts)])
        self._fingers = np.concatenate([self._fingers, np.array([f for _s, f, _c in pend], np.int8)])
        self._subjects.extend(s for s, _f, _c in pend)
        self._pre = None

    # --- search ---------------------------------------------------------------------------
    def _snapshot(self) -> _View:
        """The arrays of this moment: a search keeps working on them if another thread changes the gallery."""
        with self._lock:
            self._flush_locked()
            if self._pre is None and len(self._subjects) >= PREFILTER_MIN:
                self._pre = _richest(self._bits, self._offsets, _PREFILTER_GALLERY_CYLINDERS)
            return _View(
                self._bits,
                self._valid,
                self._minutiae,
                self._offsets,
                self._fingers,
                self._subjects,
                self._pre,
            )

    def search(self, probe: Template, top: int = 10, *, exhaustive: bool = False) -> list[Candidate]:
        """The `top` best-scoring templates, best first.

        Large galleries (PREFILTER_MIN templates or more) are pre-filtered first unless
        `exhaustive`; only the shortlist gets the full score, so a mate the pre-filter misses
        is not returned.
        """
        v = self._snapshot()
        if len(v.subjects) == 0 or top <= 0:
            return []
        select = np.arange(len(v.subjects), dtype=np.int64) if exhaustive else v.shortlist(probe, top)
        scores = v.scores(probe, select)
        order = np.argsort(-scores, kind="stable")[:top]
        return [Candidate(v.subjects[select[i]], int(v.fingers[select[i]]), float(scores[i])) for i in order]

    def search_tenprint(self, probes: Mapping[int, Template], top: int = 10) -> list[TenprintCandidate]:
        """Subjects ranked by the mean, over the probe fingers, of their same-finger scores.

        A finger the subject has no template for counts as 0, so a subject enrolled with fewer
        fingers cannot outrank one that matches on all of them. In large galleries each finger is
        pre-filtered like `search`; a template left out of a finger's shortlist counts as 0 there.
        """
        probes = {_check_finger(f): t for f, t in probes.items()}
        v = self._snapshot()
        if not probes or len(v.subjects) == 0 or top <= 0:
            return []
        per_subject: dict[str, dict[int, float]] = {}
        for finger, probe in probes.items():
            select = np.flatnonzero(v.fingers == finger).astype(np.int64)
            if len(select) == 0:
                continue
            select = v.shortlist(probe, top, among=select)
            scores = v.scores(probe, select)
            for i, s in zip(select, scores, strict=True):
                d = per_subject.setdefault(v.subjects[i], {})
                d[finger] = max(d.get(finger, 0.0), float(s))
        ranked = sorted(
            (TenprintCandidate(sid, sum(fs.values()) / len(probes), fs) for sid, fs in per_subject.items()),
            key=lambda c: -c.score,
        )
        return ranked[:top]

    def _shortlist(self, probe: Template, top: int, among: np.ndarray | None = None) -> np.ndarray:
        return self._snapshot().shortlist(probe, top, among)

    # --- persistence ----------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the gallery as a folder of arrays (created or replaced).

        Each file is written beside its final name and renamed into place, so a gallery loaded
        (memory-mapped) from the same folder stays valid, and a crash leaves whole files.
        """
        self._flush()
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {
            "bits": self._bits,
            "valid": self._valid,
            "minutiae": self._minutiae,
            "offsets": self._offsets,
            "fingers": self._fingers,
        }
        for name, array in arrays.items():
            tmp = folder / f"{name}.npy.tmp"
            with open(tmp, "wb") as fh:
                np.save(fh, np.asarray(array))
            os.replace(tmp, folder / f"{name}.npy")
        meta = folder / "gallery.json.tmp"
        meta.write_text(json.dumps({"format": _FORMAT, "words": _mcc.WORDS, "subjects": self._subjects}))
        os.replace(meta, folder / "gallery.json")

    @classmethod
    def load(cls, path: str | Path) -> Gallery:
        """Open a saved gallery; the cylinder arrays are memory-mapped read-only.

        Additions and removals after loading are made in memory; `save` writes them back.
        """
        folder = Path(path)
        meta_file = folder / "gallery.json"
        if not meta_file.is_file():
            raise ValueError(f"{folder} is not a saved gallery (no gallery.json)")
        meta = json.loads(meta_file.read_text())
        if meta.get("format") != _FORMAT or meta.get("words") != _mcc.WORDS:
            raise ValueError(f"{folder}: unsupported gallery format {meta.get('format')!r}")
        g = cls()
        g._bits = np.load(folder / "bits.npy", mmap_mode="r")
        g._valid = np.load(folder / "valid.npy", mmap_mode="r")
        g._minutiae = np.load(folder / "minutiae.npy", mmap_mode="r")
        g._offsets = np.load(folder / "offsets.npy")
        g._fingers = np.load(folder / "fingers.npy")
        g._subjects = list(meta["subjects"])
        if len(g._subjects) != len(g._fingers) or len(g._offsets) != len(g._subjects) + 1:
            raise ValueError(f"{folder}: gallery files disagree on the number of templates")
        if int(g._offsets[-1]) != len(g._bits):
            raise ValueError(f"{folder}: gallery cylinder arrays are truncated")
        return g
