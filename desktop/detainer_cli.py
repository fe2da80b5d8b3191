"""Detainer commands: `detainer deadline` (the 48-hour clock) and `rights languages|render` (the
detainee's copy). Registration is import-light; the work is imported inside the handlers."""

from __future__ import annotations

import argparse
from pathlib import Path

from booking_station.runtime import UserError


def register(sub: argparse._SubParsersAction) -> None:
    det = sub.add_parser("detainer", help="immigration detainers: the 48-hour hold clock")
    det_sub = det.add_subparsers(dest="detainer_command", metavar="ACTION", required=True)
    dl = det_sub.add_parser(
        "deadline",
        help="when a detainer's hold ends: 48 hours excluding Saturdays, Sundays and Federal holidays",
        description="Print the end of a detainer hold as ISO 8601 with its UTC offset. Hours are real "
        "elapsed hours on eligible days in the jail's time zone: Monday to Friday, not a Federal holiday "
        "(observed days included), as the detainer form says; with --holidays federal+state, not a holiday "
        "of --state either. Time zone, state and holiday rule default to the station's settings.",
    )
    dl.add_argument(
        "--releasable",
        required=True,
        help="when the person became (or becomes) releasable, ISO 8601, e.g. 2012-12-21T17:00 "
        "(a time without an offset is read in --tz)",
    )
    dl.add_argument("--tz", help="the jail's IANA time zone, e.g. America/New_York")
    dl.add_argument(
        "--state", help="two-letter US state, e.g. VA (its holidays count only with federal+state)"
    )
    dl.add_argument(
        "--holidays",
        choices=("federal", "federal+state"),
        help="which holidays stop the clock: federal (the form's rule, the default) or federal+state",
    )
    dl.add_argument("--explain", action="store_true", help="also list the days skipped and why")
    dl.set_defaults(func=_deadline)

    rights = sub.add_parser("rights", help="the detainee's copy of a detainer with a notice of their rights")
    rights_sub = rights.add_subparsers(dest="rights_command", metavar="ACTION", required=True)
    langs = rights_sub.add_parser(
        "languages",
        help="list the languages of the notice (code, own name, whether a translator reviewed it)",
    )
    langs.set_defaults(func=_languages)
    render = rights_sub.add_parser(
        "render", help="write the bilingual copy (the language beside English) as a PDF"
    )
    render.add_argument("--lang", required=True, help="language code from `rights languages`, e.g. vi")
    render.add_argument("--out", required=True, type=Path, help="the PDF file to write")
    render.add_argument(
        "--sample",
        action="store_true",
        required=True,
        help="fill it in for a sample detainer (serving a real detainee's copy is done in the station, "
        "which records it in the audit log)",
    )
    render.set_defaults(func=_render)


def register_bench(bench: argparse._SubParsersAction) -> None:
    b = bench.add_parser("rights", help="time to make the detainee's copy (PDF) in each language")
    b.add_argument("--repeat", type=int, default=3, help="renders per language; the median is reported")
    b.add_argument("--json", type=Path, help="write the figures to this JSON file")
    b.set_defaults(func=_bench_rights)


def _bench_rights(args: argparse.Namespace) -> int:
    import json
    import statistics
    import time

    from desktop.station.detainers import notice, rights

    if args.repeat < 1:
        raise UserError("--repeat must be at least 1")
    details = notice.sample_details()
    figures = {}
    for code in rights.language_codes():
        wall, cpu, size = [], [], 0
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            size = len(notice.render(details, code).pdf)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        # CPU time is the figure other processes on the machine do not inflate.
        figures[code] = {
            "median_wall_s": round(statistics.median(wall), 3),
            "median_cpu_s": round(statistics.median(cpu), 3),
            "bytes": size,
        }
        f = figures[code]
        print(
            f"{code:8} wall {f['median_wall_s']:6.3f} s  cpu {f['median_cpu_s']:6.3f} s  {size / 1024:6.1f} KiB"
        )
    if args.json:
        args.json.write_text(json.dumps({"repeat": args.repeat, "languages": figures}, indent=2))
    return 0


def _settings() -> tuple[str, str, str]:
    from desktop.station import config

    current = config.load()
    return current.time_zone, current.state, current.hold_holidays


def _deadline(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from desktop.station.detainers import clock

    tz_name, state, rule = args.tz, args.state, args.holidays
    if None in (tz_name, state, rule):
        defaults = _settings()
        tz_name, state, rule = tz_name or defaults[0], state or defaults[1], rule or defaults[2]
    try:
        tz = clock.zone(tz_name)
        calendar = clock.HoldCalendar(clock.HolidayRule(rule), state)
        releasable = clock.parse_local(args.releasable, tz)
        end = clock.deadline(releasable, tz, calendar)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    print(end.isoformat(timespec="minutes" if end.second == 0 and not end.microsecond else "seconds"))
    if args.explain:
        print(f"  rule: {calendar.describe()}")
        day = releasable.date()
        while day <= end.date():
            if not calendar.is_eligible_day(day):
                why = calendar.holiday_name(day) or day.strftime("%A")
                print(f"  {day.isoformat()} not counted: {why}")
            day += timedelta(days=1)
    return 0


def _languages(args: argparse.Namespace) -> int:
    from desktop.station.detainers import rights

    for text in rights.languages():
        review = text.review_note if text.reviewed else "not yet reviewed by a qualified translator"
        print(f"{text.code:8} {text.own_name} ({text.english_name}) - {review}")
    return 0


def _render(args: argparse.Namespace) -> int:
    from desktop.station.detainers import notice

    try:
        copy = notice.render(notice.sample_details(), args.lang)
    except notice.NoticeError as exc:
        raise UserError(str(exc)) from None
    try:
        args.out.write_bytes(copy.pdf)
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"{args.out}  sha256 {copy.sha256}")
    return 0
