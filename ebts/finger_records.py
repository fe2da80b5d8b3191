"""The fingerprint images of a transaction, whether sent as Type-4 or Type-14 records.

A CAR may carry its fingerprints as binary Type-4 records (the classic 500 ppi grayscale format
most deployed livescans still send) or as tagged Type-14 records, or both. `finger_records(tx)`
gives one view of either, so the validator and the backend treat them alike:

    for f in finger_records(tx):
        f.fgp, f.impression, f.compression, f.width, f.height, f.ppi, f.data, f.segments
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ebts._codec import BINARY_FIELD
from ebts._model import Record, Transaction
from ebts._problem import ascii_int

FINGER_RECORD_TYPES = (4, 14)
MM_PER_INCH = 25.4
MINIMUM_SCANNING_RESOLUTION = 19.69  # pixels per mm: 500 ppi
# Type-4 GCA (4.008): 0 uncompressed, 1 WSQ (the FBI's assigned code); other values are other
# FBI-assigned algorithms we do not decode.
_TYPE4_COMPRESSION = {0: "NONE", 1: "WSQ20"}

# The field of each property, per record type, for messages ("4.004 FGP" / "14.013 FGP").
_FIELDS = {
    4: {"fgp": (4, "FGP"), "imp": (3, "IMP"), "cga": (8, "GCA"), "hll": (6, "HLL"), "vll": (7, "VLL"),
        "data": (9, "DATA"), "ppi": (5, "ISR")},
    14: {"fgp": (13, "FGP"), "imp": (3, "IMP"), "cga": (11, "CGA"), "hll": (6, "HLL"), "vll": (7, "VLL"),
         "data": (BINARY_FIELD, "DATA"), "ppi": (9, "THPS")},
}  # fmt: skip


@dataclass(frozen=True)
class FingerRecord:
    """One fingerprint image record. Numbers that are not plain ASCII digits read as None."""

    record: Record
    fgp: int | None  # finger position (Type-4: the first of its six FGP bytes)
    impression: int | None  # IMP: 0/2 plain, 1/3 rolled (live-scan / non-live-scan)
    compression: str | None  # "WSQ20", "NONE", ... (Type-4 GCA mapped to the Type-14 names)
    width: int | None
    height: int | None
    ppi: float | None
    # 14.021 SEG boxes of a slap: (finger, left, right, top, bottom); Type-4 has none.
    segments: tuple[tuple[int, int, int, int, int], ...] = ()
    # 14.018 AMP: fingers of a slap that are amputated (XX) or unable to print (UP).
    missing: dict[int, str] = field(default_factory=dict)

    @property
    def type(self) -> int:
        return self.record.type

    @property
    def data(self) -> bytes | None:
        return self.record.binary(_FIELDS[self.type]["data"][0])

    @property
    def where(self) -> str:
        return f"Type-{self.type} IDC {self.record.idc or '?'}"

    def field(self, name: str) -> str:
        """The label of one of this record's fields, e.g. field("fgp") -> "4.004 FGP"."""
        tag, mnemonic = _FIELDS[self.type][name]
        return f"{self.type}.{tag:03d} {mnemonic}"


def finger_records(tx: Transaction) -> list[FingerRecord]:
    """Every Type-4 and Type-14 record of `tx`, in file order."""
    header = tx.records[0] if tx.records and tx.records[0].type == 1 else Record(1)
    nsr = _per_mm(header.get(11))
    out = []
    for record in tx.records:
        if record.type == 4:
            out.append(_type4(record, nsr))
        elif record.type == 14:
            out.append(_type14(record))
    return out


def _type4(r: Record, nsr: float | None) -> FingerRecord:
    gca = ascii_int(r.get(8))
    isr = ascii_int(r.get(5))
    # Binary records carry no resolution of their own. ISR (4.005) 0: the minimum scanning
    # resolution, 19.69 pixels per mm (500 ppi); 1: the native scanning resolution, 1.011 NSR
    # (ANSI/NIST-ITL 1-2011, Type-4 field 4.005).
    per_mm = MINIMUM_SCANNING_RESOLUTION if isr == 0 else nsr if isr == 1 else None
    return FingerRecord(
        record=r,
        fgp=ascii_int(r.get(4)),
        impression=ascii_int(r.get(3)),
        compression=_TYPE4_COMPRESSION.get(gca, r.get(8)) if gca is not None else r.get(8),
        width=ascii_int(r.get(6)),
        height=ascii_int(r.get(7)),
        ppi=round(per_mm * MM_PER_INCH, 1) if per_mm else None,
    )


def _type14(r: Record) -> FingerRecord:
    segments = []
    for sub in r.subfields(21):
        numbers = [ascii_int(x.strip()) for x in sub]
        if len(numbers) == 5 and None not in numbers:
            segments.append(tuple(numbers))
    missing = {}
    for sub in r.subfields(18):
        finger = ascii_int(sub[0].strip()) if sub else None
        if finger is not None:
            missing[finger] = sub[1] if len(sub) > 1 else ""
    return FingerRecord(
        record=r,
        fgp=ascii_int(r.get(13)),
        impression=ascii_int(r.get(3)),
        compression=(r.get(11) or "").upper() or None,
        width=ascii_int(r.get(6)),
        height=ascii_int(r.get(7)),
        ppi=_type14_ppi(r),
        segments=tuple(segments),  # type: ignore[arg-type]
        missing=missing,
    )


def _type14_ppi(r: Record) -> float | None:
    scale, horizontal = r.get(8), ascii_int(r.get(9))
    if not horizontal:
        return None
    if scale == "1":
        return float(horizontal)
    if scale == "2":
        return horizontal * 2.54  # pixels per centimetre
    return None


def _per_mm(text: str | None) -> float | None:
    """1.011 NSR / 1.012 NTR: pixels per millimetre as NN.NN."""
    if not text or not text.isascii() or len(text) > 8:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 < value < 1000 else None
