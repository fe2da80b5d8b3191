"""What NGI refuses before searching, each with its EBTS-style code."""

from __future__ import annotations

import numpy as np

from backend import ngi
from ebts import parse, write, wsq


def test_a_transaction_type_other_than_car_is_refused(car) -> None:
    transaction = parse(car(2, rolled=False)[1])
    transaction.header.set(4, "FANC")
    rejection = ngi.examine(write(transaction))
    assert isinstance(rejection, ngi.Rejection)
    assert rejection.code == "L0008" and "FANC" in rejection.message


def test_unparsable_bytes_are_refused() -> None:
    rejection = ngi.examine(b"1.001:12\x1d1.002:0500\x1c")
    assert isinstance(rejection, ngi.Rejection) and rejection.code == "L0010"


def test_prints_without_ridge_detail_ask_for_a_recapture(car_of) -> None:
    transaction = car_of(1)
    blank = np.full((480, 480), 235, np.uint8)
    blank[::9, :] = 90  # straight lines: an image, but no ridge endings or bifurcations to speak of
    for record in transaction.of_type(14):
        if record.get(13) in {str(f) for f in range(1, 11)}:
            record.set(6, "480")
            record.set(7, "480")
            record.set(999, wsq.encode(blank, 500.0))
    rejection = ngi.examine(write(transaction))
    assert isinstance(rejection, ngi.Rejection)
    assert rejection.code == "L0007" and "recapture" in rejection.message
