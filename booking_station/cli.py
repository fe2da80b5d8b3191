"""`booking-station`: one command line, subcommands contributed by each package.

Each module in COMMAND_MODULES exposes `register(subparsers)` and may expose
`register_bench(bench_subparsers)`. Registration must stay import-light (no numba,
no Qt, no SQLAlchemy at import time) so that `--help` and the GUI start fast; heavy
imports happen inside the command handlers.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from booking_station import runtime

# Order is the order shown by --help.
COMMAND_MODULES = [
    "desktop.cli",
    "drivers.cli",
    "drivers.virtual.cli",
    "matcher.cli",
    "matcher.synth.cli",
    "backend.cli",
    "ebts.cli",
    "desktop.detainer_cli",
    "desktop.ui.capture_cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="booking-station",
        description="Jail booking station: capture tenprints, submit EBTS, track detainers. "
        "With no command, starts the station (gui).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    bench = sub.add_parser("bench", help="speed and accuracy benchmarks (print and write JSON)")
    bench_sub = bench.add_subparsers(dest="bench_command", metavar="BENCHMARK", required=True)
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(sub)
        if hasattr(module, "register_bench"):
            module.register_bench(bench_sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    runtime.prepare_environment()
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    runtime.configure_logging(verbose=args.verbose)
    if args.command is None:
        args = parser.parse_args(["gui", *(sys.argv[1:] if argv is None else argv)])
    try:
        return int(args.func(args) or 0)
    except runtime.UserError as exc:
        # Expected, explainable failures: one clear line, no traceback.
        print(f"booking-station: {exc}", file=sys.stderr)
        logging.getLogger(__name__).debug("user error", exc_info=True)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
