"""Import an EBTS file another system sent (a CAR from another vendor's station, a resubmission
kept by the state bureau) as a booking to review and resubmit.

    result = import_ebts(station, data, actor="cli:alice")
    result.booking          # the new booking (status "captured" when it has prints, else draft)
    result.kept             # every field and record the booking model has no place for

What fits the station's model becomes the booking: the Type-2 demographics and charges, every
fingerprint image (Type-4 or Type-14) as an accepted capture, 2.084 amputations as XX/UP
annotations. Nothing else is dropped: the original file is stored with the booking (table
`imported_transactions`), and each field or record that does not fit is listed in `kept` (and in
the database) with where it was and why it does not fit, for the clerk to see. EBTS carries no
offense level (felony or misdemeanor), so imported charges have none until the clerk chooses one.
The import writes everything in one database transaction, with its audit event, or nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.station.bookings import (
    BookingData,
    BookingForm,
    BookingInvalid,
    BookingRecord,
    ChargeData,
    parse,
)
from desktop.station.imported import ImportedTransaction
from desktop.station.messages import StationError
from desktop.station.models import Booking, BookingStatus, Capture, utcnow

if TYPE_CHECKING:
    from desktop.station.core import Station

# Type-2 fields the booking model holds (EBTS mnemonics), read by `_form`.
_MODELLED_TYPE2 = {1: "LEN", 2: "IDC", 18: "NAM", 20: "POB", 22: "DOB", 24: "SEX", 25: "RAC", 27: "HGT",
                   29: "WGT", 31: "EYE", 32: "HAI", 45: "DOA", 47: "ASL", 84: "AMP"}  # fmt: skip
_FINGERPRINT_TYPES = (4, 14)
_ROLLED_IMPRESSIONS = (1, 3)


@dataclass(frozen=True)
class Kept:
    """A field or record of the imported file that the booking does not hold: where it was
    ("2.014 FBI", "Type-10 IDC 30"), its value as text (images summarised) and why it is kept."""

    where: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ImportResult:
    booking: BookingRecord
    source_tcn: str
    prints: tuple[int, ...]  # finger positions imported as accepted captures
    amputations: dict[int, str]
    kept: tuple[Kept, ...]
    review: dict[str, str]  # booking fields the clerk must complete, with why


def import_ebts(
    station: Station, data: bytes, *, actor: str, operator_id: int | None = None, today: dt.date | None = None
) -> ImportResult:
    """Make a booking of the EBTS transaction `data`. Raises UserError, naming what is wrong and
    writing nothing, when the file cannot be read or its demographics do not make a booking."""
    import ebts

    try:
        tx = ebts.parse(data)
    except ebts.ParseError as exc:
        if exc.offset is None:
            raise StationError("import.unreadable-anywhere", detail=str(exc)) from None
        raise StationError("import.unreadable", offset=exc.offset, detail=exc.args[0]) from None
    t2 = tx.first(2)
    if t2 is None:
        raise StationError("import.no-person", tot=tx.tot or "transaction")
    form = _form(t2)
    booking_data, review = _booking_data(form, today or dt.date.today())
    kept = _kept_fields(tx)
    prints, amputations, captures, image_kept = _captures(tx, operator_id)
    kept += image_kept
    with station.store.session() as s:
        # A unique placeholder until the row id gives the booking its number (as Bookings.create).
        row = Booking(number=uuid.uuid4().hex[:20], created_by=operator_id)
        s.add(row)
        _fill(row, booking_data)
        s.flush()
        row.number = f"{row.created_at.year}-{row.id:06d}"
        if prints:
            row.status = BookingStatus.CAPTURED.value
        for capture in captures:
            capture.booking_id = row.id
            s.add(capture)
        s.add(
            ImportedTransaction(
                booking_id=row.id, source_tcn=tx.tcn[:40], source_ori=tx.ori[:9], imported_by=actor[:64],
                ebts=data, kept_json=json.dumps([k.as_dict() for k in kept], ensure_ascii=False),
                prints=len(prints),
            )
        )  # fmt: skip
        station.audit.append(
            actor,
            "booking.import",
            f"booking:{row.number}",
            {"tcn": tx.tcn[:40], "ori": tx.ori[:9], "prints": sorted(prints), "kept": len(kept)},
            session=s,
        )
        s.flush()
        booking_id = row.id
    record = station.bookings.get(booking_id)
    return ImportResult(record, tx.tcn, tuple(sorted(prints)), amputations, tuple(kept), review)


def kept_of(station: Station, booking_id: int) -> list[Kept]:
    """What an imported booking's file held that the booking does not ([] for other bookings)."""
    with station.store.session() as s:
        rows = s.scalars(
            select(ImportedTransaction).where(ImportedTransaction.booking_id == booking_id)
        ).all()
        return [Kept(**k) for row in rows for k in json.loads(row.kept_json)]


