"""`bench accuracy` (FVC protocol) and `bench search` (1:N throughput, rank-1 on synthetic mates)."""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import time
from itertools import combinations
from pathlib import Path

import numpy as np

from booking_station.progress import track
from booking_station.runtime import UserError
from matcher import _features
from matcher._gallery import Gallery
from matcher._matcher import Matcher
from matcher._template import Template

_FVC_NAME = re.compile(r"^(\d+)_(\d+)\.(tif|tiff|png|bmp|jpg|jpeg|pgm|wsq)$", re.IGNORECASE)


def _fvc_files(folder: Path) -> dict[tuple[int, int], Path]:
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    files = {}
    for p in sorted(folder.iterdir()):
        m = _FVC_NAME.match(p.name)
        if m:
            files[(int(m.group(1)), int(m.group(2)))] = p
    fingers = {f for f, _i in files}
    if len(fingers) < 2 or len(files) < 3:
        raise UserError(
            f"{folder}: needs FVC-style files FFF_I.ext of at least two fingers, found {len(files)}"
        )
    return files


def _emit(result: dict, json_path: Path | None) -> None:
    for k, v in result.items():
        if not isinstance(v, list | dict):
            print(f"{k}\t{v}")
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=2) + "\n")


def accuracy(args: argparse.Namespace) -> int:
    """FVC protocol figures of each --dataset folder; with several, also the pooled low-FMR tail."""
    from matcher import _accuracy

    specs = [_folder_spec(spec, args.ppi) for spec in args.dataset]
    if not specs:
        raise UserError("give at least one --dataset")
    folders = []
    for folder, ppi in specs:
        s = _accuracy.load(folder, ppi, _fvc_files(folder), quiet=bool(args.json))
        _accuracy.score_folder(s)
        folders.append(s)
    pooled = None
    if len(folders) > 1:
        parts = [s.impostor_all for s in folders]
        for i, j in combinations(range(len(folders)), 2):
            parts.append(_accuracy.cross_impostors(folders[i], folders[j]))
        pooled = np.concatenate(parts)
    thr3 = _accuracy.threshold_at(pooled, 1e-3) if pooled is not None else None
    thr4 = _accuracy.threshold_at(pooled, 1e-4) if pooled is not None else None
    per = [_accuracy.folder_figures(s, thr3, thr4) for s in folders]
    if pooled is None:
        result = per[0]
        _emit(result, args.json)
        evr = " ".join(f"{r['reject_pct']}:{r['fnmr_pct']}" for r in result["evr"])
        print("evr (reject_pct fnmr_pct at FMR 1e-3):", evr)
    else:
        result = _accuracy.pooled_figures(folders, per, pooled) | {"sets": per}
        _emit(result, args.json)
        print(_accuracy.table(per), end="")
    if args.plot:
        _accuracy.det_plot(folders, args.plot, pooled)
    if getattr(args, "evr_plot", None):
        _accuracy.evr_plot(per, args.evr_plot)
    return 0


def _folder_spec(spec: str, default_ppi: float = 500.0) -> tuple[Path, float]:
    """`DIR[:PPI]` of the --dataset and --fvc options: the folder and its resolution (default_ppi if not given)."""
    folder, _, ppi = spec.partition(":")
    try:
        return Path(folder), float(ppi) if ppi else default_ppi
    except ValueError as exc:
        raise UserError(f"{spec}: resolution after ':' must be a number") from exc


def _use_threads(requested: int) -> int:
    """Set numba's thread count for a bench (0 = all cores) and return it."""
    import numba

    threads = requested or numba.config.NUMBA_NUM_THREADS
    if not 1 <= threads <= numba.config.NUMBA_NUM_THREADS:
        raise UserError(f"--threads must be 1–{numba.config.NUMBA_NUM_THREADS}")
    numba.set_num_threads(threads)
    return threads


def _load_templates(folder: Path, ppi: float) -> dict[tuple[int, int], Template]:
    import cv2

    out = {}
    for key, path in _fvc_files(folder).items():
        img = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if img is None:
            raise UserError(f"{path}: not an image OpenCV can read")
        try:
            out[key] = Template.from_image(img, ppi)
        except ValueError as exc:
            raise UserError(f"{path}: {exc}") from exc
    return out


