"""ANSI/NIST-ITL traditional encoding: bytes <-> Transaction.

Why not `nistitl`: it decodes and encodes every text value as Latin-1 (UTF-8 names declared in
1.015 DCS come back as mojibake and cannot be written), and turns numeric-looking values into
ints (leading zeros such as IDC "00" or VER "0500" are lost). This codec keeps every value as the
text or bytes it was and reads the binary Type-3..8 records by their fixed headers.

Round trips are exact: a parsed record remembers the bytes it came from (`Origin`), and `write`
gives back exactly those bytes for every record that was not changed. A changed record is
re-encoded field by field: fields that were not changed keep their bytes, their tag as spelled in
the file ("1.01:" stays "1.01:") and their place; LEN is recomputed, and 1.003 CNT and 1.015 DCS
are rewritten only when what they describe changed. Records built by the program are written in
field-number order with LEN, CNT and DCS computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ebts._model import BINARY_RECORD_TYPES, Record, Subfields, Transaction, Value
from ebts.errors import ParseError

FS, GS, RS, US = b"\x1c", b"\x1d", b"\x1e", b"\x1f"
_SEPARATORS = "\x1c\x1d\x1e\x1f"

# Field 999 of every tagged record is binary data that runs to the end of the record.
BINARY_FIELD = 999

_TAG = re.compile(rb"(\d{1,3})\.(\d{1,4}):")
# A record is at most a few gigabytes: more LEN digits than this is not a length but garbage.
_MAX_LEN_DIGITS = 12

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


@dataclass
class Origin:
    """Where a parsed record came from: its bytes, and per field the tag as spelled, the raw
    value bytes and the value as decoded then (to tell later whether it was changed)."""

    raw: bytes
    values: dict[int, Value]
    tags: dict[int, bytes] = field(default_factory=dict)
    raw_values: dict[int, bytes] = field(default_factory=dict)
    declared: str | None = None  # the DCS codec the text was decoded with (None: undeclared)
    len_text: bytes = b""

    def unchanged(self, record: Record) -> bool:
        return list(record.fields) == list(self.values) and all(
            _same(record.fields[t], self.values[t]) for t in self.values
        )

    def field_unchanged(self, record: Record, tag: int) -> bool:
        return tag in self.values and _same(record.fields[tag], self.values[tag])


def _same(a: Value, b: Value) -> bool:
    return a is b or a == b


def _snapshot(fields: dict[int, Value]) -> dict[int, Value]:
    return {t: v if isinstance(v, bytes) else [list(sub) for sub in v] for t, v in fields.items()}


# ------------------------------------------------------------------------------------------ parse
def parse(data: bytes) -> Transaction:
    """Read a whole transaction. Raises ParseError (and nothing else) for unreadable input."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ParseError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data:
        raise ParseError("empty input: no Type-1 record")
    raw_header, tags, pos = _read_tagged(data, 0, 1)
    declared = _codec_from_dcs(raw_header)
    decoder = _Decoder(declared)
    header = _tagged_record(1, raw_header, tags, data[:pos], decoder, text_999=True)
    records = [header]
    for record_type, idc in _content(header):
        if pos >= len(data):
            raise ParseError(
                f"1.003 CNT lists a Type-{record_type} record (IDC {idc}) but the file ends", pos
            )
        start = pos
        if record_type in BINARY_RECORD_TYPES:
            record, pos = _read_binary(data, pos, record_type)
            record._origin = Origin(data[start:pos], _snapshot(record.fields))
        else:
            raw, tags, pos = _read_tagged(data, pos, record_type)
            record = _tagged_record(record_type, raw, tags, data[start:pos], decoder)
        records.append(record)
    if pos != len(data):
        raise ParseError(f"{len(data) - pos} bytes after the last record listed in 1.003 CNT", pos)
    return Transaction(records, decoder.encoding)


