"""The CAR's logical records follow the EBTS record set (issue 25): fingerprints as Type-4 or
Type-14, photos, palms and the other records a CAR may carry, each kind within its count; and
every reference CAR validates with no problem the EBTS does not name."""

from __future__ import annotations

from pathlib import Path

import pytest
from ebts_samples import tenprint_car

from ebts import Record, finger_records, parse, validate, write
from ebts.validate import CAR_RECORD_SET

_TYPE2_MANDATORY = {f"2.{t:03d} {n}" for t, n in ((5, "RET"), (18, "NAM"), (20, "POB"), (22, "DOB"), (24, "SEX"),
                    (25, "RAC"), (27, "HGT"), (29, "WGT"), (31, "EYE"), (32, "HAI"), (45, "DOA"), (47, "ASL"), (73, "CRI"))}  # fmt: skip


def test_a_car_with_type4_prints_slaps_as_type14_and_a_mugshot_is_valid() -> None:
    tx = parse(tenprint_car())
    assert {r.type for r in tx} == {1, 2, 4, 10, 14}
    assert validate(tx) == []
    assert sorted(f.fgp for f in finger_records(tx)) == list(range(1, 15))
    assert {f.ppi for f in finger_records(tx) if f.type == 4} == {500.1}  # ISR 1: 1.011 NSR 19.69


def test_each_record_kind_has_its_count_and_a_source() -> None:
    kinds = {rule.types: (rule.least, rule.most) for rule in CAR_RECORD_SET}
    assert kinds[(2,)] == (1, 1) and kinds[(4, 14)] == (1, 14) and kinds[(10,)] == (0, 4)
    assert kinds[(15,)] == (0, 8) and kinds[(7, 13)] == (0, 2)
    assert all(rule.source.startswith("EBTS") for rule in CAR_RECORD_SET)


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (
            lambda tx: tx.records.extend(Record(15, {2: [["4"]], 13: [["22"]], 999: b"x"}) for _ in range(9)),
            "15.001 LEN",
            "L0012",
        ),
        (lambda tx: tx.records.append(Record(17, {2: [["5"]], 999: b"x"})), None, None),  # an iris is fine
        (lambda tx: tx.records.append(Record(16, {2: [["5"]], 999: b"x"})), "16.001 LEN", "L0012"),
        (lambda tx: _type4(tx, 1).set(8, "2"), "4.008 GCA", "L0002"),
        (lambda tx: _type4(tx, 1).set(5, "7"), "4.005 ISR", "L0002"),
        (lambda tx: _type4(tx, 3).set(3, "0"), "4.003 IMP", "L0002"),
        (lambda tx: _type4(tx, 3).set(4, "15"), "4.004 FGP", "L0002"),
        (lambda tx: _type4(tx, 5).set(6, "33"), "4.006 HLL", "L0006"),
        (lambda tx: _type4(tx, 5).set(9, b"\xff\xa0junk"), "4.009 DATA", "L0006"),
        (lambda tx: tx.records.remove(_type4(tx, 3)), "4.004 FGP", "L0005"),
        (
            lambda tx: tx.records.append(Record(14, {**_t14(tx, 2).fields, 2: [["40"]], 13: [["1"]]})),
            "14.013 FGP/4.004 FGP",
            "L0005",
        ),
        (lambda tx: tx.records.append(_type4_copy(tx, 9)), "4.004 FGP", "L0005"),
    ],
)
def test_type4_and_record_set_rules(change, field: str | None, code: str | None) -> None:
    tx = parse(tenprint_car())
    change(tx)
    problems = validate(tx)
    if field is None:
        assert problems == []
    elif code is None:
        assert any(p.field == field for p in problems), problems
    else:
        assert any(p.field == field and p.code == code for p in problems), problems


def _type4(tx, fgp: int) -> Record:  # type: ignore[no-untyped-def]
    return next(r for r in tx.of_type(4) if r.get(4) == str(fgp))


def _t14(tx, fgp: int) -> Record:  # type: ignore[no-untyped-def]
    return next(r for r in tx.of_type(14) if r.get(13) == str(fgp))


def _type4_copy(tx, fgp: int) -> Record:  # type: ignore[no-untyped-def]
    return Record(4, {k: v for k, v in _type4(tx, fgp).fields.items()})


def test_an_amputated_thumb_needs_no_plain_thumb_and_amputated_fingers_no_slap() -> None:
    tx = parse(tenprint_car())
    for fgp in (1, 11, 7, 8, 9, 10, 14):
        tx.records.remove(next(f.record for f in finger_records(tx) if f.fgp == fgp))
    tx.first(2).set(84, [["01", "XX"], ["07", "UP"], ["08", "UP"], ["09", "XX"], ["10", "XX"]])
    assert validate(parse(write(tx))) == []


# ------------------------------------------------------------------------------- reference CARs
@pytest.mark.realdata
def test_other_vendors_type4_car_is_judged_by_the_ebts_not_refused_for_its_record_type(
    shared_data: Path,
) -> None:
    problems = validate(parse((shared_data / "ebts/openebts/NISTFile.ebts").read_bytes()))
    # One plain right index finger sent as the whole CAR: the EBTS wants ten rolled prints (or
    # 2.084 AMP codes), both slaps and both thumbs, and nothing else is wrong with it.
    assert {(p.code, p.field) for p in problems} == {("L0002", "4.003 IMP"), ("L0005", "4.004 FGP")}
    missing = sorted(int(p.value) for p in problems if p.code == "L0005")
    assert missing == [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["type-3.an2", "type-5.an2", "type-6.an2"])
def test_nist_cars_with_retired_record_types_get_only_problems_the_ebts_names(
    shared_data: Path, name: str
) -> None:
    tx = parse((shared_data / "ebts/nist-reference" / name).read_bytes())
    record_type = tx.records[2].type
    problems = {(p.code, p.field) for p in validate(tx)}
    expected = {
        ("L0003", "1.009 TCN"),  # "jck t3": EBTS 9.1 wants 10 to 40 characters
        ("L0012", f"{record_type}.001 LEN"),  # Types 3, 5 and 6 are not in the CAR's record set
        ("L0012", "4.001 LEN"),  # so no fingerprint record remains
        ("L0005", "14.013 FGP"),  # and the tenprint set is empty
        *(("L0001", f) for f in _TYPE2_MANDATORY),  # the Type-2 holds none of the CAR's fields
    }
    assert problems == expected


@pytest.mark.realdata
def test_every_reference_car_validates_without_a_validator_defect(shared_data: Path) -> None:
    from ebts.validate import INTERNAL

    for path in sorted((shared_data / "ebts").rglob("*")):
        if path.suffix in (".an2", ".ebts"):
            tx = parse(path.read_bytes())
            tx.header.set(4, "CAR")  # judge every reference file by the CAR rules too
            assert not [p for p in validate(tx) if p.code == INTERNAL and p.field == "-"], path.name
