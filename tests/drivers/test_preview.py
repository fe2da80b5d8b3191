"""Live preview figures for the hardware tester: the current frame rate and the real latency."""

from __future__ import annotations

import json
import threading
import time

import pytest

from booking_station.cli import main
from drivers.api import CaptureMode
from drivers.hwtest.session import PreviewStats, preview
from drivers.virtual import Timing, VirtualControl, VirtualScanner, control


def test_the_current_frame_rate_follows_a_slowdown_that_the_average_hides() -> None:
    stats = PreviewStats()
    t = 0.0
    for _ in range(40):  # 4 s at 10 frames/s
        t += 0.1
        stats.add_frame(t, t - 0.005, t)
    for _ in range(4):  # then 2 s at 2 frames/s
        t += 0.5
        stats.add_frame(t, t - 0.005, t)
    assert stats.frame_rate == pytest.approx(44 / 6.0)
    assert stats.current_frame_rate == pytest.approx(2.0)
    assert stats.last_latency_ms == pytest.approx(5.0)
    figures = stats.as_dict()
    assert figures["current_frame_rate"] == 2.0 and figures["frame_rate"] == pytest.approx(7.33)


def test_virtual_preview_latency_is_the_time_to_draw_and_hand_over_a_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 22: the virtual scanner's latency read 0.0 ms (frames were stamped when handed over)."""
    from drivers.virtual import _frames

    drawing = _frames.Animator._frame

    def slow_drawing(self, *args):  # a device that takes at least 10 ms to process a frame
        time.sleep(0.010)
        return drawing(self, *args)

    monkeypatch.setattr(_frames.Animator, "_frame", slow_drawing)
    ctl = VirtualControl()
    ctl.set_timing(Timing.fast())
    ctl.set_timing(fps=50.0)
    scanner = VirtualScanner(ctl, serve_socket=False)
    scanner.open()
    enough = threading.Event()
    try:
        # Until 20 frames came (the first capture also grows the synthetic finger: seconds under load).
        stats = preview(
            scanner,
            CaptureMode.PLAIN,
            120.0,
            on_frame=lambda f, s: s.frames >= 20 and enough.set(),
            stop=enough,
        )
    finally:
        scanner.close()
    assert stats.frames >= 20 and not stats.errors
    assert min(stats.latencies_ms) >= 10.0  # exposure to hand-over includes the processing
    assert 0 < stats.current_frame_rate <= 60


def test_preview_command_prints_the_current_rate_and_latency(capsys: pytest.CaptureFixture[str]) -> None:
    from matcher import synth

    synth.impression(1, 2, 0, kind="rolled")  # grow subject 1's finger now, not during the preview
    control().reset()
    control().set_timing(Timing.fast())
    try:
        assert main(["scanners", "preview", "--device", "virtual", "--seconds", "1", "--json"]) == 0
    finally:
        control().reset()
    figures = json.loads(capsys.readouterr().out)
    assert figures["frames"] > 0 and figures["current_frame_rate"] > 0
    assert figures["mean_latency_ms"] > 0 and figures["last_latency_ms"] > 0
