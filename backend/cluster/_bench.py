"""`bench search --cluster ADDRESS --shards K`: the 1:N search bench on a gallery sharded over a
Ray cluster, with the figures of the single-process `bench search` and the cluster's own.

The gallery is the single-process bench's (`matcher._fillers`): synthetic mates (rolled enrolled,
plain probe) and fillers, `--pool` distinct rendered fingers and the rest derived from them. Here
the rendering and extraction run as tasks on the cluster's workers (each template cached on the
worker's node, so a rerun or a larger gallery reuses them); then every shard, all at once on its
node, derives its own fillers (`_fillers.filler`: filler k is the same wherever it is made) and
writes its sealed files a block at a time with its index (`ShardedGallery.write`): no template of
the gallery travels, and no shard is ever whole in memory. `--pool` equal to `--gallery` gives a
gallery of distinct fingers, each from its own master, with no derived filler.

Beyond `bench search`'s fields: `shards`, `fanout_ms_median` (a search's wall time less the
slowest shard's own search time: sending, waiting and merging), `fanout_empty_ms_median` (the
whole search on K empty shards), non-mated searches (`--probes` subjects never enrolled) and the
false-positive identification rate at the backend's per-finger decision threshold
(`matcher.FINGER_MATCH_THRESHOLD`), searches during which a shard's actor is killed
(`killed_actor_answer_s_*`: start of the search to its answer, and whether it was right), and with
`--compare-single` the same top-10 searches on one in-process `matcher.Gallery` of the same
templates, each probe searched on both one after the other (`sharded_over_single`, how many top-10
lists are identical); that gallery is written by this one process the same way (its time:
`single_build_s`, against the shards' `build_s`). `--save-gallery` keeps it beside the shards
(sealed with the same key), so a `--load-gallery --compare-single` run compares without building
either.

`--from-gallery DIR` takes a gallery the one-process bench saved (`bench search --save-gallery`,
a million templates streamed to disk) instead of building one: it is split by subject into the
shards' sealed folders (`matcher._gallery_writer.split`: the same templates, its index's postings
renumbered, a block at a time) and, with `--compare-single`, searched from its own folder as the
one process. Its mates are its `S` subjects; the non-mated probes are subjects after them.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from booking_station.runtime import UserError

log = logging.getLogger("backend.cluster.bench")

_SYNTH_CHUNK = 25  # fingers rendered per task
_MANIFEST = "bench-gallery.json"
_SINGLE = "single"  # the one-process gallery of the same templates (--compare-single), beside the shards
_TOP = 10
_KILLS = 3  # searches during which a shard's actor is killed


def _synthesise(specs: list[tuple[int, int, int, str]]) -> tuple[list, float]:
    """Templates of (subject, finger, seed, kind) synthetic impressions, in order, made by tasks
    on the cluster's workers (cached on each worker's node by `matcher._fillers.synthetic`), and
    the CPU seconds the workers spent making them."""
    import ray

    from backend.cluster import _wire

    task = ray.remote(_synth_chunk).options(num_cpus=1, max_retries=3)
    chunks = [specs[i : i + _SYNTH_CHUNK] for i in range(0, len(specs), _SYNTH_CHUNK)]
    refs = [task.remote(chunk) for chunk in chunks]
    out: list = []
    cpu_s = 0.0
    step = max(1, len(refs) // 10)
    for k, ref in enumerate(refs):
        packed, cpu = ray.get(ref)
        out.extend(_wire.unpack(w) for w in packed)
        cpu_s += cpu
        if (k + 1) % step == 0 or k + 1 == len(refs):
            log.info("synthetic fingers: %d/%d", len(out), len(specs))
    return out, cpu_s


def _synth_chunk(specs: list[tuple[int, int, int, str]]) -> tuple[list, float]:
    """Packed templates, and the CPU seconds the worker spent on them (a cached one costs ~0)."""
    c0 = time.process_time()
    from booking_station import runtime

    runtime.prepare_environment()
    from backend.cluster import _wire
    from matcher import _fillers

    return [_wire.pack(_fillers.synthetic(*spec)) for spec in specs], time.process_time() - c0


def search(args: argparse.Namespace) -> int:
    import ray

    from backend.cluster import _placement, connect
    from backend.cluster._gallery import ShardedGallery
    from booking_station.envelope import Sealer
    from matcher import FINGER_MATCH_THRESHOLD, _fillers

    if args.shards < 1:
        raise UserError("--shards must be at least 1")
    if args.gallery is None and not (args.load_gallery or args.from_gallery):
        raise UserError("give --gallery N (templates to build), --load-gallery DIR or --from-gallery DIR")
    if args.gallery is not None and args.gallery < 1:
        raise UserError("--gallery must be at least 1")
    if args.save_gallery and args.load_gallery:
        raise UserError("give --save-gallery or --load-gallery, not both")
    source = args.from_gallery
    if source and args.load_gallery:
        raise UserError("give --from-gallery or --load-gallery, not both")
    connect(args.cluster)
    threads = args.threads or 1
    offset, n_mates = args.mate_offset, args.probes
    relative = lambda i: _placement.shard_name(i, args.shards)  # noqa: E731
    load = args.load_gallery
    held = None  # the mates an existing gallery holds: (first, count)
    if source:
        held = _source_mates(Path(source))
    elif load:
        manifest = _read_manifest(Path(load), args.shards)
        held = manifest["mate_offset"], manifest["mates"]
    if held and not held[0] <= offset <= offset + n_mates <= held[0] + held[1]:
        raise UserError(
            f"{'--from-gallery' if source else '--load-gallery'} {source or load} holds mates "
            f"{held[0]}…{held[0] + held[1] - 1}: choose --mate-offset/--probes within them"
        )
    prebuilt = bool(load or source)
    root = Path(load or args.save_gallery or tempfile.mkdtemp(prefix="bench-shards-"))
    n_fill = 0 if prebuilt else args.gallery - min(n_mates, args.gallery)
    n_pool = min(n_fill, args.pool)
    specs = [(s, 1 + s % 10, seed, kind) for s in range(offset, offset + n_mates)
             for seed, kind in ((0, "rolled"), (1, "plain"))]  # fmt: skip
    first_stranger = max(offset + n_mates, held[0] + held[1] if held else 0)  # never enrolled
    strangers = [(s, 1 + s % 10, 1, "plain") for s in range(first_stranger, first_stranger + n_mates)]
    pool = [(_fillers._FILLER_BASE + k, 1 + k % 10, 0, "rolled") for k in range(n_pool)]
    t0, load_before = time.perf_counter(), _loadavg()
    made, synth_cpu_s = _synthesise(specs + strangers + pool)
    synth_s = time.perf_counter() - t0
    mates = [(s, made[2 * i], made[2 * i + 1]) for i, s in enumerate(range(offset, offset + n_mates))]
    stranger_probes = made[len(specs) : len(specs) + len(strangers)]
    distinct = made[len(specs) + len(strangers) :]

    key = _bench_key(root)
    split_s = None
    if source:
        t0 = time.perf_counter()
        _split(Path(source), root, args.shards, relative, Sealer(key))
        split_s = time.perf_counter() - t0
    sharded = ShardedGallery.open(
        "bench", args.shards, str(root), relative, threads, patience=3600.0, key=key
    )
    single = None
    if args.compare_single and prebuilt:
        single = _load_single(root, key, source)
    try:
        build_s = None
        if not prebuilt:
            enrolled = [(f"S{s}", 1 + s % 10, t) for s, t, _probe in mates[: min(n_mates, args.gallery)]]
            t0 = time.perf_counter()
            infos = sharded.write(_sources(enrolled, n_fill, distinct, args.shards), len(enrolled) + n_fill)
            build_s = time.perf_counter() - t0
            if args.compare_single:  # the same gallery written by one process, then loaded
                t1, c1 = time.perf_counter(), time.process_time()
                single = _write_single(root / _SINGLE, enrolled, n_fill, distinct, Sealer(key))
                single_build = (time.perf_counter() - t1, time.process_time() - c1)
        else:
            infos = sharded.placement()
        if args.save_gallery:
            _write_manifest(root, args, n_pool, len(sharded), held, source)
        result = _searches(sharded, single, mates, stranger_probes, FINGER_MATCH_THRESHOLD, args.shards, root)
        result.update(
            {
                "gallery": len(sharded),
                "shards": args.shards,
                "threads_per_shard": threads,
                "cluster_nodes": len({i["node_id"] for i in infos}),
                "cluster_cpus": sum(n["Resources"].get("CPU", 0) for n in ray.nodes() if n["Alive"]),
                "probes": n_mates,
                "mates_synthetic": n_mates,
                "nonmated_probes": len(stranger_probes),
                "distinct_filler_fingers": len(distinct) if not prebuilt else None,
                "derived_fillers": max(0, n_fill - len(distinct)) if not prebuilt else None,
                "mate_offset": offset,
                "loaded_from": str(load) if load else None,
                "split_from": str(source) if source else None,
                "split_s": round(split_s, 1) if split_s is not None else None,
                "saved_to": str(root) if args.save_gallery else None,
                "synth_s": round(synth_s, 1),
                "synth_cpu_s": round(synth_cpu_s, 1),  # the workers' CPU: fingers not yet cached
                "build_s": round(build_s, 1) if build_s is not None else None,  # the shards' writes
                "shard_templates": [i["templates"] for i in infos],
                "shard_disk_mb": [round(i["disk_bytes"] / 2**20, 1) for i in infos],
                "shard_resident_mb": [round(i["resident_bytes"] / 2**20) for i in infos],
                "loadavg_before": load_before,
                "loadavg_after": _loadavg(),
            }
        )
        if single is not None and not prebuilt:
            result["single_build_s"] = round(single_build[0], 1)
            result["single_build_cpu_s"] = round(single_build[1], 1)
        _emit(result, args.json)
        return 0
    finally:
        sharded.close()
        if not load and not args.save_gallery:
            shutil.rmtree(root, ignore_errors=True)


def _sources(enrolled: list[tuple], n_fill: int, distinct: list, shards: int) -> list:
    """Each shard's source of enrolments for `ShardedGallery.write`: its mates (sent), then its
    fillers, derived on its node (`_fillers.filler`) from the distinct fingers put once in Ray's
    object store. The enrolment order is the one process's (mates, then fillers F0, F1, …)."""
    import functools

    import ray

    from backend.cluster import _placement, _wire

    pool = ray.put([_wire.pack(t) for t in distinct])
    where = np.array([_placement.shard_of(f"F{k}", shards) for k in range(n_fill)], np.int64)
    own = [[(sid, f, _wire.pack(t)) for sid, f, t in enrolled if _placement.shard_of(sid, shards) == i]
           for i in range(shards)]  # fmt: skip
    return [
        functools.partial(_shard_enrolments, own[i], np.flatnonzero(where == i), pool) for i in range(shards)
    ]


