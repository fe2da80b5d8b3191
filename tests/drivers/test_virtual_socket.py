"""The control socket's line protocol, end to end over a real unix socket."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.api import CaptureMode, CaptureResult, FingerPosition, ScannerError, ScannerUnavailable
from drivers.virtual import Fault, Timing, VirtualControl, VirtualScanner
from drivers.virtual._socket import ControlServer, execute, send, stop_serving


@pytest.fixture
def served(tmp_path: Path):
    ctl = VirtualControl()
    ctl.set_timing(Timing.fast())
    server = ControlServer(ctl, tmp_path / "vs.sock")
    assert server.start()
    yield ctl, server.path
    server.stop()


def test_commands_change_the_scene(served) -> None:
    ctl, path = served
    assert send("subject 17 missing=4 bandaged=5,3", path) == "ok"
    assert send("fault retry", path) == "ok"
    assert send("dirty", path) == "ok"
    assert send("timing fps=40 stable=3", path) == "ok"
    reply = send("status", path)
    assert reply.startswith("ok ")
    status = json.loads(reply[3:])
    assert status["subject_id"] == 17 and status["missing"] == [4] and status["bandaged"] == [3, 5]
    assert status["pending_faults"] == ["retry"] and status["dirty"] is True
    assert status["timing"]["fps"] == 40 and status["timing"]["stable_frames"] == 3
    assert ctl.pending_faults == (Fault.RETRY,)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("fault melt", "unknown fault 'melt'"),
        ("subject x", "invalid literal"),
        ("subject 3 missing=12", "1–10"),
        ("subject 3 colour=blue", "unknown subject option"),
        ("timing speed=3", "unknown timing option"),
        ("dance", "unknown command"),
        ("trigger", "no capture is running"),
        ("", "empty command"),
    ],
)
def test_bad_commands_say_what_is_wrong(line: str, fragment: str) -> None:
    reply = execute(VirtualControl(), line)
    assert reply.startswith("error ") and fragment in reply


def test_a_fault_sent_over_the_socket_reaches_the_next_capture(served) -> None:
    ctl, path = served
    scanner = VirtualScanner(ctl, serve_socket=False)
    scanner.open()
    assert send("fault fatal", path) == "ok"
    assert isinstance(
        list(scanner.capture(CaptureMode.PLAIN, [FingerPosition.RIGHT_INDEX]))[-1], ScannerError
    )
    assert isinstance(
        list(scanner.capture(CaptureMode.PLAIN, [FingerPosition.RIGHT_INDEX]))[-1], CaptureResult
    )
    scanner.close()


def test_opening_the_scanner_serves_the_socket_and_closing_it_does_not_end_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "app.sock"
    monkeypatch.setenv("BOOKING_STATION_VIRTUAL_SOCKET", str(path))
    ctl = VirtualControl()
    scanner = VirtualScanner(ctl)
    scanner.open()
    try:
        assert send("subject 99", path) == "ok"
        assert ctl.subject.subject_id == 99
        # A second scanner in another process would find the socket taken and not steal it.
        other = ControlServer(VirtualControl(), path)
        assert other.start() is False
        scanner.close()
        # The socket belongs to the process, not to the open device.
        assert send("subject 98", path) == "ok" and ctl.subject.subject_id == 98
    finally:
        scanner.close()
        stop_serving()
    assert not path.exists()


def test_plug_after_an_unplug_fault_reaches_the_scanner_and_it_captures_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 22, broken 1: `virtual-scanner plug` answered "no virtual scanner is listening"."""
    from booking_station.cli import main

    path = tmp_path / "station.sock"
    monkeypatch.setenv("BOOKING_STATION_VIRTUAL_SOCKET", str(path))
    ctl = VirtualControl()
    ctl.set_timing(Timing.fast())
    scanner = VirtualScanner(ctl)
    scanner.open()
    try:
        assert main(["virtual-scanner", "fault", "unplug"]) == 0
        events = list(scanner.capture(CaptureMode.PLAIN, [FingerPosition.RIGHT_INDEX]))
        assert isinstance(events[-1], ScannerError) and events[-1].device_gone
        scanner.close()  # what the station does with a scanner that has gone
        with pytest.raises(ScannerUnavailable, match="plug it back"):
            scanner.open()
        capsys.readouterr()
        assert main(["virtual-scanner", "plug"]) == 0
        assert capsys.readouterr().out.strip() == "ok"
        scanner.open()
        events = list(scanner.capture(CaptureMode.PLAIN, [FingerPosition.RIGHT_INDEX]))
        assert isinstance(events[-1], CaptureResult)
    finally:
        scanner.close()
        stop_serving()


def test_the_station_serves_the_socket_before_any_capture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's `subject N` must reach the station before the Capture page opens the scanner."""
    from desktop import cli as desktop_cli
    from drivers.virtual import control

    path = tmp_path / "station.sock"
    monkeypatch.setenv("BOOKING_STATION_VIRTUAL_SOCKET", str(path))
    try:
        desktop_cli._serve_virtual_scanner()  # what `booking-station gui` does first
        assert send("subject 61", path) == "ok"
        assert control().subject.subject_id == 61
    finally:
        control().reset()
        stop_serving()


def test_command_line_sends_to_a_running_scanner(
    served, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from booking_station.cli import main

    ctl, path = served
    monkeypatch.setenv("BOOKING_STATION_VIRTUAL_SOCKET", str(path))
    assert main(["virtual-scanner", "subject", "5", "bandaged=2"]) == 0
    assert capsys.readouterr().out.strip() == "ok"
    assert ctl.subject.bandaged == frozenset({2})
    assert main(["virtual-scanner", "fault", "melt"]) == 1
    assert "unknown fault" in capsys.readouterr().out


def test_command_line_says_when_no_scanner_listens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from booking_station.cli import main

    monkeypatch.setenv("BOOKING_STATION_VIRTUAL_SOCKET", str(tmp_path / "none.sock"))
    assert main(["virtual-scanner", "status"]) == 2
    assert "no virtual scanner is listening" in capsys.readouterr().err
