from __future__ import annotations

from backend import population
from backend.policy import IcePolicy


def test_same_seed_same_people_other_seed_other_people() -> None:
    assert population.generate(30, 5) == population.generate(30, 5)
    assert population.generate(30, 5) != population.generate(30, 6)


def test_subject_ids_are_the_virtual_scanners_numbers() -> None:
    assert [p.subject_id for p in population.generate(12, 1)] == list(range(1, 13))


def test_six_people_hold_every_case_a_demo_needs() -> None:
    people = population.generate(6, 11)
    policy = IcePolicy()

    def detainer(p: population.Person) -> bool:
        offenses = [o.__dict__ for o in p.offenses]
        return bool(p.immigration_status) and policy.decide(p.immigration_status, offenses).lodge

    assert any(p.fbi_number and p.fin and detainer(p) for p in people)
    assert any(not p.fbi_number and not p.fin for p in people)
    assert any(p.fbi_number and not p.fin for p in people)
    assert any(p.fin and not detainer(p) for p in people)
    assert any(p.immigration_status == "US_CITIZEN" for p in people)


def test_records_are_consistent() -> None:
    for p in population.generate(200, 3):
        assert bool(p.fbi_number) == bool(p.offenses)
        assert bool(p.fin) == bool(p.immigration_status) == bool(p.encounters)
        assert p.languages
        assert population.Person.from_dict(p.as_dict()) == p
    people = population.generate(200, 3)
    assert len({p.fbi_number for p in people if p.fbi_number}) == sum(1 for p in people if p.fbi_number)
    # Many people have nothing at all, as in life.
    assert sum(1 for p in people if not p.fbi_number and not p.fin) > 50
