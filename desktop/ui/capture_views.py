"""Widgets of the capture page: the hand diagram and the print view with its overlays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from booking_station.fingers import LEFT_SLAP, RIGHT_SLAP, THUMBS
from desktop.station.capture import StepState, StepStatus
from desktop.ui.capture_text import step_label


def to_qimage(image: np.ndarray) -> QImage:
    """A deep-copied QImage of a 2-D uint8 array."""
    image = np.ascontiguousarray(image)
    h, w = image.shape
    return QImage(image.data, w, h, image.strides[0], QImage.Format.Format_Grayscale8).copy()


# State colours: fill, text. Chosen to read on a light theme and without colour (labels say it too).
STATE_COLOURS = {
    StepState.TODO: ("#e4e6ea", "#333333"),
    StepState.RETAKE: ("#f6b26b", "#3b2300"),
    StepState.CAPTURED: ("#8fd19e", "#0b3d17"),
    StepState.LOW_QUALITY: ("#ffe08a", "#4a3b00"),
    StepState.AMPUTATED: ("#5f6368", "#ffffff"),
    StepState.UNABLE: ("#9aa0a6", "#ffffff"),
    StepState.OVERRIDDEN: ("#a4c2f4", "#0c2a5c"),
}

# Finger tips of a schematic pair of hands, palms down, as seen by the clerk: the left hand on
# the left. (x, y, w, h) in a 100 × 62 design space.
_FINGER_BOXES = {
    10: (2, 14, 7, 12),
    9: (10, 6, 7.5, 13),
    8: (18.5, 3, 7.5, 14),
    7: (27, 7, 7.5, 13),
    6: (38, 24, 8, 11),
    1: (54, 24, 8, 11),
    2: (65.5, 7, 7.5, 13),
    3: (74, 3, 7.5, 14),
    4: (82.5, 6, 7.5, 13),
    5: (91, 14, 7, 12),
}
_FLAT_BOXES = {LEFT_SLAP: (2, 44, 33, 14), THUMBS: (38, 44, 24, 14), RIGHT_SLAP: (65, 44, 33, 14)}
_BANNER_H = 48
_SHORT = {
    StepState.TODO: "",
    StepState.RETAKE: "retake",
    StepState.AMPUTATED: "XX",
    StepState.UNABLE: "UP",
    StepState.OVERRIDDEN: "skip",
}


class HandDiagram(QWidget):
    """Ten fingers, both slaps and the thumbs, each in its state colour with its quality; click to pick."""

    picked = Signal(int)  # FGP position of the clicked step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status: dict[int, StepStatus] = {}
        self._current: int | None = None
        self.setMinimumSize(360, 230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setToolTip(self.tr("Click a finger, a slap or the thumbs to capture it"))

    def sizeHint(self) -> QSize:
        return QSize(460, 290)

    def set_status(self, statuses: Sequence[StepStatus], current: int | None) -> None:
        self._status = {s.step.position: s for s in statuses}
        self._current = current
        self.update()

    def _rect(self, position: int) -> QRectF | None:
        box = _FINGER_BOXES.get(position) or _FLAT_BOXES.get(position)
        if box is None:
            return None
        sx, sy = self.width() / 100.0, self.height() / 62.0
        x, y, w, h = box
        return QRectF(x * sx, y * sy, w * sx, h * sy)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        sx, sy = self.width() / 100.0, self.height() / 62.0
        # Palms, for orientation.
        p.setPen(QPen(QColor("#c8ccd2"), 1.5))
        p.setBrush(QColor("#f6f7f9"))
        p.drawRoundedRect(QRectF(3 * sx, 20 * sy, 32 * sx, 19 * sy), 10, 10)
        p.drawRoundedRect(QRectF(65 * sx, 20 * sy, 32 * sx, 19 * sy), 10, 10)
        p.setPen(QColor("#5f6368"))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        p.setFont(small)
        p.drawText(
            QRectF(3 * sx, 30 * sy, 32 * sx, 9 * sy), Qt.AlignmentFlag.AlignCenter, self.tr("LEFT hand")
        )
        p.drawText(
            QRectF(65 * sx, 30 * sy, 32 * sx, 9 * sy), Qt.AlignmentFlag.AlignCenter, self.tr("RIGHT hand")
        )
        for position in (*_FINGER_BOXES, *_FLAT_BOXES):
            rect = self._rect(position)
            status = self._status.get(position)
            flat = position in _FLAT_BOXES
            if status is None:
                # Not in the plan (e.g. rolled prints in a flats-only plan): outline only.
                p.setPen(QPen(QColor("#d0d4da"), 1, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(rect, 8, 8)
                continue
            fill, ink = STATE_COLOURS[status.state]
            width = 4.0 if position == self._current else 1.2
            p.setPen(QPen(QColor("#1a73e8" if position == self._current else "#80868b"), width))
            p.setBrush(QColor(fill))
            p.drawRoundedRect(rect, 8 if flat else 14, 8 if flat else 14)
            text = _SHORT.get(status.state, "")
            if status.quality is not None and status.state in (StepState.CAPTURED, StepState.LOW_QUALITY):
                text = str(status.quality)
            elif status.state is StepState.RETAKE and status.quality is not None:
                text = f"{status.quality}"
            p.setPen(QColor(ink))
            bold = QFont(self.font())
            bold.setBold(True)
            p.setFont(bold)
            label = step_label(status.step) if flat else ""
            if flat:
                # Longer names (Spanish "cuatro dedos izquierdos") get a smaller font, then two lines.
                top = rect.adjusted(4, 2, -4, -rect.height() / 2)
                fitted = QFont(bold)
                while (
                    fitted.pointSizeF() > 6.5 and QFontMetricsF(fitted).horizontalAdvance(label) > top.width()
                ):
                    fitted.setPointSizeF(fitted.pointSizeF() - 0.5)
                p.setFont(fitted)
                if QFontMetricsF(fitted).horizontalAdvance(label) > top.width():
                    top = rect.adjusted(4, 1, -4, -rect.height() * 0.38)
                    p.drawText(top, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), label)
                else:
                    p.drawText(top, Qt.AlignmentFlag.AlignCenter, label)
                p.setFont(bold)
                p.drawText(rect.adjusted(4, rect.height() / 2, -4, -2), Qt.AlignmentFlag.AlignCenter, text)
            else:
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for position in self._status:
            rect = self._rect(position)
            if rect is not None and rect.contains(event.position()):
                self.picked.emit(position)
                return


class PrintView(QWidget):
    """A print (live preview or captured image), scaled to fit, with optional overlays:
    finger polygons with labels, a quality block map and a guidance banner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._polygons: list[tuple[str, list[tuple[float, float]], bool]] = []  # label, points, good
        self._overlay: QImage | None = None
        self._banner = ""
        self._banner_level = "info"
        self.frames_painted = 0
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self.update()

    def set_polygons(self, polygons: list[tuple[str, list[tuple[float, float]], bool]]) -> None:
        self._polygons = polygons
        self.update()

    def set_block_map(self, block_map: np.ndarray | None, block_size: int = 0) -> None:
        """Quality per block (0–100) drawn red (poor) to green (good), semi-transparent."""
        if block_map is None or block_map.size == 0:
            self._overlay = None
        else:
            q = np.clip(block_map.astype(np.float32) / 100.0, 0.0, 1.0)
            rgba = np.zeros((*q.shape, 4), np.uint8)
            rgba[..., 0] = (255 * (1.0 - q)).astype(np.uint8)
            rgba[..., 1] = (200 * q).astype(np.uint8)
            rgba[..., 2] = 40
            rgba[..., 3] = np.where(block_map > 0, 90, 0).astype(np.uint8)
            h, w = q.shape
            self._overlay = QImage(rgba.data, w, h, w * 4, QImage.Format.Format_RGBA8888).copy()
            self._overlay_block = block_size
        self.update()

    @property
    def banner(self) -> str:
        return self._banner

    def set_banner(self, text: str, level: str = "info") -> None:
        self._banner, self._banner_level = text, level
        self.update()

    def _target(self) -> QRectF:
        """Where the image goes: fitted above the guidance banner, so the banner never hides the print."""
        assert self._image is not None
        iw, ih = self._image.width(), self._image.height()
        room = self.height() - (_BANNER_H if self._banner else 0)
        scale = min(self.width() / iw, room / ih)
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (room - h) / 2, w, h)

    @staticmethod
    def _draw_tag(p: QPainter, box: QRectF, label: str, colour: QColor, target: QRectF) -> None:
        """A finger's name and quality centred just above its box, so the tags of neighbouring
        fingers never cover each other; on two lines when one line would be wider than the box."""
        fm = p.fontMetrics()
        lines = [label]
        if fm.horizontalAdvance(label) + 10 > box.width() and " " in label:
            lines = label.rsplit(" ", 1)
        w = max(fm.horizontalAdvance(line) for line in lines) + 10
        h = fm.height() * len(lines) + 4
        tag = QRectF(box.center().x() - w / 2, box.top() - h - 2, w, h)
        tag.moveTop(max(target.top(), tag.top()))
        tag.moveLeft(min(max(target.left(), tag.left()), target.right() - w))
        p.fillRect(tag, colour)
        p.setPen(QColor("white"))
        p.drawText(tag, Qt.AlignmentFlag.AlignCenter, "\n".join(lines))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#202124"))
        if self._image is not None and not self._image.isNull():
            target = self._target()
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(target, self._image)
            self.frames_painted += 1
            scale = target.width() / self._image.width()
            if self._overlay is not None:
                bw = self._overlay.width() * self._overlay_block * scale
                bh = self._overlay.height() * self._overlay_block * scale
                p.drawImage(QRectF(target.left(), target.top(), bw, bh), self._overlay)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            for label, points, good in self._polygons:
                colour = QColor("#34a853" if good else "#ea4335")
                p.setPen(QPen(colour, 3))
                p.setBrush(Qt.BrushStyle.NoBrush)
                poly = QPolygonF(
                    [QPointF(target.left() + x * scale, target.top() + y * scale) for x, y in points]
                )
                p.drawPolygon(poly)
                if label:  # an unlabelled outline (residue on the platen) needs no tag
                    self._draw_tag(p, poly.boundingRect(), label, colour, target)
        if self._banner:
            colours = {"info": "#1a73e8", "warn": "#e37400", "error": "#c5221f", "ok": "#188038"}
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 1.4)
            font.setBold(True)
            band = QRectF(0, self.height() - _BANNER_H, self.width(), _BANNER_H)
            flags = Qt.AlignmentFlag.AlignCenter
            if QFontMetricsF(font).horizontalAdvance(self._banner) > band.width() - 16:
                # A long message (several problems) in the normal size on two lines, never cut off.
                font.setPointSizeF(self.font().pointSizeF())
                flags |= Qt.TextFlag.TextWordWrap
            p.setFont(font)
            p.fillRect(band, QColor(colours.get(self._banner_level, "#1a73e8")))
            p.setPen(QColor("white"))
            p.drawText(band.adjusted(8, 0, -8, 0), flags, self._banner)
        p.end()
