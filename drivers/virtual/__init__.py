"""The virtual scanner: a first-class device that captures synthetic fingerprints with ground truth.

    from drivers.virtual import control, Fault, Timing
    control().present(42, missing={5}, bandaged={3})   # subject 42 at the scanner
    control().inject(Fault.RETRY)                        # the next capture asks for a retry
    scanner = drivers.registry.open_device("virtual")

The same control is reachable from other processes through a unix socket (see `_socket` and
docs/virtual-scanner.md): `booking-station scanners virtual COMMAND` or any line-based client.
"""

from __future__ import annotations

from drivers.api import DeviceInfo, Scanner
from drivers.virtual._control import Fault, Subject, Timing, VirtualControl, control
from drivers.virtual._scanner import DEVICE_ID, INFO, VirtualScanner, render_with


class _Provider:
    def devices(self) -> list[DeviceInfo]:
        return [INFO]

    def open(self, device_id: str) -> Scanner | None:
        return VirtualScanner() if device_id == DEVICE_ID else None


def provider() -> _Provider:
    return _Provider()


def serve_control() -> bool:
    """Serve the process-wide control on its unix socket until the process ends (idempotent).

    The station calls this at start when its scanner is the virtual one, so `booking-station
    virtual-scanner ...` works before the first capture and after an unplug.
    """
    from drivers.virtual._socket import serve

    return serve(control())


def send(command: str) -> str:
    """One control-socket command to the virtual scanner of a running station; returns the reply."""
    from drivers.virtual._socket import send as _send

    return _send(command)


__all__ = [
    "DEVICE_ID",
    "Fault",
    "Subject",
    "Timing",
    "VirtualControl",
    "VirtualScanner",
    "control",
    "provider",
    "render_with",
    "send",
    "serve_control",
]
