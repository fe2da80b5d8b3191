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
    impostor_bozorth: np.ndarray | None


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


def measure(samples: Iterable[Sample], *, nbis: bool, all_impostors: bool = False, log=None) -> Measured:  # noqa: ANN001
    """Extract every sample and score every genuine and impostor pair, with our matcher and Bozorth3."""
    from matcher import _features, _quality
    from matcher._matcher import Matcher
    from matcher._template import Template
    from matcher.synth import _nbis

    kept: list[Sample] = []
    templates, nbis_t, quality, period, area, coherence = [], [], [], [], [], []
    for k, s in enumerate(samples):
        img, f = _features.analyse(s.image, s.ppi)
        quality.append(_quality.assess(img, f, s.ppi).score)
        templates.append(Template(f.minutiae, f.mask.shape[1], f.mask.shape[0], f.minutia_quality, f.texture))
        period.append(f.period)
        fg = f.mask > 0
        area.append(fg.sum() * (25.4 / 500.0) ** 2)  # analyse() works at 500 ppi
        coherence.append(float(f.coherence[fg].mean()) if fg.any() else 0.0)
        if nbis:
            nbis_t.append(_nbis.mindtct(s.image, s.ppi))
        # Keep the image only for what the figures need (none): thousands of images are large.
        kept.append(Sample(s.finger_key, s.impression, np.zeros((0, 0), np.uint8), s.ppi, s.pattern, s.skin))
        if log and (k + 1) % 200 == 0:
            log(f"extracted {k + 1} impressions")
    genuine, impostor = _pairs(kept, all_impostors)
    matchers: dict[int, Matcher] = {}

    def ours(pairs: np.ndarray) -> np.ndarray:
        out = np.empty(len(pairs))
        for n, (a, b) in enumerate(pairs):
            m = matchers.get(a) or matchers.setdefault(a, Matcher(templates[a]))
            out[n] = m.score(templates[b])
        return out

    def boz(pairs: np.ndarray) -> np.ndarray:
        return np.array([_nbis.bozorth3(nbis_t[a], nbis_t[b]) for a, b in pairs], np.float64)

    if log:
        log(f"scoring {len(genuine)} genuine and {len(impostor)} impostor pairs")
    return Measured(
        samples=kept,
        quality=np.array(quality, np.float64),
        minutiae=np.array([len(t.minutiae) for t in templates]),
        period=np.array(period, np.float64),
        area_mm2=np.array(area, np.float64),
        coherence=np.array(coherence, np.float64),
        nbis_minutiae=np.array([t.n for t in nbis_t]) if nbis else None,
        genuine=genuine,
        impostor=impostor,
        genuine_score=ours(genuine),
        impostor_score=ours(impostor),
        genuine_bozorth=boz(genuine) if nbis else None,
        impostor_bozorth=boz(impostor) if nbis else None,
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
