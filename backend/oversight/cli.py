"""`booking-station report oversight`, `report oversight-demo` and `bench oversight`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from booking_station.runtime import UserError


def register(sub: argparse._SubParsersAction) -> None:
    """No top-level command of its own: see register_report and register_bench."""


def _store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", metavar="URL", help="the backend's database (default: its SQLite file in the data folder)"
    )
    p.add_argument(
        "--data-dir", type=Path, help="the backend's data folder (default: as `booking-station backend`)"
    )
    p.add_argument(
        "--key-file", type=Path, metavar="FILE", help="the database's key-encryption key (as the backend's)"
    )
    p.add_argument("--keyring", action="store_true", help="the key-encryption key is in the desktop keyring")


def register_report(report: argparse._SubParsersAction) -> None:
    p = report.add_parser(
        "oversight",
        help="the quarterly civil-rights review by jurisdiction (the backend's figures): PDF and CSV",
        description="Per jurisdiction and quarter: submissions, IDENT matches, removals requested and detainers, "
        "by offense level, race and place of birth, against the arrest-rate baseline and the state and national "
        "rates, with the jurisdictions the method flags (docs/oversight.md). Reads the backend's database.",
    )
    p.add_argument("--quarter", required=True, help="e.g. 2026Q3")
    p.add_argument(
        "--state", help="only this state's jurisdictions (two letters; the tests are the country's)"
    )
    p.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder for the PDF and the CSV files"
    )
    p.add_argument(
        "--baseline",
        type=Path,
        metavar="CSV",
        help="load this arrest-rate baseline first (kept for later reports)",
    )
    p.add_argument(
        "--policy",
        type=Path,
        metavar="FILE",
        help="the ICE policy the backend runs with (JSON), if not the default",
    )
    _store_options(p)
    p.set_defaults(func=_oversight)

    d = report.add_parser(
        "oversight-demo",
        help="fill a backend database with synthetic traffic for the oversight review (and its baseline)",
        description="Synthetic bookings over several quarters in many jurisdictions (sizes, demographics and offense "
        "mixes that vary realistically), with over-representation of a stated size where asked, and the "
        "synthetic arrest-rate baseline. The bookings' outcomes come from the backend population's records "
        "(no fingerprint search). Replaces an earlier demo's rows; real submissions are left alone.",
    )
    d.add_argument("--jurisdictions", type=int, default=40, help="how many (default 40)")
    d.add_argument("--quarters", type=int, default=4, help="how many quarters, ending with --end (default 4)")
    d.add_argument("--end", default="2026Q3", help="the last quarter (default 2026Q3)")
    d.add_argument(
        "--profiling",
        default="",
        metavar="SPEC",
        help='over-representation to inject: "ORI=FACTOR[:GROUP][@QUARTER],..." where GROUP is born-abroad '
        "(default) or a race code (W, B, A, I), e.g. TX0010000=2 doubles the share born abroad in the last quarter",
    )
    d.add_argument("--seed", type=int, default=2026)
    d.add_argument("--baseline-out", type=Path, metavar="CSV", help="also write the synthetic baseline here")
    _store_options(d)
    d.set_defaults(func=_demo)


def register_bench(bench: argparse._SubParsersAction) -> None:
    p = bench.add_parser(
        "oversight",
        help="oversight method: false alarms in clean jurisdictions, power for injected over-representation",
    )
    p.add_argument("--jurisdictions", type=int, default=200, help="per simulated country (default 200)")
    p.add_argument(
        "--quarters", type=int, default=4, help="quarters simulated, the last one tested (default 4)"
    )
    p.add_argument("--repeats", type=int, default=40, help="simulations with successive seeds (default 40)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--json", type=Path, metavar="OUT", help="also write the full report here")
    p.set_defaults(func=_bench)


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from backend._db import Store
    from backend.config import BackendConfig

    config = BackendConfig.from_env(
        db_url=args.db,
        data_dir=args.data_dir,
        key_file=args.key_file,
        use_keyring=True if args.keyring else None,
    )
    if not args.db:
        config.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        return Store(config.database_url, config.kek())
    except UserError:
        raise  # a missing or wrong key, said as such
    except Exception as exc:  # a wrong URL, a missing driver, an unreachable server
        raise UserError(f"cannot open the backend's database {config.database_url}: {exc}") from None


def _quarter(text: str):  # type: ignore[no-untyped-def]
    from booking_station.quarters import Quarter

    try:
        return Quarter.parse(text)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _oversight(args: argparse.Namespace) -> int:
    from backend.oversight import baseline, report
    from backend.policy import IcePolicy

    quarter = _quarter(args.quarter)
    if args.state and len(args.state.strip()) != 2:
        raise UserError(f"--state {args.state!r}: give the state's two letters, e.g. TX")
    try:
        policy = IcePolicy.load(args.policy)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    store = _store(args)
    try:
        if args.baseline:
            try:
                text = args.baseline.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UserError(f"cannot read {args.baseline}: {exc}") from None
            rows = baseline.save(store, text)
            print(f"baseline loaded: {len(rows)} jurisdictions from {args.baseline}")
        data = report.gather(store, policy, quarter, args.state)
        try:
            paths = report.write(data, args.out)
        except OSError as exc:
            raise UserError(f"cannot write the report into {args.out}: {exc}") from None
    finally:
        store.close()
    print(json.dumps(report.summary(data), indent=2))
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from backend.oversight import baseline, demo

    end = _quarter(args.end)
    if not 1 <= args.jurisdictions <= 2000 or not 1 <= args.quarters <= 20:
        raise UserError("--jurisdictions must be 1-2000 and --quarters 1-20")
    quarters = [*end.earlier(args.quarters - 1), end]
    try:
        profiling = demo.parse_profiling(args.profiling, end)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    known = {j.ori for j in demo.jurisdictions(args.jurisdictions, args.seed)}
    unknown = sorted(set(profiling) - known)
    if unknown:
        sample = ", ".join(sorted(known)[:6])
        raise UserError(
            f"--profiling names ORI(s) not in the demo: {', '.join(unknown)} (the demo's are e.g. {sample})"
        )
    store = _store(args)
    try:
        done = demo.fill(store, args.jurisdictions, quarters, args.seed, profiling)
        if args.baseline_out:
            rows, _ = baseline.load(store)
            args.baseline_out.write_text(baseline.to_csv(rows), encoding="utf-8")
    finally:
        store.close()
    print(
        json.dumps(
            {**done, "profiling": {o: vars(p) | {"since": str(p.since)} for o, p in profiling.items()}},
            indent=2,
        )
    )
    return 0


def _bench(args: argparse.Namespace) -> int:
    if args.jurisdictions < 20 or args.quarters < 1 or args.repeats < 1:
        raise UserError("--jurisdictions must be at least 20, --quarters and --repeats at least 1")
    from backend.oversight import bench

    return bench.main(args)
