"""USB scanners through pyusb: transport, supported devices, drivers and their emulators.

Layout (python-seabreeze style: transport, protocol and device model kept apart):
- `transport`: bulk and control transfers with every USB failure turned into a clear message;
- `devices`: the supported VID:PIDs and their drivers (the udev rule is generated from it);
- `aes3500`, `nb1010`, `upektc_img` + their `_<name>_protocol` modules: one driver per device
  (AuthenTec AES3500, NEXT Biometrics NB-1010-U, UPEK TouchChip coprocessor);
- `emulator` (+ `_<name>_emulator`): each device's side of its protocol as a pyusb backend, for
  CI and people without hardware;
- `replay`: record a session's transfers and replay them strictly (regression tests);
  `recordings`: read umockdev and usbmon (pcapng) recordings into replay scripts;
- `hotplug`: a watcher that tells listeners when scanners come and go;
- `sdk/`: where vendor-SDK tenprint adapters go.

Set BOOKING_STATION_EMULATE=aes3500,nb1010,upektc_img (or pass --emulate NAME) to add emulated
sensors. How to add a device: drivers/README.md.
"""

from __future__ import annotations

from drivers.usb._provider import EMULATE_ENV, UsbProvider


def provider() -> UsbProvider:
    return UsbProvider()


__all__ = ["EMULATE_ENV", "UsbProvider", "provider"]
