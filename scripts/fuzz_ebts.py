"""Coverage-guided fuzzing of the EBTS parser and validator with atheris (libFuzzer).

The hypothesis tests (tests/ebts/test_ebts_fuzz.py) run in every test run; this finds what they
miss by following coverage for as long as you let it. A crash is any exception other than
ParseError from `parse`, any exception from `validate`, a validator-defect problem, or a round
trip that is not byte for byte. Reproducers land in --artifact_prefix; add the interesting ones
to the regression corpus (tests/ebts/make_malformed.py).

    pip install atheris
    python scripts/fuzz_ebts.py -max_total_time=600 -artifact_prefix=/tmp/ebts-fuzz- \\
        /tmp/ebts-corpus tests/ebts/malformed
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports():
    from ebts import ParseError, parse, read_header, validate, write
    from ebts.validate import INTERNAL


def one_input(data: bytes) -> None:
    with contextlib.suppress(ParseError):
        read_header(data)
    try:
        tx = parse(data)
    except ParseError:
        return
    problems = validate(tx)
    if any(p.code == INTERNAL and p.field == "-" for p in problems):
        raise AssertionError(f"validator defect: {problems}")
    if write(tx) != data:
        raise AssertionError("round trip is not byte for byte")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
