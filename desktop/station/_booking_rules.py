"""What a booking form must hold to make a valid EBTS record: parsing and one message per field.

The UI hands over what the clerk typed (`BookingForm`, plain strings); `parse` returns clean
`BookingData` or raises `BookingInvalid` with one message per field, keyed by field name
(`surname`, `charges.0.text`, …) so each message can be shown beside its field. Names are kept
exactly as typed in any script (only Unicode NFC normalisation, which changes no character).
Use it through `desktop.station.bookings`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from booking_station.runtime import UserError
from desktop.station.messages import Message, message
from ebts import codes

NAME_MAX = 50  # EBTS NAM: "SURNAME,GIVEN MIDDLE", at most 50 characters in all
CHARGE_TEXT_MAX = 300
HEIGHT_MIN, HEIGHT_MAX = 4 * 12, 7 * 12 + 11  # EBTS HGT 400-711 (feet, inches)
WEIGHT_MIN, WEIGHT_MAX = 50, 499  # EBTS WGT, pounds
OLDEST_AGE = 125

FIELDS = (
    "surname",
    "given_names",
    "date_of_birth",
    "sex",
    "race",
    "place_of_birth",
    "height",
    "weight",
    "eye_color",
    "hair_color",
    "arrested_on",
)
CHARGE_FIELDS = ("offense_date", "text", "level")


@dataclass(frozen=True)
class BookingForm:
    """What the clerk typed, as text. `charges` holds one mapping of CHARGE_FIELDS per charge."""

    values: Mapping[str, str]
    charges: Sequence[Mapping[str, str]] = ()


@dataclass(frozen=True)
class ChargeData:
    offense_date: dt.date
    text: str
    level: str  # felony | misdemeanor


@dataclass(frozen=True)
class BookingData:
    surname: str
    given_names: str
    date_of_birth: dt.date
    sex: str
    race: str
    place_of_birth: str
    height_inches: int
    weight_pounds: int
    eye_color: str
    hair_color: str
    arrested_on: dt.date
    charges: tuple[ChargeData, ...] = ()

    @property
    def ebts_name(self) -> str:
        """EBTS NAM: SURNAME,GIVEN NAMES."""
        return f"{self.surname},{self.given_names}" if self.given_names else self.surname

    def to_form(self) -> BookingForm:
        """The text a form shows for this data (so edit round-trips)."""
        values = {
            "surname": self.surname,
            "given_names": self.given_names,
            "date_of_birth": self.date_of_birth.isoformat(),
            "sex": self.sex,
            "race": self.race,
            "place_of_birth": self.place_of_birth,
            "height": format_height(self.height_inches),
            "weight": str(self.weight_pounds),
            "eye_color": self.eye_color,
            "hair_color": self.hair_color,
            "arrested_on": self.arrested_on.isoformat(),
        }
        charges = [
            # An imported booking may lack a date of offense (optional in EBTS): the clerk adds it.
            {
                "offense_date": c.offense_date.isoformat() if c.offense_date else "",
                "text": c.text,
                "level": c.level,
            }
            for c in self.charges
        ]
        return BookingForm(values, charges)


class BookingInvalid(UserError):
    """The form has problems; `problems` maps field name to its one Message (a code the UI words)."""

    def __init__(self, problems: Mapping[str, Message]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.problems.items()))


class _Wrong(ValueError):
    """One field's problem while parsing it."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.message = message(code, **params)
        super().__init__(str(self.message))


def format_height(inches: int) -> str:
    return f"{inches // 12}'{inches % 12:02d}\""


# --- parsing, one field at a time ------------------------------------------------------------


def _clean_name(text: str, label: str, *, required: bool) -> str:
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if not text:
        if required:
            raise _Wrong("booking.enter", field=label)
        return ""
    if "," in text:
        raise _Wrong("booking.no-commas", field=label)
    for ch in text:
        category = unicodedata.category(ch)
        if not (category[0] in "LM" or ch in " -'.’"):
            raise _Wrong("booking.name-characters", field=label, value=repr(ch))
    if not any(unicodedata.category(ch)[0] == "L" for ch in text):
        raise _Wrong("booking.name-letter", field=label)
    return text


def _date(text: str, label: str) -> dt.date:
    text = text.strip()
    if not text:
        raise _Wrong("booking.enter", field=label)
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    # In the right shape but not a day of the calendar: say which part is wrong.
    parts = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(
        r"(\d{1,2})/(\d{1,2})/(\d{4})", text
    )
    if parts:
        numbers = [int(p) for p in parts.groups()]
        year, month, day = numbers if "-" in text else (numbers[2], numbers[0], numbers[1])
        if not 1 <= month <= 12:
            raise _Wrong("booking.date-month", field=label, number=month)
        if year >= 1:
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                raise _Wrong("booking.date-day", field=label, month=month, year=year, days=days, day=day)
    raise _Wrong("booking.date-format", field=label, value=repr(text))


def _code(text: str, table: Mapping[str, str], label: str) -> str:
    code = text.strip().upper()
    if not code:
        raise _Wrong("booking.choose", field=label)
    if code not in table:
        raise _Wrong("booking.not-a-code", field=label, value=repr(code))
    return code


