"""A gallery split into parts and searched stage by stage (matcher._parts, as the cluster's shards
are) ranks exactly as the whole gallery does in one process: the same shortlist, scores, order
and tie-breaks, through the index or without it."""

from __future__ import annotations

import numpy as np
import pytest

from matcher import Gallery, _fillers, _gallery, _parts

SUBJECTS = 40
FINGERS = (1, 2, 3)
PARTS = 3
TWINS = ("P03", "P11", "P25")  # enrolled again under T03, T11, T25: exact ties everywhere


@pytest.fixture(scope="module")
def people() -> dict[str, dict]:
    pool = [t for _finger, t, _probe in _fillers.mates(4)]
    rng = np.random.default_rng(7)
    out = {
        f"P{s:02d}": {f: _fillers.derive(pool[(s + f) % 4], pool[(s + 2 * f + 1) % 4], rng) for f in FINGERS}
        for s in range(SUBJECTS)
    }
    for sid in TWINS:
        out["T" + sid[1:]] = dict(out[sid])
    return out


@pytest.fixture(scope="module")
def probes(people: dict) -> dict[str, dict]:
    rng = np.random.default_rng(8)
    out = {
        sid: {f: _fillers.derive(t, t, rng) for f, t in people[sid].items()} for sid in ("P03", "P17", "P38")
    }
    out["exact"] = dict(people["P11"])  # its twin T11 scores the same on every stage
    return out


def _galleries(people: dict) -> tuple[Gallery, list[Gallery]]:
    """The whole gallery, and the same templates split by subject into PARTS parts (a twin in
    another part than its original), each in enrolment order."""
    whole, parts = Gallery(), [Gallery() for _ in range(PARTS)]
    for k, (sid, fingers) in enumerate(people.items()):
        for finger, template in fingers.items():
            whole.add(sid, finger, template)
            parts[k % PARTS].add(sid, finger, template)
    return whole, parts


def _split_search(parts: list[Gallery], queries: list, top: int, tenprint: bool) -> list:
    workers = [_parts.Part(g, pin=True) for g in parts]

    def fan(stage: str, args: list[tuple]) -> list:
        return [getattr(w, stage)(*a) for w, a in zip(workers, args, strict=True)]

    indexed = sum(len(g) for g in parts) >= _gallery.INDEX_MIN
    return _parts.run(fan, len(workers), queries, top, tenprint=tenprint, indexed=indexed).found


def _assert_same(whole: Gallery, parts: list[Gallery], probes: dict) -> None:
    for name, probe in probes.items():
        expected = [(c.subject_id, c.score, c.finger_scores) for c in whole.search_tenprint(probe, top=10)]
        assert _split_search(parts, [(t, f) for f, t in probe.items()], 10, True) == expected, name
        for finger, template in probe.items():
            expected = [(c.subject_id, c.finger, c.score) for c in whole.search(template, top=10)]
            assert _split_search(parts, [(template, None)], 10, False) == expected, (name, finger)


@pytest.fixture
def small_index(monkeypatch) -> None:
    """Every gallery of 50 or more searched through the index; shortlists of 10, checks of 20:
    the index leaves out most templates, as it does at 250 000."""
    monkeypatch.setattr(_gallery, "INDEX_MIN", 50)
    monkeypatch.setattr(_parts, "_SHORTLIST_MIN", 10)
    monkeypatch.setattr(_parts, "_SHORTLIST_SQRT", 0.0)
    monkeypatch.setattr(_parts, "_CHECK_FACTOR", 2)


def test_parts_searched_through_the_index_rank_as_the_whole_gallery(small_index, people, probes) -> None:
    whole, parts = _galleries(people)
    assert max(len(g) for g in parts) < _gallery.INDEX_MIN <= len(whole)  # parts indexed as the whole is
    assert len(whole._shortlist(probes["P17"][1], top=10)) == 10 < len(whole)
    _assert_same(whole, parts, probes)


def test_parts_searched_without_the_index_rank_as_the_whole_gallery(people, probes) -> None:
    whole, parts = _galleries(people)
    assert len(whole) < _gallery.INDEX_MIN
    _assert_same(whole, parts, probes)


