"""Real FVC prints: genuine pairs score above impostor pairs."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from matcher import Matcher, Template, quality

pytestmark = pytest.mark.realdata


@pytest.mark.parametrize(("folder", "ppi"), [("fvc2002_db1_b", 500), ("fvc2002_db2_b", 569)])
def test_genuine_pairs_outscore_impostor_pairs(shared_data, folder: str, ppi: float) -> None:
    d = shared_data / "fingerprints" / folder
    t = {
        (f, i): Template.from_image(cv2.imread(str(d / f"1{f:02d}_{i}.tif"), cv2.IMREAD_GRAYSCALE), ppi)
        for f in (1, 2, 3, 4)
        for i in (1, 2, 3)
    }
    genuine = [Matcher(t[(f, 1)]).score(t[(f, i)]) for f in (1, 2, 3, 4) for i in (2, 3)]
    impostor = [Matcher(t[(f, 1)]).score(t[(g, 1)]) for f in (1, 2, 3, 4) for g in (1, 2, 3, 4) if f < g]
    assert np.median(genuine) > 3 * max(impostor)
    assert sum(g > max(impostor) for g in genuine) >= 6


def test_quality_of_real_prints_is_in_a_sensible_range(shared_data) -> None:
    d = shared_data / "fingerprints" / "fvc2002_db1_b"
    scores = [
        quality(cv2.imread(str(d / f"10{k}_1.tif"), cv2.IMREAD_GRAYSCALE), 500).score for k in range(1, 6)
    ]
    assert all(10 <= s <= 100 for s in scores)


def test_a_fingertip_without_its_core_falls_below_the_retake_threshold(shared_data) -> None:
    # fvc2002_db1_b 103_4 is a clean print of the lower part of finger 103 (its core is above the
    # image): it failed three of its seven genuine comparisons at FMR 1e-3, and scored 81 before
    # the quality measure looked for the core. 103_2 holds the core well inside the print.
    from desktop.station.config import Config

    d = shared_data / "fingerprints" / "fvc2002_db1_b"
    tip = quality(cv2.imread(str(d / "103_4.tif"), cv2.IMREAD_GRAYSCALE), 500).score
    whole = quality(cv2.imread(str(d / "103_2.tif"), cv2.IMREAD_GRAYSCALE), 500).score
    assert tip < Config().quality_threshold <= whole


def test_prints_whose_ridges_the_ridge_model_contradicts_fall_below_the_retake_threshold(shared_data) -> None:
    # fvc2002_db3_b (capacitive): finger 110's prints are dry, their ridges broken into fragments,
    # finger 105's wet, their ridges merged in places; 110_1 failed four of its seven genuine
    # comparisons at FMR 1e-3 and 105_1 three, yet block quality, area, minutiae and core rated
    # them 45 and 43, above the retake threshold. 109_1 and 104_1, of the same sensor, failed none.
    from desktop.station.config import Config

    d = shared_data / "fingerprints" / "fvc2002_db3_b"

    def score(name: str) -> int:
        return quality(cv2.imread(str(d / f"{name}.tif"), cv2.IMREAD_GRAYSCALE), 500).score

    threshold = Config().quality_threshold
    assert max(score("110_1"), score("105_1")) < threshold <= min(score("109_1"), score("104_1"))