def _height(text: str) -> int:
    text = text.strip().lower()
    if not text:
        raise _Wrong("booking.height-enter")
    match = re.fullmatch(r"(\d)\s*(?:'|ft|\s)\s*(\d{1,2})\s*(?:\"|in|'')?", text) or re.fullmatch(
        r"(\d)(\d{2})", text
    )
    if not match:
        raise _Wrong("booking.height-format", value=repr(text))
    feet, inches = int(match.group(1)), int(match.group(2))
    if inches > 11:
        raise _Wrong("booking.inches", value=inches)
    total = feet * 12 + inches
    if not HEIGHT_MIN <= total <= HEIGHT_MAX:
        raise _Wrong("booking.height-range", low=format_height(HEIGHT_MIN), high=format_height(HEIGHT_MAX))
    return total


def _weight(text: str) -> int:
    text = text.strip().lower().removesuffix("lb").removesuffix("lbs").strip()
    if not text:
        raise _Wrong("booking.weight-enter")
    if not text.isdigit():
        raise _Wrong("booking.weight-format", value=repr(text))
    value = int(text)
    if not WEIGHT_MIN <= value <= WEIGHT_MAX:
        raise _Wrong("booking.weight-range", low=WEIGHT_MIN, high=WEIGHT_MAX)
    return value


def parse(form: BookingForm, today: dt.date) -> BookingData:
    """Clean data, or BookingInvalid listing every field that is wrong (one message each)."""
    v = {key: form.values.get(key, "") or "" for key in FIELDS}
    problems: dict[str, Message] = {}
    out: dict[str, object] = {}

    def attempt(key: str, fn, *args, **kwargs) -> None:
        try:
            out[key] = fn(*args, **kwargs)
        except _Wrong as exc:
            problems[key] = exc.message

    attempt("surname", _clean_name, v["surname"], "surname", required=True)
    attempt("given_names", _clean_name, v["given_names"], "given names", required=False)
    attempt("date_of_birth", _date, v["date_of_birth"], "date of birth")
    attempt("sex", _code, v["sex"], codes.SEX, "sex")
    attempt("race", _code, v["race"], codes.RACE, "race")
    attempt("place_of_birth", _code, v["place_of_birth"], codes.PLACE_OF_BIRTH, "place of birth")
    attempt("height_inches", _height, v["height"])
    attempt("weight_pounds", _weight, v["weight"])
    attempt("eye_color", _code, v["eye_color"], codes.EYE_COLOR, "eye colour")
    attempt("hair_color", _code, v["hair_color"], codes.HAIR_COLOR, "hair colour")
    attempt("arrested_on", _date, v["arrested_on"], "date of arrest")
    # Map internal names back to form field names.
    for internal, key in (("height_inches", "height"), ("weight_pounds", "weight")):
        if internal in problems:
            problems[key] = problems.pop(internal)

    if "surname" in out and "given_names" in out:
        name = f"{out['surname']},{out['given_names']}" if out["given_names"] else str(out["surname"])
        if len(name) > NAME_MAX:
            problems["surname"] = message("booking.name-length", length=len(name), limit=NAME_MAX)
    dob, arrested = out.get("date_of_birth"), out.get("arrested_on")
    if isinstance(arrested, dt.date) and arrested > today:
        problems["arrested_on"] = message("booking.arrest-future")
    if isinstance(dob, dt.date):
        if dob > today:
            problems["date_of_birth"] = message("booking.birth-future")
        elif today.year - dob.year > OLDEST_AGE:
            problems["date_of_birth"] = message("booking.birth-too-old", years=OLDEST_AGE)
        elif isinstance(arrested, dt.date) and dob > arrested:
            problems["date_of_birth"] = message("booking.birth-after-arrest")

    charges: list[ChargeData] = []
    if not form.charges:
        problems["charges"] = message("booking.no-charges")
    for i, raw in enumerate(form.charges):
        prefix = f"charges.{i}."
        text = unicodedata.normalize("NFC", " ".join((raw.get("text") or "").split()))
        level = (raw.get("level") or "").strip().lower()
        offense: dt.date | None = None
        try:
            offense = _date(raw.get("offense_date") or "", "offense date")
            if offense > today:
                raise _Wrong("booking.offense-future")
            if isinstance(arrested, dt.date) and offense > arrested:
                raise _Wrong("booking.offense-after-arrest")
        except _Wrong as exc:
            problems[prefix + "offense_date"] = exc.message
        if not text:
            problems[prefix + "text"] = message("booking.describe-charge")
        elif len(text) > CHARGE_TEXT_MAX:
            problems[prefix + "text"] = message(
                "booking.charge-length", limit=CHARGE_TEXT_MAX, length=len(text)
            )
        if level not in codes.OFFENSE_LEVELS:
            problems[prefix + "level"] = message("booking.choose-level")
        if offense is not None and text and level in codes.OFFENSE_LEVELS:
            charges.append(ChargeData(offense, text, level))
    if problems:
        raise BookingInvalid(problems)
    return BookingData(**out, charges=tuple(charges))  # type: ignore[arg-type]
