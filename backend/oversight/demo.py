"""Synthetic traffic for the oversight review: jurisdictions, their arrest-rate baselines, and a
quarter's bookings, with over-representation ("profiling") of a stated size where asked.

The model (all from one seed, so the same call gives the same traffic):

- a jurisdiction has a size (bookings per quarter: log-normal, median 180, from 15 to 6000), a
  share of bookings born abroad (around its state's, log-normal spread), the countries those come
  from (its state's mix), the race mix of its US-born bookings (Dirichlet around the FBI's arrest
  shares, so some are mostly White and some mostly Black), and a mix of offense levels;
- its baseline is a year's arrests with those shares (multinomial, so it carries sampling noise);
- each quarter the real shares drift from the baseline (about 10 % log-normal), the way a year-old
  baseline goes stale: this is the over-dispersion the method must allow for;
- each booking is a person of the backend's population from the drawn group (US-born of a race,
  or born in a country), so their FBI record, IDENT record, status and the ICE policy's decision
  are the population's: the demo does not search fingerprints, it knows whom it books;
- profiling of size r on a group (born abroad, or a race) multiplies that group's share of the
  jurisdiction's bookings by r (capped at 95 %): extra arrests of the group, on Level 3 pretext
  charges (driving without a licence, trespass, loitering), replace ordinary ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from backend.oversight import groups, levels
from backend.oversight.baseline import Baseline
from backend.oversight.table import Bookings
from booking_station.quarters import Quarter

BORN_ABROAD = "born-abroad"
#: Groups profiling can target: born abroad, or a race code.
TARGETS = (BORN_ABROAD, *groups.TESTED_RACES)

# State -> (share of arrests born abroad, counties, countries of birth with weights).
_STATES: dict[str, tuple[float, tuple[str, ...], dict[str, float]]] = {
    "TX": (0.28, ("Harris", "Dallas", "Tarrant", "Bexar", "Travis", "El Paso", "Hidalgo", "Collin",
                  "Denton", "Fort Bend", "Webb", "Cameron", "Lubbock", "Montgomery", "Williamson"),
           {"MX": 70, "GT": 10, "HN": 10, "VN": 3, "IN": 3, "CN": 2, "SY": 2}),
    "CA": (0.30, ("Los Angeles", "San Diego", "Orange", "Riverside", "San Bernardino", "Santa Clara",
                  "Alameda", "Sacramento", "Fresno", "Kern", "Ventura", "San Mateo", "Tulare",
                  "Monterey", "Imperial"),
           {"MX": 60, "GT": 8, "HN": 4, "VN": 6, "CN": 6, "KR": 4, "PH": 6, "IN": 3, "RU": 1, "SY": 2}),
    "AZ": (0.22, ("Maricopa", "Pima", "Pinal", "Yuma", "Yavapai", "Mohave", "Cochise", "Santa Cruz",
                  "Coconino", "Navajo"),
           {"MX": 85, "GT": 7, "HN": 4, "CN": 2, "IN": 2}),
    "FL": (0.25, ("Miami-Dade", "Broward", "Palm Beach", "Hillsborough", "Orange", "Duval", "Pinellas",
                  "Lee", "Polk", "Collier", "Osceola", "Seminole"),
           {"HT": 25, "MX": 15, "HN": 15, "GT": 10, "BR": 15, "VN": 5, "CN": 5, "RU": 5, "PH": 5}),
    "NY": (0.22, ("Kings", "Queens", "New York", "Bronx", "Suffolk", "Nassau", "Westchester", "Erie",
                  "Monroe", "Richmond"),
           {"CN": 20, "MX": 15, "HT": 10, "RU": 10, "KR": 5, "IN": 10, "BR": 5, "GT": 10, "HN": 10, "SO": 5}),
    "IL": (0.15, ("Cook", "DuPage", "Lake", "Will", "Kane", "Winnebago", "McHenry"),
           {"MX": 60, "IN": 10, "PH": 10, "KR": 5, "CN": 5, "RU": 5, "SY": 5}),
    "GA": (0.10, ("Fulton", "Gwinnett", "Cobb", "DeKalb", "Hall", "Clayton", "Chatham"),
           {"MX": 45, "GT": 15, "HN": 10, "VN": 10, "KR": 10, "IN": 5, "SO": 5}),
    "NC": (0.08, ("Mecklenburg", "Wake", "Guilford", "Forsyth", "Durham", "Cumberland"),
           {"MX": 50, "HN": 15, "GT": 10, "VN": 10, "IN": 5, "CN": 5, "SO": 5}),
    "WA": (0.14, ("King", "Pierce", "Snohomish", "Spokane", "Yakima", "Clark"),
           {"MX": 45, "VN": 10, "CN": 10, "KR": 10, "PH": 10, "SO": 10, "RU": 5}),
    "NJ": (0.20, ("Bergen", "Essex", "Hudson", "Middlesex", "Passaic", "Union"),
           {"MX": 20, "HN": 10, "GT": 10, "IN": 15, "KR": 10, "CN": 10, "BR": 10, "HT": 10, "SY": 5}),
}  # fmt: skip
#: ISO 3166 country of the population -> NCIC place-of-birth code (ebts.codes.PLACE_OF_BIRTH).
NCIC_COUNTRY = {
    "MX": "MM", "GT": "GT", "HN": "HD", "HT": "HT", "CN": "RC", "VN": "RV", "RU": "SX", "SO": "SM",
    "BR": "BZ", "PH": "PI", "KR": "KO", "IN": "II", "SY": "SY",
}  # fmt: skip
# US-born arrests by race (FBI UCR 2019, Table 43): the centre of each jurisdiction's mix.
_US_RACE_MEAN = {"W": 0.694, "B": 0.261, "I": 0.024, "A": 0.013}
_LEVEL_MEAN = (0.12, 0.33, 0.50, 0.05)  # L1, L2, L3, unclassified
_UNCLASSIFIED_CHARGES = ("WARRANT SERVICE", "HOLD FOR OTHER AGENCY")
QUARTER_DRIFT = 0.10  # log-normal spread of a quarter's shares around the baseline


@dataclass(frozen=True)
class Jurisdiction:
    ori: str
    county: str
    state: str
    size: float  # mean bookings per quarter
    born_abroad: float  # share of bookings
    countries: dict[str, float]  # ISO country -> share of those born abroad
    us_race: dict[str, float]  # race code -> share of the US-born
    level_mix: tuple[float, float, float, float]


@dataclass(frozen=True)
class Profiling:
    """Over-representation injected into one jurisdiction: `target`'s share of bookings x `factor`."""

    factor: float
    target: str = BORN_ABROAD
    since: Quarter | None = None  # from this quarter on (None: every quarter simulated)

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise ValueError(f"profiling target {self.target!r} is not one of {', '.join(TARGETS)}")
        if not 1.0 <= self.factor <= 20.0:
            raise ValueError(f"profiling factor {self.factor} must be between 1 and 20")


