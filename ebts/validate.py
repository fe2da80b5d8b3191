"""Check a transaction against the ANSI/NIST-ITL header rules and the EBTS CAR rules.

`validate` lists every problem it finds (it never stops at the first, and it never raises: any
transaction `parse` returns can be validated), each naming the field, the offending value and
the rule, with the EBTS-style error code an ERRT carries (`codes.ERROR_CODES`).

Sources of the CAR rules, cited beside each rule:
- EBTS 9.1: FBI CJIS, Electronic Biometric Transmission Specification, IAFIS-DOC-01078-9.1 (May
  2010): the record set of the tenprint identification submissions, CAR among them (the record
  types a CAR may carry and how many: `CAR_RECORD_SET`), Table D-1 for the Type-2 fields, and the
  2.084 AMP rule for missing fingers. The FBI's text was not at hand in this repository; the
  record set is as transcribed in OpenEBTS's EBTS 9.1 verification file (EBTS9.1_ENUS.txt,
  `1:1 2:1 414:1-14 10:0-4 713:0-2 15:0-8`).
- EBTS 10.0 (IAFIS-DOC-01078-10.0, 2011) for the identification flats and the iris record.
- ANSI/NIST-ITL 1-2011 ("ITL 2011") for the header, the record layouts and the code tables.
Where a rule is our reading rather than the text, its comment says so. This module holds the
transaction-level rules (Type-1, the record set, the fingerprint set); the field rules of each
record (Type-2, Type-4, Type-14, Type-10, Type-15) are in `ebts/_record_rules.py`, cited the same
way. Codes: `codes.ERROR_CODES` (L0001 missing, L0002 not in the code table, L0003 format, L0004
date, L0005 fingerprint set, L0006 image, L0007 quality, L0011 range, L0012 record set).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ebts import codes
from ebts._model import Transaction
from ebts._problem import Problem
from ebts._record_rules import (
    ROLLED,
    amputations,
    check_finger_record,
    check_type2,
    check_type10,
    check_type15,
    parse_date,
)
from ebts.finger_records import FingerRecord, finger_records

__all__ = ["CAR_RECORD_SET", "Problem", "RecordRule", "is_flats_only", "validate"]

log = logging.getLogger(__name__)

_ALNUM9 = re.compile(r"[A-Z0-9]{9}", re.ASCII)
_RESOLUTION = re.compile(r"[0-9]{2}\.[0-9]{2}", re.ASCII)
# Code of a problem the validator found in itself (a bug), never one of the transaction's.
INTERNAL = "L0010"


@dataclass(frozen=True)
class RecordRule:
    """How many records of `types` (counted together) a CAR carries, and why."""

    types: tuple[int, ...]
    least: int
    most: int
    what: str
    source: str


_EBTS91 = "EBTS 9.1, tenprint identification record set"
# Which logical records a CAR may carry and how many. A type not listed is refused (L0012).
CAR_RECORD_SET: tuple[RecordRule, ...] = (
    RecordRule((2,), 1, 1, "descriptive (Type-2) record", _EBTS91),
    RecordRule((4, 14), 1, 14, "fingerprint image records (Type-4 and Type-14 together)", _EBTS91),
    RecordRule((10,), 0, 4, "photo records (Type-10: face, scar, mark, tattoo)", _EBTS91),
    RecordRule((7, 13), 0, 2, "latent or user-defined image records (Type-7 and Type-13 together)", _EBTS91),
    RecordRule((15,), 0, 8, "palm print records (Type-15)", _EBTS91),
    # Our reading: EBTS 10.0 added the Type-17 iris record to the identification submissions;
    # a person has two irises.
    RecordRule((17,), 0, 2, "iris records (Type-17)", "EBTS 10.0 (our reading)"),
)
_RECORD_CHECKS: dict[int, Callable] = {10: check_type10, 15: check_type15}


def validate(tx: Transaction) -> list[Problem]:
    """Every problem in `tx`. Header rules for any transaction; CAR rules when 1.004 TOT is CAR."""
    if not tx.records or tx.records[0].type != 1:
        return [Problem("1.001 LEN", "", "the transaction must start with a Type-1 record", "L0010")]
    out: list[Problem] = []
    _guarded("the Type-1 record", _check_header, tx, out)
    if tx.tot == "CAR":
        _guarded("the CAR's records", _check_car, tx, out)
    return out


def _guarded(
    what: str, check: Callable[[Transaction, list[Problem]], None], tx: Transaction, out: list
) -> None:
    """Run one group of rules; a defect in a rule becomes a problem saying so, never an exception
    (the backend must answer every transaction). The fuzz tests fail on such a problem."""
    try:
        check(tx, out)
    except Exception as exc:  # noqa: BLE001 - reported, logged, never swallowed silently
        log.exception("validator defect while checking %s", what)
        out.append(
            Problem(
                "-", "", f"{what} could not be checked (validator defect: {type(exc).__name__})", INTERNAL
            )
        )


# --------------------------------------------------------------------------------------- Type-1
def _check_header(tx: Transaction, out: list[Problem]) -> None:
    """ITL 2011 Type-1, with EBTS 9.1 Table D-1's lengths (TCN 10-40, DAI and ORI 9)."""
    h = tx.header
    for tag, name in ((2, "VER"), (4, "TOT"), (5, "DAT"), (7, "DAI"), (8, "ORI"), (9, "TCN")):
        if not h.get(tag):
            out.append(Problem(f"1.{tag:03d} {name}", "", "mandatory field is missing", "L0001"))
    ver = h.get(2)
    if ver and not re.fullmatch(r"[0-9]{4}", ver):
        out.append(Problem("1.002 VER", ver, "must be four digits, e.g. 0500", "L0003"))
    dat = h.get(5)
    if dat and parse_date(dat) is None:
        out.append(Problem("1.005 DAT", dat, "must be a real date as YYYYMMDD", "L0004"))
    pry = h.get(6)
    if pry and pry not in {str(i) for i in range(1, 10)}:
        out.append(Problem("1.006 PRY", pry, "priority must be one digit 1-9", "L0011", ("1-9",)))
    for tag, name in ((7, "DAI"), (8, "ORI")):
        value = h.get(tag)
        if value and not _ALNUM9.fullmatch(value):
            out.append(
                Problem(f"1.{tag:03d} {name}", value, "must be 9 upper-case letters or digits", "L0003")
            )
    tcn = h.get(9)
    if tcn and not 10 <= len(tcn) <= 40:
        out.append(Problem("1.009 TCN", tcn[:50], "must be 10 to 40 characters", "L0003"))
    for tag, name in ((11, "NSR"), (12, "NTR")):
        value = h.get(tag)
        if value and not _RESOLUTION.fullmatch(value):
            out.append(Problem(f"1.{tag:03d} {name}", value[:20], "must be pixels per mm as NN.NN", "L0003"))
    gmt = h.get(14)
    if gmt and not _gmt_ok(gmt):
        out.append(Problem("1.014 GMT", gmt[:20], "must be UTC as YYYYMMDDhhmmssZ", "L0004"))
    if tx.encoding not in ("ascii",) and not h.get(15):
        out.append(
            Problem(
                "1.015 DCS",
                "",
                f"text is not ASCII ({tx.encoding}) but no character set is declared",
                "L0001",
            )
        )


