"""The groups the review counts: race as the CAR records it (2.025 RAC) and place of birth (2.020 POB)."""

from __future__ import annotations

from ebts import codes

#: NCIC race codes in the order the tables show them (U: unknown, counted but never tested).
RACES = ("W", "B", "A", "I", "U")
RACE_LABELS = {code: codes.RACE[code] for code in RACES}
#: Races whose share of bookings is tested against the baseline.
TESTED_RACES = ("W", "B", "A", "I")

US_BORN, FOREIGN_BORN, UNKNOWN_BIRTH = "US", "foreign", "unknown"
BIRTH_GROUPS = (US_BORN, FOREIGN_BORN, UNKNOWN_BIRTH)
BIRTH_LABELS = {US_BORN: "born in the US", FOREIGN_BORN: "born abroad", UNKNOWN_BIRTH: "birthplace unknown"}

# NCIC place-of-birth codes that are the United States: the states (Nebraska is NB), "US" (state
# unknown) and the territories whose natives are citizens at birth.
_US_CODES = frozenset(set(codes.US_STATES) - {"NE"} | {"NB", "US", "PR", "VI"})
_UNKNOWN_CODES = frozenset({"XX", "YY", ""})


def race_code(value: str | None) -> str:
    code = (value or "").strip().upper()
    return code if code in RACE_LABELS else "U"


def birth_group(place_of_birth: str | None) -> str:
    """US-born, born abroad, or unknown, from an NCIC place-of-birth code."""
    code = (place_of_birth or "").strip().upper()
    if code in _UNKNOWN_CODES or code not in codes.PLACE_OF_BIRTH:
        return UNKNOWN_BIRTH
    return US_BORN if code in _US_CODES else FOREIGN_BORN


def place_label(place_of_birth: str) -> str:
    return codes.PLACE_OF_BIRTH.get(place_of_birth, place_of_birth or "unknown")
