"""Lists supported USB scanners (real ones through libusb, emulated ones on request) and opens them."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import usb.backend
import usb.core

from drivers.api import DeviceInfo, Scanner
from drivers.usb import devices
from drivers.usb.replay import RecordingBackend
from drivers.usb.transport import UsbTransport, device_node

log = logging.getLogger(__name__)

EMULATE_ENV = "BOOKING_STATION_EMULATE"
#: Every supported sensor has an emulator, named like its driver (`drivers.usb.emulator.EMULATORS`).
EMULATORS = tuple(d.driver for d in devices.SUPPORTED)

UDEV_FIX = (
    "install the udev rule: `sudo booking-station scanners udev-rule --install`, "
    "then unplug and replug the scanner"
)


def emulated_names() -> list[str]:
    """The emulators asked for in BOOKING_STATION_EMULATE (comma-separated).

    Unknown names are logged and skipped, so a typo never hides the real and virtual scanners;
    the `scanners` commands check the variable up front and refuse a bad one.
    """
    names = [n.strip().lower() for n in os.environ.get(EMULATE_ENV, "").split(",") if n.strip()]
    unknown = unknown_emulators()
    if unknown:
        log.error(
            "%s names unknown emulator(s) %s; available: %s",
            EMULATE_ENV,
            ", ".join(unknown),
            ", ".join(EMULATORS),
        )
    return [n for n in names if n in EMULATORS]


def unknown_emulators() -> list[str]:
    names = [n.strip().lower() for n in os.environ.get(EMULATE_ENV, "").split(",") if n.strip()]
    return [n for n in names if n not in EMULATORS]


def permission_problem(bus: int, address: int) -> str | None:
    """The permission problem opening this device would hit, with the fix; None if it is fine."""
    node = device_node(bus, address)
    if os.path.exists(node) and not os.access(node, os.R_OK | os.W_OK):
        return f"no read/write permission on {node}: {UDEV_FIX}"
    return None


@dataclass(frozen=True)
class _Source:
    backend: usb.backend.IBackend
    emulated: bool


class UsbProvider:
    """A `drivers.registry` provider. `sources` overrides where devices come from (tests)."""

    def __init__(self, sources: Callable[[], list[_Source]] | None = None) -> None:
        self._sources = sources or _default_sources

    def devices(self) -> list[DeviceInfo]:
        return [info for info, _, _ in self._scan()]

    def open(self, device_id: str) -> Scanner | None:
        if not device_id.startswith("usb:"):
            return None
        for info, supported, source in self._scan():
            if info.id == device_id:
                return _build(info, supported, source, device_id)
        return None

    def open_recording(self, device_id: str) -> tuple[Scanner, RecordingBackend] | None:
        """The scanner with this id wired through a backend that writes down every transfer."""
        for info, supported, source in self._scan():
            if info.id == device_id:
                recorder = RecordingBackend(source.backend, _descriptor_bytes(source, device_id))
                return _build(info, supported, _Source(recorder, source.emulated), device_id), recorder
        return None

    def _scan(self) -> list[tuple[DeviceInfo, devices.SupportedDevice, _Source]]:
        found = []
        for source in self._sources():
            try:
                candidates = list(usb.core.find(find_all=True, backend=source.backend))
            except usb.core.USBError as exc:
                log.warning("cannot list USB devices: %s", exc)
                continue
            for dev in candidates:
                supported = devices.lookup(dev.idVendor, dev.idProduct)
                if supported is not None:
                    found.append((_describe(dev, supported, source), supported, source))
        return found


def _device_id(supported: devices.SupportedDevice, bus: int, address: int, emulated: bool) -> str:
    where = f"emulated-{address}" if emulated else f"{bus}-{address}"
    return f"usb:{supported.usb_id}:{where}"


def _describe(dev: usb.core.Device, supported: devices.SupportedDevice, source: _Source) -> DeviceInfo:
    problem = None if source.emulated else permission_problem(dev.bus, dev.address)
    serial = ""
    if dev.iSerialNumber and problem is None:
        try:
            serial = dev.serial_number or ""
        except (usb.core.USBError, ValueError):
            serial = ""  # some sensors refuse string requests while another program holds them
    return DeviceInfo(
        id=_device_id(supported, dev.bus, dev.address, source.emulated),
        vendor=supported.vendor,
        model=supported.model,
        serial=serial,
        driver=f"{supported.driver} (emulated)" if source.emulated else supported.driver,
        ppi=supported.ppi,
        platen_mm=supported.platen_mm,
        modes=supported.modes,
        usb_id=supported.usb_id,
        problem=problem,
    )


def _descriptor_bytes(source: _Source, device_id: str) -> bytes:
    """The raw descriptors a recording carries, so that its replay presents the same device."""
    described = getattr(source.backend, "descriptor_bytes", None)
    if described is not None:
        return described
    bus, _, address = device_id.rsplit(":", 1)[1].partition("-")
    for folder in Path("/sys/bus/usb/devices").glob("*"):
        try:
            if (folder / "busnum").read_text().strip() == bus and (
                folder / "devnum"
            ).read_text().strip() == address:
                return (folder / "descriptors").read_bytes()
        except OSError:
            continue
    raise ValueError(f"cannot read the USB descriptors of {device_id} from /sys; cannot record it")


def _build(info: DeviceInfo, supported: devices.SupportedDevice, source: _Source, device_id: str) -> Scanner:
    def find() -> usb.core.Device | None:
        # Found afresh at every open: after a replug the device has a new handle.
        for dev in usb.core.find(find_all=True, backend=source.backend):
            if (dev.idVendor, dev.idProduct) == (supported.vendor_id, supported.product_id) and (
                _device_id(supported, dev.bus, dev.address, source.emulated) == device_id
            ):
                return dev
        return None

    return supported.load_class()(info, UsbTransport(find))


def _default_sources() -> list[_Source]:
    sources: list[_Source] = []
    import usb.backend.libusb1

    real = usb.backend.libusb1.get_backend()
    if real is None:
        log.debug("libusb is not available: only emulated USB scanners are listed")
    else:
        sources.append(_Source(real, emulated=False))
    for name in emulated_names():
        from drivers.usb import emulator

        sources.append(_Source(emulator.shared(name), emulated=True))
    return sources
