"""Demo and load bookings: synthetic people booked and fingerprinted through the station's own core.

Each booking is a synthetic person (demographics in the scripts a jail meets: Latin with
diacritics, Cyrillic, Arabic, Chinese, Korean, Vietnamese...) checked by the same form rules as
the clerk's (`bookings.parse`), saved, then fingerprinted with the virtual scanner through a
`CaptureSession` (the Capture page's core: quality, segmentation, retakes, the sequence check)
and, when asked, queued for the FBI and sent to the configured backend by the station's own
submission worker. The virtual subject is the backend population's person of the same number, so
some bookings come back identified. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from booking_station.runtime import UserError
from desktop.station.bookings import BookingForm, parse

if TYPE_CHECKING:
    from desktop.station.core import Station
    from desktop.station.operators import OperatorInfo
    from drivers.api import Scanner

# (surnames, given names by sex, NCIC places of birth): one pool per script or language.
_PEOPLE = {
    "es": (["García Márquez", "Muñoz-Peña", "Ibáñez", "Nuñez", "Castañeda", "Ordóñez"],
           {"M": ["José Luis", "Íñigo", "Andrés"], "F": ["María José", "Inés", "Begoña"]},
           ["MM", "JL", "GT", "EL", "HD", "CB", "SP"]),
    "vi": (["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Đặng"],
           {"M": ["Văn An", "Đức Minh", "Quốc Bảo"], "F": ["Thị Mai", "Ngọc Ánh", "Thu Hằng"]},
           ["RV"]),
    "ru": (["Иванов", "Смирнов", "Кузнецов", "Соколов"],
           {"M": ["Алексей", "Дмитрий", "Сергей"], "F": ["Анна", "Ольга", "Наталья"]},
           ["SX"]),
    "ar": (["الحسن", "منصور", "حداد", "العلي"],
           {"M": ["محمد", "علي", "يوسف"], "F": ["فاطمة", "ليلى", "مريم"]},
           ["EY", "SB", "JO", "IQ", "SY", "LN"]),
    "zh": (["王", "李", "张", "刘", "陈"], {"M": ["小明", "伟", "强"], "F": ["秀英", "丽", "静"]}, ["RC", "TW", "HK"]),
    "ko": (["김", "이", "박", "최"], {"M": ["민준", "서준"], "F": ["서연", "지우"]}, ["KO"]),
    "pl": (["Łukasiewicz", "Wiśniewski", "Żółkiewska", "Kowalczyk"],
           {"M": ["Paweł", "Łukasz"], "F": ["Małgorzata", "Zofia"]},
           ["PO"]),
    "fr": (["Lefèvre", "Béranger", "Dupré", "Hervé"], {"M": ["François", "Jérôme"], "F": ["Hélène", "Zoé"]},
           ["FN", "HT", "PQ"]),
    "en": (["O'Brien", "Smith-Jones", "Washington", "Miller"], {"M": ["James", "D'Andre"], "F": ["Mary", "Ann-Marie"]},
           ["VA", "TX", "CA", "NY", "IL"]),
}  # fmt: skip
_CHARGES = [
    ("Theft of property", "felony"), ("Driving under the influence", "misdemeanor"),
    ("Burglary, 2nd degree", "felony"), ("Trespass", "misdemeanor"), ("Shoplifting", "misdemeanor"),
    ("Assault, simple", "misdemeanor"), ("Possession of a controlled substance", "felony"),
    ("Disorderly conduct", "misdemeanor"), ("Robbery", "felony"), ("Failure to appear", "misdemeanor"),
]  # fmt: skip
_RACE = {"es": "W", "vi": "A", "ru": "W", "ar": "W", "zh": "A", "ko": "A", "pl": "W", "fr": "W", "en": "B"}


@dataclass(frozen=True)
class Person:
    """A synthetic arrestee: the booking form's values, their script and their virtual subject."""

    script: str
    subject: int  # the virtual scanner's (and the backend population's) person
    form: BookingForm


