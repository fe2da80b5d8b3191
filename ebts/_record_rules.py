"""Field rules of the records a CAR carries: Type-2 demographics, Type-4 and Type-14 fingerprints,
Type-10 photos and Type-15 palms. `ebts.validate` decides which records a CAR holds and whether
its fingerprint set is complete; this module checks each record on its own.

Sources, cited beside each rule:
- EBTS 9.1: FBI CJIS, Electronic Biometric Transmission Specification, IAFIS-DOC-01078-9.1
  (May 2010), Table D-1 "Summary Field Lists for Identification and Verification Transactions"
  (which Type-2 fields a CAR must carry) and the field descriptions of Appendix C.
- ITL 2011: ANSI/NIST-ITL 1-2011, Table 7 (impression types), Table 8 (finger positions), Table 15
  (compression codes) and the Type-4/10/14/15 record layouts.
Rules marked "our reading" are this project's interpretation where the text was not at hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from ebts import codes, wsq
from ebts._codec import BINARY_FIELD
from ebts._model import Record
from ebts._problem import Problem, ascii_int
from ebts.finger_records import FingerRecord

_ALNUM9 = re.compile(r"[A-Z0-9]{9}", re.ASCII)
_NAME = re.compile(r"[^\W\d_][\w' .\-]*,[\w' .\-]*")
# EBTS Appendix F: tenprint images at 500 ppi (+-1 %) or 1000 ppi (+-1 %).
PPI_RANGES = ((495, 505), (990, 1010))
_PPI = ("500 ppi", "1000 ppi")  # what a range problem says it accepts (Problem.allowed)
_FQM = ("0-100", "254", "255")
ROLLED = range(1, 11)
Out = list[Problem]
Check = Callable[..., None]

# EBTS 9.1 Table D-1: the Type-2 fields a CAR must carry.
_T2_MANDATORY = (
    (5, "RET"), (18, "NAM"), (20, "POB"), (22, "DOB"), (24, "SEX"), (25, "RAC"), (27, "HGT"),
    (29, "WGT"), (31, "EYE"), (32, "HAI"), (45, "DOA"), (47, "ASL"), (73, "CRI"),
)  # fmt: skip
# EBTS 9.1 Appendix C, with the NCIC code tables it names.
_T2_TABLES = (
    (20, "POB", codes.PLACE_OF_BIRTH), (24, "SEX", codes.SEX), (25, "RAC", codes.RACE),
    (31, "EYE", codes.EYE_COLOR), (32, "HAI", codes.HAIR_COLOR),
)  # fmt: skip


# ------------------------------------------------------------------------------------- Type-2
def check_type2(r: Record, out: Out) -> None:
    if not r.get(2):  # EBTS 9.1 Table D-1 / ITL 2011: 2.002 IDC is mandatory in every Type-2
        out.append(Problem("2.002 IDC", "", "mandatory field is missing", "L0001"))
    for tag, name in _T2_MANDATORY:
        if not r.get(tag):
            out.append(Problem(f"2.{tag:03d} {name}", "", "mandatory field of a CAR is missing", "L0001"))
    ret = r.get(5)
    if ret and ret not in ("Y", "N"):
        out.append(Problem("2.005 RET", ret, "must be Y or N", "L0002"))
    for tag, name in ((18, "NAM"), (19, "AKA")):
        for sub in r.subfields(tag):
            value = sub[0] if sub else ""
            if value and (not _NAME.fullmatch(value) or len(value) > 50):
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
    hgt = r.get(27)  # EBTS 9.1 Appendix C, 2.027 HGT: feet and inches, 400 to 711
    height = ascii_int(hgt) if hgt and len(hgt) == 3 else None
    if hgt and not (height is not None and 400 <= height <= 711 and height % 100 < 12):
        out.append(
            Problem(
                "2.027 HGT", hgt, "height must be feet and inches as FII, 400 to 711", "L0011", ("400-711",)
            )
        )
    wgt = r.get(29)  # 2.029 WGT: pounds, three digits
    weight = ascii_int(wgt) if wgt and len(wgt) == 3 else None
    if wgt and not (weight is not None and 50 <= weight <= 499):
        out.append(
            Problem(
                "2.029 WGT", wgt, "weight must be pounds as three digits, 050 to 499", "L0011", ("050-499",)
            )
        )
    for n, sub in enumerate(r.subfields(47), start=1):  # 2.047 ASL: date of offense, offense literal
        doo = sub[0] if sub else ""
        literal = sub[1] if len(sub) > 1 else ""
        if doo and parse_date(doo) is None:
            out.append(Problem("2.047 ASL", doo, f"charge {n}: date of offense must be YYYYMMDD", "L0004"))
        if not literal.strip() or len(literal) > 300:
            out.append(
                Problem("2.047 ASL", literal, f"charge {n}: offense text of 1 to 300 characters", "L0003")
            )
    for sub in r.subfields(84):  # 2.084 AMP: finger 01-10 and XX or UP
        fgp = sub[0] if sub else ""
        code = sub[1] if len(sub) > 1 else ""
        if ascii_int(fgp) not in ROLLED:
            out.append(Problem("2.084 AMP", fgp, "finger position must be 1 to 10", "L0002"))
        if code not in codes.AMPUTATION:
            out.append(Problem("2.084 AMP", code, "must be XX (amputated) or UP (unable to print)", "L0002"))
    cri = r.get(73)
    if cri and not _ALNUM9.fullmatch(cri):
        out.append(Problem("2.073 CRI", cri, "must be 9 upper-case letters or digits", "L0003"))


def amputations(t2: Record | None) -> dict[int, str]:
    """2.084 AMP as finger -> XX/UP (entries that are not a finger 1-10 are the field rule's business)."""
    found = {}
    for sub in t2.subfields(84) if t2 is not None else []:
        finger = ascii_int(sub[0].strip()) if sub else None
        if finger in ROLLED:
            found[finger] = sub[1] if len(sub) > 1 else ""
    return found


# ----------------------------------------------------------------------------- Type-4, Type-14
# ITL 2011 Type-14 mandatory fields (EBTS 9.1 lists the same for 14.001-14.013 and 14.999).
_T14_MANDATORY = (
    (2, "IDC"), (3, "IMP"), (4, "SRC"), (5, "FCD"), (6, "HLL"), (7, "VLL"), (8, "SLC"), (9, "THPS"),
    (10, "TVPS"), (11, "CGA"), (12, "BPX"), (13, "FGP"),
)  # fmt: skip
# ITL 2011 Table 15 / EBTS 9.1 14.011 CGA codes.
_CGA_CODES = frozenset({"NONE", "WSQ20", "JPEGB", "JPEGL", "JP2", "JP2L", "PNG"})
# EBTS Appendix F (our reading: the FBI's text was not at hand): 500 ppi fingerprints are WSQ
# (IAFIS-IC-0110), 1000 ppi ones JPEG 2000; uncompressed images are accepted at either.
_CGA_BY_PPI = {500: ("WSQ20", "NONE"), 1000: ("JP2", "JP2L", "NONE")}


def check_finger_record(f: FingerRecord, out: Out) -> None:
    """One Type-4 or Type-14 fingerprint record."""
    where = f.where
    r = f.record
    if f.type == 14:
        for tag, name in _T14_MANDATORY:
            if not r.get(tag):
                out.append(
                    Problem(f"14.{tag:03d} {name}", "", f"{where}: mandatory field is missing", "L0001")
                )
    if not f.data:
        out.append(Problem(f.field("data"), "", f"{where}: no image data", "L0001"))
    fgp_text = r.get(13) if f.type == 14 else r.get(4)
    highest = 14 if f.type == 4 else 15  # ITL 2011 Table 8; 15 (both thumbs) came with Type-14
    if fgp_text and (f.fgp is None or not 0 <= f.fgp <= highest):
        out.append(Problem(f.field("fgp"), fgp_text, f"{where}: not a finger position 0-{highest}", "L0002"))
    imp_text = r.get(3)
    if imp_text and f.impression not in codes.IMPRESSION_TYPES:
        out.append(Problem(f.field("imp"), imp_text, f"{where}: not a tenprint impression type 0-3", "L0002"))
    # ITL 2011 Table 7 and EBTS tenprint sets: fingers 1-10 are rolled, 11-15 plain impressions.
    if f.fgp in ROLLED and f.impression not in (1, 3, None):
        out.append(
            Problem(
                f.field("imp"),
                imp_text or "",
                f"{where}: finger {f.fgp} must be a rolled impression",
                "L0002",
            )
        )
    if f.fgp is not None and f.fgp > 10 and f.impression not in (0, 2, None):
        out.append(
            Problem(
                f.field("imp"),
                imp_text or "",
                f"{where}: position {f.fgp} must be a plain impression",
                "L0002",
            )
        )
    _check_resolution_and_compression(f, out)
    if f.type == 14:
        _check_type14_only(f, out)
    _check_image_header(f, out)


def _check_resolution_and_compression(f: FingerRecord, out: Out) -> None:
    where, r = f.where, f.record
    if f.type == 4:
        isr = r.get(5)
        if isr not in ("0", "1"):
            out.append(
                Problem(
                    "4.005 ISR", isr or "", f"{where}: must be 0 (minimum) or 1 (native resolution)", "L0002"
                )
            )
        gca = r.get(8)
        if gca not in ("0", "1"):  # ITL 2011 Type-4: 0 uncompressed, 1 WSQ (the FBI's code)
            out.append(
                Problem("4.008 GCA", gca or "", f"{where}: must be 1 (WSQ) or 0 (uncompressed)", "L0002")
            )
    elif r.get(8) != "1" and r.get(8):
        out.append(
            Problem("14.008 SLC", r.get(8) or "", f"{where}: scale must be 1 (pixels per inch)", "L0002")
        )
    ppi = f.ppi
    nominal = next(
        (n for n, (lo, hi) in zip((500, 1000), PPI_RANGES, strict=True) if ppi and lo <= ppi <= hi), None
    )
    if f.type == 14 and r.get(8) == "1":
        for tag, name in ((9, "THPS"), (10, "TVPS")):
            value = ascii_int(r.get(tag))
            if value is not None and not any(lo <= value <= hi for lo, hi in PPI_RANGES):
                out.append(
                    Problem(
                        f"14.{tag:03d} {name}", str(value), f"{where}: must be 500 or 1000 ppi", "L0011", _PPI
                    )
                )
    compression = f.compression
    if f.type == 14 and compression and compression not in _CGA_CODES:
        out.append(
            Problem(
                "14.011 CGA",
                compression,
                f"{where}: not a compression code of ANSI/NIST-ITL Table 15",
                "L0002",
            )
        )
    elif nominal and compression and compression not in _CGA_BY_PPI[nominal]:
        wanted = " or ".join(_CGA_BY_PPI[nominal])
        shown = r.get(8) if f.type == 4 else compression
        out.append(
            Problem(
                f.field("cga"),
                shown or "",
                f"{where}: {nominal} ppi fingerprints are sent as {wanted}",
                "L0002",
            )
        )


def _check_type14_only(f: FingerRecord, out: Out) -> None:
    where, r = f.where, f.record
    if r.get(12) and r.get(12) != "8":
        out.append(
            Problem("14.012 BPX", r.get(12) or "", f"{where}: must be 8 bits per pixel", "L0011", ("8",))
        )
    if r.get(5) and parse_date(r.get(5) or "") is None:
        out.append(
            Problem("14.005 FCD", r.get(5) or "", f"{where}: must be a real date as YYYYMMDD", "L0004")
        )
    for sub in r.subfields(24):  # 14.024 FQM: finger, score, vendor, product
        value = sub[1] if len(sub) > 1 else ""
        score = ascii_int(value)
        if score is None or not (0 <= score <= 100 or score in (254, 255)):
            out.append(
                Problem("14.024 FQM", value, f"{where}: quality must be 0-100, 254 or 255", "L0011", _FQM)
            )
        elif score == 255:
            out.append(Problem("14.024 FQM", value, f"{where}: quality could not be computed (255)", "L0007"))
    if f.fgp in codes.SLAP_FINGERS:
        _check_segments(f, out)


def _check_image_header(f: FingerRecord, out: Out) -> None:
    data = f.data
    if not data or f.compression != "WSQ20":
        return
    # Header check only: decoding untrusted WSQ in-process is unsafe (see ebts.wsq).
    try:
        frame = wsq.inspect(data)
    except wsq.WSQError as exc:
        out.append(Problem(f.field("data"), "", f"{f.where}: {exc}", "L0006"))
        return
    if (frame.width, frame.height) != (f.width, f.height):
        shown = f"{frame.width}x{frame.height}"
        out.append(Problem(f.field("hll"), str(f.width), f"{f.where}: the WSQ image is {shown}", "L0006"))


def _check_segments(f: FingerRecord, out: Out) -> None:
    """14.021 SEG of a slap (ITL 2011 Type-14): FGP, left, right, top, bottom, inside the image."""
    where, r, fgp = f.where, f.record, f.fgp
    assert fgp is not None
    expected = set(codes.SLAP_FINGERS[fgp]) - set(f.missing)
    found = set()
    for sub in r.subfields(21):
        nums = [ascii_int(x.strip()) for x in sub]
        if len(nums) != 5 or None in nums:
            out.append(
                Problem(
                    "14.021 SEG",
                    "/".join(sub)[:80],
                    f"{where}: segment must be FGP,left,right,top,bottom",
                    "L0003",
                )
            )
            continue
        finger, left, right, top, bottom = nums  # type: ignore[misc]
        found.add(finger)
        if finger not in codes.SLAP_FINGERS[fgp]:
            out.append(
                Problem("14.021 SEG", str(finger), f"{where}: finger {finger} is not in slap {fgp}", "L0009")
            )
        if not (0 <= left < right and 0 <= top < bottom) or (  # type: ignore[operator]
            f.width and f.height and (right > f.width or bottom > f.height)  # type: ignore[operator]
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


# --------------------------------------------------------------------------- Type-10, Type-15
_IMAGE_TYPES_10 = frozenset({"FACE", "SCAR", "MARK", "TATTOO"})  # EBTS 9.1 / ITL 2011 10.003 IMT
_PALM_POSITIONS = range(20, 39)  # ITL 2011 Table 8: palm codes 20-38 (15.013 PLP)


def check_type10(r: Record, out: Out) -> None:
    """A photo: EBTS 9.1 / ITL 2011 Type-10, its image type and its image data (the other
    fields describe the picture; they do not change whether the CAR can be searched)."""
    where = f"Type-10 IDC {r.idc or '?'}"
    imt = r.get(3)
    if not imt:
        out.append(Problem("10.003 IMT", "", f"{where}: mandatory field is missing", "L0001"))
    elif imt not in _IMAGE_TYPES_10:
        out.append(Problem("10.003 IMT", imt, f"{where}: must be FACE, SCAR, MARK or TATTOO", "L0002"))
    if not r.binary(BINARY_FIELD):
        out.append(Problem("10.999 DATA", "", f"{where}: no image data", "L0001"))


def check_type15(r: Record, out: Out) -> None:
    """A palm print: ITL 2011 Type-15, its palm position and its image data."""
    where = f"Type-15 IDC {r.idc or '?'}"
    plp = r.get(13)
    if plp and ascii_int(plp) not in _PALM_POSITIONS:
        out.append(Problem("15.013 PLP", plp, f"{where}: not a palm position 20-38", "L0002"))
    if not r.binary(BINARY_FIELD):
        out.append(Problem("15.999 DATA", "", f"{where}: no image data", "L0001"))


# -------------------------------------------------------------------------------------- helpers
def parse_date(text: str) -> date | None:
    if not re.fullmatch(r"[0-9]{8}", text or ""):
        return None
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _date_field(r: Record, tag: int, name: str, out: Out) -> date | None:
    text = r.get(tag)
    if not text:
        return None
    value = parse_date(text)
    if value is None:
        out.append(Problem(f"2.{tag:03d} {name}", text, "must be a real date as YYYYMMDD", "L0004"))
    return value
