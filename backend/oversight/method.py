"""The outlier method, written so that a reviewer can recompute every figure (docs/oversight.md).

Each test asks whether one proportion of one jurisdiction in one quarter is higher than its
reference: e.g. the share of Black people among its bookings against the share in its arrest-rate
baseline, or the share of its IDENT matches booked on Level 3 charges against the national share.
A *family* is one indicator against one kind of reference (all jurisdictions' "share born abroad
against the baseline" are one family).

For test i with x_i of n_i and reference p_i (expected count E_i = n_i p_i):

1. Ratio R_i = x_i / E_i, and its binomial variance s_i^2 = (1 - p_i) / E_i, plus the reference's
   own sampling variance (1 - p_i) / (m_i p_i) when the reference is itself a count of m_i people
   (a baseline of m_i arrests, the jurisdiction's m_i other bookings, the rest of the country).
2. Over-dispersion (Spiegelhalter 2005, additive random effect): real jurisdictions differ from
   their references by more than chance (stale baselines, local habits). Per family, with the
   tests whose E_i >= 5: z_i = (R_i - 1)/s_i, winsorised at their 10th and 90th percentiles,
   phi = mean(z_w^2), and tau^2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)) with
   w_i = 1/s_i^2 (tau = 0 when the family has fewer than 10 such tests).
3. Two one-sided p-values, the larger one kept (a test must pass both):
   the exact binomial tail P(X >= x_i | n_i, p_i) (`binomial_upper_tail`), right for small counts, and
   1 - Phi((R_i - 1) / sqrt(s_i^2 + tau^2 (1 + 1/k_i))), which allows for the variation between
   jurisdictions; k_i is the number of jurisdictions pooled in a state or national reference, whose
   mean carries that variation too (k_i = infinity for a baseline or the jurisdiction's own bookings).
4. Benjamini-Hochberg across every test of the quarter (all families, all jurisdictions) at
   q = 0.05: sort the p-values, p_(k) is significant when p_(k) <= k q / m for some k' >= k.
5. A jurisdiction is flagged when at least one of its tests is significant, that proportion is at
   least MIN_RATIO times its reference and counts at least MIN_COUNT people (an excess too small,
   or a handful of people, is not a pattern to act on).

Control limits for the funnel plots are the same model's: 1 +/- z sqrt((1 - p)/E + tau^2), with
z = 1.96 (95 %) and 3.09 (99.8 %).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

FDR = 0.05
MIN_RATIO = 1.2
MIN_COUNT = 10
#: Tests whose expected count is below this do not inform the over-dispersion estimate.
MIN_EXPECTED_FOR_TAU = 5.0
MIN_TESTS_FOR_TAU = 10
LIMITS = {"95%": 1.959964, "99.8%": 3.090232}


@dataclass(frozen=True)
class Count:
    """One proportion to test: x of n, against reference p."""

    ori: str
    indicator: str
    reference: str  # "baseline" | "state" | "national"
    x: int
    n: int
    p: float
    reference_n: int = 0  # people the reference share was counted from (0: exact)
    peers: int = 0  # jurisdictions pooled in the reference (0: not a pooled reference)

    @property
    def reference_variance(self) -> float:
        """The relative sampling variance of the reference share."""
        return (1 - self.p) / (self.reference_n * self.p) if self.reference_n else 0.0

    def tau_factor(self) -> float:
        return 1 + 1 / self.peers if self.peers else 1.0

    @property
    def family(self) -> tuple[str, str]:
        return (self.indicator, self.reference)


@dataclass(frozen=True)
class Finding:
    count: Count
    expected: float
    ratio: float
    z: float  # (R - 1) / sqrt(s^2 + tau^2)
    tau2: float
    p_exact: float
    p_adjusted: float
    p_value: float
    q_value: float  # BH-adjusted p-value
    significant: bool  # BH at FDR
    flag: bool  # significant, ratio >= MIN_RATIO and x >= MIN_COUNT

    def limits(self, z: float) -> tuple[float, float]:
        """This test's control limits on the ratio scale (its own reference's uncertainty included)."""
        c = self.count
        if self.expected <= 0:
            return (float("nan"), float("nan"))
        half = z * math.sqrt((1 - c.p) / self.expected + c.reference_variance + self.tau2 * c.tau_factor())
        return (max(0.0, 1 - half), 1 + half)


@dataclass
class Assessment:
    findings: list[Finding]
    tau2: dict[tuple[str, str], float] = field(default_factory=dict)

    def flagged_oris(self) -> list[str]:
        return sorted({f.count.ori for f in self.findings if f.flag})

    def for_ori(self, ori: str) -> list[Finding]:
        return [f for f in self.findings if f.count.ori == ori]


def funnel_limits(
    expected: float, p: float, tau2: float, z: float, reference_variance: float = 0.0
) -> tuple[float, float]:
    if expected <= 0:
        return (float("nan"), float("nan"))
    half = z * math.sqrt((1 - p) / expected + reference_variance + tau2)
    return (max(0.0, 1 - half), 1 + half)


def assess(
    counts: Sequence[Count], fdr: float = FDR, min_ratio: float = MIN_RATIO, min_count: int = MIN_COUNT
) -> Assessment:
    """Test every count; counts with n = 0 or a reference of 0 or 1 are left out (nothing to test)."""
    usable = [c for c in counts if c.n > 0 and 0.0 < c.p < 1.0]
    tau2 = _tau2_by_family(usable)
    rows = []
    for c in usable:
        expected = c.n * c.p
        ratio = c.x / expected
        s2 = (1 - c.p) / expected + c.reference_variance
        t2 = tau2.get(c.family, 0.0)
        z = (ratio - 1) / math.sqrt(s2 + t2 * c.tau_factor())
        p_exact = binomial_upper_tail(c.x, c.n, c.p)
        p_adjusted = normal_upper_tail(z)
        rows.append((c, expected, ratio, z, t2, p_exact, p_adjusted, max(p_exact, p_adjusted)))
    q_values = benjamini_hochberg([r[-1] for r in rows])
    findings = [
        Finding(c, e, r, z, t2, pe, pa, p, q, q <= fdr, q <= fdr and r >= min_ratio and c.x >= min_count)
        for (c, e, r, z, t2, pe, pa, p), q in zip(rows, q_values, strict=True)
    ]
    return Assessment(findings, tau2)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """BH-adjusted p-values (q-values): a test is significant at FDR q when its value is <= q."""
    m = len(p_values)
    if m == 0:
        return []
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    # Step-up: each adjusted value is the smallest of those at its rank and above.
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out.tolist()


def _tau2_by_family(counts: Sequence[Count]) -> dict[tuple[str, str], float]:
    by_family: dict[tuple[str, str], list[Count]] = defaultdict(list)
    for c in counts:
        if c.n * c.p >= MIN_EXPECTED_FOR_TAU:
            by_family[c.family].append(c)
    out = {}
    for family, members in by_family.items():
        out[family] = tau2(members)
    return out


def tau2(counts: Sequence[Count]) -> float:
    """The additive over-dispersion of one family on the ratio scale (step 2 of the method)."""
    if len(counts) < MIN_TESTS_FOR_TAU:
        return 0.0
    expected = np.array([c.n * c.p for c in counts])
    s2 = np.array([(1 - c.p) for c in counts]) / expected + np.array([c.reference_variance for c in counts])
    ratio = np.array([c.x for c in counts]) / expected
    z = (ratio - 1) / np.sqrt(s2)
    low, high = np.percentile(z, [10, 90])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    w = 1 / s2
    count = len(counts)
    denominator = float(w.sum() - (w**2).sum() / w.sum())
    if denominator <= 0:
        return 0.0
    return max(0.0, (count * phi - (count - 1)) / denominator)


def trend(x: int, n: int, x_before: int, n_before: int) -> float | None:
    """One-sided p-value that this quarter's proportion x/n is higher than the earlier quarters'
    pooled x_before/n_before (two-proportion z-test); None when either side is empty."""
    if n <= 0 or n_before <= 0:
        return None
    pooled = (x + x_before) / (n + n_before)
    if pooled in (0.0, 1.0):
        return 1.0
    se = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / n_before))
    return normal_upper_tail((x / n - x_before / n_before) / se)


# --- the two distributions the method needs (numpy and math only: scipy would be pulled into every
# numba import of the matcher for these two functions) -------------------------------------------------


def normal_upper_tail(z: float) -> float:
    """1 - Phi(z), the standard normal's upper tail."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def binomial_upper_tail(x: int, n: int, p: float) -> float:
    """P(X >= x) for X ~ Binomial(n, p), exactly (summed in log space; n up to millions)."""
    if x <= 0:
        return 1.0
    if x > n:
        return 0.0
    k = np.arange(x, n + 1)
    log_factorial = _log_factorials(n)
    log_terms = (
        log_factorial[n]
        - log_factorial[k]
        - log_factorial[n - k]
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )
    top = float(log_terms.max())
    return min(1.0, math.exp(top) * float(np.exp(log_terms - top).sum()))


_LOG_FACTORIALS = np.zeros(1)


def _log_factorials(n: int) -> np.ndarray:
    """log(k!) for k = 0..n (at least), kept and grown as larger n are asked for."""
    global _LOG_FACTORIALS
    table = _LOG_FACTORIALS  # one read: another thread may replace it meanwhile
    if len(table) <= n:
        size = max(n + 1, 2 * len(table))
        table = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, size, dtype=float)))])
        _LOG_FACTORIALS = table
    return table
