"""The control socket: a unix socket speaking a line protocol, so a test can drive a running station.

One command per line, one reply line per command: `ok` or `ok <detail>` on success,
`error <message>` otherwise. Commands (see docs/virtual-scanner.md):

    subject N [missing=F,F] [bandaged=F,F]   put subject N at the scanner
    fault KIND                               retry|fatal|unplug|slow|wrong-hand|wrong-finger|too-many|too-few
    dirty | clean                            residue on the platen, or wipe it
    unplug | plug                            pull or reconnect the cable
    auto on|off                              the person places/lifts fingers by themselves, or waits for:
    finger on | finger off                   manual placing and lifting
    trigger                                  the manual-capture key
    seed N                                   impression seed of the next capture
    timing fps=F approach=S place=S press=S roll=S stable=N lift=S patience=S slow=F
    status                                   ok {json}
    reset                                    back to defaults
    help
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import socket
import socketserver
import tempfile
import threading
from pathlib import Path

from drivers.virtual._control import Fault, VirtualControl

_log = logging.getLogger(__name__)

_HELP = (
    "subject N [missing=F,F] [bandaged=F,F] | fault KIND | dirty | clean | unplug | plug | auto on|off"
    " | finger on|off | frames hold|release | trigger | seed N | timing KEY=VALUE... | status | reset | help"
)

_TIMING_KEYS = {
    "fps": "fps",
    "approach": "approach_s",
    "place": "place_s",
    "press": "press_s",
    "roll": "roll_s",
    "stable": "stable_frames",
    "lift": "lift_s",
    "patience": "patience_s",
    "slow": "slow_factor",
}


def default_path() -> Path:
    """$BOOKING_STATION_VIRTUAL_SOCKET, else virtual-scanner.sock in the user's runtime folder."""
    explicit = os.environ.get("BOOKING_STATION_VIRTUAL_SOCKET")
    if explicit:
        return Path(explicit)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = (
        Path(runtime)
        if runtime and Path(runtime).is_dir()
        else Path(tempfile.gettempdir()) / f"booking-station-{os.getuid()}"
    )
    return base / "booking-station" / "virtual-scanner.sock"


def _fingers(text: str) -> list[int]:
    try:
        return [int(v) for v in text.split(",") if v]
    except ValueError:
        raise ValueError(f"finger list must be numbers like 2,3 — got {text!r}") from None