def parse_profiling(spec: str, last: Quarter) -> dict[str, Profiling]:
    """`"TX0570000=2,CA0190000=1.5:B"` -> ORI -> Profiling (in the last quarter unless `@2026Q1`)."""
    out: dict[str, Profiling] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        ori, sep, rest = part.partition("=")
        if not sep or len(ori.strip()) != 9:
            raise ValueError(f"bad profiling {part!r}: write ORI=FACTOR[:GROUP][@QUARTER], e.g. TX0570000=2")
        rest, _, since = rest.partition("@")
        factor, _, target = rest.partition(":")
        try:
            value = float(factor)
        except ValueError:
            raise ValueError(f"bad profiling {part!r}: {factor!r} is not a number") from None
        quarter = Quarter.parse(since) if since else last
        out[ori.strip().upper()] = Profiling(value, target.strip() or BORN_ABROAD, quarter)
    return out


def jurisdictions(count: int, seed: int) -> list[Jurisdiction]:
    """`count` jurisdictions spread over ten states, always the same for a seed."""
    rng = np.random.default_rng([seed, 1])
    states = list(_STATES)
    # The largest jurisdictions are the first counties' sheriffs (the counties are listed by size).
    sizes = np.sort(np.clip(rng.lognormal(math.log(180), 1.0, count), 15, 6000))[::-1]
    out = []
    for i in range(count):
        state = states[i % len(states)]
        mean_abroad, counties, countries = _STATES[state]
        round_, county_index = divmod(i // len(states), len(counties))
        county = counties[county_index]
        agency = round_  # 00: the sheriff, 01, 02, ...: police departments of the county
        ori = f"{state}{county_index * 4 + 1:03d}{agency:02d}00"
        size = float(sizes[i])
        abroad = float(np.clip(mean_abroad * rng.lognormal(0, 0.35), 0.02, 0.6))
        race = rng.dirichlet([12 * _US_RACE_MEAN[r] + 0.05 for r in groups.TESTED_RACES])
        level = rng.dirichlet([30 * m for m in _LEVEL_MEAN])
        weights = np.array(list(countries.values()), dtype=float) * rng.lognormal(0, 0.3, len(countries))
        out.append(
            Jurisdiction(
                ori=ori,
                county=county,
                state=state,
                size=size,
                born_abroad=abroad,
                countries=dict(zip(countries, (weights / weights.sum()).tolist(), strict=True)),
                us_race=dict(zip(groups.TESTED_RACES, race.tolist(), strict=True)),
                level_mix=tuple(level.tolist()),  # type: ignore[arg-type]
            )
        )
    return out


@dataclass
class _Population:
    """The backend population as arrays, with the people of each booking group."""

    race: np.ndarray
    foreign: np.ndarray
    country: np.ndarray
    identified: np.ndarray
    prior_conviction: np.ndarray
    matched: np.ndarray
    removable: np.ndarray
    detainer: np.ndarray
    pools: dict[tuple[str, str], np.ndarray] = field(
        default_factory=dict
    )  # ("US", race) | ("abroad", country)
    race_given_country: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def build(cls, size: int, seed: int) -> _Population:
        from backend import population
        from backend.policy import IcePolicy

        policy = IcePolicy()
        people = population.generate(size, seed)
        race_index = {c: i for i, c in enumerate(groups.RACES)}

        def decide(p) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
            if not p.immigration_status:
                return False, False
            decision = policy.decide(p.immigration_status, [o.__dict__ for o in p.offenses])
            return p.immigration_status in policy.removable_statuses, decision.lodge

        decisions = [decide(p) for p in people]
        made = cls(
            race=np.array([race_index[p.race] for p in people]),
            foreign=np.array([p.birth_country != "US" for p in people]),
            country=np.array([p.birth_country for p in people], dtype=object),
            identified=np.array([bool(p.fbi_number) for p in people]),
            prior_conviction=np.array(
                [any(o.disposition == "convicted" for o in p.offenses) for p in people]
            ),
            matched=np.array([bool(p.fin) for p in people]),
            removable=np.array([d[0] for d in decisions]),
            detainer=np.array([d[1] for d in decisions]),
        )
        for race in groups.TESTED_RACES:
            made.pools[("US", race)] = np.flatnonzero(~made.foreign & (made.race == race_index[race]))
        for country in NCIC_COUNTRY:
            pool = np.flatnonzero(made.country == country)
            made.pools[("abroad", country)] = pool
            counts = np.bincount(made.race[pool], minlength=len(groups.RACES)).astype(float)
            made.race_given_country[country] = counts / max(1.0, counts.sum())
        return made


def expected_shares(j: Jurisdiction, people: _Population) -> tuple[dict[str, float], float]:
    """The race shares and the born-abroad share the jurisdiction's bookings have on average."""
    race = {r: (1 - j.born_abroad) * j.us_race[r] for r in groups.TESTED_RACES}
    for country, share in j.countries.items():
        for i, code in enumerate(groups.RACES):
            if code in race:
                race[code] += j.born_abroad * share * people.race_given_country[country][i]
    return race, j.born_abroad


def baselines(places: Sequence[Jurisdiction], seed: int, population_size: int = 5000) -> dict[str, Baseline]:
    """A year's arrests of each jurisdiction by race and born abroad (multinomial draws)."""
    people = _Population.build(population_size, seed)
    rng = np.random.default_rng([seed, 2])
    out = {}
    for j in places:
        race, abroad = expected_shares(j, people)
        arrests = int(rng.poisson(4 * j.size))
        arrests = max(arrests, 20)
        counts = rng.multinomial(arrests, [*race.values(), max(0.0, 1 - sum(race.values()))])
        out[j.ori] = Baseline(
            ori=j.ori,
            county=j.county,
            state=j.state,
            period="synthetic year before",
            arrests=arrests,
            race=dict(zip(race, (int(c) for c in counts[:-1]), strict=True)),
            born_abroad=int(rng.binomial(arrests, abroad)),
        )
    return out


def simulate(
    places: Sequence[Jurisdiction],
    quarters: Sequence[Quarter],
    seed: int,
    profiling: dict[str, Profiling] | None = None,
    population_size: int = 5000,
    people: _Population | None = None,
) -> tuple[Bookings, dict]:
    """Every booking of `quarters` in `places`; returns the bookings and, per booking, what a CAR
    needs (`details`: place of birth code, charge literal), for the demo's CARs."""
    profiling = profiling or {}
    people = people or _Population.build(population_size, seed)
    rng = np.random.default_rng([seed, 3])
    cells = [("US", r) for r in groups.TESTED_RACES] + [("abroad", c) for c in NCIC_COUNTRY]
    race_index = {c: i for i, c in enumerate(groups.RACES)}
    columns: dict[str, list[np.ndarray]] = {k: [] for k in ("ori", "quarter", "person", "level")}
    for qi, quarter in enumerate(quarters):
        for ji, j in enumerate(places):
            n = int(rng.poisson(j.size))
            if n == 0:
                continue
            probs = _cell_probabilities(j, cells, rng)
            person = _draw(people, cells, probs, n, rng)
            level = rng.choice(4, size=n, p=_jitter(np.array(j.level_mix), rng))
            chosen = profiling.get(j.ori)
            if chosen and (chosen.since is None or quarter >= chosen.since):
                person, level = _profile(people, cells, probs, person, level, chosen, rng, race_index)
            columns["ori"].append(np.full(n, ji))
            columns["quarter"].append(np.full(n, qi))
            columns["person"].append(person)
            columns["level"].append(level)
    joined = {k: np.concatenate(v) if v else np.zeros(0, int) for k, v in columns.items()}
    who = joined["person"]
    unknown_birth = rng.random(len(who)) < 0.01  # a booking whose birthplace was not recorded
    birth = np.where(people.foreign[who], 1, 0)
    birth[unknown_birth] = 2
    bookings = Bookings(
        oris=[j.ori for j in places],
        quarters=list(quarters),
        ori=joined["ori"],
        quarter=joined["quarter"],
        race=people.race[who],
        birth=birth,
        level=joined["level"],
        searched=np.ones(len(who), bool),
        identified=people.identified[who],
        prior_conviction=people.prior_conviction[who],
        matched=people.matched[who],
        removable=people.removable[who] & people.matched[who],
        detainer=people.detainer[who] & people.matched[who],
    )
    return bookings, {"person": who, "unknown_birth": unknown_birth}


def _jitter(shares: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    drifted = shares * rng.lognormal(0, QUARTER_DRIFT, len(shares))
    return drifted / drifted.sum()


def _cell_probabilities(j: Jurisdiction, cells: list, rng: np.random.Generator) -> np.ndarray:
    abroad = min(0.95, j.born_abroad * rng.lognormal(0, QUARTER_DRIFT))
    us = _jitter(np.array([j.us_race[r] for r in groups.TESTED_RACES]), rng)
    countries = np.array([j.countries.get(c, 0.0) for _, c in cells[len(groups.TESTED_RACES) :]])
    countries = _jitter(countries + 1e-12, rng)
    return np.concatenate([(1 - abroad) * us, abroad * countries])


def _draw(
    people: _Population, cells: list, probs: np.ndarray, n: int, rng: np.random.Generator
) -> np.ndarray:
    counts = rng.multinomial(n, probs / probs.sum())
    picked = [rng.choice(people.pools[cell], size=k) for cell, k in zip(cells, counts, strict=True) if k]
    person = np.concatenate(picked) if picked else np.zeros(0, int)
    rng.shuffle(person)
    return person


def _in_target(people: _Population, person: np.ndarray, target: str, race_index: dict) -> np.ndarray:
    if target == BORN_ABROAD:
        return people.foreign[person]
    return people.race[person] == race_index[target]


def _profile(people, cells, probs, person, level, chosen: Profiling, rng, race_index):  # type: ignore[no-untyped-def]
    """Replace ordinary bookings by extra Level 3 arrests of the target group, so that the group's
    share becomes `factor` times what it was (capped at 95 %)."""
    n = len(person)
    in_group = _in_target(people, person, chosen.target, race_index)
    share = in_group.mean() if n else 0.0
    if share <= 0 or share >= 0.95:
        return person, level
    wanted = min(0.95, chosen.factor * share)
    # Ordinary bookings outside the group give way to extra arrests of the group.
    extra = int(round(n * (wanted - share)))
    if extra <= 0:
        return person, level
    # Extra people: the jurisdiction's own group members, drawn in its proportions.
    pool = np.zeros(0, int)
    while len(pool) < extra:
        batch = _draw(people, cells, probs, 4 * extra + 50, rng)
        pool = np.concatenate([pool, batch[_in_target(people, batch, chosen.target, race_index)]])
    replaced = rng.choice(np.flatnonzero(~in_group), size=extra, replace=False)
    person = person.copy()
    level = level.copy()
    person[replaced] = pool[:extra]
    level[replaced] = levels.LEVELS.index(levels.LEVEL_3)
    return person, level


# --- demo traffic into a backend's store ------------------------------------------------------------


def fill(
    store,  # type: ignore[no-untyped-def]
    count: int,
    quarters: Sequence[Quarter],
    seed: int,
    profiling: dict[str, Profiling] | None = None,
    population_size: int = 5000,
) -> dict:
    """Put a demo's traffic into the backend's store: every booking as a CAR's Type-1 and Type-2
    (made with `ebts`, read back with `facts.car_fields`), its outcome from the population, and the
    demo's baseline as the baseline in force. Rows of an earlier demo are replaced."""
    from datetime import UTC, datetime, time, timedelta

    from backend.oversight import baseline as baseline_module
    from backend.oversight import facts
    from backend.policy import IcePolicy
    from ebts import Charge, Submission, car_transaction, write

    places = jurisdictions(count, seed)
    people = _Population.build(population_size, seed)
    bookings, details = simulate(places, quarters, seed, profiling, people=people)
    population_people = {p.subject_id - 1: p for p in _people(population_size, seed)}
    rng = np.random.default_rng([seed, 4])
    policy = IcePolicy()
    rows = []
    for k in range(len(bookings)):
        j = places[int(bookings.ori[k])]
        quarter = quarters[int(bookings.quarter[k])]
        person = population_people[int(details["person"][k])]
        start = datetime.combine(quarter.first_day, time(0), UTC)
        span = (datetime.combine(quarter.end_day, time(0), UTC) - start).total_seconds()
        received = start + timedelta(seconds=float(rng.random() * span))
        level = levels.LEVELS[int(bookings.level[k])]
        pool = _UNCLASSIFIED_CHARGES if level == levels.UNCLASSIFIED else levels.EXAMPLES[level]
        literal = str(rng.choice(pool))
        if details["unknown_birth"][k]:
            place = "XX"
        elif person.birth_country == "US":
            place = j.state if rng.random() < 0.8 else str(rng.choice(["CA", "TX", "NY", "FL", "IL", "OH"]))
        else:
            place = NCIC_COUNTRY[person.birth_country]
        tcn = f"{j.ori}-{quarter}-{k:06d}"
        submission = Submission(
            tcn=tcn, ori=j.ori, last_name=person.family_name.upper(), first_name=person.given_name.upper(),
            date_of_birth=datetime.fromisoformat(person.dob).date(), sex=person.sex, race=person.race,
            place_of_birth=place, height_inches=68, weight_pounds=170, eye_color="BRO", hair_color="BLK",
            arrest_date=received.date(), charges=[Charge(literal, received.date())], images=[], created=received,
        )  # fmt: skip
        fields = facts.car_fields(write(car_transaction(submission)))
        outcome = {
            "answer": "SRE",
            "srf": "I" if bookings.identified[k] else "N",
            "prior_conviction": bool(bookings.prior_conviction[k]),
            "ident": person.fin if bookings.matched[k] else "no match",
            "status": person.immigration_status,
            "removable": bool(bookings.removable[k]),
            "detainer": bool(bookings.detainer[k]),
        }
        rows.append(facts.make(fields, received, outcome, policy, source=facts.SOURCE_DEMO))
    facts.ensure(store)
    with store.session() as s:
        s.query(facts.Fact).filter(facts.Fact.source == facts.SOURCE_DEMO).delete()
        s.add_all(rows)
    base = baselines(places, seed, population_size)
    baseline_module.save(store, baseline_module.to_csv(base))
    store.log(
        "oversight",
        f"demo traffic: {len(rows)} bookings in {count} jurisdictions, {len(quarters)} quarter(s)",
    )
    return {"bookings": len(rows), "jurisdictions": count, "quarters": [str(q) for q in quarters]}


def _people(size: int, seed: int) -> list:
    from backend import population

    return population.generate(size, seed)
