"""The progress helper: a bar with time left on a terminal, silence elsewhere, figures for reports."""

from __future__ import annotations

import io
import logging
import threading

import pytest

from booking_station import progress as progress_module
from booking_station.progress import Progress, format_duration, track


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_the_time_left() -> None:
    out = _Terminal()
    with Progress(4, "rendering", unit="image", stream=out) as p:
        for _ in range(4):
            p.advance()
    text = out.getvalue()
    assert "rendering" in text and "4/4" in text
    assert "<" in text  # tqdm's "elapsed<left"


@pytest.mark.parametrize("quiet", [False, True])
def test_a_pipe_or_quiet_mode_gets_nothing(quiet: bool) -> None:
    pipe = io.StringIO()  # not a terminal
    terminal = _Terminal()
    for stream in (pipe, terminal) if quiet else (pipe,):
        with Progress(3, "searching", stream=stream, quiet=quiet) as p:
            p.advance(3)
        assert stream.getvalue() == ""


def test_track_counts_every_item_and_yields_them_in_order() -> None:
    out = _Terminal()
    assert list(track(range(5), "items", stream=out)) == [0, 1, 2, 3, 4]
    assert "5/5" in out.getvalue()


def test_time_left_follows_the_rate_so_far(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: now[0])
    p = Progress(100, "enrolling prints", unit="print", stream=io.StringIO())
    assert p.seconds_left is None  # no rate yet
    now[0] += 10.0
    p.advance(25)
    assert p.fraction == 0.25
    assert p.seconds_left == pytest.approx(30.0)
    assert p.describe() == "enrolling prints: 25 of 100 prints (25 %), about 30 s left"
    p.advance(75)
    assert p.seconds_left == 0.0 and p.describe() == "enrolling prints: 100 of 100 prints (100 %)"


def test_threads_may_all_advance_it() -> None:
    p = Progress(8000, "work", stream=io.StringIO())

    def work() -> None:
        for _ in range(1000):
            p.advance()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert p.done == 8000 and p.fraction == 1.0


def test_a_service_gets_a_log_line_every_tenth_instead_of_a_bar(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("test.progress")
    with caplog.at_level(logging.INFO, logger="test.progress"):
        p = Progress(50, "enrolling prints", unit="print", stream=io.StringIO(), log=log)
        for _ in range(50):
            p.advance()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 10
    assert lines[0].startswith("enrolling prints: 5 of 50 prints (10 %)")
    assert lines[-1] == "enrolling prints: 50 of 50 prints (100 %)"


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.4, "0 s"), (59.4, "59 s"), (61, "1 min 01 s"), (3725, "1 h 02 min")]
)
def test_durations_read_as_a_person_says_them(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
