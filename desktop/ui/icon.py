"""The application icon (resources/icons/booking-station.svg), for every window and dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

ICON_PATH = Path(__file__).resolve().parents[2] / "resources" / "icons" / "booking-station.svg"
# Matches installer/booking-station.desktop, so a desktop shell groups the window under the entry.
DESKTOP_FILE_NAME = "booking-station"


def app_icon() -> QIcon:
    return QIcon(str(ICON_PATH))


def install(app: QApplication) -> None:
    """Windows and dialogs without an icon of their own (message boxes too) show the application's."""
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(DESKTOP_FILE_NAME)
