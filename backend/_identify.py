"""`booking-station bench identify`: tenprint identification in the manner of NIST FpVTE 2012 / FRIF E1N.

A gallery of distinct synthetic subjects, each enrolled with ten rolled prints from `matcher.synth`
(through the backend's own enrolment code), is searched with tenprint probes: about a third of
them mated (a new impression of an enrolled subject: new distortion, pressure, noise), the rest
subjects never enrolled; now and then a probe lacks a finger, as when one is declared amputated
or unprintable. Probes are ten rolled prints, or the ten plain fingers of a 4-4-2 flats capture
cut out of the slaps by their segment boxes (the way NGI searches a flats-only CAR), or both.
Each search is the backend's own: `matcher.Gallery.search_tenprint` (the fusion) and
`backend.ngi.search` (the identification decision) on its result.

Figures, as FRIF defines them: over non-mated searches, FPIR(T) is the fraction whose best
candidate scores T or more; over mated searches, FNIR(T) the fraction whose mate is not the best
candidate with a score of T or more. FNIR is reported at FPIR 1e-2, 1e-3 and 1e-4 where the number
of non-mated searches resolves it (at least 1/FPIR of them), and at the backend's own decision.

Templates are cached one file per impression, and each gallery is saved (`Gallery.save`), under
the runtime cache folder (or --data-dir), keyed by the sources that make them: a rerun reuses them,
and a larger gallery reuses the templates of a smaller one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import statistics
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger("backend.bench.identify")

FPIRS = (1e-2, 1e-3, 1e-4)
KINDS = ("rolled", "flats")
_GALLERY_BASE = 6_000_000  # subject ids of enrolled subjects
_NONMATED_BASE = 6_500_000  # subject ids of probes never enrolled
_ENROL_SEED = 0
_PROBE_SEED = 1000  # + the probe's number: every probe is a new impression
_MISSING_RATE = 0.08  # probes that lack one finger
_TOP = 10
_SLAPS = ((13, "right"), (14, "left"), (15, "thumbs"))  # FGP of the capture, synth's name for it


def data_folder(data_dir: Path | None) -> Path:
    """Where templates and galleries of this code live: a folder named by the sources that make them."""
    import matcher
    from booking_station.runtime import cache_dir

    root = Path(matcher.__file__).parent
    digest = hashlib.sha256()
    # The extractor and the generator decide the templates; the matcher's scores are not stored.
    sources = [root / n for n in ("_features.py", "_skeleton.py", "_image.py", "_texture.py", "_template.py")]
    sources += sorted((root / "synth").glob("*.py"))
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    folder = (Path(data_dir) if data_dir else cache_dir() / "bench-identify") / digest.hexdigest()[:16]
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Probe:
    number: int
    subject_id: str  # as enrolled, or one never enrolled
    mated: bool
    kind: str  # rolled or flats
    fingers: Mapping[int, object]  # FGP 1–10 -> matcher.Template


def _cached(folder: Path, name: str, make: Callable[[], object]):  # type: ignore[no-untyped-def]
    from matcher import Template

    path = folder / "templates" / f"{name}.tpl"
    try:
        return Template.from_bytes(path.read_bytes())
    except (OSError, ValueError):
        pass
    data = make().to_bytes()  # type: ignore[attr-defined]
    tmp = path.with_suffix(f".tmp{os.getpid()}-{threading.get_ident()}")
    tmp.write_bytes(data)
    tmp.replace(path)
    return Template.from_bytes(data)  # the same (1/8 px) minutiae whether fresh or cached


def _rolled(folder: Path, subject: int, finger: int, seed: int):  # type: ignore[no-untyped-def]
    def make():  # type: ignore[no-untyped-def]
        from matcher import Template, synth

        imp = synth.impression(subject, finger, seed=seed, kind="rolled")
        return Template.from_image(imp.image, imp.ppi)

    return _cached(folder, f"{subject}_{finger}_{seed}_rolled", make)


def _flats(folder: Path, subject: int, seed: int) -> dict[int, object]:
    """The ten plain fingers of a 4-4-2 capture, cut out of the slaps and thumbs by their boxes."""
    names = {f: f"{subject}_{f}_{seed}_flat" for f in range(1, 11)}
    paths = [folder / "templates" / f"{n}.tpl" for n in names.values()]
    if not all(p.is_file() for p in paths):
        from matcher import Template, synth

        for _fgp, hand in _SLAPS:
            capture = synth.thumbs(subject, seed) if hand == "thumbs" else synth.slap(subject, hand, seed)
            for finger, (x, y, w, h) in capture.fingers:
                crop = capture.image[y : y + h, x : x + w]
                _cached(folder, names[finger], lambda c=crop, p=capture.ppi: Template.from_image(c, p))
    return {f: _cached(folder, n, _missing) for f, n in names.items()}


def _missing():  # type: ignore[no-untyped-def]
    raise RuntimeError("a flats template was not made")


def _parallel(jobs: list, work: Callable, what: str) -> list:
    """work(job) for every job on two threads (the extractor and the generator release the GIL)."""
    done = 0
    lock = threading.Lock()

    def one(job):  # type: ignore[no-untyped-def]
        nonlocal done
        out = work(job)
        with lock:
            done += 1
            if done % max(1, len(jobs) // 10) == 0 or done == len(jobs):
                log.info("%s: %d/%d", what, done, len(jobs))
        return out

    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return list(pool.map(one, jobs))


def gallery(folder: Path, subjects: int):  # type: ignore[no-untyped-def]
    """The gallery of the first `subjects` subjects, ten rolled prints each, loaded or built and saved."""
    from matcher import Gallery

    saved = folder / f"gallery-{subjects}"
    if (saved / "gallery.json").is_file():
        try:
            return Gallery.load(saved), True
        except ValueError as exc:
            log.warning("saved gallery %s unreadable (%s); building it again", saved, exc)
    jobs = [(s, f) for s in range(subjects) for f in range(1, 11)]
    templates = _parallel(
        jobs, lambda j: _rolled(folder, _GALLERY_BASE + j[0], j[1], _ENROL_SEED), "gallery prints"
    )
    g = Gallery()
    for (s, f), t in zip(jobs, templates, strict=True):
        g.add(f"G{s}", f, t)
    g.save(saved)
    return Gallery.load(saved), False


def probe_plan(gallery_subjects: int, probes: int, seed: int) -> list[tuple[int, int, bool, int | None]]:
    """(probe number, synthetic subject id, mated, missing finger or None) of every probe.

    Every third probe is mated (a distinct enrolled subject while there are enough of them);
    the others are distinct subjects never enrolled.
    """
    rng = np.random.default_rng(seed)
    n_mated = min(gallery_subjects, (probes + 2) // 3)
    mates = rng.choice(gallery_subjects, size=n_mated, replace=False)
    plan = []
    m = u = 0
    for k in range(probes):
        mated = m < n_mated and (k % 3 == 0 or probes - k <= n_mated - m)
        if mated:
            subject = _GALLERY_BASE + int(mates[m])
            m += 1
        else:
            subject = _NONMATED_BASE + u
            u += 1
        missing = int(rng.integers(1, 11)) if rng.random() < _MISSING_RATE else None
        plan.append((k, subject, mated, missing))
    return plan


def make_probes(folder: Path, plan: list, kind: str) -> list[Probe]:
    def one(item) -> Probe:  # type: ignore[no-untyped-def]
        k, subject, mated, missing = item
        seed = _PROBE_SEED + k
        if kind == "rolled":
            fingers = {f: _rolled(folder, subject, f, seed) for f in range(1, 11)}
        else:
            fingers = _flats(folder, subject, seed)
        fingers = {f: t for f, t in fingers.items() if f != missing}
        sid = f"G{subject - _GALLERY_BASE}" if mated else f"N{subject - _NONMATED_BASE}"
        return Probe(k, sid, mated, kind, fingers)

    return _parallel(plan, one, f"{kind} probes")


class _Answered:
    """What `backend.ngi.search` asks of a gallery, answered from a search already made (so the
    backend's decision is applied to exactly the candidates that were timed)."""

    def __init__(self, size: int, candidates: list):
        self._size, self._candidates = size, candidates

    def __len__(self) -> int:
        return self._size

    def search_tenprint(self, probes: Mapping[int, object], top: int = 10) -> list:
        return self._candidates[:top]


def search(g, probes: list[Probe]) -> list[dict]:  # type: ignore[no-untyped-def]
    """Search every probe with the backend's fusion and decision; one result per probe."""
    from backend import ngi

    size = len(g)
    out = []
    for p in probes:
        # As NGI examines a submission: fingers with too few minutiae are left out, and with too
        # few usable fingers the submission is sent back (L0007) instead of searched.
        usable = {f: t for f, t in p.fingers.items() if len(t.minutiae) >= ngi.MIN_MINUTIAE}
        rejected = len(usable) < ngi.MIN_USABLE_FINGERS
        t0, c0 = time.perf_counter(), time.process_time()
        candidates = [] if rejected else g.search_tenprint(usable, top=_TOP)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        hit = None if rejected else ngi.search(_Answered(size, candidates), usable)
        best = candidates[0] if candidates else None
        mate = next((c for c in candidates if c.subject_id == p.subject_id), None)
        out.append(
            {
                "probe": p.number,
                "kind": p.kind,
                "subject_id": p.subject_id,
                "mated": p.mated,
                "fingers": len(usable),
                "rejected": rejected,
                "best_id": best.subject_id if best else None,
                "best_score": round(best.score, 5) if best else 0.0,
                "mate_rank": candidates.index(mate) + 1 if mate else None,
                "mate_score": round(mate.score, 5) if mate else None,
                "identified": bool(hit and hit.identified),
                "corroborating_fingers": hit.corroborating if hit else 0,
                "identified_id": hit.record_id if hit and hit.identified else None,
                "search_wall_s": round(wall, 4),
                "search_cpu_s": round(cpu, 4),
            }
        )
    return out


def figures(results: list[dict]) -> dict:
    """FNIR at FPIR, rank-1, the backend decision's error rates and search time of a set of searches."""
    mated = [r for r in results if r["mated"]]
    non = [r for r in results if not r["mated"]]
    # A mated search succeeds at threshold T when its mate is the best candidate scoring T or more.
    mated_ok = np.sort([r["best_score"] for r in mated if r["mate_rank"] == 1])
    non_best = np.sort([r["best_score"] for r in non])
    out: dict = {"mated_searches": len(mated), "nonmated_searches": len(non)}
    for fpir in FPIRS:
        t = _threshold(non_best, fpir)
        key = f"fnir_at_fpir_{fpir:.0e}".replace("e-0", "e-") + "_pct"
        out[key] = (
            None if t is None or not mated else round(100 * (1 - _at_least(mated_ok, t) / len(mated)), 2)
        )
        out[key.replace("fnir", "threshold").replace("_pct", "")] = None if t is None else round(t, 5)
    if len(non_best) and mated:
        # Above every non-mated search's best score: the FNIR at the lowest FPIR this run can show.
        t = float(np.nextafter(non_best[-1], np.inf))
        out["fnir_at_zero_observed_fpir_pct"] = round(100 * (1 - _at_least(mated_ok, t) / len(mated)), 2)
        out["nonmated_best_score_max"] = round(float(non_best[-1]), 5)
    if len(mated_ok):
        out["mated_score_min"] = round(float(mated_ok[0]), 5)
    out["rejected_searches"] = sum(r["rejected"] for r in results)
    out["rank1_pct"] = round(100 * sum(r["mate_rank"] == 1 for r in mated) / len(mated), 2) if mated else None
    # The backend's decision (matcher.TENPRINT_IDENT_THRESHOLD and its corroborating fingers).
    false_id = sum(r["identified"] for r in non)
    missed = sum(not (r["identified"] and r["identified_id"] == r["subject_id"]) for r in mated)
    out["decision_fpir_pct"] = round(100 * false_id / len(non), 3) if non else None
    out["decision_false_identifications"] = false_id
    out["decision_fnir_pct"] = round(100 * missed / len(mated), 2) if mated else None
    out["decision_wrong_subject"] = sum(
        r["identified"] and r["identified_id"] != r["subject_id"] for r in mated
    )
    cpu = [r["search_cpu_s"] for r in results]
    wall = [r["search_wall_s"] for r in results]
    out["search_cpu_s_median"] = round(statistics.median(cpu), 4) if cpu else None
    out["search_wall_s_median"] = round(statistics.median(wall), 4) if wall else None
    return out


def _threshold(non_best: np.ndarray, fpir: float) -> float | None:
    """The lowest threshold with at most fpir of the non-mated searches at or above it, or None
    when there are fewer than 1/fpir non-mated searches."""
    n = len(non_best)
    if n * fpir < 1 - 1e-9:
        return None
    allowed = int(np.floor(n * fpir + 1e-9))
    return float(np.nextafter(non_best[n - allowed - 1], np.inf))


def _at_least(sorted_scores: np.ndarray, t: float) -> int:
    return int(len(sorted_scores) - np.searchsorted(sorted_scores, t, side="left"))


def det_plot(by_kind: dict[str, list[dict]], path: Path, title: str, threshold: float) -> None:
    """FNIR against FPIR (FRIF's DET for identification), one curve per kind of probe, and beside it
    the scores behind it: each mated search's mate (when ranked first) and each non-mated search's
    best candidate, with the backend's tenprint threshold (with few errors the DET alone is a corner)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.8))
    for n, (kind, results) in enumerate(by_kind.items()):
        mated = [r for r in results if r["mated"]]
        non = np.sort([r["best_score"] for r in results if not r["mated"]])
        ok = np.sort([r["best_score"] for r in mated if r["mate_rank"] == 1])
        if not len(non) or not mated:
            continue
        ts = np.unique(np.concatenate([non, ok, [np.nextafter(max(non[-1], ok[-1] if len(ok) else 0), 1)]]))
        fpir = np.array([_at_least(non, t) / len(non) for t in ts])
        fnir = np.array([1 - _at_least(ok, t) / len(mated) for t in ts])
        floor = 0.5 / max(len(non), len(mated))
        ax.loglog(
            np.maximum(fpir, floor) * 100, np.maximum(fnir, floor) * 100, drawstyle="steps-post", label=kind
        )
        jitter = np.random.default_rng(n).uniform(-0.12, 0.12, len(non) + len(ok))
        bx.scatter(non, 2 * n + 0.0 + jitter[: len(non)], s=8, marker="x", label=f"{kind}: non-mated best")
        bx.scatter(ok, 2 * n + 0.6 + jitter[len(non) :], s=8, marker="o", label=f"{kind}: mate, rank 1")
    ax.set_xlabel("FPIR (%)")
    ax.set_ylabel("FNIR (%)")
    ax.set_title(title, fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    bx.axvline(threshold, color="k", linestyle="--", linewidth=1)
    bx.text(threshold, bx.get_ylim()[1], f" threshold {threshold}", fontsize=8, va="top")
    bx.set_xscale("log")
    bx.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    bx.set_yticks([])
    bx.set_xlabel("tenprint score (mean over the probe's fingers)")
    bx.set_title("Scores: best non-mated candidates and mates", fontsize=9)
    bx.grid(True, axis="x", which="both", alpha=0.3)
    for a in (ax, bx):
        if a.lines or a.collections:
            a.legend(fontsize=7)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def run(gallery_subjects: int, probes: int, impressions: str, data_dir: Path | None, seed: int) -> dict:
    import matcher

    kinds = KINDS if impressions == "both" else (impressions,)
    folder = data_folder(data_dir)
    t0, c0 = time.perf_counter(), time.process_time()
    g, reused = gallery(folder, gallery_subjects)
    build = {"wall_s": round(time.perf_counter() - t0, 1), "cpu_s": round(time.process_time() - c0, 1)}
    plan = probe_plan(gallery_subjects, probes, seed)
    g.search_tenprint({1: _rolled(folder, _GALLERY_BASE, 1, _ENROL_SEED)}, top=1)  # warm-up: load kernels
    by_kind = {}
    for kind in kinds:
        by_kind[kind] = search(g, make_probes(folder, plan, kind))
    everything = [r for rs in by_kind.values() for r in rs]
    report = {
        "gallery_subjects": gallery_subjects,
        "gallery_templates": len(g),
        "probes": probes,
        "impressions": impressions,
        "seed": seed,
        "gallery_folder": str(folder / f"gallery-{gallery_subjects}"),
        "gallery_reused": reused,
        "gallery_build": build,
        "tenprint_ident_threshold": matcher.TENPRINT_IDENT_THRESHOLD,
        "finger_match_threshold": matcher.FINGER_MATCH_THRESHOLD,
        # Top-level figures: over every search made (rolled and flats together when both).
        **figures(everything),
    }
    if len(kinds) > 1:
        report.update({kind: figures(rs) for kind, rs in by_kind.items()})
    report["results"] = everything
    report["_by_kind"] = by_kind
    return report


def main(args) -> int:  # type: ignore[no-untyped-def]
    from booking_station.runtime import UserError

    if args.gallery_subjects < 1 or args.probes < 1:
        raise UserError("--gallery-subjects and --probes must be at least 1")
    report = run(args.gallery_subjects, args.probes, args.impressions, args.data_dir, args.seed)
    by_kind = report.pop("_by_kind")
    summary = {k: v for k, v in report.items() if k != "results"}
    print(json.dumps(summary, indent=2))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    if args.plot:
        title = (
            f"Tenprint identification: {args.gallery_subjects} subjects, {args.probes} probes "
            f"({report['mated_searches']} mated searches)"
        )
        det_plot(by_kind, Path(args.plot), title, report["tenprint_ident_threshold"])
    return 0
