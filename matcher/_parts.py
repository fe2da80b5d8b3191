"""A search run stage by stage over the parts of a gallery, so that a gallery split into parts
(the shards of `backend.cluster`) ranks exactly as the whole gallery does in one process.

`Gallery.search` and `search_tenprint` are these stages over one part; a sharded gallery runs
them over its shards, each stage sent to every shard at once. Every choice between templates
(which go to the geometric check, which make the shortlist, which are the top candidates) is
made by `Ranking` on the whole gallery's figures, in one total order: the figures, best first,
then the subject id, the finger, and (two templates of one subject and finger) the order they
were enrolled in. That order is the same whichever part holds a template: a subject's templates
all sit in one part, in their enrolment order.

An indexed search of one probe among some templates (all, or those of its finger) has four
stages (matcher._gallery: MCC-LSH collisions, geometric consensus, full LSS-R score):
1. `open`: the probe's hash keys, and the length of each key's inverted list in this part. The
   lists' lengths summed over the parts weigh the lookups (`_index.idf_weights`) as one index
   over the whole gallery would;
2. `check`: collision scores with those weights; each part returns its `n_check` best, and the
   `n_check` best of all go to the geometric check;
3. `verify`: their consensus counts; the `keep` best by (consensus, collision score) are the
   shortlist (`keep` = `shortlist_size` of the whole gallery);
4. `score`: the full score of each part's share of the shortlist; each part returns its `top`
   best (a tenprint search: its subjects' fused scores), merged into the `top` best of all.
A gallery of fewer than INDEX_MIN templates in all (or an `exhaustive` search) goes from `open`
to `score` with every template of `among`.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from matcher import _index

_SHORTLIST_MIN = 100  # templates given the full score after the index, at least …
_SHORTLIST_SQRT = 1.0  # … and this many times √n (0.5 left a mate at rank 636 of 1 M unscored)
_CHECK_FACTOR = 10  # candidates verified geometrically: this many times the shortlist …
_CHECK_FRACTION = 0.03  # … or this fraction of the gallery, whichever is more (1 % missed a mate at 1 M)
# Searches a part remembers between stages. The driver tells every part to forget a search it
# gives up or starts again; these bound what a driver that died between stages leaves behind.
_KEPT_SEARCHES = 64
_ABANDONED_S = 600.0  # a search not continued for this long is dropped (no stage waits that long)
# Ids of searches forgotten lately: a shard actor runs calls on several threads, so a driver's forget
# can be handled before an open it sent earlier ends; that open must not keep the search then.
_FORGOTTEN_KEPT = 1024

Names = Callable[[np.ndarray], tuple[np.ndarray, ...]]


def shortlist_size(n: int, top: int) -> int:
    return min(n, max(top, _SHORTLIST_MIN, int(math.ceil(_SHORTLIST_SQRT * math.sqrt(n)))))


def check_size(n: int, keep: int) -> int:
    """Candidates of `n` verified geometrically for a shortlist of `keep`."""
    return min(n, max(_CHECK_FACTOR * keep, int(math.ceil(_CHECK_FRACTION * n))))


# --- the one order --------------------------------------------------------------------------


def best(keys: Sequence[np.ndarray], n: int, names: Names) -> np.ndarray:
    """Positions of the `n` best rows, in no particular order: by `keys` (each higher first, the
    first the most significant), ties by `names(positions)` (each lower first). Names are asked
    only for the rows tied at the cut."""
    m = len(keys[0])
    if n >= m:
        return np.arange(m, dtype=np.int64)
    if n <= 0:
        return np.zeros(0, np.int64)
    if len(keys) == 1:
        v = keys[0]
        cut = v[np.argpartition(-v, n - 1)[n - 1]]
        tied = v == cut
        better = np.flatnonzero(v > cut)
    else:
        order = np.lexsort([-k for k in reversed(keys)])
        at = order[n - 1]
        tied = np.logical_and.reduce([k == k[at] for k in keys])
        head = order[:n]
        better = head[~tied[head]]
    level = np.flatnonzero(tied)
    need = n - len(better)
    if need < len(level):
        level = level[np.lexsort(names(level)[::-1])[:need]]
    return np.concatenate([better, level]).astype(np.int64)


def ranked(keys: Sequence[np.ndarray], names: Names, n: int | None = None) -> np.ndarray:
    """Positions of the `n` best rows (all by default), best first, in `best`'s order."""
    chosen = best(keys, len(keys[0]) if n is None else n, names)
    order = np.lexsort((*names(chosen)[::-1], *(-k[chosen] for k in reversed(keys))))
    return chosen[order]


