"""A transaction described for people (text) and for programs (JSON-ready dicts)."""

from __future__ import annotations

import hashlib

from ebts import wsq
from ebts._model import Transaction
from ebts._names import field_name

_SHOWN_ITEMS = 200  # long text fields (rap sheets) are shortened in the text listing only


def describe(tx: Transaction) -> dict:
    records = []
    for record in tx:
        fields = []
        for tag, value in record.fields.items():
            entry: dict = {"tag": f"{record.type}.{tag:03d}", "name": field_name(record.type, tag)}
            if isinstance(value, bytes):
                entry.update(_binary(value))
            else:
                entry["subfields"] = value
            fields.append(entry)
        records.append({"type": record.type, "fields": fields})
    return {"tot": tx.tot, "tcn": tx.tcn, "encoding": tx.encoding, "records": records}


def to_lines(tx: Transaction) -> list[str]:
    lines = [f"{tx.tot or '(no TOT)'} {tx.tcn}  text encoding: {tx.encoding}"]
    for n, record in enumerate(describe(tx)["records"]):
        lines.append(f"-- record {n}: Type-{record['type']}")
        for field in record["fields"]:
            label = f"{field['tag']:>9} {field['name']:<5}"
            if "bytes" in field:
                lines.append(
                    f"{label} <{field['bytes']} bytes {field['format']}, sha256 {field['sha256'][:16]}>"
                )
            else:
                text = "  |  ".join(" / ".join(sub) for sub in field["subfields"])
                lines.append(f"{label} {text if len(text) <= _SHOWN_ITEMS else text[:_SHOWN_ITEMS] + '...'}")
    return lines


def _binary(data: bytes) -> dict:
    info = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "format": "binary"}
    if data[:2] == b"\xff\xa0":
        try:
            frame = wsq.inspect(data)
            info["format"] = f"WSQ {frame.width}x{frame.height}" + (f" {frame.ppi} ppi" if frame.ppi else "")
        except wsq.WSQError as exc:
            info["format"] = f"WSQ (damaged: {exc})"
    elif data[:3] == b"\xff\xd8\xff":
        info["format"] = "JPEG"
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        info["format"] = "PNG"
    elif data[4:12] == b"jP  \r\n\x87\n" or data[:4] == b"\xff\x4f\xff\x51":
        info["format"] = "JPEG 2000"
    return info
