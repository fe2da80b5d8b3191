"""What every USB driver's `capture` does around its own session: refuse a mode the device does not
take or a closed device, and turn transport failures and garbled device data into ScannerErrors
(so a capture never raises into the station)."""

from __future__ import annotations

from collections.abc import Iterator

from drivers.api import CaptureMode, DeviceInfo, Event, ScannerError, ScannerState, StateChanged
from drivers.usb.transport import TransportError


def guarded_capture(
    info: DeviceInfo, is_open: bool, mode: CaptureMode, session: Iterator[Event], damaged: str
) -> Iterator[Event]:
    """Run `session` (the driver's own capture generator) unless `mode` or the device's state rule it
    out; `damaged` names what the device sends ("image", "answer") when its data cannot be read."""
    if mode not in info.modes:
        supported = ", ".join(m.value for m in info.modes)
        yield ScannerError(
            f"the {info.model} cannot capture {mode.value} (it takes: {supported})", retryable=False
        )
        return
    if not is_open:
        yield ScannerError(f"the {info.model} is not open", retryable=False)
        return
    try:
        yield from session
    except TransportError as exc:
        yield ScannerError(str(exc), retryable=exc.retryable, device_gone=exc.kind == "gone")
        yield StateChanged(ScannerState.IDLE)
    except ValueError as exc:  # the device sent something that is not its protocol
        yield ScannerError(f"the {info.model} sent a damaged {damaged}: {exc}", retryable=True)
        yield StateChanged(ScannerState.IDLE)
