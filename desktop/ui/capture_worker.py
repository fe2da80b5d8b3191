"""The scanner's own thread: opens the device, runs one capture at a time, judges the result.

The scanner API is a blocking generator, so it lives in a QThread of its own; events come back to
the UI thread as queued signals. Preview frames are converted to QImage here (QImage is safe to
build off the UI thread) and only the newest undrawn frame is kept, so a slow paint never builds a
queue. Judging a result (segmentation, quality, the database write) runs here too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from desktop.station.capture import CaptureWorkflow, Step
from drivers.api import (
    CaptureResult,
    FingerPosition,
    FingerStatusChanged,
    PreviewFrame,
    Scanner,
    ScannerError,
    ScannerUnavailable,
    StateChanged,
)

_log = logging.getLogger(__name__)


def to_qimage(image: np.ndarray) -> QImage:
    """A deep-copied QImage of a 2-D uint8 array."""
    image = np.ascontiguousarray(image)
    h, w = image.shape
    return QImage(image.data, w, h, image.strides[0], QImage.Format.Format_Grayscale8).copy()


class ScannerWorker(QObject):
    opened = Signal(object)  # DeviceInfo
    state = Signal(object)  # ScannerState
    finger_status = Signal(object)  # FingerStatusChanged
    judging = Signal(float)  # the result arrived (time.monotonic()), judging starts
    attempt = Signal(object, float)  # Attempt, time.monotonic() when the result arrived
    error = Signal(str, bool, bool)  # message, device gone, worth trying again at once
    finished = Signal()  # the capture ended (result, error or cancel)

    def __init__(self, open_scanner: Callable[[], Scanner], workflow: CaptureWorkflow) -> None:
        super().__init__()
        self._open_scanner = open_scanner
        self._workflow = workflow
        self._scanner: Scanner | None = None
        self._frame_lock = threading.Lock()
        self._latest: tuple[QImage, float, float, np.ndarray] | None = None  # image, ppi, timestamp, pixels
        self.frames_received = 0

    # Thread-safe controls, called from the UI thread.
    def trigger(self) -> None:
        if self._scanner is not None:
            self._scanner.trigger()

    def cancel(self) -> None:
        if self._scanner is not None:
            self._scanner.cancel()

    def latest_frame(self) -> tuple[QImage, float, float, np.ndarray] | None:
        with self._frame_lock:
            frame, self._latest = self._latest, None
            return frame

    @Slot()
    def open(self) -> None:
        try:
            if self._scanner is None:
                scanner = self._open_scanner()
                scanner.open()
                self._scanner = scanner
            self.opened.emit(self._scanner.info())
        except ScannerUnavailable as exc:
            self._scanner = None
            self.error.emit(str(exc), True, False)
        except Exception as exc:  # a driver bug must not kill the thread; the clerk sees it
            _log.exception("scanner open failed")
            self._scanner = None
            self.error.emit(f"the scanner could not be opened: {exc}", True, False)

    @Slot(object)
    def capture(self, step: Step) -> None:
        if self._scanner is None:
            self.error.emit("no scanner is connected", True, False)
            self.finished.emit()
            return
        # Annotated (XX/UP) fingers are not expected on the platen.
        missing = self._workflow.missing_fingers()
        fingers = tuple(FingerPosition(f) for f in step.fingers if f not in missing)
        try:
            for event in self._scanner.capture(step.mode, fingers):
                if isinstance(event, PreviewFrame):
                    self.frames_received += 1
                    with self._frame_lock:
                        self._latest = (to_qimage(event.image), event.ppi, event.timestamp, event.image)
                elif isinstance(event, FingerStatusChanged):
                    self.finger_status.emit(event)
                elif isinstance(event, StateChanged):
                    self.state.emit(event.state)
                elif isinstance(event, ScannerError):
                    self._report_error(event.message, event.device_gone, event.retryable)
                    if event.device_gone or not event.retryable:
                        break
                elif isinstance(event, CaptureResult):
                    arrived = time.monotonic()
                    self.judging.emit(arrived)
                    try:
                        self.attempt.emit(self._workflow.judge(event), arrived)
                    except Exception as exc:  # a bad image is reported, the capture can be repeated
                        _log.exception("judging a capture failed")
                        self.error.emit(
                            self.tr("the capture could not be judged: %1").replace("%1", str(exc)),
                            False,
                            False,
                        )
        except ScannerUnavailable as exc:
            self._report_error(str(exc), True)
        except Exception as exc:
            _log.exception("capture failed")
            self._report_error(self.tr("the capture failed: %1").replace("%1", str(exc)), False)
        finally:
            self.finished.emit()

    def _report_error(self, message: str, gone: bool, retryable: bool = False) -> None:
        if gone and self._scanner is not None:
            try:
                self._scanner.close()
            except Exception:  # already gone: closing is best effort
                _log.debug("close after unplug failed", exc_info=True)
            self._scanner = None
        self.error.emit(message, gone, retryable and not gone)

    @Slot()
    def close(self) -> None:
        if self._scanner is not None:
            try:
                self._scanner.close()
            finally:
                self._scanner = None


_live: set[ScannerThread] = set()  # running threads, kept alive until stopped (even if their page is gone)


class ScannerThread(QObject):
    """Owns the QThread and the worker; the page talks to this.

    `stop()` runs when the page is destroyed (the booking view closed) or the application quits,
    so a capture thread never outlives its objects.
    """

    _open = Signal()
    _capture = Signal(object)

    def __init__(self, open_scanner: Callable[[], Scanner], workflow: CaptureWorkflow) -> None:
        super().__init__()
        self.thread = QThread()
        self.thread.setObjectName("scanner")
        self.worker = ScannerWorker(open_scanner, workflow)
        self.worker.moveToThread(self.thread)
        self._open.connect(self.worker.open)
        self._capture.connect(self.worker.capture)
        self.thread.start()
        _live.add(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def open(self) -> None:
        self._open.emit()

    def capture(self, step: Step) -> None:
        self._capture.emit(step)

    def stop(self) -> None:
        """Cancel any capture, close the device and end the thread (waits for it); safe twice."""
        if self not in _live:
            return
        _live.discard(self)
        self.worker.cancel()
        self.thread.quit()
        self.thread.wait(5000)
        self.worker.close()  # its thread has ended: safe to call from here
