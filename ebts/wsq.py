"""WSQ (FBI Wavelet Scalar Quantization) encode/decode for 8-bit grayscale fingerprint images.

Wraps the NBIS codec shipped in the `wsq` package's `_wsq` extension, used directly rather than
through its Pillow plugin: the plugin's save path passes a tuple where the extension wants a
float and fails. The extension always encodes at 0.75 bits per pixel -- the FBI's nominal 15:1 for
500 ppi images -- and always writes "PPI 500" in the NISTCOM comment; `encode` corrects that
comment so a decoder learns the image's real resolution.

The NBIS decoder is C code that aborts the whole process on some malformed input (found by the
fuzz test), so bytes from outside are first checked with `inspect` (pure Python, header only) and
decoded with `decode_untrusted`, which runs NBIS in a child process (`ebts/_wsq_child.py`).
"""

from __future__ import annotations

import struct
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import _wsq
import numpy as np

# The only rate the NBIS extension supports (FBI IAFIS-IC-0110: 0.75 bpp, about 15:1).
BITRATE = 0.75

_SOI = b"\xff\xa0"
_COM = b"\xff\xa8"
_EOI, _SOF, _SOB, _DTT, _DQT, _DHT, _DRT = (0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7)
_MAX_SIDE = 20_000
_CHILD = Path(__file__).with_name("_wsq_child.py")


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


@dataclass(frozen=True)
class Header:
    width: int
    height: int
    ppi: int | None


def inspect(data: bytes) -> Header:
    """Read a WSQ file's structure without decoding it: markers, segment lengths, the frame
    header and the tables a decoder needs. Raises WSQError saying what is wrong."""
    data = bytes(data)
    if data[:2] != _SOI:
        raise WSQError("not a WSQ image: it does not start with the WSQ start-of-image marker FFA0")
    pos, frame, ppi, blocks, tables = 2, None, None, 0, set()
    while True:
        if pos + 2 > len(data):
            raise WSQError("WSQ image is truncated: no end-of-image marker")
        if data[pos] != 0xFF:
            raise WSQError(f"WSQ image has no marker at byte {pos}")
        marker = data[pos + 1]
        if marker == _EOI:
            break
        if not _EOI <= marker <= 0xA8:
            raise WSQError(f"WSQ image has an unknown marker FF{marker:02X} at byte {pos}")
        if pos + 4 > len(data):
            raise WSQError("WSQ image is truncated inside a segment header")
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise WSQError(f"WSQ segment FF{marker:02X} at byte {pos} has an impossible length {length}")
        body = data[pos + 4 : end]
        if marker == _SOF:
            if len(body) < 15:
                raise WSQError("WSQ frame header is too short")
            frame = (int.from_bytes(body[4:6], "big"), int.from_bytes(body[2:4], "big"))
        elif marker == _COM[1] and body.startswith(b"NIST_COM"):
            for line in body.split(b"\n"):
                if line.startswith(b"PPI ") and line[4:].strip().isdigit():
                    ppi = int(line[4:]) or None
        elif marker in (_DTT, _DQT, _DHT):
            tables.add(marker)
        pos = end
        if marker == _SOB:
            if frame is None or tables != {_DTT, _DQT, _DHT}:
                raise WSQError("WSQ image has a data block before its frame header and tables")
            blocks += 1
            # Entropy-coded data runs to the next marker; FF00 is a stuffed FF byte.
            while True:
                found = data.find(b"\xff", pos)
                if found < 0 or found + 1 >= len(data):
                    raise WSQError("WSQ image is truncated inside its coded data")
                if data[found + 1] != 0x00:
                    pos = found
                    break
                pos = found + 2
    if frame is None or blocks == 0:
        raise WSQError("WSQ image has no frame header or no coded data")
    width, height = frame
    if not (1 <= width <= _MAX_SIDE and 1 <= height <= _MAX_SIDE):
        raise WSQError(f"WSQ frame size {width}x{height} is not plausible")
    return Header(width, height, ppi)


