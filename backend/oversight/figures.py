"""A quarter's figures: per jurisdiction, the breakdowns, the tests of the method and their trend.

Everything is counted from `Bookings` (see table.py) of the quarter and the quarters before it. The
tests are made for every jurisdiction in the country at once (the national reference and the false
discovery control need them all); a state's report shows the same results for its own
jurisdictions, so a jurisdiction is flagged or not whichever report one reads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from backend.oversight import groups, levels, method
from backend.oversight.baseline import Baseline
from backend.oversight.table import Bookings
from booking_station.quarters import Quarter

#: Indicator -> what it measures (the report's words).
INDICATORS = {
    **{f"race:{code}": f"share {groups.RACE_LABELS[code]} among bookings" for code in groups.TESTED_RACES},
    "born_abroad": "share born abroad among bookings (birthplace known)",
    "matches_level3": "share of IDENT matches booked on Level 3 charges",
    "matches_no_conviction": "share of IDENT matches with no prior conviction on record",
}
#: Indicator -> a short name for plot titles.
SHORT = {
    **{f"race:{code}": groups.RACE_LABELS[code] for code in groups.TESTED_RACES},
    "born_abroad": "born abroad",
    "matches_level3": "IDENT matches on Level 3 charges",
    "matches_no_conviction": "IDENT matches without a prior conviction",
}
REFERENCES = {
    "baseline": "the jurisdiction's arrest-rate baseline",
    "own": "the jurisdiction's other bookings (not matched)",
    "state": "the rest of the state",
    "national": "the rest of the country",
}
#: A state reference needs at least this many other jurisdictions of the state with matches.
MIN_STATE_PEERS = 3
OUTCOMES = ("submissions", "matches", "removals", "detainers")


@dataclass(frozen=True)
class JurisdictionRow:
    ori: str
    county: str
    state: str
    submissions: int  # searched CARs
    rejected: int  # answered with an ERRT, not searched
    identified: int  # NGI found an FBI record
    matches: int  # IDENT matches
    removals: int  # removal requested (the IAR found the person removable)
    detainers: int
    has_baseline: bool

    def rate(self, outcome: str) -> float | None:
        value = getattr(self, outcome)
        return value / self.submissions if self.submissions else None


@dataclass(frozen=True)
class BreakdownRow:
    ori: str
    dimension: str  # "offense level" | "race" | "birth" | "place of birth"
    category: str
    submissions: int
    matches: int
    removals: int
    detainers: int


@dataclass(frozen=True)
class Trend:
    x_before: int
    n_before: int
    p_value: float | None

    @property
    def share_before(self) -> float | None:
        return self.x_before / self.n_before if self.n_before else None


@dataclass
class QuarterFigures:
    quarter: Quarter
    previous: list[Quarter]
    jurisdictions: list[JurisdictionRow]
    breakdown: list[BreakdownRow]
    assessment: method.Assessment
    trends: dict[tuple[str, str, str], Trend]
    national: dict[str, float]  # outcome rate or indicator -> share over every jurisdiction
    states: dict[str, dict[str, float]] = field(default_factory=dict)
    #: (ori, indicator, reference) -> (quarter, x, n) for the earlier quarters and this one
    series: dict[tuple[str, str, str], list[tuple[Quarter, int, int]]] = field(default_factory=dict)

    def flagged(self) -> list[JurisdictionRow]:
        oris = set(self.assessment.flagged_oris())
        return [j for j in self.jurisdictions if j.ori in oris]

    def for_state(self, state: str | None) -> QuarterFigures:
        """The same figures, shown for one state's jurisdictions only (tests are not redone)."""
        if not state:
            return self
        keep = {j.ori for j in self.jurisdictions if j.state == state}
        return QuarterFigures(
            self.quarter,
            self.previous,
            [j for j in self.jurisdictions if j.ori in keep],
            [b for b in self.breakdown if b.ori in keep],
            method.Assessment(
                [f for f in self.assessment.findings if f.count.ori in keep], self.assessment.tau2
            ),
            {k: v for k, v in self.trends.items() if k[0] in keep},
            self.national,
            {state: self.states.get(state, {})},
            {k: v for k, v in self.series.items() if k[0] in keep},
        )


