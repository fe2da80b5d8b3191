"""`booking-station demo bookings`: synthetic people booked, fingerprinted and submitted through the core."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
import unicodedata

import pytest
from outbox_helpers import FakeBackend

from desktop.station import config as config_module
from desktop.station.bookings import parse
from desktop.station.demo import make_bookings, person, send_queued
from desktop.station.models import BookingStatus, Role
from desktop.station.outbox_worker import SubmissionWorker


def _script(text: str) -> str:
    """The script of a name's first letter, by its Unicode name: LATIN, CYRILLIC, ARABIC, CJK..."""
    return unicodedata.name(text[0]).split()[0]


def test_synthetic_people_pass_the_booking_rules_in_many_scripts() -> None:
    rng, today = random.Random(7), dt.date(2026, 12, 6)
    people = [person(rng, today, subjects=100) for _ in range(300)]
    for who in people:
        data = parse(who.form, today)  # the clerk's own rules: raises if any field were wrong
        assert len(f"{data.surname},{data.given_names}") <= 50
        assert 1 <= who.subject <= 100
    scripts = {_script(who.form.values["surname"]) for who in people}
    assert {"LATIN", "CYRILLIC", "ARABIC", "CJK", "HANGUL"} <= scripts, scripts
    marked = [w.form.values["surname"] for w in people if any(unicodedata.combining(c) for c in
              unicodedata.normalize("NFD", w.form.values["surname"]))]  # fmt: skip
    assert any("ễ" in s or "ầ" in s or "ạ" in s or "ầ" in s for s in marked + ["Nguyễn"])
    assert {"Nguyễn", "Trần"} & {w.form.values["surname"] for w in people}  # Vietnamese
    # The same seed makes the same people.
    again = [person(random.Random(7), today, 100).form.values for _ in range(1)]
    assert again[0] == people[0].form.values


@pytest.fixture
def flats_station(station):
    station.config = config_module.replace(station.config, capture_plan="flats")
    return station


def test_bookings_are_fingerprinted_queued_and_sent(flats_station, backend_tls) -> None:
    station = flats_station
    clerk = station.operators.add("demo1", "fingerprint desk 1", Role.CLERK, actor="test")
    lines = []
    made = make_bookings(station, clerk, 2, seed=3, submit=True, progress=lines.append)
    assert len(made) == 2 and lines == made
    for booked in made:
        assert booked.summary["complete"] and booked.tcn and booked.problem is None, booked
        assert {s["state"] for s in booked.summary["steps"]} <= {"captured", "low quality"}
        record = next(b for b in station.bookings.find(text=booked.number) if b.number == booked.number)
        assert station.bookings.get(record.id).status is BookingStatus.QUEUED
    events = [e for e in station.audit.events(limit=200) if e.action == "capture.attempt"]
    assert events and {e.actor for e in events} == {"demo1"}  # every capture is the operator's
    backend = FakeBackend()
    station.config = config_module.replace(station.config, backend_url="https://backend.test", **backend_tls)
    worker = SubmissionWorker(station.outbox, station.responses, lambda: station.config,
                              client_factory=lambda url, tls=None: backend.client())  # fmt: skip
    sent = send_queued(station, [b.tcn for b in made], timeout=30, worker=worker)
    assert set(sent["submissions"].values()) <= {"sent", "acknowledged"}, sent
    assert sorted(backend.searched) == sorted(b.tcn for b in made)


def test_the_command_says_what_could_not_be_sent(
    flats_station, tmp_path, database_url, monkeypatch, capsys, backend_tls
):
    from booking_station.cli import main

    config_path = tmp_path / "station.toml"
    cfg = config_module.Config(
        database_url=database_url, capture_plan="flats", backend_url="https://127.0.0.1:9", **backend_tls
    )
    config_module.save(cfg, config_path)
    monkeypatch.setenv(config_module.CONFIG_ENV, str(config_path))
    flats_station.operators.add("demo2", "fingerprint desk 2", Role.CLERK, actor="test")
    monkeypatch.setattr(sys, "stdin", io.StringIO("fingerprint desk 2\n"))
    argv = ["demo", "bookings", "--count", "1", "--seed", "5", "--submit", "--send-timeout", "1"]
    code = main([*argv, "--operator", "demo2", "--password-stdin"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1  # made, queued, but the backend is unreachable: not all sent
    (booked, end) = lines
    assert booked["complete"] and booked["tcn"] and booked["script"]
    summary = end["summary"]
    assert summary["bookings"] == 1 and summary["queued"] == 1 and summary["still_queued"] == 1
    assert summary["backend_problem"]
