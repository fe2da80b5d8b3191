"""The review screen: all 14 prints with their qualities and annotations, the sequence check, submit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from booking_station.runtime import UserError
from desktop.station.capture import LEFT_SLAP, RIGHT_SLAP, THUMBS, StepState
from desktop.ui._worker import run_in_thread
from desktop.ui.capture_text import state_text, step_label
from desktop.ui.capture_views import STATE_COLOURS
from desktop.ui.capture_worker import to_qimage
from desktop.ui.station_text import station_text

if TYPE_CHECKING:
    from desktop.ui.capture import CapturePage

_THUMB = 150  # thumbnail height in pixels


class _Tile(QFrame):
    """One print: image (or its annotation), name, quality, state and note. Click to retake."""

    def __init__(self, review: ReviewScreen, position: int) -> None:
        super().__init__()
        self.review, self.position = review, position
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("tile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumHeight(_THUMB)
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.picture)
        layout.addWidget(self.caption)

    def mousePressEvent(self, event) -> None:
        self.review.retake(self.position)


class ReviewScreen(QWidget):
    def __init__(self, page: CapturePage) -> None:
        super().__init__(page)
        self.page = page
        self.workflow = page.workflow
        title = QLabel(self.tr("Review the prints"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        hint = QLabel(self.tr("Click a print to take it again."))
        # What this booking's plan holds (Settings → Capture plan), so a missing rolled row is expected.
        self.plan_label = QLabel(
            self.tr("Capture plan: %1").replace("%1", station_text(self.workflow.plan.description))
        )
        self.plan_label.setObjectName("capture_plan")
        self.tiles: dict[int, _Tile] = {}
        grid = QGridLayout()
        flats = [p for p in (RIGHT_SLAP, LEFT_SLAP, THUMBS) if p in {s.position for s in self.workflow.steps}]
        for col, position in enumerate(flats):
            tile = _Tile(self, position)
            self.tiles[position] = tile
            if self.workflow.plan.rolled:
                grid.addWidget(
                    tile, 0, col * 2 if position != THUMBS else 4, 1, 2 if position != THUMBS else 1
                )
            else:
                grid.addWidget(tile, 0, col)  # flats only: three evenly wide tiles
        for i, position in enumerate(range(1, 11)):
            if position not in {s.position for s in self.workflow.steps}:
                continue
            tile = _Tile(self, position)
            self.tiles[position] = tile
            grid.addWidget(tile, 1 + i // 5, i % 5)
        if not self.workflow.plan.rolled:
            # Flats only: one row of three tiles at their natural height.
            for column in range(3):
                grid.setColumnStretch(column, 1)
            grid.setRowStretch(1, 1)
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.sequence_label = QLabel()
        self.sequence_label.setWordWrap(True)
        self.sequence_label.setTextFormat(Qt.TextFormat.RichText)
        self.blockers_label = QLabel()
        self.blockers_label.setWordWrap(True)
        self.check_button = QPushButton(self.tr("Run sequence check"))
        self.check_button.clicked.connect(self.run_sequence_check)
        self.check_button.setVisible(self.workflow.plan.rolled)  # flats only: nothing to compare
        self.redo_button = QPushButton(self.tr("Retake the flagged fingers"))
        self.redo_button.clicked.connect(self.redo_flagged)
        self.override_button = QPushButton(self.tr("Supervisor override of the sequence check…"))
        self.override_button.clicked.connect(self._override_sequence)
        self.back_button = QPushButton(self.tr("← Back to capture"))
        self.back_button.clicked.connect(lambda: self.page.show_capture())
        self.submit_button = QPushButton(self.tr("Submit prints"))
        self.submit_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        for b in (self.back_button, self.check_button, self.redo_button, self.override_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(hint)
        layout.addLayout(head)
        layout.addWidget(self.plan_label)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.sequence_label)
        layout.addWidget(self.blockers_label)
        layout.addLayout(buttons)
        self.checking = False
        self._auto_failed = False

    def refresh(self) -> None:
        report = self.workflow.sequence
        flagged = {f for finding in report.errors for f in finding.fingers} if report is not None else set()
        for position, tile in self.tiles.items():
            status = self.workflow.status(position)
            found = self.workflow.image(position)
            fill, ink = STATE_COLOURS[status.state]
            if found is not None:
                image, _ppi = found
                pix = QPixmap.fromImage(to_qimage(image))
                if position in (RIGHT_SLAP, LEFT_SLAP, THUMBS):
                    pix = self._with_boxes(pix, position)
                tile.picture.setPixmap(pix.scaledToHeight(_THUMB, Qt.TransformationMode.SmoothTransformation))
            else:
                tile.picture.setPixmap(QPixmap())
                big = {StepState.AMPUTATED: "XX", StepState.UNABLE: "UP", StepState.OVERRIDDEN: "—"}
                tile.picture.setText(
                    f"<span style='font-size:28pt;color:#5f6368'>{big.get(status.state, '')}</span>"
                )
            q = "" if status.quality is None else f" · <b>{status.quality}</b>"
            note = f"<br><i>{status.note}</i>" if status.note else ""
            # The prints the sequence check names are marked on their tiles, not only in the list below.
            flag = (
                "<br><b style='color:#c5221f'>" + self.tr("flagged by the sequence check") + "</b>"
                if position in flagged
                else ""
            )
            tile.setStyleSheet("QFrame#tile { border: 3px solid #c5221f; }" if position in flagged else "")
            tile.caption.setText(
                f"{step_label(status.step)}{q}<br><span style='background:{fill};color:{ink}'>&nbsp;{state_text(status.state)}&nbsp;</span>{flag}{note}"
            )
        self._update_sequence()
        # All prints taken: check the sequence at once, the clerk need not ask.
        # (Once: after a failure the clerk retries with the button.)
        complete = self.workflow.plan.rolled and self.workflow.complete()
        if complete and self.workflow.sequence is None and not self._auto_failed:
            self.run_sequence_check()

    def _with_boxes(self, pix: QPixmap, position: int) -> QPixmap:
        """The slap or thumbs image with each finger's box, green when its quality passes."""
        segments = self.workflow.segments(position)
        if not segments:
            return pix
        out = QImage(pix.toImage().convertToFormat(QImage.Format.Format_RGB32))
        p = QPainter(out)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for _fgp, polygon, quality in segments:
            good = quality is not None and quality >= self.workflow.threshold
            p.setPen(QPen(QColor("#34a853" if good else "#ea4335"), max(3, out.width() // 200)))
            p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in polygon]))
        p.end()
        return QPixmap.fromImage(out)

    def _update_sequence(self) -> None:
        report = self.workflow.sequence
        if not self.workflow.plan.rolled:
            self.sequence_label.setText(self.tr("Flats only: no sequence check."))
        elif self.checking:
            self.sequence_label.setText(self.tr("Checking the finger sequence…"))
        elif report is None:
            self.sequence_label.setText(self.tr("Sequence check: not run yet."))
        elif not report.findings:
            self.sequence_label.setText(
                "<span style='color:#188038'><b>✔ "
                + self.tr("Sequence check passed")
                + f"</b></span> — {report.summary()}"
            )
        else:
            items = "".join(
                f"<li style='color:{'#c5221f' if f.is_error else '#e37400'}'>{f.message}</li>"
                for f in report.findings
            )
            self.sequence_label.setText("<b>" + self.tr("Sequence check") + f":</b><ul>{items}</ul>")
        blockers = self.workflow.blockers()
        self.blockers_label.setText(
            "" if not blockers else "<b>" + self.tr("Not ready") + ":</b> " + "; ".join(blockers)
        )
        complete = self.workflow.complete()
        self.check_button.setEnabled(complete and self.workflow.plan.rolled and not self.checking)
        flagged = report is not None and bool(report.errors)
        self.redo_button.setVisible(flagged)
        self.override_button.setVisible(flagged)
        self.submit_button.setEnabled(not blockers and not self.checking)

    def run_sequence_check(self) -> None:
        """Compare rolled prints with the slap fingers in the thread pool (again, if run before)."""
        if self.checking:
            return
        self.checking = True
        self._update_sequence()

        def done(_report) -> None:
            if not isValid(self):  # the booking was closed meanwhile
                return
            self.checking = False
            self.refresh()

        def failed(exc: Exception) -> None:
            if not isValid(self):
                return
            self.checking = False
            self._auto_failed = True
            self.refresh()
            QMessageBox.warning(self, self.tr("Sequence check failed"), str(exc))

        run_in_thread(self.workflow.check_sequence, done, failed)

    def redo_flagged(self) -> None:
        report = self.workflow.sequence
        if report is None:
            return
        fingers = sorted({f for finding in report.errors for f in finding.fingers})
        self.workflow.redo(fingers, "sequence check: " + "; ".join(f.message for f in report.errors))
        self.page.context.changed()
        self.page.show_capture()

    def _override_sequence(self) -> None:
        from desktop.ui.capture import SupervisorDialog

        dialog = SupervisorDialog(
            self.page.context, self.tr("Accept the prints despite the sequence check"), self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.supervisor is not None:
            self.workflow.override_sequence(dialog.supervisor, dialog.reason.text())
            self.refresh()

    def retake(self, position: int) -> None:
        step = self.workflow.step(position)
        if self.workflow.status(position).state is not StepState.TODO:
            self.workflow.redo([position], "retaken from the review")
            self.page.context.changed()
        self.page.show_capture(step)

    def submit(self) -> None:
        try:
            message = self.workflow.submit()
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Cannot submit yet"), str(exc))
            return
        self.blockers_label.setText(f"<b style='color:#188038'>{message}</b>")
        self.submit_button.setEnabled(False)
        self.page.context.changed()