# --- a part's side ---------------------------------------------------------------------------


@dataclass
class _Query:
    probe: object  # matcher.Template
    finger: int | None  # searched among the templates of this finger (None: all)
    among: np.ndarray  # template positions this probe is searched among
    keys: np.ndarray | None = None  # the probe's hash keys (indexed search)
    lists: tuple | None = None  # (keys, offsets, postings) of the lists they look up
    hits: np.ndarray | None = None  # collision score of every template of the part
    counts: np.ndarray | None = None


@dataclass
class _Search:
    view: object  # matcher._gallery._View
    queries: list[_Query]
    indexed: bool
    lock: threading.Lock = field(default_factory=threading.Lock)
    touched: float = field(default_factory=time.monotonic)  # its last stage


class UnknownSearch(LookupError):
    """A stage of a search this part does not remember (it restarted, or forgot it): start again."""


class Part:
    """One part of a gallery answering the stages of searches (in this process, or inside a shard
    actor). Each search is remembered from `open` to `score` (at most _KEPT_SEARCHES at a time)."""

    def __init__(self, gallery, pin: bool = False) -> None:  # type: ignore[no-untyped-def]
        self.gallery = gallery
        self.pin = pin  # searched in the whole gallery's mode (a shard), not by its own size
        self._searches: OrderedDict[str, _Search] = OrderedDict()
        self._forgotten: OrderedDict[str, None] = OrderedDict()  # search ids (unique per attempt)
        self._lock = threading.Lock()

    def open(
        self,
        search: str,
        queries: list[tuple[object, int | None]],
        indexed: bool,
        whole_indexed: bool,
        keys: list | None = None,
    ) -> tuple[int, list]:
        """(templates in this part, and for each query (probe, finger or None for all) the number
        of templates it is searched among here and, when `indexed`, the lengths of the inverted
        lists it looks up: over all this part's templates, as the weights are). `keys`: each
        query's hash keys when the driver computed them once for all parts (else made here)."""
        view = self.gallery._snapshot(whole_indexed if self.pin else None)
        n_all = len(view.subjects)
        state = _Search(view, [], indexed)
        out = []
        for qi, (probe, finger) in enumerate(queries):
            among = (
                np.arange(n_all, dtype=np.int64)
                if finger is None
                else np.flatnonzero(view.fingers == finger).astype(np.int64)
            )
            q = _Query(probe, finger, among)
            lengths = None
            if indexed and len(probe.cylinders.bits) and n_all:
                q.keys, q.lists = view.lookup(probe, None if keys is None else keys[qi])
                lengths = _index.list_lengths(q.keys, view.index.offsets)
            state.queries.append(q)
            out.append((len(among), lengths))
        with self._lock:
            now = time.monotonic()
            for old in [k for k, st in self._searches.items() if now - st.touched > _ABANDONED_S]:
                del self._searches[old]
            if search not in self._forgotten:
                self._searches[search] = state
            while len(self._searches) > _KEPT_SEARCHES:
                self._searches.popitem(last=False)
        return n_all, out

    def _state(self, search: str) -> _Search:
        with self._lock:
            state = self._searches.get(search)
            if state is not None:
                state.touched = time.monotonic()
        if state is None:
            raise UnknownSearch(search)
        return state

    def held(self) -> int:
        """Searches remembered between stages (the admin page shows it per shard)."""
        with self._lock:
            return len(self._searches)

    def check(self, search: str, asks: list) -> list:
        """For each query asked (weights, n_check): this part's `n_check` best by collision score
        as (positions, scores, subjects, fingers)."""
        state = self._state(search)
        v = state.view
        out = []
        for q, ask in zip(state.queries, asks, strict=True):
            if ask is None or q.lists is None or not len(q.among):
                out.append(None)
                continue
            weights, n_check = ask
            keys, offsets, postings = q.lists
            hits, q.counts = _index.weighted_collisions(keys, offsets, postings, len(v.subjects), weights)
            hits *= v.index.norm
            q.hits = hits
            h = hits[q.among]
            chosen = q.among[best([h], n_check, lambda i, a=q.among: v.names(a[i]))]
            out.append((chosen, hits[chosen], *v.names(chosen)[:2]))
        return out

    def verify(self, search: str, asks: list) -> list:
        """For each query asked (positions): their consensus counts."""
        state = self._state(search)
        out = []
        for q, positions in zip(state.queries, asks, strict=True):
            if positions is None or not len(positions):
                out.append(None if positions is None else np.zeros(0, np.float32))
                continue
            v = state.view
            keys, offsets, postings = q.lists
            out.append(
                _index.consensus(
                    keys,
                    q.probe.cylinders.minutiae,
                    offsets,
                    postings,
                    positions,
                    v.minutiae,
                    v.offsets,
                    len(v.subjects),
                    q.counts,
                )
            )
        return out

    def score(self, search: str, asks: list, top: int, tenprint: bool, forget: bool = True) -> list:
        """Full scores of each query's positions (None: all its `among`). A one-finger search: this
        part's `top` best as (positions, scores, subjects, fingers). A tenprint search (every query
        one finger): this part's `top` best subjects as (subject, fused score, finger scores)."""
        state = self._state(search)
        if forget:
            with self._lock:
                self._searches.pop(search, None)
        v = state.view
        per_query = []
        for q, positions in zip(state.queries, asks, strict=True):
            select = q.among if positions is None else np.asarray(positions, np.int64)
            scores = v.scores(q.probe, select) if len(select) else np.zeros(0, np.float32)
            per_query.append((select, scores))
        if not tenprint:
            (select, scores), *_ = per_query
            order = ranked([scores], lambda i: v.names(select[i]), top)
            chosen = select[order]
            return [(chosen, scores[order], *v.names(chosen)[:2])]
        per_subject: dict[str, dict[int, float]] = {}
        for (select, scores), q in zip(per_query, state.queries, strict=True):
            for i, s in zip(select, scores, strict=True):
                d = per_subject.setdefault(v.subjects[i], {})
                d[q.finger] = max(d.get(q.finger, 0.0), float(s))
        n = len(state.queries)
        found = [(sid, sum(fs.values()) / n, fs) for sid, fs in per_subject.items()]
        return _best_subjects(found, top)

    def forget(self, search: str) -> None:
        with self._lock:
            self._searches.pop(search, None)
            self._forgotten[search] = None
            while len(self._forgotten) > _FORGOTTEN_KEPT:
                self._forgotten.popitem(last=False)


