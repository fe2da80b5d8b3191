"""Does an answer name the person booked? Names compared across scripts, accents and order."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.station.identity import DATE_OF_BIRTH, NAME, Person, disagreements, fold, names_agree

BOOKED = Person("Nguyễn", "Văn An", dt.date(1979, 4, 1))


@pytest.mark.parametrize(
    "answer",
    [
        "NGUYEN,VAN AN",  # EBTS 2.018, no diacritics
        "Nguyễn, Văn An",
        "VAN AN NGUYEN",  # given names first, no comma
        "nguyen, an",  # one given name is enough
        "NGUYEN",  # the surname alone: no given name to disagree with
    ],
)
def test_transliterated_names_of_the_booked_person_agree(answer):
    assert names_agree(BOOKED, Person.from_full_name(answer)), answer


@pytest.mark.parametrize(
    "answer",
    [
        "HERNÁNDEZ,JOSÉ",
        "HERNANDEZ JOSE",
        "NGUYEN,THI MAI",  # same surname, other given names
        "TRAN,VAN AN",  # other surname
    ],
)
def test_another_persons_name_disagrees(answer):
    assert disagreements(BOOKED, Person.from_full_name(answer)) == (NAME,), answer


def test_names_in_other_scripts_agree_with_their_transliteration():
    assert names_agree(Person("Иванов", "Пётр"), Person.from_full_name("IVANOV,PETR"))
    assert names_agree(Person("Παπαδόπουλος", "Γιώργος"), Person.from_full_name("PAPADOPOULOS,GIORGOS"))
    assert names_agree(Person("محمد", ""), Person.from_full_name("MOHAMMED,ALI"))
    assert not names_agree(Person("Иванов", "Пётр"), Person.from_full_name("PETROV,IVAN"))
    # In Latin letters only accents and case may differ: Fernández is not Hernández.
    assert not names_agree(Person("Hernández", "José"), Person.from_full_name("FERNANDEZ,JOSE"))
    assert fold("García-López, José") == "garcia lopez jose"


def test_date_of_birth_disagrees_only_when_both_give_one():
    assert disagreements(BOOKED, Person.from_full_name("NGUYEN,VAN AN", "1975-04-01")) == (DATE_OF_BIRTH,)
    assert disagreements(BOOKED, Person.from_full_name("NGUYEN,VAN AN", "19790401")) == ()
    assert disagreements(BOOKED, Person.from_full_name("NGUYEN,VAN AN", "")) == ()
    assert disagreements(BOOKED, Person.from_full_name("HERNANDEZ,JOSE", "1975-04-01")) == (
        NAME,
        DATE_OF_BIRTH,
    )
