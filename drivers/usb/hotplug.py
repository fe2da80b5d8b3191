"""Hot-plug: tells listeners when scanners are connected or removed.

pyusb exposes no libusb hot-plug callbacks, and a poll of the bus is cheap (descriptors are
cached by the kernel), so a background thread lists devices every `interval_s` and reports
differences. Listeners are called from that thread; a Qt view forwards them with a queued
signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from drivers.api import DeviceInfo

log = logging.getLogger(__name__)

Listener = Callable[[list[DeviceInfo], list[DeviceInfo]], None]  # (added, removed)


class DeviceWatcher:
    def __init__(
        self, list_devices: Callable[[], list[DeviceInfo]] | None = None, interval_s: float = 1.0
    ) -> None:
        if list_devices is None:
            from drivers.registry import list_devices
        self._list = list_devices
        self._interval = interval_s
        self._known: dict[str, DeviceInfo] = {}
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add_listener(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def devices(self) -> list[DeviceInfo]:
        with self._lock:
            return list(self._known.values())

    def poll(self) -> tuple[list[DeviceInfo], list[DeviceInfo]]:
        """List devices now; tell listeners what changed since the last poll. Returns (added, removed)."""
        try:
            current = {d.id: d for d in self._list()}
        except Exception:  # a flaky bus must not kill the watcher; the next poll tries again
            log.warning("listing scanners failed", exc_info=True)
            return [], []
        with self._lock:
            added = [d for i, d in current.items() if self._known.get(i) != d]
            removed = [d for i, d in self._known.items() if i not in current]
            self._known = current
            listeners = list(self._listeners)
        if added or removed:
            for listener in listeners:
                listener(added, removed)
        return added, removed

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self.poll()
        self._thread = threading.Thread(target=self._run, name="scanner-hotplug", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.poll()
