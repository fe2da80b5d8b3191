"""One booking: a header (number, name, status) over a tab per entry of `BOOKING_PAGES`.

Alt+1…Alt+9 jump to a page; Esc goes back to the bookings list (asking each page `can_leave`).

A page is built when its tab is first shown (or asked for with `page(key)`), not when the booking
opens: building all four at once (widgets, the capture session, the rights languages) held the UI
thread for a quarter of a second, and started work (the scanner, the pages' first reads) for pages
the clerk may never look at. `pages` holds the pages built so far.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop.station.bookings import BookingForm, BookingRecord
from desktop.station.core import Station
from desktop.station.operators import OperatorInfo
from desktop.ui import booking_pages, events
from desktop.ui._worker import Reload, off_ui_thread
from desktop.ui.alert_banner import AlertBanner
from desktop.ui.booking_pages import BookingPage, PageContext
from desktop.ui.status import status_text

_log = logging.getLogger(__name__)


class BookingView(QWidget):
    closed = Signal()
    booking_changed = Signal(int)

    def __init__(
        self, station: Station, operator: OperatorInfo, booking_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._station = station
        self.context = PageContext(station, operator, booking_id, self._on_changed)
        self.title = QLabel()
        self.title.setObjectName("booking_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        back = QPushButton(self.tr("← Bookings (Esc)"))
        back.setAutoDefault(False)
        back.clicked.connect(self.request_close)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(back)
        # Alerts a clerk must acknowledge (an answer naming another person) stand over every page.
        self.alerts = AlertBanner(station, operator, booking_id, self)
        self.tabs = QTabWidget()
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.alerts)
        layout.addWidget(self.tabs, 1)
        self.pages: dict[str, QWidget] = {}  # the pages built so far, by key
        self._slots: dict[str, _PageSlot] = {}  # each tab's holder, its page built on first show
        QShortcut(QKeySequence("Esc"), self, self.request_close)
        for n in range(1, 10):
            QShortcut(QKeySequence(f"Alt+{n}"), self, lambda i=n - 1: self._jump(i))
        self.record: BookingRecord | None = None
        self._title = Reload(self._read_title, self._show_title)
        events.on(self, station, self._on_event, "booking.", "submission.", "response.")
        self._build_pages()
        self._update_title()

    def _visible_entries(self) -> list[BookingPage]:
        return [
            p
            for p in booking_pages.BOOKING_PAGES
            if p.allowed(self.context.operator)
            and (self.context.booking_id is not None or not p.needs_saved_booking)
        ]

    def _build_pages(self) -> None:
        """A tab for each page the booking may show now (its page is built when first shown)."""
        for entry in self._visible_entries():
            if entry.key not in self._slots:
                self._slots[entry.key] = slot = _PageSlot(entry)
                self.tabs.addTab(slot, entry.label())  # the first tab added is shown: built now

    def page(self, key: str) -> QWidget | None:
        """The page `key`, built now if it was not yet (None: no such tab for this booking)."""
        slot = self._slots.get(key)
        if slot is None:
            return None
        if key not in self.pages:
            try:
                page = slot.entry.build(self.context, slot)
            except Exception:
                # A broken page must not take the booking (and its saved data) down with it.
                _log.exception("booking page %r failed to open", key)
                page = QLabel(self.tr("This page could not be opened; see the log for details."))
            self.pages[key] = page
            slot.hold(page)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget | None:
        """Show the tab of page `key` (built if needed) and return the page."""
        slot = self._slots.get(key)
        if slot is None:
            return None
        self.tabs.setCurrentWidget(slot)
        return self.page(key)

    def current_page(self) -> QWidget | None:
        """The page of the tab shown."""
        slot = self.tabs.currentWidget()
        return self.page(slot.entry.key) if isinstance(slot, _PageSlot) else None

    def _jump(self, index: int) -> None:
        if index < self.tabs.count():
            self.tabs.setCurrentIndex(index)
            page = self.tabs.widget(index)
            focused = QApplication.focusWidget()
            if focused is None or not page.isAncestorOf(focused):
                _focus_first(page)  # the keyboard goes on inside the page, not on the tab bar

    def _tab_shown(self, index: int) -> None:
        slot = self.tabs.widget(index)
        if not isinstance(slot, _PageSlot):
            return
        page = self.page(slot.entry.key)
        if hasattr(page, "refresh"):
            page.refresh()

    def _on_changed(self) -> None:
        """A page changed the booking: show pages that need a saved booking, refresh header and list."""
        self._build_pages()
        self._update_title()
        if self.alerts.booking_id != self.context.booking_id:
            self.alerts.set_booking(self.context.booking_id)
        current = self.tabs.currentWidget()
        for page in self.pages.values():
            if page is not current and hasattr(page, "refresh"):
                page.refresh()
        if self.context.booking_id is not None:
            self.booking_changed.emit(self.context.booking_id)

    def _update_title(self) -> None:
        if self.context.booking_id is None:
            self.title.setText(self.tr("New booking"))
            return
        self._title()

    @off_ui_thread
    def _read_title(self) -> BookingRecord | None:
        booking_id = self.context.booking_id
        return self._station.bookings.get(booking_id) if booking_id is not None else None

    def _show_title(self, record: BookingRecord | None) -> None:
        if record is not None and record.id == self.context.booking_id:
            self.record = record
            self.title.setText(f"{record.number} · {record.name} · {status_text(record.state)}")

    def _on_event(self, event) -> None:
        if self.record is not None and event.booking == self.record.number:
            self._update_title()

    def can_leave(self, proceed: Callable[[], None] | None = None) -> bool:
        """Asks each page; a page that saves first calls `proceed()` when done (see booking_pages)."""
        for page in self.pages.values():
            ask = getattr(page, "can_leave", None)
            if ask is None:
                continue
            takes_proceed = len(inspect.signature(ask).parameters) > 0
            if not (ask(proceed) if takes_proceed else ask()):
                return False
        return True

    def unsaved_details(self) -> BookingForm | None:
        """What the clerk typed on the Details page and has not saved (None when nothing)."""
        page = self.pages.get("details")
        if page is None or not page.dirty():  # type: ignore[attr-defined]
            return None
        return page.form.form()  # type: ignore[attr-defined]

    def request_close(self) -> None:
        if self.can_leave(self.request_close):
            self.closed.emit()


class _PageSlot(QWidget):
    """A tab's holder: empty until its page is built, then the page fills it."""

    def __init__(self, entry: booking_pages.BookingPage) -> None:
        super().__init__()
        self.entry = entry
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def hold(self, page: QWidget) -> None:
        self._layout.addWidget(page)
        page.show()  # a child added after its parent was shown stays hidden until told
        self.setFocusProxy(page)


def _focus_first(page: QWidget) -> None:
    """Give the focus to the page's first widget that Tab would reach."""
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (
            page.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            return
        widget = widget.nextInFocusChain()
