"""The USB scanners we support, keyed by VID:PID. The udev rule is generated from this table.

A driver is named by "module:Class"; the class implements `drivers.api.Scanner` and is built as
`Class(info, transport)`. Tenprint livescan devices driven through a vendor SDK are listed here
too, with their adapter class under `drivers/usb/sdk/` (see its docstring).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from drivers.api import CaptureMode


@dataclass(frozen=True)
class SupportedDevice:
    vendor_id: int
    product_id: int
    vendor: str
    model: str
    driver: str  # short driver name shown to users
    scanner_class: str  # "module:Class"
    ppi: float
    platen_mm: tuple[float, float]
    modes: tuple[CaptureMode, ...]

    @property
    def usb_id(self) -> str:
        return f"{self.vendor_id:04x}:{self.product_id:04x}"

    def load_class(self) -> type:
        module, _, name = self.scanner_class.partition(":")
        return getattr(importlib.import_module(module), name)


SUPPORTED: tuple[SupportedDevice, ...] = (
    SupportedDevice(
        vendor_id=0x08FF,
        product_id=0x5731,
        vendor="AuthenTec",
        model="AES3500",
        driver="aes3500",
        scanner_class="drivers.usb.aes3500:Aes3500Scanner",
        ppi=500.0,
        platen_mm=(6.5, 6.5),
        modes=(CaptureMode.PLAIN,),
    ),
    SupportedDevice(
        vendor_id=0x298D,
        product_id=0x1010,
        vendor="NEXT Biometrics",
        model="NB-1010-U",
        driver="nb1010",
        scanner_class="drivers.usb.nb1010:Nb1010Scanner",
        ppi=385.0,
        platen_mm=(16.9, 11.9),
        modes=(CaptureMode.PLAIN,),
    ),
    SupportedDevice(
        vendor_id=0x147E,
        product_id=0x2016,
        vendor="UPEK",
        model="TouchChip",
        driver="upektc_img",
        scanner_class="drivers.usb.upektc_img:UpektcScanner",
        ppi=508.0,
        platen_mm=(7.2, 19.2),
        modes=(CaptureMode.PLAIN,),
    ),
)


def lookup(vendor_id: int, product_id: int) -> SupportedDevice | None:
    for device in SUPPORTED:
        if (device.vendor_id, device.product_id) == (vendor_id, product_id):
            return device
    return None
