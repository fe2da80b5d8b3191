"""The pages of a booking's detail view, and how other parts add theirs.

A booking opens in a `BookingView` (desktop/ui/booking_view.py) with one tab per entry of
`BOOKING_PAGES`, in list order, reachable with Alt+1, Alt+2, … To add a page (Capture, Responses,
Detainer, …), add ONE line to `BOOKING_PAGES`:

    BookingPage("capture", QT_TRANSLATE_NOOP("BookingPages", "Capture"), "desktop.ui.capture:CapturePage"),

and write the widget class it names. The module is imported only when a booking is opened, so
heavy imports (numba, OpenCV) never slow the start. The class is built as `Class(context, parent)`
with a `PageContext` and must be a `QWidget`. It may also define:

- `refresh(self) -> None`: called each time its tab is shown and when the booking changed
  elsewhere (status, another page's save): re-read what it shows from the core objects;
- `can_leave(self) -> bool`: asked before the booking is closed or the operator logs out; return
  False (after telling the operator why, e.g. "a capture is running") to stay. A page that may save
  first takes `can_leave(self, proceed)`: it returns False, saves, and calls `proceed()` once saved
  (which asks again and now leaves).

A page reads and changes the booking only through the core objects in `context.station`, always
with `desktop.ui._worker.op` (or its `Reload`): the UI thread never waits on the database. It
refreshes on the core's events (`desktop.ui.events.on(self, station, self.refresh, "booking.")`),
not on timers, and calls `context.changed()` after it changed the booking so the header and the
other pages refresh at once. A page with `needs_saved_booking=True` (all but Details) is shown once the
new booking has been saved. `roles` limits a page to some roles (None: everyone).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop.station.core import Station
from desktop.station.models import Role
from desktop.station.operators import OperatorInfo


@dataclass
class PageContext:
    station: Station
    operator: OperatorInfo
    booking_id: int | None  # None only for a new, unsaved booking (Details page)
    changed: Callable[[], None]  # call after changing the booking


@dataclass(frozen=True)
class BookingPage:
    key: str
    title: str  # English, marked with QT_TRANSLATE_NOOP("BookingPages", …); shown translated
    widget: str  # "package.module:ClassName"
    needs_saved_booking: bool = True
    roles: frozenset[Role] | None = None

    def label(self) -> str:
        return QCoreApplication.translate("BookingPages", self.title)

    def allowed(self, operator: OperatorInfo) -> bool:
        return self.roles is None or operator.role in self.roles

    def module(self) -> str:
        return self.widget.partition(":")[0]

    def build(self, context: PageContext, parent: QWidget | None = None) -> QWidget:
        module_name, _, class_name = self.widget.partition(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        return cls(context, parent)


BOOKING_PAGES: list[BookingPage] = [
    BookingPage(
        "details",
        QT_TRANSLATE_NOOP("BookingPages", "Details"),
        "desktop.ui.booking_form:BookingDetailsPage",
        needs_saved_booking=False,
    ),
    BookingPage("capture", QT_TRANSLATE_NOOP("BookingPages", "Capture"), "desktop.ui.capture:CapturePage"),
    BookingPage(
        "responses", QT_TRANSLATE_NOOP("BookingPages", "Responses"), "desktop.ui.responses_page:ResponsesPage"
    ),
    BookingPage(
        "detainer", QT_TRANSLATE_NOOP("BookingPages", "Detainer"), "desktop.ui.detainer_page:DetainerPage"
    ),
]


# Modules the pages import when first used (an import inside a function: a cycle, a screen shown
# only after a capture, the scanner's drivers opened by the capture's thread), loaded with theirs.
_ALSO_IMPORTED = (
    "desktop.ui.capture_review",
    "drivers.registry",
    "drivers.virtual",
    "drivers.virtual._frames",  # imported by a capture's first frame, on the capture's thread
    "drivers.virtual._scene",
    "drivers.virtual._socket",
    "drivers.usb._provider",
    # A slap's checks: run by an operation thread, their results unpickled by the compute pool's
    # thread as these modules' objects; the virtual scanner draws with numpy.random (loaded by
    # numpy on first use); the pool's first worker process is started by the capture's thread.
    "desktop.station.capture_checks",
    "drivers.platen",
    "matcher._quality",
    "matcher.slaps",
    "numpy.random",
    "multiprocessing.popen_spawn_posix",
    "multiprocessing.resource_tracker",
    "multiprocessing.synchronize",
)


def warm_up() -> None:
    """Import every page's module (the drivers, numpy, the PDF code…) ahead of the first booking
    opened: run at start-up before the window shows (desktop/ui/app.py, `prepare`), so no import
    runs on the UI thread, or holds the interpreter lock in a worker thread, while a clerk works."""
    import datetime as dt

    for module in [page.module() for page in BOOKING_PAGES] + list(_ALSO_IMPORTED):
        try:
            importlib.import_module(module)
        except Exception:  # the page says so itself when it is opened
            logging.getLogger(__name__).exception("booking page module %s failed to import", module)
    dt.datetime.strptime("2000-01-02", "%Y-%m-%d")  # imports _strptime (the form's dates) now
