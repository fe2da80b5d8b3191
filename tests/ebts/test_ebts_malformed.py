"""The regression corpus of malformed transactions (tests/ebts/malformed, made by make_malformed.py):
the parser raises only its own ParseError with a message naming what is wrong, `validate` returns
problems and never raises, and the command line prints a message, never a traceback (issue 16)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from booking_station import cli
from ebts import ParseError, parse, read_header, validate, write
from ebts.validate import INTERNAL

CORPUS = Path(__file__).with_name("malformed")
CASES = json.loads((CORPUS / "cases.json").read_text())


def _data(name: str) -> bytes:
    return (CORPUS / f"{name}.an2").read_bytes()


def test_the_corpus_is_complete() -> None:
    assert {p.stem for p in CORPUS.glob("*.an2")} == set(CASES)
    assert {c["stage"] for c in CASES.values()} == {"parse", "validate"}


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c["stage"] == "parse"])
def test_unreadable_input_is_a_parse_error_naming_the_problem(name: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(_data(name))
    assert CASES[name]["expect"] in str(caught.value)
    try:  # what the backend reads to answer a transaction that does not parse
        read_header(_data(name))
    except ParseError as exc:
        assert str(exc)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c["stage"] == "validate"])
def test_bad_values_are_problems_not_exceptions(name: str) -> None:
    data = _data(name)
    tx = parse(data)
    assert write(tx) == data
    problems = [str(p) for p in validate(tx)]
    assert any(CASES[name]["expect"] in p for p in problems), problems
    assert not any(p.startswith(INTERNAL + " -") for p in problems), problems


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("action", ["dump", "validate"])
def test_the_command_line_answers_with_a_message(name: str, action: str, capsys) -> None:
    status = cli.main(["ebts", action, str(CORPUS / f"{name}.an2")])
    out, err = capsys.readouterr()
    if CASES[name]["stage"] == "parse":
        assert status == 2 and "not a readable ANSI/NIST-ITL file" in err
    else:
        assert status == (1 if action == "validate" else 0)
        assert out
    assert "Traceback" not in out + err


def test_a_real_process_prints_no_traceback() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "booking_station.cli",
            "ebts",
            "validate",
            str(CORPUS / "len-of-5000-digits.an2"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "LEN is not a number" in run.stderr and "Traceback" not in run.stderr