def extract_frame(k: int) -> np.ndarray:
    """Image k of `bench extract`: a synthetic rolled print centred on a 640×480 canvas."""
    from matcher import synth

    img = synth.impression(200_000 + k, 1 + k % 10, seed=0, kind="rolled").image
    canvas = np.full((480, 640), int(np.median(img[:8])), np.uint8)
    h, w = min(480, img.shape[0]), min(640, img.shape[1])
    y0, x0 = (img.shape[0] - h) // 2, (img.shape[1] - w) // 2
    canvas[(480 - h) // 2 : (480 - h) // 2 + h, (640 - w) // 2 : (640 - w) // 2 + w] = img[
        y0 : y0 + h, x0 : x0 + w
    ]
    return canvas


def extract(args: argparse.Namespace) -> int:
    """Median time of Template.from_image + quality on 640×480 crops of synthetic rolled prints.

    The first image is extracted once beforehand so numba's compile or cache load is not counted;
    the feature cache is cleared before every image so quality cannot reuse the template's work
    from an earlier image. Wall and CPU time (this process's, all its threads) are both given:
    on loaded cores the wall time includes waiting for one.
    """
    from matcher import quality

    if args.images < 1:
        raise UserError("--images must be at least 1")
    frames = [extract_frame(k) for k in range(args.images)]
    Template.from_image(frames[0], 500)
    times, cpu, minutiae = [], [], []
    for img in frames:
        _features._CACHE.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        t = Template.from_image(img, 500)
        quality(img, 500)
        cpu.append((time.process_time() - c0) * 1000)
        times.append((time.perf_counter() - t0) * 1000)
        minutiae.append(len(t))
    result = {
        "images": len(frames),
        "size": "640x480",
        "extract_quality_ms_median": round(statistics.median(times), 2),
        "extract_quality_ms_max": round(max(times), 2),
        "extract_quality_cpu_ms_median": round(statistics.median(cpu), 2),
        "extract_quality_cpu_ms_max": round(max(cpu), 2),
        "minutiae_mean": round(float(np.mean(minutiae)), 1),
    }
    _emit(result, args.json)
    return 0


def threshold(args: argparse.Namespace) -> int:
    """Impostor scores of every pair of images of different fingers, within and across folders.

    The single-finger threshold is the empirical score quantile at FMR 1e-3 and 1e-4. The tenprint
    threshold assumes the ten finger scores of an impostor subject are independent draws from
    that distribution and takes the quantile of their mean at 1e-6 over 10^7 simulated subjects.
    """
    if not args.dataset and not args.synthetic:
        raise UserError("give at least one --dataset or --synthetic N")
    prints: list[tuple[str, Template]] = []
    for spec in args.dataset:
        folder, res = _folder_spec(spec)
        for (finger, _i), t in _load_templates(folder, res).items():
            prints.append((f"{folder}#{finger}", t))
    for _f, t in prints:
        _ = t.cylinders
    scores = []
    t0 = time.perf_counter()
    for a in track(range(len(prints)), "impostor pairs", unit="print", quiet=bool(args.json)):
        m = Matcher(prints[a][1])
        scores.extend(
            m.score(prints[b][1]) for b in range(a + 1, len(prints)) if prints[b][0] != prints[a][0]
        )
    match_s = time.perf_counter() - t0
    result: dict = {}
    if scores:
        imp = np.sort(np.array(scores))
        n = len(imp)

        def at(fmr: float) -> float | None:
            k = int(np.ceil(n * (1 - fmr)))
            return None if n * fmr < 1 else round(float(imp[min(k, n - 1)]), 4)

        rng = np.random.default_rng(0)
        means = np.concatenate([rng.choice(imp, size=(1_000_000, 10)).mean(axis=1) for _ in range(10)])
        result.update(
            {
                "impostor": n,
                "finger_threshold_fmr1e-3": at(1e-3),
                "finger_threshold_fmr1e-4": at(1e-4),
                "impostor_max": round(float(imp[-1]), 4),
                "tenprint_threshold_fmr1e-6": round(float(np.quantile(means, 1 - 1e-6)), 4),
                "match_ms_mean": round(match_s / max(n, 1) * 1000, 4),
            }
        )
    if args.synthetic:
        result.update(_synthetic_tenprint(args.synthetic))
    _emit(result, args.json)
    return 0


