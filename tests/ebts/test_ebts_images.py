from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ebts import build_car, parse
from ebts.images import UnsupportedImage, image_of, is_image_record


@pytest.mark.realdata
def test_every_reference_image_decodes_or_says_why_not(shared_data: Path) -> None:
    decoded, unsupported = 0, []
    for path in sorted((shared_data / "ebts").rglob("*")):
        if path.suffix not in (".an2", ".ebts"):
            continue
        for record in parse(path.read_bytes()).records[1:]:
            if not is_image_record(record):
                continue
            try:
                image, _ = image_of(record)
            except UnsupportedImage as exc:
                unsupported.append(str(exc))
                continue
            assert image.dtype == np.uint8 and image.ndim in (2, 3) and image.size > 0, path.name
            decoded += 1
    assert decoded >= 70
    # The only ones left: a user-defined Type-7 and the lossless-JPEG iris/finger images.
    assert all("user-defined" in m or "lossless JPEG" in m for m in unsupported), unsupported


@pytest.mark.realdata
def test_binary_records_decode_at_their_header_size(shared_data: Path) -> None:
    tx = parse((shared_data / "ebts/nist-reference/type-6.an2").read_bytes())
    image, ppi = image_of(tx.first(6), native_ppi=500)
    assert image.shape == (752, 804) and set(np.unique(image)) <= {0, 255} and ppi == 500
    tx = parse((shared_data / "ebts/nist-reference/type-4-tpcard.an2").read_bytes())
    assert image_of(tx.first(4))[0].shape == (752, 804)


def test_our_own_car_images_decode_with_their_resolution(submission) -> None:
    tx = parse(build_car(submission))
    slap = next(r for r in tx.of_type(14) if r.get(13) == "13")
    image, ppi = image_of(slap, trusted=True)
    assert image.shape == (64, 256) and ppi == 500


def test_a_record_without_data_is_unsupported_with_a_reason(submission) -> None:
    tx = parse(build_car(submission))
    record = tx.of_type(14)[0]
    record.fields.pop(999)
    with pytest.raises(UnsupportedImage, match="no image data"):
        image_of(record)


def test_a_picture_claiming_billions_of_pixels_is_refused_not_decoded() -> None:
    import struct
    import zlib

    from ebts import Record
    from ebts.images import UnsupportedImage, image_of

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )
    photo = Record(10, {2: [["01"]], 3: [["FACE"]], 11: [["PNG"]], 999: png})
    with pytest.raises(UnsupportedImage, match="too large"):
        image_of(photo)
