"""A flats-only (4-4-2) CAR: NGI and IDENT search the fingers cut from the slaps by their segments."""

from __future__ import annotations

import pytest

from backend import ngi
from backend._bench import synthetic_car
from backend.service import Service
from ebts import parse, write


@pytest.fixture(scope="module")
def flats_of():  # type: ignore[no-untyped-def]
    built: dict[int, bytes] = {}

    def get(subject_id: int) -> bytes:
        if subject_id not in built:
            built[subject_id] = synthetic_car(subject_id, "TX0570000", 5, rolled=False)
        return built[subject_id]

    return get


def test_probes_are_the_segmented_slap_fingers(flats_of) -> None:
    examined = ngi.examine(flats_of(1))
    assert isinstance(examined, ngi.Probes), examined
    assert examined.flats_only
    assert sorted(examined.probes) == list(range(1, 11))
    # Each probe is one finger, not the whole slap: its width is a finger's, not four.
    assert all(t.width < 400 for t in examined.probes.values())


def test_a_flats_only_car_without_its_segments_is_refused(flats_of) -> None:
    transaction = parse(flats_of(1))
    for record in transaction.of_type(14):
        if record.get(13) == "14":
            record.fields.pop(21)
    rejection = ngi.examine(write(transaction))
    assert isinstance(rejection, ngi.Rejection)
    assert rejection.code == "L0005" and "14.021 SEG" in rejection.message


def test_flats_only_submission_identifies_a_subject_with_a_record_and_not_one_without(
    running_service: Service, flats_of, people
) -> None:
    state = running_service.state
    with_record = next(p for p in people if p.fbi_number)
    nobody = next(p for p in people if not p.fbi_number and not p.fin)

    found = ngi.examine(flats_of(with_record.subject_id))
    hit = ngi.search(state.ngi, found.probes)
    assert hit is not None and hit.identified and hit.record_id == with_record.fbi_number, hit

    alien = next((p for p in people if p.fin), None)
    if alien is not None:
        match = ngi.search(state.ident, ngi.examine(flats_of(alien.subject_id)).probes)
        assert match is not None and match.identified and match.record_id == alien.fin, match

    missed = ngi.search(state.ngi, ngi.examine(flats_of(nobody.subject_id)).probes)
    assert missed is None or not missed.identified, missed
    missed = ngi.search(state.ident, ngi.examine(flats_of(nobody.subject_id)).probes)
    assert missed is None or not missed.identified, missed