def _synthetic_tenprint(n_subjects: int) -> dict:
    """Ten-finger mean scores of every ordered pair of different synthetic subjects, and of mates.

    Enrolment = rolled impression seed 0, probe = plain impression seed 1, same finger number:
    the way the mock backend's population is searched.
    """
    from matcher import FINGER_MATCH_THRESHOLD, synth

    if n_subjects < 2:
        raise UserError("--synthetic needs at least 2 subjects")
    rolled: dict[tuple[int, int], Template] = {}
    plain: dict[tuple[int, int], Template] = {}
    for s in range(n_subjects):
        for f in range(1, 11):
            r = synth.impression(300_000 + s, f, seed=0, kind="rolled")
            p = synth.impression(300_000 + s, f, seed=1, kind="plain")
            rolled[(s, f)] = Template.from_image(r.image, r.ppi)
            plain[(s, f)] = Template.from_image(p.image, p.ppi)
    finger_imp, ten_imp, ten_mate, finger_mate = [], [], [], []
    for a in range(n_subjects):
        for b in range(n_subjects):
            per = [Matcher(plain[(a, f)]).score(rolled[(b, f)]) for f in range(1, 11)]
            if a == b:
                ten_mate.append(float(np.mean(per)))
                finger_mate.extend(per)
            else:
                ten_imp.append(float(np.mean(per)))
                finger_imp.extend(per)
    return {
        "synthetic_subjects": n_subjects,
        "synthetic_finger_impostor": len(finger_imp),
        "synthetic_finger_impostor_max": round(max(finger_imp), 4),
        "synthetic_finger_impostor_above_finger_threshold": int(
            np.sum(np.array(finger_imp) >= FINGER_MATCH_THRESHOLD)
        ),
        "synthetic_tenprint_impostor": len(ten_imp),
        "synthetic_tenprint_impostor_mean": round(float(np.mean(ten_imp)), 4),
        "synthetic_tenprint_impostor_max": round(max(ten_imp), 4),
        "synthetic_tenprint_mate_min": round(min(ten_mate), 4),
        "synthetic_finger_mate_median": round(float(np.median(finger_mate)), 4),
    }


# --- 1:N search --------------------------------------------------------------------------------


