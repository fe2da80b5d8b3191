"""The hardware tester's diagnostics page with the emulated AES3500 (offscreen Qt)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _usb_helpers import ridges

pytest.importorskip("pytestqt")

from PySide6.QtCore import QRect, Qt  # noqa: E402

from drivers import registry  # noqa: E402
from drivers.usb import emulator  # noqa: E402
from drivers.usb.hotplug import DeviceWatcher  # noqa: E402


@pytest.fixture
def emu(monkeypatch: pytest.MonkeyPatch) -> emulator.Aes3500Emulator:
    monkeypatch.setattr(registry, "_PROVIDER_MODULES", ["drivers.usb"])
    monkeypatch.setenv("BOOKING_STATION_EMULATE", "aes3500")
    fast = emulator.Aes3500Emulator(
        lambda n: (ridges(angle=0.2 * n), 500.0), auto_finger=True, auto_delay_s=0.05
    )
    monkeypatch.setitem(emulator._shared, "aes3500", fast)
    return fast


@pytest.fixture
def page(qtbot, emu):
    from desktop.ui.diagnostics_page import DiagnosticsPage

    widget = DiagnosticsPage(DeviceWatcher(interval_s=0.05))
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    yield widget
    widget.shutdown()


def test_the_device_list_follows_hot_plug(qtbot, page, emu) -> None:
    assert page.devices.count() == 1 and page.selected_device().id == "usb:08ff:5731:emulated-1"
    page.start_watching()
    emu.unplug()
    qtbot.waitUntil(lambda: page.devices.count() == 0, timeout=5000)
    assert not page.conformance_button.isEnabled()
    emu.replug()
    qtbot.waitUntil(lambda: page.devices.count() == 1, timeout=5000)
    assert page.conformance_button.isEnabled()


def test_preview_shows_frames_and_figures_until_stopped(qtbot, page) -> None:
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "frames" in page.figures.text() and page.preview.pixmap() is not None, timeout=10000
    )
    assert "finger present" in page.figures.text()
    assert page.preview_button.text() == "Stop preview" and not page.conformance_button.isEnabled()
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._task is None, timeout=10000)
    assert page.preview_button.text() == "Start preview"


def test_conformance_fills_the_results_table(qtbot, page) -> None:
    page.captures.setValue(2)
    qtbot.mouseClick(page.conformance_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.results.rowCount() == 5, timeout=15000)
    rows = {page.results.item(r, 0).text(): page.results.item(r, 1).text() for r in range(5)}
    assert rows["resolution"] == "PASS" and rows["gray levels"] == "FAIL" and rows["uniformity"] == "PASS"
    assert "checks passed" in page.status.text()
    if os.environ.get("BOOKING_STATION_SCREENSHOTS"):
        page.grab().save(str(Path(os.environ["BOOKING_STATION_SCREENSHOTS"]) / "diagnostics.png"))


def test_a_busy_scanner_is_reported_in_words(qtbot, page, emu) -> None:
    emu.inject("busy")
    qtbot.mouseClick(page.conformance_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "in use by another program" in page.status.text(), timeout=10000)
    qtbot.waitUntil(lambda: page._task is None, timeout=5000)
    assert page.conformance_button.isEnabled()


def test_every_supported_sensor_shows_up_on_the_page(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.diagnostics_page import DiagnosticsPage

    monkeypatch.setattr(registry, "_PROVIDER_MODULES", ["drivers.usb"])
    monkeypatch.setenv("BOOKING_STATION_EMULATE", "aes3500,nb1010,upektc_img")
    widget = DiagnosticsPage(DeviceWatcher(interval_s=0.05))
    qtbot.addWidget(widget)
    try:
        listed = " ".join(widget.devices.item(i).text() for i in range(widget.devices.count()))
        assert widget.devices.count() == 3
        assert "AES3500" in listed and "NB-1010-U" in listed and "TouchChip" in listed
    finally:
        widget.shutdown()


def test_the_frame_rate_shown_is_the_recent_one_not_the_average(qtbot, page) -> None:
    """Issue 22: the page showed the frame rate averaged since the start, which hides a stall."""
    import numpy as np

    stats = {"frame_rate": 7.33, "current_frame_rate": 2.0, "mean_latency_ms": 1.0, "last_latency_ms": 4.5,
             "finger_status": "present", "frames": 44}  # fmt: skip
    page._show_frame(np.full((64, 64), 200, np.uint8), stats)
    assert "2.00/s" in page.figures.text() and "7.33" not in page.figures.text()
    assert "4.5 ms" in page.figures.text()


def test_the_finger_status_goes_when_the_task_that_saw_it_ends(qtbot, page) -> None:
    """Issue 22: "finger too-light" stayed on the page after conformance finished."""
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "finger present" in page.figures.text(), timeout=10000)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._task is None, timeout=10000)
    assert "present" not in page.figures.text()
    page.captures.setValue(1)
    qtbot.mouseClick(page.conformance_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._task is None, timeout=15000)
    assert page.results.rowCount() == 5
    assert all(word not in page.figures.text() for word in ("too-light", "present", "frames"))
    assert page.figures.text().endswith("finger –")


def test_the_requirement_column_is_not_cut_off_at_1366_by_768(qtbot, page) -> None:
    """Issue 22: at 1366×768 the conformance table's Requirement column ran off the page."""
    page.resize(1366, 700)  # the page below the window's menu and above its status bar
    page.show()
    page.captures.setValue(1)
    qtbot.mouseClick(page.conformance_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.results.rowCount() == 5 and page._task is None, timeout=15000)
    table = page.results
    header = table.horizontalHeader()
    right_edge = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in range(4))
    assert right_edge <= table.viewport().width()
    metrics = table.fontMetrics()
    for row in range(table.rowCount()):
        for col in (2, 3):
            text = table.item(row, col).text()
            room = header.sectionSize(col) - 8  # the cell's margins
            needed = metrics.boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, text)
            assert needed.width() <= room and needed.height() <= table.rowHeight(row), (row, col, text)
    if os.environ.get("BOOKING_STATION_SCREENSHOTS"):
        page.grab().save(str(Path(os.environ["BOOKING_STATION_SCREENSHOTS"]) / "diagnostics-1366.png"))


