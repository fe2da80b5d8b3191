"""The mock's population: who exists, and what the FBI and DHS hold about them.

Subject ids are 1..N, the same numbers the virtual scanner puts on its platen (`matcher.synth`
renders subject N's fingers). Everything here is deterministic from (seed, N). The records are
what the admin page shows; searching uses only the fingerprint galleries built from these
subjects' rendered prints (see `backend._enrol`), never names or ids.

Every population of 6 or more holds each of the profiles in `_GUARANTEED`, so that demos and
tests always find a subject with a record and a detainer, and one with nothing.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

#: Bumped whenever the generated identities change, so cached galleries are rebuilt.
SPEC_VERSION = 3
#: Bumped whenever a record gains a field that does not change the prints (the admin copy is rewritten).
RECORD_VERSION = 2  # 2: race

# Origin -> (languages read, given names male, given names female, family names).
_ORIGINS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "US": (
        ("en",),
        ("James", "Michael", "Tyrone", "Cody"),
        ("Ashley", "Brianna", "Megan"),
        ("Smith", "Johnson", "Walker", "Brooks"),
    ),
    "MX": (
        ("es",),
        ("José", "Luis", "Juan Carlos", "Miguel"),
        ("María", "Guadalupe", "Rosa"),
        ("Hernández", "García", "Martínez", "López"),
    ),
    "GT": (
        ("es",),
        ("Edwin", "Byron", "Marvin"),
        ("Ana", "Yesenia", "Maritza"),
        ("Pérez", "Ajú", "Cux", "Morales"),
    ),
    "HN": (("es",), ("Kevin", "Wilmer", "Josué"), ("Dania", "Karla", "Sindy"), ("Mejía", "Reyes", "Flores")),
    "HT": (
        ("ht", "fr"),
        ("Jean", "Wilner", "Frantz"),
        ("Marie", "Nadège", "Roseline"),
        ("Pierre", "Joseph", "Jean-Baptiste"),
    ),
    "CN": (("zh-Hans",), ("Wei", "Jun", "Hao"), ("Li", "Mei", "Xiu"), ("Wang", "Chen", "Zhang", "Liu")),
    "VN": (("vi",), ("Minh", "Tuấn", "Quang"), ("Lan", "Hương", "Thảo"), ("Nguyễn", "Trần", "Phạm")),
    "RU": (
        ("ru",),
        ("Dmitri", "Sergei", "Aleksandr"),
        ("Olga", "Natalia", "Irina"),
        ("Ivanov", "Petrov", "Sokolov"),
    ),
    "SO": (
        ("so",),
        ("Abdi", "Mohamed", "Hassan"),
        ("Fadumo", "Hodan", "Amina"),
        ("Warsame", "Abdullahi", "Farah"),
    ),
    "BR": (
        ("pt",),
        ("João", "Thiago", "Rafael"),
        ("Ana", "Juliana", "Camila"),
        ("Silva", "Souza", "Oliveira"),
    ),
    "PH": (
        ("tl", "en"),
        ("Jose", "Mark", "Rodel"),
        ("Maricel", "Joy", "Analyn"),
        ("Santos", "Reyes", "Bautista"),
    ),
    "KR": (
        ("ko",),
        ("Min-jun", "Ji-ho", "Seo-jun"),
        ("Seo-yeon", "Ji-woo", "Ha-eun"),
        ("Kim", "Lee", "Park"),
    ),
    "IN": (
        ("pa", "en"),
        ("Gurpreet", "Harjit", "Manpreet"),
        ("Simran", "Harpreet", "Navjot"),
        ("Singh", "Kaur", "Gill"),
    ),
    "SY": (
        ("ar",),
        ("Ahmad", "Omar", "Khaled"),
        ("Fatima", "Rania", "Lina"),
        ("Al-Hassan", "Haddad", "Khoury"),
    ),
}

# (offense literal, level). Levels are backend.policy.OFFENSE_LEVELS.
_OFFENSES = (
    ("PETTY THEFT", "misdemeanor"),
    ("DRIVING UNDER THE INFLUENCE", "misdemeanor"),
    ("TRESPASS", "infraction"),
    ("SIMPLE ASSAULT", "misdemeanor"),
    ("BURGLARY - RESIDENCE", "felony"),
    ("POSSESSION OF CONTROLLED SUBSTANCE", "felony"),
    ("AGGRAVATED ASSAULT", "felony"),
    ("ROBBERY", "felony"),
    ("DRUG TRAFFICKING", "aggravated-felony"),
    ("SEXUAL ASSAULT", "aggravated-felony"),
)
_DISPOSITIONS = ("convicted", "convicted", "dismissed", "pending")
_ARREST_ORIS = ("TX0570000", "CA0190000", "AZ0070000", "FL0130000", "NY0303000", "IL0160000")
_PORTS = ("San Ysidro, CA", "El Paso, TX", "Laredo, TX", "Nogales, AZ", "Miami, FL", "JFK Airport, NY")

# Immigration profiles: what IDENT holds (None: nothing) -> status LESC determines.
_PROFILES = {
    "visa": "NONIMMIGRANT_IN_STATUS",
    "overstay": "NONIMMIGRANT_OVERSTAY",
    "border": "UNLAWFULLY_PRESENT",
    "removed": "PREVIOUSLY_REMOVED",
    "lpr": "LPR",
    "citizen": "US_CITIZEN",
}

# (FBI record?, immigration profile): one of each in every population of 6 or more.
_GUARANTEED = (
    (True, "removed"),  # identified, IDENT match, detainer lodged
    (False, None),  # nothing anywhere: non-ident, no detainer
    (True, None),  # FBI record only
    (False, "visa"),  # IDENT only, not a detainer case
    (True, "border"),
    (True, "citizen"),
)


@dataclass(frozen=True)
class Offense:
    date: str
    offense: str
    level: str
    disposition: str
    arresting_ori: str


@dataclass(frozen=True)
class Encounter:
    date: str
    kind: str  # "visa-application", "border-apprehension", "removal", "lpr-adjustment", "entry", "naturalization"
    place: str
    detail: str


@dataclass(frozen=True)
class Person:
    subject_id: int
    family_name: str
    given_name: str
    sex: str  # "M" / "F"
    dob: str  # ISO date
    birth_country: str  # ISO 3166 alpha-2
    languages: tuple[str, ...]  # BCP 47 tags of the languages the person reads (the rights-copy codes)
    fbi_number: str | None
    offenses: tuple[Offense, ...]
    fin: str | None  # IDENT's fingerprint identification number
    a_number: str | None
    immigration_status: str | None
    encounters: tuple[Encounter, ...]
    race: str = "U"  # NCIC race code as a booking would record it; see _race()

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Person:
        data = dict(data)
        data["languages"] = tuple(data["languages"])
        data["offenses"] = tuple(Offense(**o) for o in data["offenses"])
        data["encounters"] = tuple(Encounter(**e) for e in data["encounters"])
        return cls(**data)

    @property
    def name(self) -> str:
        return f"{self.family_name}, {self.given_name}"


def generate(size: int, seed: int) -> list[Person]:
    """The population of `size` subjects (ids 1..size) for `seed`, always the same."""
    rng = random.Random(f"population-{seed}-{size}")
    profiles: list[tuple[bool, str | None]] = list(_GUARANTEED[: min(size, len(_GUARANTEED))])
    while len(profiles) < size:
        has_record = rng.random() < 0.30
        profile = rng.choices([None, *_PROFILES], weights=[65, 7, 7, 8, 5, 5, 3])[0]
        profiles.append((has_record, profile))
    rng.shuffle(profiles)
    people = [
        _person(i + 1, has_record, profile, random.Random(f"{seed}-{i + 1}"))
        for i, (has_record, profile) in enumerate(profiles)
    ]
    return [
        replace(p, race=_race(p.birth_country, random.Random(f"race-{seed}-{p.subject_id}"))) for p in people
    ]


def _person(subject_id: int, has_record: bool, profile: str | None, rng: random.Random) -> Person:
    if profile == "citizen" or (profile is None and rng.random() < 0.6):
        origin = (
            "US" if profile is None or rng.random() < 0.5 else rng.choice([o for o in _ORIGINS if o != "US"])
        )
    else:
        origin = rng.choice([o for o in _ORIGINS if o != "US"])
    languages, males, females, families = _ORIGINS[origin]
    sex = rng.choice("MF")
    birth = date(1958, 1, 1) + timedelta(days=rng.randrange(0, 365 * 46))
    offenses = _offenses(rng, birth) if has_record else ()
    fbi_number = (
        f"{rng.randrange(10**6):06d}{rng.choice('ABCDEFHJK')}{rng.choice('ABCDEFHJK')}{rng.randrange(10)}"
        if has_record
        else None
    )
    fin = a_number = status = None
    encounters: tuple[Encounter, ...] = ()
    if profile is not None:
        fin = f"{rng.randrange(10**9, 10**10)}"
        status = _PROFILES[profile]
        encounters = _encounters(profile, rng, birth)
        if profile in ("removed", "lpr", "border") or (profile == "citizen" and origin != "US"):
            a_number = f"A{rng.randrange(10**8, 10**9)}"
    return Person(
        subject_id=subject_id,
        family_name=rng.choice(families),
        given_name=rng.choice(males if sex == "M" else females),
        sex=sex,
        dob=birth.isoformat(),
        birth_country=origin,
        languages=languages,
        fbi_number=fbi_number,
        offenses=offenses,
        fin=fin,
        a_number=a_number,
        immigration_status=status,
        encounters=encounters,
    )


def _day_after(rng: random.Random, start: date, years: int = 20) -> date:
    latest = date(2026, 10, 1)
    span = max(1, min((latest - start).days, 365 * years))
    return start + timedelta(days=rng.randrange(span))


def _offenses(rng: random.Random, birth: date) -> tuple[Offense, ...]:
    adult = birth + timedelta(days=365 * 18)
    found = []
    for _ in range(rng.randint(1, 4)):
        literal, level = rng.choice(_OFFENSES)
        found.append(
            Offense(
                _day_after(rng, adult).isoformat(),
                literal,
                level,
                rng.choice(_DISPOSITIONS),
                rng.choice(_ARREST_ORIS),
            )
        )
    if (
        not any(o.disposition == "convicted" and o.level in ("felony", "aggravated-felony") for o in found)
        and rng.random() < 0.5
    ):
        literal, level = rng.choice([o for o in _OFFENSES if o[1] == "felony"])
        found.append(
            Offense(_day_after(rng, adult).isoformat(), literal, level, "convicted", rng.choice(_ARREST_ORIS))
        )
    return tuple(sorted(found, key=lambda o: o.date))


def _encounters(profile: str, rng: random.Random, birth: date) -> tuple[Encounter, ...]:
    first = _day_after(rng, birth + timedelta(days=365 * 16))
    port = rng.choice(_PORTS)
    if profile == "visa":
        return (
            Encounter(first.isoformat(), "visa-application", "U.S. Consulate", "B1/B2 visitor visa issued"),
        )
    if profile == "overstay":
        return (
            Encounter(first.isoformat(), "visa-application", "U.S. Consulate", "B1/B2 visitor visa issued"),
            Encounter(
                _day_after(rng, first, 1).isoformat(),
                "entry",
                port,
                "admitted B2 for 6 months; no departure recorded",
            ),
        )
    if profile == "border":
        return (
            Encounter(
                first.isoformat(),
                "border-apprehension",
                port,
                "apprehended between ports of entry; released pending hearing",
            ),
        )
    if profile == "removed":
        caught = _day_after(rng, first, 3)
        return (
            Encounter(first.isoformat(), "border-apprehension", port, "apprehended between ports of entry"),
            Encounter(caught.isoformat(), "removal", port, "removed under an order of removal"),
        )
    if profile == "lpr":
        return (
            Encounter(
                first.isoformat(),
                "lpr-adjustment",
                "USCIS field office",
                "adjusted to lawful permanent resident",
            ),
        )
    # citizen once encountered: fingerprinted at a port of entry or naturalisation.
    return (Encounter(first.isoformat(), "entry", port, "U.S. citizen, trusted traveler enrolment"),)


# --- race, for the oversight review (backend.oversight) ------------------------------------------
# NCIC race codes (A, B, I, W) as a booking records them; Hispanic people are recorded as White, as
# NCIC has no Hispanic race. US-born shares follow the FBI's arrest statistics by race (UCR 2019,
# Table 43: White 69.4 %, Black 26.1 %, American Indian 2.4 %, Asian 1.3 %); the others by origin.
# Drawn from a generator of their own, so adding the field changed no identity and no print.
_RACE_BY_ORIGIN: dict[str, tuple[tuple[str, float], ...]] = {
    "US": (("W", 69.4), ("B", 26.1), ("I", 2.4), ("A", 1.3)),
    "MX": (("W", 97.0), ("I", 3.0)),
    "GT": (("W", 90.0), ("I", 10.0)),
    "HN": (("W", 95.0), ("B", 5.0)),
    "HT": (("B", 100.0),),
    "SO": (("B", 100.0),),
    "BR": (("W", 85.0), ("B", 15.0)),
}


def _race(origin: str, rng: random.Random) -> str:
    if origin in ("CN", "VN", "PH", "KR", "IN"):
        return "A"
    choices = _RACE_BY_ORIGIN.get(origin, (("W", 1.0),))
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]
