"""The Qt-free half of `booking-station bench ui`: a throw-away station seeded with many bookings
(written in bulk, as an import would), and `station serve`'s lapse timing as a real process."""

from __future__ import annotations

_SURNAMES = ["Smith", "García", "Nguyễn", "Okafor", "Kowalczyk", "Иванов", "王", "Haddad", "Kim", "Müller",
             "Santos", "Johnson", "O'Brien", "Dubois", "Rossi", "Yılmaz", "Tanaka", "Mensah"]  # fmt: skip
_GIVEN = ["Ana", "John", "Văn An", "Chidi", "Marta", "Олег", "伟", "Omar", "Min-jun", "Lena"]


def seed_bookings(station, count: int, *, today_share: float = 0.03, detainers: int = 20) -> list[int]:
    """`count` bookings, written in bulk as an import would (one audit event "bench.seed" for all of
    them, not one each: the per-booking audit append would make seeding take longer than the
    benchmark); returns the ids of those given an open detainer. A share are booked today (the
    list's default view), the rest over the last 90 days."""
    import datetime as dt
    import random

    from sqlalchemy import insert

    from desktop.station import name_index
    from desktop.station.models import Booking, Charge, Detainer, Subject, utcnow

    rng = random.Random(7)
    now = utcnow()
    subjects, bookings, charges = [], [], []
    for i in range(1, count + 1):
        today = rng.random() < today_share
        age = dt.timedelta(minutes=rng.randrange(600)) if today else dt.timedelta(
            days=1 + rng.randrange(90), minutes=rng.randrange(1440))  # fmt: skip
        if i == count:  # booked now: even a small station shows a list at log-in, at any hour
            age = dt.timedelta(0)
        created = now - age
        subjects.append({"id": i, "surname": _SURNAMES[(i - 1) % len(_SURNAMES)], "given_names": rng.choice(_GIVEN),
                         "date_of_birth": dt.date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                         "sex": rng.choice("MF"), "race": "W", "place_of_birth": "VA", "height_inches": 60 + rng.randrange(20),
                         "weight_pounds": 120 + rng.randrange(120), "eye_color": "BRO", "hair_color": "BLK"})  # fmt: skip
        bookings.append({"id": i, "number": f"{created.year}-{i:06d}", "subject_id": i, "arrested_on": created.date(),
                         "status": "draft", "created_at": created, "updated_at": created})  # fmt: skip
        charges.append({"booking_id": i, "position": 0, "offense_date": created.date(), "text": "Theft",
                        "level": "felony"})  # fmt: skip
    with_detainer = rng.sample(range(1, count + 1), min(detainers, count))
    with station.store.session() as s:
        s.execute(insert(Subject), subjects)
        # A bulk insert skips the ORM's flush hook that keeps the keyed name index: index them here,
        # or the bench's name search would search an empty index.
        name_index.reindex(s, [(r["id"], r["surname"], r["given_names"]) for r in subjects])
        s.execute(insert(Booking), bookings)
        s.execute(insert(Charge), charges)
        if with_detainer:
            s.execute(insert(Detainer), [
                {"booking_id": b, "detainer_id": f"BENCH-{n}", "lodged_at": now - dt.timedelta(hours=3),
                 "releasable_at": now, "deadline": now + dt.timedelta(hours=30 + n), "office": "ICE ERO",
                 "languages_json": '["es"]', "status": "active"}
                for n, b in enumerate(with_detainer)
            ])  # fmt: skip
        station.audit.append(
            "bench", "bench.seed", "", {"bookings": count, "detainers": len(with_detainer)}, session=s
        )
    return with_detainer


def serve_figures(lapses: int, missed: int) -> dict:
    """`station serve` as a real process on its own database: how late it records lapses at their
    deadline, and how soon after a restart it records the lapses it missed."""
    import datetime as dt
    import os
    import signal
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    from booking_station.pki import CertificateAuthority
    from desktop.station import config as config_module
    from desktop.station.config import Config
    from desktop.station.core import Station
    from desktop.station.models import Detainer, DetainerStatus, utcnow

    folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    # A backend URL nobody answers (the outbox stays quiet); https needs the station's certificate files.
    tls = CertificateAuthority.init(folder / "ca").issue_station(Config.agency_ori, folder / "certs")
    config = Config(database_url=f"sqlite:///{folder / 'station.db'}", backend_url="https://127.0.0.1:9",
                    backend_ca=str(tls.ca), backend_certificate=str(tls.certificate), backend_key=str(tls.key))  # fmt: skip
    config_module.save(config, folder / "config.toml")
    env = {**os.environ, config_module.CONFIG_ENV: str(folder / "config.toml")}
    station = Station.open(config)
    seed_bookings(station, 50, detainers=0)

    def hold(n: int, deadline: dt.datetime) -> None:
        with station.store.session() as s:
            s.add(Detainer(booking_id=1 + n, detainer_id=f"SERVE-{n}-{deadline.timestamp()}", lodged_at=deadline,
                           releasable_at=deadline - dt.timedelta(hours=48), deadline=deadline))  # fmt: skip

    def spawn() -> tuple[subprocess.Popen, float]:
        started = utcnow()
        proc = subprocess.Popen(
            [sys.executable, "-m", "booking_station.cli", "station", "serve"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        return proc, started

    def lapsed() -> list:
        return [e for e in station.audit.events(limit=1000) if e.action == "detainer.lapsed"]

    def wait_for(n: int, timeout: float = 120) -> list:
        end = time.monotonic() + timeout
        while len(found := lapsed()) < n:
            if time.monotonic() > end:
                raise TimeoutError(f"station serve recorded {len(found)} of {n} lapses")
            time.sleep(0.05)
        return found

    out: dict = {}
    try:
        proc, _ = spawn()
        time.sleep(3)  # started and holding the duties
        first = utcnow() + dt.timedelta(seconds=2)
        for n in range(lapses):
            hold(n, first + dt.timedelta(seconds=1.5 * n))
        # The page records a releasable time with an audit event; that wakes the clock.
        station.audit.append("bench", "detainer.releasable", "detainer:SERVE")
        late = [e.details["recorded_late_s"] for e in wait_for(lapses)]
        out["serve_lapse_late_ms_max"] = round(1000 * max(late))
        out["serve_lapse_late_ms_median"] = round(1000 * sorted(late)[len(late) // 2])
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        # Nothing runs while these holds end.
        past = utcnow() - dt.timedelta(minutes=30)
        for n in range(missed):
            hold(lapses + n, past + dt.timedelta(seconds=n))
        proc, started = spawn()
        events = wait_for(lapses + missed)
        last = max(e.at for e in events)
        out["serve_restart_missed_lapses"] = missed
        out["serve_restart_all_recorded_s"] = round((last - started).total_seconds(), 2)
        with station.store.session() as s:
            assert all(r.status == DetainerStatus.LAPSED.value for r in s.query(Detainer))
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    finally:
        station.close()
    return out
