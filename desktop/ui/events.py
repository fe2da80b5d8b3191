"""The one bridge from the core's events to the UI thread (napari's split: models emit, Qt views subscribe).

    events.on(self, station, self._reload, "booking.", "detainer.")

calls `self._reload(event)` on the UI thread for every event of the station whose topic starts with
one of the prefixes (all when none), for as long as the widget `self` lives. The core publishes on
whichever thread committed (events.py); the bridge only emits a Qt signal, which Qt queues to the
UI thread because the bridge lives there. Pages refresh on events instead of polling timers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal

from desktop.station.core import Station
from desktop.station.events import Event, EventHub


class EventBridge(QObject):
    """Relays every event of one hub to the UI thread as the `event` signal."""

    event = Signal(object)

    def __init__(self, hub: EventHub) -> None:
        super().__init__()
        self._unsubscribe = hub.subscribe(self._relay)

    def _relay(self, event: Event) -> None:
        if shiboken6.isValid(self):
            self.event.emit(event)  # queued to the UI thread when published elsewhere

    def close(self) -> None:
        self._unsubscribe()


_bridges: dict[int, tuple[EventHub, EventBridge]] = {}


def bridge(station: Station) -> EventBridge:
    """The station's bridge, made on first use (on the UI thread)."""
    hub = station.events
    entry = _bridges.get(id(hub))
    if entry is None or entry[0] is not hub or not shiboken6.isValid(entry[1]):
        entry = (hub, EventBridge(hub))
        _bridges[id(hub)] = entry
    return entry[1]


def on(widget: QObject, station: Station, slot: Callable[[Event], None], *topics: str) -> None:
    """Call `slot(event)` on the UI thread for the station's events of `topics`, while `widget` lives."""

    def deliver(event: Event) -> None:
        if shiboken6.isValid(widget) and event.matches(topics):
            slot(event)

    signal = bridge(station).event
    signal.connect(deliver)
    widget.destroyed.connect(lambda *_: _disconnect(signal, deliver))


def _disconnect(signal, deliver) -> None:
    with contextlib.suppress(RuntimeError, TypeError):  # the bridge went first
        signal.disconnect(deliver)
