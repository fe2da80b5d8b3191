"""ANSI/NIST-ITL traditional encoding: bytes <-> Transaction.

Why not `nistitl`: it decodes and encodes every text value as Latin-1 (UTF-8 names declared in
1.015 DCS come back as mojibake and cannot be written), and turns numeric-looking values into
ints (leading zeros such as IDC "00" or VER "0500" are lost). This codec keeps every value as the
text or bytes it was, reads the binary Type-3..8 records by their fixed headers, and writes LEN,
CNT and DCS itself so they are always consistent.
"""

from __future__ import annotations

import re

from ebts._model import BINARY_RECORD_TYPES, Record, Subfields, Transaction, Value
from ebts.errors import ParseError

FS, GS, RS, US = b"\x1c", b"\x1d", b"\x1e", b"\x1f"
_SEPARATORS = "\x1c\x1d\x1e\x1f"

# Field 999 of every tagged record is binary data that runs to the end of the record.
BINARY_FIELD = 999

_TAG = re.compile(rb"(\d{1,3})\.(\d{1,4}):")

# Character set index (1.015 DCS, first item) -> Python codec.
_DCS_CODECS = {0: "ascii", 1: "latin-1", 2: "utf-16-be", 3: "utf-8", 4: "utf-32-be"}
UTF8_DCS = ["003", "UTF-8"]

# Binary records: (field number, byte size) of each header field, then the data field number.
_BINARY_LAYOUT: dict[int, tuple[tuple[tuple[int, int], ...], int]] = {
    3: (((1, 4), (2, 1), (3, 1), (4, 6), (5, 1), (6, 2), (7, 2), (8, 1)), 9),
    4: (((1, 4), (2, 1), (3, 1), (4, 6), (5, 1), (6, 2), (7, 2), (8, 1)), 9),
    5: (((1, 4), (2, 1), (3, 1), (4, 6), (5, 1), (6, 2), (7, 2), (8, 1)), 9),
    6: (((1, 4), (2, 1), (3, 1), (4, 6), (5, 1), (6, 2), (7, 2), (8, 1)), 9),
    7: (((1, 4), (2, 1)), 3),  # beyond LEN and IDC a Type-7 record is user-defined
    8: (((1, 4), (2, 1), (3, 1), (4, 1), (5, 1), (6, 2), (7, 2)), 8),
}
_FGP_FIELD = 4  # Types 3-6: six one-byte finger positions, 255 = unused
_UNUSED_FGP = 255