def read_header(data: bytes) -> Record:
    """Only the Type-1 record of `data`: enough to answer a transaction whose other records do not
    parse (its ORI and TCN). Raises ParseError when even the Type-1 record cannot be read."""
    if not isinstance(data, bytes | bytearray | memoryview) or not data:
        raise ParseError("empty input: no Type-1 record")
    data = bytes(data)
    raw, tags, pos = _read_tagged(data, 0, 1)
    try:
        declared = _codec_from_dcs(raw)
    except ParseError:
        declared = None  # the ORI and TCN are ASCII whatever the DCS says
    decoder = _Decoder(declared, strict=False)
    return _tagged_record(1, raw, tags, data[:pos], decoder, text_999=True)


def _tagged_record(
    record_type: int,
    raw: dict[int, bytes],
    tags: dict[int, bytes],
    whole: bytes,
    decoder: _Decoder,
    text_999: bool = False,
) -> Record:
    fields: dict[int, Value] = {
        t: v if t == BINARY_FIELD and not text_999 else decoder.text(v) for t, v in raw.items()
    }
    record = Record(record_type, fields)
    record._origin = Origin(whole, _snapshot(fields), tags, dict(raw), decoder.declared, raw.get(1, b""))
    return record


def _codec_from_dcs(raw_header: dict[int, bytes]) -> str | None:
    dcs = raw_header.get(15)
    if not dcs:
        return None
    csi = dcs.split(RS)[0].split(US)[0].strip()
    number = _ascii_int(csi.decode("latin-1"))
    if number not in _DCS_CODECS:
        shown = csi[:20].decode("latin-1")
        raise ParseError(f"1.015 DCS declares an unknown character set {shown!r}")
    return _DCS_CODECS[number]


class _Decoder:
    """Decodes text items; without a DCS, non-ASCII bytes are read as UTF-8 when they are valid
    UTF-8 and as Latin-1 otherwise (Latin-1 maps every byte, so nothing is ever lost)."""

    def __init__(self, declared: str | None, strict: bool = True) -> None:
        self.declared = declared
        self.encoding = declared or "ascii"
        self.strict = strict

    def text(self, raw: bytes) -> Subfields:
        return [[self._item(i) for i in sub.split(US)] for sub in raw.split(RS)]

    def _item(self, raw: bytes) -> str:
        if self.declared:
            try:
                return raw.decode(self.declared)
            except UnicodeDecodeError as exc:
                if not self.strict:
                    return raw.decode("latin-1")
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


def _ascii_int(text: str) -> int | None:
    """The value of a string of ASCII digits (not "²", not "٣", not 5 000 digits), else None."""
    text = text.strip()
    if not text or len(text) > 18 or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def _content(header: Record) -> list[tuple[int, str]]:
    """The (type, IDC) list of the records after Type-1, from 1.003 CNT."""
    cnt = header.fields.get(3)
    if not cnt or isinstance(cnt, bytes):
        raise ParseError("Type-1 record has no 1.003 CNT (file content) field")
    listed = []
    for n, sub in enumerate(cnt[1:], start=2):
        record_type = _ascii_int(sub[0])
        idc = sub[1] if len(sub) > 1 else ""
        if record_type is None:
            raise ParseError(f"1.003 CNT subfield {n} has a record type {sub[0][:20]!r} that is not a number")
        if not 2 <= record_type <= 99:
            raise ParseError(f"1.003 CNT lists record type {record_type} (IDC {idc[:20]!r}), not 2..99")
        listed.append((record_type, idc))
    return listed


