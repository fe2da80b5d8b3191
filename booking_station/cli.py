"""`booking-station`: one command line, subcommands contributed by each package.

Each module in COMMANDS exposes `register(subparsers)` and may expose
`register_bench(bench_subparsers)` and `register_report(report_subparsers)` (the quarterly
reports: `report oversight` from the backend, `report jail` from the station). Registration must stay import-light (no numba,
no Qt, no SQLAlchemy at import time) so that `--help` and the GUI start fast; heavy
imports happen inside the command handlers. A command line that names one command
(or none: the GUI) imports only the module that registers it, so that `match` does
not pay for importing the drivers, EBTS and desktop packages.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from booking_station import runtime

# Module -> the top-level commands its `register` adds, in the order shown by --help.
# tests/test_cli.py checks the names against what each module really registers.
COMMANDS: dict[str, tuple[str, ...]] = {
    "desktop.cli": ("gui", "station", "operators", "audit", "keys", "config"),
    "drivers.cli": ("scanners",),
    "drivers.virtual.cli": ("virtual-scanner",),
    "matcher.cli": ("quality", "match"),
    "matcher.synth.cli": ("synth",),
    "backend.cli": ("backend",),
    "ebts.cli": ("ebts",),
    "desktop.detainer_cli": ("detainer", "rights"),
    "desktop.capture_cli": ("capture",),
    "desktop.demo_cli": ("demo",),
    "desktop.ui.capture_cli": (),
    "desktop.ui.bench_ui": (),
    "booking_station.pki_cli": ("pki",),
    "backend.oversight.cli": (),
    "desktop.station.reports.cli": (),
}
# Module -> (command, actions) it adds to a command another module registers: the ebts package
# may not import the station, so the station adds `ebts import` itself. Each exposes
# `extend(actions)`, given the command's sub-command action (import-light, like `register`).
EXTENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "desktop.ebts_import_cli": ("ebts", ("import",)),
    # The backend shards galleries over a Ray cluster; the matcher may not import the backend.
    "backend.cluster.cli": ("bench", ("search",)),
}
_DEFAULT_MODULE = "desktop.cli"  # no command: the station (gui)
_GLOBAL_FLAGS = {"-v", "--verbose"}


def _first_command(argv: Sequence[str] | None) -> str | None:
    return next((token for token in argv or () if token not in _GLOBAL_FLAGS), None)


def command_module(argv: Sequence[str]) -> str | None:
    """The one module needed to parse `argv`, or None when every module is (help, bench, unknown)."""
    token = _first_command(argv)
    if token is None:
        return _DEFAULT_MODULE
    return next((module for module, names in COMMANDS.items() if token in names), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; given `argv`, only of the command it names when it names one."""
    parser = argparse.ArgumentParser(
        prog="booking-station",
        description="Jail booking station: capture tenprints, submit EBTS, track detainers. "
        "With no command, starts the station (gui).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    bench = sub.add_parser("bench", help="speed and accuracy benchmarks (print and write JSON)")
    bench_sub = bench.add_subparsers(dest="bench_command", metavar="BENCHMARK", required=True)
    report = sub.add_parser(
        "report", help="quarterly reports (PDF and CSV): oversight review, the jail's own"
    )
    report_sub = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    only = None if argv is None else command_module(argv)
    for name in [only] if only else COMMANDS:
        module = importlib.import_module(name)
        module.register(sub)
        if hasattr(module, "register_bench"):
            module.register_bench(bench_sub)
        if hasattr(module, "register_report"):
            module.register_report(report_sub)
    invoked = _first_command(argv) if only else None
    for name, (command, _) in EXTENSIONS.items():
        # Only for the command being run (or all, for help): `match` must not import the backend.
        if command in sub.choices and invoked in (None, command):
            importlib.import_module(name).extend(actions_of(sub.choices[command]))
    return parser


def actions_of(command: argparse.ArgumentParser) -> argparse._SubParsersAction:
    """The sub-command action of a command's parser (where `ebts dump`, `ebts validate` live)."""
    for action in command._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(f"command {command.prog!r} has no actions to extend")


def main(argv: Sequence[str] | None = None) -> int:
    runtime.prepare_environment()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    runtime.configure_logging(verbose=args.verbose)
    if args.command is None:
        args = parser.parse_args(["gui", *argv])
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
