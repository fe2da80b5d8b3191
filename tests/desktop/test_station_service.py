"""The station's duties without a window: the lease (one owner at a time, handed over), the detainer
clock (each lapse recorded at its deadline with its true time, missed ones at the start, alerts once)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from desktop.station.bookings import parse
from desktop.station.config import Config
from desktop.station.core import Station
from desktop.station.detainers.watch import DetainerClock
from desktop.station.lease import Lease
from desktop.station.models import Detainer, DetainerStatus, utcnow
from desktop.station.service import StationService

UNREACHABLE = "http://127.0.0.1:9"  # the outbox worker runs but finds no backend: not tested here


@pytest.fixture
def config(database_url) -> Config:
    return Config(database_url=database_url, backend_url=UNREACHABLE)


def _detainer(station: Station, booking_form, deadline: dt.datetime, name: str = "D-1") -> int:
    booking = station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1")
    pk = station.detainers.receive(booking.id, name, utcnow() - dt.timedelta(days=3))
    with station.store.session() as s:  # a deadline where the test needs it, not 48 working hours away
        row = s.get(Detainer, pk)
        row.releasable_at, row.deadline = deadline - dt.timedelta(hours=48), deadline
    return pk


def _lapses(station: Station) -> list:
    return [e for e in station.audit.events(limit=50) if e.action == "detainer.lapsed"]


# --- the lease ------------------------------------------------------------------------------------


def test_one_owner_at_a_time_and_handed_over_on_release(station):
    window, service = Lease(station.store, "host/1/1/window"), Lease(station.store, "host/2/2/service")
    assert window.acquire()
    assert not service.acquire()
    assert window.acquire()  # renewing
    assert window.holder().owner == "host/1/1/window"
    window.release()
    assert window.holder() is None
    assert service.acquire()
    assert not window.acquire()


def test_an_expired_lease_is_taken_over(station):
    now = utcnow()
    crashed = Lease(station.store, "elsewhere/1/1/window", ttl=dt.timedelta(seconds=15))
    assert crashed.acquire(now)
    late = Lease(station.store, "host/2/2/service")
    assert not late.acquire(now + dt.timedelta(seconds=14))
    assert late.acquire(now + dt.timedelta(seconds=16))
    assert not crashed.acquire(now + dt.timedelta(seconds=17))


def test_a_dead_owner_on_this_host_is_taken_over_at_once(station):
    import socket

    dead = Lease(station.store, f"{socket.gethostname()}/999999999/1/window")  # no such process
    assert dead.acquire()
    assert Lease(station.store, "host/2/2/service").acquire()


def test_two_processes_racing_for_a_free_lease_get_one_owner(database_url):
    stations = [Station.open(Config(database_url=database_url)) for _ in range(4)]
    try:
        leases = [Lease(st.store, f"host/{i}/{i}/window") for i, st in enumerate(stations)]
        results, start = [], threading.Barrier(len(leases))

        def take(lease: Lease) -> None:
            start.wait()
            results.append(lease.acquire())

        threads = [threading.Thread(target=take, args=(lease,)) for lease in leases]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [False, False, False, True]
    finally:
        for st in stations:
            st.close()


# --- the detainer clock ---------------------------------------------------------------------------


def test_lapses_that_passed_while_nothing_ran_are_recorded_at_start_with_their_true_time(
    config, booking_form
):
    station = Station.open(config)
    service = StationService(station, role="service", follow_others=False)
    deadline = (utcnow() - dt.timedelta(hours=5)).replace(microsecond=0)
    pk = _detainer(station, booking_form, deadline)
    try:
        service.start()  # takes the free lease and records what is due before returning
        view = station.detainers.get(pk)
        assert view.status is DetainerStatus.LAPSED
        [lapse] = _lapses(station)
        assert dt.datetime.fromisoformat(lapse.details["lapsed_at"]) == deadline
        assert lapse.details["recorded_late_s"] >= 5 * 3600
        assert lapse.actor == "clock"
    finally:
        service.stop()
        station.close()


def test_a_running_service_records_the_lapse_when_its_deadline_comes(config, booking_form):
    station = Station.open(config)
    service = StationService(station, role="service", follow_others=False)
    lapsed = threading.Event()
    station.events.subscribe(lambda e: lapsed.set(), "detainer.lapsed")
    deadline = utcnow() + dt.timedelta(seconds=1.5)
    pk = _detainer(station, booking_form, deadline)
    try:
        service.start()
        assert station.detainers.get(pk).status is DetainerStatus.ACTIVE
        assert lapsed.wait(60), "the lapse was not recorded"
        [lapse] = _lapses(station)
        assert dt.datetime.fromisoformat(lapse.details["lapsed_at"]) == deadline
        assert lapse.details["recorded_late_s"] >= 0
    finally:
        service.stop()
        station.close()


def test_a_new_deadline_set_by_the_clerk_wakes_the_clock(config, booking_form):
    station = Station.open(config)
    service = StationService(station, role="service", follow_others=False)
    pk = _detainer(station, booking_form, utcnow() + dt.timedelta(days=30))
    lapsed = threading.Event()
    station.events.subscribe(lambda e: lapsed.set(), "detainer.lapsed")
    try:
        service.start()
        # The clock sleeps up to 30 s; the clerk's change (an event) makes it look again at once.
        with station.store.session() as s:
            s.get(Detainer, pk).deadline = utcnow() + dt.timedelta(seconds=1)
        station.audit.append("clerk1", "detainer.releasable", "detainer:D-1")
        assert lapsed.wait(20)
    finally:
        service.stop()
        station.close()


def test_alerts_are_raised_once_each_and_only_the_most_urgent_of_those_missed(station, booking_form):
    now = utcnow()
    clock = DetainerClock(station.detainers, station.events, now=lambda: moment)
    _detainer(station, booking_form, now + dt.timedelta(hours=11))  # 12 h alert due, 2 h not yet
    moment = now
    clock.run_once()
    clock.run_once()
    alerts = [e for e in station.audit.events() if e.action == "detainer.alert"]
    assert [a.details["hours_before"] for a in alerts] == [12.0]
    moment = now + dt.timedelta(hours=10)  # 1 h left: the 2 h alert
    due = clock.run_once()
    alerts = [e for e in station.audit.events() if e.action == "detainer.alert"]
    assert [a.details["hours_before"] for a in alerts] == [2.0, 12.0]
    assert due == now + dt.timedelta(hours=11)  # next: the lapse itself
    # Nothing ran from well before the 12 h alert to 1 h before the deadline: one alert, the 2 h one.
    _detainer(station, booking_form, now + dt.timedelta(hours=11), name="D-2")
    clock.run_once()
    alerts = [e for e in station.audit.events() if e.action == "detainer.alert"]
    assert [(a.subject, a.details["hours_before"]) for a in alerts][0] == ("detainer:D-2", 2.0)
    assert len(alerts) == 3


# --- handing over ---------------------------------------------------------------------------------


def test_a_window_and_a_service_on_one_database_never_both_run_the_duties(config, booking_form):
    first, second = Station.open(config), Station.open(config)
    window = StationService(first, role="window", follow_others=False)
    service = StationService(second, role="service", follow_others=False)
    try:
        window.start()
        service.start()
        assert window.status().mine and not service.status().mine
        assert service.status().holder.role == "window"
        # The window closes: the service takes over within a second or two, and keeps the clock.
        handed = threading.Event()
        second.events.subscribe(lambda e: e.details.get("mine") and handed.set(), "duties.owner")
        window.stop()
        assert handed.wait(30)
        assert service.status().mine
        pk = _detainer(second, booking_form, utcnow() - dt.timedelta(seconds=1), name="D-7")
        lapsed = threading.Event()
        second.events.subscribe(lambda e: lapsed.set(), "detainer.lapsed")
        second.audit.append("clerk1", "detainer.releasable", "detainer:D-7")  # wakes the clock
        assert lapsed.wait(30)
        assert second.detainers.get(pk).status is DetainerStatus.LAPSED
    finally:
        service.stop()
        window.stop()
        first.close()
        second.close()
