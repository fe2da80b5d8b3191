"""The Responses page of a booking: its submissions (sent, waiting, failed) and every answer
(SRE, ERRT with what to fix, IAR, detainer), newest first, plus the Answer column of the list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.station.booking_state import IN_FLIGHT, BookingState
from desktop.station.core import Station
from desktop.station.models import TransactionStatus
from desktop.ui import events, message_text
from desktop.ui._worker import Reload, off_ui_thread, op
from desktop.ui.booking_pages import PageContext
from desktop.ui.responses_render import detail_html, title
from desktop.ui.status import status_text

_SEVERITY = {"alert": "#b00020", "attention": "#b06000", "info": "#188038"}
_KIND_COLOUR = {"ERRT": "#b06000", "DETAINER": "#b00020"}


@off_ui_thread
def answer_column(station: Station, booking_ids: Sequence[int]) -> Mapping[int, str]:
    """The bookings list's "Answer" column: the latest meaningful answer per booking."""
    return {b: message_text.text(o.message) for b, o in station.responses.outcomes(booking_ids).items()}


class ResponsesPage(QWidget):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._shown: list[int] = []
        self._statuses: list[TransactionStatus] = []  # the submissions' states last shown
        self._busy = False
        self.state = QLabel()
        self.state.setObjectName("submission-state")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.submit = QPushButton(QCoreApplication.translate("Responses", "&Submit to FBI"))
        self.submit.clicked.connect(self._submit)
        widest = max(
            self.submit.fontMetrics().horizontalAdvance(t)
            for t in (
                QCoreApplication.translate("Responses", "Submit to FBI"),
                QCoreApplication.translate("Responses", "Resubmit corrected"),
            )
        )
        self.submit.setMinimumWidth(widest + 40)
        self.retry = QPushButton(QCoreApplication.translate("Responses", "&Retry now"))
        self.retry.clicked.connect(self._retry)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.retry)
        buttons.addWidget(self.submit)
        self.list = QListWidget()
        self.list.setObjectName("responses")
        # A long answer ("immigration response, Entered without inspection…") wraps instead of
        # hiding behind a sideways scroll bar.
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._show_detail)
        self.detail = QTextBrowser()
        self.detail.setObjectName("response-detail")
        self.detail.setOpenExternalLinks(False)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setStretchFactor(1, 2)
        split.setSizes([400, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self._load = Reload(self._read, self._show)
        # New answers and sends come from the outbox worker (or `station serve`) as events.
        events.on(
            self, context.station, lambda _event: self.refresh(), "submission.", "response.", "booking.status"
        )
        self.refresh()

    # --- the page protocol --------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the booking's submissions and answers again (off the UI thread)."""
        self._load()

    @property
    def loading(self) -> bool:
        return self._load.busy

    @off_ui_thread
    def _read(self) -> tuple[list, list, BookingState]:
        station, booking_id = self._context.station, self._context.booking_id
        items = station.outbox.for_booking(booking_id)
        views = list(reversed(station.responses.for_booking(booking_id)))
        return items, views, station.bookings.state(booking_id)

    def _show(self, loaded: tuple[list, list, BookingState]) -> None:
        station = self._context.station
        items, views, state = loaded
        self._render_state(items, state)
        current = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        zone = station.config.zone
        for view in views:
            when = view.received_at.astimezone(zone).strftime("%m-%d %H:%M")
            item = QListWidgetItem(f"{when}  {title(view)}")
            item.setData(Qt.ItemDataRole.UserRole, view)
            if view.kind in _KIND_COLOUR:
                item.setForeground(QColor(_KIND_COLOUR[view.kind]))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._shown = [v.id for v in views]
        if views:
            self.list.setCurrentRow(min(max(current, 0), len(views) - 1))
            self._show_detail(self.list.currentRow())
        else:
            self.detail.setHtml("<p>" + QCoreApplication.translate("Responses", "No answers yet.") + "</p>")

    def _render_state(self, items, state: BookingState) -> None:
        # The state's word is the one the header, the list and the status bar use (ui/status.py);
        # what follows it is this page's detail: the TCN, the attempts, what to do.
        self._statuses = [i.status for i in items]
        last = items[-1] if items else None
        waiting = state in IN_FLIGHT
        failed = last is not None and last.status is TransactionStatus.FAILED
        word = "<b>" + _esc(status_text(state)) + "</b>"
        if last is None:
            text = word + " · " + QCoreApplication.translate("Responses", "Not submitted yet.")
        elif state is BookingState.WAITING_TO_SEND:
            text = (
                word
                + " · "
                + QCoreApplication.translate(
                    "Responses", "TCN {tcn}, %n attempt(s).", None, last.attempts
                ).format(tcn=last.tcn)
            )
            if last.problem:
                # Say what it means for the clerk first; the technical reason is for support.
                text += (
                    "<br>"
                    + QCoreApplication.translate(
                        "Responses",
                        "The FBI/DHS service did not take it yet. The station keeps trying by itself; nothing is lost.",
                    )
                    + "<br><small>"
                    + QCoreApplication.translate("Responses", "Last attempt: {e}").format(
                        e=_esc(message_text.recorded_text(last.problem))
                    )
                    + "</small>"
                )
        elif failed:
            text = (
                word
                + " · "
                + QCoreApplication.translate(
                    "Responses", "TCN {tcn}: correct the booking and resubmit."
                ).format(tcn=last.tcn)
            )
        else:
            text = word + " · " + QCoreApplication.translate("Responses", "TCN {tcn}.").format(tcn=last.tcn)
        self.state.setText(text)
        self.retry.setVisible(state is BookingState.WAITING_TO_SEND)
        self.submit.setText(
            QCoreApplication.translate("Responses", "Resubmit &corrected")
            if failed
            else QCoreApplication.translate("Responses", "&Submit to FBI")
        )
        self.submit.setEnabled(not waiting and not self._busy and (last is None or failed))

    # --- actions ------------------------------------------------------------------------------
    def _submit(self) -> None:
        station, booking_id = self._context.station, self._context.booking_id
        actor = self._context.operator.username
        self._busy = True
        self.submit.setEnabled(False)
        self.state.setText(QCoreApplication.translate("Responses", "Building the submission…"))

        def done(tcn: str) -> None:
            self._busy = False
            self.refresh()
            self._context.changed()

        def failed(exc: Exception) -> None:
            self._busy = False
            self.refresh()
            QMessageBox.warning(
                self,
                QCoreApplication.translate("Responses", "Cannot submit"),
                message_text.sentence(message_text.error_text(exc)),
            )

        op(lambda: station.outbox.enqueue(booking_id, actor=actor), done, failed)

    def _retry(self) -> None:
        outbox, booking_id = self._context.station.outbox, self._context.booking_id
        actor = self._context.operator.username

        def retry() -> None:
            queued = [i for i in outbox.for_booking(booking_id) if i.status is TransactionStatus.QUEUED]
            if queued:
                outbox.retry_now(queued[-1].tcn, actor=actor)

        def failed(exc: Exception) -> None:  # shown, never swallowed
            QMessageBox.warning(
                self,
                QCoreApplication.translate("Responses", "Cannot retry"),
                message_text.sentence(message_text.error_text(exc)),
            )
            self.refresh()

        op(retry, lambda _none: self.refresh(), failed)

    def _show_detail(self, row: int) -> None:
        item = self.list.item(row)
        if item is None:
            return
        view = item.data(Qt.ItemDataRole.UserRole)
        self.detail.setHtml(detail_html(view, self._context.station.config.zone))


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
