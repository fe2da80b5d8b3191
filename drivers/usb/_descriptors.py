"""USB descriptors parsed from raw bytes, in the shape pyusb's backends hand to `usb.core`.

The emulator and the replay backend present a device to pyusb exactly as the real one
describes itself, so the driver code sees no difference.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field


@dataclass
class DeviceDescriptor:
    bLength: int = 18
    bDescriptorType: int = 1
    bcdUSB: int = 0x0110
    bDeviceClass: int = 0
    bDeviceSubClass: int = 0
    bDeviceProtocol: int = 0
    bMaxPacketSize0: int = 8
    idVendor: int = 0
    idProduct: int = 0
    bcdDevice: int = 0
    iManufacturer: int = 0
    iProduct: int = 0
    iSerialNumber: int = 0
    bNumConfigurations: int = 1
    address: int = 1
    bus: int = 0
    port_number: int | None = None
    port_numbers: tuple[int, ...] | None = None
    speed: int | None = None
    extra_descriptors: list[int] = field(default_factory=list)


@dataclass
class ConfigurationDescriptor:
    bLength: int = 9
    bDescriptorType: int = 2
    wTotalLength: int = 0
    bNumInterfaces: int = 1
    bConfigurationValue: int = 1
    iConfiguration: int = 0
    bmAttributes: int = 0x80
    bMaxPower: int = 0
    extra_descriptors: list[int] = field(default_factory=list)


@dataclass
class InterfaceDescriptor:
    bLength: int = 9
    bDescriptorType: int = 4
    bInterfaceNumber: int = 0
    bAlternateSetting: int = 0
    bNumEndpoints: int = 0
    bInterfaceClass: int = 0
    bInterfaceSubClass: int = 0
    bInterfaceProtocol: int = 0
    iInterface: int = 0
    extra_descriptors: list[int] = field(default_factory=list)


@dataclass
class EndpointDescriptor:
    bLength: int = 7
    bDescriptorType: int = 5
    bEndpointAddress: int = 0
    bmAttributes: int = 0
    wMaxPacketSize: int = 0
    bInterval: int = 0
    bRefresh: int = 0
    bSynchAddress: int = 0
    extra_descriptors: list[int] = field(default_factory=list)


@dataclass
class DeviceDescriptors:
    device: DeviceDescriptor
    configurations: list[ConfigurationDescriptor]
    interfaces: list[list[InterfaceDescriptor]]  # per configuration
    endpoints: list[list[list[EndpointDescriptor]]]  # per configuration, per interface


def parse(raw: bytes, bus: int, address: int) -> DeviceDescriptors:
    """Parse a device descriptor followed by its configuration descriptors (sysfs `descriptors`)."""
    if len(raw) < 18 or raw[1] != 1:
        raise ValueError("descriptor bytes do not start with a USB device descriptor")
    f = struct.unpack_from("<BBHBBBBHHHBBBB", raw, 0)
    device = DeviceDescriptor(*f, address=address, bus=bus)
    configs: list[ConfigurationDescriptor] = []
    interfaces: list[list[InterfaceDescriptor]] = []
    endpoints: list[list[list[EndpointDescriptor]]] = []
    pos = f[0]
    while pos + 2 <= len(raw):
        length, kind = raw[pos], raw[pos + 1]
        if length == 0:
            raise ValueError(f"zero-length descriptor at byte {pos}")
        if kind == 2:
            configs.append(ConfigurationDescriptor(*struct.unpack_from("<BBHBBBBB", raw, pos)))
            interfaces.append([])
            endpoints.append([])
        elif kind == 4:
            interfaces[-1].append(InterfaceDescriptor(*struct.unpack_from("<BBBBBBBBB", raw, pos)))
            endpoints[-1].append([])
        elif kind == 5:
            endpoints[-1][-1].append(EndpointDescriptor(*struct.unpack_from("<BBBBHB", raw, pos)))
        pos += length
    return DeviceDescriptors(device, configs, interfaces, endpoints)
