"""`booking-station bench capture`: the capture page's preview frame rate and finger-lift-to-quality time.

Runs the real Capture page offscreen against the virtual scanner at its normal pace, on a
throw-away station database, and reports what the clerk would see.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """No user commands of its own; the capture workflow lives in the station (gui)."""


def register_bench(bench_sub: argparse._SubParsersAction) -> None:
    p = bench_sub.add_parser(
        "capture",
        help="capture page: preview frame rate and finger-lift-to-quality-shown time (virtual scanner, offscreen)",
    )
    p.add_argument(
        "--rolled", type=int, default=4, help="rolled prints after the slaps and thumbs (0–10, default 4)"
    )
    p.add_argument("--fps", type=float, default=25.0, help="the virtual scanner's frame rate (default 25)")
    p.add_argument("--subject", type=int, default=51, help="virtual subject id (default 51)")
    p.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    p.set_defaults(func=_bench)


def _bench(args: argparse.Namespace) -> int:
    import json
    import os

    from booking_station.runtime import UserError

    if not 0 <= args.rolled <= 10:
        raise UserError(f"--rolled must be 0–10, not {args.rolled}")
    if not 1 <= args.fps <= 200:
        raise UserError(f"--fps must be 1–200, not {args.fps}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = _run(args.rolled, args.fps, args.subject)
    for key, value in result.items():
        print(f"{key}\t{value}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2)
    return 0


def _run(rolled: int, fps: float, subject: int) -> dict:
    import datetime as dt
    import statistics
    import tempfile
    import time
    from pathlib import Path

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.station.bookings import BookingForm, parse
    from desktop.station.capture import CaptureWorkflow
    from desktop.station.config import Config
    from desktop.station.core import Station
    from desktop.station.models import Role
    from desktop.ui.booking_pages import PageContext
    from desktop.ui.capture import CapturePage
    from drivers.virtual import Timing, control

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-capture-"))
    station = Station.open(Config(database_url=f"sqlite:///{folder / 'station.db'}"))
    try:
        clerk = station.operators.add("bench", "virtual desk 25", Role.CLERK, actor="bench")
        form = BookingForm(
            {
                "surname": "Bench", "given_names": "Capture", "date_of_birth": "1990-01-02", "sex": "M",
                "race": "W", "place_of_birth": "VA", "height": "5'10\"", "weight": "170", "eye_color": "BRO",
                "hair_color": "BLK", "arrested_on": dt.date.today().isoformat(),
            },
            [{"offense_date": dt.date.today().isoformat(), "text": "Benchmark", "level": "felony"}],
        )  # fmt: skip
        booking = station.bookings.create(parse(form, dt.date.today()), actor="bench").id
        ctl = control()
        ctl.reset()
        ctl.present(subject)
        ctl.set_timing(Timing(fps=fps))
        workflow = CaptureWorkflow(station, booking, clerk)
        page = CapturePage(PageContext(station, clerk, booking, lambda: None), workflow=workflow)
        page.advance_delay_ms = 0
        page.resize(1400, 850)
        page.show()
        steps = 3 + rolled
        deadline = time.monotonic() + 60 * steps
        while len(page.timings) < steps and time.monotonic() < deadline:
            loop = QEventLoop()
            QTimer.singleShot(50, loop.quit)
            loop.exec()
        page.auto_advance = False
        received = page.frames_received()
        page.shutdown()
        painted = page.frame_times
        # Frame intervals within a capture only (a pause longer than 0.5 s is between captures).
        gaps = [b - a for a, b in zip(painted, painted[1:], strict=False) if 0 < b - a < 0.5]
        lift = page.timings
        return {
            "scanner_fps": fps,
            "captures": len(lift),
            "preview_frames_painted": len(painted),
            "preview_fps_median": round(1.0 / statistics.median(gaps), 1) if gaps else 0.0,
            "preview_frames_received": received,
            "lift_to_quality_ms_first": round(1000 * lift[0]) if lift else None,
            "lift_to_quality_ms_median_flats": round(1000 * statistics.median(lift[1:3]))
            if len(lift) > 2
            else None,
            "lift_to_quality_ms_median_rolled": round(1000 * statistics.median(lift[3:]))
            if len(lift) > 3
            else None,
            "lift_to_quality_ms_max": round(1000 * max(lift[1:] or lift)) if lift else None,
        }
    finally:
        station.close()
        del app