# ------------------------------------------------------------------------------------ demographics
def _form(t2) -> BookingForm:  # type: ignore[no-untyped-def]
    """The Type-2 fields as the clerk would have typed them."""
    name = t2.get(18) or ""
    surname, _, given = name.partition(",")
    values = {
        "surname": surname.strip(),
        "given_names": given.strip(),
        "date_of_birth": _iso(t2.get(22)),
        "sex": t2.get(24) or "",
        "race": t2.get(25) or "",
        "place_of_birth": t2.get(20) or "",
        "height": t2.get(27) or "",
        "weight": (t2.get(29) or "").lstrip("0") or (t2.get(29) or ""),
        "eye_color": t2.get(31) or "",
        "hair_color": t2.get(32) or "",
        "arrested_on": _iso(t2.get(45)),
    }
    charges = [
        {"offense_date": _iso(sub[0] if sub else ""), "text": sub[1] if len(sub) > 1 else "", "level": ""}
        for sub in t2.subfields(47)
    ]
    return BookingForm(values, charges)


def _iso(ebts_date: str | None) -> str:
    """EBTS YYYYMMDD as the form's YYYY-MM-DD (anything else as it is, for the rules to judge)."""
    text = ebts_date or ""
    if len(text) == 8 and text.isascii() and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return text


def _booking_data(form: BookingForm, today: dt.date) -> tuple[BookingData, dict[str, str]]:
    """BookingData for the form, and the charge fields left for the clerk: EBTS has no offense
    level, and its date of offense is optional. Any other field that breaks the station's booking
    rules stops the import, naming the EBTS field: the file must be corrected first."""
    review: dict[str, str] = {}
    arrested = form.values.get("arrested_on", "")
    attempt = [{**c, "level": "felony"} for c in form.charges]  # "felony" only so the rest is checked
    for i in range(len(attempt)):
        review[f"charges.{i}.level"] = "EBTS carries no offense level: choose felony or misdemeanor"
    if not attempt:
        review["charges"] = "the file lists no charge (2.047 ASL): enter at least one"
        attempt = [{"offense_date": arrested, "text": "-", "level": "felony"}]
    for _ in range(2):
        try:
            data = parse(BookingForm(form.values, attempt), today)
            break
        except BookingInvalid as exc:
            dates = [k for k in exc.problems if k.startswith("charges.") and k.endswith(".offense_date")]
            wrong = {k: v for k, v in exc.problems.items() if k not in dates}
            if wrong or not dates:
                listed = "; ".join(
                    f"{_EBTS_FIELD.get(k.split('.')[0], k)}: {v}" for k, v in (wrong or exc.problems).items()
                )
                raise StationError("import.not-a-booking", problems=listed) from None
            for key in dates:
                i = int(key.split(".")[1])
                given = attempt[i].get("offense_date", "")
                review[key] = (
                    f"date of offense {given!r} in the file: {exc.problems[key]}"
                    if given
                    else "the file gives no date of offense"
                )
                attempt[i]["offense_date"] = arrested  # only so the rest is checked
    else:  # pragma: no cover - the second pass has every date replaced
        raise StationError("import.charges")
    charges = tuple(
        ChargeData(None if f"charges.{i}.offense_date" in review else c.offense_date, c.text, "")  # type: ignore[arg-type]
        for i, c in enumerate(data.charges)
    )
    return dataclasses.replace(data, charges=charges if form.charges else ()), review