def _read_tagged(data: bytes, start: int, record_type: int) -> tuple[dict[int, bytes], dict[int, bytes], int]:
    """Split one tagged record into raw field values and the tags as spelled; returns them and
    the next record's offset."""
    match = _TAG.match(data, start)
    if not match:
        raise ParseError(f"expected a Type-{record_type} record starting with '{record_type}.001:'", start)
    if int(match.group(1)) != record_type or int(match.group(2)) != 1:
        found = f"{int(match.group(1))}.{int(match.group(2)):03d}"
        raise ParseError(f"expected field {record_type}.001 (LEN) to start the record, found {found}", start)
    end_of_len = data.find(GS, match.end(), match.end() + _MAX_LEN_DIGITS + 2)
    if end_of_len < 0:
        end_of_len = data.find(FS, match.end(), match.end() + _MAX_LEN_DIGITS + 2)
    digits = data[match.end() : end_of_len] if end_of_len >= 0 else data[match.end() : match.end() + 20]
    if end_of_len < 0 or not digits.isdigit() or len(digits) > _MAX_LEN_DIGITS:
        shown = digits[:20] + (b"..." if len(digits) > 20 or end_of_len < 0 else b"")
        raise ParseError(
            f"{record_type}.001 LEN is not a number of at most {_MAX_LEN_DIGITS} digits: {shown!r}", start
        )
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
    tags: dict[int, bytes] = {}
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
        tags[tag] = match.group(0)
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
    return fields, tags, end


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
    """Encode a transaction. A parsed transaction that was not changed comes back byte for byte;
    see the module's docstring for what an edit changes. The transaction passed in is not changed."""
    records = transaction.records
    if not records or records[0].type != 1:
        raise ValueError("a transaction starts with its Type-1 record")
    if any(r.type == 1 for r in records[1:]):
        raise ValueError("a transaction has exactly one Type-1 record")
    source = records[0]
    header = Record(1, dict(source.fields), source._origin)
    header.fields[3] = _cnt(records, source.fields.get(3))
    codec = _output_codec(records, header)
    out = [_write_tagged(header, codec)]
    for n, record in enumerate(records[1:], start=1):
        if record.type in BINARY_RECORD_TYPES:
            out.append(_write_binary(record, n))
        else:
            out.append(_write_tagged(record, codec))
    return b"".join(out)


def _cnt(records: list[Record], current: Value | None) -> Subfields:
    """1.003 CNT for `records`: the field as it is while it still lists them (keeping its
    spelling, such as "04" for the count, and whatever a file had, such as an IDC that differs
    from the record's own, as long as neither was changed), else a new list."""
    listed: Subfields = [["1", str(len(records) - 1)]]
    for n, record in enumerate(records[1:], start=1):
        idc = record.idc or f"{n:02d}"
        # Binary records hold IDC as a number; CNT conventionally lists it with two digits.
        number = _ascii_int(idc)
        if record.type in BINARY_RECORD_TYPES and number is not None:
            idc = f"{number:02d}"
        listed.append([str(record.type), idc])
    if not isinstance(current, list) or len(current) != len(listed) or not current[0]:
        return listed
    if _cnt_key(current) == _cnt_key(listed):
        return current
    header = records[0]
    count_kept = _cnt_key(current[:1]) == _cnt_key(listed[:1]) or (
        header._origin is not None and header._origin.field_unchanged(header, 3)
    )
    if count_kept and all(_still_listed(sub, r) for sub, r in zip(current[1:], records[1:], strict=True)):
        return current
    return listed


def _still_listed(sub: list[str], record: Record) -> bool:
    if not sub or _ascii_int(sub[0]) != record.type:
        return False
    if _cnt_key([sub]) == _cnt_key([[sub[0], record.idc]]):
        return True
    origin: Origin | None = record._origin
    if origin is None:
        return False
    if 2 not in record.fields:  # no IDC now: only fine if there was none when it was read
        return 2 not in origin.values
    return origin.field_unchanged(record, 2)


def _cnt_key(cnt: Subfields) -> list[tuple[int | str, ...]]:
    def norm(item: str) -> int | str:
        number = _ascii_int(item)
        return item if number is None else number

    return [tuple(norm(i) for i in sub[:2]) for sub in cnt]


def _output_codec(records: list[Record], header: Record) -> str | None:
    """The text codec to write with, adjusting `header`'s 1.015 DCS when the text needs it.
    None means "as read": undeclared non-ASCII text passed through unchanged."""
    declared_text = header.get(15)
    declared = _DCS_CODECS.get(_ascii_int(declared_text) or -1) if declared_text else None
    non_ascii = [(r, t) for r in records for t in _non_ascii_fields(r)]
    if not non_ascii:
        return declared or "ascii"
    if declared and all(_encodable(r.fields[t], declared) for r, t in non_ascii):
        return declared
    if not declared and all(
        r._origin is not None and r._origin.declared is None and r._origin.field_unchanged(r, t)
        for r, t in non_ascii
    ):
        return None  # undeclared text read from a file and left alone: write it as it was
    header.fields[15] = [list(UTF8_DCS)]
    return "utf-8"