# ------------------------------------------------------------------------------------------ parse
def parse(data: bytes) -> Transaction:
    """Read a whole transaction. Raises ParseError (and nothing else) for unreadable input."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ParseError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data:
        raise ParseError("empty input: no Type-1 record")
    raw_header, pos = _read_tagged(data, 0, 1)
    codec = _codec_from_dcs(raw_header)
    decoder = _Decoder(codec)
    header = Record(1, {tag: decoder.text(value) for tag, value in raw_header.items()})
    records = [header]
    for record_type, idc in _content(header):
        if pos >= len(data):
            raise ParseError(
                f"1.003 CNT lists a Type-{record_type} record (IDC {idc}) but the file ends", pos
            )
        if record_type in BINARY_RECORD_TYPES:
            record, pos = _read_binary(data, pos, record_type)
        else:
            raw, pos = _read_tagged(data, pos, record_type)
            record = Record(
                record_type,
                {t: v if t == BINARY_FIELD else decoder.text(v) for t, v in raw.items()},
            )
        records.append(record)
    if pos != len(data):
        raise ParseError(f"{len(data) - pos} bytes after the last record listed in 1.003 CNT", pos)
    return Transaction(records, decoder.encoding)


def _codec_from_dcs(raw_header: dict[int, bytes]) -> str | None:
    dcs = raw_header.get(15)
    if not dcs:
        return None
    csi = dcs.split(RS)[0].split(US)[0].strip()
    try:
        return _DCS_CODECS[int(csi)]
    except (ValueError, KeyError):
        raise ParseError(f"1.015 DCS declares an unknown character set {csi!r}") from None


class _Decoder:
    """Decodes text items; without a DCS, non-ASCII bytes are read as UTF-8 when they are valid
    UTF-8 and as Latin-1 otherwise (Latin-1 maps every byte, so nothing is ever lost)."""

    def __init__(self, declared: str | None) -> None:
        self.declared = declared
        self.encoding = declared or "ascii"

    def text(self, raw: bytes) -> Subfields:
        return [[self._item(i) for i in sub.split(US)] for sub in raw.split(RS)]

    def _item(self, raw: bytes) -> str:
        if self.declared:
            try:
                return raw.decode(self.declared)
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"text is not valid {self.declared} as declared in 1.015 DCS: {exc}"
                ) from None
        if raw.isascii():
            return raw.decode("ascii")
        try:
            text = raw.decode("utf-8")
            if self.encoding == "ascii":
                self.encoding = "utf-8"
            return text
        except UnicodeDecodeError:
            self.encoding = "latin-1"
            return raw.decode("latin-1")


def _content(header: Record) -> list[tuple[int, str]]:
    """The (type, IDC) list of the records after Type-1, from 1.003 CNT."""
    cnt = header.fields.get(3)
    if not cnt or isinstance(cnt, bytes):
        raise ParseError("Type-1 record has no 1.003 CNT (file content) field")
    listed = []
    for n, sub in enumerate(cnt[1:], start=2):
        try:
            listed.append((int(sub[0]), sub[1] if len(sub) > 1 else ""))
        except ValueError:
            raise ParseError(
                f"1.003 CNT subfield {n} has a record type {sub[0]!r} that is not a number"
            ) from None
    for record_type, idc in listed:
        if not 2 <= record_type <= 99:
            raise ParseError(f"1.003 CNT lists record type {record_type} (IDC {idc}), not 2..99")
    return listed


def _read_tagged(data: bytes, start: int, record_type: int) -> tuple[dict[int, bytes], int]:
    """Split one tagged record into raw field values; returns them and the next record's offset."""
    match = _TAG.match(data, start)
    if not match:
        raise ParseError(f"expected a Type-{record_type} record starting with '{record_type}.001:'", start)
    if int(match.group(1)) != record_type or int(match.group(2)) != 1:
        found = f"{int(match.group(1))}.{int(match.group(2)):03d}"
        raise ParseError(f"expected field {record_type}.001 (LEN) to start the record, found {found}", start)
    end_of_len = data.find(GS, match.end())
    digits = data[match.end() : end_of_len] if end_of_len >= 0 else b""
    if not digits.strip().isdigit():
        raise ParseError(f"{record_type}.001 LEN is not a number: {digits[:20]!r}", start)
    length = int(digits)
    end = start + length
    if length < match.end() - start + 2 or end > len(data):
        raise ParseError(
            f"Type-{record_type} record length {length} does not fit the {len(data) - start} bytes left",
            start,
        )
    if data[end - 1 : end] != FS:
        raise ParseError(
            f"Type-{record_type} record of length {length} does not end with a file separator", end - 1
        )
    fields: dict[int, bytes] = {}
    pos = start
    while pos < end:
        match = _TAG.match(data, pos, end)
        if not match:
            raise ParseError(
                f"malformed field tag in a Type-{record_type} record: {data[pos : pos + 12]!r}", pos
            )
        if int(match.group(1)) != record_type:
            raise ParseError(f"field {match.group(0).decode()} found inside a Type-{record_type} record", pos)
        tag = int(match.group(2))
        if tag in fields:
            raise ParseError(f"field {record_type}.{tag:03d} appears twice", pos)
        if tag == BINARY_FIELD:
            fields[tag] = data[match.end() : end - 1]
            pos = end
            break
        stop = match.end()
        while data[stop : stop + 1] not in (GS, FS):
            stop += 1
        fields[tag] = data[match.end() : stop]
        pos = stop + 1
        if stop == end - 1:
            break
        if stop >= end:
            raise ParseError(f"field {record_type}.{tag:03d} runs past its record's end", stop)
    if pos != end:
        raise ParseError(f"Type-{record_type} record ends before its LEN says ({end - start} bytes)", pos)
    return fields, end


def _read_binary(data: bytes, start: int, record_type: int) -> tuple[Record, int]:
    layout, data_field = _BINARY_LAYOUT[record_type]
    header_size = sum(size for _, size in layout)
    if start + header_size > len(data):
        raise ParseError(f"binary Type-{record_type} record header runs past the end of the file", start)
    length = int.from_bytes(data[start : start + 4], "big")
    end = start + length
    if length < header_size or end > len(data):
        raise ParseError(
            f"binary Type-{record_type} record length {length} does not fit "
            f"(header {header_size} bytes, {len(data) - start} bytes left)",
            start,
        )
    record = Record(record_type)
    pos = start
    for tag, size in layout:
        chunk = data[pos : pos + size]
        if record_type in (3, 4, 5, 6) and tag == _FGP_FIELD:
            record.fields[tag] = [[str(b)] for b in chunk if b != _UNUSED_FGP]
        else:
            record.fields[tag] = [[str(int.from_bytes(chunk, "big"))]]
        pos += size
    record.fields[data_field] = data[pos:end]
    return record, end


