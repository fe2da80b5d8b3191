"""The Detainer page of a booking: the 48-hour clock, the outcome, and the detainee's copy.

Reads and changes everything through `station.detainers`, always off the UI thread (`op`), and
reloads on the core's "detainer." events. The core's detainer clock records lapses and raises the
alerts (desktop/station/detainers/watch.py); this page only shows them, with a one-second tick
that redraws the countdown. The bookings list gets a deadline column from `deadline_column` and
`deadline_text` (in detainer_status.py: the list draws it every second and must not wait for this
module's import) (registered in bookings_list.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from booking_station.runtime import UserError
from desktop.station.core import Station
from desktop.station.detainers import clock, notice, rights
from desktop.station.detainers.service import DetainerView, Outcome
from desktop.station.models import DetainerStatus
from desktop.ui import events
from desktop.ui._worker import Reload, off_ui_thread, op
from desktop.ui.booking_pages import PageContext
from desktop.ui.translations import short_day

TICK_MS = 1000
_TIME_FORMAT = "%Y-%m-%d %H:%M"
_STAGE_STYLE = {
    clock.Stage.RUNNING: "background:#e6f4ea; color:#0d652d;",
    clock.Stage.ALERT: "background:#fef7e0; color:#8a4b00;",
    clock.Stage.EXPIRED: "background:#fce8e6; color:#a50e0e;",
}


def _fmt(moment: dt.datetime | None) -> str:
    return short_day(moment) + moment.strftime(" %Y-%m-%d %H:%M %Z") if moment else "—"


class DetainerPage(QWidget):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._station: Station = context.station
        self._view: DetainerView | None = None
        self._last_tick: dt.datetime | None = None
        self._alert_deadline: dt.datetime | None = None
        self._preview_pdf: notice.RenderedNotice | None = None
        self._drawing: str | None = None  # the language of a preview being drawn

        self.agency_note = QLabel()
        self.agency_note.setObjectName("agency_note")
        self.agency_note.setWordWrap(True)
        self.empty = QLabel(self.tr("No immigration detainer has been received for this booking."))
        self.empty.setObjectName("no_detainer")

        # Which detainer (there is rarely more than one).
        self.chooser = QComboBox()
        self.chooser.currentIndexChanged.connect(self._show_selected)
        self.facts = QLabel()
        self.facts.setObjectName("facts")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # The clock.
        self.releasable = QLineEdit()
        self.releasable.setObjectName("releasable")
        self.releasable.setPlaceholderText(self.tr("YYYY-MM-DD HH:MM, jail time"))
        self.releasable.returnPressed.connect(self._record_releasable)
        now_button = QPushButton(self.tr("Now"))
        now_button.setAutoDefault(False)
        now_button.clicked.connect(lambda: self.releasable.setText(self._now().strftime(_TIME_FORMAT)))
        self.record_releasable = QPushButton(self.tr("&Record releasable time"))
        self.record_releasable.setObjectName("record_releasable")
        self.record_releasable.clicked.connect(self._record_releasable)
        self.deadline = QLabel("—")
        self.deadline.setObjectName("deadline")
        font = self.deadline.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.deadline.setFont(font)
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.setFont(font)
        self.banner = QLabel()
        self.banner.setObjectName("clock_banner")
        self.banner.setWordWrap(True)
        self.banner.setMargin(8)
        row = QHBoxLayout()
        row.addWidget(self.releasable, 1)
        row.addWidget(now_button)
        row.addWidget(self.record_releasable)
        clock_box = QGroupBox(self.tr("48-hour hold (weekends and holidays not counted)"))
        clock_form = QFormLayout(clock_box)
        clock_form.addRow(self.tr("Releasable at:"), row)
        clock_form.addRow(self.tr("Hold ends:"), self.deadline)
        clock_form.addRow(self.tr("Time left:"), self.countdown)
        clock_form.addRow(self.banner)

        # The outcome.
        self.outcome_kind = QComboBox()
        self.outcome_kind.setObjectName("outcome_kind")
        self.outcome_kind.addItem(self.tr("Released"), Outcome.RELEASED)
        self.outcome_kind.addItem(self.tr("Transferred to ICE custody"), Outcome.TRANSFERRED)
        self.outcome_kind.addItem(self.tr("Detainer cancelled"), Outcome.CANCELLED)
        self.outcome_at = QLineEdit()
        self.outcome_at.setObjectName("outcome_at")
        self.outcome_at.setPlaceholderText(self.tr("YYYY-MM-DD HH:MM, jail time"))
        self.outcome_note = QLineEdit()
        self.outcome_note.setPlaceholderText(self.tr("note (optional)"))
        self.record_outcome = QPushButton(self.tr("Record &outcome"))
        self.record_outcome.setObjectName("record_outcome")
        self.record_outcome.clicked.connect(self._record_outcome)
        self.outcome_text = QLabel()
        self.outcome_text.setObjectName("outcome_text")
        self.outcome_text.setWordWrap(True)
        self.outcome_box = QGroupBox(self.tr("What was done"))
        outcome_form = QFormLayout(self.outcome_box)
        outcome_form.addRow(self.tr("Outcome:"), self.outcome_kind)
        outcome_form.addRow(self.tr("At:"), self.outcome_at)
        outcome_form.addRow(self.tr("Note:"), self.outcome_note)
        outcome_form.addRow(self.record_outcome)
        outcome_form.addRow(self.outcome_text)

        # The detainee's copy.
        self.language_search = QLineEdit()
        self.language_search.setObjectName("language_search")
        self.language_search.setPlaceholderText(self.tr("Find a language by its own name, e.g. Tiếng Việt"))
        self.language_search.setClearButtonEnabled(True)
        self.language_search.textChanged.connect(self._filter_languages)
        self.languages = QListWidget()
        self.languages.setObjectName("languages")
        self.languages.currentItemChanged.connect(lambda *_: self._preview())
        for text in rights.languages():
            item = QListWidgetItem(f"{text.own_name} — {text.english_name} ({text.code})")
            item.setData(Qt.ItemDataRole.UserRole, text.code)
            self.languages.addItem(item)
        self.languages.setMaximumWidth(280)
        self.preview_image = QLabel(self.tr("Choose a language to preview the copy."))
        self.preview_image.setObjectName("preview")
        self.preview_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = self._preview_scroll = QScrollArea()
        scroll.setWidget(self.preview_image)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(320)
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setObjectName("print")
        self.print_button.clicked.connect(self._print)
        self.save_button = QPushButton(self.tr("&Save PDF…"))
        self.save_button.setObjectName("save_pdf")
        self.save_button.clicked.connect(self._save_dialog)
        self.served = QLabel()
        self.served.setObjectName("served")
        self.served.setWordWrap(True)
        pick = QVBoxLayout()
        pick.addWidget(self.language_search)
        pick.addWidget(self.languages, 1)
        pick.addWidget(self.print_button)
        pick.addWidget(self.save_button)
        copy_row = QHBoxLayout()
        copy_row.addLayout(pick)
        copy_row.addWidget(scroll, 1)
        self.copy_box = QGroupBox(self.tr("The detainee's copy (their language beside English)"))
        copy_layout = QVBoxLayout(self.copy_box)
        copy_layout.addLayout(copy_row, 1)
        copy_layout.addWidget(self.served)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(self.chooser)
        details.addWidget(self.facts)
        details.addWidget(clock_box)
        details.addWidget(self.outcome_box)
        details.addWidget(self.copy_box, 1)
        # Scrolls rather than growing the window past a 1366x768 screen (it needs ~780 px).
        self._details_scroll = QScrollArea()
        self._details_scroll.setWidgetResizable(True)
        self._details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._details_scroll.setWidget(self.details)
        layout = QVBoxLayout(self)
        layout.addWidget(self.agency_note)
        layout.addWidget(self.empty)
        layout.addWidget(self._details_scroll, 1)

        self._load = Reload(self._read, self._show_views)
        events.on(self, self._station, self._on_event, "detainer.", "settings.update")
        self._timer = QTimer(self)  # redraws the countdown; never reads the database
        self._timer.timeout.connect(self._tick)
        self._timer.start(TICK_MS)
        self.refresh()

    # --- reading ----------------------------------------------------------------------------------

    def _now(self) -> dt.datetime:
        return dt.datetime.now(self._station.config.zone).replace(second=0, microsecond=0)

    def refresh(self) -> None:
        """Read the booking's detainers again (off the UI thread)."""
        self._show_agency_note()
        self._load()

    @property
    def loading(self) -> bool:
        return self._load.busy

    @off_ui_thread
    def _read(self) -> list[DetainerView]:
        booking_id = self._context.booking_id
        return self._station.detainers.for_booking(booking_id) if booking_id else []

    def _on_event(self, event) -> None:
        if event.topic == "settings.update":
            self._show_agency_note()
        elif event.booking is None or self._view is None or event.booking == self._view.booking_number:
            self.refresh()

    def _show_agency_note(self) -> None:
        config = self._station.config
        if config.immigration_responses:
            self.agency_note.setText(
                self.tr("This agency receives immigration responses; ICE detainers arrive with them.")
            )
        else:
            self.agency_note.setText(
                self.tr(
                    "This agency has declined immigration responses (no IAR is received), but ICE "
                    "detainers are still delivered to the jail and must be handled here."
                )
            )
        self.agency_note.setStyleSheet("" if config.immigration_responses else "font-weight: bold;")

    def _show_views(self, views: list[DetainerView]) -> None:
        self.empty.setVisible(not views)
        self.details.setVisible(bool(views))
        self._details_scroll.setVisible(bool(views))
        selected = self._view.id if self._view else None
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for view in views:
            self.chooser.addItem(f"{view.detainer_id} — {self.tr(_STATUS_TEXT[view.status])}", view.id)
        self.chooser.setVisible(len(views) > 1)
        index = max(0, next((i for i, v in enumerate(views) if v.id == selected), len(views) - 1))
        self.chooser.setCurrentIndex(index)
        self.chooser.blockSignals(False)
        self._view = views[index] if views else None
        self._show(self._view)

    def _show_selected(self) -> None:
        detainer_pk = self.chooser.currentData()
        if detainer_pk is not None:
            op(lambda: self._station.detainers.get(detainer_pk), self._show_selected_view)

    def _show_selected_view(self, view: DetainerView) -> None:
        if self.chooser.currentData() == view.id:
            self._view = view
            self._show(view)

    def _show(self, view: DetainerView | None) -> None:
        if view is None:
            return
        listed = ", ".join(rights.load(code).own_name for code in view.languages) or "—"
        self.facts.setText(
            self.tr("Detainer %1 lodged %2 by %3. Languages on the detainer: %4.")
            .replace("%1", view.detainer_id)
            .replace("%2", _fmt(view.lodged_at))
            .replace("%3", view.office or "ICE")
            .replace("%4", listed)
        )
        if view.releasable_at and not self.releasable.hasFocus():
            self.releasable.setText(view.releasable_at.strftime(_TIME_FORMAT))
        self.deadline.setText(_fmt(view.deadline))
        is_open = view.open
        self.releasable.setEnabled(is_open)
        self.record_releasable.setEnabled(is_open)
        for widget in (self.outcome_kind, self.outcome_at, self.outcome_note, self.record_outcome):
            widget.setVisible(is_open)
        if not self.outcome_at.text():
            self.outcome_at.setText(self._now().strftime(_TIME_FORMAT))
        if is_open:
            self.outcome_text.setText("")
        else:
            self.outcome_text.setText(
                self.tr("%1 at %2. %3")
                .replace("%1", self.tr(_OUTCOME_TEXT.get(view.status, view.status.value)))
                .replace("%2", _fmt(view.outcome_at))
                .replace("%3", view.outcome or "")
            )
        self.copy_box.setEnabled(view.deadline is not None)
        if view.deadline is None:
            self.preview_image.setText(
                self.tr("Record the releasable time first: the copy states the deadline.")
            )
        self.served.setText(
            "\n".join(
                self.tr("Served %1 by %2 in %3 (SHA-256 %4…)")
                .replace("%1", _fmt(s.at.astimezone(self._station.config.zone)))
                .replace("%2", s.actor)
                .replace("%3", rights.load(s.language).own_name)
                .replace("%4", s.sha256[:16])
                for s in view.served
            )
            or self.tr("The copy has not been served yet.")
        )
        self._default_language(view)
        shown = self._preview_pdf.language if self._preview_pdf else self._drawing
        if view.deadline is not None and shown != self.selected_language():
            self._preview()
        self._tick()

    def _default_language(self, view: DetainerView) -> None:
        """Start on the first non-English language the detainer lists."""
        if self.languages.currentItem() is not None:
            return
        wanted = next((c for c in view.languages if c != "en"), None)
        for i in range(self.languages.count()):
            if self.languages.item(i).data(Qt.ItemDataRole.UserRole) == wanted:
                self.languages.setCurrentRow(i)
                return

    def _tick(self) -> None:
        """Live countdown and alerts, once per second."""
        view = self._view
        now = dt.datetime.now(dt.UTC)
        hours = self._station.config.detainer_alerts_hours
        status = view.clock(now, hours) if view else None
        if view is None or status is None:
            self.countdown.setText("—" if view is None or view.open else self.tr("closed"))
            self.banner.setVisible(bool(view and view.open and view.deadline is None))
            self.banner.setText(self.tr("Record when the person becomes releasable to start the clock."))
            self.banner.setStyleSheet("background:#e8f0fe; color:#174ea6;")
            self._last_tick = now
            return
        self.countdown.setText(clock.format_countdown(status.remaining))
        self.banner.setVisible(True)
        self.banner.setStyleSheet(_STAGE_STYLE[status.stage])
        if status.stage is clock.Stage.EXPIRED:
            self.banner.setText(
                self.tr(
                    "The hold authority under this detainer LAPSED at %1. The jail may not keep holding "
                    "this person on the detainer. Record what was done."
                ).replace("%1", _fmt(view.deadline))
            )
        elif status.stage is clock.Stage.ALERT:
            self.banner.setText(
                self.tr("Less than %1 h left: the hold ends %2.")
                .replace("%1", f"{status.passed[-1].hours_before:g}")
                .replace("%2", _fmt(view.deadline))
            )
        else:
            self.banner.setText(self.tr("Clock running."))
        if view.deadline != self._alert_deadline:
            # A new or corrected deadline: announce where it stands now, once.
            self._alert_deadline, self._last_tick = view.deadline, None
        fired = clock.new_alerts(view.deadline, self._last_tick, now, hours)
        self._last_tick = now
        if fired:
            QApplication.alert(self.window())
            QApplication.beep()

    # --- the clerk's actions ------------------------------------------------------------------------

    def _actor(self) -> str:
        return self._context.operator.username

    def _parse(self, edit: QLineEdit, what: str) -> dt.datetime:
        text = edit.text().strip().replace(" ", "T", 1)
        if not text:
            raise UserError(self.tr("Enter the %1 as YYYY-MM-DD HH:MM.").replace("%1", what))
        try:
            return clock.parse_local(text, self._station.config.zone)
        except ValueError as exc:
            raise UserError(str(exc)) from None

    def _warn(self, title: str) -> Callable[[Exception], None]:
        """An operation's failure handler: a UserError is the clerk's to fix, in a dialog."""

        def failed(exc: Exception) -> None:
            if not isinstance(exc, UserError):
                raise exc  # the window's handler shows it
            QMessageBox.warning(self, title, str(exc))

        return failed

    def _record_releasable(self) -> None:
        if self._view is None:
            return
        try:
            at = self._parse(self.releasable, self.tr("releasable time"))
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Releasable time"), str(exc))
            return
        pk, actor = self._view.id, self._actor()
        op(
            lambda: self._station.detainers.set_releasable(pk, at, actor=actor),
            lambda _deadline: self._changed(),
            self._warn(self.tr("Releasable time")),
        )

    def _record_outcome(self) -> None:
        if self._view is None:
            return
        try:
            at = self._parse(self.outcome_at, self.tr("time of the outcome"))
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Outcome"), str(exc))
            return
        pk, actor = self._view.id, self._actor()
        kind, note = self.outcome_kind.currentData(), self.outcome_note.text()
        op(
            lambda: self._station.detainers.record_outcome(pk, kind, at, actor=actor, note=note),
            lambda _none: self._changed(),
            self._warn(self.tr("Outcome")),
        )

    def _changed(self) -> None:
        self.refresh()
        self._context.changed()

    def _filter_languages(self, text: str) -> None:
        found = {t.code for t in rights.find(text)} if text.strip() else None
        first_visible = None
        for i in range(self.languages.count()):
            item = self.languages.item(i)
            hidden = found is not None and item.data(Qt.ItemDataRole.UserRole) not in found
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = i
        current = self.languages.currentItem()
        if first_visible is not None and (current is None or current.isHidden()):
            self.languages.setCurrentRow(first_visible)

    def selected_language(self) -> str | None:
        item = self.languages.currentItem()
        return None if item is None or item.isHidden() else item.data(Qt.ItemDataRole.UserRole)

    def _preview(self) -> None:
        language = self.selected_language()
        view = self._view
        if language is None or view is None or view.deadline is None:
            return
        self.preview_image.setText(self.tr("Drawing the copy…"))
        self._drawing = language
        detainers = self._station.detainers
        # As wide as the preview area (a letter page is 8.5 in) once its vertical scroll bar shows,
        # so both columns show without scrolling sideways; at most 90 dpi, never too small to read.
        scroll = self._preview_scroll
        room = scroll.viewport().width() - scroll.verticalScrollBar().sizeHint().width() - 4
        dpi = max(60, min(90, int(room / 8.5)))

        def work() -> tuple[str, notice.RenderedNotice, bytes]:
            copy = detainers.copy(view.id, language)
            return language, copy, notice.rasterize(copy.pdf, dpi=dpi)[0]

        def done(result: tuple[str, notice.RenderedNotice, bytes]) -> None:
            shown_language, copy, png = result
            if not shiboken6.isValid(self):
                return  # the booking was closed while the copy was being drawn
            self._drawing = None
            if shown_language != self.selected_language():
                return  # the clerk moved on while it was drawing
            self._preview_pdf = copy
            image = QImage.fromData(png)
            self.preview_image.setPixmap(QPixmap.fromImage(image))

        def failed(exc: Exception) -> None:
            if shiboken6.isValid(self):
                self._drawing = None
                self.preview_image.setText(str(exc))

        op(work, done, failed)

    def _serve(
        self,
        title: str,
        then: Callable[[Any], None],
        extra: Callable[[notice.RenderedNotice], Any] = lambda copy: None,
    ) -> None:
        """Make the copy to hand over (recorded in the audit log) off the UI thread, run `extra(copy)`
        there too (writing the file, rasterising for the printer), then `then((copy, extra's result))`
        on the UI thread."""
        language = self.selected_language()
        if self._view is None or language is None:
            QMessageBox.information(self, self.tr("Copy"), self.tr("Choose the detainee's language first."))
            return
        pk, actor = self._view.id, self._actor()

        def work() -> tuple[notice.RenderedNotice, Any]:
            copy = self._station.detainers.serve(pk, language, actor=actor)
            return copy, extra(copy)

        def done(result: tuple[notice.RenderedNotice, Any]) -> None:
            self._changed()
            then(result)

        op(work, done, self._warn(title))

    def _save_dialog(self) -> None:
        language = self.selected_language() or "copy"
        suggested = f"detainer-{self._view.detainer_id if self._view else ''}-{language}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the copy as PDF"), suggested, "PDF (*.pdf)")
        if path:
            self.save_pdf(path)

    def save_pdf(self, path: str, then: Callable[[notice.RenderedNotice], None] | None = None) -> None:
        """Serve the copy by saving it as a PDF file; `then(copy)` once it is written."""

        def write(copy: notice.RenderedNotice) -> str | None:
            try:
                with open(path, "wb") as out:
                    out.write(copy.pdf)
            except OSError as exc:
                return f"{path}: {exc.strerror}"
            return None

        def written(result: tuple[notice.RenderedNotice, str | None]) -> None:
            copy, problem = result
            if problem:
                QMessageBox.warning(self, self.tr("Save PDF"), problem)
            elif then is not None:
                then(copy)

        self._serve(self.tr("Save PDF"), written, write)

    def _print(self) -> None:
        from PySide6.QtGui import QPageSize
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))  # the copy is laid out on US Letter
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer, then: Callable[[notice.RenderedNotice], None] | None = None) -> None:
        """Serve the copy by printing it: the exact PDF, drawn at 300 dpi on the printer's page.
        Served and rasterised off the UI thread; painted on it; `then(copy)` once printed."""

        def rasterize(copy: notice.RenderedNotice) -> list[bytes] | str:
            try:
                return notice.rasterize(copy.pdf, dpi=300)
            except notice.NoticeError as exc:
                return str(exc)

        def paint(result: tuple[notice.RenderedNotice, list[bytes] | str]) -> None:
            copy, pages = result
            if isinstance(pages, str):
                QMessageBox.warning(self, self.tr("Print"), pages)
                return
            painter = QPainter()
            if not painter.begin(printer):
                QMessageBox.warning(self, self.tr("Print"), self.tr("The printer could not be opened."))
                return
            for n, png in enumerate(pages):
                if n:
                    printer.newPage()
                image = QImage.fromData(png)
                target = painter.viewport()
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(target.x(), target.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
            painter.end()
            if then is not None:
                then(copy)

        self._serve(self.tr("Print"), paint, rasterize)


_STATUS_TEXT = {
    DetainerStatus.ACTIVE: QT_TRANSLATE_NOOP("DetainerPage", "active"),
    DetainerStatus.CANCELLED: QT_TRANSLATE_NOOP("DetainerPage", "cancelled"),
    DetainerStatus.LAPSED: QT_TRANSLATE_NOOP("DetainerPage", "lapsed"),
    DetainerStatus.RELEASED: QT_TRANSLATE_NOOP("DetainerPage", "released"),
    DetainerStatus.TRANSFERRED: QT_TRANSLATE_NOOP("DetainerPage", "transferred"),
}
_OUTCOME_TEXT = {
    DetainerStatus.RELEASED: QT_TRANSLATE_NOOP("DetainerPage", "Released"),
    DetainerStatus.TRANSFERRED: QT_TRANSLATE_NOOP("DetainerPage", "Transferred to ICE custody"),
    DetainerStatus.CANCELLED: QT_TRANSLATE_NOOP("DetainerPage", "Detainer cancelled"),
}


@off_ui_thread
def deadline_column(station: Station, booking_ids: Sequence[int]) -> Mapping[int, Any]:
    """The bookings list's 'Detainer' column, off the UI thread: each open hold's deadline (None
    when the releasable time is not recorded yet), as a one-item tuple."""
    wanted = set(booking_ids)
    return {b: (v.deadline,) for b, v in station.detainers.open_by_booking().items() if b in wanted}
