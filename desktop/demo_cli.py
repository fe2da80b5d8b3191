"""`booking-station demo bookings --count N [--submit] [--seed S]`: complete bookings, no window.

Synthetic people (demographics in several scripts) are booked with the station's own form rules
and fingerprinted through the same capture session as the Capture page, with the virtual
scanner. `--submit` queues each for the FBI and sends them to the configured backend (the
embedded one unless the settings name another) with the station's own submission worker. One
JSON line per booking, then a summary; for demos and for loading a station with bookings.
"""

from __future__ import annotations

import argparse
import json
import time

from booking_station.runtime import UserError


def register(sub: argparse._SubParsersAction) -> None:
    from desktop.capture_cli import add_operator_arguments

    demo = sub.add_parser("demo", help="demo and load data made through the station's own core")
    demo_sub = demo.add_subparsers(dest="demo_command", metavar="WHAT", required=True)
    p = demo_sub.add_parser(
        "bookings",
        help="book and fingerprint N synthetic people (virtual scanner), optionally submit them",
        description=__doc__.split("\n\n")[1],
    )
    p.add_argument("--count", type=int, required=True, metavar="N", help="bookings to make")
    p.add_argument("--seed", type=int, default=1, help="the same seed makes the same people (default 1)")
    p.add_argument(
        "--subjects",
        type=int,
        default=100,
        metavar="N",
        help="virtual subjects 1..N, the backend population's people (default 100, its default size)",
    )
    p.add_argument(
        "--submit", action="store_true", help="queue each for the FBI and send them to the backend"
    )
    p.add_argument(
        "--send-timeout",
        type=float,
        default=300.0,
        metavar="S",
        help="seconds to wait for the backend (default 300)",
    )
    add_operator_arguments(p)
    p.set_defaults(func=_bookings)


def _bookings(args: argparse.Namespace) -> int:
    from desktop.capture_cli import sign_in
    from desktop.station.core import Station
    from desktop.station.demo import make_bookings, send_queued

    if args.count < 1:
        raise UserError(f"--count must be at least 1, not {args.count}")
    station = Station.open()
    started = time.monotonic()
    try:
        operator = sign_in(station, args)

        def show(booked) -> None:
            line = {
                "booking": booked.number,
                "name": booked.name,
                "script": booked.script,
                "subject": booked.subject,
                "complete": booked.summary["complete"],
                "sequence": booked.summary["sequence"]["state"],
                "tcn": booked.tcn,
                "problem": booked.problem,
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)

        made = make_bookings(station, operator, args.count, seed=args.seed, subjects=args.subjects,
                             submit=args.submit, progress=show)  # fmt: skip
        summary: dict = {
            "bookings": len(made),
            "complete": sum(b.summary["complete"] for b in made),
            "seconds": round(time.monotonic() - started, 1),
        }
        if args.submit:
            tcns = [b.tcn for b in made if b.tcn]
            summary["queued"] = len(tcns)
            sent = send_queued(station, tcns, timeout=args.send_timeout) if tcns else {"submissions": {}}
            states = list(sent["submissions"].values())
            summary["sent"] = sum(s in ("sent", "acknowledged") for s in states)
            summary["still_queued"] = states.count("queued")
            summary["backend_problem"] = sent.get("backend_problem")
    finally:
        station.close()
    print(json.dumps({"summary": summary}, ensure_ascii=False))
    ok = summary["complete"] == summary["bookings"] and (
        not args.submit or summary["sent"] == summary["bookings"]
    )
    return 0 if ok else 1
