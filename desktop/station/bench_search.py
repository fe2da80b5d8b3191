"""`booking-station bench station-search`: search by name over N sealed bookings.

A throw-away database (SQLite in a temporary folder unless --db names another) gets N bookings
with synthetic names drawn from several scripts (Latin with and without accents, Cyrillic, Greek,
Arabic, Chinese, Vietnamese), sealed as the station seals them, with their keyed name index. Then
each kind of search the bookings list makes is timed: what a clerk types (a surname's beginning,
surname and given name, a name typed without its accents or in Latin letters, a booking number),
and the list with no search (the newest 500). Each search returns at most 500 bookings, decrypted.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from pathlib import Path

SURNAMES = [
    "García", "Martínez", "Nguyễn", "Smith", "Johnson", "Łukasiewicz", "Müller", "O'Brien", "Иванов",
    "Смирнова", "Παπαδόπουλος", "حداد", "王", "李", "Kowalski", "Dubois", "Rossi", "Yılmaz", "Hernández",
    "Brown", "Okafor", "Mensah", "Tanaka", "Kim", "Singh", "Patel", "Cohen", "Novák", "Horváth", "Silva",
]  # fmt: skip
GIVEN = [
    "María José", "Jan", "Anna", "Пётр", "Ольга", "Γιώργος", "محمد", "伟", "Văn An", "Seán", "Zoë", "Jürgen",
    "Ayşe", "Chidi", "Kwame", "Yuki", "Min-jun", "Arjun", "Priya", "David", "Tomáš", "João", "Luis", "Ana",
]  # fmt: skip
QUERIES = {
    "surname beginning (Latin)": "herná",
    "surname and given name": "garcia maria",
    "without accents": "lukasiewicz",
    "Cyrillic typed in Latin letters": "ivanov",
    "Cyrillic": "Смирн",
    "a rare name (few matches)": "zzq",
}


def register_bench(bench) -> None:  # type: ignore[no-untyped-def]
    p = bench.add_parser(
        "station-search",
        help="search by name over N bookings sealed at rest (the keyed name index): time per search",
    )
    p.add_argument("--bookings", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--db", help="a database URL to fill (default: SQLite in a temporary folder)")
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.set_defaults(func=_run)


def _fill(station, count: int, seed: int = 16) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from desktop.station.models import Booking, Subject, utcnow

    rng = random.Random(seed)
    batch = 1000
    made = 0
    while made < count:
        with station.store.session() as s:
            for _ in range(min(batch, count - made)):
                made += 1
                surname = rng.choice(SURNAMES)
                if rng.random() < 0.001:
                    surname = "Zzquist"
                subject = Subject(
                    surname=surname, given_names=rng.choice(GIVEN),
                    date_of_birth=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000)),
                    sex=rng.choice("MF"), race="W", place_of_birth="VA", height_inches=rng.randrange(58, 78),
                    weight_pounds=rng.randrange(100, 260), eye_color="BRO", hair_color="BLK",
                )  # fmt: skip
                now = utcnow()
                s.add(Booking(number=f"2026-{made:06d}", subject=subject, arrested_on=dt.date(2026, 11, 20),
                              created_at=now, updated_at=now))  # fmt: skip


def _run(args) -> int:  # type: ignore[no-untyped-def]
    from desktop.station.config import Config
    from desktop.station.core import Station

    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{folder}/bench.db"
        config = Config(database_url=url, key_store="file", key_file=str(Path(folder) / "keys" / "bench.kek"))
        station = Station.open(config)
        try:
            started = time.perf_counter()
            _fill(station, args.bookings)
            fill_s = time.perf_counter() - started
            queries = dict(
                QUERIES, **{"booking number": f"2026-{args.bookings // 2:06d}", "no search (newest 500)": ""}
            )
            results = {}
            for label, typed in queries.items():
                station.bookings.find(text=typed)  # warm: the first query pays for the statement cache
                times, found = [], 0
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    found = len(station.bookings.find(text=typed))
                    times.append((time.perf_counter() - t0) * 1000)
                times.sort()
                results[label] = {
                    "typed": typed,
                    "found": found,
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                }
        finally:
            station.close()
    doc = {
        "bookings": args.bookings,
        "database": url.split(":")[0],
        "fill_s": round(fill_s, 1),
        "searches": results,
    }
    print(f"{args.bookings} sealed bookings ({doc['database']}), filled in {fill_s:.1f} s")
    for label, r in results.items():
        print(
            f"  {label:34} {r['typed']!r:16} {r['found']:4} found  median {r['median_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
