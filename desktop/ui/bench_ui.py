"""`booking-station bench ui`: does the window stay responsive over a big station, and does the
station service keep the 48-hour clock on time?

The window part runs the real main window offscreen on a throw-away database seeded with N
bookings (a realistic share of them booked today, some with open ICE detainers), and a script
drives it as a clerk would: log in, the bookings list (today, then all), a search, opening a
booking, its Capture tab (one slap taken with the virtual scanner), its Detainer tab, and changes
committed by another thread (as the outbox worker or the detainer clock make them). A watchdog
timer on the UI thread fires every 5 ms; the longest gap between two firings, less 5 ms, is the
longest the UI thread was unavailable (a stall). Reported: that stall over the whole script and per
step, the time until the bookings list is shown, and the time from an event's commit to the screen.
The same watchdog over 3 s of an idle window first gives the machine's own share ("idle_window": on
a loaded machine the UI thread waits for a CPU too).

The service part runs `booking-station station serve` as a real process on its own database:
holds ending a few seconds after it starts (how late each lapse is recorded after its deadline),
then, after a stop, holds that ended while nothing ran (how long after the restart the last of them
is recorded).
"""

from __future__ import annotations

import argparse

STEP_TIMEOUT_S = 120


def register(sub: argparse._SubParsersAction) -> None:
    """No user commands of its own."""


def register_bench(bench_sub: argparse._SubParsersAction) -> None:
    p = bench_sub.add_parser(
        "ui",
        help="the window over N bookings with a UI-thread watchdog (stall, list shown, event to screen) "
        "and station serve's lapse timing",
    )
    p.add_argument("--bookings", type=int, default=10_000, help="bookings in the station (default 10000)")
    p.add_argument("--events", type=int, default=20, help="events timed from commit to screen (default 20)")
    p.add_argument("--lapses", type=int, default=5, help="holds ending while station serve runs (default 5)")
    p.add_argument("--missed", type=int, default=20, help="holds that end while nothing runs (default 20)")
    p.add_argument("--no-serve", action="store_true", help="skip the station serve part")
    p.add_argument(
        "--trace-stalls",
        action="store_true",
        help="print where the UI thread was during each stall over 50 ms",
    )
    p.add_argument("--json", metavar="OUT", help="also write the figures as JSON to OUT")
    p.set_defaults(func=_bench)


