"""`booking-station bench usb-drivers`: each USB driver's own cost per image, and each emulator's.

- replay: the driver against its real recording (../shared/data/usb), replayed strictly through
  pyusb (NB-1010-U and UPEK), so the figure is the driver's work per image (transfers through pyusb, decoding,
  checks) without a device or umockdev in the way;
- emulator: the driver against its emulator with synthetic fingers that land at once, so the
  figure is driver plus emulated device (rendering the finger in the sensor's look).
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import time
from pathlib import Path

from drivers.usb import recordings

#: Recordings a synchronous driver can follow transfer by transfer. (The AES3500's umockdev log
#: holds its repeated register writes once and its image read before the arming writes, an
#: order only umockdev's searching replay can serve.)
_RECORDINGS = {
    "nb1010": ("capture.ioctl", None),
    "upektc_img": ("capture.pcapng", 3),
}
_EMULATED = ("aes3500", "nb1010", "upektc_img")


def _script(folder: Path, name: str) -> list:
    file, address = _RECORDINGS[name]
    path = folder / name / file
    return recordings.from_pcapng(path, address) if address else recordings.from_umockdev(path)


def _per_image_ms(make_backend, driver: str, images: int) -> list[float]:
    from drivers.api import CaptureMode, CaptureResult, ScannerError
    from drivers.usb._provider import UsbProvider, _Source

    times = []
    for _ in range(images):
        backend = make_backend()
        provider = UsbProvider(sources=lambda b=backend: [_Source(b, emulated=False)])
        (info,) = [d for d in provider.devices() if d.driver == driver]
        scanner = provider.open(info.id)
        scanner.open()
        started = time.perf_counter()
        for event in scanner.capture(CaptureMode.PLAIN, ()):
            if isinstance(event, ScannerError):
                raise RuntimeError(f"{driver}: {event.message}")
            if isinstance(event, CaptureResult):
                times.append((time.perf_counter() - started) * 1000.0)
        scanner.close()
    return times


def run(args: argparse.Namespace) -> int:
    from drivers.usb import emulator
    from drivers.usb.replay import ReplayBackend

    data = Path(args.data)
    result: dict = {"images": args.images}
    for name in _EMULATED:
        module, _, cls = emulator.EMULATORS[name].partition(":")
        emulator_class = getattr(importlib.import_module(module), cls)
        descriptors = emulator_class().descriptor_bytes
        if name in _RECORDINGS and (data / name).is_dir():
            script = _script(data, name)
            replay = _per_image_ms(lambda s=script, d=descriptors: ReplayBackend(s, d), name, args.images)
            result[f"{name}_replay_ms_per_image_median"] = round(statistics.median(replay), 2)
            result[f"{name}_replay_transfers_per_image"] = len(script)
        emu = emulator_class(auto_finger=True, auto_delay_s=0.0)
        _per_image_ms(lambda e=emu: e, name, 1)  # the synthetic finger's master is grown once, not timed
        emulated = _per_image_ms(lambda e=emu: e, name, args.images)
        result[f"{name}_emulator_ms_per_image_median"] = round(statistics.median(emulated), 2)
    for key, value in result.items():
        print(f"{key}\t{value}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0
