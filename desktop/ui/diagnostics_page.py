"""Diagnostics for the hardware-tester role: live device list, live preview, conformance run,
capture to an image file and recording a USB session to a file.

The page holds no device logic: the device list comes from `drivers.usb.hotplug.DeviceWatcher`
(hot-plug, via the scanner registry), preview and conformance from `drivers.hwtest`, capture and
record from `drivers.hwtest.files` (the same functions as `scanners capture` and `scanners
record`). Scanners are opened and read only in worker threads; results come back through queued
signals. What a task said (the finger's status, the frame rate) goes when the task ends.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drivers.api import DeviceInfo

_PREVIEW_SECONDS = 24 * 3600.0  # preview runs until the tester stops it


def to_qimage(image: np.ndarray) -> QImage:
    image = np.ascontiguousarray(image)
    h, w = image.shape
    return QImage(image.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


class _Task(QThread):
    """Uses one scanner in its own thread: a preview, a conformance check, a capture to an image
    file ("capture-file") or a recorded USB session ("record")."""

    frame = Signal(object, dict)  # image, stats
    finger = Signal(str)  # the finger's status while a conformance print is taken
    checks = Signal(list)  # [Check]
    saved = Signal(list)  # the files written
    failed = Signal(str)

    def __init__(
        self,
        device_id: str,
        kind: str,
        captures: int = 3,
        parent: QObject | None = None,
        path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.device_id = device_id
        self.kind = kind
        self.captures = captures
        self.path = path
        self._stop = threading.Event()
        self._scanner = None

    def stop(self) -> None:
        self._stop.set()
        scanner = self._scanner
        if scanner is not None:
            scanner.cancel()  # thread-safe: ends a capture waiting for a finger

    def run(self) -> None:
        from drivers import registry
        from drivers.api import FingerStatusChanged, ScannerUnavailable
        from drivers.hwtest import conformance, files, session

        if self.kind in ("capture-file", "record"):
            try:
                if self.kind == "capture-file":
                    result = files.capture_to_file(self.device_id, self.path)
                    self.frame.emit(result.image, {})
                    self.saved.emit([str(self.path)])
                else:
                    recorded = files.record_to_file(self.device_id, self.path, self.captures)
                    self.saved.emit([str(recorded.path), *map(str, recorded.images)])
            except files.ToolFailed as exc:
                self.failed.emit(str(exc))
            return
        try:
            scanner = registry.open_device(self.device_id)
            scanner.open()
        except ScannerUnavailable as exc:
            self.failed.emit(str(exc))
            return
        self._scanner = scanner
        try:
            mode = scanner.info().modes[0]
            if self.kind == "preview":
                stats = session.preview(
                    scanner,
                    mode,
                    _PREVIEW_SECONDS,
                    on_frame=lambda f, s: self.frame.emit(f.image, s.as_dict()),
                    stop=self._stop,
                )
                if stats.errors and not self._stop.is_set():
                    self.failed.emit(stats.errors[-1])
            else:
                images = []
                for _ in range(self.captures):
                    if self._stop.is_set():
                        return
                    result = session.capture_once(
                        scanner,
                        mode,
                        on_event=lambda e: (
                            self.finger.emit(e.status.value) if isinstance(e, FingerStatusChanged) else None
                        ),
                    )
                    self.frame.emit(result.image, {})
                    images.append(result.image)
                self.checks.emit(conformance.run(images, scanner.info().ppi))
        except session.CaptureFailed as exc:
            self.failed.emit(str(exc))
        finally:
            self._scanner = None
            scanner.close()


class DiagnosticsPage(QWidget):
    """Device list on the left; preview, figures and conformance results on the right."""

    _devices_changed = Signal()

    def __init__(self, watcher=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from drivers.usb.hotplug import DeviceWatcher

        self.watcher = watcher or DeviceWatcher()
        self._task: _Task | None = None
        self._pixmap: QPixmap | None = None

        self.devices = QListWidget()
        self.devices.setAccessibleName(self.tr("Scanners"))
        self.devices.setWordWrap(True)
        self.devices.setSpacing(2)
        self.devices.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a40000")
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("<b>Scanners</b> (updates when one is plugged in or removed)")))
        left.addWidget(self.devices, 1)
        left.addWidget(self.problem)

        self.preview = QLabel(self.tr("No preview"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(256, 256)
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.preview.setStyleSheet("background: #f4f4f4; border: 1px solid #ccc")
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self._idle_figures()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # paths to copy
        self.preview_button = QPushButton(self.tr("Start preview"))
        self.preview_button.clicked.connect(self._toggle_preview)
        self.captures = QSpinBox()
        self.captures.setRange(1, 10)
        self.captures.setValue(3)
        self.captures.setPrefix(self.tr("prints: "))
        self.conformance_button = QPushButton(self.tr("Run conformance"))
        self.conformance_button.clicked.connect(self._run_conformance)
        self.capture_file_button = QPushButton(self.tr("Capture to file…"))
        self.capture_file_button.setToolTip(self.tr("Take one print and save it as a PNG, TIFF or BMP image"))
        self.capture_file_button.clicked.connect(self._capture_to_file)
        self.record_button = QPushButton(self.tr("Record USB traffic…"))
        self.record_button.clicked.connect(self._record)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.capture_file_button)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        buttons.addWidget(self.captures)
        buttons.addWidget(self.conformance_button)
        self.results = QTableWidget(0, 4)
        self.results.setHorizontalHeaderLabels(
            [self.tr("Check"), self.tr("Result"), self.tr("Figure"), self.tr("Requirement")]
        )
        # Long requirements wrap inside their column instead of running off the page's edge.
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.results.verticalHeader().hide()
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.figures)
        right.addLayout(buttons)
        right.addWidget(self.status)
        right.addWidget(self.results, 1)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)

        self._devices_changed.connect(self._refresh_devices, Qt.ConnectionType.QueuedConnection)
        self.watcher.add_listener(self._on_hotplug)
        self.watcher.poll()
        self._refresh_devices()
        self._update_buttons()

    # --- device list -------------------------------------------------------------------------
    def start_watching(self) -> None:
        self.watcher.start()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Poll the bus only while the page is on screen.
        super().showEvent(event)
        self.start_watching()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        self.watcher.stop()

    def shutdown(self) -> None:
        """Stop the watcher and any running task; call before the page goes away."""
        self.watcher.remove_listener(self._on_hotplug)
        self.watcher.stop()
        if self._task is not None:
            self._task.stop()
            self._task.wait(5000)

    def _on_hotplug(self, added: list[DeviceInfo], removed: list[DeviceInfo]) -> None:
        self._devices_changed.emit()  # from the watcher thread: queued onto the UI thread

    def _refresh_devices(self) -> None:
        current = self.selected_device()
        self.devices.clear()
        for info in sorted(self.watcher.devices(), key=lambda d: d.id):
            usb = f"USB {info.usb_id} · " if info.usb_id else ""
            item = QListWidgetItem(
                f"{info.vendor} {info.model} · {info.ppi:g} ppi\n{info.id}\n"
                + usb
                + self.tr("driver %1 · serial %2")
                .replace("%1", info.driver)
                .replace("%2", info.serial or "–")
            )
            item.setData(Qt.ItemDataRole.UserRole, info)
            if info.problem:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.devices.addItem(item)
            if current is not None and info.id == current.id:
                self.devices.setCurrentItem(item)
        if self.devices.currentItem() is None and self.devices.count():
            self.devices.setCurrentRow(0)
        if (
            current is not None
            and self._task is not None
            and current.id not in {d.id for d in self.watcher.devices()}
        ):
            self.status.setText(self.tr("%1 was removed.").replace("%1", current.id))
        self._update_buttons()

    def selected_device(self) -> DeviceInfo | None:
        item = self.devices.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _update_buttons(self) -> None:
        info = self.selected_device()
        busy = self._task is not None
        self.problem.setText(info.problem if info is not None and info.problem else "")
        self.preview_button.setEnabled(
            info is not None and (busy and self._task.kind == "preview" or not busy)
        )
        self.preview_button.setText(
            self.tr("Stop preview") if busy and self._task.kind == "preview" else self.tr("Start preview")
        )
        self.conformance_button.setEnabled(info is not None and not busy)
        self.capture_file_button.setEnabled(info is not None and not busy)
        usb = info is not None and info.id.startswith("usb:")
        self.record_button.setEnabled(usb and not busy)
        self.record_button.setToolTip(
            self.tr("Record every USB transfer of the captures to a file that tests can replay")
            if usb or info is None
            else self.tr("Only a USB scanner's traffic can be recorded; %1 is not one").replace("%1", info.id)
        )
        self.devices.setEnabled(not busy)

    # --- preview and conformance ---------------------------------------------------------------
    def _toggle_preview(self) -> None:
        if self._task is not None:
            self._task.stop()
            return
        self._start(_Task(self.selected_device().id, "preview", parent=self))

    def _run_conformance(self) -> None:
        self.results.setRowCount(0)
        self._start(_Task(self.selected_device().id, "conformance", self.captures.value(), parent=self))
        self.status.setText(self.tr("Place a finger on the scanner for each print."))

    def _capture_to_file(self) -> None:
        path = self.ask_path(
            self.tr("Capture to file"),
            "capture.png",
            self.tr("Images (*.png *.tif *.tiff *.bmp)"),
        )
        if path is None:
            return
        self._start(_Task(self.selected_device().id, "capture-file", parent=self, path=path))
        self.status.setText(self.tr("Place a finger on the scanner."))

    def _record(self) -> None:
        path = self.ask_path(self.tr("Record USB traffic"), "recording.json", self.tr("Recordings (*.json)"))
        if path is None:
            return
        self._start(_Task(self.selected_device().id, "record", self.captures.value(), parent=self, path=path))
        self.status.setText(
            self.tr(
                "Recording: place a finger on the scanner for each of %n print(s).", "", self.captures.value()
            )
        )

    def ask_path(self, title: str, name: str, filters: str) -> Path | None:
        """Where to write (a save dialog); None when the tester cancels. Tests replace it."""
        chosen, _filter = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), filters)
        return Path(chosen) if chosen else None

    def _start(self, task: _Task) -> None:
        self._task = task
        task.frame.connect(self._show_frame)
        task.finger.connect(self._show_finger)
        task.checks.connect(self._show_checks)
        task.saved.connect(self._show_saved)
        task.failed.connect(self._show_error)
        task.finished.connect(self._task_finished)
        self.status.setText("")
        self.status.setStyleSheet("")
        self._idle_figures()
        task.start()
        self._update_buttons()

    def _task_finished(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.deleteLater()
        # The live figures (finger status, frame rate) were about the task that just ended.
        self._idle_figures()
        self._update_buttons()

    def _idle_figures(self) -> None:
        self.figures.setText(self.tr("Frame rate –  ·  latency –  ·  finger –"))

    def _show_finger(self, status: str) -> None:
        self.figures.setText(self.tr("Frame rate –  ·  latency –  ·  finger %1").replace("%1", status))

    def _show_saved(self, paths: list) -> None:
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Saved: %1").replace("%1", ", ".join(paths)))

    def _show_frame(self, image: np.ndarray, stats: dict) -> None:
        self._pixmap = QPixmap.fromImage(to_qimage(image))
        self._fit_preview()
        if stats:
            # Over the last second, not since the start: a stall or a slow sensor shows at once.
            latency = stats["last_latency_ms"]
            self.figures.setText(
                self.tr("Frame rate %1/s (last second)  ·  latency %2  ·  finger %3  ·  %4 frames")
                .replace("%1", f"{stats['current_frame_rate']:.2f}")
                .replace("%2", "–" if latency is None else f"{latency:.1f} ms")
                .replace("%3", stats["finger_status"])
                .replace("%4", str(stats["frames"]))
            )

    def _fit_preview(self) -> None:
        if self._pixmap is not None:
            self.preview.setPixmap(
                self._pixmap.scaled(
                    self.preview.contentsRect().size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_preview()

    def _show_checks(self, checks: list) -> None:
        self.results.setRowCount(len(checks))
        for row, check in enumerate(checks):
            verdict = QTableWidgetItem(self.tr("PASS") if check.passed else self.tr("FAIL"))
            verdict.setForeground(Qt.GlobalColor.darkGreen if check.passed else Qt.GlobalColor.darkRed)
            for col, item in enumerate(
                (
                    QTableWidgetItem(check.name),
                    verdict,
                    QTableWidgetItem(check.figure),
                    QTableWidgetItem(check.requirement),
                )
            ):
                item.setToolTip(item.text())
                self.results.setItem(row, col, item)
        self.results.resizeRowsToContents()
        passed = sum(c.passed for c in checks)
        self.status.setText(
            self.tr("Conformance: %1 of %2 checks passed.")
            .replace("%1", str(passed))
            .replace("%2", str(len(checks)))
        )

    def _show_error(self, message: str) -> None:
        self.status.setStyleSheet("color: #a40000")
        saving = self._task is not None and self._task.kind in ("capture-file", "record")
        said = self.tr("Nothing saved: %1") if saving else self.tr("Scanner problem: %1")
        self.status.setText(said.replace("%1", message))
