"""`booking-station scanners ...`: hardware-tester tools for every scanner, real or emulated."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from booking_station.runtime import UserError

_MODES = ("rolled", "plain", "right-slap", "left-slap", "two-thumbs")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "scanners",
        help="list, try and check fingerprint scanners (hardware testers)",
        description="Hardware-tester tools. Every action accepts --emulate NAME to add an emulated USB "
        "sensor (aes3500, nb1010, upektc_img; or set BOOKING_STATION_EMULATE=nb1010,...).",
    )
    actions = parser.add_subparsers(dest="scanners_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--emulate", choices=_emulators(), help="add an emulated USB scanner of this model")
        p.set_defaults(func=handler)
        return p

    def device_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--device",
            metavar="ID",
            help="scanner id from `scanners list` (default with --emulate: the emulated scanner)",
        )

    p = action("list", "list connected scanners (virtual and USB) and any permission problem", _list)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = action("capture", "capture one image and save it", _capture)
    device_arg(p)
    p.add_argument("--mode", choices=_MODES, default=None, help="capture mode (default: the device's first)")
    p.add_argument("--finger", type=int, default=None, metavar="FGP", help="finger position code 0-10")
    p.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="image file to write (.png, .tif, .bmp)"
    )

    p = action("preview", "run live preview: frame rate, latency, finger status", _preview)
    device_arg(p)
    p.add_argument("--mode", choices=_MODES, default=None, help="capture mode (default: the device's first)")
    p.add_argument("--seconds", type=float, default=5.0, help="how long to run (default 5)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON at the end")

    p = action(
        "conformance", "image checks in the spirit of FBI EBTS Appendix F, pass/fail per check", _conformance
    )
    device_arg(p)
    p.add_argument("--captures", type=int, default=3, help="prints to capture (default 3)")
    p.add_argument(
        "--target-pitch-mm",
        type=float,
        default=None,
        metavar="MM",
        help="also capture a bar target of this pitch (mm per bar pair) for the geometry check",
    )
    p.add_argument("--json", action="store_true", help="print JSON")

    p = action("record", "record a USB session as a regression test (transfers + images)", _record)
    device_arg(p)
    p.add_argument("--captures", type=int, default=1, help="captures to record (default 1)")
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.json",
        help="recording to write; put it in tests/drivers/recordings/ to make it a regression test",
    )

    p = action("udev-rule", "print the udev rule for supported USB scanners, or install it", _udev_rule)
    p.add_argument(
        "--install", action="store_true", help="write it to /etc/udev/rules.d and reload udev (root)"
    )
    p.add_argument("--dir", type=Path, default=None, help="install into this folder instead (packaging)")


def register_bench(bench: argparse._SubParsersAction) -> None:
    b = bench.add_parser(
        "usb-drivers", help="each USB driver's cost per image on its real recording, and its emulator's"
    )
    b.add_argument("--images", type=int, default=20, help="images per driver (default 20)")
    b.add_argument(
        "--data",
        default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data" / "usb"),
        help="folder of the real recordings (default ../shared/data/usb)",
    )
    b.add_argument("--json", help="write the figures to this JSON file")
    b.set_defaults(func=_bench_usb)


def _bench_usb(args: argparse.Namespace) -> int:
    from drivers.usb import _bench

    return _bench.run(args)


# --- helpers -----------------------------------------------------------------------------------
def _emulators() -> tuple[str, ...]:
    from drivers.usb.devices import SUPPORTED

    return tuple(d.driver for d in SUPPORTED)


def _prepare(args: argparse.Namespace) -> None:
    from drivers.usb import EMULATE_ENV
    from drivers.usb._provider import EMULATORS, unknown_emulators

    unknown = unknown_emulators()
    if unknown:
        raise UserError(
            f"{EMULATE_ENV} names unknown emulator(s) {', '.join(unknown)}; available: {', '.join(EMULATORS)}"
        )
    if getattr(args, "emulate", None):
        names = [n for n in os.environ.get(EMULATE_ENV, "").split(",") if n]
        if args.emulate not in names:
            os.environ[EMULATE_ENV] = ",".join([*names, args.emulate])


def _devices():
    from drivers import registry

    return registry.list_devices()


def _device_id(args: argparse.Namespace) -> str:
    if args.device:
        return args.device
    if args.emulate:
        for info in _devices():
            if info.driver == f"{args.emulate} (emulated)":
                return info.id
    raise UserError("name a scanner with --device ID (see `booking-station scanners list`)")


def _open(args: argparse.Namespace):
    from drivers import registry
    from drivers.api import ScannerUnavailable

    device_id = _device_id(args)
    try:
        scanner = registry.open_device(device_id)
        scanner.open()
    except ScannerUnavailable as exc:
        raise UserError(str(exc)) from exc
    return scanner


def _mode(args: argparse.Namespace, scanner):
    from drivers.api import CaptureMode

    modes = scanner.info().modes
    requested = getattr(args, "mode", None)
    mode = CaptureMode(requested) if requested else modes[0]
    if mode not in modes:
        raise UserError(
            f"{scanner.info().model} cannot capture {mode.value}; it supports {', '.join(m.value for m in modes)}"
        )
    return mode


def _positions(mode, finger: int | None):
    from drivers.hwtest.files import ToolFailed, default_positions

    try:
        return default_positions(mode, finger)
    except ToolFailed as exc:
        raise UserError(str(exc)) from exc


def _capture_one(scanner, mode, positions):
    from drivers.hwtest.session import CaptureFailed, capture_once

    try:
        return capture_once(scanner, mode, positions)
    except CaptureFailed as exc:
        raise UserError(f"capture failed: {exc}") from exc


# --- actions -----------------------------------------------------------------------------------
def _list(args: argparse.Namespace) -> int:
    _prepare(args)
    found = _devices()
    if args.json:
        rows = [
            {
                "id": d.id,
                "usb_id": d.usb_id,
                "vendor": d.vendor,
                "model": d.model,
                "serial": d.serial,
                "driver": d.driver,
                "ppi": d.ppi,
                "platen_mm": list(d.platen_mm),
                "modes": [m.value for m in d.modes],
                "problem": d.problem,
            }
            for d in found
        ]
        print(json.dumps(rows, indent=2))
        return 0
    if not found:
        print("no scanners found (try --emulate nb1010)")
        return 0
    header = ("ID", "VID:PID", "MODEL", "DRIVER", "SERIAL", "PPI")
    rows = [
        (d.id, d.usb_id or "-", f"{d.vendor} {d.model}", d.driver, d.serial or "-", f"{d.ppi:g}")
        for d in found
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for d in found:
        if d.problem:
            print(f"problem with {d.id}: {d.problem}")
    return 0


def _capture(args: argparse.Namespace) -> int:
    from drivers.api import CaptureMode
    from drivers.hwtest.files import ToolFailed, capture_to_file

    _prepare(args)
    device_id = _device_id(args)
    mode = CaptureMode(args.mode) if args.mode else None
    try:
        result = capture_to_file(device_id, args.out, mode, args.finger)
    except ToolFailed as exc:
        raise UserError(str(exc)) from exc
    h, w = result.image.shape
    print(f"saved {args.out}: {w}x{h} px at {result.ppi:g} ppi, {result.mode.value}, from {device_id}")
    return 0


def _preview(args: argparse.Namespace) -> int:
    from drivers.hwtest.session import preview

    _prepare(args)
    if args.seconds <= 0:
        raise UserError("--seconds must be positive")
    scanner = _open(args)

    def show(frame, stats) -> None:
        latency = stats.last_latency_ms
        sys.stderr.write(
            f"\r{stats.frames} frames  now {stats.current_frame_rate:5.2f}/s  latency "
            f"{'-' if latency is None else f'{latency:.2f} ms'}  finger {stats.finger_status.value}   "
        )
        sys.stderr.flush()

    try:
        stats = preview(scanner, _mode(args, scanner), args.seconds, on_frame=None if args.json else show)
    finally:
        scanner.close()
    if args.json:
        print(json.dumps(stats.as_dict(), indent=2))
    else:
        sys.stderr.write("\n")
        latency = stats.mean_latency_ms
        print(
            f"{stats.frames} frames in {stats.seconds:.1f} s: {stats.frame_rate:.2f} frames/s overall, "
            f"{stats.current_frame_rate:.2f} in the last second, "
            f"mean latency {'-' if latency is None else f'{latency:.2f} ms'}, "
            f"last finger status {stats.finger_status.value}"
        )
        for error in stats.errors:
            print(f"error: {error}")
    return 1 if stats.errors and stats.frames == 0 else 0


def _conformance(args: argparse.Namespace) -> int:
    from drivers.hwtest import conformance

    _prepare(args)
    if args.captures < 1:
        raise UserError("--captures must be at least 1")
    if args.target_pitch_mm is not None and args.target_pitch_mm <= 0:
        raise UserError("--target-pitch-mm must be positive")
    scanner = _open(args)
    info = scanner.info()
    try:
        mode = _mode(args, scanner)
        positions = _positions(mode, None)
        images = []
        for n in range(args.captures):
            if not args.json:
                print(f"capture {n + 1} of {args.captures}: place a finger on the scanner", file=sys.stderr)
            images.append(_capture_one(scanner, mode, positions).image)
        target = None
        if args.target_pitch_mm is not None:
            emulated = _emulator_for(info)
            if emulated is not None:
                emulated.place_target(args.target_pitch_mm)
            elif not args.json:
                print(
                    f"place the {args.target_pitch_mm:g} mm bar target on the platen, bars vertical",
                    file=sys.stderr,
                )
            target = _capture_one(scanner, mode, positions).image
    finally:
        scanner.close()
    checks = conformance.run(images, info.ppi, target, args.target_pitch_mm or 0.0)
    if args.json:
        print(json.dumps({"device": info.id, "checks": [c.as_dict() for c in checks]}, indent=2))
    else:
        print(f"conformance of {info.vendor} {info.model} ({info.id}), {len(images)} print(s):")
        for c in checks:
            print(f"  {'PASS' if c.passed else 'FAIL'}  {c.name:<14} {c.figure}   [{c.requirement}]")
    return 0 if all(c.passed for c in checks) else 1


def _emulator_for(info):
    """The emulator behind an emulated device, to place targets on it; None for real devices."""
    if not info.driver.endswith("(emulated)"):
        return None
    from drivers.usb import emulator

    return emulator.shared(info.driver.removesuffix(" (emulated)"))


def _record(args: argparse.Namespace) -> int:
    from drivers.hwtest.files import ToolFailed, record_to_file

    _prepare(args)
    try:
        recorded = record_to_file(_device_id(args), args.out, args.captures)
    except ToolFailed as exc:
        raise UserError(str(exc)) from exc
    print(
        f"recorded {recorded.transfers} transfers and {len(recorded.images)} image(s) to {recorded.path}; "
        "in tests/drivers/recordings/ it is replayed by tests/drivers/test_usb_recordings.py"
    )
    return 0


def _udev_rule(args: argparse.Namespace) -> int:
    import subprocess

    from drivers.usb import udev

    if not args.install and args.dir is None:
        print(udev.rule_text(), end="")
        return 0
    target_dir = args.dir or udev.INSTALL_DIR
    try:
        written = udev.install(target_dir)
    except OSError as exc:
        raise UserError(f"cannot write the rule into {target_dir}: {exc} (run with sudo)") from exc
    print(f"wrote {written}")
    if args.dir is None:
        for command in (
            ["udevadm", "control", "--reload-rules"],
            ["udevadm", "trigger", "--subsystem-match=usb"],
        ):
            try:
                subprocess.run(command, check=True)
            except (OSError, subprocess.CalledProcessError) as exc:
                raise UserError(f"`{' '.join(command)}` failed: {exc}") from exc
        print("udev reloaded; unplug and replug the scanner")
    return 0
