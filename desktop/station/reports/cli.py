"""`booking-station report jail`: the jail's quarterly detainer report (PDF and CSV)."""

from __future__ import annotations

import argparse
from pathlib import Path

from booking_station.runtime import UserError


def register(sub: argparse._SubParsersAction) -> None:
    """No top-level command of its own: see register_report."""


def register_report(report: argparse._SubParsersAction) -> None:
    p = report.add_parser(
        "jail",
        help="the jail's own quarterly detainer report (the station's audit log and detainers): PDF and CSV",
        description="Detainers received; holds ended by transfer to ICE custody, release, withdrawal or lapse; "
        "every hold that went past its deadline; copies served by language and by how; citizenship and victim "
        "claims and their outcomes; wrong-person alerts; immigration responses declined. Verifies the audit "
        "chain first.",
    )
    p.add_argument("--quarter", required=True, help="e.g. 2026Q3 (in the jail's time zone)")
    p.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder for the PDF and the CSV files"
    )
    p.set_defaults(func=_jail)


def _jail(args: argparse.Namespace) -> int:
    from booking_station.quarters import Quarter
    from desktop.station.core import Station
    from desktop.station.reports import jail, jail_files

    try:
        quarter = Quarter.parse(args.quarter)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    station = Station.open()
    try:
        report = jail.compute(station.store, station.audit, station.config, quarter)
    finally:
        station.close()
    try:
        paths = jail_files.write(report, args.out)
    except OSError as exc:
        raise UserError(f"cannot write the report into {args.out}: {exc}") from None
    print(str(report.verification))
    for code, value in report.summary():
        print(f"{jail.LABELS[code]}: {value}")
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0 if report.verification.ok else 1
