"""How much synthetic fingers resemble real ones: the figures of `bench synth --realism` (issue 23).

A set of impressions (synthetic, or an FVC folder as the real anchor) is extracted once with the
project's extractor and quality (`matcher._features`, `matcher._quality`) and, when it is built,
with NBIS mindtct. Genuine pairs are every pair of impressions of one finger; impostor pairs are
the first impressions of every two different fingers (on an FVC B set, whose 10 fingers give only
45 such pairs, every image of one finger against every image of another: 2 880 pairs, as
`FINGER_MATCH_THRESHOLD` was measured). The impostor tail is the share of impostor pairs at or
above `FINGER_MATCH_THRESHOLD` (the score at FMR 10⁻⁴ on the real FVC sets), broken down by
pattern class, by subject and by finger position so the cause of any excess shows.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np

from booking_station.runtime import UserError

_FVC_NAME = re.compile(r"^(\d+)_(\d+)\.(tif|tiff|png|bmp)$", re.IGNORECASE)
BOZORTH_IMPOSTOR_LEVEL = 40  # the customary Bozorth3 "match" score


@dataclass(frozen=True)
class Sample:
    """One impression: which finger it is (`finger_key` is unique per finger in the set)."""

    finger_key: tuple[int, int]  # (subject, FGP) for synthetic sets; (0, FF) for FVC
    impression: int
    image: np.ndarray
    ppi: float = 500.0
    pattern: str = ""
    skin: str = ""


@dataclass
class Measured:
    """Everything the figures are made of; arrays aligned with `pairs`."""

    samples: list[Sample]
    quality: np.ndarray  # per sample, 0–100
    minutiae: np.ndarray  # per sample, the project's extractor
    period: np.ndarray  # per sample, dominant ridge period in pixels at 500 ppi
    area_mm2: np.ndarray  # per sample, foreground (finger) area
    coherence: np.ndarray  # per sample, mean orientation coherence over the foreground
    nbis_minutiae: np.ndarray | None
    genuine: np.ndarray  # (G, 2) sample indices
    impostor: np.ndarray  # (I, 2)
    genuine_score: np.ndarray
    impostor_score: np.ndarray
    genuine_bozorth: np.ndarray | None
    impostor_bozorth: np.ndarray | None  # for the impostor pairs `impostor_bozorth_rows` names
    impostor_bozorth_rows: np.ndarray | None = None  # None: every impostor pair


def synthetic_samples(subjects: Iterable[int], impressions: int, kind: str = "plain") -> Iterator[Sample]:
    from matcher import synth

    for s in subjects:
        for f in range(1, 11):
            for i in range(1, impressions + 1):
                imp = synth.impression(s, f, seed=i, kind=kind)
                yield Sample((s, f), i, imp.image, imp.ppi, imp.pattern, imp.skin)


def fvc_samples(folder: Path, ppi: float = 500.0) -> list[Sample]:
    import cv2

    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    out = []
    for p in sorted(folder.iterdir()):
        m = _FVC_NAME.match(p.name)
        if not m:
            continue
        img = cv2.imread(str(p), cv2.IMREAD_GRAYSCALE)
        if img is None:
            raise UserError(f"{p}: not an image OpenCV can read")
        out.append(Sample((0, int(m.group(1))), int(m.group(2)), img, ppi))
    if len({s.finger_key for s in out}) < 2:
        raise UserError(f"{folder}: expected FVC-style images FFF_I.tif of at least two fingers")
    return out


def _pairs(samples: list[Sample], all_impostors: bool) -> tuple[np.ndarray, np.ndarray]:
    by_finger: dict[tuple[int, int], list[int]] = defaultdict(list)
    for k, s in enumerate(samples):
        by_finger[s.finger_key].append(k)
    genuine = [p for idx in by_finger.values() for p in combinations(idx, 2)]
    if all_impostors:
        impostor = [
            (a, b)
            for a, b in combinations(range(len(samples)), 2)
            if samples[a].finger_key != samples[b].finger_key
        ]
    else:
        firsts = [min(idx, key=lambda k: samples[k].impression) for idx in by_finger.values()]
        impostor = list(combinations(firsts, 2))
    return np.array(genuine, np.int64).reshape(-1, 2), np.array(impostor, np.int64).reshape(-1, 2)


@dataclass(frozen=True)
class _Extracted:
    """One sample after extraction: what scoring needs, picklable (templates as bytes)."""

    sample: Sample  # its image dropped: thousands of images are large
    template: bytes  # Template.to_bytes()
    nbis: bytes | None  # the mindtct template's raw bytes
    quality: float
    period: float
    area_mm2: float
    coherence: float


def _extract(samples: Iterable[Sample], nbis: bool, log=None) -> list[_Extracted]:  # noqa: ANN001
    from matcher import _features, _quality
    from matcher._template import Template
    from matcher.synth import _nbis

    out = []
    for k, s in enumerate(samples):
        img, f = _features.analyse(s.image, s.ppi)
        fg = f.mask > 0
        out.append(
            _Extracted(
                sample=Sample(
                    s.finger_key, s.impression, np.zeros((0, 0), np.uint8), s.ppi, s.pattern, s.skin
                ),
                template=Template(
                    f.minutiae, f.mask.shape[1], f.mask.shape[0], f.minutia_quality, f.texture
                ).to_bytes(),
                nbis=bytes(_nbis.mindtct(s.image, s.ppi)) if nbis else None,
                quality=float(_quality.assess(img, f, s.ppi).score),
                period=float(f.period),
                area_mm2=float(fg.sum() * (25.4 / 500.0) ** 2),  # analyse() works at 500 ppi
                coherence=float(f.coherence[fg].mean()) if fg.any() else 0.0,
            )
        )
        if log and (k + 1) % 200 == 0:
            log(f"extracted {k + 1} impressions")
    return out


def _extract_subjects(job: tuple[list[int], int, bool]) -> list[_Extracted]:
    subjects, impressions, nbis = job
    return _extract(synthetic_samples(subjects, impressions), nbis)


_shared_nbis: list = []  # the mindtct templates, set before scoring workers fork


def _bozorth_rows(pairs: np.ndarray) -> np.ndarray:
    from matcher.synth import _nbis

    t = _shared_nbis
    return np.array([_nbis.bozorth3(t[a], t[b]) for a, b in pairs], np.float64)


def _pool(jobs: int):  # noqa: ANN202
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))


def measure(samples: Iterable[Sample], *, nbis: bool, all_impostors: bool = False, log=None) -> Measured:  # noqa: ANN001
    """Extract every sample and score every genuine and impostor pair, with our matcher and Bozorth3."""
    return _score(_extract(samples, nbis, log), nbis, all_impostors, 1, log)


def measure_synthetic(
    subjects: list[int],
    impressions: int,
    *,
    nbis: bool,
    jobs: int = 1,
    bozorth_impostors: int = 0,
    log=None,  # noqa: ANN001
) -> Measured:
    """`measure` of subjects x 10 fingers x impressions plain impressions; `jobs` processes share
    the generation, extraction and Bozorth3 work (the figures do not depend on it).
    `bozorth_impostors` > 0 scores only that many impostor pairs (a fixed random sample) with
    Bozorth3, whose 5 ms a comparison dominate the run; our matcher scores them all."""
    if jobs <= 1:
        extracted = _extract(synthetic_samples(subjects, impressions), nbis, log)
        return _score(extracted, nbis, False, 1, log, bozorth_impostors)
    chunks = [subjects[i : i + 2] for i in range(0, len(subjects), 2)]
    extracted: list[_Extracted] = []
    with _pool(jobs) as pool:
        for part in pool.map(_extract_subjects, [(c, impressions, nbis) for c in chunks]):
            extracted.extend(part)
            if log:
                log(f"extracted {len(extracted)} impressions")
    return _score(extracted, nbis, False, jobs, log, bozorth_impostors)


def _score(
    extracted: list[_Extracted],
    nbis: bool,
    all_impostors: bool,
    jobs: int,
    log=None,  # noqa: ANN001
    bozorth_impostors: int = 0,
) -> Measured:
    from matcher._matcher import Matcher
    from matcher._template import Template
    from matcher.synth import _nbis

    samples = [e.sample for e in extracted]
    templates = [Template.from_bytes(e.template) for e in extracted]
    genuine, impostor = _pairs(samples, all_impostors)
    matchers: dict[int, Matcher] = {}

    def ours(pairs: np.ndarray) -> np.ndarray:
        out = np.empty(len(pairs))
        for n, (a, b) in enumerate(pairs):
            m = matchers.get(a) or matchers.setdefault(a, Matcher(templates[a]))
            out[n] = m.score(templates[b])
        return out

    def boz(pairs: np.ndarray) -> np.ndarray:
        _shared_nbis[:] = [_nbis.NbisTemplate.from_buffer_copy(e.nbis) for e in extracted]
        if jobs <= 1 or len(pairs) < 2000:
            return _bozorth_rows(pairs)
        with _pool(jobs) as pool:
            return np.concatenate(list(pool.map(_bozorth_rows, np.array_split(pairs, 8 * jobs))))

    rows = None
    if nbis and 0 < bozorth_impostors < len(impostor):
        rows = np.sort(np.random.default_rng(0).choice(len(impostor), bozorth_impostors, replace=False))
    if log:
        log(f"scoring {len(genuine)} genuine and {len(impostor)} impostor pairs")
    return Measured(
        samples=samples,
        quality=np.array([e.quality for e in extracted]),
        minutiae=np.array([len(t.minutiae) for t in templates]),
        period=np.array([e.period for e in extracted]),
        area_mm2=np.array([e.area_mm2 for e in extracted]),
        coherence=np.array([e.coherence for e in extracted]),
        nbis_minutiae=np.array([_nbis.NbisTemplate.from_buffer_copy(e.nbis).n for e in extracted])
        if nbis
        else None,
        genuine=genuine,
        impostor=impostor,
        genuine_score=ours(genuine),
        impostor_score=ours(impostor),
        genuine_bozorth=boz(genuine) if nbis else None,
        impostor_bozorth=boz(impostor if rows is None else impostor[rows]) if nbis else None,
        impostor_bozorth_rows=rows,
    )


def _unordered(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """'a / b' labels of pairs of string labels, the same whichever comes first."""
    lo, hi = np.where(x <= y, x, y), np.where(x <= y, y, x)
    return np.char.add(np.char.add(lo, " / "), hi)


def _tail(scores: np.ndarray, threshold: float) -> dict:
    return {
        "pairs": int(len(scores)),
        "tail": int(np.sum(scores >= threshold)),
        "tail_rate": round(float(np.mean(scores >= threshold)), 6) if len(scores) else None,
        "median": round(float(np.median(scores)), 4) if len(scores) else None,
        "p99": round(float(np.percentile(scores, 99)), 4) if len(scores) else None,
    }


def _q(values: np.ndarray, digits: int = 4) -> list[float]:
    return [round(float(v), digits) for v in np.percentile(values, (5, 25, 50, 75, 95))]


def figures(m: Measured) -> dict:
    """The issue's figures (JSON names as the issue gives them) and the breakdowns behind them."""
    from matcher import FINGER_MATCH_THRESHOLD as threshold

    out: dict = {
        "fingers": len({s.finger_key for s in m.samples}),
        "impressions": len(m.samples),
        "genuine_pairs": len(m.genuine),
        "impostor_pairs": len(m.impostor),
        "threshold": threshold,
        "impostor_tail_rate": round(float(np.mean(m.impostor_score >= threshold)), 6),
        "genuine_median": round(float(np.median(m.genuine_score)), 4),
        "genuine_below_threshold_rate": round(float(np.mean(m.genuine_score < threshold)), 4),
        "quality_mean": round(float(np.mean(m.quality)), 1),
        "minutiae_median": float(np.median(m.minutiae)),
        "genuine_quantiles_5_25_50_75_95": _q(m.genuine_score),
        "impostor_quantiles_5_25_50_75_95": _q(m.impostor_score),
        "impostor_max": round(float(m.impostor_score.max()), 4),
        "ridge_period_px_quantiles_5_25_50_75_95": _q(m.period, 2),
        "finger_area_mm2_quantiles_5_25_50_75_95": _q(m.area_mm2, 1),
        "minutiae_per_100mm2_quantiles_5_25_50_75_95": _q(100 * m.minutiae / np.maximum(m.area_mm2, 1.0), 1),
        "coherence_mean": round(float(np.mean(m.coherence)), 3),
    }
    if m.nbis_minutiae is not None:
        out.update(
            {
                "bozorth3_impostor_ge40_rate": round(
                    float(np.mean(m.impostor_bozorth >= BOZORTH_IMPOSTOR_LEVEL)), 6
                ),
                "bozorth3_impostor_pairs": int(len(m.impostor_bozorth)),
                "bozorth3_genuine_median": float(np.median(m.genuine_bozorth)),
                "bozorth3_genuine_below_40_rate": round(
                    float(np.mean(m.genuine_bozorth < BOZORTH_IMPOSTOR_LEVEL)), 4
                ),
                "bozorth3_impostor_quantiles_5_25_50_75_95": _q(m.impostor_bozorth, 1),
                "bozorth3_genuine_quantiles_5_25_50_75_95": _q(m.genuine_bozorth, 1),
                "nbis_minutiae_median": float(np.median(m.nbis_minutiae)),
            }
        )
    out["breakdown"] = breakdown(m, threshold)
    return out


