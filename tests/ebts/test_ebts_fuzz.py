"""The parser, fed anything, either returns a transaction or raises ParseError -- nothing else."""

from __future__ import annotations

from ebts_samples import ridges, tenprint_car
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ebts import ParseError, Record, Transaction, parse, read_header, validate, write, wsq
from ebts.validate import INTERNAL

_SEPARATORS = st.sampled_from(
    [b"\x1c", b"\x1d", b"\x1e", b"\x1f", b":", b".", b"1.001:", b"2.001:", b"14.999:"]
)


def _seed() -> bytes:
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
    t2 = Record(2, {2: [["00"]], 18: [["Müller,Jürgen"]], 47: [["20261119", "THEFT"], ["", "ASSAULT"]]})
    t4 = Record(4, {2: [["1"]], 3: [["1"]], 4: [["3"]], 5: [["0"]], 6: [["8"]], 7: [["8"]], 8: [["0"]]})
    t4.set(9, bytes(range(64)))
    t14 = Record(14, {2: [["02"]], 13: [["3"]], 11: [["WSQ20"]]})
    t14.set(999, b"\xff\xa0\xff\xa8" + bytes(range(30)))
    return write(Transaction([header, t2, t4, t14]))


SEED = _seed()


def _check(data: bytes) -> None:
    try:
        read_header(data)
    except ParseError as exc:
        assert str(exc)
    try:
        tx = parse(data)
    except ParseError as exc:
        assert str(exc)  # a message that says something
        return
    problems = validate(tx)  # whatever parses can be validated without crashing
    assert not [p for p in problems if p.code == INTERNAL and p.field == "-"], problems
    assert write(tx) == data  # and written back byte for byte


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _check(data)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_mutated_transactions(data: st.DataObject) -> None:
    buf = bytearray(SEED)
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = data.draw(st.integers(0, max(len(buf) - 1, 0)))
        if op == "flip" and buf:
            buf[at] = data.draw(st.integers(0, 255))
        elif op == "cut":
            del buf[at:]
        elif op == "insert":
            buf[at:at] = data.draw(st.one_of(_SEPARATORS, st.binary(min_size=1, max_size=8)))
        elif buf:
            del buf[at : at + data.draw(st.integers(1, 20))]
    _check(bytes(buf))


_GOOD_WSQ = wsq.encode(ridges(64, 48), 500)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_wsq_header_inspection_raises_only_its_clear_error(data: st.DataObject) -> None:
    buf = bytearray(
        data.draw(st.one_of(st.just(_GOOD_WSQ), st.binary(max_size=200).map(lambda b: b"\xff\xa0" + b)))
    )
    for _ in range(data.draw(st.integers(0, 5))):
        if buf:
            buf[data.draw(st.integers(0, len(buf) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        del buf[data.draw(st.integers(0, len(buf))) :]
    try:
        header = wsq.inspect(bytes(buf))
    except wsq.WSQError as exc:
        assert str(exc)
    else:
        assert header.width > 0 and header.height > 0


# Values a careless int() or a \\d regex would accept or choke on.
_NASTY_NUMBERS = st.sampled_from(
    ["\u00b2", "\u0663", "\uff11\uff14", "9" * 5000, "", " 1", "-1", "1e3", "0x1F", "\u2167", "NaN", "00"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_field_of_a_full_car_may_hold_nonsense_and_validate_still_answers(data: st.DataObject) -> None:

    tx = parse(tenprint_car())
    for _ in range(data.draw(st.integers(1, 4))):
        record = data.draw(st.sampled_from(tx.records))
        tag = data.draw(st.sampled_from([*(t for t in record.fields if t not in (1, 999)), 84]))
        shape = data.draw(st.sampled_from(["item", "subfield", "drop"]))
        value = data.draw(_NASTY_NUMBERS)
        if record.type == 1 and tag == 3:
            continue  # CNT is the codec's: changing it changes which records there are
        if shape == "drop":
            record.set(tag, None)
        elif shape == "subfield":
            record.set(tag, [[value, data.draw(_NASTY_NUMBERS)]])
        else:
            record.set(tag, value)
    problems = validate(tx)
    assert not [p for p in problems if p.code == INTERNAL and p.field == "-"], problems
    try:
        again = parse(write(tx))
    except ValueError as exc:  # a binary Type-4 field that cannot hold the value: the writer says so
        assert "does not fit" in str(exc) or "finger position" in str(exc)
    else:
        validate(again)
