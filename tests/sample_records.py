"""Records other systems send that the station itself never builds: binary Type-4 fingerprints
and Type-10 photos. Shared by the ebts and backend tests (tests/ is on sys.path)."""

from __future__ import annotations

import numpy as np

from ebts import Record


def as_type4(t14: Record) -> Record:
    """A Type-14 fingerprint as the binary Type-4 record of the same image (500 ppi, WSQ)."""
    return Record(
        4,
        {
            2: [[str(int(t14.get(2) or 0))]],
            3: [[t14.get(3) or "1"]],
            4: [[t14.get(13) or "0"]],
            5: [["1"]],  # ISR 1: the native scanning resolution, 1.011 NSR (19.69 px/mm)
            6: [[t14.get(6) or "0"]],
            7: [[t14.get(7) or "0"]],
            8: [["1"]],  # GCA 1: WSQ
            9: t14.binary(999) or b"",
        },
    )


def face_photo(ori: str, idc: int = 30, size: tuple[int, int] = (48, 60)) -> Record:
    """A Type-10 mugshot: a small JPEG face-sized picture with the fields EBTS 9.1 requires."""
    import io

    from PIL import Image

    width, height = size
    buffer = io.BytesIO()
    gradient = np.add.outer(np.arange(height) * 3, np.arange(width) * 2) % 256
    Image.fromarray(gradient.astype(np.uint8)).save(buffer, "JPEG", quality=80)
    r = Record(10)
    for tag, value in (
        (2, f"{idc:02d}"), (3, "FACE"), (4, ori), (5, "20261120"), (6, str(width)), (7, str(height)),
        (8, "0"), (9, "1"), (10, "1"), (11, "JPEGB"), (12, "GRAY"), (20, "F"),
    ):  # fmt: skip
        r.set(tag, value)
    r.set(999, buffer.getvalue())
    return r
