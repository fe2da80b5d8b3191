"""Capture to an image file and record a USB session to a file: what `scanners capture` and
`scanners record` do, callable from any front end (the diagnostics page, scripts).

Failures raise `ToolFailed` with a message for the tester; nothing half-written is left behind.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from drivers.api import EXPECTED_FINGERS, CaptureMode, CaptureResult, FingerPosition, ScannerUnavailable
from drivers.hwtest.session import CaptureFailed, capture_once

IMAGE_SUFFIXES = (".png", ".tif", ".tiff", ".bmp")


class ToolFailed(Exception):
    """The capture or recording could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class Recorded:
    path: Path  # the recording (JSON)
    images: tuple[Path, ...]  # one PNG per capture, beside it
    transfers: int


def save_image(path: Path, image: np.ndarray, ppi: float) -> None:
    """Write a grey image with its resolution (dpi) in the file."""
    from PIL import Image

    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise ToolFailed(f"{path}: use a .png, .tif or .bmp file name")
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).save(
            partial, format=Image.registered_extensions()[path.suffix.lower()], dpi=(ppi, ppi)
        )
        partial.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):  # e.g. its folder is a file: there is nothing to remove
            partial.unlink(missing_ok=True)
        raise ToolFailed(f"cannot write {path}: {exc}") from exc


def default_positions(mode: CaptureMode, finger: int | None = None) -> tuple[FingerPosition, ...]:
    if finger is not None:
        if not 0 <= finger <= 10:
            raise ToolFailed(f"the finger must be a finger position code 0-10, not {finger}")
        return (FingerPosition(finger),)
    return EXPECTED_FINGERS.get(mode, (FingerPosition.UNKNOWN,))


def _mode(info_modes: Sequence[CaptureMode], model: str, mode: CaptureMode | None) -> CaptureMode:
    chosen = mode or info_modes[0]
    if chosen not in info_modes:
        raise ToolFailed(
            f"{model} cannot capture {chosen.value}; it supports {', '.join(m.value for m in info_modes)}"
        )
    return chosen


def capture_to_file(
    device_id: str, path: Path, mode: CaptureMode | None = None, finger: int | None = None
) -> CaptureResult:
    """Open the scanner, take one image (the device's first mode unless `mode`), save it to `path`."""
    from drivers import registry

    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise ToolFailed(f"{path}: use a .png, .tif or .bmp file name")
    try:
        scanner = registry.open_device(device_id)
        scanner.open()
    except ScannerUnavailable as exc:
        raise ToolFailed(str(exc)) from exc
    try:
        info = scanner.info()
        chosen = _mode(info.modes, info.model, mode)
        result = capture_once(scanner, chosen, default_positions(chosen, finger))
    except CaptureFailed as exc:
        raise ToolFailed(f"capture failed: {exc}") from exc
    finally:
        scanner.close()
    save_image(path, result.image, result.ppi)
    return result


def record_to_file(device_id: str, path: Path, captures: int = 1) -> Recorded:
    """Record `captures` captures of a USB scanner: every transfer to `path` (JSON, replayable by
    tests/drivers/test_usb_recordings.py) and each image beside it as NAME-1.png, NAME-2.png..."""
    from drivers.usb import provider

    if captures < 1:
        raise ToolFailed("record at least one capture")
    if not device_id.startswith("usb:"):
        raise ToolFailed(f"{device_id} is not a USB scanner; only USB sessions can be recorded")
    try:
        opened = provider().open_recording(device_id)
    except ValueError as exc:
        raise ToolFailed(str(exc)) from exc
    if opened is None:
        raise ToolFailed(f"no USB scanner with id {device_id!r} (see `booking-station scanners list`)")
    scanner, recorder = opened
    try:
        scanner.open()
    except ScannerUnavailable as exc:
        raise ToolFailed(str(exc)) from exc
    info = scanner.info()
    mode = info.modes[0]
    try:
        images = [capture_once(scanner, mode, default_positions(mode)).image for _ in range(captures)]
    except CaptureFailed as exc:
        raise ToolFailed(f"capture failed: {exc}") from exc
    finally:
        scanner.close()
    recorder.recording.notes = {
        "device": info.id,
        "usb_id": info.usb_id,
        "model": f"{info.vendor} {info.model}",
        "driver": info.driver,
        "mode": mode.value,
        "captures": len(images),
        "images_sha256": [hashlib.sha256(i.tobytes()).hexdigest() for i in images],
        "image_shape": list(images[0].shape),
        "recorded_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    # The recording is complete only with its images: written under a temporary name and renamed
    # last, and whatever was written is removed when a part fails.
    partial = path.with_name(path.name + ".partial")
    written: list[Path] = []
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            recorder.recording.save(partial)
        except OSError as exc:
            raise ToolFailed(f"cannot write {path}: {exc}") from exc
        for n, image in enumerate(images, 1):
            written.append(path.with_name(f"{path.stem}-{n}.png"))
            save_image(written[-1], image, info.ppi)
        partial.replace(path)
    except (ToolFailed, OSError) as exc:
        for leftover in (partial, *written):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        if isinstance(exc, ToolFailed):
            raise
        raise ToolFailed(f"cannot write {path}: {exc}") from exc
    return Recorded(path, tuple(written), len(recorder.recording.transfers))