def execute(ctl: VirtualControl, line: str) -> str:
    """Run one protocol line against the control; returns the reply line (without newline)."""
    words = line.strip().split()
    if not words:
        return "error empty command (try: help)"
    cmd, args = words[0].lower(), words[1:]
    try:
        if cmd == "subject":
            if not args:
                return "error usage: subject N [missing=F,F] [bandaged=F,F]"
            options = dict(a.split("=", 1) for a in args[1:] if "=" in a)
            unknown = set(options) - {"missing", "bandaged"}
            if unknown or len(options) != len(args) - 1:
                return f"error unknown subject option(s): {' '.join(args[1:])}"
            ctl.present(
                int(args[0]),
                missing=_fingers(options.get("missing", "")),
                bandaged=_fingers(options.get("bandaged", "")),
            )
            return "ok"
        if cmd == "fault":
            if len(args) != 1:
                return "error usage: fault " + "|".join(f.value for f in Fault)
            try:
                ctl.inject(Fault(args[0].lower()))
            except ValueError:
                return f"error unknown fault {args[0]!r} (known: {', '.join(f.value for f in Fault)})"
            return "ok"
        if cmd in ("dirty", "clean", "unplug", "plug", "reset"):
            {
                "dirty": ctl.make_dirty,
                "clean": ctl.clean,
                "unplug": ctl.unplug,
                "plug": ctl.plug,
                "reset": ctl.reset,
            }[cmd]()
            return "ok"
        if cmd == "auto" and args in (["on"], ["off"]):
            ctl.set_auto(args[0] == "on")
            return "ok"
        if cmd == "finger" and args in (["on"], ["off"]):
            (ctl.finger_on if args[0] == "on" else ctl.finger_off)()
            return "ok"
        if cmd == "frames" and args in (["hold"], ["release"]):
            (ctl.hold_frames if args[0] == "hold" else ctl.release_frames)()
            return "ok"
        if cmd == "trigger":
            return "ok" if ctl.trigger() else "error no capture is running"
        if cmd == "seed" and len(args) == 1:
            ctl.set_seed(int(args[0]))
            return "ok"
        if cmd == "timing":
            changes: dict[str, float] = {}
            for a in args:
                key, _, value = a.partition("=")
                if key not in _TIMING_KEYS or not value:
                    return f"error unknown timing option {a!r} (known: {', '.join(_TIMING_KEYS)})"
                changes[_TIMING_KEYS[key]] = int(value) if key == "stable" else float(value)
            ctl.set_timing(**changes)
            return "ok"
        if cmd == "status":
            return "ok " + json.dumps(ctl.status(), sort_keys=True)
        if cmd == "help":
            return "ok " + _HELP
    except ValueError as exc:
        return f"error {exc}"
    return f"error unknown command {line.strip()!r} (try: help)"


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        ctl: VirtualControl = self.server.control  # type: ignore[attr-defined]
        for raw in self.rfile:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                reply = "error command is not UTF-8 text"
            else:
                reply = execute(ctl, line)
            self.wfile.write((reply + "\n").encode())
            self.wfile.flush()


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class ControlServer:
    """Serves the protocol on `path` in a background thread until stop()."""

    def __init__(self, ctl: VirtualControl, path: Path) -> None:
        self.path = path
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ctl = ctl

    @property
    def control(self) -> VirtualControl:
        return self._ctl

    def start(self) -> bool:
        """Listen; False (and a logged warning) if another live process already owns the socket."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.path.exists():
            if _alive(self.path):
                _log.warning(
                    "virtual scanner control socket %s is in use by another process; not serving", self.path
                )
                return False
            self.path.unlink()
        self._server = _Server(str(self.path), _Handler)
        self._server.control = self._ctl  # type: ignore[attr-defined]
        os.chmod(self.path, 0o600)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="virtual-scanner-control", daemon=True
        )
        self._thread.start()
        _log.info("virtual scanner control socket: %s", self.path)
        return True

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._server = None
        if self._thread is not None:
            self._thread.join(timeout=2)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


_serving: ControlServer | None = None
_serving_lock = threading.Lock()


def serve(ctl: VirtualControl) -> bool:
    """Serve `ctl` on the default socket for the rest of the process (idempotent).

    The socket belongs to the process, not to an open scanner: it must outlive an unplugged
    scanner (the clerk's `plug` arrives while no scanner is open) and exist before the first
    capture (the demo's `subject N`). If the default path changed (another
    BOOKING_STATION_VIRTUAL_SOCKET), the old socket is closed and the new one served. Returns
    False when another live process owns the path.
    """
    global _serving
    path = default_path()
    with _serving_lock:
        if _serving is not None:
            if _serving.path == path and _serving.control is ctl:
                return True
            _serving.stop()
            _serving = None
        server = ControlServer(ctl, path)
        if not server.start():
            return False
        _serving = server
        return True


def serving_path() -> Path | None:
    """The socket this process serves, if any."""
    with _serving_lock:
        return None if _serving is None else _serving.path


def stop_serving() -> None:
    """Close the process's control socket (tests, and the end of the process)."""
    global _serving
    with _serving_lock:
        if _serving is not None:
            _serving.stop()
            _serving = None


atexit.register(stop_serving)


def _alive(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect(str(path))
        except OSError:
            return False
    return True


def send(command: str, path: Path | None = None, timeout: float = 5.0) -> str:
    """Send one command line to a running virtual scanner; returns its reply line."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(str(path or default_path()))
        s.sendall(command.strip().encode() + b"\n")
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
    return reply.decode().strip()
