"""FBI NGI: read and check a CAR, make the probe templates, search a tenprint gallery, answer SRE or ERRT.

An ERRT carries EBTS-style error items (`ebts.ErrorItem`, codes from `ebts.codes.ERROR_CODES`):
L0008 a transaction type other than CAR, L0010 bytes that do not parse, the validator's own codes
for field problems, L0005 an incomplete or duplicated set of rolled prints, L0006 an image that
does not decode, L0007 too few fingers usable for a search.

A tenprint CAR is searched with its rolled prints, whether they come as Type-4 or Type-14 records.
A flats-only (4-4-2) CAR, one without rolled prints (see `ebts.validate.is_flats_only`), is
searched with the plain fingers cut out of its slaps and thumbs by their 14.021 SEG boxes, each
finger numbered by its segment's FGP. Records the search does not use stay with the stored
submission: photos, palms and other records are listed in the SRE's 2.060 MSG remarks
(`unused_records`), and the admin page lists those and the fingerprint images not searched (the
plain impressions of a tenprint CAR: `unsearched_prints`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backend.population import Person

#: The rolled fingers a tenprint search uses (ANSI/NIST FGP codes).
ROLLED = tuple(range(1, 11))
#: The plain impressions a flats-only search uses: plain thumbs (11 right, 12 left) and the
#: segmented slaps (13 right four, 14 left four, 15 both thumbs).
FLATS = (11, 12, 13, 14, 15)
_PLAIN_THUMB = {11: 1, 12: 6}
#: A finger with fewer minutiae than this cannot contribute to a search.
MIN_MINUTIAE = 8
#: Fewer usable rolled fingers than this and the FBI asks for new prints (L0007).
MIN_USABLE_FINGERS = 6
#: An identification needs this many fingers each matching on its own (see search()).
CORROBORATING_FINGERS = 3
_MAX_ITEMS = 20  # an ERRT lists at most this many problems; a station shows them all to the clerk


class GalleryUnavailable(RuntimeError):
    """Part of a gallery cannot be searched now (a shard of a gallery on a Ray cluster is down).

    The search has no answer yet: the submission waits and is searched again later, never
    answered from the part of the gallery that could be searched (backend._process).
    """


@dataclass(frozen=True)
class Rejection:
    errors: tuple  # ebts.ErrorItem
    name: str | None  # 2.018 NAM as submitted, when it could be read

    @property
    def code(self) -> str:
        return self.errors[0].code

    @property
    def message(self) -> str:
        return "; ".join(e.to_msg() for e in self.errors)


@dataclass(frozen=True)
class Probes:
    probes: Mapping[int, object]  # FGP -> matcher.Template
    name: str | None
    controlling_agency: str | None
    missing: tuple[int, ...]  # fingers declared amputated or unprintable
    flats_only: bool = False  # probes cut from the slaps and thumbs (no rolled prints sent)
    unused: tuple[str, ...] = ()  # the SRE's remarks on records the search did not use (unused_records)
    unsearched_prints: tuple[str, ...] = ()  # fingerprint images not searched, for the admin page


@dataclass(frozen=True)
class Hit:
    record_id: str  # FBI number (NGI) or FIN (IDENT)
    score: float
    identified: bool  # see search()
    corroborating: int = 0  # fingers at or above matcher.FINGER_MATCH_THRESHOLD


def examine(body: bytes) -> Rejection | Probes:
    """Everything NGI checks before searching; the probe templates when the submission is usable."""
    from ebts import ErrorItem, ParseError, parse, validate

    try:
        transaction = parse(body)
    except ParseError as exc:
        return Rejection((ErrorItem("L0010", "-", f"transaction cannot be parsed: {exc}"),), None)
    type2 = transaction.first(2)
    name = type2.get(18) if type2 is not None else None
    if transaction.tot != "CAR":
        return Rejection(
            (
                ErrorItem(
                    "L0008",
                    "1.004 TOT",
                    f"transaction type {transaction.tot or '(none)'} is not accepted; send CAR",
                ),
            ),
            name,
        )
    problems = validate(transaction)
    if problems:
        return Rejection(tuple(p.to_error() for p in problems[:_MAX_ITEMS]), name)
    return _probes(transaction, name)


def _probes(transaction, name: str | None) -> Rejection | Probes:  # type: ignore[no-untyped-def]
    from ebts import ErrorItem, finger_records
    from ebts.validate import is_flats_only
    from ebts.wsq import decode_untrusted
    from matcher import Template

    type2 = transaction.first(2)
    fingers = finger_records(transaction)  # Type-4 and Type-14 records alike
    missing: set[int] = set()
    for sub in type2.subfields(84) if type2 is not None and 84 in type2 else []:  # 2.084 AMP
        if sub and sub[0].strip().isascii() and sub[0].strip().isdigit():
            missing.add(int(sub[0]))
    for f in fingers:
        missing |= set(f.missing)  # 14.018 AMP of a slap
    flats = is_flats_only(transaction)
    searched = FLATS if flats else ROLLED
    kind = "plain" if flats else "rolled"
    rolled: dict[int, object] = {}  # finger FGP 1-10 -> template (rolled, or a plain finger for flats)
    errors = []
    wsq_records: dict[int, object] = {}
    for f in fingers:
        if f.fgp not in searched:
            continue  # with rolled prints, the slaps and plain thumbs are not searched (unsearched_prints)
        if f.fgp in wsq_records:
            errors.append(ErrorItem("L0005", f.field("fgp"), f"finger {f.fgp} is present twice"))
            continue
        if f.compression != "WSQ20":
            shown = f.record.get(8) if f.type == 4 else f.compression
            errors.append(
                ErrorItem(
                    "L0006",
                    f.field("cga"),
                    f"finger {f.fgp}: compression {shown or '(none)'} is not searched here; send WSQ",
                )
            )
            continue
        wsq_records[f.fgp] = f
    # The submitter's bytes are untrusted: the NBIS decoder can abort the process on corrupt data,
    # so every image is decoded in a child process and a bad one costs only that finger.
    decoded = decode_untrusted([f.data or b"" for f in wsq_records.values()])
    for (fgp, f), result in zip(wsq_records.items(), decoded, strict=True):
        if isinstance(result, Exception):
            errors.append(ErrorItem("L0006", f.field("data"), f"finger {fgp}: {result}"))
            continue
        image, _ = result
        if f.ppi is None:
            errors.append(
                ErrorItem("L0003", f.field("ppi"), f"finger {fgp}: image resolution is not given in ppi")
            )
            continue
        for finger, crop in _fingers(fgp, f, image, errors):
            if finger in rolled:
                errors.append(ErrorItem("L0005", "14.021 SEG", f"finger {finger} is segmented twice"))
                continue
            rolled[finger] = Template.from_image(crop, f.ppi)
    absent = [f for f in ROLLED if f not in rolled and f not in missing]
    if absent:
        where = "segmented in the slaps" if flats else "present"
        errors.append(
            ErrorItem(
                "L0005",
                "14.021 SEG" if flats else "14.013 FGP",
                f"{kind} finger(s) {', '.join(map(str, absent))} neither {where} nor declared amputated/unprintable (2.084 AMP)",
            )
        )
    if errors:
        return Rejection(tuple(errors[:_MAX_ITEMS]), name)
    usable = {fgp: t for fgp, t in rolled.items() if len(t.minutiae) >= MIN_MINUTIAE}
    if len(usable) < MIN_USABLE_FINGERS:
        poor = sorted(set(rolled) - set(usable))
        return Rejection(
            (
                ErrorItem(
                    "L0007",
                    "14.999 DATA",
                    f"only {len(usable)} {kind} finger(s) usable for a search (at least {MIN_USABLE_FINGERS} needed); "
                    f"too few ridge details on finger(s) {', '.join(map(str, poor)) or '-'}: recapture them",
                ),
            ),
            name,
        )
    cri = type2.subfields(73) if type2 is not None and 73 in type2 else []
    return Probes(
        usable,
        name,
        cri[0][0] if cri and cri[0] else None,
        tuple(sorted(missing)),
        flats,
        tuple(unused_records(transaction)),
        tuple(unsearched_prints(transaction, flats)),
    )


def _fingers(fgp: int, f, image, errors: list):  # type: ignore[no-untyped-def]
    """(finger FGP 1-10, image) of one decoded fingerprint record: the print itself for a rolled
    finger or a plain thumb, one crop per 14.021 SEG box (left, right, top, bottom) for a slap."""
    from ebts import ErrorItem

    if fgp in ROLLED or fgp in _PLAIN_THUMB:
        return [(_PLAIN_THUMB.get(fgp, fgp), image)]
    height, width = image.shape[:2]
    out = []
    for finger, left, right, top, bottom in f.segments:  # 14.021 SEG, checked by the validator
        left, top = max(0, left), max(0, top)
        right, bottom = min(width, right + 1), min(height, bottom + 1)  # SEG edges are inclusive
        if right - left < 16 or bottom - top < 16:
            errors.append(ErrorItem("L0011", "14.021 SEG", f"slap {fgp}: finger {finger}'s segment is empty"))
            continue
        out.append((finger, image[top:bottom, left:right]))
    return out


# What each kind of record is, for the remarks on records the search does not use.
_RECORD_KINDS = {7: "USER-DEFINED IMAGE", 9: "MINUTIAE", 10: "PHOTO", 13: "LATENT IMAGE", 15: "PALM PRINT",
                 17: "IRIS IMAGE"}  # fmt: skip


def unsearched_prints(transaction, flats: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """The fingerprint images the search did not use (the plain impressions of a tenprint CAR),
    for the admin page. They are an ordinary part of a tenprint set, so the SRE does not mention
    them."""
    from ebts import finger_records

    searched = FLATS if flats else ROLLED
    plain = sorted(
        {f.fgp for f in finger_records(transaction) if f.fgp is not None and f.fgp not in searched}
    )
    if not plain:
        return []
    why = "THE ROLLED PRINTS WERE SEARCHED" if not flats else "ONLY THE 4-4-2 FLATS ARE SEARCHED"
    return [f"NOT SEARCHED, KEPT: FINGERPRINT IMAGES FGP {', '.join(map(str, plain))} ({why})"]


def unused_records(transaction) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per record the search does not use that is not a fingerprint image (photos, palm
    prints, irises, ...), for the SRE's 2.060 MSG and the admin page: nothing a submitter sent is
    ignored silently. The records stay with the stored submission (the admin page shows them)."""
    lines = []
    for record in transaction.records[1:]:
        if record.type in (2, 4, 14):
            continue
        kind = _RECORD_KINDS.get(record.type, "RECORD")
        detail = record.get(3) if record.type == 10 else record.get(13) if record.type == 15 else None
        shown = f" {detail}" if detail and detail.isascii() and detail.isprintable() else ""
        lines.append(
            f"NOT SEARCHED, KEPT: TYPE-{record.type} {kind}{shown[:20]} IDC {(record.idc or '?')[:10]}"
        )
    return lines


