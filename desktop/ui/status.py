"""How a booking status reads and looks in the UI."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from desktop.station.models import BookingStatus

_TEXT = {
    BookingStatus.DRAFT: QT_TRANSLATE_NOOP("BookingStatus", "Draft"),
    BookingStatus.CAPTURED: QT_TRANSLATE_NOOP("BookingStatus", "Captured"),
    BookingStatus.QUEUED: QT_TRANSLATE_NOOP("BookingStatus", "Queued"),
    BookingStatus.SENT: QT_TRANSLATE_NOOP("BookingStatus", "Sent"),
    BookingStatus.ANSWERED: QT_TRANSLATE_NOOP("BookingStatus", "Answered"),
    BookingStatus.DETAINER: QT_TRANSLATE_NOOP("BookingStatus", "Detainer"),
}
_COLOUR = {
    BookingStatus.DRAFT: "#5f6368",
    BookingStatus.CAPTURED: "#1a73e8",
    BookingStatus.QUEUED: "#b06000",
    BookingStatus.SENT: "#b06000",
    BookingStatus.ANSWERED: "#188038",
    BookingStatus.DETAINER: "#b00020",
}


def status_text(status: BookingStatus) -> str:
    return QCoreApplication.translate("BookingStatus", _TEXT[status])


def status_colour(status: BookingStatus) -> QColor:
    return QColor(_COLOUR[status])
