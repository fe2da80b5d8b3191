"""The heavy checks run in worker processes (desktop/station/compute.py), not in this interpreter:
in a thread of the GUI process they held the interpreter lock and stalled the UI thread."""

from __future__ import annotations

import datetime as dt
import os
import time

import numpy as np
import pytest

from desktop.station import compute
from desktop.station.bookings import parse
from desktop.station.capture import RIGHT_SLAP, CapturePlan, CaptureWorkflow, Verdict, preview_report
from desktop.station.messages import StationError
from desktop.station.models import Role
from drivers.api import EXPECTED_FINGERS, CaptureMode, CaptureResult


def _crash_once(marker: str) -> int:
    """Ends its worker process the first time (as a crash in native code would), then answers."""
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(3)
    return os.getpid()


def _die(*args, **kwargs) -> None:
    os._exit(3)


def _not_here(*args, **kwargs):
    raise AssertionError("a print check ran in the calling process")


@pytest.fixture
def workflow(station, booking_form):
    clerk = station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="test")
    booking = station.bookings.create(parse(booking_form(), dt.date.today()), actor="clerk1").id
    return CaptureWorkflow(station, booking, clerk, plan=CapturePlan(rolled=False), threshold=20)


def _slap(image: np.ndarray) -> CaptureResult:
    mode = CaptureMode.RIGHT_SLAP
    return CaptureResult(image, 500.0, mode, tuple(EXPECTED_FINGERS[mode]), time.monotonic())


def test_a_call_runs_in_another_process_and_its_exception_is_raised_here() -> None:
    assert compute.run(os.getpid) != os.getpid()
    with pytest.raises(ZeroDivisionError):
        compute.run(divmod, 1, 0)


def test_a_capture_is_judged_outside_the_calling_process(workflow, monkeypatch) -> None:
    import drivers.platen
    import matcher
    import matcher.slaps

    # Were the checks run here (in the GUI process's threads), these would fail the judgement.
    monkeypatch.setattr(matcher, "quality", _not_here)
    monkeypatch.setattr(matcher.slaps, "segment_slap", _not_here)
    monkeypatch.setattr(drivers.platen, "check_platen", _not_here)
    attempt = workflow.judge(_slap(np.full((600, 1000), 245, np.uint8)))  # an empty platen
    assert attempt.step.position == RIGHT_SLAP
    assert attempt.verdict is Verdict.RETAKE
    assert [p.code for p in attempt.problems] == ["capture.finger-count"]
    assert preview_report(attempt.image, attempt.ppi).block_map.size > 0
    assert workflow.status(RIGHT_SLAP).attempts == 1  # stored before anything else


def test_a_worker_that_dies_is_replaced_and_the_call_tried_again(tmp_path) -> None:
    marker = tmp_path / "crashed"
    assert compute.run(_crash_once, str(marker)) != os.getpid()
    assert marker.exists()


def test_a_worker_that_dies_twice_is_a_clear_message_and_the_next_call_works() -> None:
    with pytest.raises(StationError) as caught:
        compute.run(os._exit, 3)
    assert caught.value.message.code == "compute.crashed"
    assert compute.run(os.getpid) != os.getpid()


def test_a_judgement_whose_worker_dies_is_a_clear_message_and_nothing_half_written(
    workflow, monkeypatch
) -> None:
    from desktop.station import capture_checks

    monkeypatch.setattr(capture_checks, "analyse", _die)  # the worker dies on every try
    with pytest.raises(StationError) as caught:
        workflow.judge(_slap(np.full((600, 1000), 245, np.uint8)))
    assert caught.value.message.code == "compute.crashed"
    assert workflow.status(RIGHT_SLAP).attempts == 0  # the step is still to do, nothing stored
    assert workflow.next_step().position == RIGHT_SLAP


def _capture(scanner, mode: CaptureMode, positions: tuple[int, ...]) -> list:
    scanner.open()
    try:
        return list(scanner.capture(mode, positions))
    finally:
        scanner.close()


def test_the_virtual_scanner_draws_its_print_in_a_worker_process(monkeypatch) -> None:
    import matcher.synth
    from desktop.station.capture_session import virtual_scanner
    from drivers.api import ScannerError
    from drivers.virtual import render_with

    monkeypatch.setattr(matcher.synth, "slap", _not_here)
    monkeypatch.setattr(matcher.synth, "impression", _not_here)
    render_with(compute.run)  # as a capture session does
    try:
        events = _capture(virtual_scanner(7)(), CaptureMode.RIGHT_SLAP, (13,))
        result = events[-1]
        assert isinstance(result, CaptureResult) and result.image.ndim == 2
        assert result.metadata["subject_id"] == 7
        # A missing finger raised in the worker comes back as itself: the scanner names the finger.
        events = _capture(virtual_scanner(7, frozenset({3}))(), CaptureMode.ROLLED, (3,))
        errors = [e for e in events if isinstance(e, ScannerError)]
        assert [e.fingers for e in errors] == [(3,)]
    finally:
        render_with(None)


def test_a_check_s_result_is_read_back_without_loading_the_checks_code(tmp_path) -> None:
    """Reading the result back (in the GUI process's pool thread) must not import numba and the
    checks' kernels: that import holds the interpreter lock for about a second."""
    import pickle
    import subprocess
    import sys

    from desktop.station import capture_checks

    rng = np.random.default_rng(0)
    image = (rng.random((500, 1200)) * 255).astype(np.uint8)
    slap = compute.run(capture_checks.analyse, image, 500.0, RIGHT_SLAP, True, (2, 3, 4, 5), frozenset())
    rolled = compute.run(capture_checks.analyse, image[:, :500], 500.0, 2, False, (2,), frozenset())
    (tmp_path / "results.pickle").write_bytes(pickle.dumps([slap, rolled]))
    code = (
        "import pickle, sys; pickle.loads(open(sys.argv[1], 'rb').read()); "
        "print(sorted(m for m in ('numba', 'matcher._features') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "results.pickle")],
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert out.stdout.strip() == "[]"


def test_an_open_station_has_the_virtual_scanner_draw_in_its_workers_until_the_last_one_closes(
    monkeypatch, request, tmp_path
) -> None:
    """Set once where the pool is opened (it was set by each capture session's thread, process-wide,
    and never undone): any capture with the virtual scanner in a station's process draws there."""
    import matcher.synth
    from desktop.station.capture_session import virtual_scanner
    from desktop.station.config import Config
    from desktop.station.core import Station
    from drivers.virtual import render_with

    monkeypatch.setattr(matcher.synth, "slap", _not_here)
    monkeypatch.setattr(matcher.synth, "impression", _not_here)
    # As in a fresh process, no other station open (earlier tests may have left theirs open, and
    # then closing this one would not be closing the last); as it was again afterwards.
    earlier = compute._stations
    monkeypatch.setattr(compute, "_stations", 0)
    request.addfinalizer(lambda: render_with(compute.run if earlier else None))
    station = Station.open(Config(database_url=f"sqlite:///{tmp_path / 'station.db'}"))
    try:
        events = _capture(virtual_scanner(7)(), CaptureMode.RIGHT_SLAP, (13,))
        assert isinstance(events[-1], CaptureResult)  # drawn in a worker process
    finally:
        station.close()
    with pytest.raises(AssertionError, match="calling process"):  # drawn here again: _not_here says so
        _capture(virtual_scanner(7)(), CaptureMode.RIGHT_SLAP, (13,))