def _resident_mb() -> dict:
    """Resident memory now and at its peak (VmRSS, VmHWM of /proc/self/status), in MB."""
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = round(int(value.split()[0]) / 1024)
    except OSError:
        import resource

        out["VmHWM"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def _throughput(gallery: Gallery, probe: Template, n: int) -> tuple[float, float]:
    """Full LSS-R comparisons per second (wall) against n gallery templates with their cylinders
    built beforehand, and the CPU ms it takes to rebuild one template's cylinders."""
    from matcher import _index, _mcc

    v = gallery._snapshot()
    select = np.arange(min(n, len(v.subjects)), dtype=np.int64)
    minutiae, texture, offsets = v.rows(select)  # copied out: a loaded gallery's maps stay untouched
    c0 = time.process_time()
    bits, valid, centres, tex, off = _index.cylinders_many(minutiae, texture, offsets, select)
    rebuild_ms = (time.process_time() - c0) * 1000 / len(select)
    p = probe.cylinders
    _mcc.score_many(
        p.bits, p.valid, p.minutiae, p.texture, bits, valid, centres, tex, off, select[:10]
    )  # warm-up
    t0 = time.perf_counter()
    _mcc.score_many(p.bits, p.valid, p.minutiae, p.texture, bits, valid, centres, tex, off, select)
    return len(select) / (time.perf_counter() - t0), rebuild_ms


def search(args: argparse.Namespace) -> int:
    """1:N search of synthetic mates in a gallery of synthetic fillers (matcher._fillers)."""

    from matcher import _fillers, _gallery

    load = getattr(args, "load_gallery", None)
    if args.gallery is None and not load:
        raise UserError("give --gallery N (templates to build) or --load-gallery DIR")
    if args.gallery is not None and args.gallery < 1:
        raise UserError("--gallery must be at least 1")
    threads = _use_threads(args.threads)
    offset = getattr(args, "mate_offset", 0)
    try:
        gallery = Gallery.load(load) if load else Gallery()
    except (OSError, ValueError) as exc:
        raise UserError(f"--load-gallery: {exc}") from exc
    enrolled_ids = gallery.subjects() if load else set()
    n_mates = args.probes if load else min(args.probes, args.gallery)
    n_fill = 0 if load else args.gallery - n_mates
    probes = []
    quiet = bool(args.json)
    t0 = time.perf_counter()
    try:
        mates = list(track(_fillers.mates(n_mates, first=offset), "mates", total=n_mates, quiet=quiet))
    except ValueError as exc:
        raise UserError(f"--mate-offset: {exc}") from exc
    enrolments = []
    for s, (finger, enrolled, probe) in enumerate(mates):
        sid = f"S{offset + s}"
        if sid not in enrolled_ids:  # a loaded gallery may hold them already
            enrolments.append((sid, finger, enrolled))
        probes.append((sid, probe))
    del mates
    distinct = _fillers.pool(min(n_fill, args.pool), quiet=quiet)
    synth_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    fillers = track(_fillers.fillers(n_fill, distinct), "fillers", total=n_fill, unit="template", quiet=quiet)
    save = getattr(args, "save_gallery", None)
    streamed = bool(save) and not load
    if streamed:
        # Written to its folder as it is made (matcher._gallery_writer: the same files, never the
        # whole gallery in memory), then searched loaded; fill_s then includes the index.
        from matcher import _gallery_writer

        entries = ((f"F{k}", 1 + k % 10, t) for k, t in enumerate(fillers))
        _gallery_writer.write(save, itertools.chain(enrolments, entries))
    else:
        for sid, finger, enrolled in enrolments:
            gallery.add(sid, finger, enrolled)
        for k, t in enumerate(fillers):
            gallery.add(f"F{k}", 1 + k % 10, t)
        gallery._flush()
    fill_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    if streamed:
        gallery = Gallery.load(save)
    gallery._snapshot()  # cylinders (small) or index (large) built here (or extended, if loaded)
    build_s, build_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    if save and not streamed:
        gallery.save(save)
    indexed = len(gallery) >= _gallery.INDEX_MIN

    missed: list[str] = []  # mates not first in the indexed search (diagnosis)

    def run(exhaustive: bool) -> tuple[float, float, float]:
        gallery.search(probes[0][1], top=1, exhaustive=exhaustive)  # warm-up: compile or load kernels
        times, cpu, hits = [], [], 0
        missed.clear()
        what = "exhaustive searches" if exhaustive else "searches"
        for sid, probe in track(probes, what, unit="probe", quiet=quiet):
            _ = probe.cylinders  # the probe's own extraction is not part of the search
            t1, c1 = time.perf_counter(), time.process_time()
            best = gallery.search(probe, top=1, exhaustive=exhaustive)
            times.append(time.perf_counter() - t1)
            cpu.append(time.process_time() - c1)
            hit = bool(best) and best[0].subject_id == sid
            hits += hit
            if not hit:
                missed.append(sid)
        return statistics.median(times), statistics.median(cpu), hits / len(probes)

    per_s, rebuild_ms = _throughput(gallery, probes[0][1], args.throughput_templates)
    result = {
        "gallery": len(gallery),
        "threads": threads,
        "probes": len(probes),
        "mates_synthetic": n_mates,
        "distinct_filler_fingers": len(distinct),
        "derived_fillers": max(0, n_fill - len(distinct)),
        "mate_offset": offset,
        "loaded_from": str(load) if load else None,
        "minutiae_mean": round(float(np.mean([len(t) for _s, t in probes])), 1),
        "gallery_minutiae_mean": round(float(np.mean(np.diff(gallery._snapshot().offsets))), 1),
        "comparisons_per_s": round(per_s),
        "comparisons_per_s_per_thread": round(per_s / threads),
        "cylinder_rebuild_cpu_ms": round(rebuild_ms, 3),
        "indexed": indexed,
        "streamed_to_disk": streamed,
        "synth_s": round(synth_s, 1),
        "fill_s": round(fill_s, 1),
        "build_s": round(build_s, 1),
        "build_cpu_s": round(build_cpu_s, 1),
        "gallery_mb": round(gallery._nbytes() / 2**20),
    }
    if not indexed or len(gallery) <= args.exhaustive_max:
        full_s, full_cpu, full_hits = run(exhaustive=True)
        result["search_ms_median_exhaustive"] = round(full_s * 1000, 2)
        result["rank1_hit_rate_exhaustive"] = round(full_hits, 4)
    s_wall, s_cpu, hits = run(exhaustive=False)
    lookup = []  # the shortlist alone (hash lookup, collisions, geometric check): no full scores
    for _sid, probe in probes:
        t1 = time.perf_counter()
        gallery._shortlist(probe, top=1)
        lookup.append(time.perf_counter() - t1)
    scored = _gallery.shortlist_size(len(gallery), 1) if indexed else len(gallery)
    result.update(
        {
            "search_ms_median": round(s_wall * 1000, 2),
            "search_cpu_ms_median": round(s_cpu * 1000, 2),
            "rank1_hit_rate": round(hits, 4),
            "missed": missed,
            "index_lookup_ms_median": round(statistics.median(lookup) * 1000, 2),
            "candidates_scored": scored,
            "penetration_rate": round(scored / len(gallery), 5),
        }
    )
    result.update({f"{k}_mb": v for k, v in _resident_mb().items()})
    _emit(result, args.json)
    return 0


def fvc_search(args: argparse.Namespace) -> int:
    """`bench search --fvc DIR[:PPI]`: exhaustive 1:N throughput on real FVC templates.

    The anchors (OpenAFIS, SourceAFIS) are measured on FVC-sized templates, which are smaller than
    the synthetic rolled gallery of `search`. Probes are impression 2 of every finger; the gallery
    holds the other impressions (subject = folder#finger), repeated up to --gallery templates
    (the repeats only make it big enough to time). CPU time is reported beside wall time because
    other processes may share the cores.
    """
    if args.gallery is None or args.gallery < 1:
        raise UserError("--fvc needs --gallery N (templates to search, at least 1)")
    threads = _use_threads(args.threads)
    probes: list[tuple[str, Template]] = []
    pool: list[tuple[str, Template]] = []
    for spec in args.fvc:
        folder, res = _folder_spec(spec)
        for (finger, imp), t in sorted(_load_templates(folder, res).items()):
            (probes if imp == 2 else pool).append((f"{folder}#{finger}", t))
    probes = probes[:: max(1, len(probes) // max(args.probes, 1))][: args.probes]  # from every folder
    if not probes or not pool:
        raise UserError("--fvc folders need impression 2 and other impressions of their fingers")
    # The gallery's cylinders are built once, as a small gallery keeps them (a Gallery this large
    # would be indexed and rebuild cylinders per search: that is `search`'s figure, not this one).
    from matcher import _mcc

    owners = [pool[k % len(pool)] for k in range(args.gallery)]
    cyl = [t.cylinders for _sid, t in owners]
    offsets = np.concatenate([[0], np.cumsum([len(c.bits) for c in cyl])]).astype(np.int64)
    bits = np.ascontiguousarray(np.concatenate([c.bits for c in cyl]))
    valid = np.ascontiguousarray(np.concatenate([c.valid for c in cyl]))
    centres = np.ascontiguousarray(np.concatenate([c.minutiae for c in cyl]))
    texture = np.ascontiguousarray(np.concatenate([c.texture for c in cyl]))
    select = np.arange(len(owners), dtype=np.int64)

    def scores(probe: Template) -> np.ndarray:
        p = probe.cylinders
        return _mcc.score_many(
            p.bits, p.valid, p.minutiae, p.texture, bits, valid, centres, texture, offsets, select
        )

    scores(probes[0][1])  # warm-up: compile or load kernels
    times, cpu, hits = [], [], 0
    for sid, probe in probes:
        _ = probe.cylinders  # the probe's own cylinders are not part of the search
        t1, c1 = time.perf_counter(), time.process_time()
        best = int(np.argmax(scores(probe)))
        times.append(time.perf_counter() - t1)
        cpu.append(time.process_time() - c1)
        hits += owners[best][0] == sid
    wall_s = statistics.median(times)
    result = {
        "gallery": len(owners),
        "threads": threads,
        "probes": len(probes),
        "distinct_gallery_templates": len(pool),
        "probe_minutiae_mean": round(float(np.mean([len(t) for _s, t in probes])), 1),
        "probe_cylinders_mean": round(float(np.mean([len(t.cylinders.bits) for _s, t in probes])), 1),
        "gallery_minutiae_mean": round(float(np.mean([len(t) for _s, t in pool])), 1),
        "gallery_cylinders_mean": round(float(np.mean([len(t.cylinders.bits) for _s, t in pool])), 1),
        "comparisons_per_s": round(len(owners) / wall_s),
        "comparisons_per_s_per_thread": round(len(owners) / wall_s / threads),
        "comparisons_per_cpu_s": round(len(owners) / statistics.median(cpu)),
        "search_ms_median_exhaustive": round(wall_s * 1000, 2),
        "rank1_hit_rate_exhaustive": round(hits / len(probes), 4),
    }
    _emit(result, args.json)
    return 0
