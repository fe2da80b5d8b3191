"""Run the backend under uvicorn over mutual TLS; with `--port 0` a free port is taken and announced in the
ready file."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
from pathlib import Path

import uvicorn

from backend._tls import MutualTlsProtocol
from backend.app import create_app
from backend.config import BackendConfig
from backend.service import Service
from booking_station.pki import CertificateAuthority, TlsFiles, server_context

log = logging.getLogger("backend")


def serve(
    config: BackendConfig,
    host: str = "127.0.0.1",
    port: int = 8770,
    ready_file: Path | None = None,
) -> None:
    """Serve over mutual TLS with the CA folder `config.pki_dir` until interrupted (SIGINT/SIGTERM
    end it cleanly)."""
    if not log.isEnabledFor(logging.DEBUG):
        logging.getLogger("uvicorn.access").setLevel(logging.WARNING)  # every mailbox poll otherwise
    files = CertificateAuthority(config.pki_dir).backend_files
    service = Service(config)
    run(create_app(service), host, port, ready_file, files)


def run(app, host: str, port: int, ready_file: Path | None, tls: TlsFiles | None) -> None:  # type: ignore[no-untyped-def]
    """Run `app` on host:port, over mutual TLS with `tls` (None: plain HTTP, for the benchmark's
    baseline only), announcing the URL in `ready_file` once listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    bound_port = sock.getsockname()[1]
    scheme = "https" if tls else "http"
    shown_host = f"[{host}]" if ":" in host else host
    url = f"{scheme}://{shown_host}:{bound_port}"
    config = uvicorn.Config(
        app,
        log_config=None,  # keep the one logging set-up (booking_station.runtime)
        timeout_graceful_shutdown=5,
        http=MutualTlsProtocol if tls else "h11",
    )
    config.load()
    if tls is not None:
        config.ssl = server_context(tls)  # ours, not uvicorn's: TLS 1.2+, client certificates of the CA
    server = uvicorn.Server(config)
    announcer = threading.Thread(target=_announce, args=(server, url, ready_file), daemon=True)
    announcer.start()
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal to the handler found
    # before it started: this one, so the process ends with status 0 and cleans up after itself.
    previous = signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        server.run(sockets=[sock])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
        if ready_file is not None:
            Path(ready_file).unlink(missing_ok=True)


def _exit_quietly(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _announce(server: uvicorn.Server, url: str, ready_file: Path | None) -> None:
    """Once uvicorn listens: log the URL and write the ready file (atomically, so a reader never sees half)."""
    while not server.started:
        if server.should_exit:
            return
        threading.Event().wait(0.05)
    log.info("mock backend listening on %s (admin page %s/admin)", url, url)
    if ready_file is not None:
        ready_file = Path(ready_file)
        ready_file.parent.mkdir(parents=True, exist_ok=True)
        partial = ready_file.with_name(ready_file.name + f".{os.getpid()}.tmp")
        partial.write_text(json.dumps({"url": url, "pid": os.getpid()}))
        partial.replace(ready_file)
