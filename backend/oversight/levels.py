"""The offense level of a booking's current charges, as ICE's Secure Communities reports count them.

A CAR carries each charge as text only (2.047 ASL: date of offense and offense literal); it has no
offense code. The level is therefore read from the literal by the patterns below, first match
wins, Level 1 before Level 2 before Level 3, and a booking takes the level of its gravest charge:

- **Level 1**: aggravated felonies and major crimes against people (homicide, kidnapping, sexual
  assault, robbery, aggravated assault, threats and extortion, exploitation of minors, major drug
  offenses: trafficking, sale, manufacture), and weapons trafficking;
- **Level 2**: other felonies: burglary, arson, grand theft and fraud, forgery, vehicle theft,
  possession of a controlled substance, weapons possession;
- **Level 3**: misdemeanors and lesser offenses: petty theft, driving under the influence and other
  traffic offenses, trespass, simple assault, disorderly conduct, and the like.

A literal that none matches is `UNCLASSIFIED` and is counted as such (never guessed). Agencies that
write their own literals should check `classify` on a sample (`booking-station report oversight`
lists the unclassified literals it met).
"""

from __future__ import annotations

import re

LEVEL_1, LEVEL_2, LEVEL_3, UNCLASSIFIED = "L1", "L2", "L3", "unclassified"
#: Gravest first; the order a booking's level is chosen in.
LEVELS = (LEVEL_1, LEVEL_2, LEVEL_3, UNCLASSIFIED)
LABELS = {LEVEL_1: "Level 1", LEVEL_2: "Level 2", LEVEL_3: "Level 3", UNCLASSIFIED: "unclassified"}

_PATTERNS: tuple[tuple[str, str], ...] = (
    (LEVEL_1, r"HOMICIDE|MURDER|MANSLAUGHTER|KIDNAP|ABDUCT|RAPE|SEX(UAL)? ASSAULT|SEXUAL ABUSE|"
              r"SEXUAL BATTERY|ROBBERY|CARJACK|AGG(RAVATED|\.)? (ASSAULT|BATTERY)|ASSAULT WITH (A )?DEADLY|"
              r"TERRORIS|EXTORTION|THREAT|CHILD (PORN|EXPLOIT|ABUSE)|EXPLOITATION OF A MINOR|"
              r"TRAFFICKING|DISTRIBUT|SALE OF|MANUFACTUR|SMUGGLING|ARMED"),
    (LEVEL_2, r"BURGLARY|ARSON|GRAND THEFT|LARCENY|THEFT OF (A )?VEHICLE|VEHICLE THEFT|AUTO THEFT|"
              r"STOLEN (PROPERTY|VEHICLE)|FRAUD|FORGERY|COUNTERFEIT|EMBEZZL|MONEY LAUNDERING|"
              r"IDENTITY THEFT|POSSESSION OF (A )?CONTROLLED|CONTROLLED SUBSTANCE|WEAPON|FIREARM|"
              r"FELONY|EVADING ARREST|ESCAPE"),
    (LEVEL_3, r"PETTY THEFT|SHOPLIFT|THEFT|DRIVING|DUI|DWI|TRAFFIC|SPEEDING|LICEN[CS]E|TRESPASS|"
              r"SIMPLE ASSAULT|ASSAULT|BATTERY|DISORDERLY|LOITER|VANDALISM|MISCHIEF|PUBLIC (INTOX|"
              r"DRUNK)|PROSTITUT|SOLICIT|RESISTING|OBSTRUCT|MARIJUANA|PARAPHERNALIA|MISDEMEANOR|"
              r"FAILURE TO APPEAR|VIOLATION|NOISE|GAMBLING|CURFEW"),
)  # fmt: skip
_COMPILED = tuple((level, re.compile(pattern)) for level, pattern in _PATTERNS)


def classify(literal: str) -> str:
    """The level of one charge literal (case and spacing do not matter)."""
    text = " ".join((literal or "").upper().split())
    for level, pattern in _COMPILED:
        if pattern.search(text):
            return level
    return UNCLASSIFIED


def gravest(literals: list[str] | tuple[str, ...]) -> str:
    """The level of a booking: its gravest classified charge, `UNCLASSIFIED` when none is classified."""
    found = {classify(literal) for literal in literals}
    return next((level for level in LEVELS if level in found), UNCLASSIFIED)


#: Sample literals of each level (the demo's charges; the tests check they classify as listed).
EXAMPLES: dict[str, tuple[str, ...]] = {
    LEVEL_1: ("ROBBERY", "AGGRAVATED ASSAULT", "SEXUAL ASSAULT", "DRUG TRAFFICKING", "KIDNAPPING"),
    LEVEL_2: ("BURGLARY - RESIDENCE", "POSSESSION OF CONTROLLED SUBSTANCE", "GRAND THEFT", "FRAUD",
              "UNLAWFUL POSSESSION OF A FIREARM"),
    LEVEL_3: ("PETTY THEFT", "DRIVING UNDER THE INFLUENCE", "TRESPASS", "SIMPLE ASSAULT",
              "DRIVING WITHOUT A LICENSE", "DISORDERLY CONDUCT", "LOITERING"),
}  # fmt: skip
#: The charges of the extra, pretextual arrests the demo's profiling injects.
PRETEXT_CHARGES = ("DRIVING WITHOUT A LICENSE", "TRESPASS", "LOITERING", "TRAFFIC VIOLATION")
