from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.station.audit import AuditLog
from desktop.station.bookings import BookingForm, BookingInvalid, parse
from desktop.station.models import BookingStatus

TODAY = dt.date.today()


@pytest.mark.parametrize(
    ("surname", "given"),
    [
        ("Nguyễn", "Văn An"),
        ("王", "小明"),
        ("محمد", "علي"),
        ("Łukasiewicz", "Jan"),
        ("Muñoz-Peña", "José"),
        ("O'Brien", "Seán"),
    ],
)
def test_names_in_any_script_survive_a_save(station, booking_form, surname, given):
    record = station.bookings.create(
        parse(booking_form(surname=surname, given_names=given), TODAY), actor="t"
    )
    again = station.bookings.get(record.id).data
    assert (again.surname, again.given_names) == (surname, given)
    assert again.ebts_name == f"{surname},{given}"


def test_every_bad_field_gets_its_own_message(booking_form):
    form = booking_form(
        surname="",
        date_of_birth="31/31/1990",
        sex="Q",
        race="",
        place_of_birth="ZZ",
        height="5'14",
        weight="12",
        eye_color="PUR",
        hair_color="BLK",
        arrested_on=(TODAY + dt.timedelta(days=2)).isoformat(),
    )
    with pytest.raises(BookingInvalid) as err:
        parse(form, TODAY)
    problems = err.value.problems
    assert problems["height"].code == "booking.inches" and problems["height"].params == {"value": 14}
    assert set(problems) >= {
        "surname", "date_of_birth", "sex", "race", "place_of_birth", "height", "weight",
        "eye_color", "arrested_on",
    }  # fmt: skip
    assert "hair_color" not in problems
    assert "inches" in str(problems["height"])
    assert "future" in str(problems["arrested_on"])
    assert "ZZ" in str(problems["place_of_birth"])


def test_name_longer_than_ebts_allows_is_refused(booking_form):
    with pytest.raises(BookingInvalid) as err:
        parse(booking_form(surname="A" * 30, given_names="B" * 20), TODAY)
    assert "51 characters" in str(err.value.problems["surname"])
    parse(booking_form(surname="A" * 30, given_names="B" * 19), TODAY)  # exactly 50 is fine


def test_comma_and_digits_are_refused_in_names(booking_form):
    with pytest.raises(BookingInvalid) as err:
        parse(booking_form(surname="Smith,John", given_names="J0hn"), TODAY)
    assert "comma" in str(err.value.problems["surname"])
    assert "'0'" in str(err.value.problems["given_names"])


def test_charges_are_checked_one_by_one(booking_form):
    base = booking_form()
    form = BookingForm(
        base.values,
        [
            {"offense_date": "2020-01-01", "text": "Burglary", "level": "felony"},
            {"offense_date": (TODAY + dt.timedelta(days=3)).isoformat(), "text": "", "level": "infraction"},
        ],
    )
    with pytest.raises(BookingInvalid) as err:
        parse(form, TODAY)
    assert set(err.value.problems) == {"charges.1.offense_date", "charges.1.text", "charges.1.level"}
    with pytest.raises(BookingInvalid) as err:
        parse(BookingForm(base.values, []), TODAY)
    assert "charges" in err.value.problems


def test_height_forms(booking_form):
    for text, inches in (("5'10\"", 70), ("510", 70), ("6 2", 74), ("4'0", 48)):
        assert parse(booking_form(height=text), TODAY).height_inches == inches


def test_update_records_changed_fields_and_round_trips_through_the_form(station, booking_form):
    record = station.bookings.create(parse(booking_form(), TODAY), actor="clerk1")
    data = parse(record.data.to_form(), TODAY)
    assert data == record.data
    changed = parse(booking_form(weight="180"), TODAY)
    station.bookings.update(record.id, changed, actor="clerk1")
    assert station.bookings.get(record.id).data.weight_pounds == 180
    last = AuditLog(station.store).events(limit=1)[0]
    assert (last.action, last.actor, last.details["fields"]) == (
        "booking.update",
        "clerk1",
        ["weight_pounds"],
    )


