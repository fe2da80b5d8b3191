"""Catches store work on the UI thread: a store session opened on the main thread while a desktop/ui
frame is on the stack (test code calling the core directly is fine). Used by tests/desktop/conftest.py."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from desktop.station.db import Store

UI = Path(__file__).resolve().parents[2] / "desktop" / "ui"
# The capture pages move to the operation runner with the capture session (issue 17, item 4, on
# another branch); until then their store calls are known and not counted here.
PENDING = ("capture",)

violations: list[str] = []


def _ui_frame() -> str | None:
    frame = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.parent == UI and not path.name.startswith(PENDING):
            return f"{path.name}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back
    return None


_original = Store.session


def _guarded(self: Store):
    if threading.current_thread() is threading.main_thread():
        where = _ui_frame()
        if where is not None:
            violations.append(where)
    return _original(self)


def install() -> None:
    Store.session = _guarded  # type: ignore[method-assign]
