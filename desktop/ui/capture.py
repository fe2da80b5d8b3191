"""The booking's Capture page: it shows a capture session and forwards the clerk's actions.

The session (`desktop.station.capture_session.CaptureSession`, Qt-free) owns the scanner, the
plan, every step's state, auto-advance and the sequence-check gate; it publishes what changed and
this page redraws on those events (relayed to the UI thread as queued signals). Left, the hand
diagram (every step's state, click to pick one); in the middle the live preview with guidance,
then the captured print with its finger boxes and quality block map; right, the step, its
attempts and qualities, and the actions. Space takes the image now (manual capture). Every call
that reads or writes the store runs off the UI thread (`run(call, on_done, on_failed)`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
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

from desktop.station import capture_events as ev
from desktop.station import capture_session as cs
from desktop.station.capture import (
    AMPUTATED,
    MAX_ATTEMPTS,
    UNABLE,
    Attempt,
    CaptureWorkflow,
    Step,
    StepState,
    Verdict,
    preview_report,
)
from desktop.ui._worker import op as run
from desktop.ui.booking_pages import PageContext
from desktop.ui.capture_text import finger_name, state_text, step_label
from desktop.ui.capture_views import HandDiagram, PrintView, to_qimage
from desktop.ui.message_text import error_text, sentence, text
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
    """A supervisor signs an override with their own name and password and a reason.

    `sign(user, password, reason)` does the override (the password check included) off the UI
    thread; the dialog closes when it succeeds and says why when it does not.
    """

    def __init__(
        self, what: str, sign: Callable[[str, str, str], object], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Supervisor override"))
        self._sign = sign
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit()
        self.message = QLabel()
        self.message.setStyleSheet("color: #c5221f")
        self.message.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(QLabel(what))
        form.addRow(self.tr("Supervisor"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _check(self) -> None:
        if not self.reason.text().strip():
            self.message.setText(self.tr("Give a reason."))
            return
        self.buttons.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        user, password, reason = self.user.text(), self.password.text(), self.reason.text()

        def done(_result) -> None:
            if isValid(self):
                self.accept()

        def failed(exc: Exception) -> None:
            if isValid(self):
                self.buttons.setEnabled(True)
                self.message.setText(sentence(error_text(exc)))

        run(lambda: self._sign(user, password, reason), done, failed)


_LIGHT_COLOURS = {"green": "#188038", "amber": "#e37400", "red": "#d93025", "grey": "#9aa0a6"}


def traffic_light(quality: int | None, threshold: int, state: StepState) -> str:
    """A finger's light: green at or above the threshold, amber kept below it (best of the
    attempts), red to be taken again, grey not taken yet."""
    if quality is None:
        return "grey"
    if quality >= threshold:
        return "green"
    return "amber" if state is StepState.LOW_QUALITY else "red"


class AnnotateDialog(QDialog):
    """Mark a finger XX (amputated) or UP (unable to print), with a reason, in one step: the clerk
    picks the finger here (a missing finger cannot be picked by capturing it first)."""

    def __init__(self, fingers: list[int], default: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Finger cannot be printed"))
        self.code: str | None = None
        self.finger = QComboBox()
        for f in fingers:
            self.finger.addItem(finger_name(f), f)
        self.finger.setCurrentIndex(max(0, self.finger.findData(default)))
        self.reason = QLineEdit()
        layout = QFormLayout(self)
        layout.addRow(self.tr("&Finger"), self.finger)
        layout.addRow(self.tr("&Reason"), self.reason)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for code, label in (
            (AMPUTATED, self.tr("&Amputated (XX)")),
            (UNABLE, self.tr("&Unable to print (UP)")),
        ):
            b = QPushButton(label)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, c=code: self._pick(c))
            self.buttons[code] = b
            row.addWidget(b)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        layout.addRow(row)
        self.message = QLabel()
        layout.addRow(self.message)
        self.reason.setFocus()

    def _pick(self, code: str) -> None:
        if not self.reason.text().strip():
            self.message.setText(self.tr("Give a reason."))
            self.reason.setFocus()
            return
        self.code = code
        self.accept()


class _Relay(QObject):
    """Carries the session's events (from its own thread) to the UI thread as queued signals."""

    event = Signal(object)


