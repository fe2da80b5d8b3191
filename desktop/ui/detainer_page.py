"""The Detainer page of a booking: the 48-hour clock, claims, the outcome, and the detainee's copy.

Reads and changes everything through `station.detainers`, always off the UI thread (`op`), and
reloads on the core's "detainer." events. The core's detainer clock records lapses and raises the
alerts (desktop/station/detainers/watch.py); this page only shows them, with a one-second tick
that redraws the countdown. The bookings list gets a deadline column from `deadline_column` and
`deadline_text` (in detainer_status.py: the list draws it every second and must not wait for this
module's import) (registered in bookings_list.py).

The copy is served in the core's two recorded steps: Print / Save PDF make it (the core records it
only once the printer took the job or the file read back), then the clerk records the hand-over
(handed, read by an interpreter in person or by telephone, or refused). The page lays out in two
columns so that, at 1366x768, Print and Save PDF show without scrolling; the mouse wheel over the
preview scrolls the page, not the preview.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, QTimer
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
from desktop.station.detainers import clock, languages, notice, rights
from desktop.station.detainers.claims import ClaimKind, ClaimOutcome, ClaimStatus, ClaimView
from desktop.station.detainers.service import DetainerView, HandOver, MadeCopy, Outcome, ServedCopy
from desktop.station.models import DetainerStatus, utcnow
from desktop.ui import events
from desktop.ui._worker import Reload, off_ui_thread, op
from desktop.ui.booking_pages import PageContext
from desktop.ui.detainer_status import restyle
from desktop.ui.message_text import detainer_status_text, error_text, recorded_text, sentence
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
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.oral_note = QLabel()  # the listed languages with no written copy: an interpreter's work
        self.oral_note.setObjectName("oral_note")
        self.oral_note.setWordWrap(True)
        self.oral_note.setMargin(6)
        self.oral_note.setStyleSheet("background:#fef7e0; color:#5f3a00;")

        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self._build_clock())
        left.addWidget(self._build_claims())
        left.addWidget(self._build_outcome())
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 2)
        columns.addWidget(self._build_copy(), 3)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(self.chooser)
        details.addWidget(self.facts)
        details.addWidget(self.oral_note)
        details.addLayout(columns, 1)
        # Two columns fit 1366x768; a smaller window scrolls the page rather than growing past the screen.
        self._details_scroll = QScrollArea()
        self._details_scroll.setWidgetResizable(True)
        self._details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._details_scroll.setWidget(self.details)
        layout = QVBoxLayout(self)
        layout.addWidget(self.agency_note)
        layout.addWidget(self.empty)
        layout.addWidget(self._details_scroll, 1)
        # Neither shows until the first read returns: the details are polished, laid out and
        # painted once, with their data, in a later turn of the event loop than the page's build
        # (both in one turn held the UI thread ~50 ms of CPU; bench ui).
        self.empty.hide()
        self._details_scroll.hide()

        self._load = Reload(self._read, self._show_views)
        events.on(self, self._station, self._on_event, "detainer.", "claim.", "settings.update")
        self._timer = QTimer(self)  # redraws the countdown; never reads the database
        self._timer.timeout.connect(self._tick)
        self._timer.start(TICK_MS)
        self.refresh()

    # --- building ---------------------------------------------------------------------------------

    def _build_clock(self) -> QGroupBox:
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
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.deadline.setFont(font)
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.setFont(font)
        self.banner = QLabel()
        self.banner.setObjectName("clock_banner")
        self.banner.setWordWrap(True)
        self.banner.setMargin(6)
        row = QHBoxLayout()
        row.addWidget(self.releasable, 1)
        row.addWidget(now_button)
        row.addWidget(self.record_releasable)
        self.hold_rule = QLabel()
        self.hold_rule.setObjectName("hold_rule")
        self.hold_rule.setWordWrap(True)
        box = QGroupBox(self.tr("48-hour hold"))
        form = QFormLayout(box)
        form.addRow(self.tr("Not counted:"), self.hold_rule)
        form.addRow(self.tr("Releasable at:"), row)
        form.addRow(self.tr("Hold ends:"), self.deadline)
        form.addRow(self.tr("Time left:"), self.countdown)
        form.addRow(self.banner)
        return box

    def _build_claims(self) -> QGroupBox:
        self.claim_kind = QComboBox()
        self.claim_kind.setObjectName("claim_kind")
        self.claim_kind.addItem(self.tr("Says they are a U.S. citizen"), ClaimKind.CITIZEN)
        self.claim_kind.addItem(self.tr("Says they are the victim of a crime"), ClaimKind.VICTIM)
        self.claim_kind.setPlaceholderText(self.tr("Choose the claim…"))
        self.claim_kind.setCurrentIndex(-1)  # no default: the clerk says which
        self.claim_statement = QLineEdit()
        self.claim_statement.setObjectName("claim_statement")
        self.claim_statement.setPlaceholderText(self.tr("What the person said, in their words"))
        self.claim_statement.setMaxLength(2000)
        self.record_claim = QPushButton(self.tr("Record &claim"))
        self.record_claim.setObjectName("record_claim")
        self.record_claim.setAutoDefault(False)
        self.record_claim.clicked.connect(self._record_claim)
        self.claim_kind.currentIndexChanged.connect(self._enable_claim)
        self.claim_statement.textChanged.connect(self._enable_claim)
        self._enable_claim()
        self.claims_text = QLabel()
        self.claims_text.setObjectName("claims_text")
        self.claims_text.setWordWrap(True)
        self.claims_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.claim_kind)
        row.addWidget(self.record_claim)
        row.addStretch(1)
        self.claims_box = QGroupBox(self.tr("Claims to ICE (U.S. citizen or crime victim)"))
        layout = QVBoxLayout(self.claims_box)
        layout.addLayout(row)
        layout.addWidget(self.claim_statement)
        layout.addWidget(self.claims_text)
        return self.claims_box

    def _build_outcome(self) -> QGroupBox:
        self.outcome_kind = QComboBox()
        self.outcome_kind.setObjectName("outcome_kind")
        self.outcome_kind.addItem(self.tr("Released"), Outcome.RELEASED)
        self.outcome_kind.addItem(self.tr("Transferred to ICE custody"), Outcome.TRANSFERRED)
        self.outcome_kind.addItem(self.tr("Detainer cancelled"), Outcome.CANCELLED)
        self.outcome_kind.setPlaceholderText(self.tr("Choose what was done…"))
        self.outcome_kind.setCurrentIndex(-1)  # no default: a wrong outcome ends the hold
        self.outcome_at = QLineEdit()
        self.outcome_at.setObjectName("outcome_at")
        self.outcome_at.setPlaceholderText(self.tr("YYYY-MM-DD HH:MM, jail time"))
        self.outcome_note = QLineEdit()
        self.outcome_note.setPlaceholderText(self.tr("note (optional)"))
        self.record_outcome = QPushButton(self.tr("Record &outcome"))
        self.record_outcome.setObjectName("record_outcome")
        self.record_outcome.setAutoDefault(False)
        self.record_outcome.clicked.connect(self._record_outcome)
        self.outcome_kind.currentIndexChanged.connect(
            lambda index: self.record_outcome.setEnabled(index >= 0)
        )
        self.record_outcome.setEnabled(False)
        self.outcome_text = QLabel()
        self.outcome_text.setObjectName("outcome_text")
        self.outcome_text.setWordWrap(True)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.outcome_kind, 1)
        kind_row.addWidget(self.outcome_at, 1)
        note_row = QHBoxLayout()
        note_row.addWidget(self.outcome_note, 1)
        note_row.addWidget(self.record_outcome)
        self.outcome_box = QGroupBox(self.tr("What was done"))
        layout = QVBoxLayout(self.outcome_box)
        layout.addLayout(kind_row)
        layout.addLayout(note_row)
        layout.addWidget(self.outcome_text)
        return self.outcome_box

    def _build_copy(self) -> QGroupBox:
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
        self.languages.setMinimumHeight(90)
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setObjectName("print")
        self.print_button.clicked.connect(self._print)
        self.save_button = QPushButton(self.tr("&Save PDF…"))
        self.save_button.setObjectName("save_pdf")
        self.save_button.clicked.connect(self._save_dialog)
        self.preview_image = QLabel(self.tr("Choose a language to preview the copy."))
        self.preview_image.setObjectName("preview")
        self.preview_image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = self._preview_scroll = QScrollArea()
        scroll.setWidget(self.preview_image)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(160)
        # The wheel scrolls the page: a clerk scrolling down the page must not get stuck in the copy.
        scroll.viewport().installEventFilter(self)
        pick = QVBoxLayout()
        pick.addWidget(self.language_search)
        pick.addWidget(self.languages, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        pick.addLayout(buttons)
        top = QHBoxLayout()
        top.addLayout(pick, 2)
        top.addWidget(scroll, 3)

        # The hand-over: what the clerk saw happen, after the copy was made.
        self.handover_copy = QComboBox()
        self.handover_copy.setObjectName("handover_copy")
        self.handover_copy.currentIndexChanged.connect(self._fill_given_in)
        self.handover_language = QComboBox()
        self.handover_language.setObjectName("handover_language")
        self.handover_method = QComboBox()
        self.handover_method.setObjectName("handover_method")
        for method in HandOver:
            self.handover_method.addItem(self.tr(_METHOD_TEXT[method]), method)
        self.handover_method.setPlaceholderText(self.tr("How was it given?"))
        self.handover_method.setCurrentIndex(-1)  # no default: the clerk records what happened
        self.interpreter = QLineEdit()
        self.interpreter.setObjectName("interpreter")
        self.interpreter.setPlaceholderText(self.tr("Interpreter's name or ID number"))
        self.interpreter.setMaxLength(200)
        self.record_handover = QPushButton(self.tr("Record &hand-over"))
        self.record_handover.setObjectName("record_handover")
        self.record_handover.setAutoDefault(False)
        self.record_handover.clicked.connect(self._record_handover)
        for signal in (
            self.handover_copy.currentIndexChanged,
            self.handover_language.currentIndexChanged,
            self.handover_method.currentIndexChanged,
            self.interpreter.textChanged,
        ):
            signal.connect(self._enable_handover)
        self.served = QLabel()
        self.served.setObjectName("served")
        self.served.setWordWrap(True)
        self.served.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.handover_box = QGroupBox(self.tr("Hand-over"))
        form = QFormLayout(self.handover_box)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.handover_copy, 1)
        copy_row.addWidget(self.handover_language, 1)
        form.addRow(self.tr("Copy, given in:"), copy_row)
        how_row = QHBoxLayout()
        how_row.addWidget(self.handover_method, 1)
        how_row.addWidget(self.interpreter, 1)
        how_row.addWidget(self.record_handover)
        form.addRow(self.tr("How:"), how_row)
        form.addRow(self.served)

        self.copy_box = QGroupBox(self.tr("The detainee's copy (their language beside English)"))
        layout = QVBoxLayout(self.copy_box)
        layout.addLayout(top, 1)
        layout.addWidget(self.handover_box)
        self._enable_handover()
        return self.copy_box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Wheel and watched is self._preview_scroll.viewport():
            QCoreApplication.sendEvent(self._details_scroll.verticalScrollBar(), event)
            return True
        return super().eventFilter(watched, event)

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
        config = self._station.config  # the settings only: the holiday tables are the clock's work
        if config.counts_state_holidays:
            self.hold_rule.setText(
                self.tr(
                    "Saturdays, Sundays, Federal holidays and %1 state holidays (this agency's setting; "
                    "the detainer form counts Federal holidays only)"
                ).replace("%1", (config.state or "").upper())
            )
        else:
            self.hold_rule.setText(
                self.tr("Saturdays, Sundays and Federal holidays (the detainer form's rule)")
            )
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
            self.chooser.addItem(f"{view.detainer_id} — {detainer_status_text(view.status)}", view.id)
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
        listed = ", ".join(_language_name(code) for code in view.languages) or "—"
        self.facts.setText(
            self.tr("Detainer %1 lodged %2 by %3. Languages on the detainer: %4.")
            .replace("%1", view.detainer_id)
            .replace("%2", _fmt(view.lodged_at))
            .replace("%3", view.office or "ICE")
            .replace("%4", listed)
        )
        self.oral_note.setVisible(bool(view.oral_only))
        self.oral_note.setText(
            self.tr(
                "No written copy in: %1. An interpreter must give the notice in each (in person or by "
                "telephone); record it under Hand-over with the interpreter's name or ID number."
            ).replace("%1", ", ".join(_language_name(code) for code in view.oral_only))
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
        self._show_claims(view)
        self.copy_box.setEnabled(view.deadline is not None)
        if view.deadline is None:
            self.preview_image.setText(
                self.tr("Record the releasable time first: the copy states the deadline.")
            )
        self._show_copies(view)
        self._default_language(view)
        shown = self._preview_pdf.language if self._preview_pdf else self._drawing
        if view.deadline is not None and shown != self.selected_language():
            self._preview()
        self._tick()

    def _show_claims(self, view: DetainerView) -> None:
        for widget in (self.claim_kind, self.claim_statement, self.record_claim):
            widget.setVisible(view.open)
        lines = [self._claim_line(claim) for claim in view.claims]
        if view.open and any(c.outcome is not ClaimOutcome.WITHDRAWN for c in view.claims):
            lines.append(self.tr("The hold's clock keeps running until ICE withdraws the detainer."))
        self.claims_text.setText("\n".join(lines) or self.tr("No claim recorded."))

    def _claim_line(self, claim: ClaimView) -> str:
        zone = self._station.config.zone
        said = (
            self.tr("%1, recorded %2 by %3: “%4”")
            .replace("%1", self.tr(_CLAIM_TEXT[claim.kind]))
            .replace("%2", _fmt(claim.recorded_at.astimezone(zone)))
            .replace("%3", claim.recorded_by)
            .replace("%4", claim.statement)
        )
        if claim.outcome is not None:
            state = (
                self.tr(_CLAIM_OUTCOME_TEXT[claim.outcome])
                .replace("%1", _fmt(claim.outcome_at.astimezone(zone)) if claim.outcome_at else "—")
                .replace("%2", claim.outcome_reason or "")
            )
        elif claim.status is ClaimStatus.REJECTED:
            state = self.tr(
                "ICE's system refused it (%1): call the Law Enforcement Support Center, (855) 448-6903."
            ).replace("%1", recorded_text(claim.problem) if claim.problem else "")
        elif claim.status is ClaimStatus.SENT:
            state = self.tr("ICE has it under review.")
        else:
            state = self.tr("Waiting to be sent to ICE (%1 attempt(s)).").replace("%1", str(claim.attempts))
        return f"{said} — {state}"

    def _show_copies(self, view: DetainerView) -> None:
        """The copies made, the hand-overs recorded, and what is still to do."""
        zone = self._station.config.zone
        selected = self.handover_copy.currentData()
        waiting = {c.id for c in view.copies_not_handed_over}
        self.handover_copy.blockSignals(True)
        self.handover_copy.clear()
        for made in reversed(view.copies):  # newest first
            self.handover_copy.addItem(self._copy_text(made, zone, made.id in waiting), made.id)
        index = self.handover_copy.findData(selected)
        if index < 0 or (waiting and selected not in waiting):
            index = next(
                (i for i in range(self.handover_copy.count()) if self.handover_copy.itemData(i) in waiting), 0
            )
        self.handover_copy.setCurrentIndex(index if self.handover_copy.count() else -1)
        self.handover_copy.blockSignals(False)
        self._fill_given_in()
        self.handover_box.setVisible(bool(view.copies) or bool(view.served))

        lines = [self._served_line(s, zone) for s in view.served]
        if view.languages_still_to_serve:
            lines.append(
                self.tr("Still to give through an interpreter: %1.").replace(
                    "%1", ", ".join(_language_name(c) for c in view.languages_still_to_serve)
                )
            )
        if view.service_complete:
            lines.append(self.tr("Service complete."))
        elif view.copies_not_handed_over:
            lines.append(self.tr("Copy made: record how it was handed over."))
        elif not view.served:
            lines.append(self.tr("The copy has not been served yet."))
        self.served.setText("\n".join(lines))

    def _copy_text(self, made: MadeCopy, zone, waiting: bool) -> str:
        how = self.tr("printed") if made.how == "print" else self.tr("saved")
        text = f"{_language_name(made.language)}, {how} {made.at.astimezone(zone).strftime('%H:%M')}"
        return text if waiting else self.tr("%1 (handed over)").replace("%1", text)

    def _served_line(self, served: ServedCopy, zone) -> str:
        line = (
            self.tr("%1 in %2, %3 by %4 (SHA-256 %5…)")
            .replace("%1", self.tr(_METHOD_DONE[served.method]))
            .replace("%2", _language_name(served.language))
            .replace("%3", _fmt(served.at.astimezone(zone)))
            .replace("%4", served.actor)
            .replace("%5", served.sha256[:16])
        )
        if served.interpreter:
            line += " " + self.tr("Interpreter: %1.").replace("%1", served.interpreter)
        return line

    def _fill_given_in(self) -> None:
        """The languages the chosen copy can be given in: its own, or read by an interpreter in any
        listed language with no written copy."""
        view = self._view
        copy_id = self.handover_copy.currentData()
        made = next((c for c in view.copies if c.id == copy_id), None) if view else None
        current = self.handover_language.currentData()
        self.handover_language.blockSignals(True)
        self.handover_language.clear()
        if made is not None:
            self.handover_language.addItem(_language_name(made.language), made.language)
            for code in view.oral_only:
                self.handover_language.addItem(
                    self.tr("%1 (interpreter)").replace("%1", _language_name(code)), code
                )
        index = self.handover_language.findData(current)
        if (
            index < 0
            and made is not None
            and view.languages_still_to_serve
            and not view.copies_not_handed_over
        ):
            index = self.handover_language.findData(view.languages_still_to_serve[0])
        self.handover_language.setCurrentIndex(max(index, 0) if self.handover_language.count() else -1)
        self.handover_language.blockSignals(False)
        self._enable_handover()

    def _enable_handover(self) -> None:
        method = self.handover_method.currentData()
        language = self.handover_language.currentData()
        interpreted = method is not None and HandOver(method).interpreted
        self.interpreter.setEnabled(interpreted)
        oral = language is not None and not languages.is_written(language)
        if oral and method is not None and not interpreted:
            ready = False  # a language with no written copy is given by an interpreter
        else:
            ready = (
                self.handover_copy.currentData() is not None
                and method is not None
                and (not interpreted or bool(self.interpreter.text().strip()))
            )
        self.record_handover.setEnabled(ready)

    def _default_language(self, view: DetainerView) -> None:
        """Start on the first written non-English language the detainer lists (English when none)."""
        if self.languages.currentItem() is not None:
            return
        wanted = next((c for c in view.written if c != "en"), "en")
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
            restyle(self.banner, "background:#e8f0fe; color:#174ea6;")
            self._last_tick = now
            return
        self.countdown.setText(clock.format_countdown(status.remaining))
        self.banner.setVisible(True)
        restyle(self.banner, _STAGE_STYLE[status.stage])
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
        except ValueError as exc:  # a TimeInputError: its Message in the clerk's language
            raise UserError(error_text(exc)) from None

    def _warn(self, title: str, after: Callable[[], None] | None = None) -> Callable[[Exception], None]:
        """An operation's failure handler: a problem the clerk can act on, in a dialog, in their
        language; `after()` then (e.g. to show a failure the core recorded)."""

        def failed(exc: Exception) -> None:
            if not isinstance(exc, UserError):
                raise exc  # the window's handler shows it
            if not shiboken6.isValid(self):
                return
            if after is not None:
                after()
            QMessageBox.warning(self, title, sentence(error_text(exc)))

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
        kind = self.outcome_kind.currentData()
        if self._view is None or kind is None:
            return
        try:
            at = self._parse(self.outcome_at, self.tr("time of the outcome"))
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Outcome"), str(exc))
            return
        pk, actor, note = self._view.id, self._actor(), self.outcome_note.text()
        op(
            lambda: self._station.detainers.record_outcome(pk, kind, at, actor=actor, note=note),
            lambda _none: self._changed(),
            self._warn(self.tr("Outcome")),
        )

    def _enable_claim(self) -> None:
        self.record_claim.setEnabled(
            self.claim_kind.currentIndex() >= 0 and bool(self.claim_statement.text().strip())
        )

    def _record_claim(self) -> None:
        kind, statement = self.claim_kind.currentData(), self.claim_statement.text()
        if self._view is None or kind is None:
            return
        pk, actor = self._view.id, self._actor()

        def recorded(_claim: ClaimView) -> None:
            self.claim_statement.clear()
            self.claim_kind.setCurrentIndex(-1)
            self._changed()

        op(
            lambda: self._station.detainers.claims.record(pk, kind, statement, actor=actor),
            recorded,
            self._warn(self.tr("Claim")),
        )

    def _record_handover(self) -> None:
        copy_id, method = self.handover_copy.currentData(), self.handover_method.currentData()
        if self._view is None or copy_id is None or method is None:
            return
        pk, actor = self._view.id, self._actor()
        language, interpreter = self.handover_language.currentData(), self.interpreter.text()

        def recorded(_served: ServedCopy) -> None:
            self.handover_method.setCurrentIndex(-1)
            self.interpreter.clear()
            self._changed()

        self.record_handover.setEnabled(False)  # one hand-over per click, however fast the clicks
        op(
            lambda: self._station.detainers.record_handover(
                pk, copy_id, method, actor=actor, interpreter=interpreter, language=language
            ),
            recorded,
            self._warn(self.tr("Hand-over"), after=self._enable_handover),
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
        dpi = max(50, min(90, int(room / 8.5)))

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
                self.preview_image.setText(sentence(error_text(exc)))

        op(work, done, failed)

    def _copy_request(self, title: str) -> tuple[int, str, str] | None:
        """(detainer, language, clerk) of the copy to make, or None after saying what is missing."""
        language = self.selected_language()
        if self._view is None or language is None:
            QMessageBox.information(self, title, self.tr("Choose the detainee's language first."))
            return None
        return self._view.id, language, self._actor()

    def _save_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Save the copy in (named after the booking number and the language)")
        )
        if folder:
            self.save_pdf(folder)

    def save_pdf(self, folder: str, then: Callable[[MadeCopy], None] | None = None) -> None:
        """Make the copy as a PDF file in `folder` (the core names it after the booking number and the
        language, writes it and reads it back); `then(made)` once it is recorded made. A failure is
        recorded by the core as `detainer.copy_failed` and shown."""
        request = self._copy_request(self.tr("Save PDF"))
        if request is None:
            return
        pk, language, actor = request
        detainers = self._station.detainers

        def saved(made: MadeCopy) -> None:
            self._changed()
            if then is not None:
                then(made)

        op(
            lambda: detainers.save_copy(pk, language, folder, actor=actor),
            saved,
            self._warn(self.tr("Save PDF"), after=self._changed),
        )

    def _print(self) -> None:
        from PySide6.QtGui import QPageSize
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))  # the copy is laid out on US Letter
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer, then: Callable[[MadeCopy], None] | None = None) -> None:
        """Print the copy: the exact PDF, drawn at 300 dpi on the printer's page (rendered and
        rasterised off the UI thread, painted on it). Recorded made only once the printer took the
        job; a printer that fails is recorded as `detainer.copy_failed`. `then(made)` after."""
        request = self._copy_request(self.tr("Print"))
        if request is None:
            return
        pk, language, actor = request
        detainers = self._station.detainers
        made_at = utcnow().replace(microsecond=0)

        def render() -> tuple[notice.RenderedNotice, list[bytes]]:
            copy = detainers.copy(pk, language, served_at=made_at)
            return copy, notice.rasterize(copy.pdf, dpi=300)

        def failed(reason: str) -> None:
            QMessageBox.warning(self, self.tr("Print"), reason)
            op(
                lambda: detainers.record_copy_failed(pk, language, "print", reason, actor=actor),
                lambda _none: self._changed(),
            )

        def printed(made: MadeCopy) -> None:
            self._changed()
            if then is not None:
                then(made)

        def paint(result: tuple[notice.RenderedNotice, list[bytes]]) -> None:
            from PySide6.QtPrintSupport import QPrinter

            copy, pages = result
            painter = QPainter()
            if not painter.begin(printer):
                failed(self.tr("The printer could not be opened."))
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
            if not painter.end() or printer.printerState() == QPrinter.PrinterState.Error:
                failed(self.tr("The printer did not accept the job."))
                return
            op(
                lambda: detainers.record_printed(pk, copy, actor=actor, made_at=made_at),
                printed,
                self._warn(self.tr("Print")),
            )

        op(render, paint, self._warn(self.tr("Print")))


def _language_name(code: str) -> str:
    """A listed language as the clerk and the detainee recognise it: its own name, with the
    English one when they differ (the code when the station does not know the language)."""
    own, english = languages.own_name(code), languages.english_name(code)
    if own == code:
        return code
    return own if own == english else f"{own} ({english})"


_METHOD_TEXT = {
    HandOver.HANDED: QT_TRANSLATE_NOOP("DetainerPage", "Handed to the person"),
    HandOver.INTERPRETER_IN_PERSON: QT_TRANSLATE_NOOP("DetainerPage", "Read by an interpreter in person"),
    HandOver.INTERPRETER_PHONE: QT_TRANSLATE_NOOP("DetainerPage", "Read by an interpreter by telephone"),
    HandOver.REFUSED: QT_TRANSLATE_NOOP("DetainerPage", "Offered; the person refused it"),
}
_METHOD_DONE = {
    HandOver.HANDED: QT_TRANSLATE_NOOP("DetainerPage", "Handed to the person"),
    HandOver.INTERPRETER_IN_PERSON: QT_TRANSLATE_NOOP("DetainerPage", "Read by an interpreter in person"),
    HandOver.INTERPRETER_PHONE: QT_TRANSLATE_NOOP("DetainerPage", "Read by an interpreter by telephone"),
    HandOver.REFUSED: QT_TRANSLATE_NOOP("DetainerPage", "Refused"),
}
_CLAIM_TEXT = {
    ClaimKind.CITIZEN: QT_TRANSLATE_NOOP("DetainerPage", "Says they are a U.S. citizen"),
    ClaimKind.VICTIM: QT_TRANSLATE_NOOP("DetainerPage", "Says they are the victim of a crime"),
}
_CLAIM_OUTCOME_TEXT = {  # %1 when ICE decided, %2 ICE's reason
    ClaimOutcome.WITHDRAWN: QT_TRANSLATE_NOOP("DetainerPage", "ICE WITHDREW the detainer %1: %2"),
    ClaimOutcome.REFUSED: QT_TRANSLATE_NOOP(
        "DetainerPage", "ICE refused the claim %1: %2. The detainer stands."
    ),
    ClaimOutcome.PENDING: QT_TRANSLATE_NOOP(
        "DetainerPage", "ICE has not decided (%1): %2. The detainer stands meanwhile."
    ),
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
    return {b: (deadline,) for b, deadline in station.detainers.open_deadlines(booking_ids).items()}
