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

    def __init__(
        self, descriptor_bytes: bytes, bus: int, address: int, strings: dict[int, str] | None = None
    ) -> None:
        self.descriptor_bytes = descriptor_bytes
        self._desc = _descriptors.parse(descriptor_bytes, bus=bus, address=address)
        self._strings = dict(strings or {})  # string descriptor index -> text (US English)
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

    def _control(
        self, request_type: int, request: int, value: int, index: int, data: bytes | int
    ) -> bytes | int:
        """A vendor or class control request. `data`: what the host writes, or (device-to-host)
        the length it asks for. Returns the bytes read back, or the count written."""
        raise usb_error(errno.EPIPE)

    def set_serial(self, serial: str) -> None:
        """Give the device a serial-number string (emulators; the sensors' own have none)."""
        index = self._desc.device.iSerialNumber or max([3, *self._strings]) + 1
        self._desc.device.iSerialNumber = index
        self._strings[index] = serial

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
        self._require_connected()
        device_to_host = bool(bmRequestType & 0x80)
        if (bmRequestType, bRequest) == (0x80, 6) and wValue >> 8 == 3:  # GET_DESCRIPTOR(string)
            answer = self._string_descriptor(wValue & 0xFF)
        elif (bmRequestType & 0x60) == 0:
            raise usb_error(errno.EPIPE)  # other standard requests: pyusb answers them from descriptors
        else:
            answer = self._control(
                bmRequestType, bRequest, wValue, wIndex, len(data) if device_to_host else bytes(data)
            )
        if not device_to_host:
            return int(answer)
        answer = bytes(answer)[: len(data)]
        data[: len(answer)] = type(data)(data.typecode, answer) if hasattr(data, "typecode") else answer
        return len(answer)

    def _string_descriptor(self, index: int) -> bytes:
        if index == 0:
            return bytes([4, 3, 0x09, 0x04])  # one language: US English
        if index not in self._strings:
            raise usb_error(errno.EPIPE)
        text = self._strings[index].encode("utf-16-le")
        return bytes([2 + len(text), 3]) + text

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
