"""`booking-station ebts dump FILE [--json]` and `booking-station ebts validate FILE`."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    ebts = sub.add_parser("ebts", help="read and check EBTS / ANSI/NIST-ITL files")
    cmds = ebts.add_subparsers(dest="ebts_command", metavar="ACTION", required=True)
    dump = cmds.add_parser("dump", help="list every record and field of a file")
    dump.add_argument("file", help="an ANSI/NIST-ITL traditional-encoding file (.an2, .eft, .ebts)")
    dump.add_argument("--json", action="store_true", help="machine-readable output")
    dump.set_defaults(func=_dump)
    check = cmds.add_parser("validate", help="check a file against the EBTS rules; exit 1 when it breaks any")
    check.add_argument("file")
    check.set_defaults(func=_validate)


def register_bench(bench: argparse._SubParsersAction) -> None:
    p = bench.add_parser("ebts", help="time to build, parse and validate a full CAR; WSQ ratio")
    p.add_argument(
        "--repeat", type=int, default=3, metavar="N", help="runs to take the median of (default 3)"
    )
    p.add_argument(
        "--shared-data", metavar="DIR", help="../shared/data, for real prints (default: beside the project)"
    )
    p.add_argument("--json", metavar="PATH", help="also write the report here")
    p.set_defaults(func=_bench)


def _bench(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from booking_station.runtime import UserError
    from ebts._bench import run

    if args.repeat < 1:
        raise UserError("--repeat must be at least 1")
    shared = (
        Path(args.shared_data)
        if args.shared_data
        else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    report = run(args.repeat, shared if shared.is_dir() else None)
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0


def _read(path: str):
    from booking_station.runtime import UserError
    from ebts import ParseError, parse

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return parse(data)
    except ParseError as exc:
        raise UserError(f"{path} is not a readable ANSI/NIST-ITL file: {exc}") from None


def _dump(args: argparse.Namespace) -> int:
    import json

    from ebts._dump import describe, to_lines

    tx = _read(args.file)
    if args.json:
        print(json.dumps(describe(tx), ensure_ascii=False, indent=1))
    else:
        print("\n".join(to_lines(tx)))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from ebts import validate

    tx = _read(args.file)
    problems = validate(tx)
    for problem in problems:
        print(problem)
    print(f"{args.file}: {tx.tot or 'no TOT'}, {len(tx)} records, {len(problems)} problem(s)")
    return 1 if problems else 0
