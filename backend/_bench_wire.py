"""`booking-station bench wire`: what mutual TLS costs a submission, and what a huge upload costs
the backend's memory.

1. Round trip of one submission (POST /v1/transactions of a full tenprint CAR until its 202) over
   mutual TLS against plain HTTP, with a new connection per submission (TCP and TLS handshakes
   included, as a station that submits now and then) and on a kept-alive connection. The backend
   is the real app under uvicorn in its own process, its submission worker not started, so that
   the figure is the wire's and the store's (parse, seal, insert), not the search's. Plain HTTP
   exists only here: the app is then told which station certificate each connection stands for.
2. The backend's resident memory while a client streams 1 GiB chunked to POST /v1/transactions
   over mutual TLS: how much it read before refusing, and by how much its RSS rose.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import ssl
import statistics
import tempfile
import threading
import time
from pathlib import Path

ORI = "TX0570000"


def main(args) -> int:  # type: ignore[no-untyped-def]
    from backend._bench import synthetic_car
    from booking_station.pki import CertificateAuthority

    load_before = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory(prefix="bench-wire-") as tmp:
        folder = Path(tmp)
        ca = CertificateAuthority.init(folder / "pki")
        station = ca.issue_station(ORI, folder / "station")
        car = synthetic_car(1, ORI, seed=5)
        bodies = _variants(car, args.submissions * 2)
        report: dict = {"car_bytes": len(car), "submissions": args.submissions}
        servers = {mode: _start(mode, folder / mode, ca.folder, station) for mode in ("mtls", "plain")}
        try:
            # Alternating the two modes request by request: whatever else loads the machine loads both.
            for kind, part in (
                ("new_connection", bodies[: args.submissions]),
                ("keep_alive", bodies[args.submissions :]),
            ):
                measured = _round_trips(servers, station, part, fresh=kind == "new_connection")
                for mode, figures in measured.items():
                    report.setdefault(mode, {})[kind] = figures
            process, url = servers["mtls"]
            sent, rise_kib, status = upload_and_watch(url, station, process.pid, args.upload_bytes)
            report["upload"] = {
                "offered_bytes": args.upload_bytes,
                "read_before_refusal_bytes": sent,
                "rss_rise_mib": round(rise_kib / 1024, 1),
                "status": status,
            }
        finally:
            for process, _url in servers.values():
                process.terminate()
                process.join(30)
    report["loadavg"] = {"before": load_before, "after": Path("/proc/loadavg").read_text().split()[:3]}
    _print(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


def _variants(car: bytes, count: int) -> list[bytes]:
    """`count` copies of the CAR, each with its own TCN (a resend of one TCN is cheaper: no insert)."""
    from ebts import new_tcn, parse, write

    transaction = parse(car)
    out = []
    for _ in range(count):
        transaction.header.set(9, new_tcn(ORI))
        out.append(write(transaction))
    return out


def _serve(mode: str, folder: Path, pki_dir: Path, station_certificate: Path, ready: Path) -> None:
    """The child process: the app with an idle service, over mutual TLS or (baseline) plain HTTP."""
    from backend._tls import PeerCertificate
    from backend.app import create_app
    from backend.config import BackendConfig
    from backend.server import run
    from backend.service import Service
    from booking_station.pki import CertificateAuthority

    config = BackendConfig(
        db_url=f"sqlite:///{folder / 'backend.sqlite'}",
        data_dir=folder,
        population=1,
        pki_dir=pki_dir,
        key_file=folder / "keys" / "backend.kek",
    )
    app = create_app(Service(config), start=False)
    if mode == "plain":
        der = ssl.PEM_cert_to_DER_cert(station_certificate.read_text())
        run(PeerCertificate(app, der), "127.0.0.1", 0, ready, None)
    else:
        run(app, "127.0.0.1", 0, ready, CertificateAuthority(pki_dir).backend_files)


def _start(mode: str, folder: Path, pki_dir: Path, station) -> tuple[multiprocessing.Process, str]:  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True)
    ready = folder / "ready.json"
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(mode, folder, pki_dir, station.certificate, ready), daemon=True
    )
    process.start()
    for _ in range(600):
        if ready.exists():
            return process, json.loads(ready.read_text())["url"]
        if not process.is_alive():
            raise RuntimeError(f"the {mode} backend did not start (exit {process.exitcode})")
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"the {mode} backend did not start within a minute")


def _round_trips(servers: dict, station, bodies: list[bytes], fresh: bool) -> dict:  # type: ignore[no-untyped-def]
    """Each body to each server in turn; per mode the wall time of a POST until its 202 and the CPU
    time it cost (the server process's and the client thread's), in ms."""
    import httpx

    from booking_station.pki import client_context

    verify = {"mtls": client_context(station), "plain": True}
    headers = {"Content-Type": "application/octet-stream"}
    clients = {
        mode: httpx.Client(base_url=url, verify=verify[mode], timeout=60)
        for mode, (_p, url) in servers.items()
    }
    walls: dict[str, list[float]] = {mode: [] for mode in servers}
    cpus: dict[str, list[float]] = {mode: [] for mode in servers}
    try:
        for client in clients.values():
            client.get("/health")  # warm: the first request pays for imports in the server
        for body in bodies:
            for mode, (process, url) in servers.items():
                if fresh:
                    clients[mode].close()
                    clients[mode] = httpx.Client(base_url=url, verify=verify[mode], timeout=60)
                server_cpu, client_cpu = _cpu_seconds(process.pid), time.thread_time()
                started = time.perf_counter()
                answer = clients[mode].post("/v1/transactions", content=body, headers=headers)
                walls[mode].append((time.perf_counter() - started) * 1000)
                cpus[mode].append(
                    (time.thread_time() - client_cpu + _cpu_seconds(process.pid) - server_cpu) * 1000
                )
                if answer.status_code != 202:
                    raise RuntimeError(f"{mode}: {answer.status_code} {answer.text[:200]}")
    finally:
        for client in clients.values():
            client.close()
    return {mode: {"wall_median": _median(walls[mode]), "wall_p95": _p95(walls[mode]),
                   "cpu_mean": round(statistics.fmean(cpus[mode]), 2), "n": len(walls[mode])} for mode in servers}  # fmt: skip


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def upload_and_watch(url: str, files, pid: int, total: int) -> tuple[int, int, int | None]:  # type: ignore[no-untyped-def]
    """Stream `total` bytes chunked to POST /v1/transactions (mutual TLS with `files`) while sampling
    the backend's resident memory every 5 ms; (bytes the backend took before it stopped reading,
    peak RSS rise in KiB, status or None when the connection was closed mid-upload)."""
    import httpx

    from booking_station.pki import client_context

    before = _rss_kib(pid)
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_kib(pid))
            time.sleep(0.005)

    sent = 0

    def body():  # type: ignore[no-untyped-def]
        nonlocal sent
        block = b"\0" * (256 * 1024)
        while sent < total:
            sent += len(block)
            yield block

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    status = None
    try:
        with httpx.Client(base_url=url, timeout=60, verify=client_context(files)) as client:
            status = client.post("/v1/transactions", content=body()).status_code
    except httpx.TransportError:
        pass  # refused and closed while the client was still sending
    finally:
        time.sleep(0.2)
        done.set()
        sampler.join()
    return sent, peak - before, status


def _print(report: dict) -> None:
    print(
        f"submission round trip, {report['car_bytes'] / 1e6:.2f} MB CAR, {report['submissions']} each (ms):"
    )
    print(f"  {'':<26} {'wall median':>12} {'wall p95':>9} {'CPU mean':>11}")
    for mode, label in (("mtls", "mutual TLS"), ("plain", "plain HTTP")):
        for kind, what in (("new_connection", "new connection"), ("keep_alive", "kept alive")):
            row = report[mode][kind]
            print(
                f"  {label + ', ' + what:<26} {row['wall_median']:>12} {row['wall_p95']:>9} {row['cpu_mean']:>11}"
            )
    up = report["upload"]
    print(
        f"{up['offered_bytes'] / 2**20:.0f} MiB chunked upload: read {up['read_before_refusal_bytes'] / 2**20:.0f} "
        f"MiB before the refusal ({up['status'] or 'connection closed'}), backend RSS rose {up['rss_rise_mib']} MiB"
    )
    print(f"load average before {report['loadavg']['before']}, after {report['loadavg']['after']}")
