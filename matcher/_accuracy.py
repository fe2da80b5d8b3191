"""`bench accuracy`: verification error rates of FVC-style folders, the low-FMR tail and error versus reject.

One folder gives the FVC protocol figures (280 genuine pairs, 45 impostor pairs of first
impressions) and the same over every pair of images of different fingers in the folder.
Several folders are also pooled: every pair of images of different fingers, within and across
the folders (113 280 pairs over the six shared FVC sets), sets one score threshold at FMR 1e-3
and one at 1e-4, and each folder's genuine pairs are counted against those — the way the
decision thresholds (`matcher.FINGER_MATCH_THRESHOLD`) are set, and the only way a folder of
80 images can say anything about FMR 1e-4.

Error versus reject (ISO/IEC 29794-1 style, by image): the images of a folder are ranked by their
quality score; the lowest-quality fraction is rejected (as a clerk would retake them) and the
FNMR at the FMR 1e-3 threshold is counted over the genuine pairs whose images were both kept.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np

from booking_station.runtime import UserError
from matcher import _features, _quality, _rates
from matcher._matcher import Matcher
from matcher._template import Template

REJECT_STEPS = (0.0, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30)
Key = tuple[int, int]  # (finger, impression) of an FVC file name


@dataclass
class FolderScores:
    """Templates, qualities and scores of one FVC-style folder."""

    name: str
    folder: Path
    ppi: float
    templates: dict[Key, Template]
    quality: dict[Key, int]
    extract_ms: list[float]
    genuine_pairs: list[tuple[Key, Key]] = field(default_factory=list)
    genuine: np.ndarray = field(default_factory=lambda: np.zeros(0))
    protocol_impostor: np.ndarray = field(default_factory=lambda: np.zeros(0))
    impostor_all: np.ndarray = field(default_factory=lambda: np.zeros(0))  # within the folder
    match_ms: list[float] = field(default_factory=list)


def load(folder: Path, ppi: float, files: dict[Key, Path], quiet: bool = False) -> FolderScores:
    """Extract every image of a folder (templates and quality), timing extraction + quality."""
    import cv2

    from booking_station.progress import track

    templates: dict[Key, Template] = {}
    quality: dict[Key, int] = {}
    ms = []
    for key, path in track(list(files.items()), f"extracting {folder.name}", unit="image", quiet=quiet):
        img = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if img is None:
            raise UserError(f"{path}: not an image OpenCV can read")
        t0 = time.perf_counter()
        try:
            img500, f = _features.analyse(img, ppi)
        except ValueError as exc:
            raise UserError(f"{path}: {exc}") from exc
        quality[key] = _quality.assess(img500, f, ppi).score
        templates[key] = Template(f.minutiae, f.mask.shape[1], f.mask.shape[0], f.minutia_quality, f.texture)
        ms.append((time.perf_counter() - t0) * 1000)
    for t in templates.values():
        _ = t.cylinders  # built once, outside the match timing
    return FolderScores(folder.name, folder, ppi, templates, quality, ms)


def score_folder(s: FolderScores) -> None:
    """Genuine pairs, the 45 protocol impostors and every cross-finger pair within the folder."""
    t = s.templates
    fingers = sorted({f for f, _i in t})
    s.genuine_pairs = [(a, b) for f in fingers for a, b in combinations(sorted(k for k in t if k[0] == f), 2)]
    firsts = [min(k for k in t if k[0] == f) for f in fingers]
    s.genuine = _scores(t, t, s.genuine_pairs, s.match_ms)
    s.protocol_impostor = _scores(t, t, list(combinations(firsts, 2)), s.match_ms)
    s.impostor_all = _scores(t, t, [(a, b) for a, b in combinations(sorted(t), 2) if a[0] != b[0]], None)


def cross_impostors(a: FolderScores, b: FolderScores) -> np.ndarray:
    """Scores of every image of folder a against every image of folder b (all different fingers)."""
    pairs = [(x, y) for x in sorted(a.templates) for y in sorted(b.templates)]
    return _scores(a.templates, b.templates, pairs, None)


def _scores(ta: dict, tb: dict, pairs: list, ms: list[float] | None) -> np.ndarray:
    out = np.empty(len(pairs))
    matchers: dict[Key, Matcher] = {}
    for n, (a, b) in enumerate(pairs):
        m = matchers.get(a)
        if m is None:
            m = matchers[a] = Matcher(ta[a])
        t0 = time.perf_counter()
        out[n] = m.score(tb[b])
        if ms is not None:
            ms.append((time.perf_counter() - t0) * 1000)
    return out


def threshold_at(impostor: np.ndarray, fmr: float) -> float | None:
    """The lowest score threshold whose FMR over these impostors is at most fmr (accept ≥), or None
    when there are too few impostors to resolve it."""
    imp = np.sort(np.asarray(impostor, np.float64))
    n = len(imp)
    if n * fmr < 1:
        return None
    k = int(np.ceil(n * (1 - fmr)))
    return float(np.nextafter(imp[k - 1], np.inf)) if k >= 1 else float(imp[0])


def fnmr(genuine: np.ndarray, threshold: float | None) -> float | None:
    return None if threshold is None else float(np.mean(np.asarray(genuine) < threshold))


def error_vs_reject(s: FolderScores, threshold: float | None) -> list[dict]:
    """FNMR at `threshold` after rejecting the lowest-quality fraction of the folder's images."""
    if threshold is None:
        return []
    keys = sorted(s.templates)
    order = sorted(keys, key=lambda k: (s.quality[k], k))
    out = []
    for r in REJECT_STEPS:
        n_rej = int(round(r * len(keys)))
        rejected = set(order[:n_rej])
        keep = np.array([a not in rejected and b not in rejected for a, b in s.genuine_pairs], bool)
        kept = s.genuine[keep]
        out.append(
            {
                "reject_pct": round(100 * r, 1),
                "images_rejected": n_rej,
                "quality_below": s.quality[order[n_rej]] if n_rej < len(order) else None,
                "genuine_kept": int(keep.sum()),
                "fnmr_pct": round(100 * float(np.mean(kept < threshold)), 3) if len(kept) else None,
            }
        )
    return out


