"""`booking-station bench identify`: FpVTE-style figures, probe plan, the backend's own search, reuse."""

from __future__ import annotations

import json
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from backend import _identify
from booking_station.cli import main


def _result(mated: bool, best: float, rank: int | None = 1, identified: bool = False, **kw) -> dict:
    r = {
        "mated": mated,
        "best_score": best,
        "mate_rank": rank if mated else None,
        "subject_id": "G1" if mated else "N1",
        "identified": identified,
        "identified_id": ("G1" if mated else "G7") if identified else None,
        "rejected": False,
        "search_cpu_s": 0.1,
        "search_wall_s": 0.2,
    }
    return r | kw


def test_fnir_at_fpir_counts_mates_that_are_first_and_above_the_nonmated_tail() -> None:
    # 100 non-mated searches: best scores 0.00 … 0.99; at FPIR 1e-2 one of them may reach T.
    non = [_result(False, k / 100) for k in range(100)]
    mated = [
        _result(True, 0.995),  # above every non-mated score
        _result(True, 0.985),  # above all but the highest: passes at FPIR 1e-2 only
        _result(True, 0.5),  # inside the non-mated range: fails both
        _result(True, 0.999, rank=2),  # scored high, but another subject came first: a miss
    ]
    f = _identify.figures(non + mated)
    assert f["mated_searches"] == 4 and f["nonmated_searches"] == 100
    assert f["fnir_at_fpir_1e-2_pct"] == 50.0
    assert f["fnir_at_zero_observed_fpir_pct"] == 75.0
    assert f["fnir_at_fpir_1e-3_pct"] is None  # 100 non-mated searches cannot resolve 1e-3
    assert f["rank1_pct"] == 75.0


def test_the_backends_decision_is_counted_as_false_positives_and_misses() -> None:
    results = [
        _result(False, 0.2, identified=True),  # a false identification
        _result(False, 0.01),
        _result(True, 0.4, identified=True),
        _result(True, 0.03),  # not identified: a miss
    ]
    f = _identify.figures(results)
    assert f["decision_false_identifications"] == 1 and f["decision_fpir_pct"] == 50.0
    assert f["decision_fnir_pct"] == 50.0 and f["decision_wrong_subject"] == 0


def test_a_third_of_the_probes_are_distinct_enrolled_subjects() -> None:
    plan = _identify.probe_plan(gallery_subjects=50, probes=30, seed=3)
    mated = [p for p in plan if p[2]]
    others = [p for p in plan if not p[2]]
    assert len(mated) == 10 and len(others) == 20
    assert len({p[1] for p in plan}) == 30  # every probe a different person
    assert all(p[1] < _identify._NONMATED_BASE for p in mated)
    assert all(p[1] >= _identify._NONMATED_BASE for p in others)
    assert plan == _identify.probe_plan(gallery_subjects=50, probes=30, seed=3)


def test_a_small_gallery_cannot_mate_more_probes_than_it_has_subjects() -> None:
    plan = _identify.probe_plan(gallery_subjects=2, probes=9, seed=1)
    assert sum(p[2] for p in plan) == 2


def _ridges(key: int, turn: float) -> np.ndarray:
    """A fingerprint-like image, one pattern per key (phase-model ridges with minutiae), turned."""
    rng = np.random.default_rng(key)
    y, x = np.mgrid[0:300, 0:260].astype(np.float64)
    a = rng.uniform(0, np.pi)
    phase = 2 * np.pi / 9.0 * ((x - 130) * np.cos(a) + (y - 150) * np.sin(a))
    for _ in range(30):
        phase += rng.choice([-1.0, 1.0]) * np.arctan2(y - rng.uniform(40, 260), x - rng.uniform(40, 220))
    inside = ((x - 130) / 120) ** 2 + ((y - 150) / 140) ** 2 <= 1
    img = np.where(inside, 128 - 100 * np.cos(phase), 235.0).astype(np.float32)
    m = cv2.getRotationMatrix2D((130, 150), turn, 1.0)
    return cv2.warpAffine(img, m, (260, 300), borderValue=235).clip(0, 255).astype(np.uint8)


@pytest.fixture()
def quick_fingers(monkeypatch):  # type: ignore[no-untyped-def]
    """matcher.synth replaced by quick phase-model prints (rendering real ones is most of a run):
    each impression of a finger is the same pattern turned a little, slaps are fingers side by side."""
    from matcher import synth

    def turn(seed: int) -> float:
        return float(seed % 7) - 3.0

    def impression(subject_id, finger, seed, kind="rolled"):  # type: ignore[no-untyped-def]
        return SimpleNamespace(image=_ridges(subject_id * 10 + finger, turn(seed)), ppi=500.0)

    def capture(subject_id, fingers, seed):  # type: ignore[no-untyped-def]
        image = np.full((300, 260 * len(fingers)), 235, np.uint8)
        boxes = []
        for n, f in enumerate(fingers):
            image[:, 260 * n : 260 * (n + 1)] = _ridges(subject_id * 10 + f, turn(seed))
            boxes.append((f, (260 * n, 0, 260, 300)))
        return SimpleNamespace(image=image, ppi=500.0, fingers=boxes)

    hands = {"right": (2, 3, 4, 5), "left": (7, 8, 9, 10)}
    monkeypatch.setattr(synth, "impression", impression)
    monkeypatch.setattr(synth, "slap", lambda s, hand, seed: capture(s, hands[hand], seed))
    monkeypatch.setattr(synth, "thumbs", lambda s, seed: capture(s, (6, 1), seed))


def test_bench_identify_searches_with_the_backend_and_keeps_its_gallery(
    tmp_path, monkeypatch, quick_fingers
) -> None:
    monkeypatch.setenv("BOOKING_STATION_CACHE_DIR", str(tmp_path / "cache"))
    searched = []
    real = _identify.search

    def spy(g, probes):  # type: ignore[no-untyped-def]
        searched.extend(probes)
        return real(g, probes)

    monkeypatch.setattr(_identify, "search", spy)
    out, plot = tmp_path / "r.json", tmp_path / "det.png"
    args = ["bench", "identify", "--gallery-subjects", "3", "--probes", "3", "--impressions", "both"]
    assert main([*args, "--json", str(out), "--plot", str(plot)]) == 0
    r = json.loads(out.read_text())
    assert r["gallery_subjects"] == 3 and r["probes"] == 3 and r["gallery_templates"] == 30
    # One mated and two non-mated probes, each searched rolled and as flats.
    assert r["mated_searches"] == 2 and r["nonmated_searches"] == 4
    assert r["rolled"]["rank1_pct"] == r["flats"]["rank1_pct"] == 100.0
    assert r["decision_false_identifications"] == 0 and r["decision_fnir_pct"] == 0.0
    for key in ("fnir_at_fpir_1e-3_pct", "search_cpu_s_median", "fnir_at_zero_observed_fpir_pct"):
        assert key in r
    assert r["gallery_reused"] is False and plot.stat().st_size > 1000
    assert {p.kind for p in searched} == {"rolled", "flats"}
    assert all(len(p.fingers) >= 9 for p in searched)  # at most one finger missing
    # Run again: the saved gallery (and the cached probe templates) are reused.
    assert main([*args, "--json", str(out)]) == 0
    again = json.loads(out.read_text())
    assert again["gallery_reused"] is True
    assert [x["best_score"] for x in again["results"]] == [x["best_score"] for x in r["results"]]


def test_bench_identify_refuses_an_empty_gallery(capsys) -> None:
    assert main(["bench", "identify", "--gallery-subjects", "0", "--probes", "3"]) == 2
    assert "--gallery-subjects" in capsys.readouterr().err
