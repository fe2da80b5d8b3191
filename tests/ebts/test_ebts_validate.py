from __future__ import annotations

from collections.abc import Callable

import pytest

from ebts import Record, Transaction, build_car, parse, validate


@pytest.fixture
def car(submission) -> Transaction:
    return parse(build_car(submission))


def _t2(tx: Transaction) -> Record:
    return tx.first(2)


def _t14(tx: Transaction, fgp: int) -> Record:
    return next(r for r in tx.of_type(14) if r.get(13) == str(fgp))


def _drop_image(tx: Transaction, fgp: int) -> None:
    tx.records.remove(_t14(tx, fgp))


# (what is broken, expected field, expected code)
CASES: list[tuple[Callable[[Transaction], None], str, str]] = [
    (lambda tx: tx.header.set(9, None), "1.009 TCN", "L0001"),
    (lambda tx: tx.header.set(9, "SHORT"), "1.009 TCN", "L0003"),
    (lambda tx: tx.header.set(2, "5"), "1.002 VER", "L0003"),
    (lambda tx: tx.header.set(5, "20261340"), "1.005 DAT", "L0004"),
    (lambda tx: tx.header.set(6, "0"), "1.006 PRY", "L0011"),
    (lambda tx: tx.header.set(8, "ny-0303"), "1.008 ORI", "L0003"),
    (lambda tx: tx.header.set(11, "19.68"), "1.011 NSR", "L0011"),
    (lambda tx: tx.header.set(12, "500"), "1.012 NTR", "L0003"),
    (lambda tx: tx.header.set(14, "2026-11-20"), "1.014 GMT", "L0004"),
    (lambda tx: _t2(tx).set(18, None), "2.018 NAM", "L0001"),
    (lambda tx: _t2(tx).set(18, "DOE JOHN"), "2.018 NAM", "L0003"),
    (lambda tx: _t2(tx).set(18, "X" * 40 + "," + "Y" * 20), "2.018 NAM", "L0003"),
    (lambda tx: _t2(tx).add_subfield(19, "7UP,SEVEN"), "2.019 AKA", "L0003"),
    (lambda tx: _t2(tx).set(5, "maybe"), "2.005 RET", "L0002"),
    (lambda tx: _t2(tx).set(20, "QQ"), "2.020 POB", "L0002"),
    (lambda tx: _t2(tx).set(24, "Q"), "2.024 SEX", "L0002"),
    (lambda tx: _t2(tx).set(25, "Z"), "2.025 RAC", "L0002"),
    (lambda tx: _t2(tx).set(31, "RED"), "2.031 EYE", "L0002"),
    (lambda tx: _t2(tx).set(32, "XYZ"), "2.032 HAI", "L0002"),
    (lambda tx: _t2(tx).set(22, "19850231"), "2.022 DOB", "L0004"),
    (lambda tx: _t2(tx).set(22, "29990101"), "2.022 DOB", "L0004"),
    (lambda tx: _t2(tx).set(45, "29990101"), "2.045 DOA", "L0004"),
    (lambda tx: _t2(tx).set(45, "19800101"), "2.045 DOA", "L0004"),
    (lambda tx: _t2(tx).set(27, "513"), "2.027 HGT", "L0011"),
    (lambda tx: _t2(tx).set(27, "912"), "2.027 HGT", "L0011"),
    (lambda tx: _t2(tx).set(29, "9"), "2.029 WGT", "L0011"),
    (lambda tx: _t2(tx).set(47, [["2026111", "THEFT"]]), "2.047 ASL", "L0004"),
    (lambda tx: _t2(tx).set(47, [["20261119", " "]]), "2.047 ASL", "L0003"),
    (lambda tx: _t2(tx).set(47, None), "2.047 ASL", "L0001"),
    (lambda tx: _t2(tx).set(73, ["short"]), "2.073 CRI", "L0003"),
    (lambda tx: _t2(tx).set(84, [["11", "XX"]]), "2.084 AMP", "L0002"),
    (lambda tx: _t2(tx).set(84, [["07", "ZZ"]]), "2.084 AMP", "L0002"),
    (lambda tx: _t2(tx).set(84, [["03", "XX"]]), "2.084 AMP", "L0005"),
    (lambda tx: _drop_image(tx, 7), "14.013 FGP", "L0005"),
    (lambda tx: _drop_image(tx, 13), "14.013 FGP", "L0005"),
    (lambda tx: _drop_image(tx, 12), "14.013 FGP", "L0005"),
    (lambda tx: _t14(tx, 4).set(13, "3"), "14.013 FGP", "L0005"),
    (lambda tx: _t14(tx, 4).set(13, "16"), "14.013 FGP", "L0002"),
    (lambda tx: _t14(tx, 4).set(3, "0"), "14.003 IMP", "L0002"),
    (lambda tx: _t14(tx, 11).set(3, "1"), "14.003 IMP", "L0002"),
    (lambda tx: _t14(tx, 4).set(3, "9"), "14.003 IMP", "L0002"),
    (lambda tx: _t14(tx, 4).set(11, "JPEGB"), "14.011 CGA", "L0002"),
    (lambda tx: _t14(tx, 4).set(9, "250"), "14.009 THPS", "L0011"),
    (lambda tx: _t14(tx, 4).set(8, "2"), "14.008 SLC", "L0002"),
    (lambda tx: _t14(tx, 4).set(12, "16"), "14.012 BPX", "L0011"),
    (lambda tx: _t14(tx, 4).set(5, "20261399"), "14.005 FCD", "L0004"),
    (lambda tx: _t14(tx, 4).set(6, "65"), "14.006 HLL", "L0006"),
    (lambda tx: _t14(tx, 4).set(4, None), "14.004 SRC", "L0001"),
    (lambda tx: _t14(tx, 4).set(999, b"\xff\xa0broken"), "14.999 DATA", "L0006"),
    (lambda tx: _t14(tx, 4).fields.pop(999), "14.999 DATA", "L0001"),
    (lambda tx: _t14(tx, 4).set(24, [["4", "101", "FFFF", "1"]]), "14.024 FQM", "L0011"),
    (lambda tx: _t14(tx, 4).set(24, [["4", "255", "FFFF", "1"]]), "14.024 FQM", "L0007"),
    (lambda tx: _t14(tx, 13).set(21, [["2", "0", "64", "0", "64"]]), "14.021 SEG", "L0005"),
    (lambda tx: _t14(tx, 13).add_subfield(21, "7", "0", "64", "0", "64"), "14.021 SEG", "L0009"),
    (lambda tx: _t14(tx, 13).add_subfield(21, "3", "0", "999", "0", "64"), "14.021 SEG", "L0011"),
    (lambda tx: _t14(tx, 13).add_subfield(21, "3", "0"), "14.021 SEG", "L0003"),
    (lambda tx: tx.records.append(Record(9, {2: [["99"]]})), "9.001 LEN", "L0012"),
    (lambda tx: tx.records.append(Record(3, {2: [["99"]], 9: b""})), "3.001 LEN", "L0012"),
    (lambda tx: tx.records.append(Record(2, {2: [["01"]]})), "2.001 LEN", "L0012"),
    (lambda tx: tx.records.append(Record(10, {2: [["99"]]})), "10.003 IMT", "L0001"),
    (lambda tx: tx.records.append(Record(10, {2: [["99"]], 3: [["SELFIE"]]})), "10.003 IMT", "L0002"),
    (lambda tx: tx.records.append(Record(10, {2: [["99"]], 3: [["FACE"]]})), "10.999 DATA", "L0001"),
    (
        lambda tx: tx.records.extend(Record(10, {2: [[str(n)]], 3: [["FACE"]], 999: b"x"}) for n in range(5)),
        "10.001 LEN",
        "L0012",
    ),
    (lambda tx: tx.records.append(Record(15, {2: [["99"]], 13: [["7"]], 999: b"x"})), "15.013 PLP", "L0002"),
]


