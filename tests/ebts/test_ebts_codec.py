from __future__ import annotations

from pathlib import Path

import pytest

from ebts import ParseError, Record, Transaction, parse, write

REFERENCE_DIRS = ("ebts/nist-reference", "ebts/openebts")


def _reference_files(shared_data: Path) -> list[Path]:
    files = sorted(
        p for d in REFERENCE_DIRS for p in (shared_data / d).iterdir() if p.suffix in (".an2", ".ebts")
    )
    assert len(files) >= 20, "the shared reference folder should hold the NIST and OpenEBTS samples"
    return files


def _content(tx: Transaction) -> list[tuple[int, dict]]:
    # LEN and CNT are recomputed on writing; every other field must come back as it was.
    return [
        (r.type, {k: v for k, v in r.fields.items() if (r.type, k) not in ((1, 3),) and k != 1}) for r in tx
    ]


@pytest.mark.realdata
def test_every_reference_file_parses_and_survives_a_rewrite(shared_data: Path) -> None:
    for path in _reference_files(shared_data):
        data = path.read_bytes()
        tx = parse(data)
        listed = tx.header.subfields(3)
        assert len(tx) == 1 + int(listed[0][1]), path.name
        assert [r.type for r in tx.records[1:]] == [int(s[0]) for s in listed[1:]], path.name
        again = parse(write(tx))
        assert _content(again) == _content(tx), path.name


@pytest.mark.realdata
def test_well_formed_reference_files_are_rewritten_byte_for_byte(shared_data: Path) -> None:
    for name in (
        "type-4-tpcard.an2",
        "type-14-tpcard-nqm.an2",
        "type-8-sig.an2",
        "rec01_rec02_rec16.nst.an2",
    ):
        data = (shared_data / "ebts/nist-reference" / name).read_bytes()
        assert write(parse(data)) == data, name


@pytest.mark.realdata
def test_binary_records_are_read_by_their_fixed_headers(shared_data: Path) -> None:
    tx = parse((shared_data / "ebts/nist-reference/type-4-tpcard.an2").read_bytes())
    first = tx.first(4)
    assert first is not None
    assert first.get(4) == "1"  # FGP: right thumb
    width, height = int(first.get(6) or 0), int(first.get(7) or 0)
    assert (width, height) == (804, 752)
    assert first.binary(9)[:2] == b"\xff\xa0"  # WSQ start of image
    assert sorted(int(r.get(4) or 0) for r in tx.of_type(4)) == list(range(1, 15))


def _tx(*texts: str) -> Transaction:
    header = Record(1)
    for tag, value in (
        (2, "0500"),
        (4, "CAR"),
        (5, "20261120"),
        (7, "WVIAFISZ0"),
        (8, "NY0303000"),
        (9, "TCN0000001"),
    ):
        header.set(tag, value)
    t2 = Record(2)
    t2.set(2, "00")
    for text in texts:
        t2.add_subfield(19, text)
    t2.set(18, texts[0] if texts else "DOE,JOHN")
    return Transaction([header, t2])


def test_names_in_several_scripts_survive_a_round_trip_declared_utf8() -> None:
    names = [
        "Müller,Jürgen",
        "Иванов,Пётр",
        "李,小龍",
        "محمد,علي",
        "Nguyễn,Văn Thành",
        "कुमार,राज",
        "O'Brien,Seán",
    ]
    data = write(_tx(*names))
    tx = parse(data)
    assert tx.header.subfields(15) == [["003", "UTF-8"]]
    assert [s[0] for s in tx.first(2).subfields(19)] == names
    assert tx.first(2).get(18) == names[0]
    assert tx.encoding == "utf-8"


def test_ascii_only_text_declares_no_character_set() -> None:
    tx = parse(write(_tx("DOE,JOHN")))
    assert 15 not in tx.header
    assert tx.encoding == "ascii"


def test_undeclared_latin1_bytes_are_kept_not_dropped() -> None:
    data = write(_tx("DOE,JOHN")).replace(b"DOE,JOHN", b"D\xd6E,JOHN")
    # The record lengths are unchanged (one byte for one byte), so the file is still well formed.
    tx = parse(data)
    assert tx.first(2).get(18) == "DÖE,JOHN"
    assert tx.encoding == "latin-1"


def test_separator_characters_in_a_value_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValueError, match=r"2\.01[89]"):
        write(_tx("DOE\x1dJOHN"))


def test_binary_record_round_trip_keeps_header_and_data() -> None:
    header = _tx().header
    t4 = Record(
        4, {2: [["1"]], 3: [["1"]], 4: [["3"], ["4"]], 5: [["0"]], 6: [["40"]], 7: [["30"]], 8: [["1"]]}
    )
    t4.set(9, b"\xff\xa0pretend-image")
    tx = parse(write(Transaction([header, t4])))
    t4b = tx.first(4)
    assert t4b.subfields(4) == [["3"], ["4"]]
    assert (t4b.get(6), t4b.get(7), t4b.binary(9)) == ("40", "30", b"\xff\xa0pretend-image")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"hello", "1.001"),
        (b"1.001:99\x1d1.002:0500\x1c", "does not fit"),
        (b"1.001:abc\x1d", "not a number"),
        (b"1.001:20\x1d1.002:0500\x1c", "CNT"),
    ],
)
def test_malformed_input_gives_a_parse_error_that_says_what(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(data)


def test_truncated_file_names_the_missing_record() -> None:
    data = write(_tx("DOE,JOHN"))
    with pytest.raises(ParseError, match="Type-2"):
        parse(data[:-10])
