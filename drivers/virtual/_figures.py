"""The picture in docs/virtual-scanner.md: `python -m drivers.virtual._figures docs/images`."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from drivers.api import CaptureMode, CaptureResult, FingerPosition, FingerStatusChanged, PreviewFrame
from drivers.virtual import Timing, VirtualControl, VirtualScanner


def preview_strip(out: Path) -> None:
    """Eight preview frames of a rolled capture, from the empty platen to the lift, with statuses."""
    ctl = VirtualControl()
    ctl.present(7)
    ctl.set_timing(
        Timing(fps=10, approach_s=0.2, place_s=0.4, press_s=0.3, roll_s=1.0, stable_frames=2, lift_s=0.3)
    )
    scanner = VirtualScanner(ctl, serve_socket=False)
    scanner.open()
    frames: list[tuple[np.ndarray, str]] = []
    status = ""
    for event in scanner.capture(CaptureMode.ROLLED, [FingerPosition.RIGHT_INDEX]):
        if isinstance(event, FingerStatusChanged):
            status = event.status.value
        elif isinstance(event, PreviewFrame):
            frames.append((event.image, status))
        elif isinstance(event, CaptureResult):
            frames.append((event.image, "result"))
    scanner.close()
    picks = [frames[i] for i in np.linspace(0, len(frames) - 1, 8).astype(int)]
    tiles = []
    for image, label in picks:
        tile = cv2.resize(image, None, fx=0.35, fy=0.35, interpolation=cv2.INTER_AREA)
        cv2.rectangle(tile, (0, 0), (tile.shape[1], 18), 255, -1)
        cv2.putText(tile, label, (3, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.42, 0, 1, cv2.LINE_AA)
        tiles += [tile, np.full((tile.shape[0], 6), 255, np.uint8)]
    cv2.imwrite(
        str(out / "virtual-scanner-rolled.png"), np.hstack(tiles[:-1]), [cv2.IMWRITE_PNG_COMPRESSION, 9]
    )


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/images")
    target.mkdir(parents=True, exist_ok=True)
    preview_strip(target)