def evr_gain_pct(evr: list[dict], reject_pct: float = 10.0) -> float | None:
    """How much lower (in %) FNMR is after rejecting reject_pct of the images than with none."""
    by = {r["reject_pct"]: r["fnmr_pct"] for r in evr}
    base, after = by.get(0.0), by.get(reject_pct)
    if not base or after is None:
        return None
    return round(100 * (1 - after / base), 1)


def folder_figures(s: FolderScores, thr3: float | None, thr4: float | None) -> dict:
    """A folder's figures; thr3/thr4: the pooled FMR 1e-3/1e-4 thresholds (None: within the folder)."""
    gen, imp, imp_all = s.genuine, s.protocol_impostor, s.impostor_all
    e, thr = _rates.eer(gen, imp)
    own3 = threshold_at(imp_all, 1e-3)
    evr = error_vs_reject(s, thr3 if thr3 is not None else own3)
    out = {
        "dataset": str(s.folder),
        "ppi": s.ppi,
        "eer_pct": round(100 * e, 3),
        "eer_threshold": round(thr, 4),
        "fmr100_pct": round(100 * _rates.fnmr_at_fmr(gen, imp, 0.01), 3),
        "fmr1000_pct": round(100 * _rates.fnmr_at_fmr(gen, imp, 0.001), 3),
        "zerofmr_pct": round(100 * _rates.fnmr_at_fmr(gen, imp, 0.0), 3),
        "genuine": len(gen),
        "impostor": len(imp),
        "impostor_all": len(imp_all),
        "eer_all_pct": round(100 * _rates.eer(gen, imp_all)[0], 3),
        "fmr1000_all_pct": round(100 * _rates.fnmr_at_fmr(gen, imp_all, 0.001), 3),
        "impostor_all_max": round(float(imp_all.max()), 4),
        "extract_ms_median": round(statistics.median(s.extract_ms), 2),
        "match_ms_median": round(statistics.median(s.match_ms), 4),
        "quality_mean": round(statistics.mean(s.quality.values()), 1),
        "evr": evr,
        "evr_gain_at_10pct": evr_gain_pct(evr),
    }
    if thr3 is not None:
        out["fnmr_at_pooled_fmr1e-3_pct"] = round(100 * fnmr(gen, thr3), 3)
    if thr4 is not None:
        out["fnmr_at_pooled_fmr1e-4_pct"] = round(100 * fnmr(gen, thr4), 3)
    return out


