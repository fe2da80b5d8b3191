"""Listing USB scanners: emulation by environment variable, permission problems, hot-plug."""

from __future__ import annotations

import os

import pytest
from _usb_helpers import ridges

from drivers.api import DeviceInfo
from drivers.usb import _provider
from drivers.usb._provider import UsbProvider, _Source
from drivers.usb.emulator import Aes3500Emulator
from drivers.usb.hotplug import DeviceWatcher


def provider_for(*emulators: Aes3500Emulator) -> UsbProvider:
    return UsbProvider(sources=lambda: [_Source(e, emulated=True) for e in emulators])


def test_an_emulated_aes3500_is_listed_with_its_usb_id_and_opens() -> None:
    (info,) = provider_for(Aes3500Emulator(lambda n: (ridges(), 500.0))).devices()
    assert (info.id, info.usb_id, info.model, info.ppi) == (
        "usb:08ff:5731:emulated-1",
        "08ff:5731",
        "AES3500",
        500.0,
    )
    assert info.driver == "aes3500 (emulated)" and info.problem is None
    # Read through a USB string descriptor, as from a real device (issue 22: it was empty).
    assert info.serial == "EMU-AES3500-0001"
    assert provider_for(Aes3500Emulator()).open(info.id) is not None
    assert provider_for(Aes3500Emulator()).open("virtual") is None


def test_the_environment_variable_plugs_the_emulator_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_provider.EMULATE_ENV, "aes3500")
    assert any(d.id == "usb:08ff:5731:emulated-1" for d in UsbProvider().devices())
    # A typo is logged and skipped: it must not hide every other scanner.
    monkeypatch.setenv(_provider.EMULATE_ENV, "aes4000")
    assert not any(d.id.endswith(":emulated-1") for d in UsbProvider().devices())
    assert _provider.unknown_emulators() == ["aes4000"]


def test_a_device_node_without_permission_is_reported_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os.path, "exists", lambda path: path == "/dev/bus/usb/003/004")
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    problem = _provider.permission_problem(3, 4)
    assert problem is not None and "/dev/bus/usb/003/004" in problem and "udev-rule --install" in problem
    assert _provider.permission_problem(3, 5) is None  # no such node: nothing to report


def test_the_watcher_tells_listeners_when_scanners_come_and_go() -> None:
    emu = Aes3500Emulator()
    heard: list[tuple[list[DeviceInfo], list[DeviceInfo]]] = []
    watcher = DeviceWatcher(provider_for(emu).devices)
    watcher.add_listener(lambda added, removed: heard.append((added, removed)))
    watcher.poll()
    emu.unplug()
    watcher.poll()
    watcher.poll()  # nothing changed: nobody is told
    emu.replug()
    watcher.poll()
    assert [([a.id for a in added], [r.id for r in removed]) for added, removed in heard] == [
        (["usb:08ff:5731:emulated-1"], []),
        ([], ["usb:08ff:5731:emulated-1"]),
        (["usb:08ff:5731:emulated-1"], []),
    ]
    assert [d.id for d in watcher.devices()] == ["usb:08ff:5731:emulated-1"]


def test_the_watcher_thread_polls_until_stopped() -> None:
    import threading

    emu = Aes3500Emulator()
    changed = threading.Event()
    watcher = DeviceWatcher(provider_for(emu).devices, interval_s=0.05)
    watcher.start()
    try:
        watcher.add_listener(lambda added, removed: changed.set() if removed else None)
        emu.unplug()
        assert changed.wait(5.0), "the watcher never noticed the unplug"
    finally:
        watcher.stop()