# ------------------------------------------------------------------------------------------ write
def write(transaction: Transaction) -> bytes:
    """Encode a transaction; LEN, 1.003 CNT and (for non-ASCII text) 1.015 DCS are computed here.

    The transaction passed in is not changed.
    """
    records = transaction.records
    if not records or records[0].type != 1:
        raise ValueError("a transaction starts with its Type-1 record")
    if any(r.type == 1 for r in records[1:]):
        raise ValueError("a transaction has exactly one Type-1 record")
    non_ascii = any(_has_non_ascii(r) for r in records)
    header = Record(1, dict(records[0].fields))
    if non_ascii:
        header.fields[15] = [list(UTF8_DCS)]
    codec = "utf-8" if non_ascii else "ascii"
    if not non_ascii and (declared := header.get(15)):
        codec = _DCS_CODECS.get(int(declared), "ascii") if declared.isdigit() else "ascii"
    cnt: Subfields = [["1", str(len(records) - 1)]]
    for n, record in enumerate(records[1:], start=1):
        idc = record.idc or f"{n:02d}"
        # Binary records hold IDC as a number; CNT conventionally lists it with two digits.
        if record.type in BINARY_RECORD_TYPES and idc.isdigit():
            idc = f"{int(idc):02d}"
        cnt.append([str(record.type), idc])
    header.fields[3] = cnt
    out = [_write_tagged(header, codec)]
    for n, record in enumerate(records[1:], start=1):
        if record.type in BINARY_RECORD_TYPES:
            out.append(_write_binary(record, n))
        else:
            out.append(_write_tagged(record, codec))
    return b"".join(out)


def _has_non_ascii(record: Record) -> bool:
    return any(
        not item.isascii()
        for value in record.fields.values()
        if not isinstance(value, bytes)
        for sub in value
        for item in sub
    )


def _encode_value(record_type: int, tag: int, value: Value, codec: str) -> bytes:
    if isinstance(value, bytes):
        if tag != BINARY_FIELD:
            raise ValueError(f"field {record_type}.{tag:03d}: only field 999 may hold binary data")
        return value
    parts = []
    for sub in value:
        for item in sub:
            if any(c in _SEPARATORS for c in item):
                raise ValueError(
                    f"field {record_type}.{tag:03d}: value {item!r} contains a separator character"
                )
        parts.append(US.join(item.encode(codec) for item in sub))
    return RS.join(parts)


def _write_tagged(record: Record, codec: str) -> bytes:
    body = []
    for tag in sorted(record.fields):
        if tag == 1:
            continue
        value = _encode_value(record.type, tag, record.fields[tag], codec)
        body.append(f"{record.type}.{tag:03d}:".encode() + value)
    rest = GS + GS.join(body) + FS if body else FS
    prefix = f"{record.type}.001:".encode()
    # LEN counts itself: grow the digit count until the total is consistent.
    digits = 1
    while len(str(len(prefix) + digits + len(rest))) != digits:
        digits += 1
    return prefix + str(len(prefix) + digits + len(rest)).encode() + rest


def _write_binary(record: Record, position: int) -> bytes:
    layout, data_field = _BINARY_LAYOUT[record.type]
    payload = record.binary(data_field) or b""
    header_size = sum(size for _, size in layout)
    parts = []
    for tag, size in layout:
        if tag == 1:
            value = header_size + len(payload)
            parts.append(value.to_bytes(size, "big"))
        elif record.type in (3, 4, 5, 6) and tag == _FGP_FIELD:
            codes = [int(sub[0]) for sub in record.subfields(tag)][:6]
            parts.append(bytes(codes + [_UNUSED_FGP] * (6 - len(codes))))
        else:
            text = record.get(tag) or (str(position) if tag == 2 else "0")
            try:
                parts.append(int(text).to_bytes(size, "big"))
            except (ValueError, OverflowError):
                raise ValueError(
                    f"field {record.type}.{tag:03d}: {text!r} does not fit a {size}-byte binary number"
                ) from None
    return b"".join(parts) + payload