def pooled_figures(folders: list[FolderScores], per: list[dict], impostors: np.ndarray) -> dict:
    """Figures of several folders together: pooled thresholds and the means over the folders."""

    def mean(key: str) -> float | None:
        vals = [p[key] for p in per if p.get(key) is not None]
        return round(statistics.mean(vals), 3) if vals else None

    gains = [p["evr_gain_at_10pct"] for p in per]
    return {
        "datasets": len(folders),
        "impostor_pooled": len(impostors),
        "threshold_fmr1e-3": _round(threshold_at(impostors, 1e-3)),
        "threshold_fmr1e-4": _round(threshold_at(impostors, 1e-4)),
        "impostor_pooled_max": round(float(impostors.max()), 4),
        "mean_eer_pct": mean("eer_pct"),
        "mean_eer_all_pct": mean("eer_all_pct"),
        "mean_fnmr_at_pooled_fmr1e-3_pct": mean("fnmr_at_pooled_fmr1e-3_pct"),
        "mean_fnmr_at_pooled_fmr1e-4_pct": mean("fnmr_at_pooled_fmr1e-4_pct"),
        "worst_fnmr_at_pooled_fmr1e-4_pct": max(
            (p["fnmr_at_pooled_fmr1e-4_pct"] for p in per if "fnmr_at_pooled_fmr1e-4_pct" in p), default=None
        ),
        "evr_gain_at_10pct_min": min((g for g in gains if g is not None), default=None),
    }


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 5)


def table(per: list[dict]) -> str:
    """The per-folder figures as a Markdown table (the form docs/benchmarks.md keeps)."""
    head = (
        "| set | FNMR % at FMR 1e-4 (pooled) | FNMR % at FMR 1e-3 (pooled) | EER % (45) | EER % (all) "
        "| FNMR % at 1e-3, 10 % lowest quality rejected | gain |\n|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for p in per:
        at10 = {r["reject_pct"]: r["fnmr_pct"] for r in p["evr"]}.get(10.0)
        rows.append(
            f"| {Path(p['dataset']).name} | {p.get('fnmr_at_pooled_fmr1e-4_pct', '–')} "
            f"| {p.get('fnmr_at_pooled_fmr1e-3_pct', '–')} | {p['eer_pct']} | {p['eer_all_pct']} "
            f"| {at10} | {p['evr_gain_at_10pct']} % |"
        )
    return head + "\n".join(rows) + "\n"


def det_plot(folders: list[FolderScores], path: Path, impostors: np.ndarray | None) -> None:
    """DET curves, one per folder (its genuine pairs against the pooled impostors when given)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 5))
    for s in folders:
        imp = impostors if impostors is not None else s.impostor_all
        _t, fmr_, fnmr_ = _rates.curve(s.genuine, imp)
        floor = 0.5 / len(imp)
        ax.loglog(np.maximum(fmr_, floor) * 100, np.maximum(fnmr_, 0.5 / len(s.genuine)) * 100, label=s.name)
    ax.set_xlabel("FMR (%)")
    ax.set_ylabel("FNMR (%)")
    which = "pooled cross-finger impostors" if impostors is not None else "impostors within each set"
    ax.set_title(f"DET ({which})", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def evr_plot(per: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.5))
    for p in per:
        pts = [(r["reject_pct"], r["fnmr_pct"]) for r in p["evr"] if r["fnmr_pct"] is not None]
        if pts:
            ax.plot(*zip(*pts, strict=True), marker="o", label=Path(p["dataset"]).name)
    ax.set_xlabel("lowest-quality images rejected (%)")
    ax.set_ylabel("FNMR at FMR 1e-3 (%)")
    ax.set_title("Error versus reject", fontsize=10)
    ax.grid(True, alpha=0.3)
    if ax.lines:
        ax.legend(fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
