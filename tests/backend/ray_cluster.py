"""A real local Ray cluster for the cluster tests: a head and a second node, each started by
`ray start --block` as a separate process (so objects and actors cross nodes), on loopback.

Everything it starts is stopped by process id at the end (or at exit): `ray stop` is never used,
since it would stop every Ray process on the machine, not only these. A test run killed outright
(SIGKILL, a crash) runs no exit handler: each cluster's folder names the process that owns it, and
the next cluster started on the machine stops the clusters whose owner is gone.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: A loopback address Ray does not rewrite to the machine's network address (it does for
#: 127.0.0.1 and localhost): the cluster's traffic never leaves the loopback interface.
HOST = "127.0.0.2"
_STARTUP_S = 240  # a loaded 2-core machine starts a Ray node in 10-60 s


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


_PREFIX = "bsray-"
_OWNER = "owner"  # "<pid> <start time>" of the test process that started the cluster


def _process_identity(pid: int) -> str | None:
    """The pid with its start time (so a reused pid is not taken for the owner), or None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return f"{pid} {stat.rsplit(')', 1)[1].split()[19]}"  # field 22, counted after the name


def stop_orphaned_clusters(tmp: Path = Path("/tmp")) -> list[Path]:
    """Stop the test clusters whose owning test process is gone; returns their folders."""
    stopped = []
    for folder in tmp.glob(f"{_PREFIX}*"):
        try:
            owner = (folder / _OWNER).read_text().strip()
        except OSError:
            continue  # being made, or not ours to judge
        if _process_identity(int(owner.split()[0])) == owner:
            continue
        for pid in leftover_pids(folder):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)
        stopped.append(folder)
    return stopped


class LocalCluster:
    def __init__(self, cpus_per_node: int = 1) -> None:
        stop_orphaned_clusters()
        # Short: Ray's Unix socket paths live under it and must stay under 108 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix=_PREFIX, dir="/tmp"))
        (self.folder / _OWNER).write_text(str(_process_identity(os.getpid())))
        self.port = _free_port()
        self.client_port = _free_port()
        self.address = f"{HOST}:{self.port}"
        self.cpus = cpus_per_node
        self.processes: list[subprocess.Popen] = []
        atexit.register(self.stop)

    def _ray(self, name: str, *args: str) -> subprocess.Popen:
        ray = Path(sys.executable).with_name("ray")
        # Workers at the test's own priority: Ray's default (niceness + 15) starves the shard
        # actors, and a restarted one, on a loaded machine.
        env = dict(
            os.environ,
            RAY_USAGE_STATS_ENABLED="0",
            RAY_DISABLE_DOCKER_CPU_WARNING="1",
            RAY_worker_niceness="0",
            # A loopback test cluster without tokens, whatever the machine holds: a Ray token file
            # in the home folder (~/.ray/auth_token) turns the head's token check on, and the
            # second node, which does not send it, fails to join ("InvalidAuthToken").
            RAY_AUTH_MODE="disabled",
        )
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - the process keeps it
        process = subprocess.Popen(
            [str(ray), "start", "--block", f"--node-ip-address={HOST}", f"--num-cpus={self.cpus}",
             "--object-store-memory=150000000", "--disable-usage-stats", *args],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def _wait_for(self, process: subprocess.Popen, name: str) -> None:
        deadline = time.monotonic() + _STARTUP_S
        log = self.folder / f"{name}.log"
        while time.monotonic() < deadline:
            if "block forever" in log.read_text(errors="replace"):
                return
            if process.poll() is not None:
                raise RuntimeError(f"ray start ({name}) exited: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        raise RuntimeError(f"ray start ({name}) not up after {_STARTUP_S} s")

    def start(self) -> LocalCluster:
        head = self._ray(
            "head", "--head", f"--port={self.port}", f"--temp-dir={self.folder / 'ray'}",
            "--include-dashboard=false", f"--ray-client-server-port={self.client_port}",
        )  # fmt: skip
        self._wait_for(head, "head")
        self.add_node()
        return self

    def add_node(self) -> subprocess.Popen:
        name = f"node{len(self.processes)}"
        node = self._ray(name, f"--address={self.address}")
        self._wait_for(node, name)
        return node

    def connect(self) -> None:
        from backend.cluster import connect

        connect(self.address)
        import ray

        deadline = time.monotonic() + _STARTUP_S
        while sum(1 for n in ray.nodes() if n["Alive"]) < len(self.processes):
            if time.monotonic() > deadline:
                raise RuntimeError("the second node did not join the cluster")
            time.sleep(0.5)

    def stop_node(self, process: subprocess.Popen) -> None:
        """Stop one node as a crash would look to the others (its processes killed)."""
        _kill_group(process, signal.SIGKILL)
        process.wait(30)

    def stop(self) -> None:
        try:
            import ray

            if ray.is_initialized():
                ray.shutdown()
        except ImportError:
            pass
        for process in reversed(self.processes):
            _kill_group(process, signal.SIGTERM)
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(60)
        for process in self.processes:
            _kill_group(process, signal.SIGKILL)
        for pid in leftover_pids(self.folder):  # anything that left the groups still names our folder
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.processes.clear()


def _kill_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)  # the node's raylet, GCS and workers are in its session


def leftover_pids(folder: Path) -> list[int]:
    """Processes whose command line or open session folder names this cluster's folder."""
    mine = str(folder)
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if mine in cmdline:
            pids.append(int(entry.name))
    return pids
