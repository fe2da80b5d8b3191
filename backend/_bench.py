"""`booking-station bench backend`: population build time, search time per submission, identification results.

Submissions are made the way a station makes them (`ebts.build_car` from `matcher.synth` rolled
prints, slaps and thumbs, other impressions than the enrolled ones) and go through the same steps
as in the service: parse, validate, extract, NGI and IDENT tenprint searches.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from booking_station.progress import Progress, track

log = logging.getLogger("backend.bench")


def synthetic_car(subject_id: int, ori: str, seed: int, tcn: str | None = None, rolled: bool = True) -> bytes:
    """A complete, valid CAR of virtual subject `subject_id` (impressions `seed`); without the
    rolled prints (`rolled=False`, cheaper to make) it is a flats-only (4-4-2) CAR whose slaps
    carry their segments, searched with the fingers cut from them."""
    from ebts import Charge, FingerImage, Segment, Submission, build_car, new_tcn
    from matcher import synth

    def slap_image(slap, fgp: int) -> FingerImage:  # type: ignore[no-untyped-def]
        segments = tuple(Segment(f, x, x + w - 1, y, y + h - 1) for f, (x, y, w, h) in slap.fingers)
        return FingerImage(fgp, slap.image, slap.ppi, rolled=False, segments=segments)

    images = []
    for finger in range(1, 11) if rolled else ():
        imp = synth.impression(subject_id, finger, seed=seed, kind="rolled")
        images.append(FingerImage(finger, imp.image, imp.ppi, rolled=True))
    images.append(slap_image(synth.slap(subject_id, "right", seed), 13))
    images.append(slap_image(synth.slap(subject_id, "left", seed), 14))
    images.append(slap_image(synth.thumbs(subject_id, seed), 15))
    submission = Submission(
        tcn=tcn or new_tcn(ori),
        ori=ori,
        last_name="DOE",
        first_name="JOHN",
        date_of_birth=date(1980, 5, 17),
        sex="M",
        race="W",
        place_of_birth="TX",
        height_inches=70,
        weight_pounds=180,
        eye_color="BRO",
        hair_color="BLK",
        arrest_date=date(2026, 11, 20),
        charges=[Charge("BURGLARY", date(2026, 11, 19))],
        images=images,
    )
    return build_car(submission)


def run(
    population_size: int,
    seed: int,
    submissions: int,
    data_dir: Path | None,
    kind: str,
    flats: bool = False,
    quiet: bool = False,
) -> dict:
    """`flats`: submit flats-only (4-4-2) CARs, searched with the segmented slap fingers."""
    from backend import _enrol, ngi, population

    people = population.generate(population_size, seed)
    folder = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="backend-bench-"))
    meter: Progress | None = None

    def progress(done: int, total: int) -> None:
        nonlocal meter
        if meter is None and done < total:
            meter = Progress(total, "enrolling fingerprints", unit="print", quiet=quiet)
        if meter is not None:
            meter.advance(done - meter.done)

    wall, cpu = time.perf_counter(), _cpu()
    from backend import _gallery_key
    from booking_station.envelope import FileKek

    sealer = _gallery_key.sealer(folder / "galleries", FileKek(folder / "keys" / "bench.kek"))
    galleries = _enrol.build(people, seed, kind, folder, progress, threading.Event(), sealer=sealer)
    if meter is not None:
        meter.close()
    build = {"wall_s": time.perf_counter() - wall, "cpu_s": _cpu() - cpu}
    enrolled_prints = 10 * sum(1 for p in people if p.fbi_number or p.fin)
    by_fbi = {p.fbi_number: p for p in people if p.fbi_number}
    by_fin = {p.fin: p for p in people if p.fin}

    # Alternate people with a record and people without, so both answers are measured.
    with_record = [p for p in people if p.fbi_number]
    without = [p for p in people if not p.fbi_number]
    chosen = [
        group[i // 2]
        for i in range(submissions)
        if (group := (with_record, without)[i % 2]) and i // 2 < len(group)
    ]
    results = []
    for person in track(chosen, "searching submissions", unit="CAR", quiet=quiet):
        body = synthetic_car(person.subject_id, "TX0570000", seed=seed + 99, rolled=not flats)
        wall, cpu = time.perf_counter(), time.process_time()
        examined = ngi.examine(body)
        if isinstance(examined, ngi.Rejection):
            results.append({"subject_id": person.subject_id, "rejected": examined.message})
            continue
        hit = ngi.search(galleries.ngi, examined.probes)
        match = ngi.search(galleries.ident, examined.probes)
        elapsed = {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}
        got = by_fbi.get(hit.record_id) if hit and hit.identified else None
        alien = by_fin.get(match.record_id) if match and match.identified else None
        results.append(
            {
                "subject_id": person.subject_id,
                "has_fbi_record": bool(person.fbi_number),
                "identified_as": got.subject_id if got else None,
                "ngi_correct": (got.subject_id == person.subject_id) if got else not person.fbi_number,
                "ngi_best_score": round(hit.score, 4) if hit else None,
                "ngi_matching_fingers": hit.corroborating if hit else None,
                "ident_correct": (alien.subject_id == person.subject_id) if alien else not person.fin,
                **{k: round(v, 3) for k, v in elapsed.items()},
            }
        )
    searched = [r for r in results if "rejected" not in r]
    mated = [r for r in searched if r["has_fbi_record"]]
    unmated = [r for r in searched if not r["has_fbi_record"]]
    return {
        "population": population_size,
        "seed": seed,
        "enrol_prints": kind,
        "submitted_prints": "flats only" if flats else "tenprint",
        "enrolled_prints": enrolled_prints,
        "ngi_subjects": len(by_fbi),
        "ident_subjects": len(by_fin),
        "build": {k: round(v, 1) for k, v in build.items()} | {"from_cache": galleries.from_cache},
        "submissions": len(results),
        "rejected": len(results) - len(searched),
        "search_wall_s_mean": _mean([r["wall_s"] for r in searched]),
        "search_cpu_s_mean": _mean([r["cpu_s"] for r in searched]),
        "ngi_identified_of_mated": f"{sum(r['identified_as'] == r['subject_id'] for r in mated)}/{len(mated)}",
        "ngi_false_identifications": sum(
            1 for r in searched if r["identified_as"] not in (None, r["subject_id"])
        ),
        "ngi_non_ident_of_unmated": f"{sum(r['identified_as'] is None for r in unmated)}/{len(unmated)}",
        "results": results,
    }


def _cpu() -> float:
    """CPU seconds of this process (all its threads) and of any finished child processes."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def main(args) -> int:  # type: ignore[no-untyped-def]
    report = run(
        args.population,
        args.seed,
        args.submissions,
        args.data_dir,
        args.enrol_prints,
        args.flats,
        quiet=bool(args.json),
    )
    summary = {k: v for k, v in report.items() if k != "results"}
    print(json.dumps(summary, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0