@pytest.mark.parametrize(
    ("breaks", "field", "code"), CASES, ids=[f"{f}-{c}-{i}" for i, (_, f, c) in enumerate(CASES)]
)
def test_each_rule_is_caught_with_field_and_code(car: Transaction, breaks, field: str, code: str) -> None:
    assert validate(car) == []
    breaks(car)
    problems = validate(car)
    assert any(p.field == field and p.code == code for p in problems), problems


ALLOWED = [
    (lambda tx: _t14(tx, 4).set(9, "250"), "14.009 THPS", ("500 ppi", "1000 ppi")),
    (lambda tx: _t14(tx, 4).set(12, "16"), "14.012 BPX", ("8",)),
    (lambda tx: _t14(tx, 4).set(24, [["4", "101", "FFFF", "1"]]), "14.024 FQM", ("0-100", "254", "255")),
    (lambda tx: _t2(tx).set(29, "999"), "2.029 WGT", ("050-499",)),
]


@pytest.mark.parametrize(("breaks", "field", "allowed"), ALLOWED, ids=[f for _, f, _ in ALLOWED])
def test_a_range_rule_says_what_it_accepts_apart_from_its_words(
    car: Transaction, breaks, field, allowed
) -> None:
    """The station words a problem in the clerk's language from its code and parameters: what the
    rule accepts travels as values (the rule's own sentence is English, for the log and the ERRT)."""
    breaks(car)
    (problem,) = [p for p in validate(car) if p.field == field]
    assert problem.allowed == allowed


def test_every_problem_is_listed_not_just_the_first(car: Transaction) -> None:
    _t2(car).set(24, "Q")
    _t2(car).set(25, "Z")
    _drop_image(car, 7)
    fields = {p.field for p in validate(car)}
    assert {"2.024 SEX", "2.025 RAC", "14.013 FGP"} <= fields


def test_problem_becomes_an_errt_line(car: Transaction) -> None:
    _t2(car).set(24, "Q")
    (problem,) = validate(car)
    error = problem.to_error()
    assert (error.code, error.field) == ("L0002", "2.024 SEX")
    assert "'Q'" in error.message and "SEX" in str(problem)


def test_undeclared_non_ascii_text_is_a_problem(car: Transaction) -> None:
    car.encoding = "latin-1"
    car.header.set(15, None)
    assert any(p.field == "1.015 DCS" for p in validate(car))


def test_a_transaction_without_type1_is_reported() -> None:
    assert validate(Transaction([Record(2)]))[0].code == "L0010"
