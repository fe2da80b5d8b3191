"""Preview frames: the print appearing as the finger touches down, presses (rolls) and lifts."""

from __future__ import annotations

import cv2
import numpy as np

PREVIEW_MAX_WIDTH = 800  # slaps preview at half resolution; single fingers at full


class Animator:
    """Builds preview frames from the finished print and the empty platen."""

    def __init__(
        self, image: np.ndarray, ppi: float, dirt: np.ndarray | None, rng: np.random.Generator
    ) -> None:
        scale = min(1.0, PREVIEW_MAX_WIDTH / image.shape[1])
        self.scale = scale
        self.ppi = ppi * scale
        small = (
            cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
        )
        self._print = small.astype(np.float32)
        border = np.concatenate([small[0], small[-1], small[:, 0], small[:, -1]])
        self._empty = np.full_like(self._print, float(np.median(border)))
        self._dirt = None
        if dirt is not None:
            self._dirt = cv2.resize(dirt, (small.shape[1], small.shape[0])) if scale < 1 else dirt
        # A few noise fields, cycled: fresh sensor noise per frame without its cost per frame.
        self._noise = [rng.normal(0, 2.0, small.shape).astype(np.float32) for _ in range(3)]
        self._n = 0
        h, w = small.shape
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        # Where the print is, and how far from its middle: contact spreads outwards from there.
        ink = cv2.GaussianBlur((small < self._empty[0, 0] - 25).astype(np.float32), (0, 0), 4)
        weight = ink.sum() or 1.0
        cy, cx = float((ys * ink).sum() / weight), float((xs * ink).sum() / weight)
        self._radius = np.hypot((xs - cx) / w, (ys - cy) / h) * 2.0
        # Rolling sweeps across the print's own width, not the whole platen.
        columns = np.nonzero(ink.max(axis=0) > 0.5)[0]
        left, right = (int(columns[0]), int(columns[-1])) if len(columns) else (0, w - 1)
        self._cols = (xs - left) / max(right - left, 1)

    def _frame(self, contact: np.ndarray | float, contrast: float) -> np.ndarray:
        frame = self._empty + (self._print - self._empty) * contact * contrast
        if self._dirt is not None:
            frame = frame - self._dirt
        self._n += 1
        frame = frame + self._noise[self._n % len(self._noise)]
        return np.clip(frame, 0, 255).astype(np.uint8)

    def empty(self) -> np.ndarray:
        return self._frame(0.0, 0.0)

    def touching(self, t: float) -> np.ndarray:
        """t 0→1: the contact grows from the middle of the print outwards, lightly."""
        return self._frame(np.clip((t * 1.2 - self._radius) * 8.0, 0, 1), 0.35 + 0.25 * t)

    def pressing(self, t: float) -> np.ndarray:
        """t 0→1: pressure builds to the full print."""
        return self._frame(1.0, 0.6 + 0.4 * t)

    def rolling(self, t: float) -> np.ndarray:
        """t 0→1: the finger rolls nail to nail; the print is laid down from left to right."""
        band = np.clip((t * 1.15 - self._cols) * 12.0, 0, 1)
        return self._frame(band, 1.0)

    def full(self) -> np.ndarray:
        return self._frame(1.0, 1.0)

    def lifting(self, t: float) -> np.ndarray:
        """t 0→1: the finger leaves; what stays is fading moisture."""
        return self._frame(1.0, (1.0 - t) * 0.6)