def search(gallery, probes: Mapping[int, object]) -> Hit | None:  # type: ignore[no-untyped-def]
    """The best candidate of a tenprint search, or None for an empty gallery.

    Identified when the candidate's mean score reaches `matcher.TENPRINT_IDENT_THRESHOLD` AND at
    least CORROBORATING_FINGERS of its fingers each reach `matcher.FINGER_MATCH_THRESHOLD` (FMR
    1/10 000 per finger). The second condition is ours, a safeguard that does not depend on the
    tenprint threshold's calibration: on the synthetic population the best impostor's ten-finger
    mean is 0.019-0.023 (which passed the 0.020 threshold the matcher had for a while, bench
    2026-11-21) with at most one finger above the single-finger threshold, while a mated search
    has all ten far above it.

    `gallery` is a `matcher.Gallery` or a `backend.cluster.ShardedGallery` (the same search,
    fanned out to shards and merged); the latter raises GalleryUnavailable while a shard is down.
    """
    from matcher import FINGER_MATCH_THRESHOLD, TENPRINT_IDENT_THRESHOLD

    if gallery is None or len(gallery) == 0:
        return None
    candidates = gallery.search_tenprint(probes, top=1)
    if not candidates:
        return None
    best = candidates[0]
    corroborating = sum(1 for s in best.finger_scores.values() if s >= FINGER_MATCH_THRESHOLD)
    identified = float(best.score) >= TENPRINT_IDENT_THRESHOLD and corroborating >= CORROBORATING_FINGERS
    return Hit(best.subject_id, float(best.score), identified, corroborating)


