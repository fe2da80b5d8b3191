"""The one template type: minutiae at 500 ppi, plus its MCC cylinders computed once on demand."""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from matcher import _features, _index, _texture

_MAGIC = b"BSMT"
_VERSION = 2  # 2: texture descriptors follow the minutiae; 1 (still read): minutiae only
_HEADER = struct.Struct("<4sBHHH")  # magic, version, width, height, minutia count
_RECORD = np.dtype([("x", "<u2"), ("y", "<u2"), ("a", "<u2"), ("t", "u1"), ("q", "u1")])


@dataclass(frozen=True)
class Cylinders:
    bits: np.ndarray  # (K, WORDS) uint64
    valid: np.ndarray  # (K, WORDS) uint64
    minutiae: np.ndarray  # (K, 3) float64: x, y, angle of each cylinder's centre minutia
    texture: np.ndarray  # (K, _texture.BYTES) uint8: that minutia's orientation descriptor


class Template:
    """Minutiae of one finger impression at 500 ppi. Immutable.

    `minutiae` is N×4 float32 (x, y in pixels, angle in radians in [0, 2π) measured from the
    x axis towards +y (image rows go down), type 1=ending 2=bifurcation); `quality` is N uint8 0–100;
    `texture` is N×_texture.BYTES uint8, each minutia's orientation-field descriptor (all 0xFF —
    unknown — for minutiae imported without one: those pairs score as if their texture told nothing).
    """

    __slots__ = ("_minutiae", "_quality", "_texture", "_width", "_height", "_cylinders")

    def __init__(
        self,
        minutiae: np.ndarray,
        width: int,
        height: int,
        quality: np.ndarray | None = None,
        texture: np.ndarray | None = None,
    ):
        m = np.array(minutiae, dtype=np.float32).reshape(-1, 4)
        if not (0 < width < 65536 and 0 < height < 65536):
            raise ValueError(f"template size {width}×{height} is out of range")
        if len(m) > 65535:
            raise ValueError(f"too many minutiae ({len(m)})")
        if len(m) and (not np.isfinite(m).all() or not np.isin(m[:, 3], (0, 1, 2)).all()):
            raise ValueError("minutiae must be finite with type 0 (other), 1 (ending) or 2 (bifurcation)")
        m[:, 2] = np.mod(m[:, 2], 2 * np.pi)
        q = np.full(len(m), 100, np.uint8) if quality is None else np.asarray(quality, np.uint8).reshape(-1)
        if len(q) != len(m):
            raise ValueError(f"{len(q)} quality values for {len(m)} minutiae")
        tex = _texture.absent(len(m)) if texture is None else np.array(texture, np.uint8)
        if tex.shape != (len(m), _texture.BYTES):
            raise ValueError(f"texture must be {len(m)}×{_texture.BYTES} bytes, got {tex.shape}")
        m.flags.writeable = False
        q.flags.writeable = False
        tex.flags.writeable = False
        self._minutiae = m
        self._quality = q
        self._texture = tex
        self._width = int(width)
        self._height = int(height)
        self._cylinders: Cylinders | None = None

    # --- making one -----------------------------------------------------------------------
    @classmethod
    def from_image(cls, image: np.ndarray, ppi: float) -> Template:
        """Extract minutiae from an 8-bit grayscale image (dark ridges) at `ppi`."""
        _img, f = _features.analyse(image, ppi)
        return cls(f.minutiae, f.mask.shape[1], f.mask.shape[0], f.minutia_quality, f.texture)

    # --- what it holds --------------------------------------------------------------------
    @property
    def minutiae(self) -> np.ndarray:
        return self._minutiae

    @property
    def quality(self) -> np.ndarray:
        return self._quality

    @property
    def texture(self) -> np.ndarray:
        return self._texture

    @property
    def width(self) -> int:
        return self._width

    @property
    def height(self) -> int:
        return self._height

    def __len__(self) -> int:
        return len(self._minutiae)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Template)
            and self._width == other._width
            and self._height == other._height
            and np.array_equal(self._minutiae, other._minutiae)
            and np.array_equal(self._quality, other._quality)
            and np.array_equal(self._texture, other._texture)
        )

    def __hash__(self) -> int:
        return hash((self._width, self._height, self._minutiae.tobytes()))

    def __repr__(self) -> str:
        return f"Template({len(self)} minutiae, {self._width}×{self._height})"

    @property
    def cylinders(self) -> Cylinders:
        """MCC cylinders, built on first use (the template stays logically immutable)."""
        if self._cylinders is None:
            bits, valid, centres, idx = _index._build(self._minutiae.astype(np.float64))
            tex = np.ascontiguousarray(self._texture[idx])  # idx: the minutia of each cylinder
            object.__setattr__(self, "_cylinders", Cylinders(bits, valid, centres, tex))
        return self._cylinders

    def _given_cylinders(self, cylinders: Cylinders) -> None:
        """Take cylinders built from these minutiae by another process (a probe sent to shards:
        built once by the sender, not again by every shard)."""
        if len(cylinders.bits) > len(self._minutiae) or cylinders.bits.shape != cylinders.valid.shape:
            raise ValueError("cylinders that cannot be these minutiae's")
        object.__setattr__(self, "_cylinders", cylinders)

    # --- compact binary form ---------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """Compact form: header, then per minutia x, y (uint16, 1/8 px), angle (uint16), type, quality,
        then per minutia its packed texture descriptor (_texture.BYTES bytes)."""
        m = self._minutiae
        rec = np.zeros(len(m), dtype=_RECORD)
        rec["x"] = np.clip(np.round(m[:, 0] * 8), 0, 65535)
        rec["y"] = np.clip(np.round(m[:, 1] * 8), 0, 65535)
        rec["a"] = np.round(m[:, 2] / (2 * np.pi) * 65536).astype(np.int64) % 65536
        rec["t"] = m[:, 3]
        rec["q"] = self._quality
        head = _HEADER.pack(_MAGIC, _VERSION, self._width, self._height, len(m))
        return head + rec.tobytes() + self._texture.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Template:
        if len(data) < _HEADER.size:
            raise ValueError(f"template data too short ({len(data)} bytes)")
        magic, version, w, h, n = _HEADER.unpack_from(data)
        if magic != _MAGIC:
            raise ValueError("not a booking-station template (bad magic)")
        if version not in (1, _VERSION):
            raise ValueError(f"unsupported template version {version}")
        per = _RECORD.itemsize + (_texture.BYTES if version >= 2 else 0)
        if len(data) != _HEADER.size + n * per:
            raise ValueError(f"template data length {len(data)} does not match {n} minutiae")
        rec = np.frombuffer(data, dtype=_RECORD, offset=_HEADER.size, count=n)
        tex = None
        if version >= 2:
            at = _HEADER.size + n * _RECORD.itemsize
            tex = np.frombuffer(data, np.uint8, n * _texture.BYTES, at).reshape(n, _texture.BYTES)
        m = np.stack(
            [rec["x"] / 8.0, rec["y"] / 8.0, rec["a"] / 65536.0 * 2 * np.pi, rec["t"].astype(np.float64)],
            axis=1,
        )
        return cls(m, w, h, rec["q"], tex)

    # --- standard records ------------------------------------------------------------------
    def to_iso19794_2(self, finger: int = 0) -> bytes:
        from matcher import _formats

        return _formats.write(self, finger, ansi=False)

    @classmethod
    def from_iso19794_2(cls, data: bytes) -> Template:
        from matcher import _formats

        return _formats.read(data, ansi=False)

    def to_ansi378(self, finger: int = 0) -> bytes:
        from matcher import _formats

        return _formats.write(self, finger, ansi=True)

    @classmethod
    def from_ansi378(cls, data: bytes) -> Template:
        from matcher import _formats

        return _formats.read(data, ansi=True)
