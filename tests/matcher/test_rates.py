from __future__ import annotations

import numpy as np
import pytest

from matcher import _rates


def test_separated_scores_have_zero_error() -> None:
    g = np.array([0.8, 0.9, 0.7])
    i = np.array([0.1, 0.2, 0.3])
    assert _rates.eer(g, i)[0] == 0.0
    assert _rates.fnmr_at_fmr(g, i, 0.0) == 0.0


def test_one_overlap() -> None:
    # One of four genuine scores falls below one of four impostor scores.
    g = np.array([0.25, 0.6, 0.7, 0.8])
    i = np.array([0.1, 0.15, 0.2, 0.3])
    e, thr = _rates.eer(g, i)
    assert e == pytest.approx(0.25)
    assert _rates.fnmr_at_fmr(g, i, 0.0) == pytest.approx(0.25)
    assert _rates.fnmr_at_fmr(g, i, 0.25) == 0.0


def test_identical_distributions_give_half() -> None:
    rng = np.random.default_rng(0)
    s = rng.random(2000)
    e, _ = _rates.eer(s, rng.permutation(s))
    assert e == pytest.approx(0.5, abs=0.02)
