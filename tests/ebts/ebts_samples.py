"""Sample inputs for the ebts tests: tiny ridge-like images keep them fast."""

from __future__ import annotations

import numpy as np

from ebts import FingerImage, Segment

ORI = "NY0303000"


def ridges(width: int, height: int, seed: int = 0) -> np.ndarray:
    """Concentric dark ridges on a light background with a little noise: fingerprint-like enough
    for WSQ to compress at its usual ratio."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    cx, cy = width * (0.4 + 0.2 * rng.random()), height * (0.4 + 0.2 * rng.random())
    wave = np.sin(np.hypot(x - cx, y - cy) / 1.6 + rng.random() * 6)
    image = 150 + 90 * wave + rng.normal(0, 8, (height, width))
    return image.clip(0, 255).astype(np.uint8)


def tenprint_images(size: int = 64) -> list[FingerImage]:
    rolled = [FingerImage(fgp, ridges(size, size, fgp), 500, True, quality=60 + fgp) for fgp in range(1, 11)]
    slaps = []
    for fgp, fingers in ((13, (2, 3, 4, 5)), (14, (7, 8, 9, 10))):
        segments = tuple(Segment(f, i * size, (i + 1) * size, 0, size, 50 + i) for i, f in enumerate(fingers))
        slaps.append(FingerImage(fgp, ridges(4 * size, size, fgp), 500, False, quality=55, segments=segments))
    thumbs = [FingerImage(fgp, ridges(size, size, fgp), 500, False, quality=70) for fgp in (11, 12)]
    return rolled + slaps + thumbs


_CAR: bytes | None = None


def tenprint_car() -> bytes:
    """A valid tenprint CAR with tiny images, its fingerprints as Type-4 and Type-14 records and a
    Type-10 photo (built once; parse it for a fresh copy)."""
    global _CAR
    if _CAR is None:
        from datetime import UTC, date, datetime

        from sample_records import as_type4, face_photo

        from ebts import Charge, Submission, car_transaction, write

        tx = car_transaction(
            Submission(
                tcn=f"{ORI}-20261120101500-FUZZ000001", ori=ORI, last_name="DOE", first_name="JOHN",
                date_of_birth=date(1985, 4, 12), sex="M", race="W", place_of_birth="NY", height_inches=70,
                weight_pounds=180, eye_color="BRO", hair_color="BLK", arrest_date=date(2026, 11, 20),
                charges=[Charge("BURGLARY", date(2026, 11, 19))], images=tenprint_images(32),
                created=datetime(2026, 11, 20, 10, 15, tzinfo=UTC),
            )
        )  # fmt: skip
        # Half the fingers as binary Type-4 records, as older livescans send them.
        tx.records = [
            as_type4(r) if r.type == 14 and r.get(13) in ("1", "3", "5", "7", "9", "11") else r
            for r in tx.records
        ]
        tx.records.append(face_photo(ORI))
        _CAR = write(tx)
    return _CAR