def _best_subjects(found: list, top: int) -> list:
    """The `top` best (subject, score, finger scores): higher score first, then lower subject id."""
    if not found:
        return []
    scores = np.array([f[1] for f in found], np.float64)
    subjects = np.array([f[0] for f in found])
    return [found[i] for i in ranked([scores], lambda i: (subjects[i],), top)]


# --- the driver's side -----------------------------------------------------------------------

#: `fan(stage, per_part_args)`: call `stage` on every part with its arguments, all at once, and
#: return their answers in part order.
Fan = Callable[[str, list[tuple]], list]

_ids = itertools.count()


@dataclass(frozen=True)
class Outcome:
    """What a search found, and how many templates it gave the full score (all parts)."""

    found: list
    scored: int


def run(
    fan: Fan,
    parts: int,
    queries: list[tuple[object, int | None]],
    top: int,
    *,
    tenprint: bool,
    indexed: bool,
    exhaustive: bool = False,
    search: str | None = None,
    keys: Callable[[object], np.ndarray] | None = None,
) -> Outcome:
    """One search over `parts` parts of a gallery that is searched through its index (`indexed`:
    it has INDEX_MIN templates in all) or not. One-finger search: candidates as (subject, finger,
    score); tenprint: (subject, score, finger scores). `keys(probe)`: its hash keys, made here
    once and sent to every part (which otherwise make them each)."""
    search = search or f"s{next(_ids)}"
    whole_indexed, indexed = indexed, indexed and not exhaustive
    sent = [keys(p) if len(p.cylinders.bits) else None for p, _f in queries] if keys and indexed else None
    opened = fan("open", [(search, queries, indexed, whole_indexed, sent)] * parts)
    n_all = sum(n for n, _q in opened)
    asks: list[list] = [[None] * len(queries) for _ in range(parts)]  # positions to score per part
    scored = 0
    stages: list[tuple[int, int]] = []  # queries going through the index: (query, keep)
    for qi, (probe, _finger) in enumerate(queries):
        n_among = sum(o[1][qi][0] for o in opened)
        if n_among == 0:
            for p in range(parts):
                asks[p][qi] = np.zeros(0, np.int64)
            continue
        keep = shortlist_size(n_among, top)
        if not indexed or keep >= n_among:
            for p in range(parts):
                asks[p][qi] = None  # all its `among`
            scored += n_among
        elif len(probe.cylinders.bits) == 0:
            for p in range(parts):
                asks[p][qi] = np.zeros(0, np.int64)
        else:
            stages.append((qi, keep))
    if stages:
        scored += _shortlist(fan, parts, opened, stages, n_all, asks, search, len(queries))
    answers = fan("score", [(search, asks[p], top, tenprint) for p in range(parts)])
    if tenprint:
        return Outcome(_best_subjects([c for a in answers for c in a], top), scored)
    pos, score, subj, fing = (np.concatenate([a[0][k] for a in answers]) for k in range(4))
    part = np.concatenate([np.full(len(a[0][0]), p) for p, a in enumerate(answers)])
    order = ranked([score], lambda i: (subj[i], fing[i], part[i], pos[i]), top)
    return Outcome([(str(subj[i]), int(fing[i]), float(score[i])) for i in order], scored)