def person(rng: random.Random, today: dt.date, subjects: int) -> Person:
    script = rng.choice(sorted(_PEOPLE))
    surnames, given, places = _PEOPLE[script]
    sex = rng.choice("MF")
    born = today - dt.timedelta(days=rng.randint(18 * 365 + 5, 70 * 365))
    height = rng.randint(60, 76) if sex == "M" else rng.randint(58, 71)
    values = {
        "surname": rng.choice(surnames),
        "given_names": rng.choice(given[sex]),
        "date_of_birth": born.isoformat(),
        "sex": sex,
        "race": _RACE[script],
        "place_of_birth": rng.choice(places),
        "height": f"{height // 12}'{height % 12:02d}\"",
        "weight": str(rng.randint(110, 250)),
        "eye_color": rng.choice(["BRO", "BLK", "BLU", "GRN", "HAZ"]),
        "hair_color": rng.choice(["BLK", "BRO", "BLN", "RED", "GRY"]),
        "arrested_on": today.isoformat(),
    }
    charges = [
        {
            "offense_date": (today - dt.timedelta(days=rng.randint(0, 2))).isoformat(),
            "text": text,
            "level": level,
        }
        for text, level in rng.sample(_CHARGES, rng.randint(1, 2))
    ]
    return Person(script, rng.randint(1, subjects), BookingForm(values, charges))


@dataclass(frozen=True)
class DemoBooking:
    number: str
    name: str
    script: str
    subject: int
    summary: dict  # the capture session's summary
    tcn: str | None = None  # queued for the FBI
    problem: str | None = None  # why it was not queued


def make_bookings(
    station: Station,
    operator: OperatorInfo,
    count: int,
    *,
    seed: int = 1,
    subjects: int = 100,
    submit: bool = False,
    open_scanner: Callable[[int], Callable[[], Scanner]] | None = None,
    progress: Callable[[DemoBooking], None] | None = None,
    timeout: float = 600.0,
) -> list[DemoBooking]:
    """Book and fingerprint `count` synthetic people; queue each for the FBI when `submit`."""
    from desktop.station.capture_session import CaptureSession, virtual_scanner

    if count < 1:
        raise UserError(f"--count must be at least 1, not {count}")
    if subjects < 1:
        raise UserError(f"--subjects must be at least 1, not {subjects}")
    rng = random.Random(seed)
    today = dt.datetime.now(station.config.zone).date()  # the jail's date, as the booking form's
    scanner_for = open_scanner or virtual_scanner
    out = []
    for _ in range(count):
        who = person(rng, today, subjects)
        record = station.bookings.create(
            parse(who.form, today), actor=operator.username, operator_id=operator.id
        )
        session = CaptureSession(station, record.id, operator, scanner_for(who.subject), advance_delay=0.0)
        try:
            summary = session.run_plan(timeout=timeout)
            tcn = problem = None
            if submit:
                try:
                    tcn = session.submit().params["tcn"]
                except UserError as exc:  # not ready (a blocking finding) or the outbox refused
                    problem = str(exc)
        finally:
            session.close()
        booked = DemoBooking(record.number, record.name, who.script, who.subject, summary, tcn, problem)
        out.append(booked)
        if progress is not None:
            progress(booked)
    return out


def send_queued(station: Station, tcns: list[str], *, timeout: float, worker=None) -> dict:
    """Send the queued submissions to the configured backend now, with the station's own worker.

    Returns {"submissions": {TCN: status ("sent", "acknowledged", or "queued" while the backend
    cannot be reached)}, "backend_problem": the last reason it could not}. The outbox keeps what
    is not sent, so a running station sends it later.
    """
    from desktop.station.config import data_dir
    from desktop.station.outbox_client import BackendRejected, BackendUnavailable
    from desktop.station.outbox_worker import SubmissionWorker

    own = worker is None
    worker = worker or SubmissionWorker(
        station.outbox, station.responses, lambda: station.config, embedded_folder=data_dir() / "backend"
    )
    deadline = time.monotonic() + timeout
    last_problem = None
    try:
        while True:
            try:
                worker.run_once()
            except (BackendUnavailable, BackendRejected, UserError) as exc:
                last_problem = str(exc)  # recorded by the outbox too; try again until the deadline
            status = {tcn: _status(station, tcn) for tcn in tcns}
            if all(s != "queued" for s in status.values()) or time.monotonic() > deadline:
                return {"submissions": status, "backend_problem": last_problem}
            time.sleep(1.0)
    finally:
        if own:
            worker.stop()


def _status(station: Station, tcn: str) -> str:
    from desktop.station.models import Transaction

    with station.store.session() as s:
        row = s.query(Transaction).filter_by(tcn=tcn).one_or_none()
        return row.status if row is not None else "missing"
