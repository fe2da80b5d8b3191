"""GUI test helpers: waiting for the UI's operations (desktop.ui._worker.op) without sleeps, opening
the main window and logging in with the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ui import _worker


def settle(qtbot, timeout: int = 60_000) -> None:
    """Wait until every operation has reported back and the events it caused were handled."""
    for _ in range(3):  # an operation's result or a queued event may start another
        qtbot.waitUntil(lambda: _worker.pending() == 0, timeout=timeout)
        QApplication.processEvents()
    qtbot.waitUntil(lambda: _worker.pending() == 0, timeout=timeout)


def open_main_window(qtbot, station, *, size: tuple[int, int] | None = None, active: bool = False):
    """Show the station's main window and wait until its first page is decided (off the UI thread)."""
    from desktop.ui.main_window import MainWindow

    win = MainWindow(station)
    qtbot.addWidget(win)
    if size is not None:
        win.resize(*size)
    win.show()
    if active:  # keyboard tests: key clicks go to the focused widget of the active window
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow)
    settle(qtbot)
    return win


def log_in(qtbot, win, username: str, password: str, *, expect_work: bool = True) -> None:
    """Log in with the keyboard as a clerk would: user name, Return, password, Return."""
    page = win.login_page
    page.username.clear()  # the page keeps the last user name
    qtbot.keyClicks(page.username, username)
    qtbot.keyClick(page.username, Qt.Key.Key_Return)
    qtbot.keyClicks(page.password, password)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    settle(qtbot)
    if expect_work:
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.work, timeout=60_000)
