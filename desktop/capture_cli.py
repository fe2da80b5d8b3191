"""`booking-station capture --booking NUMBER --headless`: a booking's whole capture plan, no window.

The same capture session the Capture page shows (desktop/station/capture_session.py) runs the
plan with the virtual scanner (`--subject N` puts that synthetic person on the platen; without
it, the configured scanner), judges every print, runs the sequence check and prints a JSON
summary. `--submit` then hands the prints to the outbox as the review's Submit does. The operator
signs in with their own account, so every capture is theirs in the audit log.
"""

from __future__ import annotations

import argparse
import sys

from booking_station.runtime import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "capture",
        help="capture a booking's prints with no window (--headless) and print a JSON summary",
        description=__doc__.split("\n\n")[1],
    )
    p.add_argument("--booking", required=True, metavar="NUMBER", help="the booking number, e.g. 2026-000042")
    p.add_argument(
        "--headless", action="store_true", help="run the plan with no window (the Capture tab is the GUI's)"
    )
    p.add_argument(
        "--subject", type=int, metavar="N", help="virtual scanner: synthetic person N on the platen"
    )
    p.add_argument(
        "--missing", default="", metavar="F,F", help="virtual scanner: fingers the person lacks (FGP 1–10)"
    )
    p.add_argument(
        "--pace", choices=("fast", "real"), default="fast", help="virtual scanner pace (default fast)"
    )
    add_operator_arguments(p)
    p.add_argument(
        "--submit", action="store_true", help="queue the prints for the FBI when the plan is complete"
    )
    p.add_argument("--timeout", type=float, default=600.0, help="seconds for the whole plan (default 600)")
    p.set_defaults(func=_capture)


def register_bench(bench: argparse._SubParsersAction) -> None:
    from desktop import sequence_bench  # import-light: the work is imported when it runs

    sequence_bench.register_bench(bench)


def add_operator_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--operator", required=True, metavar="USER", help="the station account doing the capture")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of stdin"
    )


def sign_in(station, args: argparse.Namespace):
    """The operator named on the command line, by their password (asked for unless --password-stdin)."""
    import getpass

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Password for {args.operator}: ")
    who = station.operators.authenticate(args.operator, password)
    if who is None:
        raise UserError(f"wrong user name or password for {args.operator!r}")
    return who


def _fingers(text: str) -> frozenset[int]:
    try:
        values = frozenset(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise UserError(f"--missing takes finger numbers 1–10 separated by commas, not {text!r}") from None
    if any(not 1 <= v <= 10 for v in values):
        raise UserError(f"--missing takes finger numbers 1–10, not {sorted(values)}")
    return values


def _capture(args: argparse.Namespace) -> int:
    import json

    from desktop.station.capture import AMPUTATED
    from desktop.station.capture_session import CaptureSession, virtual_scanner
    from desktop.station.core import Station

    if not args.headless:
        raise UserError(
            "without --headless the capture is the station's Capture tab: run `booking-station gui` and open "
            f"booking {args.booking}"
        )
    if args.timeout <= 0:
        raise UserError(f"--timeout must be positive, not {args.timeout}")
    missing = _fingers(args.missing)
    station = Station.open()
    try:
        operator = sign_in(station, args)
        booking = find_booking(station, args.booking)
        if args.subject is not None:
            open_scanner = virtual_scanner(args.subject, missing, fast=args.pace == "fast")
        elif missing:
            raise UserError("--missing needs --subject (it tells the virtual person which fingers they lack)")
        else:
            from drivers.registry import open_device

            def open_scanner():
                return open_device(station.config.scanner)

        session = CaptureSession(station, booking, operator, open_scanner, advance_delay=0.0)
        try:
            for finger in sorted(missing - session.missing_fingers()):
                session.annotate(finger, AMPUTATED, "not present (capture --missing)")
            summary = session.run_plan(timeout=args.timeout)
            if args.submit:
                try:
                    summary["submitted"] = str(session.submit())
                except UserError as exc:  # not ready, or the outbox refused: the summary says why
                    summary["submit_problem"] = str(exc)
        finally:
            session.close()
    finally:
        station.close()
    json.dump(summary, sys.stdout, indent=2, ensure_ascii=False)
    print()
    ok = summary["complete"] and not summary["blockers"] and "submit_problem" not in summary
    return 0 if ok else 1


def find_booking(station, number: str) -> int:
    found = [b for b in station.bookings.find(text=number, limit=50) if b.number == number.strip()]
    if not found:
        raise UserError(f"no booking numbered {number!r}")
    return found[0].id
