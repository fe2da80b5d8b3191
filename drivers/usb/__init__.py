"""USB scanners through pyusb: transport, supported devices, the AES3500 driver and its emulator.

Layout (python-seabreeze style: transport, protocol and device model kept apart):
- `transport`: bulk transfers with every USB failure turned into a clear message;
- `devices`: the supported VID:PIDs and their drivers (the udev rule is generated from it);
- `aes3500` + `_aes3500_protocol`: the AuthenTec AES3500 driver;
- `emulator`: the AES3500's device side as a pyusb backend, for CI and people without hardware;
- `replay`: record a session's transfers and replay them strictly (regression tests);
- `hotplug`: a watcher that tells listeners when scanners come and go;
- `sdk/`: where vendor-SDK tenprint adapters go.

Set BOOKING_STATION_EMULATE=aes3500 (or pass --emulate aes3500) to add an emulated AES3500.
"""

from __future__ import annotations

from drivers.usb._provider import EMULATE_ENV, UsbProvider


def provider() -> UsbProvider:
    return UsbProvider()


__all__ = ["EMULATE_ENV", "UsbProvider", "provider"]
