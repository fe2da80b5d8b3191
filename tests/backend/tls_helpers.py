"""Certificates for the backend's tests: one CA per session (stations by ORI, an administrator),
and a wrapper that gives in-process requests a client certificate as the TLS layer does."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from backend._tls import PeerCertificate
from booking_station.pki import CertificateAuthority, TlsFiles, client_context


class SessionPki:
    """One CA for the session: the backend's files, station certificates by ORI, an administrator's."""

    def __init__(self, folder: Path) -> None:
        self.ca = CertificateAuthority.init(folder / "ca")
        self.folder = folder
        self._stations: dict[str, TlsFiles] = {}
        self.admin = self.ca.issue_admin("Test Admin", folder / "admin")[0]

    def station(self, ori: str) -> TlsFiles:
        if ori not in self._stations:
            self._stations[ori] = self.ca.issue_station(ori, self.folder / "stations" / ori)
        return self._stations[ori]

    def der(self, files: TlsFiles) -> bytes:
        return ssl.PEM_cert_to_DER_cert(files.certificate.read_text())


_SESSION_PKI: list[SessionPki] = []


def session_pki() -> SessionPki:
    """The session's CA, made on first use (plain functions such as make_config need it too)."""
    if not _SESSION_PKI:
        folder = Path(tempfile.mkdtemp(prefix="booking-test-pki-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _SESSION_PKI.append(SessionPki(folder))
    return _SESSION_PKI[0]


class AsCertificate:
    """Test ASGI wrapper: each request carries a client certificate, as MutualTlsProtocol gives it.

    The `x-test-as` header picks it: `admin`, `none`, or an ORI (a station of that agency);
    without the header /admin* is the administrator's and everything else TX0570000's station.
    """

    def __init__(self, app, pki: SessionPki) -> None:  # type: ignore[no-untyped-def]
        self.app, self.pki = app, pki

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = dict(scope["headers"]).get(b"x-test-as", b"").decode()
        wanted = wanted or ("admin" if scope["path"].startswith("/admin") else "TX0570000")
        if wanted == "none":
            await self.app(scope, receive, send)
            return
        files = self.pki.admin if wanted == "admin" else self.pki.station(wanted)
        await PeerCertificate(self.app, self.pki.der(files))(scope, receive, send)


def tls_client(url: str, files: TlsFiles) -> httpx.Client:
    """An HTTPS client presenting `files`' certificate and trusting only their CA."""
    return httpx.Client(base_url=url, timeout=30, verify=client_context(files))


def start_backend(
    tmp_path: Path, data_dir: Path, name: str, population_args: list[str], pki: SessionPki
) -> tuple[subprocess.Popen, str]:
    """`booking-station backend` with the session's CA; (process, https URL) once it listens."""
    ready = tmp_path / f"{name}.ready.json"
    command = [
        sys.executable, "-m", "booking_station.cli", "backend", "--port", "0",
        "--db", f"sqlite:///{tmp_path / 'backend.sqlite'}", "--data-dir", str(data_dir),
        "--ready-file", str(ready), "--pki", str(pki.ca.folder),
        "--key-file", str(data_dir / "keys" / "backend.kek"), *population_args,
    ]  # fmt: skip
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - the process owns it
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    for _ in range(600):
        if ready.exists():
            return process, json.loads(ready.read_text())["url"]
        if process.poll() is not None:
            raise AssertionError(f"backend exited: {(tmp_path / f'{name}.log').read_text()}")
        time.sleep(0.1)
    process.kill()
    raise AssertionError("backend did not write its ready file within a minute")
