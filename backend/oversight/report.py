"""The quarterly oversight report: gather what the backend holds, compute, write PDF and CSV.

`gather(store, policy, quarter, state)` indexes every submission answered so far, reads the
quarter and the four before it (for the trend) and the baseline in force; `write(data, folder)`
writes `oversight-<quarter>[-<state>].pdf` and one CSV per table (every figure in the PDF is in a
CSV; every test, flagged or not, is in `tests.csv`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path

from backend.oversight import baseline as baseline_module
from backend.oversight import facts, figures, levels, method
from backend.oversight.baseline import Baseline
from backend.oversight.figures import INDICATORS, OUTCOMES, QuarterFigures
from backend.oversight.table import Bookings
from backend.policy import IcePolicy
from booking_station.quarters import Quarter

HISTORY = 4


@dataclass
class OversightData:
    quarter: Quarter
    state: str | None
    figures: QuarterFigures
    baselines: dict[str, Baseline]
    baseline_loaded_at: str | None
    sources: dict[str, int]  # facts read in the quarter by source ("car", "demo")
    unclassified: list[tuple[str, int]] = field(default_factory=list)  # charge literals with no level
    made_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    @property
    def name(self) -> str:
        return f"oversight-{self.quarter}" + (f"-{self.state}" if self.state else "")

    @property
    def title(self) -> str:
        where = f"state {self.state}" if self.state else "every jurisdiction"
        return f"Oversight review {self.quarter}: submissions, IDENT matches and detainers, {where}"


def gather(store, policy: IcePolicy, quarter: Quarter, state: str | None = None) -> OversightData:  # type: ignore[no-untyped-def]
    facts.index(store, policy)
    baselines, loaded_at = baseline_module.load(store)
    quarters = [*quarter.earlier(HISTORY), quarter]
    since = datetime.combine(quarters[0].first_day, time(0), UTC)
    until = datetime.combine(quarter.end_day, time(0), UTC)
    rows = facts.read(store, since, until)
    bookings = Bookings.from_facts(rows, quarters)
    result = figures.compute(bookings, baselines, quarter, HISTORY)
    state = state.upper() if state else None
    in_quarter = [r for r in rows if quarter.contains(r.received_at) and (not state or r.ori[:2] == state)]
    unclassified: Counter[str] = Counter()
    for r in in_quarter:
        if r.offense_level == levels.UNCLASSIFIED:
            unclassified.update(json.loads(r.charges) or ["(no charge)"])
    return OversightData(
        quarter=quarter,
        state=state,
        figures=result.for_state(state),
        baselines=baselines,
        baseline_loaded_at=loaded_at,
        sources=dict(Counter(r.source for r in in_quarter)),
        unclassified=unclassified.most_common(15),
    )


# --- tables (the CSV files and the PDF share them) ------------------------------------------------


def jurisdiction_rows(data: OversightData) -> list[dict]:
    flagged = set(data.figures.assessment.flagged_oris())
    out = []
    for j in data.figures.jurisdictions:
        out.append(
            {
                "quarter": str(data.quarter),
                "ori": j.ori,
                "county": j.county,
                "state": j.state,
                "submissions": j.submissions,
                "rejected": j.rejected,
                "identified": j.identified,
                "ident_matches": j.matches,
                "removals_requested": j.removals,
                "detainers": j.detainers,
                "match_rate": j.rate("matches"),
                "removal_rate": j.rate("removals"),
                "detainer_rate": j.rate("detainers"),
                "baseline": j.has_baseline,
                "flagged": j.ori in flagged,
            }
        )
    return out


JURISDICTION_COLUMNS = (
    "quarter", "ori", "county", "state", "submissions", "rejected", "identified", "ident_matches",
    "removals_requested", "detainers", "match_rate", "removal_rate", "detainer_rate", "baseline", "flagged",
)  # fmt: skip


def breakdown_rows(data: OversightData) -> list[dict]:
    place = {j.ori: j for j in data.figures.jurisdictions}
    return [
        {
            "quarter": str(data.quarter),
            "ori": b.ori,
            "county": place[b.ori].county,
            "state": place[b.ori].state,
            "dimension": b.dimension,
            "category": b.category,
            "submissions": b.submissions,
            "share_of_submissions": b.submissions / place[b.ori].submissions
            if place[b.ori].submissions
            else None,
            "ident_matches": b.matches,
            "removals_requested": b.removals,
            "detainers": b.detainers,
        }
        for b in data.figures.breakdown
    ]


BREAKDOWN_COLUMNS = (
    "quarter", "ori", "county", "state", "dimension", "category", "submissions", "share_of_submissions",
    "ident_matches", "removals_requested", "detainers",
)  # fmt: skip


def test_rows(data: OversightData, only_flagged: bool = False) -> list[dict]:
    place = {j.ori: j for j in data.figures.jurisdictions}
    out = []
    for f in sorted(data.figures.assessment.findings, key=lambda f: (f.q_value, f.count.ori)):
        if only_flagged and not f.flag:
            continue
        c = f.count
        key = (c.ori, c.indicator, c.reference)
        trend = data.figures.trends.get(key)
        low95, high95 = f.limits(method.LIMITS["95%"])
        low998, high998 = f.limits(method.LIMITS["99.8%"])
        out.append(
            {
                "quarter": str(data.quarter),
                "ori": c.ori,
                "county": place[c.ori].county if c.ori in place else "",
                "state": place[c.ori].state if c.ori in place else c.ori[:2],
                "indicator": c.indicator,
                "measures": INDICATORS[c.indicator],
                "reference": c.reference,
                "x": c.x,
                "n": c.n,
                "observed_share": c.x / c.n,
                "reference_share": c.p,
                "expected": f.expected,
                "ratio": f.ratio,
                "tau2": f.tau2,
                "z": f.z,
                "p_exact": f.p_exact,
                "p_adjusted": f.p_adjusted,
                "p_value": f.p_value,
                "q_value": f.q_value,
                "significant": f.significant,
                "flagged": f.flag,
                "limit95_low": low95,
                "limit95_high": high95,
                "limit998_low": low998,
                "limit998_high": high998,
                "share_before": trend.share_before if trend else None,
                "n_before": trend.n_before if trend else None,
                "trend_p": trend.p_value if trend else None,
            }
        )
    return out


TEST_COLUMNS = (
    "quarter", "ori", "county", "state", "indicator", "measures", "reference", "x", "n", "observed_share",
    "reference_share", "expected", "ratio", "tau2", "z", "p_exact", "p_adjusted", "p_value", "q_value",
    "significant", "flagged", "limit95_low", "limit95_high", "limit998_low", "limit998_high",
    "share_before", "n_before", "trend_p",
)  # fmt: skip


def rate_rows(data: OversightData) -> list[dict]:
    out = []
    for area, rates in [("national", data.figures.national), *sorted(data.figures.states.items())]:
        for key, value in rates.items():
            out.append({"quarter": str(data.quarter), "area": area, "figure": key, "value": value})
    return out


def series_rows(data: OversightData) -> list[dict]:
    return [
        {"ori": k[0], "indicator": k[1], "reference": k[2], "quarter": str(q), "x": x, "n": n,
         "share": x / n if n else None}
        for k, points in sorted(data.figures.series.items()) for q, x, n in points
    ]  # fmt: skip


def write(data: OversightData, folder: Path) -> dict[str, Path]:
    """The PDF and the CSV files into `folder` (made if needed); returns name -> path."""
    from booking_station.reportkit import write_csv

    folder.mkdir(parents=True, exist_ok=True)
    stem = data.name
    paths = {
        "jurisdictions": folder / f"{stem}-jurisdictions.csv",
        "breakdown": folder / f"{stem}-breakdown.csv",
        "tests": folder / f"{stem}-tests.csv",
        "flagged": folder / f"{stem}-flagged.csv",
        "rates": folder / f"{stem}-rates.csv",
        "quarters": folder / f"{stem}-quarters.csv",
        "baseline": folder / f"{stem}-baseline.csv",
    }
    write_csv(paths["jurisdictions"], JURISDICTION_COLUMNS, jurisdiction_rows(data))
    write_csv(paths["breakdown"], BREAKDOWN_COLUMNS, breakdown_rows(data))
    write_csv(paths["tests"], TEST_COLUMNS, test_rows(data))
    write_csv(paths["flagged"], TEST_COLUMNS, test_rows(data, only_flagged=True))
    write_csv(paths["rates"], ("quarter", "area", "figure", "value"), rate_rows(data))
    write_csv(
        paths["quarters"], ("ori", "indicator", "reference", "quarter", "x", "n", "share"), series_rows(data)
    )
    paths["baseline"].write_text(
        baseline_module.to_csv(data.baselines) if data.baselines else "", encoding="utf-8"
    )
    from backend.oversight.pdf import render

    paths["pdf"] = folder / f"{stem}.pdf"
    paths["pdf"].write_bytes(render(data))
    return paths


def summary(data: OversightData) -> dict:
    totals = {
        k: sum(getattr(j, k) for j in data.figures.jurisdictions) for k in ("submissions", *OUTCOMES[1:])
    }
    return {
        "quarter": str(data.quarter),
        "state": data.state,
        "jurisdictions": len(data.figures.jurisdictions),
        **totals,
        "flagged": [j.ori for j in data.figures.flagged()],
        "sources": data.sources,
        "tests": len(data.figures.assessment.findings),
    }
