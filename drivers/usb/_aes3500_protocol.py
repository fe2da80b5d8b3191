"""The AuthenTec AES3500 wire protocol, shared by the driver and the emulator.

Learned from libfprint's aes3500/aes3k drivers (read, not copied) and checked against a real
device's recorded traffic (../shared/data/usb/aes3500):

- The host writes (register, value) byte pairs on bulk OUT 0x02, at most 16 pairs per
  transfer. libfprint separates groups that must go in their own transfer; we keep the same
  grouping because the device's reset and arming steps are edge-triggered by separate writes.
- After the arming writes the device waits for a finger (it senses the drive ring itself) and
  then answers one bulk IN 0x81 read of exactly 0x2089 bytes: 8 frames, each a header byte
  (0xE0 + frame index) and 128 columns x 16 rows of 4-bit pixels, two rows per byte (low
  nibble first) column by column; then a register read-back block (header 0xDF, 8 status bytes,
  60 register/value pairs for 0x80..0xBB).
- The raw image is inverted (ridges bright) and rotated 180 degrees relative to the finger as
  seen by the user.
- Resolution: 500 ppi, 128 x 128 cells over 6.5 x 6.5 mm (a "very small touch sensor" in
  AuthenTec's words). The real recording shows why: its ridges repeat every 9.4-9.8 cells, which
  is 0.48 mm (an adult's ridge period) at 500 ppi, but an impossible 0.97 mm at 250 ppi.
  (libfprint enlarges the image 2x for its own minutiae detector; that is not the sensor's pitch.)
"""

from __future__ import annotations

import numpy as np

VENDOR_ID = 0x08FF
PRODUCT_ID = 0x5731
EP_OUT = 0x02
EP_IN = 0x81
INTERFACE = 0

WIDTH = 128
FRAME_ROWS = 16
FRAMES = WIDTH // FRAME_ROWS
FRAME_BYTES = 1 + WIDTH * FRAME_ROWS // 2
FRAME_HEADER = 0xE0
READBACK_HEADER = 0xDF
READBACK_BYTES = 1 + 128
DATA_LENGTH = FRAMES * FRAME_BYTES + READBACK_BYTES  # 0x2089, what the device always sends
MAX_PAIRS_PER_WRITE = 16
PPI = 500.0
PLATEN_MM = (6.5, 6.5)

# The real device's descriptors (device + configuration), as umockdev recorded them.
DESCRIPTORS = bytes.fromhex(
    "12011001FFFFFF08FF0831570000000100010902200001010080320904000002FFFFFF000705810240000007050202080000"
)

# Register writes to bring the sensor up. Each inner tuple is one bulk OUT transfer.
# Values and their meaning from libfprint's aes3500.c (originally from the Windows driver).
INIT_WRITES: tuple[tuple[tuple[int, int], ...], ...] = (
    ((0x80, 0x01),),  # master reset
    ((0x80, 0x00),),
    ((0x81, 0x00), (0x80, 0x00)),
    ((0x80, 0x02),),  # scan reset
    ((0x80, 0x00),),
    ((0x80, 0x04),),  # disable register buffering
    ((0x80, 0x00),),
    ((0x81, 0x00),),
    (
        (0x80, 0x00),
        (0x81, 0x00),
        (0x82, 0x04),  # excitation bias: 2 MHz drive ring, 4 V, 16.5 mA
        (0x83, 0x13),  # sample the drive ring continuously for finger detection, 62.5 ms debounce
        (0x84, 0x07),  # calibration resistance 12 kOhm
        (0x85, 0x3D),  # calibration capacitance
        (0x86, 0x03),  # detect drive voltage
        (0x87, 0x01),  # detection frequency 125 kHz
        (0x88, 0x02),  # column scan period
        (0x89, 0x02),  # measure drive
        (0x8A, 0x33),  # measure frequency, sense amplifier bias
        (0x8B, 0x33),  # matrix pattern
        (0x8C, 0x0F),  # demodulation phase 1
        (0x8D, 0x04),  # demodulation phase 2
        (0x8E, 0x23),  # sensor gain
        (0x8F, 0x07),  # image parameters
    ),
    (
        (0x90, 0x00),  # carrier offset null
        (0x91, 0x1C),  # A/D reference high
        (0x92, 0x08),  # A/D reference low
        (0x93, 0x00),  # start row 0
        (0x94, 0x07),  # end row
        (0x95, 0x00),  # start column 0
        (0x96, 0x1F),  # end column
        (0x97, 0x04),  # data format and thresholds
        (0x98, 0x28),  # image data control
        (0x99, 0x00),  # general purpose outputs off
        (0x9A, 0x0B),  # initial scan state
        (0x9B, 0x00),  # challenge word bits
        (0x9C, 0x00),
        (0x9D, 0x09),
        (0x9E, 0x53),
        (0x9F, 0x6B),
    ),
)