def compute(
    bookings: Bookings, baselines: dict[str, Baseline], quarter: Quarter, history: int = 4
) -> QuarterFigures:
    """The figures of `quarter`, with trends against up to `history` quarters before it."""
    if quarter not in bookings.quarters:
        raise ValueError(f"{quarter} is not among the quarters read")
    qi = bookings.quarters.index(quarter)
    held = set(np.unique(bookings.quarter).tolist())
    previous = [
        q for q in quarter.earlier(history) if q in bookings.quarters and bookings.quarters.index(q) in held
    ]
    now = bookings.where(bookings.quarter == qi)
    rows = _jurisdictions(now, baselines)
    counts_now = _counts(now, baselines, rows)
    assessment = method.assess(counts_now)
    trends = {}
    series: dict[tuple[str, str, str], list[tuple[Quarter, int, int]]] = defaultdict(list)
    for q in [*previous, quarter]:
        for c in _counts(bookings.where(bookings.quarter == bookings.quarters.index(q)), baselines, rows):
            series[(c.ori, c.indicator, c.reference)].append((q, c.x, c.n))
    if previous:
        before = bookings.where(np.isin(bookings.quarter, [bookings.quarters.index(q) for q in previous]))
        pooled = {(c.ori, c.indicator, c.reference): c for c in _counts(before, baselines, rows)}
        for c in counts_now:
            earlier = pooled.get((c.ori, c.indicator, c.reference))
            if earlier is not None:
                trends[(c.ori, c.indicator, c.reference)] = Trend(
                    earlier.x, earlier.n, method.trend(c.x, c.n, earlier.x, earlier.n)
                )
    national, states = _rates(now, rows)
    return QuarterFigures(
        quarter, previous, rows, _breakdown(now, rows), assessment, trends, national, states, dict(series)
    )


def _per_ori(b: Bookings, mask: np.ndarray) -> np.ndarray:
    return np.bincount(b.ori[mask], minlength=len(b.oris))


def _jurisdictions(b: Bookings, baselines: dict[str, Baseline]) -> list[JurisdictionRow]:
    s = b.searched
    columns = {
        "submissions": _per_ori(b, s),
        "rejected": _per_ori(b, ~s),
        "identified": _per_ori(b, s & b.identified),
        "matches": _per_ori(b, s & b.matched),
        "removals": _per_ori(b, s & b.removable),
        "detainers": _per_ori(b, s & b.detainer),
    }
    rows = []
    for i, ori in enumerate(b.oris):
        if columns["submissions"][i] == 0 and columns["rejected"][i] == 0:
            continue
        base = baselines.get(ori)
        rows.append(
            JurisdictionRow(
                ori=ori,
                county=base.county if base else "",
                state=base.state if base else ori[:2],
                has_baseline=base is not None,
                **{k: int(v[i]) for k, v in columns.items()},
            )
        )
    return rows


def _counts(b: Bookings, baselines: dict[str, Baseline], rows: list[JurisdictionRow]) -> list[method.Count]:
    """Every test's x, n and reference (see method.py and docs/oversight.md)."""
    s = b.searched
    n_all = _per_ori(b, s)
    known_birth = s & (b.birth != groups.BIRTH_GROUPS.index(groups.UNKNOWN_BIRTH))
    n_birth = _per_ori(b, known_birth)
    abroad = _per_ori(b, known_birth & (b.birth == groups.BIRTH_GROUPS.index(groups.FOREIGN_BORN)))
    race = {code: _per_ori(b, s & (b.race == groups.RACES.index(code))) for code in groups.TESTED_RACES}
    matched = s & b.matched
    n_matches = _per_ori(b, matched)
    level3 = b.level == levels.LEVELS.index(levels.LEVEL_3)
    matched_l3 = _per_ori(b, matched & level3)
    unmatched_l3 = _per_ori(b, s & ~b.matched & level3)
    no_conviction = _per_ori(b, matched & ~b.prior_conviction)
    index = {ori: i for i, ori in enumerate(b.oris)}
    state_of = {r.ori: r.state for r in rows}
    out: list[method.Count] = []
    for row in rows:
        i = index[row.ori]
        base = baselines.get(row.ori)
        if base is not None:
            for code in groups.TESTED_RACES:
                out.append(
                    method.Count(
                        row.ori,
                        f"race:{code}",
                        "baseline",
                        int(race[code][i]),
                        int(n_all[i]),
                        base.race_share(code),
                        base.arrests,
                    )
                )
            out.append(
                method.Count(
                    row.ori,
                    "born_abroad",
                    "baseline",
                    int(abroad[i]),
                    int(n_birth[i]),
                    base.born_abroad_share,
                    base.arrests,
                )
            )
        # Level 3 among matches against Level 3 among the jurisdiction's other bookings: local
        # charging habits cancel out; what is left is how the people matched were arrested.
        others = int(n_all[i] - n_matches[i])
        if others > 0:
            out.append(
                method.Count(
                    row.ori,
                    "matches_level3",
                    "own",
                    int(matched_l3[i]),
                    int(n_matches[i]),
                    int(unmatched_l3[i]) / others,
                    others,
                )
            )
        # The references leave the jurisdiction itself out, so a large one cannot hide in its own rate.
        everyone = [index[r.ori] for r in rows if r.ori != row.ori and n_matches[index[r.ori]] > 0]
        total_n = int(n_matches[everyone].sum()) if everyone else 0
        if total_n > 0:
            out.append(
                method.Count(
                    row.ori,
                    "matches_no_conviction",
                    "national",
                    int(no_conviction[i]),
                    int(n_matches[i]),
                    int(no_conviction[everyone].sum()) / total_n,
                    total_n,
                    len(everyone),
                )
            )
        peers = [k for k in everyone if state_of[b.oris[k]] == row.state]
        if len(peers) >= MIN_STATE_PEERS:
            peer_n = int(n_matches[peers].sum())
            out.append(
                method.Count(
                    row.ori,
                    "matches_no_conviction",
                    "state",
                    int(no_conviction[i]),
                    int(n_matches[i]),
                    int(no_conviction[peers].sum()) / peer_n,
                    peer_n,
                    len(peers),
                )
            )
    return out  # fmt: skip