def test_ties_go_to_the_lower_subject_id_whichever_part_holds_it(small_index, people, probes) -> None:
    whole, parts = _galleries(people)
    found = whole.search(probes["exact"][1], top=4)
    assert [c.subject_id for c in found[:2]] == ["P11", "T11"] and found[0].score == found[1].score
    ranked = whole.search_tenprint(probes["exact"], top=3)
    assert [c.subject_id for c in ranked[:2]] == ["P11", "T11"] and ranked[0].score == ranked[1].score
    # Nor does the order of the parts decide it.
    assert _split_search(list(reversed(parts)), [(probes["exact"][1], None)], 4, False)[:2] == [
        (c.subject_id, c.finger, c.score) for c in found[:2]
    ]


def test_the_order_of_best_and_ranked() -> None:
    hits = np.array([3.0, 5.0, 3.0, 3.0, 1.0])
    names = lambda i: (np.array(["d", "a", "b", "c", "e"])[i],)  # noqa: E731
    assert sorted(_parts.best([hits], 3, names).tolist()) == [1, 2, 3]  # of the 3.0s: b and c
    assert _parts.ranked([hits], names).tolist() == [1, 2, 3, 0, 4]
    agree = np.array([1.0, 0.0, 1.0, 1.0, 2.0])
    assert _parts.ranked([agree, hits], names, 3).tolist() == [4, 2, 3]


def test_the_gallery_above_is_one_where_parts_searching_alone_would_differ(
    small_index, people, probes
) -> None:
    """What the cluster did before the stages (each shard's own search, merged by score) gives
    other top-10 lists on this gallery, so the identity above is not an accident of its size."""
    whole, parts = _galleries(people)
    differing = 0
    for probe in probes.values():
        for template in probe.values():
            merged = sorted((c for g in parts for c in g.search(template, top=10)), key=lambda c: -c.score)
            differing += merged[:10] != whole.search(template, top=10)
    assert differing > 0


def test_a_part_drops_a_search_its_driver_abandoned(people, probes, monkeypatch) -> None:
    """A driver that died between two stages never says "forget": the part drops the search once
    it has not been continued for _ABANDONED_S, and a stage of it then asks for a new search."""
    _whole, parts = _galleries(people)
    part = _parts.Part(parts[0], pin=True)
    query = [(probes["P17"][1], None)]
    part.open("abandoned", query, False, False)
    part.open("alive", query, False, False)
    assert part.held() == 2
    monkeypatch.setattr(_parts, "_ABANDONED_S", 0.0)
    part.open("next", query, False, False)
    assert part.held() == 1
    with pytest.raises(_parts.UnknownSearch):
        part.score("abandoned", [None], 5, False)
    part.forget("next")
    assert part.held() == 0


def test_the_probe_keys_are_made_once_for_all_parts_and_rank_the_same(
    small_index, people, probes, monkeypatch
) -> None:
    """What depends on the probe alone (its hash keys) is made once by the driver and sent to
    every part, which then makes none of its own; the ranking stays the whole gallery's."""
    whole, parts = _galleries(people)
    workers = [_parts.Part(g, pin=True) for g in parts]
    made: list[int] = []

    def keys(probe):  # type: ignore[no-untyped-def]
        made.append(id(probe))
        return _gallery.probe_keys(probe)

    def fan(stage: str, args: list[tuple]) -> list:
        with monkeypatch.context() as m:  # a part asked to make keys here would fail
            m.setattr(_gallery, "probe_keys", lambda _p: pytest.fail("a part made the probe's keys again"))
            return [getattr(w, stage)(*a) for w, a in zip(workers, args, strict=True)]

    queries = [(t, f) for f, t in probes["P17"].items()]
    found = _parts.run(fan, PARTS, queries, 10, tenprint=True, indexed=True, keys=keys).found
    assert sorted(made) == sorted(id(t) for t, _f in queries)  # once per probe finger, not per part
    assert found == [
        (c.subject_id, c.score, c.finger_scores) for c in whole.search_tenprint(probes["P17"], top=10)
    ]


def test_a_search_forgotten_while_its_open_still_runs_is_not_kept(people, probes) -> None:
    """A shard actor runs calls on several threads: a driver that gives up while a shard's open is
    still running sends its forget, which can be handled first. The open must not keep it then."""
    whole, _ = _galleries(people)
    part = _parts.Part(whole)
    template = probes["P17"][1]
    part.forget("given-up")  # handled before the open that was sent first
    part.open("given-up", [(template, None)], False, False)
    assert part.held() == 0
    part.open("next", [(template, None)], False, False)
    assert part.held() == 1
