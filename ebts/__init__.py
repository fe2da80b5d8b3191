"""ANSI/NIST-ITL and FBI EBTS: build, parse and validate transactions; WSQ.

    from ebts import build_car, parse, validate
    tx = parse(data)            # any ANSI/NIST-ITL traditional-encoding file; ParseError if not
    problems = validate(tx)     # [Problem(field, value, rule, code)]; never raises
    write(tx) == data           # byte for byte, and an edit changes only what it edits
    finger_records(tx)          # the Type-4 and Type-14 fingerprints alike

Responses to a CAR are built with `build_sre` / `build_errt` and read with `read_response`.
This package imports nothing else of ours.
"""

from ebts._codec import parse, read_header, write
from ebts._header import FBI_ORI, new_tcn
from ebts._model import Record, Transaction
from ebts.car import Charge, FingerImage, Segment, Submission, build_car, car_transaction
from ebts.errors import ParseError
from ebts.finger_records import FingerRecord, finger_records
from ebts.responses import ErrorItem, Response, build_errt, build_sre, read_response
from ebts.validate import Problem, validate

__all__ = [
    "FBI_ORI",
    "Charge",
    "ErrorItem",
    "FingerImage",
    "FingerRecord",
    "ParseError",
    "Problem",
    "Record",
    "Response",
    "Segment",
    "Submission",
    "Transaction",
    "build_car",
    "build_errt",
    "build_sre",
    "car_transaction",
    "finger_records",
    "new_tcn",
    "parse",
    "read_header",
    "read_response",
    "validate",
    "write",
]
