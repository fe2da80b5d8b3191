"""The UPEK TouchChip coprocessor (147e:2016) wire protocol, shared by the driver and the emulator.

Learned from libfprint's upektc_img driver (read, not copied) and checked against a real device's
recorded traffic (../shared/data/usb/upektc_img, a usbmon pcapng):

- Every message, both ways, is framed: b"Ciao", a type byte, a byte holding a 4-bit sequence
  number (high nibble) and the top 4 bits of the body length, the low 8 bits of the length, the
  body, and a CRC-16/XMODEM (polynomial 0x1021, initial 0) of everything after b"Ciao", least
  significant byte first. The host writes on bulk OUT 0x02 and reads on bulk IN 0x81: 64 bytes
  first, and when the message is longer, the rest in one read of up to 1988 bytes.
- Activation (at every capture, as libfprint does): a vendor control request (0x40, 0x0c, value
  0x0100, index 0x0400, one zero byte), its answer; three set-up messages with sequence 0 and a
  fourth with the running sequence; then the capture command (wait for an acceptable finger, no
  time limit). The running sequence counts every message except the set-up ones and the
  acknowledgement of an event (type 0x09).
- The device then sends status messages (type 0x00, body 0x28: byte 18 of the message says no
  finger 0x0c, finger 0x00, or a failed scan), events (type 0x08, acknowledged with type 0x09)
  and image frames (body 0x2c: the first, with 10 bytes of scan information; 0x24: the next;
  0x20: the last, followed by 4 bytes that are not pixels). Each status and frame is
  acknowledged; the last frame ends the capture and the host sends the closing message.
- The coprocessor assembles the swiped finger into a 144 x 384 image, 8 bits, upright, dark
  ridges on light; the empty sensor reads 0xe8. The TouchStrip sensors sample at 508 ppi.
"""

from __future__ import annotations

import binascii
import struct
from dataclasses import dataclass

MAGIC = b"Ciao"
VENDOR_ID = 0x147E
PRODUCT_ID = 0x2016
EP_OUT = 0x02
EP_IN = 0x81
INTERFACE = 0

WIDTH = 144
HEIGHT = 384
IMAGE_BYTES = WIDTH * HEIGHT
PPI = 508.0
PLATEN_MM = (7.2, 19.2)
EMPTY_LEVEL = 0xE8

FIRST_READ = 64
REST_READ = 2052 - FIRST_READ
MAX_BODY = 0xFFF

# The real device's descriptors (device + configuration), from its pcapng recording.
DESCRIPTORS = bytes.fromhex(
    "12010101000000087E14162002000102000109022700010100A0320904000003FF000000"
    "070581024000000705020240000007058303040014"
)

#: The vendor control request that wakes the coprocessor: (request type, request, value, index, data).
WAKE = (0x40, 0x0C, 0x0100, 0x0400, b"\x00")

# Message types and bodies, as libfprint's driver and the recording show them.
SETUP_1 = (0x04, bytes.fromhex("01004600000000000101000000"))
SETUP_2 = (0x07, b"\x01")
SETUP_3 = (0x04, bytes.fromhex("0100bc02000000000101000000"))
SETUP_4 = (0x00, bytes.fromhex("28040000000604"))
START_CAPTURE = (0x00, bytes.fromhex("280b0000000e02feffffff020002"))
ACK_STATUS = (0x00, bytes.fromhex("2805000000003001"))
ACK_EVENT = (0x09, b"")
ACK_FRAME = (0x00, b"\x30")
CLOSE = (0x07, b"\x01")

STATUS = 0x28
FRAME_FIRST = 0x2C
FRAME = 0x24
FRAME_LAST = 0x20
EVENT = 0x08
STATUS_BYTE = 11  # of a status message's body (byte 18 of the message)
NO_FINGER, FINGER = 0x0C, 0x00
#: Scan failures the coprocessor reports in a status message, and what the person should do.
SCAN_FAILURES = {
    0x1E: "the swipe was too short; swipe the whole finger slowly",
    0x1D: "the finger moved sideways; swipe it straight down the sensor",
}


def crc(data: bytes) -> int:
    return binascii.crc_hqx(data, 0)


def encode(kind: int, body: bytes, seq: int) -> bytes:
    """A framed message of this type and body with sequence number `seq` (kept to 4 bits)."""
    if len(body) > MAX_BODY:
        raise ValueError(f"a message body holds at most {MAX_BODY} bytes")
    head = bytes([kind, ((seq & 0x0F) << 4) | (len(body) >> 8), len(body) & 0xFF])
    return MAGIC + head + body + struct.pack("<H", crc(head + body))


@dataclass(frozen=True)
class Message:
    kind: int
    seq: int
    body: bytes

    @property
    def code(self) -> int | None:
        """The first body byte (a status, frame or command code), None for an empty body."""
        return self.body[0] if self.body else None


def message_length(head: bytes) -> int:
    """The whole length of the message whose first bytes are `head` (at least 7 of them)."""
    if len(head) < 7 or head[:4] != MAGIC:
        raise ValueError(f"a message must start with {MAGIC!r}, got {head[:8].hex()}")
    return 9 + (((head[5] & 0x0F) << 8) | head[6])


def decode(data: bytes) -> Message:
    """The message in `data` (extra bytes after it are ignored); ValueError naming what is wrong."""
    length = message_length(data)
    if len(data) < length:
        raise ValueError(f"the message is {len(data)} bytes, its header says {length}")
    head, body = data[4:7], data[7 : length - 2]
    (expected,) = struct.unpack_from("<H", data, length - 2)
    if crc(head + body) != expected:
        raise ValueError(f"the message's CRC is 0x{expected:04x}, its bytes give 0x{crc(head + body):04x}")
    return Message(head[0], head[1] >> 4, body)


def frame_pixels(message: Message) -> bytes:
    """The pixels an image frame carries."""
    if message.code == FRAME_FIRST:
        return message.body[11:]
    if message.code == FRAME:
        return message.body[1:]
    if message.code == FRAME_LAST:
        return message.body[1:-4]
    raise ValueError(f"message 0x{message.code:02x} is not an image frame")