def _non_ascii_fields(record: Record) -> list[int]:
    return [
        tag
        for tag, value in record.fields.items()
        if not isinstance(value, bytes) and any(not item.isascii() for sub in value for item in sub)
    ]


def _encodable(value: Value, codec: str) -> bool:
    try:
        for sub in value:
            for item in sub:
                item.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _encode_value(record_type: int, tag: int, value: Value, codec: str | None) -> bytes:
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
        parts.append(US.join(item.encode(codec or "ascii") for item in sub))
    return RS.join(parts)


def _raw_reusable(origin: Origin, record: Record, tag: int, codec: str | None) -> bytes | None:
    """The field's bytes as read when the field was not changed and the text codec is the one it
    was read with (or its bytes are plain ASCII)."""
    if tag not in origin.raw_values or not origin.field_unchanged(record, tag):
        return None
    raw = origin.raw_values[tag]
    if tag == BINARY_FIELD and isinstance(record.fields[tag], bytes):
        return raw
    if codec is None or codec == origin.declared or raw.isascii():
        return raw
    return None


def _write_tagged(record: Record, codec: str | None) -> bytes:
    origin: Origin | None = record._origin
    if (
        origin is not None
        and origin.tags
        and origin.unchanged(record)
        and all(_raw_reusable(origin, record, t, codec) is not None for t in record.fields)
    ):
        return origin.raw
    # Fields a file held keep their order; a record built here is written in field-number order.
    tags = [t for t in (record.fields if origin else sorted(record.fields)) if t not in (1, BINARY_FIELD)]
    if BINARY_FIELD in record.fields:
        tags.append(BINARY_FIELD)
    body = []
    for tag in tags:
        raw = _raw_reusable(origin, record, tag, codec) if origin else None
        value = raw if raw is not None else _encode_value(record.type, tag, record.fields[tag], codec)
        spelled = origin.tags.get(tag) if origin else None
        body.append((spelled or f"{record.type}.{tag:03d}:".encode()) + value)
    rest = GS + GS.join(body) + FS if body else FS
    prefix = (origin.tags.get(1) if origin else None) or f"{record.type}.001:".encode()
    # LEN counts itself: grow the digit count until the total is consistent. A LEN read with
    # leading zeros keeps its width.
    width = len(origin.len_text) if origin and origin.len_text[:1] == b"0" else 1
    digits = width
    while len(str(len(prefix) + digits + len(rest)).zfill(width)) != digits:
        digits += 1
    return prefix + str(len(prefix) + digits + len(rest)).zfill(width).encode() + rest


def _write_binary(record: Record, position: int) -> bytes:
    origin: Origin | None = record._origin
    if origin is not None and origin.unchanged(record):
        return origin.raw
    layout, data_field = _BINARY_LAYOUT[record.type]
    payload = record.binary(data_field) or b""
    header_size = sum(size for _, size in layout)
    parts = []
    for tag, size in layout:
        if tag == 1:
            value = header_size + len(payload)
            parts.append(value.to_bytes(size, "big"))
        elif record.type in (3, 4, 5, 6) and tag == _FGP_FIELD:
            codes = [_byte(record, tag, sub[0]) for sub in record.subfields(tag)][:6]
            parts.append(bytes(codes + [_UNUSED_FGP] * (6 - len(codes))))
        else:
            text = record.get(tag) or (str(position) if tag == 2 else "0")
            number = _ascii_int(text)
            if number is None or number >= 256**size:
                raise ValueError(
                    f"field {record.type}.{tag:03d}: {text!r} does not fit a {size}-byte binary number"
                )
            parts.append(number.to_bytes(size, "big"))
    return b"".join(parts) + payload


def _byte(record: Record, tag: int, text: str) -> int:
    number = _ascii_int(text)
    if number is None or number > 255:
        raise ValueError(f"field {record.type}.{tag:03d}: {text!r} is not a finger position 0-255")
    return number
