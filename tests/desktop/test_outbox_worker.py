from __future__ import annotations

import dataclasses

from outbox_helpers import FakeBackend, add_booking_with_prints

from desktop.station.core import Station
from desktop.station.outbox_worker import SubmissionWorker


def _worker(station: Station, backend: FakeBackend) -> SubmissionWorker:
    station.config = dataclasses.replace(station.config, backend_url="http://backend.test")
    return SubmissionWorker(station.outbox, station.responses, lambda: station.config,
                            client_factory=lambda url, tls: backend.client())  # fmt: skip


def test_a_round_registers_the_agency_sends_and_reports_the_backend_state(
    station: Station, booking_form
) -> None:
    backend = FakeBackend()
    backend.health = "starting"
    worker = _worker(station, backend)
    booking_id = add_booking_with_prints(station, booking_form())
    tcn = station.outbox.enqueue(booking_id, actor="clerk")
    worker.run_once()
    assert backend.agencies == {"VA0000000": {"name": "Demo County Jail", "immigration_responses": True}}
    assert backend.searched == {tcn: 1}
    status = worker.status()
    assert status.connected and status.queued == 0 and status.backend_state == "starting"
    assert status.backend_progress == 0.5


def test_the_agency_profile_is_sent_again_only_when_it_changes(station: Station) -> None:
    backend = FakeBackend()
    worker = _worker(station, backend)
    worker.run_once()
    worker.run_once()
    assert backend.requests.count("PUT /v1/agencies/VA0000000") == 1
    station.config = dataclasses.replace(station.config, immigration_responses=False)
    worker.run_once()
    assert backend.requests.count("PUT /v1/agencies/VA0000000") == 2
    assert backend.agencies["VA0000000"]["immigration_responses"] is False


def test_the_worker_thread_keeps_trying_while_the_backend_is_down(
    station: Station, booking_form, qtbot
) -> None:
    backend = FakeBackend()
    backend.down = 2
    worker = _worker(station, backend)
    booking_id = add_booking_with_prints(station, booking_form())
    worker._poll_interval = 0.05
    worker.start()
    try:
        tcn = station.outbox.enqueue(booking_id, actor="clerk")  # wakes the worker
        qtbot.waitUntil(lambda: backend.searched.get(tcn) == 1, timeout=20000)
        qtbot.waitUntil(lambda: worker.status().connected, timeout=20000)
    finally:
        worker.stop()
    assert backend.searched == {tcn: 1}