def _shortlist(fan: Fan, parts: int, opened: list, stages: list, n_all: int, asks: list, search: str,
               n_queries: int) -> int:  # fmt: skip
    """Stages 2 and 3 for the indexed queries: each part's share of the whole shortlist into
    `asks`; the number of templates shortlisted."""
    checks: list[list] = [[None] * n_queries for _ in range(parts)]
    for qi, keep in stages:
        lengths = sum(o[1][qi][1] for o in opened if o[1][qi][1] is not None)
        weights = _index.idf_weights(lengths, n_all)
        n_check = check_size(sum(o[1][qi][0] for o in opened), keep)
        for p in range(parts):
            here = opened[p][1][qi]
            checks[p][qi] = (weights, n_check) if here[1] is not None and here[0] else None
    found = fan("check", [(search, checks[p]) for p in range(parts)])
    merged = {}
    verify: list[list] = [[None] * n_queries for _ in range(parts)]
    for qi, _keep in stages:
        rows = [(p, found[p][qi]) for p in range(parts) if found[p][qi] is not None]
        pos, hits, subj, fing = (np.concatenate([r[k] for _p, r in rows]) for k in range(4))
        part = np.concatenate([np.full(len(r[0]), p) for p, r in rows])
        n_check = checks[rows[0][0]][qi][1] if rows else 0
        names = lambda i, s=subj, f=fing, a=part, o=pos: (s[i], f[i], a[i], o[i])  # noqa: E731
        chosen = best([hits], n_check, names)
        merged[qi] = (pos, hits, part, names, chosen)
        for p in range(parts):
            verify[p][qi] = pos[chosen[part[chosen] == p]] if checks[p][qi] is not None else None
    agreed = fan("verify", [(search, verify[p]) for p in range(parts)])
    n_short = 0
    for qi, keep in stages:
        pos, hits, part, names, chosen = merged[qi]
        agree = np.zeros(len(pos), np.float32)
        for p in range(parts):
            if agreed[p][qi] is not None:
                agree[chosen[part[chosen] == p]] = agreed[p][qi]
        short = chosen[best([agree[chosen], hits[chosen]], keep, lambda i, c=chosen, nm=names: nm(c[i]))]
        n_short += len(short)
        for p in range(parts):
            asks[p][qi] = np.sort(pos[short[part[short] == p]])
    return n_short
