"""`booking-station bench sequence`: does the sequence check stop another person's prints?

Synthetic bookings, captured as the station captures them: the virtual scanner (optical livescan
look) takes the right slap, the left slap, both thumbs and ten rolled prints of synthetic person
N; the slaps are cut into fingers by `matcher.slaps` and every print becomes a template, as in
`CaptureWorkflow`. Then `matcher.sequence.check_sequence` judges, per booking:

- the booking as taken (same person): blocked is a false alarm (target ≤ 0.5 %);
- its rolled prints against the next booking's slaps and thumbs (another person): not blocked is
  a miss (target: detected ≥ 99.5 %);
- its rolled prints with the hands swapped (left rolled in the right's places and back): blocked
  is a hit.

"Blocked" is what the capture gate does: any error finding (`SequenceReport.ok` is false).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


def register_bench(bench: argparse._SubParsersAction) -> None:
    p = bench.add_parser(
        "sequence",
        help="sequence check on synthetic bookings: another person's slaps detected, same person blocked",
    )
    p.add_argument("--cases", type=int, default=200, help="synthetic bookings (default 200)")
    p.add_argument("--first-subject", type=int, default=5000, help="first synthetic person (default 5000)")
    p.add_argument("--workers", type=int, default=1, help="processes capturing bookings (default 1)")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON")
    p.set_defaults(func=_run)


@dataclass(frozen=True)
class _Verdict:
    subject: int
    blocked: bool
    kinds: tuple[str, ...]
    judged: int
    matched: int
    floor: float


def _run(args: argparse.Namespace) -> int:
    from booking_station.runtime import UserError

    if args.cases < 2:
        raise UserError("--cases must be at least 2 (another person's slaps come from the next booking)")
    if args.workers < 1:
        raise UserError("--workers must be at least 1")
    subjects = list(range(args.first_subject, args.first_subject + args.cases))
    commit = _commit()  # the code that runs: taken now, the tree may move during a long run
    started = time.perf_counter()
    print(f"capturing {len(subjects)} synthetic bookings with the virtual scanner…", flush=True)
    if args.workers == 1:
        bookings = [_capture(s) for s in subjects]
    else:
        with ProcessPoolExecutor(args.workers, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            bookings = list(pool.map(_capture, subjects, chunksize=4))
    captured_s = time.perf_counter() - started
    same, other, swapped = [], [], []
    for i, (subject, rolled, flats) in enumerate(bookings):
        _, _, next_flats = bookings[(i + 1) % len(bookings)]
        same.append(_judge(subject, rolled, flats))
        other.append(_judge(subject, rolled, next_flats))
        swapped.append(_judge(subject, _swap_hands(rolled), flats))
    result = _figures(args, same, other, swapped, captured_s, time.perf_counter() - started, commit)
    for key in (
        "cases",
        "other_person_detected_pct",
        "other_person_named_pct",
        "same_person_blocked_pct",
        "wrong_hand_detected_pct",
        "seconds",
    ):
        print(f"{key}\t{result[key]}")
    for label, cases in (("same person blocked", same), ("another person missed", other)):
        wrong = [c for c in cases if c.blocked == (label == "same person blocked")]
        for c in wrong[:10]:
            print(f"{label}: subject {c.subject}: {', '.join(c.kinds) or 'no findings'} "
                  f"({c.matched}/{c.judged} matched)")  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


def _die_with_parent(parent: int) -> None:
    """Worker start-up: end this worker once the bench that started it is gone. A killed bench
    (SIGKILL or SIGTERM) tells its workers nothing, and they held two cores for minutes."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="bench-parent-watch", daemon=True).start()


def _capture(subject: int):
    """Synthetic person `subject`'s prints as the station takes them: rolled and flat templates."""
    from booking_station.fingers import SLAP_FINGERS
    from desktop.station.capture_session import virtual_scanner
    from drivers.api import CaptureMode, CaptureResult, FingerPosition
    from matcher import Template
    from matcher.slaps import segment_slap

    modes = {13: CaptureMode.RIGHT_SLAP, 14: CaptureMode.LEFT_SLAP, 15: CaptureMode.TWO_THUMBS}
    scanner = virtual_scanner(subject)()
    scanner.open()
    try:

        def take(mode: CaptureMode, fingers: tuple[int, ...]):
            for event in scanner.capture(mode, tuple(FingerPosition(f) for f in fingers)):
                if isinstance(event, CaptureResult):
                    return event.image, event.ppi
            raise RuntimeError(f"the virtual scanner gave no {mode.value} image for subject {subject}")

        flats = {}
        for position, mode in modes.items():
            image, ppi = take(mode, SLAP_FINGERS[position])
            for finger in segment_slap(image, ppi, SLAP_FINGERS[position]).fingers:
                if finger.finger:
                    try:
                        flats[finger.finger] = Template.from_image(finger.image, ppi)
                    except ValueError:
                        continue  # too small to compare: not judged, as in CaptureWorkflow
        rolled = {}
        for finger in range(1, 11):
            image, ppi = take(CaptureMode.ROLLED, (finger,))
            rolled[finger] = Template.from_image(image, ppi)
    finally:
        scanner.close()
    return subject, rolled, flats


def _swap_hands(rolled: dict) -> dict:
    """Each rolled print in the other hand's place (the clerk rolled the wrong hand throughout)."""
    return {f: rolled[f + 5 if f <= 5 else f - 5] for f in rolled if (f + 5 if f <= 5 else f - 5) in rolled}


def _judge(subject: int, rolled: dict, flats: dict) -> _Verdict:
    from matcher.sequence import check_sequence

    report = check_sequence(rolled, flats)
    kinds = tuple(sorted({f.kind.value for f in report.errors}))
    return _Verdict(subject, not report.ok, kinds, len(report.judged), len(report.matched), report.floor)


def _pct(count: int, total: int) -> float:
    return round(100.0 * count / total, 2) if total else 0.0


def _figures(args, same, other, swapped, captured_s: float, total_s: float, commit: str) -> dict:
    n = len(same)
    return {
        "cases": n,
        "other_person_detected_pct": _pct(sum(c.blocked for c in other), n),
        "other_person_named_pct": _pct(sum("other-person" in c.kinds for c in other), n),
        "same_person_blocked_pct": _pct(sum(c.blocked for c in same), n),
        "wrong_hand_detected_pct": _pct(sum(c.blocked for c in swapped), n),
        "targets": {"other_person_detected_pct": ">= 99.5", "same_person_blocked_pct": "<= 0.5"},
        "same_person_blocked": [_case(c) for c in same if c.blocked],
        "other_person_missed": [_case(c) for c in other if not c.blocked],
        "matched_fingers": {
            "same_person_min": min(c.matched for c in same),
            "other_person_max": max(c.matched for c in other),
        },
        "first_subject": args.first_subject,
        "seconds": round(total_s, 1),
        "capture_seconds": round(captured_s, 1),
        "workers": args.workers,
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "commit": commit,
        "load": _load(),
        "cpu": platform.processor() or platform.machine(),
    }


def _case(c: _Verdict) -> dict:
    return {"subject": c.subject, "findings": list(c.kinds), "judged": c.judged, "matched": c.matched}


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            cwd=Path(__file__).parent,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return str(os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
