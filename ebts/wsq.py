"""WSQ (FBI Wavelet Scalar Quantization) encode/decode for 8-bit grayscale fingerprint images.

Wraps the NBIS codec shipped in the `wsq` package's `_wsq` extension, used directly rather than
through its Pillow plugin: the plugin's save path passes a tuple where the extension wants a
float and fails. The extension always encodes at 0.75 bits per pixel -- the FBI's nominal 15:1 for
500 ppi images -- and always writes "PPI 500" in the NISTCOM comment; `encode` corrects that
comment so a decoder learns the image's real resolution.
"""

from __future__ import annotations

import _wsq
import numpy as np

# The only rate the NBIS extension supports (FBI IAFIS-IC-0110: 0.75 bpp, about 15:1).
BITRATE = 0.75

_SOI = b"\xff\xa0"
_COM = b"\xff\xa8"


class WSQError(ValueError):
    """Bytes that are not a decodable WSQ image, or an image WSQ cannot hold."""


def encode(image: np.ndarray, ppi: float = 500.0) -> bytes:
    """Compress a 2-D uint8 image (dark ridges on light) to WSQ."""
    if not isinstance(image, np.ndarray) or image.ndim != 2 or image.dtype != np.uint8:
        raise WSQError("WSQ needs a 2-D uint8 grayscale image")
    rows, cols = image.shape
    # NBIS's wavelet decomposition needs a minimum size.
    if rows < 32 or cols < 32:
        raise WSQError(f"image of {cols}x{rows} pixels is too small for WSQ (at least 32x32)")
    if not 1 <= ppi <= 100_000:
        raise WSQError(f"resolution {ppi} ppi is not plausible")
    data = _wsq.compress(np.ascontiguousarray(image).tobytes(), rows, cols, BITRATE)
    return _set_ppi(data, round(ppi)) if round(ppi) != 500 else data


def decode(data: bytes) -> tuple[np.ndarray, int | None]:
    """Decompress WSQ bytes; returns (image, ppi), ppi None when the file does not say."""
    if not data[:2] == _SOI:
        raise WSQError("not a WSQ image: it does not start with the WSQ start-of-image marker FFA0")
    try:
        pixels, cols, rows, ppi = _wsq.decompress(bytes(data))
    except Exception as exc:  # the extension raises a bare Exception with NBIS's error code
        raise WSQError(f"cannot decode WSQ image: {exc}") from None
    image = np.frombuffer(pixels, dtype=np.uint8).reshape(rows, cols).copy()
    return image, (ppi if ppi > 0 else None)


def _set_ppi(data: bytes, ppi: int) -> bytes:
    """Rewrite the PPI line of the NISTCOM comment segment that follows the SOI marker."""
    if data[2:4] != _COM:
        return data
    length = int.from_bytes(data[4:6], "big")
    comment = data[6 : 4 + length]
    lines = comment.split(b"\n")
    lines = [b"PPI %d" % ppi if line.startswith(b"PPI ") else line for line in lines]
    new_comment = b"\n".join(lines)
    return data[:4] + (len(new_comment) + 2).to_bytes(2, "big") + new_comment + data[4 + length :]
