"""Round trips are exact: `write(parse(data)) == data` for every transaction the codec accepts, and
an edit changes only what it edits (issue 25).

The generated transactions are made here byte by byte, with the liberties real files take (tags
spelled "1.01:", LEN with leading zeros, a CNT count "04", fields out of numeric order, finger
positions with gaps, undeclared Latin-1 text, a DCS with a version item), independently of the
codec's own writer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ebts import Record, Transaction, parse, write

FS, GS, RS, US = b"\x1c", b"\x1d", b"\x1e", b"\x1f"
REFERENCE_DIRS = ("ebts/nist-reference", "ebts/openebts")


# ------------------------------------------------------------------------------ byte-level maker
def _tag(record_type: int, tag: int, short: bool) -> bytes:
    return (
        f"{record_type}.{tag:02d}:".encode() if short and tag < 100 else f"{record_type}.{tag:03d}:".encode()
    )


def _tagged(record_type: int, fields: list[tuple[int, bytes]], short_tags: bool, len_width: int) -> bytes:
    """A tagged record: LEN first, then `fields` in the order given (field 999 last if present)."""
    body = GS.join(_tag(record_type, t, short_tags) + v for t, v in fields)
    rest = (GS + body if body else b"") + FS
    prefix = _tag(record_type, 1, short_tags)
    digits = len_width
    while len(str(len(prefix) + digits + len(rest)).zfill(len_width)) != digits:
        digits += 1
    return prefix + str(len(prefix) + digits + len(rest)).zfill(len_width).encode() + rest


def _binary_type4(idc: int, fgp: bytes, data: bytes) -> bytes:
    head = bytes([idc, 1]) + fgp + bytes([1]) + (64).to_bytes(2, "big") + (48).to_bytes(2, "big") + b"\x01"
    return (4 + len(head) + len(data)).to_bytes(4, "big") + head + data


_ASCII_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)
_UNICODE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x1c\x1d\x1e\x1f"), max_size=8
)


def _value(items: st.SearchStrategy[str], encoding: str) -> st.SearchStrategy[bytes]:
    subfield = st.lists(items, min_size=1, max_size=3).map(lambda xs: US.join(x.encode(encoding) for x in xs))
    return st.lists(subfield, min_size=1, max_size=3).map(RS.join)


@st.composite
def transactions(draw: st.DrawFn) -> bytes:
    charset = draw(st.sampled_from(["ascii", "latin-1-undeclared", "utf-8-declared"]))
    encoding = {"ascii": "ascii", "latin-1-undeclared": "latin-1", "utf-8-declared": "utf-8"}[charset]
    text = {
        "ascii": _ASCII_TEXT,
        "latin-1-undeclared": st.text(
            st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_categories=("Cc",)), max_size=10
        ),
        "utf-8-declared": _UNICODE_TEXT,
    }[charset]
    short_tags = draw(st.booleans())
    records: list[tuple[int, str, bytes]] = []  # (type, IDC as CNT lists it, bytes)
    for n in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from([2, 4, 9, 10, 14]))
        if kind == 4:
            idc = n + 1
            fgp = bytes(draw(st.lists(st.integers(0, 255), min_size=6, max_size=6)))
            records.append(
                (
                    4,
                    draw(st.sampled_from([str(idc), f"{idc:02d}"])),
                    _binary_type4(idc, fgp, draw(st.binary(max_size=40))),
                )
            )
            continue
        idc = draw(st.sampled_from([f"{n:02d}", str(n)]))
        tags = draw(st.lists(st.integers(3, 300), unique=True, max_size=6))
        if draw(st.booleans()):
            tags.sort()
        fields = [(2, idc.encode())] + [(t, draw(_value(text, encoding))) for t in tags]
        if kind in (10, 14) and draw(st.booleans()):
            fields.append((999, draw(st.binary(max_size=60))))
        records.append((kind, idc, _tagged(kind, fields, short_tags, draw(st.sampled_from([1, 1, 6])))))
    count = str(len(records))
    cnt = US.join([b"1", (count.zfill(2) if draw(st.booleans()) else count).encode()])
    cnt = RS.join([cnt, *(US.join([str(t).encode(), idc.encode()]) for t, idc, _ in records)])
    header = [
        (2, b"0500"),
        (3, cnt),
        (4, b"CAR"),
        (5, b"20261120"),
        (7, b"WVIAFISZ0"),
        (8, b"NY0303000"),
        (9, b"TCN-0000000001"),
    ]
    if charset == "utf-8-declared":
        header.append((15, draw(st.sampled_from([b"003\x1fUTF-8", b"003\x1fUTF-8\x1f4.0"]))))
    if not draw(st.booleans()):
        header = [header[0], header[1], *reversed(header[2:])]
    return _tagged(1, header, short_tags, draw(st.sampled_from([1, 4]))) + b"".join(r for _, _, r in records)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transactions())
def test_generated_transactions_round_trip_byte_for_byte(data: bytes) -> None:
    assert write(parse(data)) == data


# ------------------------------------------------------------------------------------------ edits
def _field_bytes(data: bytes) -> list[list[tuple[int, bytes]]]:
    """Per record, its fields as (tag, tag-and-value bytes), LEN left out: what an edit must keep."""
    tx = parse(data)
    out = []
    for record in tx:
        origin = record._origin
        if not origin.tags:  # a binary record: its bytes after LEN
            out.append([(0, origin.raw[4:])])
            continue
        out.append([(t, origin.tags[t] + origin.raw_values[t]) for t in origin.tags if t != 1])
    return out


def _edit_and_check(data: bytes, where: int, tag: int, value: str) -> None:
    tx = parse(data)
    record = tx.records[where]
    record.set(tag, value)
    edited = write(tx)
    again = parse(edited)
    assert again.records[where].get(tag) == value
    before, after = _field_bytes(data), _field_bytes(edited)
    assert len(before) == len(after)
    for n, (old, new) in enumerate(zip(before, after, strict=True)):
        if n == where:
            kept = [f for f in old if f[0] != tag]
            assert [f for f in new if f[0] != tag] == kept, "an edit moved or changed another field"
        else:
            assert new == old, f"record {n} changed although only record {where} was edited"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transactions(), st.data())
def test_an_edit_of_a_generated_transaction_changes_only_that_field(data: bytes, draw: st.DataObject) -> None:
    tx = parse(data)
    tagged = [n for n, r in enumerate(tx.records) if r._origin.tags]
    where = draw.draw(st.sampled_from(tagged))
    tag = draw.draw(st.sampled_from([5, 18, 47, 200, 998]))
    _edit_and_check(data, where, tag, draw.draw(st.sampled_from(["DOE,JOHN", "X", "20261120"])))


def test_1015_dcs_keeps_its_version_and_1003_cnt_its_leading_zeros() -> None:
    header = [
        (2, b"0500"),
        (3, b"1\x1f01\x1e2\x1f00"),
        (4, b"CAR"),
        (9, b"TCN-0000000001"),
        (15, b"003\x1fUTF-8\x1f4.0"),
    ]
    data = _tagged(1, header, False, 1) + _tagged(2, [(2, b"00"), (18, "MÜLLER,JÜRGEN".encode())], False, 1)
    assert write(parse(data)) == data
    tx = parse(data)
    tx.records[1].set(18, "ŁUKASZ,ŻANETA")  # still UTF-8: the DCS as it was
    again = parse(write(tx))
    assert again.header.subfields(15) == [["003", "UTF-8", "4.0"]]
    assert again.header.subfields(3) == [["1", "01"], ["2", "00"]]


def test_non_ascii_added_to_an_undeclared_transaction_declares_utf8() -> None:
    data = _tagged(1, [(2, b"0500"), (3, b"1\x1f1\x1e2\x1f00"), (4, b"CAR")], False, 1) + _tagged(
        2, [(2, b"00"), (18, b"DOE,JOHN")], False, 1
    )
    tx = parse(data)
    tx.records[1].set(18, "MÜLLER,JÜRGEN")
    again = parse(write(tx))
    assert again.header.subfields(15) == [["003", "UTF-8"]]
    assert again.records[1].get(18) == "MÜLLER,JÜRGEN"


def test_adding_a_record_rewrites_cnt_and_nothing_else() -> None:
    data = _tagged(1, [(2, b"0500"), (3, b"1\x1f01\x1e2\x1f00"), (4, b"CAR")], True, 1) + _tagged(
        2, [(2, b"00"), (18, b"DOE,JOHN")], True, 1
    )
    tx = parse(data)
    tx.records.append(Record(10, {2: [["01"]], 3: [["FACE"]]}))
    out = write(tx)
    again = parse(out)
    assert again.header.subfields(3) == [["1", "2"], ["2", "00"], ["10", "01"]]
    assert again.records[1]._origin.raw == tx.records[1]._origin.raw  # the Type-2 bytes as they were
    assert out.startswith(b"1.01:")  # the header keeps its tag spelling


def test_a_record_built_here_is_written_in_field_number_order() -> None:
    header = Record(1)
    for tag, value in ((9, "TCN-0000000001"), (2, "0500"), (4, "CAR")):
        header.set(tag, value)
    t2 = Record(2)
    t2.set(18, "DOE,JOHN")
    t2.set(2, "00")
    data = write(Transaction([header, t2]))
    assert data.index(b"1.002:") < data.index(b"1.003:") < data.index(b"1.004:") < data.index(b"1.009:")
    assert data.index(b"2.002:") < data.index(b"2.018:")


# ---------------------------------------------------------------------------------- shared files
def _reference_files(shared_data: Path) -> list[Path]:
    return sorted(
        p for d in REFERENCE_DIRS for p in (shared_data / d).iterdir() if p.suffix in (".an2", ".ebts")
    )


@pytest.mark.realdata
def test_every_reference_transaction_round_trips_byte_for_byte(shared_data: Path) -> None:
    files = _reference_files(shared_data)
    assert len(files) >= 20
    for path in files:
        data = path.read_bytes()
        assert write(parse(data)) == data, path.name


@pytest.mark.realdata
def test_an_edit_of_a_reference_transaction_changes_only_that_field(shared_data: Path) -> None:
    files = [p.read_bytes() for p in _reference_files(shared_data)]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(range(len(files))), st.data())
    def check(index: int, draw: st.DataObject) -> None:
        data = files[index]
        tx = parse(data)
        tagged = [n for n, r in enumerate(tx.records) if r._origin.tags]
        where = draw.draw(st.sampled_from(tagged))
        record = tx.records[where]
        choices = [t for t in record.fields if t not in (1, 2, 3, 15, 999)] + [998]
        tag = draw.draw(st.sampled_from(choices))
        _edit_and_check(data, where, tag, draw.draw(st.sampled_from(["DOE,JOHN", "1", "20261120"])))

    check()
