"""Shared bits for the USB driver tests: a synthetic ridge image and driver construction."""

from __future__ import annotations

import numpy as np
import usb.backend
import usb.core

from drivers.api import DeviceInfo
from drivers.usb import _aes3500_protocol as proto
from drivers.usb import devices
from drivers.usb.aes3500 import Aes3500Scanner
from drivers.usb.transport import UsbTransport


def ridges(size: int = 300, period_px: float = 9.0, angle: float = 0.4) -> np.ndarray:
    """A plain ridge pattern with a curve in it: dark ridges on light, uint8."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    phase = (xx * np.cos(angle) + yy * np.sin(angle) + 0.002 * (xx - size / 2) ** 2) * 2 * np.pi / period_px
    return np.clip(128 + 110 * np.sin(phase), 0, 255).astype(np.uint8)


def aes3500_info(device_id: str = "usb:08ff:5731:1-1") -> DeviceInfo:
    sd = devices.lookup(proto.VENDOR_ID, proto.PRODUCT_ID)
    return DeviceInfo(
        id=device_id,
        vendor=sd.vendor,
        model=sd.model,
        serial="",
        driver=sd.driver,
        ppi=sd.ppi,
        platen_mm=sd.platen_mm,
        modes=sd.modes,
        usb_id=sd.usb_id,
    )


def scanner_on(backend: usb.backend.IBackend, finger_timeout_s: float = 60.0) -> Aes3500Scanner:
    """The AES3500 driver talking to whatever device `backend` presents."""

    def find() -> usb.core.Device | None:
        return usb.core.find(idVendor=proto.VENDOR_ID, idProduct=proto.PRODUCT_ID, backend=backend)

    return Aes3500Scanner(aes3500_info(), UsbTransport(find), finger_timeout_s=finger_timeout_s)


def device_info(driver: str, device_id: str = "usb:test:1-1") -> DeviceInfo:
    sd = next(d for d in devices.SUPPORTED if d.driver == driver)
    return DeviceInfo(
        id=device_id,
        vendor=sd.vendor,
        model=sd.model,
        serial="",
        driver=sd.driver,
        ppi=sd.ppi,
        platen_mm=sd.platen_mm,
        modes=sd.modes,
        usb_id=sd.usb_id,
    )


def driver_on(backend: usb.backend.IBackend, driver: str, **kwargs):
    """The `driver` scanner (e.g. "nb1010") talking to whatever device `backend` presents."""
    sd = next(d for d in devices.SUPPORTED if d.driver == driver)

    def find() -> usb.core.Device | None:
        return usb.core.find(idVendor=sd.vendor_id, idProduct=sd.product_id, backend=backend)

    return sd.load_class()(device_info(driver), UsbTransport(find), **kwargs)