def breakdown(m: Measured, threshold: float) -> dict:
    """Impostor tails by pattern class, by subject and finger position; genuine scores by skin."""
    s = m.samples
    a, b = m.impostor[:, 0], m.impostor[:, 1]
    score = m.impostor_score
    result: dict = {}
    if all(x.pattern for x in s):
        classes = np.array([x.pattern for x in s])
        pair = _unordered(classes[a], classes[b])
        result["impostor_by_class_pair"] = {
            label: _tail(score[pair == label], threshold) for label in sorted(set(pair.tolist()))
        }
        same = classes[a] == classes[b]
        result["impostor_same_class"] = _tail(score[same], threshold)
        result["impostor_other_class"] = _tail(score[~same], threshold)
    subjects = np.array([x.finger_key[0] for x in s])
    positions = np.array([x.finger_key[1] for x in s])
    if len(set(subjects.tolist())) > 1:
        same_subject = subjects[a] == subjects[b]
        same_position = positions[a] == positions[b]
        mirror = (positions[a] - 1) % 5 == (positions[b] - 1) % 5
        result["impostor_by_relation"] = {
            "same subject": _tail(score[same_subject], threshold),
            "other subject, same finger position": _tail(score[~same_subject & same_position], threshold),
            "other subject, same finger of the other hand": _tail(
                score[~same_subject & mirror & ~same_position], threshold
            ),
            "other subject, other finger": _tail(score[~same_subject & ~mirror], threshold),
        }
        per_subject = []
        for subj in sorted(set(subjects.tolist())):
            sel = (subjects[a] == subj) | (subjects[b] == subj)
            per_subject.append((float(np.mean(score[sel] >= threshold)), subj))
        rates = np.array([r for r, _ in per_subject])
        result["impostor_tail_rate_per_subject"] = {
            "quantiles_5_25_50_75_95": _q(rates, 6),
            "worst": [{"subject": subj, "tail_rate": round(r, 5)} for r, subj in sorted(per_subject)[-5:]],
        }
        by_position = {}
        for f in range(1, 11):
            sel = (positions[a] == f) | (positions[b] == f)
            by_position[str(f)] = _tail(score[sel], threshold)
        result["impostor_by_finger_position"] = by_position
    # Are the tail pairs spread over many fingers or held by a few "hub" fingers?
    hits = np.bincount(np.concatenate([a[score >= threshold], b[score >= threshold]]), minlength=len(s))
    if hits.sum():
        top = np.sort(hits)[::-1]
        n5 = max(1, int(np.ceil(0.05 * np.count_nonzero(np.bincount(m.impostor.ravel(), minlength=len(s))))))
        result["impostor_tail_share_of_top_5pct_fingers"] = round(float(top[:n5].sum() / hits.sum()), 3)
    # Minutiae counts: do big templates make the tail?
    big = np.minimum(m.minutiae[a], m.minutiae[b])
    cut = float(np.median(big))
    result["impostor_by_smaller_minutiae_count"] = {
        f"below {cut:g}": _tail(score[big < cut], threshold),
        f"{cut:g} or more": _tail(score[big >= cut], threshold),
    }
    if all(x.skin for x in s):
        skins = np.array([x.skin for x in s])
        ga, gb = m.genuine[:, 0], m.genuine[:, 1]
        pair = _unordered(skins[ga], skins[gb])
        result["genuine_median_by_skin_pair"] = {
            label: round(float(np.median(m.genuine_score[pair == label])), 4)
            for label in sorted(set(pair.tolist()))
        }
        result["quality_by_skin"] = {
            k: round(float(np.mean(m.quality[skins == k])), 1) for k in sorted(set(skins.tolist()))
        }
    return result


def stderr_log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
