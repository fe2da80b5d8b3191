"""The admin view of one submission: every logical record it carried, what the service did with
it, and its pictures (fingerprints, photos, palms), so that nothing sent is ignored unseen.

The pictures are decoded here and re-encoded as PNG thumbnails: bytes from a submitter never
reach the administrator's browser as they came, and WSQ is decoded in a child process (see
`ebts.wsq`).
"""

from __future__ import annotations

import io
from html import escape
from typing import TYPE_CHECKING

from sqlalchemy import select

from backend._db import Transaction

if TYPE_CHECKING:
    from backend.service import Service

THUMBNAIL_SIDE = 360
_KINDS = {1: "transaction header", 2: "descriptive text", 4: "fingerprint (binary)", 7: "user-defined image",
          9: "minutiae", 10: "photo", 13: "latent image", 14: "fingerprint", 15: "palm print", 17: "iris"}  # fmt: skip


def _transaction(service: Service, tcn: str):  # type: ignore[no-untyped-def]
    """(parsed transaction or None, stored row) of `tcn`; KeyError when unknown."""
    from ebts import ParseError, parse

    with service.store.session() as s:
        row = s.scalars(select(Transaction).where(Transaction.tcn == tcn)).one_or_none()
        if row is None:
            raise KeyError(f"no transaction {tcn}")
        body, outcome, status = row.body, row.outcome or {}, row.status
    try:
        return parse(body), outcome, status
    except ParseError as exc:
        return exc, outcome, status


def records(service: Service, tcn: str) -> dict:
    """Every record of the stored submission `tcn`: type, IDC, what it is, how it was used."""
    from backend import ngi
    from ebts import ParseError, finger_records
    from ebts.images import is_image_record
    from ebts.validate import is_flats_only

    tx, outcome, status = _transaction(service, tcn)
    if isinstance(tx, ParseError):
        return {"tcn": tcn, "status": status, "outcome": outcome, "parse_error": str(tx), "records": []}
    answered = outcome.get("answer")
    searched_positions = set(ngi.FLATS if is_flats_only(tx) else ngi.ROLLED)
    fingers = {id(f.record): f for f in finger_records(tx)}
    listed = []
    for index, record in enumerate(tx.records):
        finger = fingers.get(id(record))
        entry = {
            "index": index,
            "type": record.type,
            "idc": record.idc if record.type != 1 else "",  # field 2 of Type-1 is the version
            "kind": _KINDS.get(record.type, f"Type-{record.type} record"),
            "detail": _detail(record, finger),
            "use": _use(record, finger, answered, searched_positions),
            "image": f"/admin/transactions/{tcn}/records/{index}/image" if is_image_record(record) else None,
        }
        listed.append(entry)
    return {"tcn": tcn, "tot": tx.tot, "status": status, "outcome": outcome, "records": listed}


def _detail(record, finger) -> str:  # type: ignore[no-untyped-def]
    from ebts.codes import FINGER_POSITIONS

    if finger is not None:
        name = FINGER_POSITIONS.get(finger.fgp, f"position {finger.fgp}") if finger.fgp is not None else "?"
        size = f"{finger.width}x{finger.height}" if finger.width and finger.height else "size ?"
        ppi = f"{finger.ppi:g} ppi" if finger.ppi else "ppi ?"
        return f"FGP {finger.fgp} {name}, {size}, {ppi}, {finger.compression or '?'}"
    if record.type == 10:
        return f"{record.get(3) or '?'} photo, {record.get(6) or '?'}x{record.get(7) or '?'}, {record.get(11) or '?'}"
    if record.type == 15:
        return f"palm position {record.get(13) or '?'}, {record.get(11) or '?'}"
    if record.type == 2:
        return f"name {record.get(18) or '?'}"
    if record.type == 1:
        return f"TOT {record.get(4) or '?'}, ORI {record.get(8) or '?'}, TCN {record.get(9) or '?'}"
    return f"{len(record.fields)} fields"


def _use(record, finger, answered: str | None, searched: set[int]) -> str:  # type: ignore[no-untyped-def]
    if record.type in (1, 2):
        return "read"
    if answered == "ERRT" or answered is None:
        return "kept (the submission was not searched)" if answered == "ERRT" else "kept (not processed yet)"
    if finger is not None:
        return "searched" if finger.fgp in searched else "kept, not searched (the other prints were)"
    return "kept, not searched (listed in the SRE's remarks)"


def record_image(service: Service, tcn: str, index: int) -> bytes:
    """A PNG thumbnail of record `index` of submission `tcn`. KeyError for an unknown
    transaction or record, ValueError (with the reason) for a picture that cannot be shown."""
    from PIL import Image

    from ebts import ParseError
    from ebts.images import UnsupportedImage, image_of, is_image_record

    tx, _, _ = _transaction(service, tcn)
    if isinstance(tx, ParseError):
        raise ValueError(f"the submission cannot be read: {tx}")
    if not 0 <= index < len(tx.records) or not is_image_record(tx.records[index]):
        raise KeyError(f"transaction {tcn} has no image record {index}")
    native = _native_ppi(tx.header.get(11))
    try:
        pixels, _ = image_of(tx.records[index], native_ppi=native)
    except UnsupportedImage as exc:
        raise ValueError(str(exc)) from None
    picture = Image.fromarray(pixels)
    picture.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _native_ppi(nsr: str | None) -> float | None:
    try:
        return float(nsr or "") * 25.4
    except ValueError:
        return None


def html(service: Service, tcn: str) -> str:
    """The page of one submission: its records, their use and their pictures."""
    info = records(service, tcn)
    e = escape
    rows = []
    for r in info["records"]:
        picture = (
            f'<img src="{e(r["image"])}" alt="record {r["index"]}" loading="lazy">' if r["image"] else ""
        )
        rows.append(
            f"<tr><td>{r['index']}</td><td>Type-{r['type']}</td><td>{e(r['idc'])}</td><td>{e(r['kind'])}</td>"
            f"<td>{e(r['detail'])}</td><td>{e(r['use'])}</td><td>{picture}</td></tr>"
        )
    problem = f"<p><b>Cannot be read:</b> {e(info['parse_error'])}</p>" if info.get("parse_error") else ""
    from backend.admin import _outcome

    outcome = _outcome(info["outcome"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Submission {e(tcn)}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #bbb; padding: 2px 6px; font-size: 13px; text-align: left; vertical-align: top; }}
th {{ background: #eee; }} img {{ max-width: 200px; max-height: 200px; }}
</style></head><body>
<p><a href="/admin">&larr; admin</a></p>
<h1>Submission {e(tcn)}</h1>
<p>{e(info.get("tot") or "")} &mdash; status <b>{e(info["status"])}</b>. {e(outcome)}</p>
<p>Pictures are thumbnails decoded here; the submission is kept as it came.</p>
{problem}
<table><thead><tr><th>#</th><th>record</th><th>IDC</th><th>what</th><th>details</th><th>use</th><th>picture</th></tr></thead>
<tbody>{"".join(rows) or "<tr><td colspan=7>none</td></tr>"}</tbody></table>
</body></html>"""