# The booking form's fields and the EBTS fields they come from, for messages.
_EBTS_FIELD = {
    "surname": "2.018 NAM", "given_names": "2.018 NAM", "date_of_birth": "2.022 DOB", "sex": "2.024 SEX",
    "race": "2.025 RAC", "place_of_birth": "2.020 POB", "height": "2.027 HGT", "weight": "2.029 WGT",
    "eye_color": "2.031 EYE", "hair_color": "2.032 HAI", "arrested_on": "2.045 DOA", "charges": "2.047 ASL",
}  # fmt: skip


def _fill(row: Booking, data) -> None:  # type: ignore[no-untyped-def]
    from desktop.station.models import Charge, Subject

    row.subject = Subject(
        surname=data.surname, given_names=data.given_names, date_of_birth=data.date_of_birth, sex=data.sex,
        race=data.race, place_of_birth=data.place_of_birth, height_inches=data.height_inches,
        weight_pounds=data.weight_pounds, eye_color=data.eye_color, hair_color=data.hair_color,
    )  # fmt: skip
    row.arrested_on = data.arrested_on
    row.charges = [
        Charge(position=i, offense_date=c.offense_date, text=c.text, level=c.level)
        for i, c in enumerate(data.charges)
    ]
    row.created_at = row.updated_at = utcnow()


def _kept_fields(tx) -> list[Kept]:  # type: ignore[no-untyped-def]
    """Every Type-1 and Type-2 field the booking does not hold, and every record that is neither
    Type-2 nor a fingerprint."""
    from ebts._names import field_name

    kept = []
    for record in tx.records:
        if record.type == 1:
            for tag in (4, 7, 8, 9, 10, 13, 15):  # who sent it to whom: the booking will be sent anew
                if tag in record:
                    kept.append(
                        _field(
                            record,
                            tag,
                            field_name(1, tag),
                            "the original header; a resubmission gets its own",
                        )
                    )
        elif record.type == 2:
            for tag in record.fields:
                if tag not in _MODELLED_TYPE2:
                    kept.append(_field(record, tag, field_name(2, tag), "the booking has no field for it"))
        elif record.type not in _FINGERPRINT_TYPES:
            summary = f"{len(record.fields)} fields"
            data = record.binary(999)
            if data:
                summary += f", {len(data)} bytes of image data"
            what = {10: "photo", 15: "palm print", 17: "iris", 9: "minutiae"}.get(record.type, "record")
            detail = f" {record.get(3)}" if record.type == 10 and record.get(3) else ""
            kept.append(Kept(f"Type-{record.type} IDC {record.idc or '?'}", f"{what}{detail}: {summary}",
                             "the booking holds fingerprints only"))  # fmt: skip
    return kept


def _field(record, tag: int, name: str, reason: str) -> Kept:  # type: ignore[no-untyped-def]
    value = record.fields[tag]
    text = f"<{len(value)} bytes>" if isinstance(value, bytes) else " | ".join("/".join(s) for s in value)
    label = f"{record.type}.{tag:03d}" + (f" {name}" if name else "")
    return Kept(label, text[:500], reason)


# ------------------------------------------------------------------------------------ fingerprints
def _captures(tx, operator_id: int | None):  # type: ignore[no-untyped-def]
    """(positions imported, amputations, Capture rows, Kept for images that cannot be imported)."""
    import cv2

    from ebts import finger_records
    from ebts.images import UnsupportedImage, image_of

    native = _native_ppi(tx.header.get(11))
    t2 = tx.first(2)
    amputations: dict[int, str] = {}
    for sub in t2.subfields(84) if t2 is not None else []:
        finger = sub[0].strip() if sub else ""
        code = sub[1] if len(sub) > 1 else ""
        if finger.isascii() and finger.isdigit() and 1 <= int(finger) <= 10 and code in ("XX", "UP"):
            amputations[int(finger)] = code
    rows, prints, kept = [], set(), []
    when = utcnow()
    for f in finger_records(tx):
        where = f"{f.where} FGP {f.fgp}"
        if f.fgp is None or not 1 <= f.fgp <= 15 or f.fgp in prints:
            kept.append(
                Kept(
                    where,
                    f"{len(f.data or b'')} bytes",
                    "not a finger position the booking holds, or a second image of one",
                )
            )
            continue
        try:
            pixels, ppi = image_of(f.record, native_ppi=native)
        except UnsupportedImage as exc:
            kept.append(Kept(where, f"{len(f.data or b'')} bytes", f"cannot be decoded here: {exc}"))
            continue
        if pixels.ndim != 2:
            pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
        ok, png = cv2.imencode(".png", pixels)
        if not ok:
            kept.append(Kept(where, f"{len(f.data or b'')} bytes", "could not be stored as PNG"))
            continue
        rows.append(
            Capture(
                position=f.fgp,
                impression="rolled" if f.impression in _ROLLED_IMPRESSIONS else "plain",
                image_png=png.tobytes(),
                ppi=float(f.ppi or ppi or 500),
                quality=_quality(f),
                attempt=1,
                accepted=True,
                annotation_reason="imported from an EBTS file",
                segmentation_json=_segmentation(f),
                captured_at=_captured_at(f) or when,
                captured_by=operator_id,
            )
        )
        prints.add(f.fgp)
    for finger, code in sorted(amputations.items()):
        rows.append(
            Capture(
                position=finger, impression="rolled", image_png=None, ppi=None, quality=None, attempt=0,
                accepted=True, annotation=code, annotation_reason="imported from an EBTS file (2.084 AMP)",
                captured_by=operator_id,
            )
        )  # fmt: skip
    return prints, amputations, rows, kept