# Written before every capture: arms finger detection; the device then answers one image read.
ARM_WRITES: tuple[tuple[tuple[int, int], ...], ...] = (
    ((0x80, 0x00), (0x81, 0x00)),
    ((0x81, 0x04),),  # start scan on finger
    ((0x81, 0x00),),
)

FIRST_REGISTER = 0x80
LAST_REGISTER = 0xBB


def encode_writes(groups: tuple[tuple[tuple[int, int], ...], ...]) -> list[bytes]:
    """The bulk OUT payloads for these register groups."""
    return [bytes(b for pair in group for b in pair) for group in groups]


def decode_image(data: bytes) -> np.ndarray:
    """The raw 128x128 sensor image (0..255, ridges bright, rotated 180 degrees) from one read.

    Raises ValueError naming what is wrong when the data is not an AES3500 image read.
    """
    if len(data) < FRAMES * FRAME_BYTES:
        raise ValueError(f"image read is {len(data)} bytes, expected {DATA_LENGTH}")
    rows = []
    for index in range(FRAMES):
        frame = data[index * FRAME_BYTES : (index + 1) * FRAME_BYTES]
        if frame[0] != FRAME_HEADER + index:
            raise ValueError(
                f"frame {index} starts with 0x{frame[0]:02x}, expected 0x{FRAME_HEADER + index:02x}"
            )
        packed = np.frombuffer(frame[1:], dtype=np.uint8).reshape(WIDTH, FRAME_ROWS // 2)
        block = np.empty((FRAME_ROWS, WIDTH), dtype=np.uint8)
        block[0::2, :] = (packed & 0x0F).T
        block[1::2, :] = (packed >> 4).T
        rows.append(block)
    return np.vstack(rows) * np.uint8(17)


def encode_image(raw: np.ndarray) -> bytes:
    """The 8 frames for a raw 128x128 image of 4-bit levels (0..15): the inverse of decode_image."""
    if raw.shape != (WIDTH, WIDTH) or raw.max(initial=0) > 15:
        raise ValueError("raw image must be 128x128 with levels 0..15")
    out = bytearray()
    for index in range(FRAMES):
        block = raw[index * FRAME_ROWS : (index + 1) * FRAME_ROWS].astype(np.uint8)
        packed = (block[0::2, :] | (block[1::2, :] << 4)).T
        out.append(FRAME_HEADER + index)
        out += packed.tobytes()
    return bytes(out)


def decode_readback(data: bytes) -> dict[int, int]:
    """Register values from the read-back block after the frames ({} if absent or malformed)."""
    block = data[FRAMES * FRAME_BYTES :]
    if len(block) != READBACK_BYTES or block[0] != READBACK_HEADER:
        return {}
    pairs = block[9:]
    return {pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)}


def encode_readback(registers: dict[int, int]) -> bytes:
    status = bytes(8)
    pairs = bytes(b for reg in range(FIRST_REGISTER, LAST_REGISTER + 1) for b in (reg, registers.get(reg, 0)))
    return bytes([READBACK_HEADER]) + status + pairs


def to_user_image(raw: np.ndarray) -> np.ndarray:
    """Dark ridges on light, upright as the finger lies on the sensor."""
    return np.ascontiguousarray(255 - np.rot90(raw, 2))


def from_user_image(image: np.ndarray) -> np.ndarray:
    """The raw 4-bit levels the sensor reports for a 128x128 user-oriented image."""
    raw = np.rot90(255 - image.astype(np.int32), 2)
    return np.clip(np.rint(raw / 17.0), 0, 15).astype(np.uint8)
