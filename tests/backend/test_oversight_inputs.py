"""What the oversight review reads: offense levels, places of birth, the baseline CSV, the CAR's fields."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from backend.oversight import baseline, facts, groups, levels
from backend.policy import IcePolicy
from booking_station.quarters import Quarter
from ebts import Charge, Submission, build_car

GOOD = """ori,county,state,period,arrests,white,black,asian,american_indian,born_abroad
TX0570000,Dallas,TX,2025,4210,2350,1610,84,21,980
CA0190000,Los Angeles,CA,2025,9000,5000,2500,900,50,3000
"""


@pytest.mark.parametrize(("literal", "level"), [(e, lv) for lv, ex in levels.EXAMPLES.items() for e in ex])
def test_every_demo_charge_has_the_level_it_is_listed_under(literal: str, level: str) -> None:
    assert levels.classify(literal) == level


def test_a_booking_takes_its_gravest_charge_and_unknown_text_is_never_guessed() -> None:
    assert levels.gravest(["TRESPASS", "ROBBERY"]) == levels.LEVEL_1
    assert levels.gravest(["  driving   under the influence "]) == levels.LEVEL_3
    assert levels.gravest(["WARRANT SERVICE"]) == levels.UNCLASSIFIED
    assert levels.gravest([]) == levels.UNCLASSIFIED
    assert levels.classify("TRAFFIC VIOLATION") == levels.LEVEL_3  # not "trafficking"


def test_place_of_birth_groups_follow_the_ncic_table() -> None:
    assert groups.birth_group("TX") == groups.US_BORN
    assert groups.birth_group("NB") == groups.US_BORN  # Nebraska in NCIC
    assert groups.birth_group("NE") == groups.FOREIGN_BORN  # NCIC's NE is the Netherlands
    assert groups.birth_group("PR") == groups.US_BORN
    assert groups.birth_group("MM") == groups.FOREIGN_BORN  # Mexico
    assert groups.birth_group("XX") == groups.UNKNOWN_BIRTH
    assert groups.birth_group("ZZ") == groups.UNKNOWN_BIRTH  # not a code at all


def test_quarters() -> None:
    q = Quarter.parse("2026q3")
    assert str(q) == "2026Q3" and q.first_day == date(2026, 7, 1) and q.end_day == date(2026, 10, 1)
    assert [str(x) for x in q.earlier(4)] == ["2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    assert Quarter.of(date(2027, 1, 1)) == Quarter(2027, 1) == Quarter(2026, 4).next()
    with pytest.raises(ValueError, match="e.g. 2026Q3"):
        Quarter.parse("2026-07")


def test_a_good_baseline_gives_the_shares() -> None:
    rows = baseline.parse(GOOD)
    assert rows["TX0570000"].race_share("B") == pytest.approx(1610 / 4210)
    assert rows["CA0190000"].born_abroad_share == pytest.approx(1 / 3)
    assert baseline.parse(baseline.to_csv(rows)) == rows


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("ori,county,state\nTX0570000,Dallas,TX\n", "lacks the column(s) arrests, white"),
        (GOOD.replace("4210", "42x0"), "line 2: arrests '42x0' is not a whole number"),
        (GOOD.replace("4210", "4,210"), "line 2: more values than columns"),
        (GOOD.replace("TX0570000,Dallas,TX", "TX0570000,Dallas,CA"), "line 2: state CA does not match the ORI's state TX"),
        (GOOD.replace("TX0570000", "TX057"), "line 2: ori 'TX057' is not a 9-character ORI"),
        (GOOD.replace("CA0190000,Los Angeles,CA", "TX0570000,Dallas,TX"), "line 3: ori TX0570000 appears twice"),
        (GOOD.replace("9000,5000", "9000,9000"), "line 3: the race columns add up to 12450, more than arrests (9000)"),
        (GOOD.replace(",3000\n", ",9001\n"), "line 3: born_abroad (9001) is more than arrests (9000)"),
        (GOOD.replace(",Dallas,", ",,"), "line 2: county is empty"),
        (GOOD.splitlines()[0] + "\n", "has a header but no rows"),
    ],
)  # fmt: skip
def test_a_bad_baseline_is_refused_naming_the_problem(text: str, message: str) -> None:
    with pytest.raises(baseline.BaselineError) as caught:
        baseline.parse(text, "baseline.csv")
    assert message in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_the_cars_race_place_of_birth_and_charges_are_read() -> None:
    when = datetime(2026, 8, 3, 14, 0, tzinfo=UTC)
    body = build_car(
        Submission(tcn="TX0570000-T1", ori="TX0570000", last_name="DOE", first_name="ANA",
                   date_of_birth=date(1990, 1, 2), sex="F", race="B", place_of_birth="HT", height_inches=64,
                   weight_pounds=130, eye_color="BRO", hair_color="BLK", arrest_date=when.date(),
                   charges=[Charge("TRESPASS", when.date()), Charge("BURGLARY - RESIDENCE", when.date())],
                   images=[], created=when)
    )  # fmt: skip
    fields = facts.car_fields(body)
    assert (fields.tcn, fields.ori, fields.race, fields.place_of_birth) == (
        "TX0570000-T1",
        "TX0570000",
        "B",
        "HT",
    )
    assert fields.charges == ("TRESPASS", "BURGLARY - RESIDENCE")
    row = facts.make(fields, when, {"answer": "SRE", "srf": "N", "ident": "1234567890", "status": "LPR",
                                    "detainer": False}, IcePolicy())  # fmt: skip
    assert row.birth == groups.FOREIGN_BORN and row.offense_level == levels.LEVEL_2
    assert row.ident_match and row.removable and not row.detainer  # removable read from the policy
    rejected = facts.make(fields, when, {"answer": "ERRT", "code": "L0005"}, IcePolicy())
    assert rejected.answer == "ERRT" and not rejected.ident_match