def _rates(b: Bookings, rows: list[JurisdictionRow]) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Outcome rates and indicator shares over the country and over each state."""

    def rates(mask: np.ndarray) -> dict[str, float]:
        s = b.searched & mask
        n = int(s.sum())
        matched = s & b.matched
        m = int(matched.sum())
        known = s & (b.birth != groups.BIRTH_GROUPS.index(groups.UNKNOWN_BIRTH))
        out = {
            "submissions": float(n),
            "match_rate": matched.sum() / n if n else float("nan"),
            "removal_rate": (s & b.removable).sum() / n if n else float("nan"),
            "detainer_rate": (s & b.detainer).sum() / n if n else float("nan"),
            "born_abroad": (known & (b.birth == groups.BIRTH_GROUPS.index(groups.FOREIGN_BORN))).sum()
            / known.sum()
            if known.sum()
            else float("nan"),
            "matches_level3": (matched & (b.level == levels.LEVELS.index(levels.LEVEL_3))).sum() / m
            if m
            else float("nan"),
            "matches_no_conviction": (matched & ~b.prior_conviction).sum() / m if m else float("nan"),
        }
        for code in groups.TESTED_RACES:
            out[f"race:{code}"] = (s & (b.race == groups.RACES.index(code))).sum() / n if n else float("nan")
        return {k: float(v) for k, v in out.items()}

    national = rates(np.ones(len(b), bool))
    states: dict[str, dict[str, float]] = {}
    state_by_index = defaultdict(list)
    index = {ori: i for i, ori in enumerate(b.oris)}
    for r in rows:
        state_by_index[r.state].append(index[r.ori])
    for state, members in state_by_index.items():
        states[state] = rates(np.isin(b.ori, members))
    return national, states


def _breakdown(b: Bookings, rows: list[JurisdictionRow]) -> list[BreakdownRow]:
    s = b.searched
    index = {ori: i for i, ori in enumerate(b.oris)}
    dimensions: list[tuple[str, list[tuple[str, np.ndarray]]]] = [
        ("offense level", [(levels.LABELS[lv], b.level == k) for k, lv in enumerate(levels.LEVELS)]
         + [("no prior conviction", ~b.prior_conviction)]),
        ("race", [(groups.RACE_LABELS[c], b.race == k) for k, c in enumerate(groups.RACES)]),
        ("birth", [(groups.BIRTH_LABELS[g], b.birth == k) for k, g in enumerate(groups.BIRTH_GROUPS)]),
    ]  # fmt: skip
    if b.place_of_birth is not None and len(b):
        places = sorted({p for p in b.place_of_birth[s] if p})
        dimensions.append(
            ("place of birth", [(f"{p} {groups.place_label(p)}", b.place_of_birth == p) for p in places])
        )
    outcome_masks = {
        "submissions": s,
        "matches": s & b.matched,
        "removals": s & b.removable,
        "detainers": s & b.detainer,
    }
    out = []
    for dimension, categories in dimensions:
        for label, mask in categories:
            per = {k: _per_ori(b, m & mask) for k, m in outcome_masks.items()}
            for r in rows:
                i = index[r.ori]
                if per["submissions"][i] == 0:
                    continue
                out.append(BreakdownRow(r.ori, dimension, label, *(int(per[k][i]) for k in OUTCOMES)))
    return out
