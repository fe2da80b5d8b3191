"""Galleries split into shards on a real local Ray cluster (a head and a second node): the same
candidates as the single process, a shard actor killed during searches, a shard that stays down."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from pathlib import Path

import numpy as np
import pytest

from backend import ngi

pytestmark = [pytest.mark.ray, pytest.mark.slow]

SUBJECTS = 30
SHARDS = 3
KEY = os.urandom(32)  # the galleries' data key the shard files are sealed with
#: The first search of a fresh machine compiles the matcher's kernels in every shard actor.
FIRST_PATIENCE = 900.0


@pytest.fixture(scope="module")
def people() -> dict[str, dict]:
    """Ten fingers each of SUBJECTS subjects, derived from four cached synthetic fingers."""
    from matcher import _fillers

    pool = [t for _finger, t, _probe in _fillers.mates(4)]
    rng = np.random.default_rng(20)
    return {
        f"P{s}": {f: _fillers.derive(pool[(s + f) % 4], pool[(s + 2 * f + 1) % 4], rng) for f in range(1, 11)}
        for s in range(SUBJECTS)
    }


@pytest.fixture(scope="module")
def probes(people: dict) -> dict[str, dict]:
    """Tenprint probes: perturbed copies of three enrolled subjects' fingers, and a stranger's."""
    from matcher import _fillers

    rng = np.random.default_rng(21)
    chosen = {
        sid: {f: _fillers.derive(t, t, rng) for f, t in people[sid].items()} for sid in ("P3", "P17", "P28")
    }
    stranger = _fillers.derive(people["P0"][1], people["P1"][2], rng)
    chosen["stranger"] = {f: _fillers.derive(stranger, people["P2"][f], rng) for f in range(1, 11)}
    return chosen


@pytest.fixture(scope="module")
def single(people: dict):  # type: ignore[no-untyped-def]
    from matcher import Gallery

    gallery = Gallery()
    for sid, fingers in people.items():
        for finger, template in fingers.items():
            gallery.add(sid, finger, template)
    return gallery


@pytest.fixture(scope="module")
def sharded(ray_cluster, people: dict):  # type: ignore[no-untyped-def]
    from backend.cluster import ShardedGallery

    gallery = ShardedGallery.open(
        "test",
        SHARDS,
        str(ray_cluster.folder / "shards"),
        lambda i: f"t/shard-{i}",
        patience=FIRST_PATIENCE,
        key=KEY,
    )
    for sid, fingers in people.items():
        for finger, template in fingers.items():
            gallery.add(sid, finger, template)
    gallery.save()
    yield gallery
    gallery.close()


def test_shards_are_spread_over_both_nodes_with_every_subject_whole(sharded, ray_cluster) -> None:
    rows = sharded.placement()
    assert len({r["node_id"] for r in rows}) == 2  # objects and actors cross nodes
    assert all(r["state"] == "serving" and r["complete"] for r in rows)
    assert sum(r["subjects"] for r in rows) == SUBJECTS  # no subject split over two shards
    assert sum(r["templates"] for r in rows) == 10 * SUBJECTS == len(sharded)
    for r in rows:
        assert Path(r["folder"]).is_relative_to(ray_cluster.folder / "shards")
        assert (Path(r["folder"]) / "gallery.json").is_file() and r["disk_bytes"] > 0
        # Sealed: no array and no subject list in clear (marks long enough not to turn up by chance
        # in the megabytes of a sealed shard's cylinders).
        for path in Path(r["folder"]).rglob("*"):
            clear = (b"\x93NUMPY", b'"subjects": ["P')
            assert not path.is_file() or not any(m in path.read_bytes() for m in clear), path


def test_sharded_search_gives_the_single_process_candidates_and_scores(sharded, single, probes) -> None:
    for sid, probe in probes.items():
        expected = single.search_tenprint(probe, top=10)
        assert sharded.search_tenprint(probe, top=10) == expected, sid
        assert sharded.search(probe[4], top=10) == single.search(probe[4], top=10), sid
    best = sharded.search_tenprint(probes["P17"], top=1)[0]
    assert best.subject_id == "P17"
    # The backend's own decision code takes a sharded gallery as it takes a Gallery.
    assert ngi.search(sharded, probes["P17"]) == ngi.search(single, probes["P17"])


def test_sharded_search_through_the_index_gives_the_single_process_top_10(
    sharded, single, probes, monkeypatch
) -> None:
    """The gallery searched through the index, which scores only a shortlist (as at 250 000
    templates, where each shard shortlisting its own candidates gave the single process's top-10
    in 17 of 100 searches): the shards follow the whole gallery's shortlist, weights and ties."""
    from matcher import _gallery, _parts

    monkeypatch.setattr(_gallery, "INDEX_MIN", 100)  # here: 300 templates, shards of about 100
    monkeypatch.setattr(_parts, "_SHORTLIST_MIN", 10)
    monkeypatch.setattr(_parts, "_SHORTLIST_SQRT", 0.0)
    monkeypatch.setattr(_parts, "_CHECK_FACTOR", 3)
    assert len(single._shortlist(probes["P3"][1], top=10)) == 10 < len(single)
    for sid, probe in probes.items():
        assert sharded.search_tenprint(probe, top=10) == single.search_tenprint(probe, top=10), sid
        for finger, template in probe.items():
            assert sharded.search(template, top=10) == single.search(template, top=10), (sid, finger)
    _found, timing = sharded.search_timed(probes["P17"][4], top=10)
    assert timing.scored == 10  # the whole gallery's shortlist, over the three shards


