"""The report's plots (matplotlib `Figure`s, no pyplot): funnel plots and a flagged jurisdiction's quarters."""

from __future__ import annotations

import numpy as np

from backend.oversight import method
from backend.oversight.figures import INDICATORS, SHORT, QuarterFigures
from booking_station.reportkit import new_figure

_FLAG, _SIGNIFICANT, _PLAIN = "#c0392b", "#e08e0b", "#7f8c8d"


def funnel(ax, findings: list[method.Finding], tau2: float, title: str) -> None:  # type: ignore[no-untyped-def]
    """Observed / expected against the expected count, with the 95 % and 99.8 % control limits."""
    ax.set_title(title, fontsize=8.5)
    ax.set_xscale("log")
    ax.axhline(1.0, color="#2c3e50", lw=0.8)
    if not findings:
        ax.text(
            0.5, 0.5, "no jurisdiction to test", ha="center", va="center", transform=ax.transAxes, fontsize=8
        )
        return
    expected = np.array([f.expected for f in findings])
    ratio = np.array([f.ratio for f in findings])
    # The drawn limits are for the family's median reference (each point's own are in the CSV).
    p = float(np.median([f.count.p for f in findings]))
    extra = float(np.median([f.count.reference_variance for f in findings]))
    grid = np.geomspace(max(0.3, expected.min() * 0.8), expected.max() * 1.25, 200)
    for (label, z), style in zip(method.LIMITS.items(), ("--", ":"), strict=True):
        low, high = zip(*(method.funnel_limits(e, p, tau2, z, extra) for e in grid), strict=True)
        ax.plot(grid, high, style, color="#34495e", lw=0.8, label=f"{label} limit")
        ax.plot(grid, low, style, color="#34495e", lw=0.8)
    colours = [_FLAG if f.flag else _SIGNIFICANT if f.significant else _PLAIN for f in findings]
    ax.scatter(expected, ratio, s=10, c=colours, alpha=0.85, linewidths=0)
    for f in findings:
        if f.flag:
            ax.annotate(
                f.count.ori, (f.expected, f.ratio), fontsize=6, xytext=(3, 2), textcoords="offset points"
            )
    ax.set_ylim(0, max(2.5, float(np.nanmax(ratio)) * 1.08))
    ax.set_xlabel("expected count", fontsize=7)
    ax.set_ylabel("observed / expected", fontsize=7)
    ax.tick_params(labelsize=6.5)


def funnels(figs: QuarterFigures, families: list[tuple[str, str]], columns: int = 3):  # type: ignore[no-untyped-def]
    rows = (len(families) + columns - 1) // columns
    fig = new_figure(3.3 * columns, 2.7 * rows)
    axes = fig.subplots(rows, columns, squeeze=False)
    by_family: dict[tuple[str, str], list[method.Finding]] = {f: [] for f in families}
    for finding in figs.assessment.findings:
        if finding.count.family in by_family:
            by_family[finding.count.family].append(finding)
    for ax, family in zip(axes.flat, families, strict=False):
        indicator, reference = family
        against = {
            "baseline": "the baseline",
            "own": "its other bookings",
            "state": "the rest of the state",
            "national": "the rest of the country",
        }
        funnel(ax, by_family[family], figs.assessment.tau2.get(family, 0.0),
               f"{SHORT[indicator]}\nagainst {against[reference]}")  # fmt: skip
    for ax in list(axes.flat)[len(families) :]:
        ax.axis("off")
    handles = [
        _dot(_FLAG, "flagged"),
        _dot(_SIGNIFICANT, "significant, excess under the minimum"),
        _dot(_PLAIN, "within the limits"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7, frameon=False)
    return fig


def _dot(colour: str, label: str):  # type: ignore[no-untyped-def]
    from matplotlib.lines import Line2D

    return Line2D([], [], marker="o", ls="", color=colour, label=label, markersize=4)


def history(figs: QuarterFigures, keys: list[tuple[str, str, str]]):  # type: ignore[no-untyped-def]
    """Each flagged proportion over the quarters read, with its reference in the quarter reviewed."""
    fig = new_figure(7.2, 0.6 + 1.9 * ((len(keys) + 1) // 2))
    axes = fig.subplots((len(keys) + 1) // 2, 2, squeeze=False)
    findings = {(f.count.ori, f.count.indicator, f.count.reference): f for f in figs.assessment.findings}
    for ax, key in zip(axes.flat, keys, strict=False):
        points = figs.series.get(key, [])
        labels = [str(q) for q, _, n in points]
        shares = [x / n if n else np.nan for _, x, n in points]
        ax.plot(labels, shares, "o-", color=_FLAG, lw=1, ms=3)
        ax.axhline(findings[key].count.p, color="#34495e", ls="--", lw=0.8)
        ax.set_title(f"{key[0]}: {INDICATORS[key[1]]}", fontsize=6.5)
        ax.tick_params(labelsize=6)
        ax.set_ylim(0, min(1.0, max([s for s in shares if s == s] + [findings[key].count.p]) * 1.3 + 0.02))
    for ax in list(axes.flat)[len(keys) :]:
        ax.axis("off")
    return fig
