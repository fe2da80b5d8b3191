"""Record a USB session's bulk transfers, and replay them strictly (PyMeasure's expected_protocol).

A `Recording` is the device's descriptors plus every bulk transfer in order: what the host
wrote, what it asked to read and what came back (or which error). `RecordingBackend` wraps any
pyusb backend (libusb for a real scanner, or the emulator) and writes one down;
`ReplayBackend` plays one back and fails loudly on the first transfer that differs, and on any
transfer left unconsumed. `booking-station scanners record` saves recordings as JSON under
tests/drivers/recordings/, where a test replays every one: a session becomes a regression test.
"""

from __future__ import annotations

import contextlib
import errno
import json
import struct
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import usb.backend
import usb.core

from drivers.usb._backend import DescribedBackend, usb_error

FORMAT = "booking-station-usb-recording/1"
_ERRORS = {
    "timeout": errno.ETIMEDOUT,
    "stall": errno.EPIPE,
    "gone": errno.ENODEV,
    "overflow": errno.EOVERFLOW,
}
_ERRNO_NAMES = {v: k for k, v in _ERRORS.items()}


class ProtocolMismatch(AssertionError):
    """The driver did something the recorded or expected session did not do."""


@dataclass(frozen=True)
class Transfer:
    direction: str  # "out" or "in" (bulk), or "control" (a vendor or class request on endpoint 0)
    endpoint: int
    data: bytes = b""  # written, or read back
    size: int | None = None  # for "in" and a device-to-host "control": the length the host asked for
    error: str | None = None  # timeout, stall, gone, overflow: the transfer failed this way
    setup: bytes = b""  # "control": the 8-byte setup packet (request type, request, value, index, length)

    @classmethod
    def control(cls, request_type: int, request: int, value: int, index: int, data: bytes | int) -> Transfer:
        """A control transfer: `data` is what the host writes, or (reading) how much it asks for."""
        length = data if isinstance(data, int) else len(data)
        setup = struct.pack("<BBHHH", request_type, request, value, index, length)
        if request_type & 0x80:
            return cls("control", 0, size=length, setup=setup)
        return cls("control", 0, bytes(data), setup=setup)

    def describe(self) -> str:
        head = f"{self.direction.upper()} 0x{self.endpoint:02x}"
        if self.direction == "in":
            head += f" size {self.size}"
        if self.direction == "control":
            head = f"CONTROL {self.setup.hex()}"
        body = self.data.hex()
        body = body if len(body) <= 40 else f"{body[:40]}... ({len(self.data)} bytes)"
        return f"{head} {body}" + (f" -> {self.error}" if self.error else "")


@dataclass
class Recording:
    descriptors: bytes
    transfers: list[Transfer] = field(default_factory=list)
    notes: dict = field(default_factory=dict)  # device id, command, image digest, ...

    def save(self, path: Path) -> None:
        doc = {
            "format": FORMAT,
            "descriptors": self.descriptors.hex(),
            "notes": self.notes,
            "transfers": [
                {**asdict(t), "data": t.data.hex(), "setup": t.setup.hex()} for t in self.transfers
            ],
        }
        path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Recording:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") != FORMAT:
                raise ValueError(f"format is {doc.get('format')!r}, expected {FORMAT!r}")
            transfers = [
                Transfer(
                    **{**t, "data": bytes.fromhex(t["data"]), "setup": bytes.fromhex(t.get("setup", ""))}
                )
                for t in doc["transfers"]
            ]
            return cls(bytes.fromhex(doc["descriptors"]), transfers, doc.get("notes", {}))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path} is not a USB recording: {exc}") from exc


def _delegate(name: str):
    def method(self, *args, **kwargs):
        return getattr(self._inner, name)(*args, **kwargs)

    method.__name__ = name
    return method


