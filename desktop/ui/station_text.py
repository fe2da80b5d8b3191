"""The station core's own messages, translated where the UI shows them.

The core (`desktop/station/`) is Qt-free and speaks English. The messages a clerk meets most (the
booking form's field checks, the bookings list's Answer column) are listed here, each as the
pattern of its English text and a translatable template with %1, %2… for the values it carries;
a value in a group named `term` is itself one of the core's words (a field name) and is translated
too. A message not listed is shown as the core wrote it (tests/desktop/test_translations.py checks
that every template, untranslated, gives back the English text it matches).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CONTEXT = "StationText"

# The core's field names as they appear inside its messages ("enter the date of birth").
TERMS = {
    "surname": QT_TRANSLATE_NOOP("StationText", "surname"),
    "given names": QT_TRANSLATE_NOOP("StationText", "given names"),
    "date of birth": QT_TRANSLATE_NOOP("StationText", "date of birth"),
    "sex": QT_TRANSLATE_NOOP("StationText", "sex"),
    "race": QT_TRANSLATE_NOOP("StationText", "race"),
    "place of birth": QT_TRANSLATE_NOOP("StationText", "place of birth"),
    "eye colour": QT_TRANSLATE_NOOP("StationText", "eye colour"),
    "hair colour": QT_TRANSLATE_NOOP("StationText", "hair colour"),
    "date of arrest": QT_TRANSLATE_NOOP("StationText", "date of arrest"),
    "offense date": QT_TRANSLATE_NOOP("StationText", "offense date"),
}
_TERM = "(?P<term>" + "|".join(re.escape(t) for t in TERMS) + ")"

# (pattern of the English message, template). Groups fill %1, %2… in order.
MESSAGES: list[tuple[str, str]] = [
    # desktop/station/_booking_rules.py
    (f"enter the {_TERM}", QT_TRANSLATE_NOOP("StationText", "enter the %1")),
    (
        f"no commas in the {_TERM} \\(the comma separates surname and given names\\)",
        QT_TRANSLATE_NOOP("StationText", "no commas in the %1 (the comma separates surname and given names)"),
    ),
    (
        f"the {_TERM} may hold letters of any script, spaces, - ' and \\., not (.+)",
        QT_TRANSLATE_NOOP("StationText", "the %1 may hold letters of any script, spaces, - ' and ., not %2"),
    ),
    (
        f"the {_TERM} needs at least one letter",
        QT_TRANSLATE_NOOP("StationText", "the %1 needs at least one letter"),
    ),
    (
        f"the {_TERM} must be a date like 1990-07-31 or 07/31/1990, not (.+)",
        QT_TRANSLATE_NOOP("StationText", "the %1 must be a date like 1990-07-31 or 07/31/1990, not %2"),
    ),
    (f"choose the {_TERM}", QT_TRANSLATE_NOOP("StationText", "choose the %1")),
    (f"(.+) is not a {_TERM} code", QT_TRANSLATE_NOOP("StationText", "%1 is not a %2 code")),
    ("enter the height, e\\.g\\. 5'10\"", QT_TRANSLATE_NOOP("StationText", "enter the height, e.g. 5'10\"")),
    (
        "height as feet and inches, e\\.g\\. 5'10\" or 510, not (.+)",
        QT_TRANSLATE_NOOP("StationText", "height as feet and inches, e.g. 5'10\" or 510, not %1"),
    ),
    (
        "inches must be 0 to 11, not (\\d+)",
        QT_TRANSLATE_NOOP("StationText", "inches must be 0 to 11, not %1"),
    ),
    (
        "height must be from (\\S+) to (\\S+) \\(EBTS\\)",
        QT_TRANSLATE_NOOP("StationText", "height must be from %1 to %2 (EBTS)"),
    ),
    ("enter the weight in pounds", QT_TRANSLATE_NOOP("StationText", "enter the weight in pounds")),
    (
        "weight in whole pounds, e\\.g\\. 170, not (.+)",
        QT_TRANSLATE_NOOP("StationText", "weight in whole pounds, e.g. 170, not %1"),
    ),
    (
        "weight must be from (\\d+) to (\\d+) pounds \\(EBTS\\)",
        QT_TRANSLATE_NOOP("StationText", "weight must be from %1 to %2 pounds (EBTS)"),
    ),
    (
        "surname and given names together are (\\d+) characters; EBTS allows (\\d+)",
        QT_TRANSLATE_NOOP(
            "StationText", "surname and given names together are %1 characters; EBTS allows %2"
        ),
    ),
    (
        "the date of arrest cannot be in the future",
        QT_TRANSLATE_NOOP("StationText", "the date of arrest cannot be in the future"),
    ),
    (
        "the date of birth cannot be in the future",
        QT_TRANSLATE_NOOP("StationText", "the date of birth cannot be in the future"),
    ),
    (
        "the date of birth is more than (\\d+) years ago",
        QT_TRANSLATE_NOOP("StationText", "the date of birth is more than %1 years ago"),
    ),
    (
        "the date of birth is after the date of arrest",
        QT_TRANSLATE_NOOP("StationText", "the date of birth is after the date of arrest"),
    ),
    ("enter at least one charge", QT_TRANSLATE_NOOP("StationText", "enter at least one charge")),
    (
        "the offense date cannot be in the future",
        QT_TRANSLATE_NOOP("StationText", "the offense date cannot be in the future"),
    ),
    (
        "the offense date is after the date of arrest",
        QT_TRANSLATE_NOOP("StationText", "the offense date is after the date of arrest"),
    ),
    ("describe the charge", QT_TRANSLATE_NOOP("StationText", "describe the charge")),
    (
        "at most (\\d+) characters \\(now (\\d+)\\)",
        QT_TRANSLATE_NOOP("StationText", "at most %1 characters (now %2)"),
    ),
    ("choose felony or misdemeanor", QT_TRANSLATE_NOOP("StationText", "choose felony or misdemeanor")),
    # desktop/station/responses.py: the bookings list's Answer column
    (
        "not sent yet \\((\\d+) attempt\\(s\\)\\), retrying",
        QT_TRANSLATE_NOOP("StationText", "not sent yet (%1 attempt(s)), retrying"),
    ),
    ("refused by the backend", QT_TRANSLATE_NOOP("StationText", "refused by the backend")),
    ("ICE detainer", QT_TRANSLATE_NOOP("StationText", "ICE detainer")),
    ("immigration response", QT_TRANSLATE_NOOP("StationText", "immigration response")),
    ("corrected, resubmitted", QT_TRANSLATE_NOOP("StationText", "corrected, resubmitted")),
    (
        "rejected: (\\d+) error\\(s\\) to fix",
        QT_TRANSLATE_NOOP("StationText", "rejected: %1 error(s) to fix"),
    ),
    ("identified, FBI (.*)", QT_TRANSLATE_NOOP("StationText", "identified, FBI %1")),
    ("no FBI record", QT_TRANSLATE_NOOP("StationText", "no FBI record")),
    # desktop/station/models.py: Role
    ("clerk", QT_TRANSLATE_NOOP("StationText", "clerk")),
    ("supervisor", QT_TRANSLATE_NOOP("StationText", "supervisor")),
    ("hardware-tester", QT_TRANSLATE_NOOP("StationText", "hardware-tester")),
    # desktop/station/config.py CAPTURE_PLANS and desktop/station/capture.py CapturePlan.description
    (
        "slaps, thumbs and ten rolled prints",
        QT_TRANSLATE_NOOP("StationText", "slaps, thumbs and ten rolled prints"),
    ),
    (
        "flats only \\(4-4-2 slaps and thumbs\\)",
        QT_TRANSLATE_NOOP("StationText", "flats only (4-4-2 slaps and thumbs)"),
    ),
    (
        "tenprint: right slap, left slap, both thumbs, then ten rolled prints",
        QT_TRANSLATE_NOOP(
            "StationText", "tenprint: right slap, left slap, both thumbs, then ten rolled prints"
        ),
    ),
    (
        "flats only \\(4-4-2\\): right slap, left slap and both thumbs, no rolled prints",
        QT_TRANSLATE_NOOP(
            "StationText", "flats only (4-4-2): right slap, left slap and both thumbs, no rolled prints"
        ),
    ),
]
_COMPILED = [(re.compile(pattern, re.DOTALL), template) for pattern, template in MESSAGES]


def station_text(text: str) -> str:
    """`text` from the station core in the UI's language (as written when it is not listed)."""
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        out = QCoreApplication.translate(_CONTEXT, template)
        term_index = pattern.groupindex.get("term")
        # Fill from the highest number down so %1 never eats the start of %10.
        for number in range(len(match.groups()), 0, -1):
            value = match.group(number)
            if number == term_index:
                value = QCoreApplication.translate(_CONTEXT, TERMS[value])
            out = out.replace(f"%{number}", value)
        return out
    return text
