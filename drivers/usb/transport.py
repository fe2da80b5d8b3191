"""Bulk transfers to one USB device through pyusb, with every failure turned into a clear message.

The backend is injectable: libusb in production, the emulator or a strict replay in tests. The
transport knows nothing of any device's protocol.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import threading
from collections.abc import Callable

import usb.core
import usb.util

log = logging.getLogger(__name__)


class TransportError(Exception):
    """A USB failure, with `kind` one of: timeout, stall, gone, denied, busy, io, overflow."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind

    @property
    def retryable(self) -> bool:
        return self.kind in ("timeout", "stall", "io", "overflow")


def device_node(bus: int, address: int) -> str:
    return f"/dev/bus/usb/{bus:03d}/{address:03d}"


def explain(exc: usb.core.USBError, what: str, node: str | None = None) -> TransportError:
    """The TransportError for a pyusb error during `what` (e.g. "reading the image")."""
    code = exc.errno
    if isinstance(exc, usb.core.USBTimeoutError) or code == errno.ETIMEDOUT:
        return TransportError("timeout", f"the scanner did not answer in time while {what}")
    if code == errno.EPIPE:
        return TransportError(
            "stall",
            f"the scanner refused the request while {what} (endpoint stalled); replug it if this repeats",
        )
    if code in (errno.ENODEV, errno.ENOENT, errno.ESHUTDOWN):
        return TransportError("gone", f"the scanner was unplugged while {what}")
    if code in (errno.EACCES, errno.EPERM):
        where = f" ({node})" if node else ""
        return TransportError(
            "denied",
            f"no permission to use the scanner{where}: install the udev rule "
            "(booking-station scanners udev-rule --help) and replug the scanner",
        )
    if code == errno.EBUSY:
        return TransportError(
            "busy",
            "the scanner is in use by another program (for example fprintd: "
            "`sudo systemctl stop fprintd`); close it and try again",
        )
    if code == errno.EOVERFLOW:
        return TransportError("overflow", f"the scanner sent more data than expected while {what}")
    return TransportError("io", f"USB error while {what}: {exc}")


class UsbTransport:
    """Claims interface `interface` of the device that `find()` returns, then moves bulk data."""

    def __init__(self, find: Callable[[], usb.core.Device | None], interface: int = 0) -> None:
        self._find = find
        self._interface = interface
        self._device: usb.core.Device | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._device is not None

    def open(self) -> None:
        device = self._find()
        if device is None:
            raise TransportError("gone", "the scanner is not connected")
        node = device_node(device.bus, device.address) if device.bus else None
        try:
            # Reading the active configuration needs no transfer on Linux; only configure an
            # unconfigured device, because setting it again resets some sensors.
            try:
                configured = device.get_active_configuration() is not None
            except usb.core.USBError as exc:
                if exc.errno is not None:  # a real failure (permission, gone), not "not configured"
                    raise
                configured = False
            if not configured:
                device.set_configuration()
            try:
                if device.is_kernel_driver_active(self._interface):
                    device.detach_kernel_driver(self._interface)
            except (NotImplementedError, usb.core.USBError):
                pass  # not every platform or backend has kernel drivers to detach
            usb.util.claim_interface(device, self._interface)
        except usb.core.USBError as exc:
            usb.util.dispose_resources(device)
            raise explain(exc, "opening the scanner", node) from exc
        self._device = device

    def close(self) -> None:
        device, self._device = self._device, None
        if device is None:
            return
        with contextlib.suppress(usb.core.USBError):  # already gone: nothing left to release
            usb.util.release_interface(device, self._interface)
        usb.util.dispose_resources(device)

    def write(self, endpoint: int, data: bytes, timeout_ms: int, what: str) -> None:
        device = self._require_open(what)
        try:
            written = device.write(endpoint, data, timeout=timeout_ms)
        except usb.core.USBError as exc:
            raise explain(exc, what) from exc
        if written != len(data):
            raise TransportError("io", f"the scanner took {written} of {len(data)} bytes while {what}")

    def read(self, endpoint: int, size: int, timeout_ms: int, what: str) -> bytes:
        device = self._require_open(what)
        try:
            return bytes(device.read(endpoint, size, timeout=timeout_ms))
        except usb.core.USBError as exc:
            raise explain(exc, what) from exc

    def control_out(
        self, request_type: int, request: int, value: int, index: int, data: bytes, timeout_ms: int, what: str
    ) -> None:
        """A host-to-device vendor or class request on endpoint 0."""
        device = self._require_open(what)
        try:
            written = device.ctrl_transfer(request_type, request, value, index, data, timeout=timeout_ms)
        except usb.core.USBError as exc:
            raise explain(exc, what) from exc
        if written != len(data):
            raise TransportError("io", f"the scanner took {written} of {len(data)} bytes while {what}")

    def _require_open(self, what: str) -> usb.core.Device:
        if self._device is None:
            raise TransportError("gone", f"the scanner is not open ({what})")
        return self._device
