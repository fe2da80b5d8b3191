"""`booking-station bench ui`: does the window stay responsive over a big station, and does the
station service keep the 48-hour clock on time?

The window part runs the real main window offscreen on a throw-away database seeded with N
bookings (a realistic share of them booked today, some with open ICE detainers), and a script
drives it as a clerk would: log in, the bookings list (today, then all), a search, opening a
booking, its Capture tab (one slap taken with the virtual scanner), its Detainer tab, changes
committed by another thread (as the outbox worker or the detainer clock make them), and the full
cycle collection the UI thread makes every ~100 s (desktop/ui/ui_gc.py). A watchdog
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
    try:
        result |= _window(args.bookings, args.events, args.trace_stalls)
    except TimeoutError as exc:
        raise UserError(f"bench ui stopped: {exc}") from None
    if not args.no_serve:
        from desktop.bench_station import serve_figures

        result |= serve_figures(args.lapses, args.missed)
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

# --- the window ------------------------------------------------------------------------------------


class _Watchdog:
    """A 5 ms timer on the UI thread; the gaps between its firings are the UI thread's stalls.

    With `trace`, a thread looks every 5 ms and, while the UI thread has not ticked for 20 ms,
    notes where every thread is (the UI thread's own frame says little when it waits for the
    interpreter lock: the other threads' frames say who holds it). Each stall over 50 ms is kept as
    an episode: its length, the step it happened in, the places seen during it, and the CPU time
    the UI thread itself and the whole process used during it (CPU-independent evidence: a stall in
    which the UI thread used little CPU waited for a CPU or for the interpreter lock; one in which
    it used most of it was the UI thread's own work)."""

    INTERVAL_MS = 5

    def __init__(self, trace: bool = False) -> None:
        import threading
        import time

        from PySide6.QtCore import Qt, QTimer

        self._clock = time.perf_counter
        self._last = self._clock()
        self._last_cpu = (time.thread_time(), time.process_time())
        self.worst = 0.0
        self.worst_cpu = (0.0, 0.0)  # the UI thread's and the process's CPU in the longest stall
        self.step_worst = 0.0
        self.step_busiest = 0.0  # the most CPU the UI thread used between two ticks, this step
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._timer.start(self.INTERVAL_MS)
        self.step_name = "start"
        self.busiest: dict[str, float] = {}  # per step: the UI thread's CPU in its busiest gap (ms)
        self.episodes: list[tuple[float, str, dict[str, int], tuple[float, float]]] = []
        self._seen: dict[str, int] = {}
        self._ui = threading.get_ident()
        self._tracing = trace
        if trace:
            threading.Thread(target=self._trace, daemon=True).start()

    def _trace(self) -> None:
        import sys
        import threading
        import time
        import traceback

        me = threading.get_ident()
        while self._tracing:
            time.sleep(0.005)
            if self._clock() - self._last <= 0.02:
                continue
            names = {t.ident: t.name for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                stack = traceback.extract_stack(frame)[-5:]
                if ident != self._ui and stack and stack[-1].name in ("wait", "_wait_for_tstate_lock"):
                    continue  # an idle worker
                who = "UI" if ident == self._ui else names.get(ident, str(ident))
                where = " < ".join(
                    f"{f.name}@{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(stack)
                )
                key = f"{who}: {where}"
                self._seen[key] = self._seen.get(key, 0) + 1

    def _tick(self) -> None:
        import time

        now, cpu = self._clock(), (time.thread_time(), time.process_time())
        stall = max(0.0, now - self._last - self.INTERVAL_MS / 1000)
        used = (cpu[0] - self._last_cpu[0], cpu[1] - self._last_cpu[1])
        if stall > self.worst:
            self.worst, self.worst_cpu = stall, used
        self.step_worst = max(self.step_worst, stall)
        self.step_busiest = max(self.step_busiest, used[0])
        self._last, self._last_cpu = now, cpu
        if self._seen:
            seen, self._seen = self._seen, {}
            if stall > 0.05:
                self.episodes.append((stall, self.step_name, seen, used))

    def step(self, next_name: str = "") -> float:
        """The longest stall since the last call (ms), and start a new step."""
        worst, self.step_worst = self.step_worst, 0.0
        self.busiest[self.step_name] = round(1000 * self.step_busiest, 1)
        self.step_busiest = 0.0
        self.step_name = next_name
        return round(1000 * worst, 1)

    def report(self, top: int = 8) -> None:
        """Print the longest stall episodes and where each thread was during them."""
        for stall, step, seen, (ui_cpu, cpu) in sorted(self.episodes, key=lambda e: -e[0])[:top]:
            print(
                f"stall\t{1000 * stall:.0f} ms\tin {step}\t"
                f"(CPU: UI thread {1000 * ui_cpu:.0f} ms, process {1000 * cpu:.0f} ms)"
            )
            for where, n in sorted(seen.items(), key=lambda kv: -kv[1])[:6]:
                print(f"\t{n * 5} ms\t{where}")

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
            raise TimeoutError(f"the window did not get to the next step within {timeout:.0f} s")
        loop = QEventLoop()
        QTimer.singleShot(1, loop.quit)
        loop.exec()
    return time.perf_counter() - start


def _window(count: int, event_count: int, trace: bool = False) -> dict:
    import contextlib
    import datetime as dt
    import gc
    import statistics
    import tempfile
    import threading
    import time
    from pathlib import Path

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.bench_station import seed_bookings
    from desktop.station.bookings import BookingForm, parse
    from desktop.station.config import Config
    from desktop.station.core import Station
    from desktop.station.models import Role
    from desktop.ui import _worker
    from desktop.ui.app import prepared
    from desktop.ui.main_window import MainWindow
    from drivers.virtual import control

    app = QApplication.instance() or QApplication([])
    ask = QMessageBox.question
    QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    folder = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    station = Station.open(Config(database_url=f"sqlite:///{folder / 'station.db'}"))
    out: dict = {}
    undo = contextlib.ExitStack()  # in a process that goes on (tests), nothing of the window outlives it
    try:
        started = time.perf_counter()
        station.operators.add("bench", "desk-clerk-7315", Role.CLERK, actor="bench")
        station.operators.add("boss", "desk-supervisor-9042", Role.SUPERVISOR, actor="bench")
        held = seed_bookings(station, count)
        out["seed_s"] = round(time.perf_counter() - started, 1)
        ctl = control()
        ctl.reset()
        ctl.present(51)

        undo.enter_context(prepared(station))  # as the app does before its window shows
        window = MainWindow(station)
        window.resize(1366, 768)
        window.show()
        idle = lambda: _worker.pending() == 0  # noqa: E731
        _spin_until(lambda: window.stack.currentWidget() is window.login_page)
        dog = _Watchdog(trace)
        dog.step_name = "idle_window"
        stalls: dict[str, float] = {}
        # The machine's share: the same watchdog over an idle window for 3 s (no work of ours).
        end = time.perf_counter() + 3
        _spin_until(lambda: time.perf_counter() > end)
        stalls["idle_window"] = dog.step("login")

        window.login_page.username.setText("bench")
        window.login_page.password.setText("desk-clerk-7315")
        t0 = time.perf_counter()
        window.login_page.submit()
        _spin_until(lambda: window.stack.currentWidget() is window.work)
        page = window.bookings_page
        _spin_until(lambda: bool(page.model.rows) and not page.loading)
        out["login_to_list_shown_ms"] = round(1000 * (time.perf_counter() - t0))
        stalls["login"] = dog.step("bookings_list")

        t0 = time.perf_counter()
        page.today_only.setChecked(False)  # every booking, newest first (500 shown)
        _spin_until(lambda: len(page.model.rows) >= min(count, 100) and not page.loading)
        out["list_all_shown_ms"] = round(1000 * (time.perf_counter() - t0))
        t0 = time.perf_counter()
        window.show_bookings()  # reloads the list
        _spin_until(lambda: not page.loading)
        out["list_shown_again_ms"] = round(1000 * (time.perf_counter() - t0))
        stalls["bookings_list"] = dog.step("search")

        t0 = time.perf_counter()
        for letter in "Smi":  # typed key by key, as the clerk does
            page.search.setText(page.search.text() + letter)
            _spin_until(lambda: True)
        _spin_until(lambda: not page.loading and all("Smi" in r.name for r in page.model.rows))
        out["search_shown_ms"] = round(1000 * (time.perf_counter() - t0))
        out["search_rows"] = len(page.model.rows)
        stalls["search"] = dog.step("open_booking")

        target = held[0]
        t0 = time.perf_counter()
        window.open_booking(target)
        view = window.booking_view
        details = view.pages["details"]
        _spin_until(lambda: view.record is not None and details._saved is not None)
        out["open_booking_ms"] = round(1000 * (time.perf_counter() - t0))
        stalls["open_booking"] = dog.step("capture")

        t0 = time.perf_counter()
        capture = view.show_page("capture")
        _spin_until(lambda: bool(capture.timings))  # the right slap taken and judged
        capture.auto_advance = False
        out["capture_first_slap_s"] = round(time.perf_counter() - t0, 1)
        stalls["capture"] = dog.step("detainer_page")

        t0 = time.perf_counter()
        detainer = view.show_page("detainer")
        _spin_until(lambda: detainer._view is not None and detainer.details.isVisible())
        out["detainer_page_shown_ms"] = round(1000 * (time.perf_counter() - t0))
        stalls["detainer_page"] = dog.step("close_booking")

        # Event to screen: another thread commits (as the outbox worker, the mailbox or the clock
        # would); timed from the commit to the list showing the change. The capture is still
        # running (it would ask first): the script stops it as the capture's Cancel would, then
        # goes back to the list as the clerk's "Bookings" does (closing the booking).
        capture.shutdown()
        window.show_bookings()
        assert window.booking_view is None, "the booking did not close"
        page.search.setText("")
        page.today_only.setChecked(True)
        _spin_until(idle)
        stalls["close_booking"] = dog.step("events")
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
        stalls["events"] = dog.step("full_collection")

        # A full cycle collection, as the UI thread's collector (desktop/ui/ui_gc.py) makes one
        # every ~100 s by Python's counters: it walks every object that start-up did not freeze.
        collected: list[int] = []
        QTimer.singleShot(0, lambda: collected.append(gc.collect()))
        _spin_until(lambda: bool(collected))
        stalls["full_collection"] = dog.step()
        out["longest_stall_ms"] = round(1000 * dog.worst, 1)
        # What the UI thread itself ran during it (the rest it waited: for a CPU or the lock).
        out["longest_stall_cpu_ms"] = {
            "ui_thread": round(1000 * dog.worst_cpu[0]),
            "process": round(1000 * dog.worst_cpu[1]),
        }
        out["stall_ms_by_step"] = stalls
        # The UI thread's own work in one go (CPU between two ticks), per step: what the stall
        # would be with a CPU to itself and no other thread holding the interpreter lock.
        out["ui_thread_cpu_ms_by_step"] = dog.busiest
        dog.stop()
        dog.report()
        window.close()
        _spin_until(idle)
    finally:
        station.close()
        undo.close()
        QMessageBox.question = ask  # type: ignore[method-assign]
        del app
    return out


# --- station serve ---------------------------------------------------------------------------------
