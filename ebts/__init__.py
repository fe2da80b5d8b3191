"""ANSI/NIST-ITL and FBI EBTS: build, parse and validate transactions; WSQ.

    from ebts import build_car, parse, validate
    tx = parse(data)            # any ANSI/NIST-ITL traditional-encoding file
    problems = validate(tx)     # [Problem(field, value, rule, code)]

Responses to a CAR are built with `build_sre` / `build_errt` and read with `read_response`.
This package imports nothing else of ours.
"""

from ebts._codec import parse, write
from ebts._header import FBI_ORI, new_tcn
from ebts._model import Record, Transaction
from ebts.car import Charge, FingerImage, Segment, Submission, build_car, car_transaction
from ebts.errors import ParseError
from ebts.responses import ErrorItem, Response, build_errt, build_sre, read_response
from ebts.validate import Problem, validate

__all__ = [
    "FBI_ORI",
    "Charge",
    "ErrorItem",
    "FingerImage",
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
    "new_tcn",
    "parse",
    "read_response",
    "validate",
    "write",
]