class CapturePage(QWidget):
    """The Capture tab of a booking (see desktop/ui/booking_pages.py)."""

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        open_scanner: Callable[[], Scanner] | None = None,
        session: cs.CaptureSession | None = None,
        workflow: CaptureWorkflow | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.session: cs.CaptureSession | None = None
        self.annotate_dialog: AnnotateDialog | None = None
        self._device_text = ""  # the scanner line: device, subject, resolution
        self._lights: dict[int, str] = {}
        self._open_scanner = open_scanner or _open_configured(context)
        self._finger_status: FingerStatusChanged | None = None
        self._scanner_state: ScannerState | None = None
        self.last_attempt: Attempt | None = None
        self.timings: list[float] = []  # seconds from the scanner's result to its quality on screen
        self.frame_times: list[float] = []  # when each preview frame was painted (monotonic)
        self._overlay_busy = False  # a preview block map is being computed
        self._overlay_at = 0.0
        self._unsubscribe: Callable[[], None] | None = None
        self._relay = _Relay(self)
        self._relay.event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)

        self.stack = QStackedWidget()
        self.loading = QLabel(self.tr("Loading the prints…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.capture_screen = QWidget()
        self._build_capture_screen()
        self.review = None
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self.capture_screen)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        self._frame_timer = QTimer(self)
        self._frame_timer.setInterval(10)  # paint the newest frame; never more often than it comes
        self._frame_timer.timeout.connect(self._show_frame)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self.capture_screen, self.manual_capture)
        # The whole booking by keyboard: Ctrl+R reviews the prints, Ctrl+Enter submits them.
        QShortcut(QKeySequence("Ctrl+R"), self.capture_screen, lambda: self.show_review())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._submit_key)
        self.destroyed.connect(_closer(self))
        if workflow is not None:  # built by the caller (tests, benchmarks): the session wraps it
            session = cs.CaptureSession(
                context.station, workflow.booking_id, workflow.operator, self._open_scanner, workflow=workflow
            )
        if session is not None:
            self._ready(session)
        else:
            booking, operator, station = context.booking_id, context.operator, context.station
            open_scanner = self._open_scanner

            def make() -> cs.CaptureSession:
                return cs.CaptureSession(station, booking, operator, open_scanner)

            run(make, self._made, self._failed_to_load)

    def _made(self, session: cs.CaptureSession) -> None:
        if not isValid(self):  # the booking was closed while the session was made
            session.close(timeout=0)
            return
        self._ready(session)

    def _failed_to_load(self, exc: Exception) -> None:
        if isValid(self):
            self.loading.setText(self.tr("The prints could not be loaded: %1").replace("%1", error_text(exc)))

    def _ready(self, session: cs.CaptureSession) -> None:
        from desktop.ui.capture_review import ReviewScreen

        self.session = session
        self._unsubscribe = session.subscribe(_forwarder(self._relay))
        self.plan_label.setText(
            self.tr("<b>Capture plan</b>: %1").replace("%1", text(session.plan.description))
        )
        self.review = ReviewScreen(self)
        self.stack.addWidget(self.review)
        self.stack.setCurrentWidget(self.capture_screen)
        self.refresh()
        if self.isVisible():
            self._activate()

    # --- compatibility for callers that drive the page (tests, benchmark, screenshots) ---------

    @property
    def workflow(self) -> CaptureWorkflow:
        return self.session.workflow

    @property
    def auto_advance(self) -> bool:
        return self.session.auto_advance

    @auto_advance.setter
    def auto_advance(self, on: bool) -> None:
        self.session.auto_advance = on

    @property
    def advance_delay_ms(self) -> int:
        return round(self.session.advance_delay * 1000)

    @advance_delay_ms.setter
    def advance_delay_ms(self, ms: int) -> None:
        self.session.advance_delay = ms / 1000

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
        big = self.quality_label.font()
        big.setPointSizeF(big.pointSizeF() * 1.2)  # read from the subject's side of the desk
        self.quality_label.setFont(big)
        self.quality_label.setTextFormat(Qt.TextFormat.RichText)
        self.scanner_label = QLabel()
        self.scanner_label.setWordWrap(True)
        # Said apart from the retake banner, in large type: the clerk must act on the scanner itself.
        self.platen_label = QLabel(
            self.tr(
                "<b>Clean the platen</b><br>Residue of earlier prints is on the scanner glass "
                "(marked in red). Wipe it with a lint-free cloth, then capture again."
            )
        )
        self.platen_label.setObjectName("clean-platen")
        self.platen_label.setWordWrap(True)
        self.platen_label.setTextFormat(Qt.TextFormat.RichText)
        self.platen_label.setStyleSheet(
            "QLabel#clean-platen { background: #fce8e6; color: #a50e0e; border: 1px solid #d93025;"
            " border-radius: 4px; padding: 6px; }"
        )
        self.platen_label.setFont(big)
        self.platen_label.hide()
        self.capture_button = QPushButton(self.tr("Capture now (Space)"))
        self.capture_button.clicked.connect(self.manual_capture)
        self.start_button = QPushButton(self.tr("Start capture"))
        self.start_button.clicked.connect(lambda: self.start_capture())
        self._waiting_banner = ""  # the banner while the last booking's capture ends (_on_waiting)
        self.reconnect_button = QPushButton(self.tr("Reconnect scanner"))
        self.reconnect_button.clicked.connect(lambda: self.connect_scanner())
        self.annotate_button = QPushButton(self.tr("&Finger cannot be printed (XX / UP)…"))
        self.annotate_button.clicked.connect(self._annotate_dialog)
        self.override_button = QPushButton(self.tr("Supervisor override…"))
        self.override_button.clicked.connect(self._override_dialog)
        self.review_button = QPushButton(self.tr("Review all prints (Ctrl+R) →"))
        self.review_button.clicked.connect(self.show_review)
        side = QVBoxLayout()
        for w in (
            self.step_title,
            self.attempt_label,
            self.quality_label,
            self.platen_label,
            self.scanner_label,
        ):
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
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        left.addWidget(self.plan_label)
        left.addStretch(1)
        row = QHBoxLayout(self.capture_screen)
        row.addLayout(left, 3)
        row.addWidget(self.view, 5)
        row.addLayout(side, 2)

    # --- the page protocol --------------------------------------------------------------------

    def refresh(self) -> None:
        if self.session is None:
            return
        current = self.session.current_step()
        self.hand.set_status(self.session.statuses(), current.position if current else None)
        self._update_side(current)

    def can_leave(self) -> bool:
        if self.session is not None and self.session.running is not None:
            QMessageBox.information(
                self, self.tr("Capture running"), self.tr("Finish or cancel the capture first.")
            )
            return False
        return True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.session is not None:
            self._activate()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if self.session is not None:
            self.session.set_active(False)

    def _activate(self) -> None:
        if self.session.device is None and self.session.problem is None:
            self.connect_scanner()
        self.session.set_active(self.stack.currentWidget() is self.capture_screen)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the session (the booking view is closing) without waiting for it: a capture in the
        driver ends on the session's thread, which then closes the scanner. The next booking's
        session waits for that on its own thread, the station's close at exit too."""
        self._frame_timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.session is not None:
            self.session.close(timeout=0)

    # --- the session's events -----------------------------------------------------------------

    @Slot(object)
    def _on_event(self, event: ev.SessionEvent) -> None:
        if not isValid(self.view) or self.session is None:
            return
        handler = {
            ev.ScannerOpened: self._on_opened,
            ev.ScannerProblem: self._on_problem,
            ev.ScannerWaiting: self._on_waiting,
            ev.CaptureStarted: self._on_started,
            ev.ScannerStatus: self._on_scanner_status,
            ev.Judging: self._on_judging,
            ev.AttemptJudged: self._on_attempt,
            ev.CaptureEnded: self._on_ended,
            ev.StepsChanged: lambda _e: self.refresh(),
            ev.GateChanged: self._on_gate,
            ev.PlanComplete: self._on_plan_complete,
            ev.Submitted: self._on_submitted,
        }.get(type(event))
        if handler is not None:
            handler(event)

    def _on_opened(self, event: ev.ScannerOpened) -> None:
        info = event.info
        self.scanner_label.setToolTip("")
        device = f"{info.vendor} {info.model}"
        if info.subject is not None:
            who = (
                self.tr("subject %1") if info.subject_chosen else self.tr("subject %1, not chosen")
            ).replace("%1", str(info.subject))
            device = f"{device}, {who}"
        self._device_text = f"{device} · {info.ppi:.0f} ppi"
        self.scanner_label.setText(self._device_text)
        self.reconnect_button.setVisible(False)
        if self._waiting_banner and self.view.banner == self._waiting_banner:
            self.view.set_banner("")
        self._waiting_banner = ""
        self.refresh()

    def _on_waiting(self, _event: ev.ScannerWaiting) -> None:
        self.scanner_label.setText(
            self.tr("Waiting for the scanner: the booking closed last is still ending its capture.")
        )
        # Where the clerk looks (the preview was an empty black box), and no "Reconnect scanner":
        # nothing is wrong with the scanner, it is still busy.
        self._waiting_banner = self.tr("Waiting for the scanner…")
        self.view.set_banner(self._waiting_banner, "info")
        self.reconnect_button.setVisible(False)

    def _on_problem(self, event: ev.ScannerProblem) -> None:
        said = text(event.problem)
        if event.retryable:
            # e.g. fingers off-centre: the step runs again by itself; the device's words in the tooltip.
            self.view.set_banner(self.tr("The scanner asks for this print again"), "warn")
            self.scanner_label.setToolTip(said)
            return
        if event.gone:
            # The device's own words (English, from its driver) are in the tooltip and the log.
            self.scanner_label.setText(
                self.tr(
                    "Scanner disconnected. Everything accepted so far is saved. "
                    "Reconnect it, then press Reconnect scanner."
                )
            )
            self.scanner_label.setToolTip(said)
            self.reconnect_button.setVisible(True)
            self.view.set_banner(self.tr("Scanner disconnected"), "error")
        elif event.problem.code == "scanner.mode-unsupported":
            self.scanner_label.setText(
                self.tr("%1. Use a livescan that can, or a supervisor may override this step.").replace(
                    "%1", said
                )
            )
            self.view.set_banner(self.tr("This scanner cannot take this print"), "error")
        else:
            self.scanner_label.setText(self.tr("%1 — press Start capture to try again.").replace("%1", said))
            self.view.set_banner(said, "error")
        self.refresh()

    def _on_started(self, _event: ev.CaptureStarted) -> None:
        # What the last capture said about itself is over: the scanner line is the scanner again.
        self.scanner_label.setText(self._device_text)
        self.scanner_label.setToolTip("")
        self._finger_status = None
        self._scanner_state = None
        self.view.set_polygons([])
        self.view.set_block_map(None)
        self.view.set_image(None)
        self._update_banner()
        self._frame_timer.start()
        self.refresh()

    def _on_scanner_status(self, event: ev.ScannerStatus) -> None:
        self._scanner_state, self._finger_status = event.state, event.finger
        self._update_banner()

    def _update_banner(self) -> None:
        running = self.session.running
        if running is not None:
            words, level = guidance(running, self._finger_status, self._scanner_state)
            self.view.set_banner(words, level)

    def _on_judging(self, _event: ev.Judging) -> None:
        self._frame_timer.stop()
        self.view.set_banner(self.tr("Checking quality…"), "info")

    def _on_attempt(self, event: ev.AttemptJudged) -> None:
        self.last_attempt = event.attempt
        self.show_attempt(event.attempt)
        self.quality_label.repaint()
        self.timings.append(time.monotonic() - event.arrived)

    def _on_ended(self, _event: ev.CaptureEnded) -> None:
        self._frame_timer.stop()
        self.session.latest_frame()  # drop a late preview frame: the capture stays on screen
        self.refresh()
        self.context.changed()

    def _on_gate(self, _event: ev.GateChanged) -> None:
        if self.review is not None and self.stack.currentWidget() is self.review:
            self.review.update_gate()

    def _on_plan_complete(self, _event: ev.PlanComplete) -> None:
        if self.last_attempt is not None and self.stack.currentWidget() is self.capture_screen:
            QTimer.singleShot(self.advance_delay_ms, self, self.show_review)

    def _on_submitted(self, event: ev.Submitted) -> None:
        if self.review is not None:
            self.review.submitted(event.result)

    # --- preview ------------------------------------------------------------------------------

    def frames_received(self) -> int:
        """Preview frames the scanner delivered so far (for the frame-rate benchmark)."""
        return self.session.frames_received if self.session is not None else 0

    def _show_frame(self) -> None:
        frame = self.session.latest_frame() if self.session is not None else None
        if frame is None:
            return
        self.view.set_image(to_qimage(frame.image))
        self.view.repaint()  # painted now, so the frame rate measured is the one the clerk sees
        self.frame_times.append(time.monotonic())
        self._preview_overlay(frame.image, frame.ppi)

    def _preview_overlay(self, pixels, ppi: float) -> None:
        """The quality block map over the live preview while a finger is down: one computation at a
        time in the thread pool, at most every PREVIEW_OVERLAY_S, so the preview keeps its rate."""
        status = self._finger_status.status if self._finger_status is not None else FingerStatus.NONE
        now = time.monotonic()
        if self._overlay_busy or self.session.running is None or status is FingerStatus.NONE:
            return
        if now - self._overlay_at < PREVIEW_OVERLAY_S:
            return
        self._overlay_busy, self._overlay_at = True, now
        epoch = self.session.epoch

        def compute():
            return preview_report(pixels, ppi)

        def done(report) -> None:
            if not isValid(self.view):
                return
            self._overlay_busy = False
            if epoch == self.session.epoch and self.session.running is not None:  # still the same capture
                self.view.set_block_map(report.block_map, report.block_size)

        def failed(exc: Exception) -> None:
            if isValid(self.view):
                self._overlay_busy = False
            _log.debug("preview overlay failed: %s", exc)

        run(compute, done, failed)

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
                        q is not None and q >= self.session.threshold,
                    )
                )
        if attempt.dirty_platen:
            # The largest smudge is named; the others are outlined only, so the print stays readable.
            boxes = sorted(attempt.platen.boxes, key=lambda b: b[2] * b[3], reverse=True)
            for i, (x, y, w, h) in enumerate(boxes):
                box = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                polygons.append(
                    (self.tr("residue") if i == 0 else "", [(float(a), float(b)) for a, b in box], False)
                )
        self.view.set_polygons(polygons)
        # Shown until a capture is judged clean: the message lasts exactly as long as its cause.
        self.platen_label.setVisible(attempt.dirty_platen)
        if attempt.report is not None:
            self.view.set_block_map(attempt.report.block_map, attempt.report.block_size)
        else:
            # The live preview's map is of another frame (and scale): never leave it over the result.
            self.view.set_block_map(None)
            run(
                lambda: CaptureWorkflow.overlay_report(attempt),
                lambda report: self._show_overlay(attempt, report),
                lambda exc: _log.warning("quality overlay failed: %s", exc),
            )
        label = step_label(attempt.step, capitalised=True)
        problems = "; ".join(text(p) for p in attempt.problems)
        words, level = {
            Verdict.ACCEPTED: (self.tr("%1 accepted — quality %2").replace("%2", str(attempt.quality)), "ok"),
            Verdict.RETAKE: (self.tr("%1: retake — %2").replace("%2", problems), "warn"),
            # The reason says which attempt was kept and what is below the threshold.
            Verdict.KEPT_BEST: (
                self.tr("%1: %2").replace("%2", text(attempt.reason) if attempt.reason else ""),
                "warn",
            ),
        }[attempt.verdict]
        self.view.set_banner(words.replace("%1", label), level)

    def _show_overlay(self, attempt: Attempt, report) -> None:
        if not isValid(self.view):  # the booking was closed while the overlay was computed
            return
        if self.last_attempt is attempt and self.session.running is None:  # still the print on screen
            self.view.set_block_map(report.block_map, report.block_size)

    # --- actions ------------------------------------------------------------------------------

    def connect_scanner(self) -> None:
        self.scanner_label.setText(self.tr("Connecting to the scanner…"))
        self.session.connect()

    def start_capture(self, step: Step | None = None) -> None:
        if self.session.current_step() is None and step is None:
            self.show_review()
            return
        self.session.start(step)

    def manual_capture(self) -> None:
        if self.session is not None:
            self.session.trigger()

    def cancel_capture(self) -> None:
        if self.session is not None:
            self.session.cancel()

    def select_step(self, position: int) -> None:
        """The clerk picked a step on the hand diagram: capture it next."""
        try:
            self.session.select(position)
        except Exception as exc:
            self.scanner_label.setText(sentence(error_text(exc)))
        self.refresh()

    def _update_side(self, step: Step | None) -> None:
        if step is None:
            self.step_title.setText(self.tr("All prints taken"))
            self.attempt_label.setText(self.tr("Review them and submit."))
            self.quality_label.setText("")
            self._lights = {}
            self.capture_button.setEnabled(False)
            self.annotate_button.setEnabled(False)
            self.override_button.setEnabled(False)
            return
        session = self.session
        status = session.status(step.position)
        running = session.running == step
        self.step_title.setText(step_label(step, capitalised=True))
        self.attempt_label.setText(
            self.tr("Attempt %1 of %2 · state: %3")
            .replace("%1", str(min(status.attempts + 1, MAX_ATTEMPTS)))
            .replace("%2", str(MAX_ATTEMPTS))
            # While this step is on the platen, say so rather than its stored state ("to do").
            .replace("%3", self.tr("capturing") if running else state_text(status.state))
            + (f"\n{text(status.note)}" if status.note else "")
        )
        rows = []
        self._lights: dict[int, str] = {}
        missing = session.missing_fingers()
        for f in step.fingers:
            q = status.finger_quality.get(f)
            if q is None and f in missing:  # say why there is no number, not just "–"
                rows.append(
                    f"<tr><td></td><td>{finger_name(f)}</td><td><i>"
                    + self.tr("not printed (XX/UP)")
                    + "</i></td></tr>"
                )
                continue
            light = self._lights[f] = traffic_light(q, session.threshold, status.state)
            rows.append(
                f"<tr><td style='font-size:30pt; color:{_LIGHT_COLOURS[light]}'>●</td>"
                f"<td style='vertical-align:middle'>{finger_name(f)}</td>"
                f"<td style='vertical-align:middle'><b>{'–' if q is None else q}</b></td></tr>"
            )
        self.quality_label.setText(
            self.tr("Quality (threshold %1)").replace("%1", str(session.threshold))
            + "<table cellspacing='0' cellpadding='2'>"
            + "".join(rows)
            + "</table>"
        )
        self.capture_button.setEnabled(session.running is not None)
        self.start_button.setEnabled(session.running is None and session.device is not None)
        self.annotate_button.setEnabled(True)
        self.override_button.setEnabled(True)

    def lights(self) -> dict[int, str]:
        """The traffic light of each finger of the step shown (green, amber, red, grey)."""
        return dict(self._lights)

    def _annotate_dialog(self) -> None:
        """Ask which finger cannot be printed and why (window-modal: the preview keeps running)."""
        if self.session is None:
            return
        missing = self.session.missing_fingers()
        fingers = [f for f in range(1, 11) if f not in missing]
        if not fingers:
            return
        step = self.session.current_step()
        # The finger on the platen, or the first of the slap there, is the likeliest one.
        default = next((f for f in (step.fingers if step else ()) if f in fingers), fingers[0])
        dialog = AnnotateDialog(fingers, default, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(
            lambda: self.annotate(dialog.finger.currentData(), dialog.code, dialog.reason.text())
        )
        if self.annotate_dialog is not None:
            self.annotate_dialog.deleteLater()
        self.annotate_dialog = dialog
        dialog.open()

    def annotate(self, finger: int, code: str, reason: str) -> None:
        """Record XX/UP for a finger (in the thread pool); the page redraws on the session's event."""
        run(
            lambda: self.session.annotate(finger, code, reason),
            lambda _r: self.context.changed() if isValid(self) else None,
            lambda exc: self._warn(self.tr("Cannot annotate"), exc),
        )

    def _override_dialog(self) -> None:
        step = self.session.current_step()
        if step is None:
            return
        session = self.session
        dialog = SupervisorDialog(
            self.tr("Accept “%1” as it is").replace("%1", step_label(step)),
            lambda user, password, reason: session.override(step.position, user, password, reason),
            self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.context.changed()

    def _warn(self, title: str, exc: Exception) -> None:
        if isValid(self):
            QMessageBox.warning(self, title, sentence(error_text(exc)))

    def _submit_key(self) -> None:
        """Ctrl+Enter: on the review, submit (when allowed); on the capture screen, review first."""
        if self.review is None or self.session is None:
            return
        if self.stack.currentWidget() is not self.review:
            self.show_review()
        elif self.review.submit_button.isEnabled():
            self.review.submit()

    def show_review(self) -> None:
        if self.review is None or self.session is None:
            return
        if self.session.running is not None:
            self.cancel_capture()
        self.session.set_active(False)
        self.review.refresh()
        self.stack.setCurrentWidget(self.review)
        self.review.submit_button.setFocus()  # Enter or Ctrl+Enter submits once it is allowed

    def show_capture(self, step: Step | None = None) -> None:
        self.stack.setCurrentWidget(self.capture_screen)
        self.refresh()
        if step is not None:
            self.select_step(step.position)
        self.session.set_active(self.isVisible())


def _forwarder(relay: _Relay) -> Callable[[ev.SessionEvent], None]:
    """Pass the session's events to the relay while it exists (the page may be gone first)."""

    def forward(event: ev.SessionEvent) -> None:
        try:
            if isValid(relay):
                relay.event.emit(event)
        except RuntimeError:  # deleted between the check and the emit: the page is closing
            pass

    return forward


def _closer(page: CapturePage) -> Callable[[], None]:
    """Close the page's session when the widget is destroyed (without touching the dead widget)."""

    def close() -> None:
        unsubscribe = page.__dict__.get("_unsubscribe")
        if unsubscribe is not None:
            unsubscribe()
        session = page.__dict__.get("session")
        if session is not None:
            session.close(timeout=0)

    return close
