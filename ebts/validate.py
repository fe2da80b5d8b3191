"""Check a transaction against the ANSI/NIST-ITL header rules and the EBTS CAR field rules.

`validate` lists every problem it finds (it never stops at the first), each naming the field,
the offending value and the rule, with the EBTS-style error code an ERRT would carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from ebts import codes, wsq
from ebts._codec import BINARY_FIELD
from ebts._model import Record, Transaction
from ebts.responses import ErrorItem

_ALNUM9 = re.compile(r"^[A-Z0-9]{9}$")
_NAME = re.compile(r"^[^\W\d_][\w' .\-]*,[\w' .\-]*$")
_RESOLUTION = re.compile(r"^\d{2}\.\d{2}$")
# EBTS expects 500 ppi (+-1 %) or 1000 ppi images for tenprint submissions.
_CAR_PPI = ((495, 505), (990, 1010))
_ROLLED = range(1, 11)


@dataclass(frozen=True)
class Problem:
    """One broken rule: `field` as "T.NNN MNEMONIC" (e.g. "2.024 SEX"), the value found
    ("" when missing), the rule in words, and the code an ERRT would carry."""

    field: str
    value: str
    rule: str
    code: str

    def to_error(self) -> ErrorItem:
        """The ERRT line for this problem."""
        shown = f"{self.value!r}: " if self.value else ""
        return ErrorItem(self.code, self.field, shown + self.rule)

    def __str__(self) -> str:
        shown = f" = {self.value!r}" if self.value else ""
        return f"{self.code} {self.field}{shown}: {self.rule}"


def validate(tx: Transaction) -> list[Problem]:
    """Every problem in `tx`. Header rules for any transaction; CAR rules when 1.004 TOT is CAR."""
    out: list[Problem] = []
    if not tx.records or tx.records[0].type != 1:
        return [Problem("1.001 LEN", "", "the transaction must start with a Type-1 record", "L0010")]
    _check_header(tx, out)
    if tx.tot == "CAR":
        _check_car(tx, out)
    return out


# --------------------------------------------------------------------------------------- Type-1
def _check_header(tx: Transaction, out: list[Problem]) -> None:
    h = tx.header
    for tag, name in ((2, "VER"), (4, "TOT"), (5, "DAT"), (7, "DAI"), (8, "ORI"), (9, "TCN")):
        if not h.get(tag):
            out.append(Problem(f"1.{tag:03d} {name}", "", "mandatory field is missing", "L0001"))
    ver = h.get(2)
    if ver and not re.fullmatch(r"\d{4}", ver):
        out.append(Problem("1.002 VER", ver, "must be four digits, e.g. 0500", "L0003"))
    dat = h.get(5)
    if dat and _date(dat) is None:
        out.append(Problem("1.005 DAT", dat, "must be a real date as YYYYMMDD", "L0004"))
    pry = h.get(6)
    if pry and pry not in {str(i) for i in range(1, 10)}:
        out.append(Problem("1.006 PRY", pry, "priority must be one digit 1-9", "L0011"))
    for tag, name in ((7, "DAI"), (8, "ORI")):
        value = h.get(tag)
        if value and not _ALNUM9.match(value):
            out.append(
                Problem(f"1.{tag:03d} {name}", value, "must be 9 upper-case letters or digits", "L0003")
            )
    tcn = h.get(9)
    if tcn and not 10 <= len(tcn) <= 40:
        out.append(Problem("1.009 TCN", tcn, "must be 10 to 40 characters", "L0003"))
    for tag, name in ((11, "NSR"), (12, "NTR")):
        value = h.get(tag)
        if value and not _RESOLUTION.match(value):
            out.append(Problem(f"1.{tag:03d} {name}", value, "must be pixels per mm as NN.NN", "L0003"))
    gmt = h.get(14)
    if gmt and not _gmt_ok(gmt):
        out.append(Problem("1.014 GMT", gmt, "must be UTC as YYYYMMDDhhmmssZ", "L0004"))
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
    if h.get(11) and h.get(11) != "19.69":
        out.append(Problem("1.011 NSR", h.get(11) or "", "a CAR declares 19.69 (500 ppi)", "L0011"))
    t2s = tx.of_type(2)
    if len(t2s) != 1:
        out.append(Problem("2.001 LEN", str(len(t2s)), "a CAR carries exactly one Type-2 record", "L0005"))
    if t2s:
        _check_type2(t2s[0], out)
    for other in sorted({r.type for r in tx.records} - {1, 2, 14}):
        out.append(Problem(f"{other}.001 LEN", "", f"a CAR carries no Type-{other} records", "L0008"))
    amputated = {
        int(s[0]): s[1] if len(s) > 1 else ""
        for s in (t2s[0].subfields(84) if t2s else [])
        if s and s[0].isdigit()
    }
    t14s = tx.of_type(14)
    for record in t14s:
        _check_type14(record, out)
    _check_set(t14s, amputated, out)


_T2_MANDATORY = (
    (5, "RET"), (18, "NAM"), (20, "POB"), (22, "DOB"), (24, "SEX"), (25, "RAC"), (27, "HGT"),
    (29, "WGT"), (31, "EYE"), (32, "HAI"), (45, "DOA"), (47, "ASL"), (73, "CRI"),
)  # fmt: skip
_T2_TABLES = (
    (20, "POB", codes.PLACE_OF_BIRTH), (24, "SEX", codes.SEX), (25, "RAC", codes.RACE),
    (31, "EYE", codes.EYE_COLOR), (32, "HAI", codes.HAIR_COLOR),
)  # fmt: skip


def _check_type2(r: Record, out: list[Problem]) -> None:
    for tag, name in _T2_MANDATORY:
        if not r.get(tag):
            out.append(Problem(f"2.{tag:03d} {name}", "", "mandatory field of a CAR is missing", "L0001"))
    ret = r.get(5)
    if ret and ret not in ("Y", "N"):
        out.append(Problem("2.005 RET", ret, "must be Y or N", "L0002"))
    for tag, name in ((18, "NAM"), (19, "AKA")):
        for sub in r.subfields(tag):
            value = sub[0] if sub else ""
            if value and (not _NAME.match(value) or len(value) > 50):
                out.append(
                    Problem(
                        f"2.{tag:03d} {name}",
                        value,
                        "must be LAST,FIRST MIDDLE in letters, at most 50",
                        "L0003",
                    )
                )
    for tag, name, table in _T2_TABLES:
        value = r.get(tag)
        if value and value not in table:
            out.append(Problem(f"2.{tag:03d} {name}", value, f"not a code of the {name} table", "L0002"))
    today = date.today()
    dob = _date_field(r, 22, "DOB", out)
    doa = _date_field(r, 45, "DOA", out)
    if dob and dob > today:
        out.append(Problem("2.022 DOB", r.get(22) or "", "date of birth is in the future", "L0004"))
    if doa and doa > today:
        out.append(Problem("2.045 DOA", r.get(45) or "", "date of arrest is in the future", "L0004"))
    if dob and doa and doa < dob:
        out.append(
            Problem("2.045 DOA", r.get(45) or "", "date of arrest is before the date of birth", "L0004")
        )
    hgt = r.get(27)
    if hgt and not (re.fullmatch(r"\d{3}", hgt) and 400 <= int(hgt) <= 711 and int(hgt[1:]) < 12):
        out.append(Problem("2.027 HGT", hgt, "height must be feet and inches as FII, 400 to 711", "L0011"))
    wgt = r.get(29)
    if wgt and not (re.fullmatch(r"\d{3}", wgt) and 50 <= int(wgt) <= 499):
        out.append(Problem("2.029 WGT", wgt, "weight must be pounds as three digits, 050 to 499", "L0011"))
    for n, sub in enumerate(r.subfields(47), start=1):
        doo = sub[0] if sub else ""
        literal = sub[1] if len(sub) > 1 else ""
        if doo and _date(doo) is None:
            out.append(Problem("2.047 ASL", doo, f"charge {n}: date of offense must be YYYYMMDD", "L0004"))
        if not literal.strip() or len(literal) > 300:
            out.append(
                Problem("2.047 ASL", literal, f"charge {n}: offense text of 1 to 300 characters", "L0003")
            )
    for sub in r.subfields(84):
        fgp = sub[0] if sub else ""
        code = sub[1] if len(sub) > 1 else ""
        if not fgp.isdigit() or int(fgp) not in _ROLLED:
            out.append(Problem("2.084 AMP", fgp, "finger position must be 1 to 10", "L0002"))
        if code not in codes.AMPUTATION:
            out.append(Problem("2.084 AMP", code, "must be XX (amputated) or UP (unable to print)", "L0002"))
    cri = r.get(73)
    if cri and not _ALNUM9.match(cri):
        out.append(Problem("2.073 CRI", cri, "must be 9 upper-case letters or digits", "L0003"))


_T14_MANDATORY = (
    (2, "IDC"), (3, "IMP"), (4, "SRC"), (5, "FCD"), (6, "HLL"), (7, "VLL"), (8, "SLC"), (9, "THPS"),
    (10, "TVPS"), (11, "CGA"), (12, "BPX"), (13, "FGP"),
)  # fmt: skip


def _check_type14(r: Record, out: list[Problem]) -> None:
    where = f"Type-14 IDC {r.idc or '?'}"
    for tag, name in _T14_MANDATORY:
        if not r.get(tag):
            out.append(Problem(f"14.{tag:03d} {name}", "", f"{where}: mandatory field is missing", "L0001"))
    if r.binary(BINARY_FIELD) is None:
        out.append(Problem("14.999 DATA", "", f"{where}: no image data", "L0001"))
    fgp, imp = _int(r.get(13)), _int(r.get(3))
    if r.get(13) and fgp not in codes.FINGER_POSITIONS:
        out.append(Problem("14.013 FGP", r.get(13) or "", f"{where}: not a finger position 0-15", "L0002"))
    if r.get(3) and imp not in codes.IMPRESSION_TYPES:
        out.append(
            Problem("14.003 IMP", r.get(3) or "", f"{where}: not a tenprint impression type 0-3", "L0002")
        )
    if fgp in _ROLLED and imp not in (1, 3, None):
        out.append(
            Problem(
                "14.003 IMP", r.get(3) or "", f"{where}: finger {fgp} must be a rolled impression", "L0002"
            )
        )
    if fgp is not None and fgp > 10 and imp not in (0, 2, None):
        out.append(
            Problem(
                "14.003 IMP", r.get(3) or "", f"{where}: position {fgp} must be a plain impression", "L0002"
            )
        )
    cga = r.get(11)
    if cga and cga != "WSQ20":
        out.append(Problem("14.011 CGA", cga, f"{where}: a CAR's fingerprints are WSQ20-compressed", "L0002"))
    if r.get(12) and r.get(12) != "8":
        out.append(Problem("14.012 BPX", r.get(12) or "", f"{where}: must be 8 bits per pixel", "L0011"))
    if r.get(8) == "1":
        for tag, name in ((9, "THPS"), (10, "TVPS")):
            ppi = _int(r.get(tag))
            if ppi is not None and not any(lo <= ppi <= hi for lo, hi in _CAR_PPI):
                out.append(
                    Problem(f"14.{tag:03d} {name}", str(ppi), f"{where}: must be 500 or 1000 ppi", "L0011")
                )
    elif r.get(8):
        out.append(
            Problem("14.008 SLC", r.get(8) or "", f"{where}: scale must be 1 (pixels per inch)", "L0002")
        )
    if _date(r.get(5) or "") is None and r.get(5):
        out.append(
            Problem("14.005 FCD", r.get(5) or "", f"{where}: must be a real date as YYYYMMDD", "L0004")
        )
    width, height = _int(r.get(6)), _int(r.get(7))
    data = r.binary(BINARY_FIELD)
    if data is not None and cga == "WSQ20":
        # Header check only: decoding untrusted WSQ in-process is unsafe (see ebts.wsq).
        try:
            frame = wsq.inspect(data)
        except wsq.WSQError as exc:
            out.append(Problem("14.999 DATA", "", f"{where}: {exc}", "L0006"))
        else:
            if (frame.width, frame.height) != (width, height):
                found = f"{frame.width}x{frame.height}"
                out.append(Problem("14.006 HLL", str(width), f"{where}: the WSQ image is {found}", "L0006"))
    for sub in r.subfields(24):
        value = sub[1] if len(sub) > 1 else ""
        score = _int(value)
        if score is None or not (0 <= score <= 100 or score in (254, 255)):
            out.append(Problem("14.024 FQM", value, f"{where}: quality must be 0-100, 254 or 255", "L0011"))
        elif score == 255:
            out.append(Problem("14.024 FQM", value, f"{where}: quality could not be computed (255)", "L0007"))
    if fgp in codes.SLAP_FINGERS:
        _check_segments(r, fgp, width, height, where, out)


def _check_segments(
    r: Record, fgp: int, width: int | None, height: int | None, where: str, out: list[Problem]
) -> None:
    segments = r.subfields(21)
    missing = {_int(s[0]) for s in r.subfields(18) if s}
    expected = set(codes.SLAP_FINGERS[fgp]) - missing
    found = set()
    for sub in segments:
        nums = [_int(x) for x in sub]
        if len(nums) != 5 or None in nums:
            out.append(
                Problem(
                    "14.021 SEG",
                    "/".join(sub),
                    f"{where}: segment must be FGP,left,right,top,bottom",
                    "L0003",
                )
            )
            continue
        finger, left, right, top, bottom = nums
        found.add(finger)
        if finger not in codes.SLAP_FINGERS[fgp]:
            out.append(
                Problem("14.021 SEG", str(finger), f"{where}: finger {finger} is not in slap {fgp}", "L0009")
            )
        if not (0 <= left < right and 0 <= top < bottom) or (
            width and height and (right > width or bottom > height)
        ):
            out.append(
                Problem("14.021 SEG", "/".join(sub), f"{where}: segment box is not inside the image", "L0011")
            )
    for finger in sorted(expected - found):
        out.append(
            Problem(
                "14.021 SEG", str(finger), f"{where}: slap {fgp} has no segment for finger {finger}", "L0005"
            )
        )


def is_flats_only(tx: Transaction) -> bool:
    """True when the CAR has Type-14 images but none of a single finger (FGP 1-10): identification flats."""
    t14s = tx.of_type(14)
    return bool(t14s) and not any(_int(r.get(13)) in _ROLLED for r in t14s)


def _check_set(t14s: list[Record], amputated: dict[int, str], out: list[Problem]) -> None:
    """The CAR's fingerprint set: a tenprint set, or identification flats when no rolled print is sent.

    Tenprint: ten rolled fingers (or 2.084 AMP codes), both four-finger slaps and both thumbs.

    Identification flats (no Type-14 with FGP 1-10): EBTS 10.0 onwards lets a tenprint
    identification submission, CAR included, carry only the three plain "4-4-2" impressions:
    right slap (FGP 13), left slap (14) and both thumbs (15, or plain thumbs 11 and 12), each a
    plain impression (IMP 0 or 2), with every slap finger located by a segment (14.021 SEG; the
    polygon 14.025 ASEG is optional) so the FBI can cut out and search each finger. This is the
    rule as we read EBTS (10.0/11.x, tenprint identification submissions and the identification
    flats); the FBI's text was not at hand in this repository. Our reading of the consequence:
    each finger 1-10 must then be shown by a segment or a plain thumb, or declared amputated or
    unprintable (2.084 AMP or the slap's 14.018 AMP), never both.
    """
    positions = [_int(r.get(13)) for r in t14s]
    for fgp in sorted({p for p in positions if p is not None and positions.count(p) > 1}):
        out.append(Problem("14.013 FGP", str(fgp), f"finger position {fgp} appears more than once", "L0005"))
    present = set(positions)
    if t14s and not present & set(_ROLLED):
        _check_flats(t14s, present, amputated, out)
        return
    for fgp in _ROLLED:
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
                Problem("14.013 FGP", str(fgp), f"no rolled {name} and no 2.084 AMP code for it", "L0005")
            )
    for slap in (13, 14):
        if slap not in present:
            out.append(
                Problem(
                    "14.013 FGP",
                    str(slap),
                    f"the {codes.FINGER_POSITIONS[slap].lower()} slap is missing",
                    "L0005",
                )
            )
    if not ({11, 12} <= present or 15 in present):
        out.append(
            Problem("14.013 FGP", "11/12/15", "the plain thumbs (11 and 12, or 15) are missing", "L0005")
        )


def _check_flats(
    t14s: list[Record], present: set[int | None], amputated: dict[int, str], out: list[Problem]
) -> None:
    """Identification flats: both slaps, the thumbs, and every finger segmented or declared missing.
    A slap (or the thumbs) whose fingers are all declared in 2.084 AMP has nothing to show."""
    for slap in (13, 14):
        if slap not in present and not set(codes.SLAP_FINGERS[slap]) <= set(amputated):
            out.append(
                Problem(
                    "14.013 FGP",
                    str(slap),
                    f"flats only: the {codes.FINGER_POSITIONS[slap].lower()} slap is missing",
                    "L0005",
                )
            )
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
    # A slap finger without a segment or a 14.018 AMP code is reported by _check_segments; what
    # is left is a finger both declared missing (2.084 AMP) and shown.
    shown: set[int] = set()
    for r in t14s:
        fgp = _int(r.get(13))
        if fgp in (11, 12):
            shown.add(1 if fgp == 11 else 6)
        elif fgp in codes.SLAP_FINGERS:
            shown |= {_int(s[0]) for s in r.subfields(21) if s} & set(codes.SLAP_FINGERS[fgp])
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
def _date(text: str) -> date | None:
    if not re.fullmatch(r"\d{8}", text or ""):
        return None
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _date_field(r: Record, tag: int, name: str, out: list[Problem]) -> date | None:
    text = r.get(tag)
    if not text:
        return None
    value = _date(text)
    if value is None:
        out.append(Problem(f"2.{tag:03d} {name}", text, "must be a real date as YYYYMMDD", "L0004"))
    return value


def _gmt_ok(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y%m%d%H%M%SZ")
        return True
    except ValueError:
        return False


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