def test_shards_written_on_their_nodes_are_searched_as_the_single_process(
    ray_cluster, people, single, probes, monkeypatch
) -> None:
    """The cluster's build of a large gallery: every shard writes its own sealed files and index
    from enrolments made on its node (only the function that makes them travels), all at once,
    and is searched as the one process searches the same templates, through the index."""
    import functools

    from backend.cluster import ShardedGallery, _placement
    from booking_station.envelope import FILE_MAGIC
    from matcher import _gallery, _parts

    monkeypatch.setattr(_gallery, "INDEX_MIN", 100)  # 300 templates: every shard indexed
    monkeypatch.setattr(_parts, "_SHORTLIST_MIN", 10)
    monkeypatch.setattr(_parts, "_SHORTLIST_SQRT", 0.0)
    monkeypatch.setattr(_parts, "_CHECK_FACTOR", 3)
    own = [
        [
            (sid, f, t)
            for sid, fingers in people.items()
            for f, t in fingers.items()
            if _placement.shard_of(sid, SHARDS) == i
        ]
        for i in range(SHARDS)
    ]
    written = ShardedGallery.open(
        "written", SHARDS, str(ray_cluster.folder / "written"), lambda i: f"w/shard-{i}",
        patience=FIRST_PATIENCE, key=KEY,
    )  # fmt: skip
    try:
        infos = written.write([functools.partial(iter, items) for items in own], templates=10 * SUBJECTS)
        assert [i["templates"] for i in infos] == [len(items) for items in own]
        assert all(i["complete"] for i in infos) and len(written) == 10 * SUBJECTS
        for info in infos:
            folder = Path(info["folder"])
            assert (folder / "index_postings.npy").read_bytes()[:4] == FILE_MAGIC  # indexed, sealed
            assert all(p.read_bytes()[:4] == FILE_MAGIC for p in folder.glob("*.npy"))
        for sid, probe in probes.items():
            assert written.search_tenprint(probe, top=10) == single.search_tenprint(probe, top=10), sid
        with pytest.raises(ValueError, match="2 sources for 3 shards"):
            written.write([functools.partial(iter, [])] * 2, templates=0)
    finally:
        written.close()


def test_a_shard_killed_during_searches_still_answers_right(sharded, single, probes) -> None:
    sharded.search_tenprint(probes["P3"], top=5)  # every shard warm
    expected = {sid: single.search_tenprint(p, top=5) for sid, p in probes.items()}
    victim = sharded.placement()[1]
    answers: list = []
    first = threading.Event()

    def searches() -> None:
        for _round in range(6):
            for sid, probe in probes.items():
                answers.append((sid, sharded.search_tenprint(probe, top=5)))
                first.set()

    thread = threading.Thread(target=searches)
    thread.start()
    assert first.wait(300)
    os.kill(victim["pid"], signal.SIGKILL)  # mid-stream: searches are in flight on every shard
    thread.join(600)
    assert not thread.is_alive()
    assert len(answers) == 6 * len(probes)
    assert all(found == expected[sid] for sid, found in answers)
    after = sharded.placement()[1]
    assert after["state"] == "serving" and after["restarted"] and after["pid"] != victim["pid"]
    assert after["folder"] == victim["folder"]  # restarted on its files


