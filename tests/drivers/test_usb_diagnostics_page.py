"""The hardware tester's diagnostics page with the emulated AES3500 (offscreen Qt)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _usb_helpers import ridges

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

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
    qtbot.waitUntil(lambda: page.results.rowCount() == 4, timeout=15000)
    rows = {page.results.item(r, 0).text(): page.results.item(r, 1).text() for r in range(4)}
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
