"""The embedded backend: `booking-station backend` as a child process on a free loopback port.

The station never imports `backend/`; it starts the command, waits for the ready file the backend
writes once it listens, and talks HTTPS to the URL in it. The child's output goes to a log file
beside its database, so a failure to start can be explained with its last lines.

Mutual TLS with no configuration: the first start makes a CA in `FOLDER/pki` (booking_station.pki)
with the backend's certificate for loopback, and `station_tls(ori)` issues the station's own
certificate for its ORI (again whenever the ORI changes or the certificate nears expiry). The
backend's key-encryption key is `FOLDER/keys/backend.kek`. Keys are 0600 in 0700 folders.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from booking_station.runtime import UserError
from desktop.station.messages import StationError

if TYPE_CHECKING:
    from booking_station.pki import TlsFiles

_log = logging.getLogger(__name__)

START_TIMEOUT = 120.0  # listening happens before the population is built; this is generous


class EmbeddedBackend:
    def __init__(
        self, folder: Path, *, cache_folder: Path | None = None, extra_args: tuple[str, ...] = ()
    ) -> None:
        self.folder = Path(folder)
        self.cache_folder = Path(cache_folder) if cache_folder else self.folder  # the enrolled galleries
        self.extra_args = extra_args
        self.url: str | None = None
        self._process: subprocess.Popen | None = None

    @property
    def pki_dir(self) -> Path:
        return self.folder / "pki"

    @property
    def key_file(self) -> Path:
        return self.folder / "keys" / "backend.kek"

    def station_tls(self, ori: str) -> TlsFiles:
        """The station's certificate for `ori` from the embedded CA, issued when missing or stale."""
        from booking_station.pki import CertificateAuthority, TlsFiles, check_pair

        ca = CertificateAuthority.ensure(self.pki_dir)
        out = self.pki_dir / "stations" / ori.upper()
        files = TlsFiles(out / "ca.pem", out / "station.pem", out / "station.key")
        try:
            current = check_pair(files).ori == ori.upper() and not ca.needs_renewal(files.certificate)
        except UserError:
            current = False
        return files if current else ca.issue_station(ori, out)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout: float = START_TIMEOUT) -> str:
        """Start the backend and wait until it listens; returns its URL."""
        if self.running and self.url:
            return self.url
        self.folder.mkdir(parents=True, exist_ok=True)
        from booking_station.pki import CertificateAuthority

        CertificateAuthority.ensure(self.pki_dir)
        ready = self.folder / "backend.ready.json"
        ready.unlink(missing_ok=True)
        log_path = self.folder / "backend.log"
        command = [
            sys.executable, "-m", "booking_station.cli", "backend", "--port", "0",
            "--db", f"sqlite:///{self.folder / 'backend.sqlite'}", "--data-dir", str(self.cache_folder),
            "--ready-file", str(ready), "--pki", str(self.pki_dir), "--key-file", str(self.key_file),
            *self.extra_args,
        ]  # fmt: skip
        with open(log_path, "ab") as log:
            self._process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                # Its last lines are for whoever reads the log; the clerk is told where that log is.
                _log.error("the embedded backend stopped while starting (exit %s): %s",
                          self._process.returncode, _tail(log_path))  # fmt: skip
                raise StationError("embedded.stopped", status=self._process.returncode, log=str(log_path))
            if ready.exists():
                try:
                    self.url = str(json.loads(ready.read_text())["url"])
                    return self.url
                except (ValueError, KeyError):
                    pass  # written atomically, so this is a stale or foreign file: keep waiting
            time.sleep(0.1)
        self.stop()
        _log.error("the embedded backend did not start within %.0f s: %s", timeout, _tail(log_path))
        raise StationError("embedded.timeout", seconds=round(timeout), log=str(log_path))

    def kill(self) -> None:
        """End the child at once (SIGKILL), as a crash or power cut would."""
        process, self._process = self._process, None
        self.url = None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the child to finish (SIGTERM), then kill it if it does not."""
        process, self._process = self._process, None
        self.url = None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGTERM the backend when the station dies, even by SIGKILL, so no orphan keeps running."""
    import contextlib
    import ctypes

    # Not Linux (no libc.so.6): the station's own stop() is then the only clean-up.
    with contextlib.suppress(OSError):
        # PR_SET_PDEATHSIG; note it follows the thread that started the child (the worker thread).
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(text[-lines:]) or "(empty log)"
