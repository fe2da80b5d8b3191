"""`booking-station virtual-scanner COMMAND…` (drive a running station's virtual scanner) and
`booking-station bench virtual-scanner` (preview frame rate and time to a result)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "virtual-scanner",
        help="send control commands to the virtual scanner of a running station",
        description="Send one line of the virtual scanner's control protocol to a running station "
        "(its socket is $BOOKING_STATION_VIRTUAL_SOCKET or virtual-scanner.sock in the runtime "
        "folder) and print the reply. Examples: 'subject 42 missing=5', 'fault retry', 'dirty', "
        "'trigger', 'status', 'help'. See docs/virtual-scanner.md.",
    )
    p.add_argument("words", nargs="+", metavar="COMMAND", help="the command and its arguments")
    p.set_defaults(func=_send)


def register_bench(bench: argparse._SubParsersAction) -> None:
    b = bench.add_parser("virtual-scanner", help="virtual scanner preview frame rate and time to a result")
    b.add_argument("--captures", type=int, default=3, help="captures per mode (default 3)")
    b.add_argument("--json", help="write the figures to this JSON file")
    b.set_defaults(func=_bench)


def _send(args: argparse.Namespace) -> int:
    from booking_station.runtime import UserError
    from drivers.virtual._socket import default_path, send

    path = default_path()
    try:
        reply = send(" ".join(args.words), path)
    except (FileNotFoundError, ConnectionRefusedError):
        raise UserError(
            f"no virtual scanner is listening on {path}: start the station with the virtual scanner "
            "open, or set BOOKING_STATION_VIRTUAL_SOCKET to its socket"
        ) from None
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror or exc}") from None
    print(reply)
    return 0 if reply.startswith("ok") else 1


def _bench(args: argparse.Namespace) -> int:
    import json
    import statistics
    import time
    from pathlib import Path

    from drivers.api import EXPECTED_FINGERS, CaptureMode, CaptureResult, FingerPosition, PreviewFrame
    from drivers.virtual import VirtualControl, VirtualScanner

    ctl = VirtualControl()  # default timing: 25 fps, the pace a clerk sees
    scanner = VirtualScanner(ctl, serve_socket=False)
    scanner.open()
    plans = {
        CaptureMode.ROLLED: [FingerPosition.RIGHT_INDEX],
        CaptureMode.PLAIN: [FingerPosition.RIGHT_INDEX],
        CaptureMode.RIGHT_SLAP: list(EXPECTED_FINGERS[CaptureMode.RIGHT_SLAP]),
    }
    result: dict = {"target_fps": ctl.timing.fps}
    for mode, positions in plans.items():
        fps, seconds = [], []
        for k in range(args.captures):
            ctl.present(500 + k)  # a new person each time: masters are grown during the capture
            started = time.monotonic()
            stamps = []
            for event in scanner.capture(mode, positions):
                if isinstance(event, PreviewFrame):
                    stamps.append(event.timestamp)
                elif isinstance(event, CaptureResult):
                    seconds.append(time.monotonic() - started)
            # Steady-state rate: after the first frame (which waits for the print to be made).
            if len(stamps) > 2:
                fps.append((len(stamps) - 2) / (stamps[-1] - stamps[1]))
        result[f"{mode.value}_preview_fps_median"] = round(statistics.median(fps), 1)
        result[f"{mode.value}_preview_fps_min"] = round(min(fps), 1)
        result[f"{mode.value}_seconds_to_result_median"] = round(statistics.median(seconds), 2)
    scanner.close()
    for k, v in result.items():
        print(f"{k}\t{v}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0