def _shard_enrolments(mates: list[tuple], fillers: np.ndarray, pool) -> Iterator[tuple]:  # type: ignore[no-untyped-def]
    """Run in a shard's actor: its mates, then filler k for each of its `fillers`."""
    import ray

    from backend.cluster import _wire
    from matcher import _fillers

    distinct = _Unpacked(ray.get(pool))
    for sid, finger, wire in mates:
        yield sid, finger, _wire.unpack(wire)
    for k in fillers.tolist():
        yield f"F{k}", 1 + k % 10, _fillers.filler(k, distinct)


class _Unpacked(Sequence):
    """Templates as they travelled, each unpacked when a filler is derived from it."""

    def __init__(self, wires: list) -> None:
        self._wires = wires

    def __len__(self) -> int:
        return len(self._wires)

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        from backend.cluster import _wire

        return _wire.unpack(self._wires[i])


def _write_single(folder: Path, enrolled: list[tuple], n_fill: int, distinct: list, sealer):  # type: ignore[no-untyped-def]
    """The one-process gallery of the same enrolments, written a block at a time and loaded."""
    import itertools

    from matcher import Gallery, _fillers, _gallery_writer

    fillers = ((f"F{k}", 1 + k % 10, t) for k, t in enumerate(_fillers.fillers(n_fill, distinct)))
    _gallery_writer.write(folder, itertools.chain(enrolled, fillers), sealer)
    single = Gallery.load(folder, sealer)
    single._snapshot()
    return single