class RecordingBackend(usb.backend.IBackend):
    """Passes everything to `inner` and writes down the bulk transfers of the device it opens."""

    def __init__(self, inner: usb.backend.IBackend, descriptors: bytes) -> None:
        self._inner = inner
        self.recording = Recording(descriptors)

    def bulk_write(self, dev_handle, ep, intf, data, timeout):
        try:
            written = self._inner.bulk_write(dev_handle, ep, intf, data, timeout)
        except usb.core.USBError as exc:
            self._note(Transfer("out", ep, bytes(data), error=_ERRNO_NAMES.get(exc.errno, "stall")))
            raise
        self._note(Transfer("out", ep, bytes(data)[:written]))
        return written

    def bulk_read(self, dev_handle, ep, intf, buff, timeout):
        try:
            count = self._inner.bulk_read(dev_handle, ep, intf, buff, timeout)
        except usb.core.USBError as exc:
            self._note(Transfer("in", ep, b"", size=len(buff), error=_ERRNO_NAMES.get(exc.errno, "stall")))
            raise
        self._note(Transfer("in", ep, bytes(buff[:count]), size=len(buff)))
        return count

    def ctrl_transfer(self, dev_handle, bmRequestType, bRequest, wValue, wIndex, data, timeout):  # noqa: N803
        if not bmRequestType & 0x60:  # standard requests (descriptors, strings) are not the protocol
            return self._inner.ctrl_transfer(
                dev_handle, bmRequestType, bRequest, wValue, wIndex, data, timeout
            )
        reading = bool(bmRequestType & 0x80)
        asked = Transfer.control(
            bmRequestType, bRequest, wValue, wIndex, len(data) if reading else bytes(data)
        )
        try:
            result = self._inner.ctrl_transfer(
                dev_handle, bmRequestType, bRequest, wValue, wIndex, data, timeout
            )
        except usb.core.USBError as exc:
            self._note(replace(asked, error=_ERRNO_NAMES.get(exc.errno, "stall")))
            raise
        self._note(replace(asked, data=bytes(data[:result])) if reading else asked)
        return result

    def _note(self, transfer: Transfer) -> None:
        self.recording.transfers.append(transfer)


for _name in [
    "enumerate_devices",
    "get_parent",
    "get_device_descriptor",
    "get_configuration_descriptor",
    "get_interface_descriptor",
    "get_endpoint_descriptor",
    "open_device",
    "close_device",
    "set_configuration",
    "get_configuration",
    "set_interface_altsetting",
    "claim_interface",
    "release_interface",
    "clear_halt",
    "reset_device",
    "is_kernel_driver_active",
    "detach_kernel_driver",
    "attach_kernel_driver",
]:
    setattr(RecordingBackend, _name, _delegate(_name))


class ReplayBackend(DescribedBackend):
    """One device that answers exactly the listed transfers, in order, and nothing else."""

    def __init__(self, transfers: list[Transfer], descriptors: bytes, bus: int = 1, address: int = 1) -> None:
        super().__init__(descriptors, bus=bus, address=address)
        self._script = list(transfers)
        self._next = 0

    @property
    def remaining(self) -> list[Transfer]:
        return self._script[self._next :]

    def assert_consumed(self) -> None:
        if self.remaining:
            listed = "; ".join(t.describe() for t in self.remaining[:5])
            raise ProtocolMismatch(f"{len(self.remaining)} expected transfer(s) never happened: {listed}")

    def _expect(self, actual: Transfer) -> Transfer:
        if self._next >= len(self._script):
            raise ProtocolMismatch(f"unexpected transfer after the end of the script: {actual.describe()}")
        expected = self._script[self._next]
        same = (expected.direction, expected.endpoint, expected.setup) == (
            actual.direction,
            actual.endpoint,
            actual.setup,
        ) and (expected.size == actual.size if actual.size is not None else expected.data == actual.data)
        if not same:
            raise ProtocolMismatch(
                f"transfer {self._next + 1}: expected {expected.describe()}, got {actual.describe()}"
            )
        self._next += 1
        return expected

    def _write(self, endpoint: int, data: bytes, timeout: int) -> int:
        expected = self._expect(Transfer("out", endpoint, data))
        if expected.error:
            raise usb_error(_ERRORS[expected.error])
        return len(data)

    def _control(
        self, request_type: int, request: int, value: int, index: int, data: bytes | int
    ) -> bytes | int:
        expected = self._expect(Transfer.control(request_type, request, value, index, data))
        if expected.error:
            raise usb_error(_ERRORS[expected.error])
        return expected.data if isinstance(data, int) else len(data)

    def _read(self, endpoint: int, size: int, timeout: int) -> bytes:
        expected = self._expect(Transfer("in", endpoint, size=size))
        if expected.error:
            raise usb_error(_ERRORS[expected.error])
        return expected.data


@contextlib.contextmanager
def expected_protocol(transfers: list[Transfer], descriptors: bytes) -> Iterator[ReplayBackend]:
    """A backend that must see exactly `transfers`: a different one fails at once, a missing one at exit."""
    backend = ReplayBackend(transfers, descriptors)
    yield backend
    backend.assert_consumed()