def test_a_shard_that_stays_down_delays_the_search_until_it_is_back(sharded, single, probes) -> None:
    import ray

    from backend.cluster import ShardsUnavailable

    victim = sharded._shards[0]
    folder = Path(sharded.placement()[0]["folder"])
    mark = folder / "complete"
    mark.rename(folder / "complete.hidden")  # no node holds its files now
    ray.kill(victim.actor, no_restart=True)  # and its actor is gone for good
    sharded.patience = 5.0
    try:
        with pytest.raises(ShardsUnavailable) as caught:
            sharded.search_tenprint(probes["P3"], top=5)
        assert list(caught.value.shards) == [0] and isinstance(caught.value, ngi.GalleryUnavailable)
        assert sharded.placement()[0]["state"] == "unavailable"
    finally:
        (folder / "complete.hidden").rename(mark)
        sharded.patience = FIRST_PATIENCE
    # Its files are back: the shard is started anew on them and the search answers in full.
    assert sharded.search_tenprint(probes["P3"], top=5) == single.search_tenprint(probes["P3"], top=5)
    assert sharded.placement()[0]["revived"] == 1


def test_bench_search_on_the_cluster_reports_the_sharded_figures(ray_cluster, tmp_path: Path) -> None:
    import json

    from booking_station.cli import main

    out = tmp_path / "bench.json"
    saved = tmp_path / "saved"
    argv = ["bench", "search", "--cluster", ray_cluster.address, "--shards", "2", "--gallery", "40", "--probes", "3",
            "--pool", "4", "--compare-single", "--save-gallery", str(saved), "--json", str(out)]  # fmt: skip
    assert main(argv) == 0
    built = json.loads(out.read_text())
    assert built["shards"] == 2 and built["gallery"] == 40 and built["cluster_nodes"] == 2
    assert sum(built["shard_templates"]) == 40 and built["derived_fillers"] == 37 - 4
    assert built["rank1_hit_rate"] == 1.0 and built["identical_top10_vs_single"] == "6/6"
    assert built["fanout_ms_median"] >= 0 and built["fanout_empty_ms_median"] > 0
    assert built["nonmated_probes"] == 3 and 0 <= built["fpir_at_threshold"] <= 1
    assert built["killed_actor_answers_right"] == "3/3" and built["killed_actor_answer_s_max"] > 0
    assert built["killed_actor_answered_after_kill"].endswith("/3")
    assert built["single_cpu_ms_per_search"] > 0 and built["sharded_cpu_ms_per_search"] > 0
    # The saved shards, and the one-process gallery saved beside them, are searched again without
    # being built: the comparison needs neither built again.
    argv = ["bench", "search", "--cluster", ray_cluster.address, "--shards", "2", "--gallery", "40", "--probes", "3",
            "--load-gallery", str(saved), "--compare-single", "--json", str(out)]  # fmt: skip
    assert main(argv) == 0
    loaded = json.loads(out.read_text())
    assert loaded["loaded_from"] == str(saved) and loaded["gallery"] == 40
    assert loaded["rank1_hit_rate"] == built["rank1_hit_rate"]
    assert loaded["identical_top10_vs_single"] == "6/6" and loaded["sharded_over_single"] > 0
    assert main([*argv[:-2], "--shards", "3"]) == 2  # the saved gallery has 2 shards: said, not a traceback
    shutil.rmtree(saved / "single")
    assert main(argv) == 2  # no one-process gallery to compare with: said, not an empty comparison


def test_bench_search_splits_a_one_process_gallery_into_sealed_shards(ray_cluster, tmp_path: Path) -> None:
    """The 1 000 000-template comparison's path: a gallery the one-process bench saved is split
    into sealed shards (no synthesis, no hashing) and compared with itself searched in one process."""
    import json

    from booking_station.cli import main
    from booking_station.envelope import FILE_MAGIC

    source, shards, out = tmp_path / "one-process", tmp_path / "shards", tmp_path / "bench.json"
    assert main(["bench", "search", "--gallery", "40", "--probes", "3", "--pool", "4",
                 "--save-gallery", str(source), "--json", str(tmp_path / "single.json")]) == 0  # fmt: skip
    argv = ["bench", "search", "--cluster", ray_cluster.address, "--shards", "2", "--probes", "3",
            "--from-gallery", str(source), "--compare-single", "--save-gallery", str(shards), "--json", str(out)]  # fmt: skip
    assert main(argv) == 0
    split = json.loads(out.read_text())
    assert (
        split["gallery"] == 40 and sum(split["shard_templates"]) == 40 and split["split_from"] == str(source)
    )
    assert split["rank1_hit_rate"] == 1.0 and split["identical_top10_vs_single"] == "6/6"
    assert split["nonmated_probes"] == 3 and split["derived_fillers"] is None
    shard_files = [p for p in shards.glob("shard-*/*.npy")] + list(shards.glob("shard-*/gallery.json"))
    assert len(shard_files) == 2 * 5 and all(p.read_bytes()[:4] == FILE_MAGIC for p in shard_files)
    assert not (shards / "single").exists()  # the comparison is the source itself, named in the manifest
    loaded_argv = ["bench", "search", "--cluster", ray_cluster.address, "--shards", "2", "--probes", "3",
                   "--load-gallery", str(shards), "--compare-single", "--json", str(out)]  # fmt: skip
    assert main(loaded_argv) == 0
    assert json.loads(out.read_text())["identical_top10_vs_single"] == "6/6"
    # Wrong inputs are said, not tracebacks: mates the source does not hold, a folder that is
    # no gallery, a sealed gallery as the source.
    at = argv.index("--from-gallery") + 1
    assert main([*argv[:-2], "--mate-offset", "2"]) == 2
    assert main([*argv[:at], str(tmp_path / "nothing"), *argv[at + 1 :]]) == 2
    assert main([*argv[:at], str(shards / "shard-000-of-002"), *argv[at + 1 :]]) == 2