# ---------------------------------------------------------------------------------------- CAR
def _check_car(tx: Transaction, out: list[Problem]) -> None:
    h = tx.header
    # EBTS Appendix F: a CAR's images are scanned at 500 ppi, 19.69 pixels per mm.
    if h.get(11) and h.get(11) != "19.69":
        out.append(
            Problem("1.011 NSR", h.get(11) or "", "a CAR declares 19.69 (500 ppi)", "L0011", ("19.69",))
        )
    _check_record_set(tx, out)
    t2 = tx.first(2)
    if t2 is not None:
        check_type2(t2, out)
    fingers = finger_records(tx)
    for f in fingers:
        check_finger_record(f, out)
    for record in tx.records:
        check = _RECORD_CHECKS.get(record.type)
        if check:
            check(record, out)
    _check_set(fingers, amputations(t2), out)


def _check_record_set(tx: Transaction, out: list[Problem]) -> None:
    """CAR_RECORD_SET: each kind of record within its count; any other record type refused."""
    present = [r.type for r in tx.records[1:]]
    allowed = {t for rule in CAR_RECORD_SET for t in rule.types}
    for rule in CAR_RECORD_SET:
        found = sum(1 for t in present if t in rule.types)
        if not rule.least <= found <= rule.most:
            span = str(rule.most) if rule.least == rule.most else f"{rule.least} to {rule.most}"
            field = f"{rule.types[0]}.001 LEN"
            out.append(
                Problem(field, str(found), f"a CAR carries {span} {rule.what} ({rule.source})", "L0012")
            )
    for other in sorted(set(present) - allowed):
        out.append(
            Problem(f"{other}.001 LEN", "", f"a CAR carries no Type-{other} records ({_EBTS91})", "L0012")
        )


def is_flats_only(tx: Transaction) -> bool:
    """True when the CAR has fingerprint images but none of a single finger (FGP 1-10): identification flats."""
    fingers = finger_records(tx)
    return bool(fingers) and not any(f.fgp in ROLLED for f in fingers)


