"""The child process of `ebts.wsq.decode_untrusted`, run as a script in isolated mode (`python -I`).

A fresh interpreter, not a fork of the caller: a fork copies whatever locks the caller's other
threads (a web server's, numba's) held at that instant, and the child could wait on one for ever.
It imports nothing but the NBIS extension, so it starts in a few tens of milliseconds.

Protocol, little-endian. stdin: the number of images (u32), then for each its length (u32) and
bytes. stdout: b"R" once all input is read; then for each image in order either b"I", rows (u32),
columns (u32), ppi (i32, -1 when the file does not say) and rows × columns pixel bytes, or b"E",
a length (u32) and NBIS's complaint in UTF-8. If NBIS aborts on an image, the output simply ends.
"""

import os
import struct
import sys

import _wsq


def main() -> None:
    source = sys.stdin.buffer
    (count,) = struct.unpack("<I", source.read(4))
    blobs = [source.read(struct.unpack("<I", source.read(4))[0]) for _ in range(count)]
    # Results go out on a private copy of stdout; fd 1 and, once started, fd 2 go to /dev/null, so
    # nothing NBIS prints can corrupt the results or reach the caller's log.
    out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    out.write(b"R")
    out.flush()
    os.dup2(devnull, 2)
    for blob in blobs:
        try:
            pixels, cols, rows, ppi = _wsq.decompress(blob)
        except Exception as exc:  # the extension raises a bare Exception with NBIS's error code
            message = str(exc).encode()
            out.write(b"E" + struct.pack("<I", len(message)) + message)
        else:
            out.write(b"I" + struct.pack("<IIi", rows, cols, ppi if ppi > 0 else -1) + pixels)
        out.flush()  # a parent gone by now makes this fail (EPIPE), and the child ends


if __name__ == "__main__":
    main()
