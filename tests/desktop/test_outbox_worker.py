from __future__ import annotations

import dataclasses

from outbox_helpers import FakeBackend, add_booking_with_prints

from desktop.station.core import Station
from desktop.station.outbox_worker import BackendPreparation, SubmissionWorker


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


def test_the_status_bar_says_what_the_backend_does_while_it_prepares_and_the_time_left(
    station: Station, qtbot
) -> None:
    from desktop.ui.responses_status import SubmissionIndicator

    backend = FakeBackend()
    backend.health = "starting"
    backend.health_extra = {"activity": "enrolling", "done": 120, "total": 500, "seconds_left": 41.2,
                            "searchable": True}  # fmt: skip
    worker = _worker(station, backend)
    worker.run_once()
    assert worker.status().backend == BackendPreparation("enrolling", 120, 500, 41.2, True)
    label = SubmissionIndicator(worker)
    qtbot.addWidget(label)
    assert "backend preparing: enrolling fingerprints 120 of 500 (24 %), about 41 s left" in label.text()
    assert "identification is answered at once" in label.toolTip()

    backend.health_extra = {"activity": "loading", "done": 0, "total": 0, "seconds_left": None}
    worker.run_once()
    label.update_text()
    assert "backend preparing: loading its fingerprint files" in label.text()

    backend.health, backend.health_extra = "ok", {}
    worker.run_once()
    label.update_text()
    assert worker.status().backend is None and "preparing" not in label.text()


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
