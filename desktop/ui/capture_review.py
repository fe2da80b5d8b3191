"""The review screen: all 14 prints with their qualities and annotations, the sequence-check gate, submit.

It shows the page's capture session: the images are read from the store in the thread pool, and
every action (check, retake, override, submit) runs there too; the page relays the session's
events so the gate and the tiles redraw when they change.
"""

from __future__ import annotations

from html import escape
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

from booking_station.fingers import FLAT_CAPTURES, LEFT_SLAP, RIGHT_SLAP, THUMBS
from desktop.station.capture import StepState
from desktop.station.capture_gate import GateState
from desktop.station.messages import Message
from desktop.ui._worker import op as run
from desktop.ui.capture_text import state_text, step_label
from desktop.ui.capture_views import STATE_COLOURS, to_qimage
from desktop.ui.message_text import error_text, sentence, text

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
        self.session = page.session
        title = QLabel(self.tr("Review the prints"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        hint = QLabel(self.tr("Click a print to take it again."))
        # What this booking's plan holds (Settings → Capture plan), so a missing rolled row is expected.
        self.plan_label = QLabel(
            self.tr("Capture plan: %1").replace("%1", text(self.session.plan.description))
        )
        self.plan_label.setObjectName("capture_plan")
        self.tiles: dict[int, _Tile] = {}
        grid = QGridLayout()
        flats = [p for p in (RIGHT_SLAP, LEFT_SLAP, THUMBS) if p in {s.position for s in self.session.steps}]
        for col, position in enumerate(flats):
            tile = _Tile(self, position)
            self.tiles[position] = tile
            if self.session.plan.rolled:
                grid.addWidget(
                    tile, 0, col * 2 if position != THUMBS else 4, 1, 2 if position != THUMBS else 1
                )
            else:
                grid.addWidget(tile, 0, col)  # flats only: three evenly wide tiles
        for i, position in enumerate(range(1, 11)):
            if position not in {s.position for s in self.session.steps}:
                continue
            tile = _Tile(self, position)
            self.tiles[position] = tile
            grid.addWidget(tile, 1 + i // 5, i % 5)
        if not self.session.plan.rolled:
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
        self.check_button.setVisible(self.session.plan.rolled)  # flats only: nothing to compare
        self.redo_button = QPushButton(self.tr("Retake the flagged fingers"))
        self.redo_button.clicked.connect(self.redo_flagged)
        self.override_button = QPushButton(self.tr("Supervisor override of the sequence check…"))
        self.override_button.clicked.connect(self._override_sequence)
        self.back_button = QPushButton(self.tr("← Back to capture"))
        self.back_button.clicked.connect(lambda: self.page.show_capture())
        self.submit_button = QPushButton(self.tr("Submit prints (Ctrl+Enter)"))
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
        self._generation = 0  # refreshes started; a slower, older one never paints over a newer
        self._auto_started = False  # the automatic sequence check was started for these prints
        self._auto_failed = False
        self._submitted = False

    def refresh(self) -> None:
        """Redraw the tiles: states at once, the images once the thread pool has read them."""
        self._paint_tiles({})
        self.update_gate()
        positions = list(self.tiles)
        session = self.session
        generation = self._generation = self._generation + 1

        def load() -> dict:
            out = {}
            for p in positions:
                found = session.image(p)
                if found is not None:
                    out[p] = (found[0], session.segments(p) if p in FLAT_CAPTURES else [])
            return out

        def done(images: dict) -> None:
            if isValid(self) and generation == self._generation:  # not overtaken by a newer refresh
                self._paint_tiles(images)

        run(load, done, lambda exc: self._warn(self.tr("The prints could not be read"), exc))

    def _paint_tiles(self, images: dict) -> None:
        flagged = self.session.gate.flagged
        for position, tile in self.tiles.items():
            status = self.session.status(position)
            fill, ink = STATE_COLOURS[status.state]
            if position in images:
                image, segments = images[position]
                pix = QPixmap.fromImage(to_qimage(image))
                if segments:
                    pix = self._with_boxes(pix, segments)
                tile.picture.setPixmap(pix.scaledToHeight(_THUMB, Qt.TransformationMode.SmoothTransformation))
            elif images or status.capture_id is None:
                tile.picture.setPixmap(QPixmap())
                big = {StepState.AMPUTATED: "XX", StepState.UNABLE: "UP", StepState.OVERRIDDEN: "—"}
                tile.picture.setText(
                    f"<span style='font-size:28pt;color:#5f6368'>{big.get(status.state, '')}</span>"
                )
            q = "" if status.quality is None else f" · <b>{status.quality}</b>"
            note = f"<br><i>{escape(text(status.note))}</i>" if status.note else ""
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

    def _with_boxes(self, pix: QPixmap, segments: list) -> QPixmap:
        """The slap or thumbs image with each finger's box, green when its quality passes."""
        out = QImage(pix.toImage().convertToFormat(QImage.Format.Format_RGB32))
        p = QPainter(out)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for _fgp, polygon, quality in segments:
            good = quality is not None and quality >= self.session.threshold
            p.setPen(QPen(QColor("#34a853" if good else "#ea4335"), max(3, out.width() // 200)))
            p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in polygon]))
        p.end()
        return QPixmap.fromImage(out)

    def update_gate(self) -> None:
        """The sequence-check gate and what stands between the prints and the outbox."""
        gate = self.session.gate
        if gate.state is GateState.NOT_NEEDED:
            self.sequence_label.setText(self.tr("Flats only: no sequence check."))
        elif gate.state is GateState.CHECKING:
            self.sequence_label.setText(self.tr("Checking the finger sequence…"))
        elif gate.state in (GateState.WAITING, GateState.NOT_RUN):
            self.sequence_label.setText(self.tr("Sequence check: not run yet."))
        elif gate.state is GateState.FAILED:
            self.sequence_label.setText(
                self.tr("Sequence check failed: %1").replace("%1", escape(text(gate.problem)))
            )
        elif not gate.findings:
            self.sequence_label.setText(
                "<span style='color:#188038'><b>✔ "
                + self.tr("Sequence check passed")
                + f"</b></span> — {escape(text(gate.summary))}"
            )
        else:
            items = "".join(
                f"<li style='color:{'#c5221f' if f.blocking else '#e37400'}'>{escape(text(f.message))}</li>"
                for f in gate.findings
            )
            head = self.tr("Sequence check")
            if gate.state is GateState.OVERRIDDEN:
                head = self.tr("Sequence check (overridden by %1: %2)").replace("%1", gate.override_by or "")
                head = head.replace("%2", escape(gate.override_reason or ""))
            self.sequence_label.setText(f"<b>{head}:</b><ul>{items}</ul>")
        if not self._submitted:
            blockers = self.session.blockers()
            self.blockers_label.setText(
                ""
                if not blockers
                else "<b>" + self.tr("Not ready") + ":</b> " + escape("; ".join(text(b) for b in blockers))
            )
        else:
            blockers = []
        complete = self.session.complete()
        checking = gate.state is GateState.CHECKING
        self.check_button.setEnabled(complete and self.session.plan.rolled and not checking)
        blocked = gate.state is GateState.BLOCKED
        self.redo_button.setVisible(blocked)
        self.override_button.setVisible(blocked)
        self.submit_button.setEnabled(not blockers and not checking and not self._submitted)
        # All prints taken: check the sequence at once, the clerk need not ask.
        # (Once: after a failure the clerk retries with the button.)
        if gate.state is GateState.NOT_RUN and not self._auto_failed and not self._auto_started:
            self._auto_started = True
            self.run_sequence_check()

    @property
    def checking(self) -> bool:
        return self.session.gate.state is GateState.CHECKING

    def run_sequence_check(self) -> None:
        """Compare rolled prints with the slap fingers in the thread pool (again, if run before)."""
        if self.checking or not self.session.plan.rolled:
            return

        def done(_gate) -> None:
            if isValid(self):
                self._auto_started = False
                self.refresh()

        def failed(exc: Exception) -> None:
            if not isValid(self):
                return
            self._auto_failed = True
            self.refresh()
            self._warn(self.tr("Sequence check failed"), exc)

        run(self.session.check_sequence, done, failed)
        self.update_gate()

    def redo_flagged(self) -> None:
        """Take the flagged fingers again: they go back to "to do" and capture carries on."""
        run(
            self.session.redo_flagged,
            lambda _fingers: self._back_to_capture(None),
            lambda exc: self._warn(self.tr("Cannot retake"), exc),
        )

    def _override_sequence(self) -> None:
        from desktop.ui.capture import SupervisorDialog

        dialog = SupervisorDialog(
            self.tr("Accept the prints despite the sequence check"), self.session.override_sequence, self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def retake(self, position: int) -> None:
        step = self.session.step(position)
        if self.session.status(position).state is StepState.TODO:
            self.page.show_capture(step)
            return
        run(
            lambda: self.session.redo([position], "retaken from the review"),
            lambda _r: self._back_to_capture(step),
            lambda exc: self._warn(self.tr("Cannot retake"), exc),
        )

    def _back_to_capture(self, step) -> None:
        if isValid(self):
            self.page.context.changed()
            self.page.show_capture(step)

    def submit(self) -> None:
        """Hand the prints to the outbox (in the thread pool); the session says what happened."""
        self.submit_button.setEnabled(False)
        run(self.session.submit, lambda _r: None, self._submit_failed)

    def _submit_failed(self, exc: Exception) -> None:
        if isValid(self):
            self.update_gate()
            self._warn(self.tr("Cannot submit yet"), exc)

    def submitted(self, result: Message) -> None:
        self._submitted = True
        self.blockers_label.setText(f"<b style='color:#188038'>{escape(text(result))}</b>")
        self.submit_button.setEnabled(False)
        self.page.context.changed()

    def _warn(self, title: str, exc: Exception) -> None:
        if isValid(self):
            QMessageBox.warning(self, title, sentence(error_text(exc)))
