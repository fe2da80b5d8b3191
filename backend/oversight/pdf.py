"""The oversight report as a PDF: summary, flagged jurisdictions with the figures that flagged them,
funnel plots, the quarters of each flagged proportion, every jurisdiction, and the method."""

from __future__ import annotations

from backend.oversight import groups, method
from backend.oversight.figures import INDICATORS, REFERENCES
from backend.oversight.report import OversightData, jurisdiction_rows, test_rows
from booking_station.reportkit import ReportPdf

_BASELINE_FAMILIES = [*[(f"race:{c}", "baseline") for c in groups.TESTED_RACES], ("born_abroad", "baseline")]
_MATCH_FAMILIES = [
    ("matches_level3", "own"),
    ("matches_no_conviction", "national"),
    ("matches_no_conviction", "state"),
]


def _pct(value: float | None) -> str:
    return "" if value is None or value != value else f"{100 * value:.1f}%"


def render(data: OversightData) -> bytes:
    from backend.oversight import plots

    figs = data.figures
    doc = ReportPdf(data.title, landscape=True, made_at=data.made_at)
    doc.heading(data.title, 0)
    totals = {
        k: sum(getattr(j, k) for j in figs.jurisdictions)
        for k in ("submissions", "matches", "removals", "detainers")
    }
    flagged = figs.flagged()
    source = ", ".join(
        f"{n} {'demo bookings (synthetic)' if s == 'demo' else 'CARs received'}"
        for s, n in sorted(data.sources.items())
    )
    doc.facts([
        ("Quarter", f"{data.quarter} ({data.quarter.first_day} to {data.quarter.end_day}, exclusive; UTC)"),
        ("Jurisdictions", f"{len(figs.jurisdictions)} with submissions, "
                          f"{sum(j.has_baseline for j in figs.jurisdictions)} with an arrest-rate baseline"),
        ("Submissions", f"{totals['submissions']} searched ({source or 'none'})"),
        ("IDENT matches", f"{totals['matches']} ({_pct(totals['matches'] / totals['submissions']) if totals['submissions'] else '-'})"),
        ("Removals requested", str(totals["removals"])),
        ("Detainers", str(totals["detainers"])),
        ("Flagged", f"{len(flagged)} jurisdiction(s): {', '.join(j.ori for j in flagged) or 'none'}"),
        ("Trend against", ", ".join(str(q) for q in figs.previous) or "no earlier quarter held"),
        ("Baseline", f"loaded {data.baseline_loaded_at}" if data.baseline_loaded_at else "none loaded: race and birthplace shares are not tested"),
    ])  # fmt: skip
    doc.paragraph(
        "Method (docs/oversight.md): each proportion of each jurisdiction is tested against its reference "
        "(the jurisdiction's arrest-rate baseline, or the rest of its state and of the country) with an "
        "exact binomial test and a test that allows for the variation between jurisdictions (additive "
        "over-dispersion, tau^2 per indicator); false discoveries across all the quarter's tests are "
        f"controlled with Benjamini-Hochberg at {method.FDR:.0%}; a jurisdiction is flagged when a test is "
        f"significant and the proportion is at least {method.MIN_RATIO:g} times its reference and counts at least "
        f"{method.MIN_COUNT} people. A flag is a "
        "reason for an in-depth review, not a finding of profiling."
    )

    doc.heading("Flagged jurisdictions and the figures that flagged them", 1)
    rows = test_rows(data, only_flagged=True)
    doc.table(
        ["ORI", "county", "state", "measure", "against", "x / n", "observed", "reference", "ratio", "p", "q (BH)",
         "earlier quarters", "trend p"],
        [[r["ori"], r["county"], r["state"], r["measures"], r["reference"], f"{r['x']} / {r['n']}",
          _pct(r["observed_share"]), _pct(r["reference_share"]), f"{r['ratio']:.2f}", f"{r['p_value']:.1e}",
          f"{r['q_value']:.1e}", (f"{_pct(r['share_before'])} of {r['n_before']}" if r["n_before"] else "-"),
          f"{r['trend_p']:.1e}" if r["trend_p"] is not None else "-"] for r in rows],
        widths=[17, 18, 9, 60, 16, 16, 14, 14, 10, 13, 13, 24, 12],
        empty="no jurisdiction flagged this quarter",
    )  # fmt: skip
    if rows:
        keys = list(dict.fromkeys((r["ori"], r["indicator"], r["reference"]) for r in rows))[:12]
        doc.figure(plots.history(figs, keys), width_mm=190,
                   title="The flagged proportions, quarter by quarter (dashed: this quarter's reference)")  # fmt: skip

    doc.new_page()
    doc.heading("Funnel plots: bookings by race and birthplace against the arrest-rate baseline", 1)
    doc.figure(plots.funnels(figs, _BASELINE_FAMILIES, columns=3), width_mm=235)
    doc.new_page()
    doc.heading("Funnel plots: IDENT matches on Level 3 charges and without a prior conviction", 1)
    doc.figure(plots.funnels(figs, _MATCH_FAMILIES, columns=3), width_mm=235)
    doc.paragraph(
        "Each point is a jurisdiction: its observed proportion divided by its reference, against the count the "
        "reference expects. Within the dashed (95 %) and dotted (99.8 %) limits a jurisdiction differs from its "
        "reference by no more than chance and the usual variation between jurisdictions. Over-dispersion "
        "(tau^2): " + "; ".join(f"{INDICATORS[i].split(' among')[0]} vs {r}: {t:.4f}"
                                for (i, r), t in sorted(figs.assessment.tau2.items())) + "."
    )  # fmt: skip

    doc.new_page()
    doc.heading("Every jurisdiction", 1)
    national = figs.national
    doc.paragraph(
        f"Country: {int(national.get('submissions', 0))} submissions, IDENT match rate {_pct(national.get('match_rate'))}, "
        f"removals requested {_pct(national.get('removal_rate'))}, detainers {_pct(national.get('detainer_rate'))} of submissions."
    )
    jrows = jurisdiction_rows(data)
    doc.table(
        ["ORI", "county", "state", "submissions", "rejected", "identified (FBI)", "IDENT matches", "removals requested",
         "detainers", "match rate", "detainer rate", "baseline", "flagged"],
        [[r["ori"], r["county"], r["state"], r["submissions"], r["rejected"], r["identified"], r["ident_matches"],
          r["removals_requested"], r["detainers"], _pct(r["match_rate"]), _pct(r["detainer_rate"]),
          "yes" if r["baseline"] else "no", "FLAGGED" if r["flagged"] else ""] for r in jrows],
        highlight=[r["flagged"] for r in jrows],
    )  # fmt: skip

    doc.heading("Breakdown of the flagged jurisdictions", 1)
    shown = {j.ori for j in flagged}
    lines = [b for b in figs.breakdown if b.ori in shown and b.dimension != "place of birth"]
    doc.table(
        ["ORI", "by", "category", "submissions", "IDENT matches", "removals requested", "detainers"],
        [[b.ori, b.dimension, b.category, b.submissions, b.matches, b.removals, b.detainers] for b in lines],
        empty="no jurisdiction flagged",
    )
    doc.paragraph(
        "Every jurisdiction's breakdown by offense level (Level 1, 2, 3 of the gravest current charge; no prior "
        "conviction), race, birthplace and place of birth is in the CSV file *-breakdown.csv; every test, "
        "flagged or not, with its control limits and trend, in *-tests.csv."
    )
    if data.unclassified:
        doc.heading("Charges with no offense level", 2)
        doc.paragraph(
            "These charge literals matched none of the level patterns (backend/oversight/levels.py) and are "
            "counted as unclassified: " + "; ".join(f"{lit} ({n})" for lit, n in data.unclassified) + "."
        )
    doc.heading("What the figures count", 2)
    doc.paragraph(
        "Submissions: criminal tenprint submissions (CAR) searched in the quarter, by the ORI that sent them "
        "(rejected ones, answered with an ERRT, are counted apart). Race (2.025) and place of birth (2.020) are "
        "as the CAR gives them; born abroad: a place of birth outside the states, D.C., Puerto Rico and the "
        "U.S. Virgin Islands. Offense level: the gravest current charge (2.047), read from its text. IDENT match: "
        "the prints matched a DHS IDENT record. Removal requested: the LESC response found the person removable. "
        "Detainer: ICE lodged a detainer (I-247A). References: " + "; ".join(f"{k}: {v}" for k, v in REFERENCES.items()) + "."
    )  # fmt: skip
    return bytes(doc.pdf.output())
