"""`booking-station bench ebts`: how long a full CAR takes to build, parse and validate, and the WSQ
ratio, on tenprint-sized images. Real prints (FVC 2002 DB1, 500 ppi) when ../shared/data is there,
else ridge-pattern images of the same sizes; the report says which."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from booking_station.fingers import SLAP_FINGERS
from ebts import wsq
from ebts._codec import parse, write
from ebts.car import Charge, FingerImage, Segment, Submission, build_car
from ebts.validate import validate

# Sizes at 500 ppi: rolled 1.6 x 1.5 in, slap 3.2 x 2.0 in, two thumbs 1.6 x 2.0 in (EBTS Appendix F).
ROLLED, SLAP, THUMBS = (750, 800), (1000, 1600), (1000, 800)


def _ridges(height: int, width: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    wave = np.sin(np.hypot(x - width * 0.45, y - height * 0.55) / 1.6 + seed)
    return (150 + 90 * wave + rng.normal(0, 8, (height, width))).clip(0, 255).astype(np.uint8)


def _real_tiles(shared: Path | None) -> list[np.ndarray] | None:
    folder = shared / "fingerprints" / "fvc2002_db1_b" if shared else None
    if folder is None or not folder.is_dir():
        return None
    from PIL import Image

    return [np.asarray(Image.open(p).convert("L")) for p in sorted(folder.glob("*_1.tif"))]


def _canvas(shape: tuple[int, int], tiles: list[np.ndarray] | None, seed: int) -> np.ndarray:
    if tiles is None:
        return _ridges(*shape, seed)
    out = np.full(shape, 255, np.uint8)
    tile = tiles[seed % len(tiles)]
    for top in range(0, shape[0], tile.shape[0]):
        for left in range(0, shape[1], tile.shape[1]):
            part = tile[: shape[0] - top, : shape[1] - left]
            out[top : top + part.shape[0], left : left + part.shape[1]] = part
    return out


def run(repeat: int, shared: Path | None) -> dict:
    tiles = _real_tiles(shared)
    images = [FingerImage(f, _canvas(ROLLED, tiles, f), 500, True, quality=70) for f in range(1, 11)]
    width = SLAP[1] // 4
    for fgp, fingers in ((13, sorted(SLAP_FINGERS[13])), (14, sorted(SLAP_FINGERS[14]))):
        segs = tuple(Segment(f, i * width, (i + 1) * width, 0, SLAP[0]) for i, f in enumerate(fingers))
        images.append(FingerImage(fgp, _canvas(SLAP, tiles, fgp), 500, False, quality=60, segments=segs))
    segs = (Segment(1, 0, THUMBS[1] // 2, 0, THUMBS[0]), Segment(6, THUMBS[1] // 2, THUMBS[1], 0, THUMBS[0]))
    images.append(FingerImage(15, _canvas(THUMBS, tiles, 15), 500, False, quality=60, segments=segs))
    submission = Submission(
        tcn="BENCH00000-20261121000000-0000000000", ori="NY0303000", last_name="Nguyễn", first_name="Văn An",
        date_of_birth=date(1990, 1, 2), sex="M", race="A", place_of_birth="CA", height_inches=70,
        weight_pounds=170, eye_color="BRO", hair_color="BLK", arrest_date=date(2026, 11, 20),
        charges=[Charge("THEFT OF PROPERTY", date(2026, 11, 20))], images=images,
        created=datetime(2026, 11, 21, tzinfo=UTC),
    )  # fmt: skip
    timings: dict[str, list[float]] = {
        "build_car": [], "parse": [], "validate": [], "wsq_decode_all": [], "write_unchanged": [],
        "write_one_field_edited": [], "reference_files_round_trip": [],
    }  # fmt: skip
    references = _reference_files(shared)
    exact = True
    data = b""
    for _ in range(repeat):
        t = time.perf_counter()
        data = build_car(submission)
        timings["build_car"].append(time.perf_counter() - t)
        t = time.perf_counter()
        tx = parse(data)
        timings["parse"].append(time.perf_counter() - t)
        t = time.perf_counter()
        problems = validate(tx)
        timings["validate"].append(time.perf_counter() - t)
        t = time.perf_counter()
        for record in tx.of_type(14):
            wsq.decode(record.binary(999))
        timings["wsq_decode_all"].append(time.perf_counter() - t)
        t = time.perf_counter()
        exact &= write(tx) == data
        timings["write_unchanged"].append(time.perf_counter() - t)
        tx.first(2).set(18, "NGUYEN,VAN AN")
        t = time.perf_counter()
        write(tx)
        timings["write_one_field_edited"].append(time.perf_counter() - t)
        t = time.perf_counter()
        for blob in references:
            exact &= write(parse(blob)) == blob
        timings["reference_files_round_trip"].append(time.perf_counter() - t)
    raw = sum(i.image.size for i in images)
    compressed = sum(len(r.binary(999)) for r in parse(data).of_type(14))
    return {
        "images": "FVC2002 DB1 tiles (real 500 ppi prints)" if tiles else "synthetic ridge patterns",
        "image_count": len(images),
        "raw_megapixels": round(raw / 1e6, 2),
        "car_bytes": len(data),
        "wsq_ratio": round(raw / compressed, 1),
        "valid": not problems,
        "round_trips_byte_for_byte": exact,
        "reference_files": len(references),
        "reference_megabytes": round(sum(map(len, references)) / 1e6, 1),
        "repeat": repeat,
        "seconds_median": {k: round(float(np.median(v)), 4) for k, v in timings.items()},
    }


def _reference_files(shared: Path | None) -> list[bytes]:
    """The shared NIST and OpenEBTS reference transactions (parse + write back, byte for byte)."""
    if shared is None:
        return []
    folders = (shared / "ebts" / "nist-reference", shared / "ebts" / "openebts")
    return [
        p.read_bytes()
        for d in folders
        if d.is_dir()
        for p in sorted(d.iterdir())
        if p.suffix in (".an2", ".ebts")
    ]