def decode_untrusted(blobs: Sequence[bytes]) -> list[tuple[np.ndarray, int | None] | WSQError]:
    """Decode images that came from outside: each is checked with `inspect`, then all are decoded
    in one child process so a decoder crash costs that image, not the caller's process.
    Returns, per blob, (image, ppi) or the WSQError that says why it could not be decoded."""
    results: list[tuple[np.ndarray, int | None] | WSQError | None] = [None] * len(blobs)
    pending: list[tuple[int, Header]] = []
    for n, blob in enumerate(blobs):
        try:
            pending.append((n, inspect(blob)))
        except WSQError as exc:
            results[n] = exc
    while pending:
        done = _decode_in_child(blobs, pending, results)
        if done < len(pending):
            # The child died on pending[done]: that image is undecodable, the rest get a new child.
            results[pending[done][0]] = WSQError("the WSQ decoder crashed on this image: it is corrupt")
            done += 1
        pending = pending[done:]
    return [r for r in results if r is not None]


def _decode_in_child(blobs: Sequence[bytes], pending: list[tuple[int, Header]], results: list) -> int:
    """Decode the pending images in one new child process, storing each outcome in `results`;
    returns how many it finished before it ended."""
    request = [struct.pack("<I", len(pending))]
    for n, _header in pending:
        request += [struct.pack("<I", len(blobs[n])), blobs[n]]
    child = subprocess.Popen(
        [sys.executable, "-I", str(_CHILD)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdin and child.stdout and child.stderr
    done = 0
    try:
        try:
            child.stdin.write(b"".join(request))
            child.stdin.close()
        except BrokenPipeError:
            pass  # it ended early; what it said follows
        if child.stdout.read(1) != b"R":
            said = child.stderr.read().decode(errors="replace").strip().splitlines()
            raise RuntimeError(f"the WSQ decoder process did not start: {said[-1] if said else 'no message'}")
        child.stderr.close()
        for n, header in pending:
            results[n] = _read_result(child.stdout, header)
            done += 1
    except EOFError:
        pass
    finally:
        child.stdout.close()
        if child.poll() is None:
            child.kill()
        child.wait()
    return done


def _read_result(stream, header: Header) -> tuple[np.ndarray, int | None] | WSQError:
    """One image's outcome from the child; EOFError if its output ends first."""
    kind = _read_exactly(stream, 1)
    if kind == b"E":
        (length,) = struct.unpack("<I", _read_exactly(stream, 4))
        return _cannot_decode(_read_exactly(stream, length).decode(errors="replace"))
    if kind != b"I":
        raise EOFError  # not the protocol: nothing more this child says is trusted
    rows, cols, ppi = struct.unpack("<IIi", _read_exactly(stream, 12))
    if (cols, rows) != (header.width, header.height):
        # Not what the header promised: the decoder went wrong, and nothing more it says is trusted.
        raise EOFError
    pixels = bytearray(_read_exactly(stream, rows * cols))
    return np.frombuffer(pixels, dtype=np.uint8).reshape(rows, cols), (ppi if ppi > 0 else None)


def _read_exactly(stream, size: int) -> bytes:
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return data


def _cannot_decode(detail: str) -> WSQError:
    return WSQError(f"cannot decode WSQ image: {detail}")


def decode(data: bytes) -> tuple[np.ndarray, int | None]:
    """Decompress WSQ bytes this program made or trusts; returns (image, ppi), ppi None when the
    file does not say. For bytes from outside use `decode_untrusted`."""
    if not data[:2] == _SOI:
        raise WSQError("not a WSQ image: it does not start with the WSQ start-of-image marker FFA0")
    try:
        pixels, cols, rows, ppi = _wsq.decompress(bytes(data))
    except Exception as exc:  # the extension raises a bare Exception with NBIS's error code
        raise _cannot_decode(str(exc)) from None
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
