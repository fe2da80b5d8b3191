"""Build a Criminal Tenprint Submission, Answer Required (TOT CAR).

The input is ebts's own plain dataclasses: the station maps its booking onto `Submission`, so
ebts imports nothing of ours and the mapping lives in one place on the station side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np

from ebts import wsq
from ebts._codec import write
from ebts._header import FBI_ORI, type1
from ebts._model import Record, Transaction

# FQM (14.024) quality-algorithm identity. Our quality measure is NFIQ 2-style but not NFIQ 2, so
# it must not claim NIST's registered vendor id: FFFF/1 marks a locally defined algorithm.
QUALITY_VENDOR = "FFFF"
QUALITY_PRODUCT = "1"


@dataclass(frozen=True)
class Segment:
    """Where one finger lies in a slap image (pixels of that image): 14.021 SEG."""

    fgp: int
    left: int
    right: int
    top: int
    bottom: int
    quality: int | None = None


@dataclass(frozen=True)
class FingerImage:
    """One captured impression: a rolled finger (FGP 1-10, rolled=True), a plain thumb (11, 12) or
    a slap (13, 14, 15 with its segments). `image` is 2-D uint8, dark ridges on light."""

    fgp: int
    image: np.ndarray
    ppi: float
    rolled: bool
    quality: int | None = None  # 0-100, from matcher.quality
    segments: tuple[Segment, ...] = ()
    captured: date | None = None
    missing: Mapping[int, str] = field(default_factory=dict)  # slap fingers absent: fgp -> XX/UP


@dataclass(frozen=True)
class Charge:
    """One arrest offense: 2.047 ASL (date of offense and the offense as text)."""

    literal: str
    offense_date: date | None = None


@dataclass(frozen=True)
class Submission:
    """Everything a CAR carries. Codes are the NCIC codes of `ebts.codes`."""

    tcn: str  # from ebts.new_tcn, stored with the booking and reused on every resend
    ori: str  # the submitting agency (9 characters)
    last_name: str
    first_name: str
    date_of_birth: date
    sex: str
    race: str
    place_of_birth: str
    height_inches: int
    weight_pounds: int
    eye_color: str
    hair_color: str
    arrest_date: date
    charges: Sequence[Charge]
    images: Sequence[FingerImage]
    middle_name: str = ""
    aliases: Sequence[str] = ()
    citizenship: Sequence[str] = ()
    amputated: Mapping[int, str] = field(default_factory=dict)  # fgp 1-10 -> "XX" or "UP"
    controlling_agency: str | None = None  # 2.073 CRI, defaults to the ORI
    retain: bool = True  # 2.005 RET: keep the prints in the FBI's files
    priority: int = 4
    destination: str = FBI_ORI
    created: datetime | None = None


def format_name(last: str, first: str, middle: str = "") -> str:
    """EBTS NAM: "LAST,FIRST MIDDLE"."""
    given = " ".join(p for p in (first.strip(), middle.strip()) if p)
    return f"{last.strip()},{given}"


def format_height(inches: int) -> str:
    """EBTS HGT: feet then two digits of inches, e.g. 70 in -> "510"."""
    feet, rest = divmod(int(inches), 12)
    return f"{feet}{rest:02d}"


def build_car(submission: Submission) -> bytes:
    """Encode a submission as EBTS bytes (Type-1, Type-2, one Type-14 per image, WSQ at 15:1)."""
    return write(car_transaction(submission))


def car_transaction(s: Submission) -> Transaction:
    """The CAR as a Transaction (for inspection before writing)."""
    when = s.created or datetime.now(UTC)
    header = type1(tot="CAR", dai=s.destination, ori=s.ori, tcn=s.tcn, when=when, priority=s.priority)
    records = [header, _type2(s, when)]
    for n, image in enumerate(s.images, start=1):
        records.append(_type14(image, n, s.ori, when))
    return Transaction(records)


def _type2(s: Submission, when: datetime) -> Record:
    r = Record(2)
    r.set(2, "00")
    r.set(5, "Y" if s.retain else "N")
    r.set(18, format_name(s.last_name, s.first_name, s.middle_name))
    for alias in s.aliases:
        r.add_subfield(19, alias)
    r.set(20, s.place_of_birth)
    for country in s.citizenship:
        r.add_subfield(21, country)
    r.set(22, s.date_of_birth.strftime("%Y%m%d"))
    r.set(24, s.sex)
    r.set(25, s.race)
    r.set(27, format_height(s.height_inches))
    r.set(29, f"{int(s.weight_pounds):03d}")
    r.set(31, s.eye_color)
    r.set(32, s.hair_color)
    r.set(38, when.astimezone(UTC).strftime("%Y%m%d"))  # DPR: date printed
    r.set(45, s.arrest_date.strftime("%Y%m%d"))
    for charge in s.charges:
        r.add_subfield(
            47, charge.offense_date.strftime("%Y%m%d") if charge.offense_date else "", charge.literal
        )
    r.set(70, "Y")  # RAP: an electronic rap sheet is wanted with the answer
    r.set(73, [s.controlling_agency or s.ori])
    for fgp, code in sorted(s.amputated.items()):
        r.add_subfield(84, f"{fgp:02d}", code)
    return r


def _type14(f: FingerImage, idc: int, ori: str, when: datetime) -> Record:
    rows, cols = f.image.shape
    ppi = round(f.ppi)
    r = Record(14)
    r.set(2, f"{idc:02d}")
    r.set(3, "1" if f.rolled else "0")  # live-scan rolled / live-scan plain
    r.set(4, [ori])
    r.set(5, (f.captured or when.astimezone(UTC).date()).strftime("%Y%m%d"))
    r.set(6, str(cols))
    r.set(7, str(rows))
    r.set(8, "1")  # SLC: scale in pixels per inch
    r.set(9, str(ppi))
    r.set(10, str(ppi))
    r.set(11, "WSQ20")
    r.set(12, "8")
    r.set(13, [[str(f.fgp)]])
    for fgp, code in sorted(f.missing.items()):
        r.add_subfield(18, str(fgp), code)
    for seg in f.segments:
        r.add_subfield(21, str(seg.fgp), str(seg.left), str(seg.right), str(seg.top), str(seg.bottom))
    if f.segments and any(seg.quality is not None for seg in f.segments):
        for seg in f.segments:
            r.add_subfield(24, str(seg.fgp), _quality(seg.quality), QUALITY_VENDOR, QUALITY_PRODUCT)
    else:
        r.add_subfield(24, str(f.fgp), _quality(f.quality), QUALITY_VENDOR, QUALITY_PRODUCT)
    r.set(999, wsq.encode(f.image, f.ppi))
    return r


def _quality(score: int | None) -> str:
    return "254" if score is None else str(int(score))  # 254: not computed