def _searches(sharded, single, mates, strangers, threshold: float, shards: int, root: Path) -> dict:  # type: ignore[no-untyped-def]

    from backend.cluster._gallery import ShardedGallery

    sharded.search(mates[0][2], top=1)  # warm-up: every shard loads or compiles its kernels
    wall, overhead, shortlisted, hits, ok_at_threshold, missed = [], [], [], 0, 0, []
    for s, _enrolled, probe in mates:
        found, timing = sharded.search_timed(probe, top=1)
        wall.append(timing.wall_s)
        overhead.append(timing.overhead_s)
        shortlisted.append(timing.scored)
        hit = bool(found) and found[0].subject_id == f"S{s}"
        hits += hit
        ok_at_threshold += hit and found[0].score >= threshold
        if not hit:
            missed.append(f"S{s}")
    best_nonmated = [(sharded.search(p, top=1) or [None])[0] for p in strangers]
    scores = np.array([c.score if c else 0.0 for c in best_nonmated])
    killed = _killed_during_search(sharded, mates[: min(_KILLS, len(mates))], statistics.median(wall))
    empty = ShardedGallery.open(
        "bench-empty", shards, str(root / "empty"), lambda i: f"e{i}", 1, patience=600.0, key=_bench_key(root)
    )
    try:
        empty.search(mates[0][2], top=1)
        empty_wall = [empty.search_timed(p, top=1)[1].wall_s for _s, _e, p in mates]
    finally:
        empty.close()
    n = len(sharded)
    out = {
        **killed,
        "search_ms_median": round(statistics.median(wall) * 1000, 2),
        "fanout_ms_median": round(statistics.median(overhead) * 1000, 2),
        "fanout_empty_ms_median": round(statistics.median(empty_wall) * 1000, 2),
        "rank1_hit_rate": round(hits / len(mates), 4),
        "rank1_at_threshold": round(ok_at_threshold / len(mates), 4),
        "missed": missed,
        "candidates_scored": int(statistics.median(shortlisted)),
        "penetration_rate": round(statistics.median(shortlisted) / n, 5),
        "decision_threshold": threshold,
        "fpir_at_threshold": round(float(np.mean(scores >= threshold)), 4) if len(scores) else None,
        "false_positives_at_threshold": int(np.sum(scores >= threshold)),
        "nonmated_best_score_max": round(float(scores.max()), 4) if len(scores) else None,
        "nonmated_best_score_median": round(float(np.median(scores)), 4) if len(scores) else None,
    }
    if single is not None:
        out.update(_compared(sharded, single, [p for _s, _e, p in mates] + list(strangers)))
    return out