def _quality(f) -> int | None:  # type: ignore[no-untyped-def]
    """The print's own 14.024 FQM score (0-100), when the file gives one."""
    for sub in f.record.subfields(24) if f.type == 14 else []:
        score = sub[1] if len(sub) > 1 else ""
        if sub and sub[0] == str(f.fgp) and score.isascii() and score.isdigit() and int(score) <= 100:
            return int(score)
    return None


def _segmentation(f) -> str | None:  # type: ignore[no-untyped-def]
    """A slap's 14.021 SEG boxes in the capture's own segmentation form."""
    if not f.segments:
        return None
    fingers = [
        {"fgp": finger, "box": [left, top, right - left, bottom - top], "polygon": [], "quality": None}
        for finger, left, right, top, bottom in f.segments
    ]
    return json.dumps({"fingers": fingers, "expected": [s[0] for s in f.segments], "problem": None})


def _captured_at(f) -> dt.datetime | None:  # type: ignore[no-untyped-def]
    text = f.record.get(5) if f.type == 14 else None
    try:
        return dt.datetime.strptime(text or "", "%Y%m%d").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _native_ppi(nsr: str | None) -> float | None:
    try:
        return float(nsr or "") * 25.4 or None
    except ValueError:
        return None


# ------------------------------------------------------------------------------------ resubmission
# Records a CAR may carry that the station does not build itself (see ebts.validate.CAR_RECORD_SET).
_CARRIED_RECORDS = (7, 10, 13, 15, 17)
# Type-2 fields the station writes itself in every CAR (ebts.car): the imported values give way.
_STATION_TYPE2 = {5, 38, 70, 73}


def with_kept(session: Session, booking_id: int, car: bytes) -> bytes:
    """The CAR the station built for `booking_id` with what its imported file held and the booking
    has no place for: the Type-2 fields the CAR lacks (FBI number, aliases, ...) and the photos,
    palm prints and other records a CAR may carry, as they were read (renumbered after the CAR's
    own records). A booking that was not imported gets `car` back unchanged."""
    import ebts

    row = session.scalars(
        select(ImportedTransaction)
        .where(ImportedTransaction.booking_id == booking_id)
        .order_by(ImportedTransaction.id.desc())
    ).first()
    if row is None:
        return car
    original, tx = ebts.parse(row.ebts), ebts.parse(car)
    source, target = original.first(2), tx.first(2)
    if source is not None and target is not None:
        for tag, value in source.fields.items():
            if tag not in _MODELLED_TYPE2 and tag not in _STATION_TYPE2 and tag not in target.fields:
                target.set(tag, value if isinstance(value, bytes) else [list(sub) for sub in value])
    next_idc = 1 + max((int(r.idc) for r in tx.records[1:] if r.idc.isascii() and r.idc.isdigit()), default=0)
    for record in original.records:
        if record.type in _CARRIED_RECORDS:
            record.set(2, f"{next_idc:02d}")
            next_idc += 1
            tx.records.append(record)
    return ebts.write(tx)