def test_capture_to_file_saves_the_print_where_the_tester_chose(qtbot, page, tmp_path, monkeypatch) -> None:
    from PIL import Image

    target = tmp_path / "prints" / "tester.png"
    monkeypatch.setattr(page, "ask_path", lambda *_a: target)
    qtbot.mouseClick(page.capture_file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._task is None and "Saved" in page.status.text(), timeout=15000)
    assert str(target) in page.status.text()
    with Image.open(target) as image:
        assert image.mode == "L" and image.size[0] > 0 and round(image.info["dpi"][0]) == 500


def test_record_usb_traffic_writes_a_replayable_recording(qtbot, page, tmp_path, monkeypatch) -> None:
    import json

    target = tmp_path / "aes3500.json"
    monkeypatch.setattr(page, "ask_path", lambda *_a: target)
    page.captures.setValue(1)
    assert page.record_button.isEnabled()
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._task is None and "Saved" in page.status.text(), timeout=15000)
    recording = json.loads(target.read_text())
    assert recording["transfers"] and recording["notes"]["captures"] == 1
    assert (tmp_path / "aes3500-1.png").exists() and str(tmp_path / "aes3500-1.png") in page.status.text()


def test_a_file_that_cannot_be_written_is_said_and_nothing_is_left(
    qtbot, page, tmp_path, monkeypatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    monkeypatch.setattr(page, "ask_path", lambda *_a: blocker / "print.png")
    qtbot.mouseClick(page.capture_file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page._task is None and "Nothing saved" in page.status.text(), timeout=15000)
    assert "cannot write" in page.status.text()
    monkeypatch.setattr(page, "ask_path", lambda *_a: None)  # the tester cancels the dialog
    qtbot.mouseClick(page.capture_file_button, Qt.MouseButton.LeftButton)
    assert page._task is None and page.capture_file_button.isEnabled()


def test_only_a_usb_scanner_offers_recording(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.diagnostics_page import DiagnosticsPage

    monkeypatch.setattr(registry, "_PROVIDER_MODULES", ["drivers.virtual"])  # the virtual scanner only
    widget = DiagnosticsPage(DeviceWatcher(interval_s=0.05))
    qtbot.addWidget(widget)
    try:
        assert widget.selected_device().id == "virtual"
        assert widget.capture_file_button.isEnabled() and not widget.record_button.isEnabled()
        assert "Only a USB scanner" in widget.record_button.toolTip()
    finally:
        widget.shutdown()