def _compared(sharded, single, probes: list) -> dict:  # type: ignore[no-untyped-def]
    """The same top-10 searches on the shards and in this process, one after the other for each
    probe (which goes first alternates), so that the machine's load weighs on both alike."""
    single.search(probes[0], top=1)  # warm-up: kernels compiled, index norms ready
    galleries = {"sharded": sharded, "single": single}
    walls: dict[str, list[float]] = {"sharded": [], "single": []}
    cpu = {"sharded": 0.0, "single": 0.0}  # this process's CPU during each side's searches
    same, load_before = 0, _loadavg()
    shards_before = _shards_cpu_s(sharded)
    for k, probe in enumerate(probes):
        found = {}
        for name in ("sharded", "single") if k % 2 == 0 else ("single", "sharded"):
            t0, c0 = time.perf_counter(), time.process_time()
            found[name] = galleries[name].search(probe, top=_TOP)
            walls[name].append(time.perf_counter() - t0)
            cpu[name] += time.process_time() - c0
        same += found["sharded"] == found["single"]
    shards_cpu = _shards_cpu_s(sharded) - shards_before  # NaN: a shard restarted or did not say
    sharded_ms, single_ms = (statistics.median(walls[n]) * 1000 for n in ("sharded", "single"))
    return {
        "single_search_ms_median": round(single_ms, 2),
        "paired_sharded_search_ms_median": round(sharded_ms, 2),
        "identical_top10_vs_single": f"{same}/{len(probes)}",
        "sharded_over_single": round(sharded_ms / single_ms, 3),
        # CPU per search (what the load does not change): the single process's, and the shards'
        # with the driver's (sending, waiting, merging).
        "single_cpu_ms_per_search": round(cpu["single"] / len(probes) * 1000, 1),
        "sharded_cpu_ms_per_search": (
            round((cpu["sharded"] + shards_cpu) / len(probes) * 1000, 1) if shards_cpu >= 0 else None
        ),
        "sharded_driver_cpu_ms_per_search": round(cpu["sharded"] / len(probes) * 1000, 1),
        "compare_loadavg": [load_before, _loadavg()],
    }


