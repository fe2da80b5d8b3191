"""How a booking's state reads and looks in the UI: the one table of words for where a booking
stands, used by the booking header, the bookings list, the Responses page and the status bar
(the state itself comes from the core: desktop/station/booking_state.py)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from desktop.station.booking_state import BookingState

_TEXT = {
    BookingState.DRAFT: QT_TRANSLATE_NOOP("BookingStatus", "Draft"),
    BookingState.CAPTURED: QT_TRANSLATE_NOOP("BookingStatus", "Captured"),
    BookingState.WAITING_TO_SEND: QT_TRANSLATE_NOOP("BookingStatus", "Waiting to be sent"),
    BookingState.AWAITING_ANSWER: QT_TRANSLATE_NOOP("BookingStatus", "Sent, awaiting answer"),
    BookingState.ANSWERED: QT_TRANSLATE_NOOP("BookingStatus", "Answered"),
    BookingState.REJECTED: QT_TRANSLATE_NOOP("BookingStatus", "Rejected"),
    BookingState.DETAINER: QT_TRANSLATE_NOOP("BookingStatus", "Detainer"),
}
_COLOUR = {
    BookingState.DRAFT: "#5f6368",
    BookingState.CAPTURED: "#1a73e8",
    BookingState.WAITING_TO_SEND: "#b06000",
    BookingState.AWAITING_ANSWER: "#b06000",
    BookingState.ANSWERED: "#188038",
    BookingState.REJECTED: "#b00020",
    BookingState.DETAINER: "#b00020",
}


def status_text(state: BookingState) -> str:
    return QCoreApplication.translate("BookingStatus", _TEXT[state])


def status_colour(state: BookingState) -> QColor:
    return QColor(_COLOUR[state])
