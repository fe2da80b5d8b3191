"""ISO/IEC 19794-2:2005 and ANSI INCITS 378-2004 finger minutiae records (one finger view).

Both store minutiae in the image's pixel grid with y down and angles counter-clockwise from the
x axis as seen on screen; our internal angle turns towards +y, so it is negated on the way out.
ISO angles are in units of 360/256°, ANSI in 2° units. Resolution is in pixels per centimetre.

The minutiae's texture descriptors (matcher._texture) travel in a vendor-defined extended data
area (type 0x4253, "BS"; both standards leave 0x0100–0xFFFF to vendors): a record read back
keeps them; a record from elsewhere has none, and its minutiae score as if their texture told
nothing. Readers that do not know the area skip it by its length, as the standards require.
"""

from __future__ import annotations

import math
import struct

import numpy as np

from matcher import _texture
from matcher._template import Template

_PPCM_500 = 197  # 500 ppi in pixels per centimetre, rounded as the standards' examples do
_MINUTIA = struct.Struct(">HHBB")
_VIEW = struct.Struct(">BBBB")
_EXT_TEXTURE = 0x4253  # vendor-defined extended data type: texture descriptors
_EXT_AREA = struct.Struct(">HH")  # type, length of the area (header included)


def write(t: Template, finger: int, *, ansi: bool) -> bytes:
    if not 0 <= finger <= 10:
        raise ValueError(f"finger position {finger} is not 0–10")
    m = t.minutiae
    if len(m) > 255:
        raise ValueError(f"a finger view holds at most 255 minutiae, template has {len(m)}")
    body = bytearray()
    quality = int(np.mean(t.quality)) if len(m) else 0
    body += _VIEW.pack(finger, 0, min(quality, 100), len(m))
    for (x, y, a, typ), q in zip(m, t.quality, strict=True):
        screen = (-float(a)) % (2 * math.pi)
        if ansi:
            code = int(round(screen / (2 * math.pi) * 180)) % 180
        else:
            code = int(round(screen / (2 * math.pi) * 256)) % 256
        xi = min(int(round(float(x))), 0x3FFF)
        yi = min(int(round(float(y))), 0x3FFF)
        body += _MINUTIA.pack((int(typ) & 3) << 14 | xi, yi, code, min(int(q), 100))
    body += _extended(t)
    common = struct.pack(">HHHHHBB", 0, t.width, t.height, _PPCM_500, _PPCM_500, 1, 0)
    if ansi:
        head_len = 4 + 4 + 2 + 4 + len(common)
        total = head_len + len(body)
        if total > 0xFFFF:
            total += 4
            length = struct.pack(">HI", 0, total)
        else:
            length = struct.pack(">H", total)
        return b"FMR\x00 20\x00" + length + struct.pack(">I", 0) + common + bytes(body)
    total = 4 + 4 + 4 + len(common) + len(body)
    return b"FMR\x00 20\x00" + struct.pack(">I", total) + common + bytes(body)


def _extended(t: Template) -> bytes:
    """The extended data block: its length, then one area of texture descriptors (if known)."""
    tex = t.texture
    if len(tex) == 0 or (tex == 0xFF).all():
        return b"\x00\x00"
    area = _EXT_AREA.pack(_EXT_TEXTURE, _EXT_AREA.size + tex.size) + tex.tobytes()
    return struct.pack(">H", len(area)) + area


def _read_extended(data: bytes, pos: int, n: int, name: str) -> np.ndarray | None:
    """Texture descriptors from the extended data block at pos, if it holds ours for n minutiae."""
    if pos + 2 > len(data):
        return None  # some writers leave the block out altogether
    (length,) = struct.unpack_from(">H", data, pos)
    pos += 2
    end = pos + length
    if end > len(data):
        raise ValueError(f"{name} record's extended data is truncated")
    while pos + _EXT_AREA.size <= end:
        kind, size = _EXT_AREA.unpack_from(data, pos)
        if size < _EXT_AREA.size or pos + size > end:
            raise ValueError(f"{name} record's extended data area is damaged")
        if kind == _EXT_TEXTURE and size == _EXT_AREA.size + n * _texture.BYTES:
            raw = data[pos + _EXT_AREA.size : pos + size]
            return np.frombuffer(raw, np.uint8).reshape(n, _texture.BYTES).copy()
        pos += size
    return None


def read(data: bytes, *, ansi: bool) -> Template:
    name = "ANSI INCITS 378" if ansi else "ISO/IEC 19794-2"
    if len(data) < 24 or data[:8] != b"FMR\x00 20\x00":
        raise ValueError(f"not an {name} finger minutiae record (bad header)")
    pos = 8
    if ansi:
        (length,) = struct.unpack_from(">H", data, pos)
        pos += 2
        if length == 0:
            (length,) = struct.unpack_from(">I", data, pos)
            pos += 4
        pos += 4  # CBEFF product identifier
    else:
        (length,) = struct.unpack_from(">I", data, pos)
        pos += 4
    if length != len(data):
        raise ValueError(f"{name} record says {length} bytes but has {len(data)}")
    _equip, width, height, xres, yres, n_views, _r = struct.unpack_from(">HHHHHBB", data, pos)
    pos += 12
    if n_views < 1:
        raise ValueError(f"{name} record has no finger view")
    if xres <= 0 or yres <= 0:
        raise ValueError(f"{name} record has zero resolution")
    _finger, _view, _q, n = _VIEW.unpack_from(data, pos)
    pos += _VIEW.size
    if pos + n * _MINUTIA.size > len(data):
        raise ValueError(f"{name} record is truncated ({n} minutiae announced)")
    sx = _PPCM_500 / xres
    sy = _PPCM_500 / yres
    rows = []
    quals = []
    for _ in range(n):
        tx, y, code, q = _MINUTIA.unpack_from(data, pos)
        pos += _MINUTIA.size
        typ = tx >> 14
        screen = code * (2 * math.pi / (180 if ansi else 256))
        rows.append(
            ((tx & 0x3FFF) * sx, (y & 0x3FFF) * sy, (-screen) % (2 * math.pi), typ if typ in (1, 2) else 0)
        )
        quals.append(min(q, 100))
    return Template(
        np.array(rows, np.float32).reshape(-1, 4),
        max(1, round(width * sx)),
        max(1, round(height * sy)),
        np.array(quals, np.uint8),
        _read_extended(data, pos, n, name),
    )