def test_find_searches_number_and_names_case_blind_in_any_script(station, booking_form):
    a = station.bookings.create(
        parse(booking_form(surname="Łukasiewicz", given_names="Jan"), TODAY), actor="t"
    )
    b = station.bookings.create(parse(booking_form(surname="Smith", given_names="Anna"), TODAY), actor="t")
    assert [s.id for s in station.bookings.find(text="łUKAS")] == [a.id]
    assert [s.id for s in station.bookings.find(text="anna smith")] == [b.id]
    assert [s.id for s in station.bookings.find(text=b.number)] == [b.id]
    assert [s.id for s in station.bookings.find()] == [b.id, a.id]  # newest first
    assert {s.id for s in station.bookings.today(dt.UTC)} == {a.id, b.id}


def test_status_changes_are_audited(station, booking_form):
    record = station.bookings.create(parse(booking_form(), TODAY), actor="t")
    station.bookings.set_status(record.id, BookingStatus.CAPTURED, actor="clerk2")
    assert station.bookings.get(record.id).status is BookingStatus.CAPTURED
    last = station.audit.events(limit=1)[0]
    assert last.details == {"from": "draft", "to": "captured"}


_letters = st.characters(categories=("Lu", "Ll", "Lo", "Lt", "Lm"))
_name = st.builds(
    lambda first, rest: first + rest,
    _letters,
    st.text(
        alphabet=st.one_of(_letters, st.characters(categories=("Mn",)), st.sampled_from(" -'")), max_size=18
    ),
)


@settings(max_examples=200, deadline=None)
@given(surname=_name, given_names=_name)
def test_any_script_name_is_kept_as_typed(surname, given_names):
    import unicodedata

    form = _form_with(surname=surname, given_names=given_names)
    data = parse(form, TODAY)
    assert data.surname == unicodedata.normalize("NFC", " ".join(surname.split()))
    assert data.given_names == unicodedata.normalize("NFC", " ".join(given_names.split()))


def _form_with(**values):
    base = {
        "date_of_birth": "1990-01-02", "sex": "M", "race": "W", "place_of_birth": "VA", "height": "510",
        "weight": "170", "eye_color": "BRO", "hair_color": "BLK", "arrested_on": TODAY.isoformat(),
    }  # fmt: skip
    return BookingForm(
        {**base, **values}, [{"offense_date": TODAY.isoformat(), "text": "x", "level": "felony"}]
    )


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1990-02-30", "the date of birth has no day 30: February 1990 has 28 days"),
        ("02/29/1991", "the date of birth has no day 29: February 1991 has 28 days"),
        ("1990-04-31", "the date of birth has no day 31: April 1990 has 30 days"),
        ("1990-13-01", "the date of birth has no month 13: months are 1 to 12"),
        ("yesterday", "the date of birth must be a date like 1990-07-31 or 07/31/1990, not 'yesterday'"),
    ],
)
def test_an_impossible_date_says_what_is_wrong_with_it(booking_form, typed, says):
    with pytest.raises(BookingInvalid) as err:
        parse(booking_form(date_of_birth=typed), TODAY)
    assert str(err.value.problems["date_of_birth"]) == says
    parse(booking_form(date_of_birth="1992-02-29"), TODAY)  # a leap day is a day


def test_an_unknown_sex_is_the_code_ebts_takes(booking_form):
    """EBTS 2.024 SEX has X for unknown; U (NCIC's unknown) is not an EBTS code, so it is refused
    here instead of coming back from the FBI as an ERRT."""
    from ebts import codes

    assert [c for c, name in codes.SEX.items() if "Unknown" in name] == ["X"]
    assert parse(booking_form(sex="X"), TODAY).sex == "X"
    with pytest.raises(BookingInvalid) as err:
        parse(booking_form(sex="U"), TODAY)
    assert err.value.problems["sex"].code == "booking.not-a-code"
