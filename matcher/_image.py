"""Input checking and resampling: every image is brought to 500 ppi before anything else."""

from __future__ import annotations

import cv2
import numpy as np

TARGET_PPI = 500.0
_MIN_PPI = 100.0
_MAX_PPI = 2000.0
_MIN_SIDE_MM = 5.0  # smaller than this cannot hold a usable print


def check_image(image: np.ndarray, ppi: float) -> None:
    """Raise ValueError naming what is wrong with an input image or its resolution."""
    if not isinstance(image, np.ndarray):
        raise ValueError(f"image must be a numpy array, got {type(image).__name__}")
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D grayscale, got shape {image.shape}")
    if image.dtype != np.uint8:
        raise ValueError(f"image must be 8-bit (uint8), got {image.dtype}")
    if not (_MIN_PPI <= float(ppi) <= _MAX_PPI):
        raise ValueError(f"resolution {ppi} ppi is outside the supported {_MIN_PPI:.0f}–{_MAX_PPI:.0f} ppi")
    min_side = _MIN_SIDE_MM / 25.4 * float(ppi)
    if min(image.shape) < min_side:
        raise ValueError(
            f"image {image.shape[1]}×{image.shape[0]} px is too small at {ppi:g} ppi "
            f"(at least {min_side:.0f} px a side)"
        )


def to_500ppi(image: np.ndarray, ppi: float) -> np.ndarray:
    """The image resampled to 500 ppi, as float32."""
    check_image(image, ppi)
    scale = TARGET_PPI / float(ppi)
    img = image.astype(np.float32)
    if abs(scale - 1.0) < 1e-3:
        return img
    w = max(1, round(image.shape[1] * scale))
    h = max(1, round(image.shape[0] * scale))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(img, (w, h), interpolation=interp)