def _shards_cpu_s(sharded) -> float:  # type: ignore[no-untyped-def]
    """The CPU seconds every shard's actor spent in search stages so far (each reports its own);
    NaN when a shard does not answer."""
    rows = sharded.placement(timeout=60.0)
    return sum(r["search_cpu_s"] for r in rows) if all("search_cpu_s" in r for r in rows) else math.nan


def _load_single(root: Path, key: bytes, source: Path | None):  # type: ignore[no-untyped-def]
    """The one-process gallery: the --from-gallery folder the shards were split from (named in
    the manifest of a --load-gallery of them), or the one saved beside the shards by
    --compare-single --save-gallery."""
    from booking_station.envelope import Sealer
    from matcher import Gallery

    if source is None:
        try:
            source = json.loads((root / _MANIFEST).read_text()).get("split_from")
        except (OSError, ValueError):
            source = None
    if source is not None:
        try:
            return Gallery.load(source)  # memory-mapped, as the one-process bench searches it
        except ValueError as exc:
            raise UserError(f"the one-process gallery {source}: {exc}") from None
    if not (root / _SINGLE / "gallery.json").is_file():
        raise UserError(
            f"--load-gallery {root} holds no one-process gallery to compare with: "
            "save one with --compare-single --save-gallery, or drop --compare-single"
        )
    try:
        return Gallery.load(root / _SINGLE, Sealer(key))
    except ValueError as exc:
        raise UserError(f"--load-gallery {root}: {exc}") from None


def _killed_during_search(sharded, mates, typical_s: float) -> dict:  # type: ignore[no-untyped-def]
    """Searches during which one shard's actor is killed (Ray restarts it on its files): the time
    from the search's start to its answer, whether the answer is right, and how many answers came
    after the kill (a search shorter than the kill's delivery finishes before it)."""
    import os
    import signal
    import threading

    import ray

    here = ray.get_runtime_context().get_node_id()
    times, right, after_kill, restarts = [], 0, 0, []
    for k, (s, _enrolled, probe) in enumerate(mates):
        index = k % sharded.shards
        row = sharded.placement()[index]
        answer: list = []
        t0 = time.perf_counter()
        search = threading.Thread(
            target=lambda p=probe, out=answer: out.append((sharded.search(p, top=1), time.perf_counter()))
        )
        search.start()
        time.sleep(typical_s / 2)  # in flight on every shard
        if row.get("node_id") == here and row.get("pid"):
            os.kill(row["pid"], signal.SIGKILL)  # at once, as a crash (ray.kill is asynchronous)
        else:
            ray.kill(sharded._shards[index].actor, no_restart=False)
        killed_at = time.perf_counter()
        search.join()
        found, answered_at = answer[0] if answer else ([], killed_at)
        times.append(answered_at - t0)
        after = sharded.placement()[index]
        if after.get("pid") != row.get("pid") and after.get("load_s") is not None:
            restarts.append(after["import_s"] + after["load_s"])  # the new actor's constructor
        after_kill += answered_at > killed_at
        right += bool(found) and found[0].subject_id == f"S{s}"
    if not times:
        return {}
    return {
        "killed_actor_answer_s_median": round(statistics.median(times), 2),
        "killed_actor_answer_s_max": round(max(times), 2),
        "killed_actor_answers_right": f"{right}/{len(times)}",
        "killed_actor_answered_after_kill": f"{after_kill}/{len(times)}",
        # Imports and files in the restarted actor (Ray's own start of the process not included).
        "killed_actor_constructor_s_median": round(statistics.median(restarts), 2) if restarts else None,
    }


