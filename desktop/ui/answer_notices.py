"""Tells the clerk when an answer or a detainer arrives, and keeps a queue of the new ones.

On the core's "response.received" event (desktop/station/events.py, relayed by desktop/ui/events.py)
a notice shows over the window for a few seconds, and the status bar's "New answers (F6)" button
counts what has not been looked at. F6 opens the booking of the answer on the notice (else the first
detainer waiting, else the oldest answer) and takes it off the queue; the button's menu lists them. Only booking numbers and the kind of answer are shown, and only while
someone is logged in; logging out empties the queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QToolButton

from desktop.station.core import Station
from desktop.station.events import Event
from desktop.ui import events

TOAST_MS = 8000  # how long a notice stays over the window

_KINDS = {
    "SRE": QT_TRANSLATE_NOOP("AnswerNotices", "FBI answer"),
    "ERRT": QT_TRANSLATE_NOOP("AnswerNotices", "FBI rejection (ERRT)"),
    "IAR": QT_TRANSLATE_NOOP("AnswerNotices", "immigration response"),
    "DETAINER": QT_TRANSLATE_NOOP("AnswerNotices", "ICE detainer"),
    "DETAINER_CANCEL": QT_TRANSLATE_NOOP("AnswerNotices", "detainer cancelled"),
}
_URGENT = {"DETAINER", "DETAINER_CANCEL"}


@dataclass(frozen=True)
class Notice:
    booking: str  # the booking number
    kind: str  # the response kind (SRE, ERRT, IAR, DETAINER, DETAINER_CANCEL)

    @property
    def urgent(self) -> bool:
        return self.kind in _URGENT

    def words(self) -> str:
        kind = QCoreApplication.translate("AnswerNotices", _KINDS.get(self.kind, _KINDS["SRE"]))
        return QCoreApplication.translate("AnswerNotices", "{kind} for booking {number}").format(
            kind=kind, number=self.booking
        )


class AnswerNotices(QObject):
    """The notice and the queue of one main window. `open_booking(number)` asks to open a booking."""

    open_booking = Signal(str)

    def __init__(self, station: Station, window: QMainWindow) -> None:
        super().__init__(window)
        self.queue: list[Notice] = []
        self._toasted: Notice | None = None  # the answer the notice is about
        self._active = False
        self.button = QToolButton()
        self.button.setObjectName("new-answers")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.button.clicked.connect(self.open_next)
        self.button.setMenu(QMenu(self.button))
        self.button.hide()
        window.statusBar().addPermanentWidget(self.button)
        self.toast = QLabel(window)
        self.toast.setObjectName("answer-notice")
        self.toast.setWordWrap(True)
        self.toast.setTextFormat(Qt.TextFormat.PlainText)
        self.toast.hide()
        self._window = window
        self._hide_toast = QTimer(self)
        self._hide_toast.setSingleShot(True)
        self._hide_toast.timeout.connect(self.toast.hide)
        self.action = QAction(self)
        self.action.setShortcut(QKeySequence("F6"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.open_next)
        window.addAction(self.action)
        events.on(self, station, self._on_event, "response.received")

    def set_active(self, active: bool) -> None:
        """Shown only while someone is logged in; logging out forgets the queue."""
        self._active = active
        if not active:
            self.queue.clear()
            self.toast.hide()
        self._redraw()

    def _on_event(self, event: Event) -> None:
        number = event.booking
        if not self._active or number is None:
            return
        notice = Notice(number, str(event.details.get("kind", "SRE")))
        self.queue.append(notice)
        self._show_toast(notice)
        self._redraw()

    def _show_toast(self, notice: Notice) -> None:
        self._toasted = notice
        colour = "#b00020" if notice.urgent else "#1a73e8"
        self.toast.setStyleSheet(
            f"background: {colour}; color: white; padding: 10px 14px; border-radius: 6px; font-weight: bold"
        )
        self.toast.setText(
            QCoreApplication.translate("AnswerNotices", "Arrived: {what}. F6 opens it.").format(
                what=notice.words()
            )
        )
        width = min(460, self._window.width() - 24)
        self.toast.setFixedWidth(width)
        self.toast.adjustSize()
        self.toast.move(self._window.width() - width - 12, self._window.height() - self.toast.height() - 40)
        self.toast.raise_()
        self.toast.show()
        self._hide_toast.start(TOAST_MS)

    def _redraw(self) -> None:
        count = len(self.queue)
        self.button.setVisible(self._active and count > 0)
        self.button.setText(QCoreApplication.translate("AnswerNotices", "New answers: %n (F6)", None, count))
        urgent = any(n.urgent for n in self.queue)
        self.button.setStyleSheet("color: #b00020; font-weight: bold" if urgent else "font-weight: bold")
        menu = self.button.menu()
        menu.clear()
        for notice in self.queue:
            menu.addAction(notice.words(), lambda n=notice: self._open(n))
        if self.queue:
            menu.addSeparator()
            menu.addAction(QCoreApplication.translate("AnswerNotices", "Clear the list"), self._clear)

    def open_next(self) -> None:
        """F6: the answer on the notice while it shows (it says "F6 opens it"), else the first
        detainer waiting, else the oldest new answer."""
        if not self._active or not self.queue:
            return
        if self.toast.isVisible() and self._toasted in self.queue:
            self._open(self._toasted)
            return
        self._open(next((n for n in self.queue if n.urgent), self.queue[0]))

    def _open(self, notice: Notice) -> None:
        self.queue = [n for n in self.queue if n.booking != notice.booking]
        self.toast.hide()
        self._redraw()
        self.open_booking.emit(notice.booking)

    def _clear(self) -> None:
        self.queue.clear()
        self._redraw()
