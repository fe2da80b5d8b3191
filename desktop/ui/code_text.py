"""EBTS code tables (sex, race, eye and hair colour, offense level) with their names in the UI's language.

The codes themselves (M, BRO, …) are what the FBI receives and never change; only the name beside
them is translated. Place of birth (300+ countries and states) stays in the table's English.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ebts import codes

# Table -> (translation context, the table's English names marked for lupdate). One context per
# table: "Black" is a race in one and a colour in the others, and Spanish words it differently.
_MARKED: dict[str, tuple[str, tuple[str, ...]]] = {
    "SEX": (
        "SexCode",
        (
            QT_TRANSLATE_NOOP("SexCode", "Male"),
            QT_TRANSLATE_NOOP("SexCode", "Female"),
            QT_TRANSLATE_NOOP("SexCode", "Unknown / not reported"),
        ),
    ),
    "RACE": (
        "RaceCode",
        (
            QT_TRANSLATE_NOOP("RaceCode", "Asian or Pacific Islander"),
            QT_TRANSLATE_NOOP("RaceCode", "Black"),
            QT_TRANSLATE_NOOP("RaceCode", "American Indian or Alaskan Native"),
            QT_TRANSLATE_NOOP("RaceCode", "White"),
            QT_TRANSLATE_NOOP("RaceCode", "Unknown"),
        ),
    ),
    "EYE_COLOR": (
        "EyeColorCode",
        (
            QT_TRANSLATE_NOOP("EyeColorCode", "Black"),
            QT_TRANSLATE_NOOP("EyeColorCode", "Blue"),
            QT_TRANSLATE_NOOP("EyeColorCode", "Brown"),
            QT_TRANSLATE_NOOP("EyeColorCode", "Green"),
            QT_TRANSLATE_NOOP("EyeColorCode", "Gray"),
            QT_TRANSLATE_NOOP("EyeColorCode", "Hazel"),
            QT_TRANSLATE_NOOP("EyeColorCode", "Maroon"),
            QT_TRANSLATE_NOOP("EyeColorCode", "Multicolored"),
            QT_TRANSLATE_NOOP("EyeColorCode", "Pink"),
            QT_TRANSLATE_NOOP("EyeColorCode", "Unknown"),
        ),
    ),
    "HAIR_COLOR": (
        "HairColorCode",
        (
            QT_TRANSLATE_NOOP("HairColorCode", "Bald"),
            QT_TRANSLATE_NOOP("HairColorCode", "Black"),
            QT_TRANSLATE_NOOP("HairColorCode", "Blond or strawberry"),
            QT_TRANSLATE_NOOP("HairColorCode", "Blue"),
            QT_TRANSLATE_NOOP("HairColorCode", "Brown"),
            QT_TRANSLATE_NOOP("HairColorCode", "Green"),
            QT_TRANSLATE_NOOP("HairColorCode", "Gray or partially gray"),
            QT_TRANSLATE_NOOP("HairColorCode", "Orange"),
            QT_TRANSLATE_NOOP("HairColorCode", "Purple"),
            QT_TRANSLATE_NOOP("HairColorCode", "Pink"),
            QT_TRANSLATE_NOOP("HairColorCode", "Red or auburn"),
            QT_TRANSLATE_NOOP("HairColorCode", "Sandy"),
            QT_TRANSLATE_NOOP("HairColorCode", "White"),
            QT_TRANSLATE_NOOP("HairColorCode", "Unknown"),
        ),
    ),
    "OFFENSE_LEVELS": (
        "OffenseLevelCode",
        (
            QT_TRANSLATE_NOOP("OffenseLevelCode", "Felony"),
            QT_TRANSLATE_NOOP("OffenseLevelCode", "Misdemeanor"),
        ),
    ),
    # What each ERRT error code means (this project's numbering, ebts.codes.ERROR_CODES).
    "ERROR_CODES": (
        "ErrorCode",
        (
            QT_TRANSLATE_NOOP("ErrorCode", "Mandatory field missing"),
            QT_TRANSLATE_NOOP("ErrorCode", "Value not in the code table"),
            QT_TRANSLATE_NOOP("ErrorCode", "Value has the wrong format"),
            QT_TRANSLATE_NOOP("ErrorCode", "Invalid or impossible date"),
            QT_TRANSLATE_NOOP("ErrorCode", "Fingerprint set incomplete or duplicated"),
            QT_TRANSLATE_NOOP("ErrorCode", "Image cannot be decoded or does not match its header"),
            QT_TRANSLATE_NOOP("ErrorCode", "Image quality too low to search"),
            QT_TRANSLATE_NOOP("ErrorCode", "Transaction type not accepted"),
            QT_TRANSLATE_NOOP("ErrorCode", "Fingerprints out of sequence"),
            QT_TRANSLATE_NOOP("ErrorCode", "Transaction cannot be parsed"),
            QT_TRANSLATE_NOOP("ErrorCode", "Value out of range"),
            QT_TRANSLATE_NOOP(
                "ErrorCode", "Logical record not allowed in this transaction, or too many or too few of them"
            ),
            QT_TRANSLATE_NOOP("ErrorCode", "Submitting station not authorised for this ORI"),
            QT_TRANSLATE_NOOP("ErrorCode", "Internal error at the receiving service; submit again"),
        ),
    ),
}
TABLES = tuple(_MARKED)


def marked_names(table: str) -> tuple[str, ...]:
    """The English names this module marks for translation (a test checks they match ebts.codes)."""
    return _MARKED[table][1]


def code_table(table: str) -> dict[str, str]:
    """`ebts.codes.<table>` with each name in the UI's language (the English name if not listed)."""
    context = _MARKED[table][0]
    return {code: QCoreApplication.translate(context, name) for code, name in getattr(codes, table).items()}
