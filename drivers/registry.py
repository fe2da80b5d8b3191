"""Finds scanners. The virtual scanner is always listed; USB devices are found by VID:PID.

Each provider module exposes `provider() -> DeviceProvider`. Providers are imported lazily
so that listing devices never pays for a driver that is not needed.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from drivers.api import DeviceInfo, Scanner, ScannerUnavailable

_PROVIDER_MODULES: list[str] = [
    "drivers.virtual",
    "drivers.usb",
]


class DeviceProvider(Protocol):
    def devices(self) -> list[DeviceInfo]: ...

    def open(self, device_id: str) -> Scanner | None:
        """The scanner with this id, unopened; None if this provider does not know the id."""


def _providers() -> list[DeviceProvider]:
    return [importlib.import_module(name).provider() for name in _PROVIDER_MODULES]


def list_devices() -> list[DeviceInfo]:
    found: list[DeviceInfo] = []
    for provider in _providers():
        found.extend(provider.devices())
    return found


def open_device(device_id: str) -> Scanner:
    """The scanner with this id (not yet opened). Raises ScannerUnavailable naming the known ids."""
    for provider in _providers():
        scanner = provider.open(device_id)
        if scanner is not None:
            return scanner
    known = ", ".join(d.id for d in list_devices()) or "none"
    raise ScannerUnavailable(f"no scanner with id {device_id!r} (known: {known})")
