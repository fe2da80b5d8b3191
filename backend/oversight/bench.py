"""`booking-station bench oversight`: how often the method flags what it should, and what it should not.

Each run simulates `jurisdictions` jurisdictions over `quarters` quarters (backend.oversight.demo's
model: realistic sizes, baselines a year old, shares that drift from quarter to quarter), injects
over-representation into a tenth of them in the last quarter, each with an effect size (the
group's share multiplied by 1.25, 1.5, 2 or 3) on a group whose baseline share is between 5 % and
45 % (so that a doubled share still fits), and runs the report's method on that quarter. Runs are
repeated with other seeds until `repeats` is reached.

- false alarms: the share of clean jurisdictions flagged for anything;
- power: the share of injected jurisdictions flagged (the in-depth review they should get; the
  injected arrests also raise other proportions, e.g. Level 3 charges among IDENT matches), and
  the share flagged on the injected proportion itself (`detected_on_injected_pct`), by effect size, by
  the jurisdiction's bookings in the quarter and by the group's baseline share; `power_pct` is the
  doubled proportion in jurisdictions with at least 200 bookings, for groups that are at least
  10 % of the baseline's arrests (`power_small_groups_pct`: the same for groups of 5-10 %, where
  doubling means 10 more people in 200 and the method is not that sensitive).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from backend.oversight import demo, figures, method
from booking_station.quarters import Quarter

EFFECTS = (1.25, 1.5, 2.0, 3.0)
SIZE_BINS = ((0, 50), (50, 200), (200, 1000), (1000, None))
SHARE_RANGE = (0.05, 0.45)
SHARE_BINS = ((0.05, 0.10), (0.10, 0.20), (0.20, 0.45))
#: The headline power counts groups at least this large a share of the baseline's arrests.
POWER_MIN_SHARE = 0.10
TARGET_FALSE_ALARM_PCT = 5.0
TARGET_POWER_PCT = 90.0


def _bin(n: int) -> str:
    for low, high in SIZE_BINS:
        if n >= low and (high is None or n < high):
            return f"{low}-{high - 1}" if high else f">={low}"
    return "?"


def _share_bin(share: float) -> str:
    for low, high in SHARE_BINS:
        if low <= share < high or (high == SHARE_BINS[-1][1] and share == high):
            return f"{low:.0%}-{high:.0%}"
    return "?"


def run_once(jurisdictions: int, quarters: int, seed: int, last: Quarter) -> dict:
    places = demo.jurisdictions(jurisdictions, seed)
    spans = [*last.earlier(quarters - 1), last]
    people = demo._Population.build(5000, seed)
    baselines = demo.baselines(places, seed, 5000)
    rng = np.random.default_rng([seed, 99])
    injected: dict[str, tuple[float, str, float]] = {}
    for i in rng.permutation(len(places)):
        if len(injected) >= max(1, jurisdictions // 10):
            break
        ori = places[i].ori
        base = baselines[ori]
        shares = {
            demo.BORN_ABROAD: base.born_abroad_share,
            **{c: base.race_share(c) for c in ("W", "B", "A")},
        }
        fitting = [g for g, s in shares.items() if SHARE_RANGE[0] <= s <= SHARE_RANGE[1]]
        if not fitting:
            continue
        target = str(rng.choice(fitting))
        injected[ori] = (float(rng.choice(EFFECTS)), target, shares[target])
    profiling = {o: demo.Profiling(e, t, last) for o, (e, t, _) in injected.items()}
    bookings, _ = demo.simulate(places, spans, seed, profiling, people=people)
    result = figures.compute(bookings, baselines, last)
    flagged = set(result.assessment.flagged_oris())
    sizes = {r.ori: r.submissions for r in result.jurisdictions}
    rows = []
    for ori in sizes:
        entry = {"seed": seed, "ori": ori, "bookings": sizes[ori], "flagged": ori in flagged}
        if ori in injected:
            effect, target, share = injected[ori]
            indicator = "born_abroad" if target == demo.BORN_ABROAD else f"race:{target}"
            hit = any(f.flag and f.count.indicator == indicator for f in result.assessment.for_ori(ori))
            entry |= {
                "effect": effect,
                "target": indicator,
                "baseline_share": round(share, 4),
                "detected": hit,
            }
        rows.append(entry)
    return {"rows": rows, "tau2": {f"{k[0]}/{k[1]}": round(v, 5) for k, v in result.assessment.tau2.items()}}


def run(jurisdictions: int = 200, quarters: int = 4, repeats: int = 40, seed: int = 2026) -> dict:
    last = Quarter(2026, 3)
    started = time.perf_counter()
    rows: list[dict] = []
    tau2 = []
    for r in range(repeats):
        once = run_once(jurisdictions, quarters, seed + r, last)
        rows += once["rows"]
        tau2.append(once["tau2"])
    clean = [r for r in rows if "effect" not in r]
    injected = [r for r in rows if "effect" in r]
    table = defaultdict(lambda: [0, 0])
    by_share = defaultdict(lambda: [0, 0])
    for r in injected:
        for cell in (
            table[(r["effect"], _bin(r["bookings"]))],
            by_share[(r["effect"], _share_bin(r["baseline_share"]))],
        ):
            cell[0] += r["flagged"]
            cell[1] += 1
    large = [r for r in injected if r["effect"] == 2.0 and r["bookings"] >= 200]
    doubled = [r for r in large if r["baseline_share"] >= POWER_MIN_SHARE]
    small = [r for r in large if r["baseline_share"] < POWER_MIN_SHARE]
    clean_by_size = defaultdict(lambda: [0, 0])
    for r in clean:
        cell = clean_by_size[_bin(r["bookings"])]
        cell[0] += r["flagged"]
        cell[1] += 1
    return {
        "false_alarm_pct": _pct(sum(r["flagged"] for r in clean), len(clean)),
        "power_pct": _pct(sum(r["flagged"] for r in doubled), len(doubled)),
        "detected_on_injected_pct": _pct(sum(r["detected"] for r in doubled), len(doubled)),
        "power_small_groups_pct": _pct(sum(r["flagged"] for r in small), len(small)),
        "targets": {"false_alarm_pct_max": TARGET_FALSE_ALARM_PCT, "power_pct_min": TARGET_POWER_PCT},
        "power_of": f"doubled proportion, jurisdictions with >= 200 bookings, groups >= 10 % of the baseline "
        f"(n = {len(doubled)}); small groups 5-10 %: n = {len(small)}",
        "clean_jurisdictions": len(clean),
        "injected_jurisdictions": len(injected),
        "jurisdictions": jurisdictions,
        "quarters": quarters,
        "repeats": repeats,
        "seed": seed,
        "fdr": method.FDR,
        "min_ratio": method.MIN_RATIO,
        "seconds": round(time.perf_counter() - started, 1),
        "power_table": [
            {
                "effect": e,
                "bookings": b,
                "flagged": table[(e, b)][0],
                "injected": table[(e, b)][1],
                "power_pct": _pct(*table[(e, b)]),
            }
            for e in EFFECTS
            for b in (_bin(low) for low, _ in SIZE_BINS)
            if table[(e, b)][1]
        ],  # fmt: skip
        "power_by_baseline_share": [
            {
                "effect": e,
                "baseline_share": b,
                "flagged": by_share[(e, b)][0],
                "injected": by_share[(e, b)][1],
                "power_pct": _pct(*by_share[(e, b)]),
            }
            for e in EFFECTS
            for b in (_share_bin(low) for low, _ in SHARE_BINS)
            if by_share[(e, b)][1]
        ],  # fmt: skip
        "false_alarms_by_size": [
            {"bookings": b, "flagged": v[0], "clean": v[1], "false_alarm_pct": _pct(*v)}
            for b, v in sorted(clean_by_size.items())
        ],
        "tau2_per_run": tau2,
        "injected": injected,
    }


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def main(args) -> int:  # type: ignore[no-untyped-def]
    report = run(args.jurisdictions, args.quarters, args.repeats, args.seed)
    shown = {k: v for k, v in report.items() if k not in ("injected", "tau2_per_run")}
    print(json.dumps(shown, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0