def _check_set(fingers: list[FingerRecord], amputated: dict[int, str], out: list[Problem]) -> None:
    """The CAR's fingerprint set, Type-4 and Type-14 records alike: a tenprint set, or
    identification flats when no rolled print is sent.

    Tenprint (EBTS 9.1, tenprint identification submissions: 14 images): the ten rolled fingers
    (FGP 1-10), both four-finger slaps (13, 14) and both plain thumbs (11 and 12, or 15 in a
    Type-14). EBTS 9.1, 2.084 AMP: "to be used any time there are fewer than ten printable fingers
    in a tenprint submission", XX amputated, UP unable to print. Our reading of the consequences:
    a finger declared in 2.084 has no rolled image; a slap all of whose fingers are declared, and
    the plain image of a declared thumb, need not be sent.

    Identification flats (EBTS 10.0 onwards; our reading): no image of a single finger, only the
    three plain "4-4-2" impressions: right slap (13), left slap (14) and both thumbs (15, or plain
    thumbs 11 and 12), each a plain impression, with every slap finger located by a segment
    (14.021 SEG; the polygon 14.025 ASEG is optional) so each finger can be cut out and searched.
    Each finger 1-10 must then be shown by a segment or a plain thumb, or declared amputated or
    unprintable (2.084 AMP or the slap's 14.018 AMP), never both. Type-4 records cannot carry
    segments, so flats are Type-14 records.
    """
    positions = [f.fgp for f in fingers]
    for fgp in sorted({p for p in positions if p is not None and positions.count(p) > 1}):
        where = "/".join(sorted({f.field("fgp") for f in fingers if f.fgp == fgp}))
        out.append(Problem(where, str(fgp), f"finger position {fgp} appears more than once", "L0005"))
    present = set(positions)
    fgp_field = fingers[0].field("fgp") if fingers else "14.013 FGP"
    if fingers and not present & set(ROLLED):
        _check_flats(fingers, present, amputated, out)
        return
    for fgp in ROLLED:
        if fgp in present and fgp in amputated:
            out.append(
                Problem(
                    "2.084 AMP",
                    str(fgp),
                    f"finger {fgp} is declared {amputated[fgp]} but has an image",
                    "L0005",
                )
            )
        elif fgp not in present and fgp not in amputated:
            name = codes.FINGER_POSITIONS[fgp].lower()
            out.append(
                Problem(fgp_field, str(fgp), f"no rolled {name} and no 2.084 AMP code for it", "L0005")
            )
    for slap in (13, 14):
        if slap not in present and not set(codes.SLAP_FINGERS[slap]) <= set(amputated):
            name = codes.FINGER_POSITIONS[slap].lower()
            out.append(Problem(fgp_field, str(slap), f"the {name} slap is missing", "L0005"))
    if 15 not in present:
        both = " (or 15, both thumbs)" if any(f.type == 14 for f in fingers) else ""
        for thumb, finger in ((11, 1), (12, 6)):
            if thumb not in present and finger not in amputated:
                name = codes.FINGER_POSITIONS[thumb].lower()
                out.append(Problem(fgp_field, str(thumb), f"the {name}{both} is missing", "L0005"))


def _check_flats(
    fingers: list[FingerRecord], present: set[int | None], amputated: dict[int, str], out: list[Problem]
) -> None:
    for f in fingers:
        if f.type == 4:
            out.append(
                Problem(
                    "4.004 FGP",
                    str(f.fgp),
                    f"{f.where}: identification flats are Type-14 records with 14.021 SEG (no rolled prints were sent)",
                    "L0005",
                )
            )
    for slap in (13, 14):
        if slap not in present and not set(codes.SLAP_FINGERS[slap]) <= set(amputated):
            name = codes.FINGER_POSITIONS[slap].lower()
            out.append(Problem("14.013 FGP", str(slap), f"flats only: the {name} slap is missing", "L0005"))
    both = set(codes.SLAP_FINGERS[15])
    thumbs = both if 15 in present else {f for fgp, f in ((11, 1), (12, 6)) if fgp in present}
    if both - set(amputated) - thumbs:
        out.append(
            Problem(
                "14.013 FGP",
                "11/12/15",
                "flats only: the plain thumbs (11 and 12, or 15) are missing",
                "L0005",
            )
        )
    # A slap finger without a segment or a 14.018 AMP code is reported by the segment rule; what
    # is left is a finger both declared missing (2.084 AMP) and shown.
    shown: set[int] = set()
    for f in fingers:
        if f.fgp in (11, 12):
            shown.add(1 if f.fgp == 11 else 6)
        elif f.fgp in codes.SLAP_FINGERS:
            shown |= {s[0] for s in f.segments} & set(codes.SLAP_FINGERS[f.fgp])
    for finger in sorted(shown & set(amputated)):
        out.append(
            Problem(
                "2.084 AMP",
                str(finger),
                f"flats only: finger {finger} is declared {amputated[finger]} but a slap shows it",
                "L0005",
            )
        )


# -------------------------------------------------------------------------------------- helpers
def _gmt_ok(text: str) -> bool:
    if not re.fullmatch(r"[0-9]{14}Z", text):
        return False
    try:
        datetime.strptime(text, "%Y%m%d%H%M%SZ")
        return True
    except ValueError:
        return False
