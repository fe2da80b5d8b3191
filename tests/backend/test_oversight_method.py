"""The outlier method: Benjamini-Hochberg, over-dispersion, and what it flags on fixed seeds."""

from __future__ import annotations

import numpy as np
import pytest

from backend.oversight import demo, figures, method
from booking_station.quarters import Quarter

Q3 = Quarter(2026, 3)


def test_benjamini_hochberg_matches_a_hand_computed_example() -> None:
    # p sorted: 0.001 0.008 0.039 0.041 0.042 0.06 ; m = 6
    # p*m/rank: 0.006 0.024 0.078 0.0615 0.0504 0.06 ; step-up minima from the top
    q = method.benjamini_hochberg([0.041, 0.001, 0.06, 0.008, 0.042, 0.039])
    assert q == pytest.approx([0.0504, 0.006, 0.06, 0.024, 0.0504, 0.0504])
    assert method.benjamini_hochberg([]) == []


def test_the_two_tails_against_published_values() -> None:
    # P(X >= 20 | n = 200, p = 0.05): R's pbinom(19, 200, 0.05, lower.tail = FALSE)
    assert method.binomial_upper_tail(20, 200, 0.05) == pytest.approx(0.0026645795498294, rel=1e-9)
    assert method.binomial_upper_tail(3, 3, 0.5) == pytest.approx(0.125)
    assert method.binomial_upper_tail(0, 10, 0.3) == 1.0 and method.binomial_upper_tail(11, 10, 0.3) == 0.0
    assert method.binomial_upper_tail(98, 100_000, 0.001) == pytest.approx(
        0.5926802306, rel=1e-8
    )  # near the mean
    assert method.normal_upper_tail(1.959964) == pytest.approx(0.025, rel=1e-5)


def test_no_over_dispersion_for_binomial_counts_some_for_drifting_ones() -> None:
    rng = np.random.default_rng(4)
    plain = [
        method.Count(f"J{i}", "x", "baseline", int(rng.binomial(400, 0.2)), 400, 0.2) for i in range(200)
    ]
    assert method.tau2(plain) < 0.002
    drifting = [
        method.Count(f"J{i}", "x", "baseline", int(rng.binomial(400, 0.2 * rng.lognormal(0, 0.2))), 400, 0.2)
        for i in range(200)
    ]
    assert 0.02 < method.tau2(drifting) < 0.07  # (0.2 relative)^2 = 0.04


def test_an_excess_is_flagged_only_when_significant_and_large_enough() -> None:
    counts = [method.Count(f"J{i:02d}", "x", "baseline", 20, 100, 0.2) for i in range(30)]
    counts.append(method.Count("BIG", "x", "baseline", 330, 1000, 0.2))  # 1.65 x, hopeless by chance
    counts.append(method.Count("SLIGHT", "x", "baseline", 2300, 10000, 0.2))  # significant, only 1.15 x
    result = method.assess(counts)
    by_ori = {f.count.ori: f for f in result.findings}
    assert by_ori["BIG"].flag and by_ori["BIG"].q_value < 1e-6
    assert by_ori["SLIGHT"].significant and not by_ori["SLIGHT"].flag
    assert result.flagged_oris() == ["BIG"]
    low, high = by_ori["BIG"].limits(method.LIMITS["99.8%"])
    assert low < 1 < high < by_ori["BIG"].ratio


def test_trend_against_earlier_quarters() -> None:
    assert method.trend(60, 200, 90, 600) < 0.001  # 30 % now, 15 % before
    assert method.trend(30, 200, 90, 600) > 0.4
    assert method.trend(5, 20, 0, 0) is None


@pytest.fixture(scope="module")
def country():  # type: ignore[no-untyped-def]
    """60 jurisdictions over four quarters; the largest one whose bookings are 10-40 % born abroad
    doubles that share in the last quarter (the model's realistic drift and stale baselines included)."""
    places = demo.jurisdictions(60, seed=7)
    people = demo._Population.build(3000, 7)
    quarters = [*Q3.earlier(3), Q3]
    injected = next(j.ori for j in places if 0.1 <= j.born_abroad <= 0.4)
    assert injected == "CA0010000"  # Los Angeles County, on this seed
    profiling = {injected: demo.Profiling(2.0, demo.BORN_ABROAD, Q3)}
    bookings, _ = demo.simulate(places, quarters, 7, profiling, people=people)
    baselines = demo.baselines(places, 7, 3000)
    return figures.compute(bookings, baselines, Q3), injected, baselines


def test_the_injected_jurisdiction_is_flagged_for_what_was_injected(country) -> None:  # type: ignore[no-untyped-def]
    result, injected, baselines = country
    found = {f.count.indicator: f for f in result.assessment.for_ori(injected) if f.flag}
    # The extra arrests are of people born abroad, on Level 3 charges: both show.
    assert {"born_abroad", "matches_level3"} <= set(found)
    share = found["born_abroad"].count.x / found["born_abroad"].count.n
    assert share > 1.6 * baselines[injected].born_abroad_share
    trend = result.trends[(injected, "born_abroad", "baseline")]
    assert trend.p_value < 0.001 and trend.share_before < share / 1.5


def test_clean_jurisdictions_are_left_alone(country) -> None:  # type: ignore[no-untyped-def]
    result, injected, _ = country
    sizes = {j.ori: j.submissions for j in result.jurisdictions}
    clean_large = [o for o, n in sizes.items() if o != injected and n >= 200]
    assert len(clean_large) >= 10
    assert "TX0010000" in clean_large  # Harris County, the largest
    flagged = set(result.assessment.flagged_oris())
    assert "TX0010000" not in flagged
    # Every clean jurisdiction: at most the method's nominal few false alarms (here, on these seeds: none).
    assert flagged == {injected}
