"""Read USB recordings made by other tools into transfer scripts for `replay.ReplayBackend`.

A new driver is tested against a real device's traffic twice: through umockdev (the driver over
libusb, exactly as in the field) and, without umockdev, by replaying the same transfers strictly
through pyusb (`expected_protocol`). These readers turn the recordings libfprint and usbmon make
into the second kind:

- `from_umockdev(path)`: umockdev-record's ioctl log (`capture.ioctl`), one device;
- `from_pcapng(path, address)`: a usbmon capture (Wireshark or tcpdump, link type 220) of the
  device at this USB address.

Bulk transfers and vendor or class control requests are kept; standard requests (descriptors,
configuration) are not protocol, pyusb and libusb answer them.

A caveat on umockdev: its recorder keeps one node for a transfer identical to one it already
holds, and its replay answers a transfer the device saw anywhere in the log. A session that
repeats a command (the AES3500's "8000" register writes, a finger-level poll answered the same
way twice) therefore shows the repeat once, and umockdev's replay does not check order. The
NB-1010-U and UPEK recordings repeat nothing, so `from_umockdev`/`from_pcapng` give their exact
sessions; for a log with repeats, the strict replay needs the repeats put back by hand.
"""

from __future__ import annotations

import errno
import struct
from pathlib import Path

from drivers.usb.replay import Transfer

_ERRORS = {
    errno.ETIMEDOUT: "timeout",
    errno.EPIPE: "stall",
    errno.ENODEV: "gone",
    errno.EOVERFLOW: "overflow",
}
_BULK, _CONTROL = 3, 2  # usbdevfs and usbmon transfer types
_LINKTYPE_USB_LINUX_MMAPPED = 220


def _is_protocol(setup: bytes) -> bool:
    return bool(setup[0] & 0x60)  # vendor or class request


def _control(setup: bytes, data: bytes, error: str | None) -> Transfer:
    """A control transfer: `data` is what the host wrote, or what it read back."""
    if setup[0] & 0x80:
        return Transfer(
            "control", 0, data, size=struct.unpack_from("<H", setup, 6)[0], error=error, setup=setup
        )
    return Transfer("control", 0, data, error=error, setup=setup)


def from_umockdev(path: Path) -> list[Transfer]:
    """The transfers of an umockdev ioctl recording (`umockdev-record -i`), in order."""
    transfers: list[Transfer] = []
    for number, line in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
        fields = line.split()
        if not fields or fields[0] != "USBDEVFS_REAPURBNDELAY":
            continue
        try:
            kind, endpoint, status = int(fields[2]), int(fields[3]), int(fields[4])
            asked, done = int(fields[6]), int(fields[7])
            data = bytes.fromhex(fields[9]) if len(fields) > 9 else b""
        except (IndexError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: not an URB line: {line.strip()[:60]}") from exc
        error = _ERRORS.get(-status, "stall") if status else None
        if kind == _CONTROL:
            setup, payload = data[:8], data[8:]
            if _is_protocol(setup):
                transfers.append(_control(setup, payload[:done] if setup[0] & 0x80 else payload, error))
        elif kind == _BULK:
            if endpoint & 0x80:
                transfers.append(Transfer("in", endpoint, data[:done], size=asked, error=error))
            else:
                transfers.append(Transfer("out", endpoint, data[:asked], error=error))
    return transfers


def _pcapng_packets(data: bytes) -> list[bytes]:
    packets, link_types, pos = [], [], 0
    while pos + 12 <= len(data):
        block_type, length = struct.unpack_from("<II", data, pos)
        if length < 12 or pos + length > len(data):
            raise ValueError(f"a pcapng block at byte {pos} runs past the end of the file")
        body = data[pos + 8 : pos + length - 4]
        if block_type == 1:  # interface description
            link_types.append(struct.unpack_from("<H", body)[0])
        elif block_type == 6:  # enhanced packet
            interface, _, _, captured, _ = struct.unpack_from("<IIIII", body)
            if link_types[interface] == _LINKTYPE_USB_LINUX_MMAPPED:
                packets.append(body[20 : 20 + captured])
        pos += length
    return packets


def from_pcapng(path: Path, address: int) -> list[Transfer]:
    """The transfers with the device at USB `address` in a usbmon pcapng capture, in completion order."""
    data = path.read_bytes()
    if data[:4] != b"\x0a\x0d\x0d\x0a":
        raise ValueError(f"{path} is not a pcapng file")
    submitted: dict[int, tuple[bytes, bytes, int]] = {}  # urb id -> (setup, data out, length asked)
    transfers: list[Transfer] = []
    for packet in _pcapng_packets(data):
        urb, event, kind, endpoint, device, _, setup_flag, _, _, _, status, length, captured = (
            struct.unpack_from("<QBBBBHbbqiiII", packet)
        )
        if device != address or kind not in (_BULK, _CONTROL):
            continue
        payload = packet[64 : 64 + captured]
        if event == ord("S"):
            setup = packet[40:48] if kind == _CONTROL and setup_flag == 0 else b""
            submitted[urb] = (setup, payload, length)
            continue
        if urb not in submitted:
            continue
        setup, written, asked = submitted.pop(urb)
        error = _ERRORS.get(-status, "stall") if status else None
        if kind == _CONTROL:
            if _is_protocol(setup):
                transfers.append(_control(setup, payload if setup[0] & 0x80 else written, error))
        elif endpoint & 0x80:
            transfers.append(Transfer("in", endpoint, payload[:length], size=asked, error=error))
        else:
            transfers.append(Transfer("out", endpoint, written, error=error))
    return transfers
