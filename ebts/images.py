"""The picture in an image record, whatever record type and compression carry it.

`image_of(record)` returns (pixels, ppi); pixels are uint8, 2-D for grayscale or bi-level images
(bi-level unpacked to 0/255) and H x W x 3 for colour. What cannot be shown raises
`UnsupportedImage` saying why (a user-defined Type-7 layout, vector signature data, lossless JPEG,
a compression code we do not know). Bytes from outside are decoded in a child process for WSQ (see
ebts.wsq); the other codecs are Pillow's.
"""

from __future__ import annotations

import io

import numpy as np

from ebts import wsq
from ebts._codec import BINARY_FIELD
from ebts._model import Record

# Binary records: the field that holds the data.
_BINARY_DATA = {3: 9, 4: 9, 5: 9, 6: 9, 7: 3, 8: 8}
_IMAGE_TYPES = frozenset({3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16, 17})


class UnsupportedImage(ValueError):
    """An image record whose picture this program cannot decode; the message says why."""


def is_image_record(record: Record) -> bool:
    return record.type in _IMAGE_TYPES and _data(record) is not None


def image_of(
    record: Record, *, native_ppi: float | None = None, trusted: bool = False
) -> tuple[np.ndarray, float | None]:
    """Decode the picture of `record`. Binary Type-3..8 records carry no resolution of their own:
    `native_ppi` (from the Type-1 NSR) is returned for them. `trusted=True` decodes WSQ in this
    process (for files this program wrote)."""
    where = f"Type-{record.type} IDC {record.idc or '?'}"
    data = _data(record)
    if not data:
        raise UnsupportedImage(f"{where}: the record holds no image data")
    if record.type == 7:
        raise UnsupportedImage(
            f"{where}: a Type-7 record's layout is user-defined (no standard way to read it)"
        )
    if record.type == 8 and record.get(4) == "2":
        raise UnsupportedImage(f"{where}: the signature is vector data (SRT 2), not an image")
    width, height = _int(record.get(6)), _int(record.get(7))
    ppi = native_ppi if record.type in _BINARY_DATA else _ppi(record)
    if data[:2] == b"\xff\xa0":
        result = wsq.decode(data) if trusted else wsq.decode_untrusted([data])[0]
        if isinstance(result, wsq.WSQError):
            raise UnsupportedImage(f"{where}: {result}")
        return result[0], ppi  # the WSQ comment's PPI is often absent or wrong in other makers' files
    if data[:3] == b"\xff\xd8\xff" and _is_lossless_jpeg(data):
        raise UnsupportedImage(f"{where}: lossless JPEG (JPEGL) cannot be decoded here")
    if (
        data[:3] == b"\xff\xd8\xff"
        or data[:8] == b"\x89PNG\r\n\x1a\n"
        or _is_jp2(data)
        or data[:4]
        in (
            b"II*\x00",
            b"MM\x00*",
        )
    ):
        return _pillow(data, where), ppi
    return _raw(record, data, width, height, where), ppi


def _data(record: Record) -> bytes | None:
    tag = _BINARY_DATA.get(record.type, BINARY_FIELD)
    return record.binary(tag)


def _pillow(data: bytes, where: str) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            if im.mode in ("1", "L", "P", "I;16", "I"):
                return np.asarray(im.convert("L"))
            return np.asarray(im.convert("RGB"))
    except Image.DecompressionBombError as exc:  # a hostile header claiming billions of pixels
        raise UnsupportedImage(f"{where}: the image is too large to decode: {exc}") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UnsupportedImage(f"{where}: the compressed image cannot be decoded: {exc}") from None


def _raw(record: Record, data: bytes, width: int | None, height: int | None, where: str) -> np.ndarray:
    """Uncompressed pixels: 8-bit gray, 24-bit colour, or 1-bit bi-level rows padded to bytes."""
    if not width or not height:
        raise UnsupportedImage(f"{where}: uncompressed data without a width and height")
    compression = record.get(8) if record.type in (3, 4, 5, 6) else record.get(11)
    if record.type in (3, 4, 5, 6) and compression not in ("0", None):
        raise UnsupportedImage(f"{where}: compression code {compression} is not WSQ or uncompressed")
    if len(data) == width * height:
        return np.frombuffer(data, np.uint8).reshape(height, width).copy()
    if len(data) == 3 * width * height:
        return np.frombuffer(data, np.uint8).reshape(height, width, 3).copy()
    row = (width + 7) // 8
    if len(data) == row * height:
        bits = np.unpackbits(np.frombuffer(data, np.uint8).reshape(height, row), axis=1)[:, :width]
        return np.where(bits == 1, 0, 255).astype(np.uint8)  # 1 = black in ANSI/NIST bi-level images
    raise UnsupportedImage(
        f"{where}: {len(data)} bytes of {compression or 'uncompressed'} data do not make a {width}x{height} "
        "8-bit, 24-bit or 1-bit image"
    )


def _is_jp2(data: bytes) -> bool:
    return data[4:12] == b"jP  \r\n\x87\n" or data[:4] == b"\xff\x4f\xff\x51"


def _is_lossless_jpeg(data: bytes) -> bool:
    """SOF3 (FFC3) marks the lossless process Pillow's libjpeg cannot decode."""
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xC3, 0xC7, 0xCB, 0xCF):
            return True
        if marker in (0xC0, 0xC1, 0xC2, 0xDA):
            return False
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return False


def _ppi(record: Record) -> float | None:
    scale, horizontal = record.get(8), _int(record.get(9))
    if horizontal is None:
        return None
    if scale == "1":
        return float(horizontal)
    if scale == "2":
        return horizontal * 2.54  # pixels per centimetre
    return None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
