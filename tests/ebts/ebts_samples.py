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
