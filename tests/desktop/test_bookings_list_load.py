"""The bookings list's load (issue 17): it runs on a worker thread holding the interpreter lock, so
it opens no sealed value it has already opened, and forgets what it opened when the desk is left."""

from __future__ import annotations

import datetime as dt

import pytest

from booking_station import sealed_columns
from desktop.station.bookings import parse

TODAY = dt.date.today()


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The contexts of the sealed text values opened while the test runs."""
    seen: list[str] = []
    real = sealed_columns.open_text

    def counting(sealer, stored, context):  # type: ignore[no-untyped-def]
        seen.append(context)
        return real(sealer, stored, context)

    monkeypatch.setattr(sealed_columns, "open_text", counting)
    return seen


def _book(station, booking_form, surname: str, given: str = "Ana"):  # type: ignore[no-untyped-def]
    return station.bookings.create(parse(booking_form(surname=surname, given_names=given), TODAY), actor="t")


def test_a_reload_of_unchanged_rows_opens_no_sealed_value_again(station, booking_form, opened) -> None:
    for surname in ("Smith", "Łukasiewicz", "王"):
        _book(station, booking_form, surname)
    first = station.bookings.find()
    assert opened  # the first load opens the names and dates of birth
    opened.clear()
    again = station.bookings.find()
    assert opened == []
    assert again == first
    assert [r.name for r in again] == ["王, Ana", "Łukasiewicz, Ana", "Smith, Ana"]


def test_a_renamed_booking_shows_its_new_name(station, booking_form, opened) -> None:
    renamed = _book(station, booking_form, "Smith")
    kept = _book(station, booking_form, "Jones")
    station.bookings.find()
    station.bookings.update(
        renamed.id, parse(booking_form(surname="Smyth", given_names="Ann", date_of_birth="1991-03-04"), TODAY),
        actor="t",
    )  # fmt: skip
    opened.clear()
    rows = {r.id: r for r in station.bookings.find()}
    assert rows[renamed.id].name == "Smyth, Ann"
    assert rows[renamed.id].date_of_birth == dt.date(1991, 3, 4)
    assert rows[kept.id].name == "Jones, Ana"
    assert len(opened) == 3  # the renamed row's surname, given names and date of birth only


@pytest.mark.parametrize("action", ["logout", "session.locked"])
def test_the_opened_names_are_forgotten_when_the_desk_is_left(station, booking_form, opened, action) -> None:
    _book(station, booking_form, "Smith")
    station.bookings.find()
    station.audit.append("clerk1", action, "operator:clerk1")
    opened.clear()
    assert [r.name for r in station.bookings.find()] == ["Smith, Ana"]
    assert opened  # opened again: nothing was kept past the log-out or the lock


def test_a_name_opened_while_the_desk_is_left_is_not_kept(station, booking_form, monkeypatch) -> None:
    """The list loads on a worker thread while the event hub forgets on another: a name whose
    opening straddles the log-out is shown to that load, but not kept past the log-out."""
    _book(station, booking_form, "Smith")
    real, seen = sealed_columns.open_text, []

    def logging_out_meanwhile(sealer, stored, context):  # type: ignore[no-untyped-def]
        if not seen:  # the clerk logs out while the first value is being opened
            station.audit.append("clerk1", "logout", "operator:clerk1")
        seen.append(context)
        return real(sealer, stored, context)

    monkeypatch.setattr(sealed_columns, "open_text", logging_out_meanwhile)
    assert [r.name for r in station.bookings.find()] == ["Smith, Ana"]
    seen.clear()
    station.bookings.find()
    assert seen, "a name opened before the log-out was kept after it"