def rap_sheet(person: Person) -> list[str]:
    """The criminal-history summary lines of an SRE (2.075 ERS)."""
    lines = [
        f"FBI {person.fbi_number}  {person.name.upper()}  SEX {person.sex}  DOB {person.dob}  POB {person.birth_country}",
        f"{len(person.offenses)} ARREST(S)",
    ]
    for o in person.offenses:
        lines.append(f"{o.date}  {o.arresting_ori}  {o.offense}  {o.level.upper()}  {o.disposition.upper()}")
    return lines


def sre(request_ori: str, request_tcn: str, person: Person | None, probes: Probes) -> bytes:
    from ebts import build_sre

    if person is None:
        return build_sre(
            recipient_ori=request_ori,
            request_tcn=request_tcn,
            identified=False,
            name=probes.name,
            controlling_agency=probes.controlling_agency,
            messages=["NO RECORD FOUND IN NGI", "PRINTS FORWARDED TO DHS IDENT", *probes.unused],
        )
    return build_sre(
        recipient_ori=request_ori,
        request_tcn=request_tcn,
        identified=True,
        fbi_number=person.fbi_number,
        name=f"{person.family_name.upper()},{person.given_name.upper()}",
        rap_sheet=rap_sheet(person),
        controlling_agency=probes.controlling_agency,
        messages=[f"IDENTIFIED: FBI {person.fbi_number}", "PRINTS FORWARDED TO DHS IDENT", *probes.unused],
    )


def errt(request_ori: str, request_tcn: str, rejection: Rejection) -> bytes:
    from ebts import build_errt

    return build_errt(
        recipient_ori=request_ori, request_tcn=request_tcn, errors=rejection.errors, name=rejection.name
    )