def _stub_shards(behaviour: str, patience: float):  # type: ignore[no-untyped-def]
    """Two empty shards: shard 0 answers as a shard does, shard 1 `behaviour`s: "forgets" every
    search between two stages (as an actor restarted each time), or is "slow" past the patience."""
    import ray

    from backend.cluster._gallery import ShardedGallery, _Shard

    @ray.remote
    class Stub:
        def __init__(self, behaviour: str) -> None:
            from matcher import Gallery, _parts

            self.part, self.behaviour = _parts.Part(Gallery(), pin=True), behaviour

        def open(self, search: str, queries: list, indexed: bool, whole_indexed: bool, keys=None):  # type: ignore[no-untyped-def]
            import time

            from backend.cluster import _wire

            if self.behaviour == "slow":
                time.sleep(3 * patience)
            probes = [(_wire.unpack(w), finger) for w, finger in queries]
            return self.part.open(search, probes, indexed, whole_indexed), 0.0

        def score(self, search: str, asks: list, top: int, tenprint: bool):  # type: ignore[no-untyped-def]
            if self.behaviour == "forgets":
                self.part.forget(search)
            return self.part.score(search, asks, top, tenprint), 0.0

        def forget(self, search: str) -> None:
            self.part.forget(search)

        def kept(self) -> int:
            return len(self.part._searches)

        def ping(self) -> int:
            return 0

    node = ray.get_runtime_context().get_node_id()
    shards = [
        _Shard(i, f"stub-{i}", node, actor=Stub.options(max_concurrency=4).remote(b))  # type: ignore[attr-defined]
        for i, b in enumerate(("answers", behaviour))
    ]
    ray.get([s.actor.ping.remote() for s in shards])  # started (imports done) before the patience runs
    return ShardedGallery("stub", shards, None, patience=patience, key=b"")


def _kept_by(shard, timeout: float = 60.0) -> int:  # type: ignore[no-untyped-def]
    """Searches a stub shard still holds, once the driver's last word has reached it."""
    import time

    import ray

    deadline = time.monotonic() + timeout
    while (kept := ray.get(shard.actor.kept.remote())) and time.monotonic() < deadline:
        time.sleep(0.2)
    return kept


def test_a_search_a_shard_forgets_every_time_gives_up_naming_that_shard(ray_cluster, probes) -> None:
    from backend.cluster import ShardsUnavailable

    gallery = _stub_shards("forgets", patience=3.0)
    try:
        with pytest.raises(ShardsUnavailable) as caught:
            gallery.search_tenprint(probes["P3"], top=5)
        assert list(caught.value.shards) == [1], str(caught.value)
        assert "shard 1: restarted during the search" in str(caught.value)
        assert _kept_by(gallery._shards[0]) == 0
    finally:
        gallery.close()


def test_a_search_given_up_is_forgotten_by_the_shards_that_answered(ray_cluster, probes) -> None:
    """Shard 0 opened the search, shard 1 never answered: shard 0 must not keep it (at national
    scale a kept search holds every template's collision score, tens of MB per probe finger)."""
    from backend.cluster import ShardsUnavailable

    gallery = _stub_shards("slow", patience=2.0)
    try:
        with pytest.raises(ShardsUnavailable) as caught:
            gallery.search(probes["P3"][1], top=5)
        assert list(caught.value.shards) == [1]
        assert _kept_by(gallery._shards[0]) == 0
    finally:
        gallery.close()
