"""Staged enrolment: searchable after the first few people, identifications answered before the
galleries are whole, "no record" only once they are, and progress with the time left on /health."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend import _enrol, population
from backend.app import create_app


def test_stages_double_and_end_where_ngi_is_whole() -> None:
    assert _enrol._stages(50, 30) == [5, 10, 20, 30, 40, 50]
    assert _enrol._stages(3, 2) == [2, 3]
    assert _enrol._stages(5, 5) == [5]


@pytest.fixture(scope="module")
def stages(
    tmp_path_factory: pytest.TempPathFactory, gallery_cache: Path, monkeypatch_module, population_spec
) -> list:
    """Every stage a real enrolment of the test population publishes, one person at a time, then all."""
    monkeypatch_module.setattr(_enrol, "FIRST_STAGE", 1)
    size, SEED = population_spec  # noqa: N806
    people = population.generate(size, SEED)
    published: list = []
    folder = tmp_path_factory.mktemp("staged")
    from backend import _gallery_key
    from booking_station.envelope import FileKek

    # Sealed with the shared cache's galleries key, so that the copy below opens there.
    sealer = _gallery_key.sealer(gallery_cache / "galleries", FileKek(gallery_cache / "keys" / "backend.kek"))
    final = _enrol.build(
        people, SEED, "rolled", folder, lambda d, t: None, threading.Event(), published.append, sealer=sealer
    )
    # The other backend tests enrol the same population: let them load this one instead.
    key = _enrol.cache_key(people, SEED, "rolled")
    if not (gallery_cache / "galleries" / key).exists():
        shutil.copytree(folder / "galleries" / key, gallery_cache / "galleries" / key)
    return [*published, final]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_people_on_fbi_files_are_enrolled_first_and_each_stage_says_what_is_whole(
    stages: list, people: list
) -> None:
    ngi_people = [p for p in people if p.fbi_number]
    ident_only = [p for p in people if p.fin and not p.fbi_number]
    # 1, 2, 4 people (doubling from FIRST_STAGE = 1 here), where NGI is whole, everyone.
    assert [g.people for g in stages] == _enrol._stages(len(ngi_people) + len(ident_only), len(ngi_people))
    first = stages[0]
    assert first.ngi.subjects() == {ngi_people[0].fbi_number}
    assert not first.ngi_complete and not first.ident_complete
    whole_ngi = next(g for g in stages if g.people == len(ngi_people))
    assert whole_ngi.ngi.subjects() == {p.fbi_number for p in ngi_people} and whole_ngi.ngi_complete
    assert not whole_ngi.ident_complete and ident_only[0].fin not in whole_ngi.ident.subjects()
    last = stages[-1]
    assert last.ngi_complete and last.ident_complete and not last.from_cache
    assert last.ident.subjects() == {p.fin for p in people if p.fin}


def test_an_identification_is_answered_before_enrolment_ends_and_no_record_waits(
    stages: list, people: list, make_service, tmp_path: Path, car
) -> None:
    service = make_service(tmp_path / "backend.sqlite")
    waited: list[str] = []  # the threads that waited for the galleries to grow
    wait_for_growth = service.wait_for_growth

    def recording_wait(seen, timeout: float = 0.5) -> None:  # type: ignore[no-untyped-def]
        waited.append(threading.current_thread().name)
        wait_for_growth(seen, timeout)

    service.wait_for_growth = recording_wait
    try:
        service.state.persons = {p.subject_id: p for p in people}
        service.state.by_fbi = {p.fbi_number: p for p in people if p.fbi_number}
        service.state.by_fin = {p.fin: p for p in people if p.fin}
        service._publish(stages[0])  # one person enrolled
        assert service.searchable.is_set() and not service.ready.is_set()
        enrolled = next(p for p in people if p.fbi_number and p.fin)
        assert enrolled.fbi_number in stages[0].ngi.subjects()
        stranger = next(p for p in people if not p.fbi_number and not p.fin)

        known_tcn, body = car(enrolled.subject_id)
        service.receive(body, "TX0570000")  # as the CAR's own station
        # The first stage holds this person's whole tenprint: identified now, not after enrolment.
        known = _process_in_thread(service, known_tcn, "known")
        _until(lambda: not known.is_alive() or "known" in waited)
        assert "known" not in waited, "an identification waited for the rest of the enrolment"
        known.join()
        assert known.result["srf"] == "I" and known.result["fbi_number"] == enrolled.fbi_number
        assert known.result["ident"] == enrolled.fin

        stranger_tcn, body = car(stranger.subject_id)
        service.receive(body, "TX0570000")  # as the CAR's own station
        waiting = _process_in_thread(service, stranger_tcn, "stranger")
        _until(lambda: not waiting.is_alive() or "stranger" in waited)
        assert waiting.is_alive(), "a 'no record' answer was given from a partial gallery"
        for stage in stages[1:]:
            service._publish(stage)
        _until(lambda: not waiting.is_alive())
        assert waiting.result["srf"] == "N" and waiting.result["ident"] == "no match"
    finally:
        service.stopping.set()
        service.store.close()


def _until(condition, limit: float = 1800.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for `condition` (the limit only stops a hang: a fresh numba cache compiles for minutes)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


class _process_in_thread(threading.Thread):  # noqa: N801 - reads as the call it wraps
    def __init__(self, service, tcn: str, name: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(daemon=True, name=name)
        self._service, self._tcn, self.result = service, tcn, None
        self.start()

    def run(self) -> None:
        self.result = self._service.processor.process(self._tcn)


def test_health_says_what_the_backend_does_how_far_and_the_time_left(idle_service) -> None:
    state = idle_service.state
    state.activity, state.done, state.total, state.progress, state.seconds_left = (
        "enrolling",
        120,
        500,
        0.24,
        41.2,
    )
    with TestClient(create_app(idle_service, start=False)) as client:
        health = client.get("/health").json()
    assert health["status"] == "starting" and health["activity"] == "enrolling"
    assert (health["done"], health["total"], health["seconds_left"]) == (120, 500, 41.2)
    assert health["searchable"] is False


def test_enrolment_pauses_while_a_submission_is_examined_or_searched(make_service, tmp_path: Path) -> None:
    service = make_service(tmp_path / "backend.sqlite")
    try:
        resumed = threading.Event()
        with service.searching():
            enrolment = threading.Thread(target=lambda: (service._wait_while_searching(), resumed.set()))
            enrolment.start()
            assert not resumed.wait(1.0), "enrolment went on during a search"
        assert resumed.wait(30), "enrolment did not resume after the search"
    finally:
        service.store.close()
