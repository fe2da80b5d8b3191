"""The booking's Capture page: live capture of slaps, thumbs and rolled prints, then the review.

Left, the hand diagram (every step's state, click to pick one); in the middle the live preview
with guidance, then the captured print with its finger boxes and quality block map; right, the
step, its attempts and qualities, and the actions. Space takes the image now (manual capture);
the scanner captures by itself when the print is stable. The scanner runs in its own thread
(`capture_worker`), judging a capture runs there too; the UI thread only paints.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from booking_station.runtime import UserError
from desktop.station.capture import (
    AMPUTATED,
    MAX_ATTEMPTS,
    UNABLE,
    Attempt,
    CaptureWorkflow,
    Step,
    Verdict,
)
from desktop.station.operators import OperatorInfo
from desktop.ui._worker import run_in_thread
from desktop.ui.booking_pages import PageContext
from desktop.ui.capture_text import finger_name, state_text, step_label
from desktop.ui.capture_views import HandDiagram, PrintView
from desktop.ui.capture_worker import ScannerThread, to_qimage
from desktop.ui.station_text import station_text
from drivers.api import FingerStatus, FingerStatusChanged, Scanner, ScannerState

_log = logging.getLogger(__name__)
PREVIEW_OVERLAY_S = 1.0  # seconds between quality overlays on the live preview


def _open_configured(context: PageContext) -> Callable[[], Scanner]:
    def open_scanner() -> Scanner:
        from drivers.registry import open_device

        return open_device(context.station.config.scanner)

    return open_scanner


def guidance(step: Step, status: FingerStatusChanged | None, state: ScannerState | None) -> tuple[str, str]:
    """What to tell the subject now, and how loud (info, warn, ok)."""
    place = {
        13: QCoreApplication.translate("CapturePage", "Place the RIGHT four fingers flat on the platen"),
        14: QCoreApplication.translate("CapturePage", "Place the LEFT four fingers flat on the platen"),
        15: QCoreApplication.translate("CapturePage", "Place BOTH thumbs flat on the platen"),
    }.get(
        step.position,
        QCoreApplication.translate("CapturePage", "Roll the %1 nail edge to nail edge").replace(
            "%1", finger_name(step.position)
        ),
    )
    if state is ScannerState.AWAIT_FINGER_OFF:
        return QCoreApplication.translate("CapturePage", "Lift the fingers"), "ok"
    if status is None or status.status is FingerStatus.NONE:
        return place, "info"
    if status.status is FingerStatus.TOO_LIGHT:
        return QCoreApplication.translate("CapturePage", "Press harder"), "warn"
    if status.status is FingerStatus.TOO_DARK:
        return QCoreApplication.translate("CapturePage", "Press more lightly"), "warn"
    if status.status is FingerStatus.OFF_CENTRE:
        return QCoreApplication.translate("CapturePage", "Centre the finger(s) on the platen"), "warn"
    if status.status is FingerStatus.WRONG_FINGER_COUNT:
        expected = QCoreApplication.translate("CapturePage", "%n finger(s) expected", None, len(step.fingers))
        if status.finger_count is None:
            return expected, "warn"
        seen = QCoreApplication.translate("CapturePage", "%n seen", None, status.finger_count)
        return f"{expected} ({seen})", "warn"
    return QCoreApplication.translate("CapturePage", "Hold still…"), "ok"


class SupervisorDialog(QDialog):
    """A supervisor signs an override with their own name and password and a reason."""

    def __init__(self, context: PageContext, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Supervisor override"))
        self._context = context
        self.supervisor: OperatorInfo | None = None
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit()
        self.message = QLabel()
        self.message.setStyleSheet("color: #c5221f")
        form = QFormLayout(self)
        form.addRow(QLabel(what))
        form.addRow(self.tr("Supervisor"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if not self.reason.text().strip():
            self.message.setText(self.tr("Give a reason."))
            return
        who = self._context.station.operators.authenticate(self.user.text(), self.password.text())
        if who is None or not who.is_supervisor:
            self.message.setText(self.tr("Not a supervisor's name and password."))
            return
        self.supervisor = who
        self.accept()


class AnnotateDialog(QDialog):
    """Mark a finger XX (amputated) or UP (unable to print), with a reason."""

    def __init__(self, finger: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Finger cannot be printed"))
        self.code: str | None = None
        self.reason = QLineEdit()
        layout = QFormLayout(self)
        layout.addRow(QLabel(self.tr("The %1 cannot be printed:").replace("%1", finger_name(finger))))
        layout.addRow(self.tr("Reason"), self.reason)
        row = QHBoxLayout()
        for code, text in ((AMPUTATED, self.tr("Amputated (XX)")), (UNABLE, self.tr("Unable to print (UP)"))):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, c=code: self._pick(c))
            row.addWidget(b)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        layout.addRow(row)
        self.message = QLabel()
        layout.addRow(self.message)

    def _pick(self, code: str) -> None:
        if not self.reason.text().strip():
            self.message.setText(self.tr("Give a reason."))
            return
        self.code = code
        self.accept()


class CapturePage(QWidget):
    """The Capture tab of a booking (see desktop/ui/booking_pages.py)."""

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        open_scanner: Callable[[], Scanner] | None = None,
        workflow: CaptureWorkflow | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.workflow = workflow or CaptureWorkflow(context.station, context.booking_id, context.operator)
        self._open_scanner = open_scanner or _open_configured(context)
        self._scanner: ScannerThread | None = None
        self._device = None
        self._running: Step | None = None
        self._selected: Step | None = None
        self._finger_status: FingerStatusChanged | None = None
        self._scanner_state: ScannerState | None = None
        self.last_attempt: Attempt | None = None
        self.timings: list[float] = []  # seconds from the scanner's result to its quality on screen
        self.frame_times: list[float] = []  # when each preview frame was painted (monotonic)
        self.scanner_problem: str | None = None
        self.advance_delay_ms = 900  # time to read the verdict before the next step starts
        self._overlay_busy = False  # a preview block map is being computed
        self._overlay_at = 0.0
        self._epoch = 0  # counts captures judged, so late preview overlays are dropped
        self.auto_advance = True  # start the next step by itself (off: the clerk presses Start)

        self.stack = QStackedWidget()
        self.capture_screen = QWidget()
        self._build_capture_screen()
        from desktop.ui.capture_review import ReviewScreen

        self.review = ReviewScreen(self)
        self.stack.addWidget(self.capture_screen)
        self.stack.addWidget(self.review)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self._frame_timer = QTimer(self)
        self._frame_timer.setInterval(10)  # paint the newest frame; never more often than it comes
        self._frame_timer.timeout.connect(self._show_frame)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self.capture_screen, self.manual_capture)
        self.refresh()

    # --- layout -------------------------------------------------------------------------------

    def _build_capture_screen(self) -> None:
        self.hand = HandDiagram()
        self.hand.picked.connect(self.select_step)
        self.view = PrintView()
        self.step_title = QLabel()
        font = self.step_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.step_title.setFont(font)
        self.step_title.setWordWrap(True)
        self.attempt_label = QLabel()
        self.attempt_label.setWordWrap(True)
        self.quality_label = QLabel()
        self.quality_label.setWordWrap(True)
        self.quality_label.setTextFormat(Qt.TextFormat.RichText)
        self.scanner_label = QLabel()
        self.scanner_label.setWordWrap(True)
        self.capture_button = QPushButton(self.tr("Capture now (Space)"))
        self.capture_button.clicked.connect(self.manual_capture)
        self.start_button = QPushButton(self.tr("Start capture"))
        self.start_button.clicked.connect(lambda: self.start_capture())
        self.reconnect_button = QPushButton(self.tr("Reconnect scanner"))
        self.reconnect_button.clicked.connect(lambda: self.connect_scanner())
        self.annotate_button = QPushButton(self.tr("Finger cannot be printed (XX / UP)…"))
        self.annotate_button.clicked.connect(self._annotate_dialog)
        self.override_button = QPushButton(self.tr("Supervisor override…"))
        self.override_button.clicked.connect(self._override_dialog)
        self.review_button = QPushButton(self.tr("Review all prints →"))
        self.review_button.clicked.connect(self.show_review)
        side = QVBoxLayout()
        for w in (self.step_title, self.attempt_label, self.quality_label, self.scanner_label):
            side.addWidget(w)
        side.addStretch(1)
        for w in (
            self.start_button,
            self.capture_button,
            self.annotate_button,
            self.override_button,
            self.reconnect_button,
            self.review_button,
        ):
            w.setAutoDefault(False)
            side.addWidget(w)
        left = QVBoxLayout()
        left.addWidget(self.hand)
        self.legend = QLabel(
            self.tr(
                "<b>Legend</b>: grey to do · green captured (quality) · yellow kept below threshold · "
                "orange retake · dark XX amputated · grey UP unable to print · blue skipped by supervisor"
            )
        )
        self.legend.setWordWrap(True)
        left.addWidget(self.legend)
        # Which prints this booking takes (Settings → Capture plan): no one waits for rolled prints.
        self.plan_label = QLabel(
            self.tr("<b>Capture plan</b>: %1").replace("%1", station_text(self.workflow.plan.description))
        )
        self.plan_label.setWordWrap(True)
        left.addWidget(self.plan_label)
        left.addStretch(1)
        row = QHBoxLayout(self.capture_screen)
        row.addLayout(left, 3)
        row.addWidget(self.view, 5)
        row.addLayout(side, 2)

    # --- the page protocol --------------------------------------------------------------------

    def refresh(self) -> None:
        current = self._running or self._selected or self.workflow.next_step()
        self.hand.set_status(self.workflow.statuses(), current.position if current else None)
        self._update_side(current)

    def can_leave(self) -> bool:
        if self._running is not None:
            QMessageBox.information(
                self, self.tr("Capture running"), self.tr("Finish or cancel the capture first.")
            )
            return False
        return True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._scanner is None:
            self.connect_scanner()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the scanner thread (the booking view is closing)."""
        self._frame_timer.stop()
        if self._scanner is not None:
            self._scanner.stop()
            self._scanner = None

    # --- scanner ------------------------------------------------------------------------------

    def connect_scanner(self) -> None:
        if self._scanner is None:
            self._scanner = ScannerThread(self._open_scanner, self.workflow)
            w = self._scanner.worker
            w.opened.connect(self._on_opened)
            w.state.connect(self._on_state)
            w.finger_status.connect(self._on_finger_status)
            w.judging.connect(self._on_judging)
            w.attempt.connect(self._on_attempt)
            w.error.connect(self._on_error)
            w.finished.connect(self._on_finished)
            self.destroyed.connect(self._scanner.stop)  # the booking view closed
        self.scanner_label.setText(self.tr("Connecting to the scanner…"))
        self._scanner.open()

    @Slot(object)
    def _on_opened(self, info) -> None:
        self._device = info
        self.scanner_problem = None
        self.scanner_label.setText(f"{info.vendor} {info.model} · {info.ppi:.0f} ppi")
        self.reconnect_button.setVisible(False)
        self.refresh()
        if self.auto_advance and self.isVisible() and self._running is None and self.workflow.next_step():
            self.start_capture()

    def start_capture(self, step: Step | None = None) -> None:
        step = step or self._selected or self.workflow.next_step()
        if step is None:
            self.show_review()
            return
        if self._running is not None or self._scanner is None or self._device is None:
            return
        if step.mode not in self._device.modes:
            # e.g. a single-finger sensor asked for a slap: say so instead of failing in the driver.
            self._selected = step
            self.scanner_label.setText(
                self.tr(
                    "%1 cannot take %2 captures. Use a livescan that can, or a supervisor may override this step."
                )
                .replace("%1", f"{self._device.vendor} {self._device.model}")
                .replace("%2", step.mode.value)
            )
            self.view.set_banner(self.tr("This scanner cannot take this print"), "error")
            self.refresh()
            return
        self._running = step
        self._selected = None
        self._epoch += 1
        self._finger_status = None
        self._scanner_state = None
        self.view.set_polygons([])
        self.view.set_block_map(None)
        self.view.set_image(None)
        self._frame_timer.start()
        self._scanner.capture(step)
        self.refresh()

    def frames_received(self) -> int:
        """Preview frames the scanner delivered so far (for the frame-rate benchmark)."""
        return self._scanner.worker.frames_received if self._scanner is not None else 0

    def manual_capture(self) -> None:
        if self._running is not None and self._scanner is not None:
            self._scanner.worker.trigger()

    def cancel_capture(self) -> None:
        if self._scanner is not None:
            self._scanner.worker.cancel()

    def _show_frame(self) -> None:
        if self._scanner is None:
            return
        frame = self._scanner.worker.latest_frame()
        if frame is None:
            return
        image, ppi, _ts, pixels = frame
        self.view.set_image(image)
        self.view.repaint()  # painted now, so the frame rate measured is the one the clerk sees
        self.frame_times.append(time.monotonic())
        self._preview_overlay(pixels, ppi)

    def _preview_overlay(self, pixels, ppi: float) -> None:
        """The quality block map over the live preview while a finger is down: one computation at a
        time in the thread pool, at most every PREVIEW_OVERLAY_S, so the preview keeps its rate."""
        status = self._finger_status.status if self._finger_status is not None else FingerStatus.NONE
        now = time.monotonic()
        if self._overlay_busy or self._running is None or status is FingerStatus.NONE:
            return
        if now - self._overlay_at < PREVIEW_OVERLAY_S:
            return
        self._overlay_busy, self._overlay_at = True, now
        epoch = self._epoch

        def compute():
            from matcher import quality

            return quality(pixels, ppi)

        def done(report) -> None:
            if not isValid(self.view):
                return
            self._overlay_busy = False
            if epoch == self._epoch and self._running is not None:  # still previewing the same capture
                self.view.set_block_map(report.block_map, report.block_size)

        def failed(exc: Exception) -> None:
            if isValid(self.view):
                self._overlay_busy = False
            _log.debug("preview overlay failed: %s", exc)

        run_in_thread(compute, done, failed)

    @Slot(object)
    def _on_state(self, state: ScannerState) -> None:
        self._scanner_state = state
        self._update_banner()

    @Slot(object)
    def _on_finger_status(self, status: FingerStatusChanged) -> None:
        self._finger_status = status
        self._update_banner()

    def _update_banner(self) -> None:
        if self._running is not None:
            text, level = guidance(self._running, self._finger_status, self._scanner_state)
            self.view.set_banner(text, level)

    @Slot(float)
    def _on_judging(self, _arrived: float) -> None:
        self._frame_timer.stop()
        self._epoch += 1  # preview overlays still being computed are now stale
        self.view.set_banner(self.tr("Checking quality…"), "info")

    @Slot(object, float)
    def _on_attempt(self, attempt: Attempt, arrived: float) -> None:
        self.last_attempt = attempt
        self.show_attempt(attempt)
        self.quality_label.repaint()
        self.timings.append(time.monotonic() - arrived)

    def show_attempt(self, attempt: Attempt) -> None:
        self.view.set_image(to_qimage(attempt.image))
        polygons = []
        if attempt.segmentation is not None:
            for f in attempt.segmentation.fingers:
                q = attempt.finger_quality.get(f.finger)
                name = finger_name(f.finger) if f.finger else "?"
                label = f"{name} {q}" if q is not None else name
                polygons.append(
                    (
                        label,
                        [tuple(map(float, p)) for p in f.polygon],
                        q is not None and q >= self.workflow.threshold,
                    )
                )
        self.view.set_polygons(polygons)
        if attempt.report is not None:
            self.view.set_block_map(attempt.report.block_map, attempt.report.block_size)
        else:
            # The live preview's map is of another frame (and scale): never leave it over the result.
            self.view.set_block_map(None)
            run_in_thread(
                lambda: self.workflow.overlay_report(attempt),
                lambda report: self._show_overlay(attempt, report),
                lambda exc: _log.warning("quality overlay failed: %s", exc),
            )
        label = step_label(attempt.step, capitalised=True)
        text, level = {
            Verdict.ACCEPTED: (self.tr("%1 accepted — quality %2").replace("%2", str(attempt.quality)), "ok"),
            Verdict.RETAKE: (self.tr("%1: retake — ") + "; ".join(attempt.problems), "warn"),
            # The reason says which attempt was kept and what is below the threshold.
            Verdict.KEPT_BEST: (self.tr("%1: ") + attempt.reason, "warn"),
        }[attempt.verdict]
        self.view.set_banner(text.replace("%1", label), level)

    def _show_overlay(self, attempt: Attempt, report) -> None:
        if not isValid(self.view):  # the booking was closed while the overlay was computed
            return
        if self.last_attempt is attempt and self._running is None:  # still the print on screen
            self.view.set_block_map(report.block_map, report.block_size)

    @Slot(str, bool, bool)
    def _on_error(self, message: str, gone: bool, retryable: bool) -> None:
        if retryable:
            # e.g. fingers off-centre: say so and let the step run again by itself.
            self.view.set_banner(message, "warn")
            self.scanner_label.setText(message)
            return
        self.scanner_problem = message
        if gone:
            self._device = None
            self.scanner_label.setText(
                self.tr(
                    "Scanner disconnected: %1. Everything accepted so far is saved. "
                    "Reconnect it, then press Reconnect scanner."
                ).replace("%1", message)
            )
            self.reconnect_button.setVisible(True)
            self.view.set_banner(self.tr("Scanner disconnected"), "error")
        else:
            self.scanner_label.setText(message + self.tr(" — press Start capture to try again."))
            self.view.set_banner(message, "error")

    @Slot()
    def _on_finished(self) -> None:
        self._frame_timer.stop()
        if self._scanner is not None:
            self._scanner.worker.latest_frame()  # drop a late preview frame: the capture stays on screen
        finished = self._running
        self._running = None
        self.refresh()
        self.context.changed()
        # Carry on unless the scanner is gone or reported a problem: a step the clerk picked while
        # this one ran, else (auto-advance) the next step; a retake repeats the step.
        ok = self._device is not None and self.isVisible() and self.scanner_problem is None
        self.scanner_problem = None if self._device is not None else self.scanner_problem
        if not ok:
            return
        picked = self._selected if self._selected != finished else None
        delay = self.advance_delay_ms if self.last_attempt is not None else 0
        if picked is not None:
            QTimer.singleShot(0, self, lambda: self.start_capture(picked))
        elif self.workflow.next_step() is not None:
            if self.auto_advance:
                QTimer.singleShot(delay, self, self._auto_next)
        elif self.last_attempt is not None:
            QTimer.singleShot(delay, self, self.show_review)

    def _auto_next(self) -> None:
        if (
            self._running is None
            and self._device is not None
            and self.stack.currentWidget() is self.capture_screen
        ):
            self.start_capture()

    # --- actions ------------------------------------------------------------------------------

    def select_step(self, position: int) -> None:
        """The clerk picked a step on the hand diagram: capture it next."""
        try:
            step = self.workflow.step(position)
        except UserError as exc:
            self.scanner_label.setText(str(exc))
            return
        self._selected = step
        if self._running is not None and self._running != step:
            self.cancel_capture()  # _on_finished starts the selected step
        elif self._running is None:
            self.start_capture(step)
        self.refresh()

    def _update_side(self, step: Step | None) -> None:
        if step is None:
            self.step_title.setText(self.tr("All prints taken"))
            self.attempt_label.setText(self.tr("Review them and submit."))
            self.quality_label.setText("")
            self.capture_button.setEnabled(False)
            self.annotate_button.setEnabled(False)
            self.override_button.setEnabled(False)
            return
        status = self.workflow.status(step.position)
        self.step_title.setText(step_label(step, capitalised=True))
        self.attempt_label.setText(
            self.tr("Attempt %1 of %2 · state: %3")
            .replace("%1", str(min(status.attempts + 1, MAX_ATTEMPTS)))
            .replace("%2", str(MAX_ATTEMPTS))
            # While this step is on the platen, say so rather than its stored state ("to do").
            .replace("%3", self.tr("capturing") if self._running == step else state_text(status.state))
            + (f"\n{status.note}" if status.note else "")
        )
        rows = []
        missing = self.workflow.missing_fingers()
        for f in step.fingers:
            q = status.finger_quality.get(f)
            if q is None and f in missing:  # say why there is no number, not just "–"
                rows.append(f"{finger_name(f)}: <i>" + self.tr("not printed (XX/UP)") + "</i>")
                continue
            mark = "" if q is None else ("✔" if q >= self.workflow.threshold else "✘")
            rows.append(f"{finger_name(f)}: <b>{'–' if q is None else q}</b> {mark}")
        self.quality_label.setText(
            self.tr("Quality (threshold %1)").replace("%1", str(self.workflow.threshold))
            + "<br>"
            + "<br>".join(rows)
        )
        self.capture_button.setEnabled(self._running is not None)
        self.start_button.setEnabled(self._running is None and self._device is not None)
        self.annotate_button.setEnabled(True)
        self.override_button.setEnabled(True)

    def _current_step(self) -> Step | None:
        return self._running or self._selected or self.workflow.next_step()

    def _annotate_dialog(self) -> None:
        step = self._current_step()
        if step is None:
            return
        finger = step.position if not step.flat else None
        if finger is None:
            QMessageBox.information(
                self,
                self.tr("Pick the finger"),
                self.tr("Click the finger on the hand diagram first (a rolled finger), then mark it."),
            )
            return
        dialog = AnnotateDialog(finger, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.code:
            self.annotate(finger, dialog.code, dialog.reason.text())

    def annotate(self, finger: int, code: str, reason: str) -> None:
        if self._running is not None and finger in self._running.fingers:
            self.cancel_capture()  # the capture expected this finger; it starts again without it
        try:
            self.workflow.annotate(finger, code, reason)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Cannot annotate"), str(exc))
        self._selected = None
        self.refresh()
        self.context.changed()

    def _override_dialog(self) -> None:
        step = self._current_step()
        if step is None:
            return
        dialog = SupervisorDialog(
            self.context, self.tr("Accept “%1” as it is").replace("%1", step_label(step)), self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.supervisor is not None:
            self.override(step.position, dialog.supervisor, dialog.reason.text())

    def override(self, position: int, supervisor: OperatorInfo, reason: str) -> None:
        if self._running is not None and self._running.position == position:
            self.cancel_capture()
        try:
            self.workflow.override(position, supervisor, reason)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Cannot override"), str(exc))
        self._selected = None
        self.refresh()
        self.context.changed()

    def show_review(self) -> None:
        if self._running is not None:
            self.cancel_capture()
        self.review.refresh()
        self.stack.setCurrentWidget(self.review)

    def show_capture(self, step: Step | None = None) -> None:
        self.stack.setCurrentWidget(self.capture_screen)
        self.refresh()
        if step is not None:
            self.select_step(step.position)
        elif self._running is None and self.workflow.next_step() is not None:
            self.start_capture()
