"""Reaching the Ray cluster: `--cluster auto` (the cluster this machine belongs to, started with
`ray start`) or `--cluster ray://HOST:PORT` (Ray Client, from a machine outside it)."""

from __future__ import annotations

import logging
import re
import socket
from dataclasses import dataclass

from booking_station.runtime import UserError

#: Every actor of the backend lives in this Ray namespace.
NAMESPACE = "booking-station"
_PROBE_S = 5.0  # a TCP connect to the head; a live head answers in milliseconds
_ADDRESS = re.compile(r"^(auto|ray://[^\s:/]+:\d{1,5}|[^\s:/]+:\d{1,5})$")

log = logging.getLogger("backend.cluster")


def require_ray():  # type: ignore[no-untyped-def]
    """The `ray` module, or a UserError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise UserError(
            "--cluster needs Ray, which is not installed here: "
            "pip install 'booking-station[cluster]' (or ./bootstrap test, which installs it)"
        ) from None
    return ray


def check_address(address: str) -> str:
    if not _ADDRESS.match(address or ""):
        raise UserError(f"--cluster {address!r}: give auto, ray://HOST:PORT or HOST:PORT")
    return address


def connect(address: str) -> None:
    """Join the cluster as a driver (once per process; later calls keep the first connection).
    An address where nothing answers is refused even then: it is a mistake whatever came before."""
    ray = require_ray()
    check_address(address)
    _check_listening(address)
    if ray.is_initialized():
        return
    try:
        ray.init(
            address=address,
            namespace=NAMESPACE,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        raise UserError(
            f"cannot reach the Ray cluster at {address}: {exc}. "
            "Start one with `ray start --head` (README, 'Galleries on a Ray cluster')"
        ) from None
    log.info("connected to the Ray cluster at %s (%d node(s))", address, len(alive_nodes()))


def _check_listening(address: str) -> None:
    """A UserError at once when nothing answers at HOST:PORT: Ray itself keeps retrying a silent
    address for minutes (its GCS client), which would look like a hung backend."""
    if address == "auto":
        return  # Ray finds the local cluster itself and says so at once when there is none
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=_PROBE_S):
            pass
    except OSError as exc:
        raise UserError(
            f"cannot reach the Ray cluster at {address}: nothing answers there ({exc.strerror or exc}). "
            "Check the head's address and port, or start one with `ray start --head` "
            "(README, 'Galleries on a Ray cluster')"
        ) from None


@dataclass(frozen=True)
class Node:
    node_id: str
    address: str  # the node's IP address as Ray knows it
    cpus: float


def alive_nodes() -> list[Node]:
    import ray

    return [
        Node(n["NodeID"], n.get("NodeManagerAddress", "?"), float(n.get("Resources", {}).get("CPU", 0)))
        for n in ray.nodes()
        if n.get("Alive")
    ]