def _write_manifest(
    root: Path, args: argparse.Namespace, pool: int, templates: int, held: tuple[int, int] | None, source
) -> None:  # type: ignore[no-untyped-def]
    first, mates = held or (args.mate_offset, args.probes)
    manifest = {
        "shards": args.shards,
        "mate_offset": first,
        "mates": mates,
        "pool": pool,
        "templates": templates,
    }
    if source:
        manifest["split_from"] = str(Path(source).resolve())
    (root / _MANIFEST).write_text(json.dumps(manifest))


def _source_mates(source: Path) -> tuple[int, int]:
    """(first, count) of the mates S<first>… a gallery saved by the one-process bench holds."""
    try:
        meta = json.loads((source / "gallery.json").read_text())
        subjects = meta["subjects"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(
            f"--from-gallery {source}: not a gallery saved by `bench search --save-gallery` ({exc})"
        ) from None
    if meta.get("sealed"):
        raise UserError(f"--from-gallery {source} is sealed: give a gallery the one-process bench saved")
    ids = sorted(int(s[1:]) for s in subjects if s[:1] == "S" and s[1:].isdigit())
    if not ids or ids[-1] - ids[0] + 1 != len(ids):
        raise UserError(f"--from-gallery {source} holds no run of mates S<n>…: not a bench gallery")
    return ids[0], len(ids)


def _split(source: Path, root: Path, shards: int, relative, sealer) -> None:  # type: ignore[no-untyped-def]
    """The gallery saved in `source`, split by subject into the shards' sealed folders under
    `root` (on this machine: every node must see `root`), each marked complete once written."""
    from backend.cluster import _placement, _shard
    from matcher import Gallery, _gallery_writer

    try:
        subjects = Gallery.load(source)._subjects
    except ValueError as exc:
        raise UserError(f"--from-gallery {source}: {exc}") from None
    where = np.array([_placement.shard_of(s, shards) for s in subjects], np.int64)
    for i in range(shards):
        folder = _shard.resolve(str(root), relative(i))
        (folder / _shard.COMPLETE).unlink(missing_ok=True)
        n = _gallery_writer.split(source, np.flatnonzero(where == i), folder, sealer)
        (folder / _shard.COMPLETE).write_text("ok\n")
        log.info("shard %d of %d: %d templates split from %s", i + 1, shards, n, source)


def _read_manifest(root: Path, shards: int) -> dict:
    try:
        manifest = json.loads((root / _MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise UserError(f"--load-gallery {root}: not a sharded gallery saved by this bench ({exc})") from None
    if manifest.get("shards") != shards:
        raise UserError(
            f"--load-gallery {root} has {manifest.get('shards')} shards: give --shards {manifest.get('shards')}"
        )
    return manifest


def _loadavg() -> float | None:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _emit(result: dict, json_path: Path | None) -> None:
    for k, v in result.items():
        if not isinstance(v, dict):
            print(f"{k}\t{v}")
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=2) + "\n")


def _bench_key(root: Path) -> bytes:
    """The key the bench's shard files are sealed with, kept wrapped in the saved gallery's folder
    (a --load-gallery opens them again)."""
    from backend import _gallery_key
    from booking_station.envelope import FileKek

    return _gallery_key.sealer(root, FileKek(root / "keys" / "bench.kek")).key_bytes()
