"""A pyusb backend for one device whose descriptors are known and whose transfers Python answers.

The AES3500 emulator and the strict replay of recorded sessions both derive from it, so the
driver runs through the real `usb.core` code path (descriptor parsing, interface claiming,
endpoint lookup) exactly as it does against libusb.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterator

import usb.backend
import usb.core

from drivers.usb import _descriptors

# libusb error codes, as pyusb's libusb1 backend reports them.
_LIBUSB_ERRORS = {
    errno.EIO: (-1, "Input/Output Error"),
    errno.EACCES: (-3, "Access denied (insufficient permissions)"),
    errno.ENODEV: (-4, "No such device (it may have been disconnected)"),
    errno.EBUSY: (-6, "Resource busy"),
    errno.ETIMEDOUT: (-7, "Operation timed out"),
    errno.EOVERFLOW: (-8, "Overflow"),
    errno.EPIPE: (-9, "Pipe error"),
}


def usb_error(code: int) -> usb.core.USBError:
    """The exception pyusb's libusb1 backend raises for this errno."""
    libusb_code, text = _LIBUSB_ERRORS[code]
    if code == errno.ETIMEDOUT:
        return usb.core.USBTimeoutError(text, libusb_code, code)
    return usb.core.USBError(text, libusb_code, code)


class DescribedBackend(usb.backend.IBackend):
    """One device with fixed descriptors; subclasses answer bulk transfers."""

    def __init__(self, descriptor_bytes: bytes, bus: int, address: int) -> None:
        self.descriptor_bytes = descriptor_bytes
        self._desc = _descriptors.parse(descriptor_bytes, bus=bus, address=address)
        descriptors = self._desc
        self._lock = threading.RLock()
        self._open_handles = 0
        self._claimed: set[int] = set()
        self._configuration = descriptors.configurations[0].bConfigurationValue
        self.connected = True

    # --- hooks for subclasses -------------------------------------------------------------
    def _write(self, endpoint: int, data: bytes, timeout: int) -> int:
        raise usb_error(errno.EPIPE)

    def _read(self, endpoint: int, size: int, timeout: int) -> bytes:
        raise usb_error(errno.EPIPE)

    def _check_open(self) -> None:
        """Raise the error the device gives when opened (permissions, busy); none by default."""

    # --- IBackend ---------------------------------------------------------------------------
    def enumerate_devices(self) -> Iterator[object]:
        if self.connected:
            yield self

    def get_device_descriptor(self, dev: object) -> _descriptors.DeviceDescriptor:
        return self._desc.device

    def get_configuration_descriptor(self, dev: object, config: int) -> _descriptors.ConfigurationDescriptor:
        return self._desc.configurations[config]

    def get_interface_descriptor(
        self, dev: object, intf: int, alt: int, config: int
    ) -> _descriptors.InterfaceDescriptor:
        matches = [i for i in self._desc.interfaces[config] if i.bInterfaceNumber == intf]
        return matches[alt]

    def get_endpoint_descriptor(
        self, dev: object, ep: int, intf: int, alt: int, config: int
    ) -> _descriptors.EndpointDescriptor:
        index = [n for n, i in enumerate(self._desc.interfaces[config]) if i.bInterfaceNumber == intf][alt]
        return self._desc.endpoints[config][index][ep]

    def get_parent(self, dev: object) -> None:
        return None

    def open_device(self, dev: object) -> DescribedBackend:
        with self._lock:
            self._require_connected()
            self._check_open()
            self._open_handles += 1
        return self

    def close_device(self, dev_handle: object) -> None:
        with self._lock:
            self._open_handles = max(0, self._open_handles - 1)
            self._claimed.clear()

    def set_configuration(self, dev_handle: object, config_value: int) -> None:
        self._require_connected()
        self._configuration = config_value

    def get_configuration(self, dev_handle: object) -> int:
        self._require_connected()
        return self._configuration

    def set_interface_altsetting(self, dev_handle: object, intf: int, altsetting: int) -> None:
        self._require_connected()

    def claim_interface(self, dev_handle: object, intf: int) -> None:
        with self._lock:
            self._require_connected()
            self._claimed.add(intf)

    def release_interface(self, dev_handle: object, intf: int) -> None:
        with self._lock:
            self._claimed.discard(intf)

    def is_kernel_driver_active(self, dev_handle: object, intf: int) -> bool:
        return False

    def detach_kernel_driver(self, dev_handle: object, intf: int) -> None:
        return None

    def attach_kernel_driver(self, dev_handle: object, intf: int) -> None:
        return None

    def clear_halt(self, dev_handle: object, ep: int) -> None:
        self._require_connected()

    def reset_device(self, dev_handle: object) -> None:
        self._require_connected()

    def ctrl_transfer(self, dev_handle, bmRequestType, bRequest, wValue, wIndex, data, timeout):  # noqa: N803
        # The devices we present need no control requests beyond those pyusb answers itself.
        raise usb_error(errno.EPIPE)

    def bulk_write(self, dev_handle: object, ep: int, intf: int, data, timeout: int) -> int:
        self._require_claimed(intf)
        return self._write(ep, bytes(data), timeout)

    def bulk_read(self, dev_handle: object, ep: int, intf: int, buff, timeout: int) -> int:
        self._require_claimed(intf)
        answer = self._read(ep, len(buff), timeout)
        if len(answer) > len(buff):
            raise usb_error(errno.EOVERFLOW)
        buff[: len(answer)] = type(buff)(buff.typecode, answer) if hasattr(buff, "typecode") else answer
        return len(answer)

    # --- helpers --------------------------------------------------------------------------
    def _require_connected(self) -> None:
        if not self.connected:
            raise usb_error(errno.ENODEV)

    def _require_claimed(self, intf: int) -> None:
        self._require_connected()
        # pyusb claims an interface implicitly before its first transfer, as libusb does.
        self._claimed.add(intf)
