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


class _OneCandidate:
    """A gallery whose tenprint search finds one candidate with the given finger scores."""

    def __init__(self, finger_scores: dict[int, float]) -> None:
        self.finger_scores = finger_scores

    def __len__(self) -> int:
        return 1

    def search_tenprint(self, probes, top):  # type: ignore[no-untyped-def]
        from matcher import TenprintCandidate

        mean = sum(self.finger_scores.values()) / len(probes)
        return [TenprintCandidate("123456AB1", mean, self.finger_scores)]


def test_identification_needs_several_fingers_matching_on_their_own() -> None:
    from matcher import FINGER_MATCH_THRESHOLD, TENPRINT_IDENT_THRESHOLD

    probes = dict.fromkeys(range(1, 11))
    # An impostor whose ten-finger mean reaches the tenprint threshold through a single finger.
    lucky = {f: 0.0 for f in range(2, 11)} | {1: max(10 * TENPRINT_IDENT_THRESHOLD, FINGER_MATCH_THRESHOLD)}
    hit = ngi.search(_OneCandidate(lucky), probes)
    assert hit is not None and hit.score >= TENPRINT_IDENT_THRESHOLD and not hit.identified
    mated = dict.fromkeys(range(1, 11), 0.45)
    hit = ngi.search(_OneCandidate(mated), probes)
    assert hit.identified and hit.corroborating == 10 and hit.record_id == "123456AB1"


def test_a_corrupt_print_costs_that_finger_not_the_service(car_of) -> None:
    transaction = car_of(1)
    for record in transaction.of_type(14):
        if record.get(13) == "3":
            good = bytes(record.binary(999))
            # Scramble the entropy-coded data but keep every marker (0xFF, the byte after it and the
            # two of a segment's length), so the file still passes the header checks and only the
            # decoder meets the damage.
            body = bytearray(good)
            for i in range(len(body) // 2, len(body)):
                if 0xFF not in good[i - 3 : i + 1]:
                    body[i] = min((body[i] * 37 + 11) & 0xFF, 0xFE)
            record.set(999, bytes(body))
    rejection = ngi.examine(write(transaction))
    assert isinstance(rejection, ngi.Rejection)
    assert rejection.code == "L0006" and "finger 3" in rejection.message