def _bench(args: argparse.Namespace) -> int:
    import json
    import os

    from booking_station.runtime import UserError

    if args.bookings < 10:
        raise UserError(f"--bookings must be at least 10, not {args.bookings}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = {"bookings": args.bookings, "load_before": _load()}
    result |= _window(args.bookings, args.events, args.trace_stalls)
    if not args.no_serve:
        result |= _serve(args.lapses, args.missed)
    result["load_after"] = _load()
    for key, value in result.items():
        print(f"{key}\t{value}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2)
    return 0


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# --- seeding ---------------------------------------------------------------------------------------

_SURNAMES = ["Smith", "García", "Nguyễn", "Okafor", "Kowalczyk", "Иванов", "王", "Haddad", "Kim", "Müller",
             "Santos", "Johnson", "O'Brien", "Dubois", "Rossi", "Yılmaz", "Tanaka", "Mensah"]  # fmt: skip
_GIVEN = ["Ana", "John", "Văn An", "Chidi", "Marta", "Олег", "伟", "Omar", "Min-jun", "Lena"]


def _seed(station, count: int, *, today_share: float = 0.03, detainers: int = 20) -> list[int]:
    """`count` bookings, written in bulk as an import would (one audit event "bench.seed" for all of
    them, not one each: the per-booking audit append would make seeding take longer than the
    benchmark); returns the ids of those given an open detainer. A share are booked today (the
    list's default view), the rest over the last 90 days."""
    import datetime as dt
    import random

    from sqlalchemy import insert

    from desktop.station.models import Booking, Charge, Detainer, Subject, utcnow

    rng = random.Random(7)
    now = utcnow()
    subjects, bookings, charges = [], [], []
    for i in range(1, count + 1):
        age = dt.timedelta(minutes=rng.randrange(600)) if rng.random() < today_share else dt.timedelta(
            days=1 + rng.randrange(90), minutes=rng.randrange(1440))  # fmt: skip
        created = now - age
        subjects.append({"id": i, "surname": rng.choice(_SURNAMES), "given_names": rng.choice(_GIVEN),
                         "date_of_birth": dt.date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                         "sex": rng.choice("MF"), "race": "W", "place_of_birth": "VA", "height_inches": 60 + rng.randrange(20),
                         "weight_pounds": 120 + rng.randrange(120), "eye_color": "BRO", "hair_color": "BLK"})  # fmt: skip
        bookings.append({"id": i, "number": f"{created.year}-{i:06d}", "subject_id": i, "arrested_on": created.date(),
                         "status": "draft", "created_at": created, "updated_at": created})  # fmt: skip
        charges.append({"booking_id": i, "position": 0, "offense_date": created.date(), "text": "Theft",
                        "level": "felony"})  # fmt: skip
    with_detainer = rng.sample(range(1, count + 1), min(detainers, count))
    with station.store.session() as s:
        s.execute(insert(Subject), subjects)
        s.execute(insert(Booking), bookings)
        s.execute(insert(Charge), charges)
        if with_detainer:
            s.execute(insert(Detainer), [
                {"booking_id": b, "detainer_id": f"BENCH-{n}", "lodged_at": now - dt.timedelta(hours=3),
                 "releasable_at": now, "deadline": now + dt.timedelta(hours=30 + n), "office": "ICE ERO",
                 "languages_json": '["es"]', "status": "active"}
                for n, b in enumerate(with_detainer)
            ])  # fmt: skip
        station.audit.append(
            "bench", "bench.seed", "", {"bookings": count, "detainers": len(with_detainer)}, session=s
        )
    return with_detainer


# --- the window ------------------------------------------------------------------------------------


class _Watchdog:
    """A 5 ms timer on the UI thread; the gaps between its firings are the UI thread's stalls.

    With `trace`, a thread looks every 10 ms and, while the UI thread has not ticked for 50 ms,
    notes where the UI thread is (what it runs, or where it waits for the interpreter lock)."""

    INTERVAL_MS = 5

    def __init__(self, trace: bool = False) -> None:
        import threading
        import time

        from PySide6.QtCore import Qt, QTimer

        self._clock = time.perf_counter
        self._last = self._clock()
        self.worst = 0.0
        self.step_worst = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._timer.start(self.INTERVAL_MS)
        self.traces: dict[str, int] = {}
        self._ui = threading.get_ident()
        self._tracing = trace
        if trace:
            threading.Thread(target=self._trace, daemon=True).start()

    def _trace(self) -> None:
        import sys
        import time
        import traceback

        while self._tracing:
            time.sleep(0.01)
            if self._clock() - self._last > 0.05:
                frame = sys._current_frames().get(self._ui)
                if frame is not None:
                    where = " < ".join(
                        f"{f.name}@{f.filename.rsplit('/', 1)[-1]}:{f.lineno}"
                        for f in reversed(traceback.extract_stack(frame)[-6:])
                    )
                    self.traces[where] = self.traces.get(where, 0) + 1

    def _tick(self) -> None:
        now = self._clock()
        stall = max(0.0, now - self._last - self.INTERVAL_MS / 1000)
        self.worst = max(self.worst, stall)
        self.step_worst = max(self.step_worst, stall)
        self._last = now

    def step(self) -> float:
        """The longest stall since the last call (ms), and start a new step."""
        worst, self.step_worst = self.step_worst, 0.0
        return round(1000 * worst, 1)

    def stop(self) -> None:
        self._timer.stop()
        self._tracing = False


def _spin_until(predicate, timeout: float = STEP_TIMEOUT_S) -> float:
    """Run the event loop until `predicate()`; returns the seconds it took."""
    import time

    from PySide6.QtCore import QEventLoop, QTimer

    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the window did not get there in time")
        loop = QEventLoop()
        QTimer.singleShot(1, loop.quit)
        loop.exec()
    return time.perf_counter() - start


def _window(count: int, event_count: int, trace: bool = False) -> dict:
    import datetime as dt
    import statistics
    import tempfile
    import threading
    import time
    from pathlib import Path

    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.station.bookings import BookingForm, parse
    from desktop.station.config import Config
    from desktop.station.core import Station
    from desktop.station.models import Role
    from desktop.ui import _worker
    from desktop.ui.detainer_status import DetainerIndicator
    from desktop.ui.main_window import MainWindow
    from drivers.virtual import control

    app = QApplication.instance() or QApplication([])
    QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    station = Station.open(Config(database_url=f"sqlite:///{folder / 'station.db'}"))
    out: dict = {}
    try:
        started = time.perf_counter()
        station.operators.add("bench", "bench-password", Role.CLERK, actor="bench")
        station.operators.add("boss", "boss-password", Role.SUPERVISOR, actor="bench")
        held = _seed(station, count)
        out["seed_s"] = round(time.perf_counter() - started, 1)
        ctl = control()
        ctl.reset()
        ctl.present(51)

        window = MainWindow(station)
        indicator = DetainerIndicator(station)
        window.statusBar().addPermanentWidget(indicator)
        window.resize(1366, 768)
        window.show()
        idle = lambda: _worker.pending() == 0  # noqa: E731
        _spin_until(lambda: window.stack.currentWidget() is window.login_page)
        dog = _Watchdog(trace)
        stalls: dict[str, float] = {}
        # The machine's share: the same watchdog over an idle window for 3 s (no work of ours).
        end = time.perf_counter() + 3
        _spin_until(lambda: time.perf_counter() > end)
        stalls["idle_window"] = dog.step()

        window.login_page.username.setText("bench")
        window.login_page.password.setText("bench-password")
        t0 = time.perf_counter()
        window.login_page.submit()
        _spin_until(lambda: window.stack.currentWidget() is window.work)
        page = window.bookings_page
        _spin_until(lambda: bool(page.model.rows) and not page.loading)
        out["login_to_list_shown_ms"] = round(1000 * (time.perf_counter() - t0))
        stalls["login"] = dog.step()

        t0 = time.perf_counter()
        page.today_only.setChecked(False)  # every booking, newest first (500 shown)
        _spin_until(lambda: len(page.model.rows) > 100 and not page.loading)
        out["list_all_shown_ms"] = round(1000 * (time.perf_counter() - t0))
        t0 = time.perf_counter()
        window.show_bookings()  # reloads the list
        _spin_until(lambda: not page.loading)
        out["list_shown_again_ms"] = round(1000 * (time.perf_counter() - t0))
        stalls["bookings_list"] = dog.step()

        t0 = time.perf_counter()
        for letter in "Smi":  # typed key by key, as the clerk does
            page.search.setText(page.search.text() + letter)
            _spin_until(lambda: True)
        _spin_until(lambda: not page.loading and all("Smi" in r.name for r in page.model.rows))
        out["search_shown_ms"] = round(1000 * (time.perf_counter() - t0))
        out["search_rows"] = len(page.model.rows)
        stalls["search"] = dog.step()

        target = held[0]
        t0 = time.perf_counter()
        window.open_booking(target)
        view = window.booking_view
        details = view.pages["details"]
        _spin_until(lambda: view.record is not None and details._saved is not None)
        out["open_booking_ms"] = round(1000 * (time.perf_counter() - t0))
        stalls["open_booking"] = dog.step()

        capture = view.pages.get("capture")
        t0 = time.perf_counter()
        view.tabs.setCurrentWidget(capture)
        _spin_until(lambda: bool(capture.timings))  # the right slap taken and judged
        capture.auto_advance = False
        out["capture_first_slap_s"] = round(time.perf_counter() - t0, 1)
        stalls["capture"] = dog.step()

        detainer = view.pages["detainer"]
        t0 = time.perf_counter()
        view.tabs.setCurrentWidget(detainer)
        _spin_until(lambda: detainer._view is not None and detainer.details.isVisible())
        out["detainer_page_shown_ms"] = round(1000 * (time.perf_counter() - t0))
        stalls["detainer_page"] = dog.step()

        # Event to screen: another thread commits (as the outbox worker, the mailbox or the clock
        # would); timed from the commit to the list showing the change. The capture is still
        # running (it would ask first): the script closes the booking as the capture's Cancel would.
        capture.shutdown()
        window.work.removeWidget(view)
        view.deleteLater()
        window.booking_view = None
        window.show_bookings()
        page.search.setText("")
        page.today_only.setChecked(True)
        _spin_until(idle)
        stalls["close_booking"] = dog.step()
        latencies = []
        form = BookingForm(
            {"surname": "Event", "given_names": "Probe", "date_of_birth": "1990-01-02", "sex": "M", "race": "W",
             "place_of_birth": "VA", "height": "5'10\"", "weight": "170", "eye_color": "BRO", "hair_color": "BLK",
             "arrested_on": dt.date.today().isoformat()},
            [{"offense_date": dt.date.today().isoformat(), "text": "Benchmark", "level": "felony"}],
        )  # fmt: skip
        data = parse(form, dt.date.today())
        for _ in range(event_count):
            committed: list[float] = []
            numbers: list[str] = []

            def commit(committed=committed, numbers=numbers) -> None:
                record = station.bookings.create(data, actor="outbox")
                committed.append(time.perf_counter())  # the commit returned: the event is out
                numbers.append(record.number)

            threading.Thread(target=commit).start()
            _spin_until(lambda n=numbers: bool(n) and any(r.number == n[0] for r in page.model.rows))
            latencies.append(time.perf_counter() - committed[0])
            _spin_until(idle)
        out["event_to_screen_ms_median"] = round(1000 * statistics.median(latencies))
        out["event_to_screen_ms_max"] = round(1000 * max(latencies))
        stalls["events"] = dog.step()
        out["longest_stall_ms"] = round(1000 * dog.worst, 1)
        out["stall_ms_by_step"] = stalls
        dog.stop()
        for where, n in sorted(dog.traces.items(), key=lambda kv: -kv[1])[:15]:
            print(f"stall\t{n * 10} ms\t{where}")
        window.close()
        _spin_until(idle)
    finally:
        station.close()
        del app
    return out


# --- station serve ---------------------------------------------------------------------------------


def _serve(lapses: int, missed: int) -> dict:
    import datetime as dt
    import os
    import signal
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    from desktop.station import config as config_module
    from desktop.station.config import Config
    from desktop.station.core import Station
    from desktop.station.models import Detainer, DetainerStatus, utcnow

    folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    config = Config(database_url=f"sqlite:///{folder / 'station.db'}", backend_url="http://127.0.0.1:9")
    config_module.save(config, folder / "config.toml")
    env = {**os.environ, config_module.CONFIG_ENV: str(folder / "config.toml")}
    station = Station.open(config)
    _seed(station, 50, detainers=0)

    def hold(n: int, deadline: dt.datetime) -> None:
        with station.store.session() as s:
            s.add(Detainer(booking_id=1 + n, detainer_id=f"SERVE-{n}-{deadline.timestamp()}", lodged_at=deadline,
                           releasable_at=deadline - dt.timedelta(hours=48), deadline=deadline))  # fmt: skip

    def spawn() -> tuple[subprocess.Popen, float]:
        started = utcnow()
        proc = subprocess.Popen(
            [sys.executable, "-m", "booking_station.cli", "station", "serve"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        return proc, started

    def lapsed() -> list:
        return [e for e in station.audit.events(limit=1000) if e.action == "detainer.lapsed"]

    def wait_for(n: int, timeout: float = 120) -> list:
        end = time.monotonic() + timeout
        while len(found := lapsed()) < n:
            if time.monotonic() > end:
                raise TimeoutError(f"station serve recorded {len(found)} of {n} lapses")
            time.sleep(0.05)
        return found

    out: dict = {}
    try:
        proc, _ = spawn()
        time.sleep(3)  # started and holding the duties
        first = utcnow() + dt.timedelta(seconds=2)
        for n in range(lapses):
            hold(n, first + dt.timedelta(seconds=1.5 * n))
        # The page records a releasable time with an audit event; that wakes the clock.
        station.audit.append("bench", "detainer.releasable", "detainer:SERVE")
        late = [e.details["recorded_late_s"] for e in wait_for(lapses)]
        out["serve_lapse_late_ms_max"] = round(1000 * max(late))
        out["serve_lapse_late_ms_median"] = round(1000 * sorted(late)[len(late) // 2])
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        # Nothing runs while these holds end.
        past = utcnow() - dt.timedelta(minutes=30)
        for n in range(missed):
            hold(lapses + n, past + dt.timedelta(seconds=n))
        proc, started = spawn()
        events = wait_for(lapses + missed)
        last = max(e.at for e in events)
        out["serve_restart_missed_lapses"] = missed
        out["serve_restart_all_recorded_s"] = round((last - started).total_seconds(), 2)
        with station.store.session() as s:
            assert all(r.status == DetainerStatus.LAPSED.value for r in s.query(Detainer))
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    finally:
        station.close()
    return out
