"""The NEXT Biometrics NB-1010-U wire protocol, shared by the driver and the emulator.

Learned from libfprint's nb1010 driver (read, not copied) and checked against a real device's
recorded traffic (../shared/data/usb/nb1010):

- Commands go out on bulk OUT 0x02; every answer comes back on bulk IN 0x83. A command is
  0x80, the command byte, a sequence byte the device echoes, 0x00, the command's total length
  (one byte, then three zero bytes) and its parameters.
- 0x38 "finger level": a 16-byte answer (0x80 0x37 ...) whose byte 12 is how much of the
  sensor a finger covers (0-255); above 0x30 a finger is on it. The host polls every 50 ms.
- 0x0d before every capture, then 0x12 "capture": each is answered by a 16-byte status
  (0x80 0x20 ...). After the capture status the device sends the image as 90 bulk reads of 540
  bytes: a 25-byte header (0x80 0x21, the packet length 540, the row number of the packet's
  second row, the row width 256), two rows of 256 8-bit pixels, and 3 padding bytes.
- The image is 256 x 180 pixels, dark ridges on a light background, upright as the finger
  lies; the sensing area is 16.9 x 11.9 mm: 385 ppi (NEXT's active-thermal sensors are 385 ppi;
  their PIV-certified 500-ppi images are resampled by the vendor's software).
"""

from __future__ import annotations

import struct

import numpy as np

VENDOR_ID = 0x298D
PRODUCT_ID = 0x1010
EP_OUT = 0x02
EP_IN = 0x83
INTERFACE = 0

WIDTH = 256
HEIGHT = 180
PPI = 385.0
PLATEN_MM = (16.9, 11.9)

ANSWER_LENGTH = 16
PACKET_LENGTH = 540
PACKET_HEADER = 25
ROWS_PER_PACKET = 2
PACKETS = HEIGHT // ROWS_PER_PACKET
FINGER_THRESHOLD = 0x30  # finger level above which a finger covers the sensor
FINGER_LEVEL_BYTE = 12
POLL_INTERVAL_S = 0.05  # libfprint's pause between finger-level polls

# The real device's descriptors (device + configuration), as umockdev recorded them.
DESCRIPTORS = bytes.fromhex(
    "12010002000000408D29101001000102000109022700010100A032090400000300000000"
    "070581034000050705020240000007058302400000"
)

# The commands, with the sequence bytes the recorded host used (the device only echoes them).
FINGER_LEVEL = bytes.fromhex("8038010008000000")
PRECAPTURE = bytes.fromhex("800d03000c00000000040000")
CAPTURE = bytes.fromhex("8012040020000000020000000000000000000000000000000000000020000000")

LEVEL_ANSWER = 0x37
STATUS_ANSWER = 0x20
IMAGE_ANSWER = 0x21


def answer(kind: int, command: bytes, value: int = 0) -> bytes:
    """A 16-byte answer of this kind to `command` (its sequence byte echoed). Byte 12 holds
    `value`: the finger level (0x37 answers) or a status (3 after a capture command)."""
    out = bytearray(ANSWER_LENGTH)
    out[0], out[1], out[2], out[4], out[FINGER_LEVEL_BYTE] = 0x80, kind, command[2], ANSWER_LENGTH, value
    return bytes(out)


def check_answer(data: bytes, kind: int, command: bytes) -> None:
    """Raise ValueError naming what is wrong unless `data` is a `kind` answer to `command`."""
    if len(data) != ANSWER_LENGTH or data[0] != 0x80:
        raise ValueError(f"expected a {ANSWER_LENGTH}-byte answer, got {data[:8].hex()} ({len(data)} bytes)")
    if data[1] != kind:
        raise ValueError(f"expected answer 0x{kind:02x} to command 0x{command[1]:02x}, got 0x{data[1]:02x}")
    if data[2] != command[2]:
        raise ValueError(f"the answer's sequence byte is 0x{data[2]:02x}, the command's 0x{command[2]:02x}")


def finger_level(data: bytes) -> int:
    check_answer(data, LEVEL_ANSWER, FINGER_LEVEL)
    return data[FINGER_LEVEL_BYTE]


def encode_packet(index: int, rows: np.ndarray) -> bytes:
    """Packet `index` (0..89) carrying two image rows (2 x 256 uint8)."""
    header = struct.pack("<BBHIIIII", 0x80, IMAGE_ANSWER, 0, PACKET_LENGTH, 0, 1, 2 * index + 1, WIDTH)
    return header + b"\x01" + rows.astype(np.uint8).tobytes() + bytes(3)


def decode_packet(index: int, data: bytes) -> np.ndarray:
    """The two rows packet `index` carries; ValueError naming what is wrong with a bad packet."""
    if len(data) != PACKET_LENGTH:
        raise ValueError(f"image packet {index} is {len(data)} bytes, expected {PACKET_LENGTH}")
    magic, kind, _, length, _, _, row, width = struct.unpack_from("<BBHIIIII", data)
    if (magic, kind, length, width) != (0x80, IMAGE_ANSWER, PACKET_LENGTH, WIDTH):
        raise ValueError(f"image packet {index} has a bad header {data[:PACKET_HEADER].hex()}")
    if row != 2 * index + 1:
        raise ValueError(f"image packet {index} holds row {row}, expected {2 * index + 1} (out of order)")
    pixels = np.frombuffer(data, dtype=np.uint8, count=ROWS_PER_PACKET * WIDTH, offset=PACKET_HEADER)
    return pixels.reshape(ROWS_PER_PACKET, WIDTH)
