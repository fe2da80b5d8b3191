"""The status-bar indicator of the FBI/DHS link: reachable or not, how many submissions are on their
way and in which state (in the words of the booking header and the list: ui/status.py), and which
process runs the station's duties when it is not this window (a `station serve`, another window).

Redrawn on the core's "link.status" and "duties.owner" events; the submissions on their way are
counted again off the UI thread on "submission.", "response." and "booking.status" events.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from booking_station.progress import format_duration
from desktop.station.booking_state import IN_FLIGHT, BookingState
from desktop.station.outbox_worker import BackendPreparation
from desktop.station.service import StationService
from desktop.ui import events, message_text
from desktop.ui._worker import Reload, off_ui_thread
from desktop.ui.status import status_text


class SubmissionIndicator(QLabel):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submission-indicator")
        self._service = service
        self._in_flight: dict[BookingState, int] = {}
        self._count = Reload(self._read_in_flight, self._show_in_flight, lambda _exc: None)
        events.on(self, service.station, lambda _event: self.update_text(), "link.status", "duties.owner")
        events.on(
            self, service.station, lambda _event: self._count(), "submission.", "response.", "booking.status"
        )
        self.update_text()
        self._count()

    @property
    def counting(self) -> bool:
        return self._count.busy

    @off_ui_thread
    def _read_in_flight(self) -> dict[BookingState, int]:
        return self._service.station.outbox.in_flight()

    def _show_in_flight(self, counts: dict[BookingState, int]) -> None:
        self._in_flight = counts
        self.update_text()

    def _on_its_way(self) -> str:
        """ "Waiting to be sent: 1 · Sent, awaiting answer: 2", or that nothing is on its way."""
        parts = [
            f"{status_text(state)}: {self._in_flight[state]}"
            for state in IN_FLIGHT
            if self._in_flight.get(state)
        ]
        return " · ".join(parts) or QCoreApplication.translate("Responses", "no submission on its way")

    def update_text(self) -> None:
        duties = self._service.status()
        if not duties.mine:
            holder = duties.holder
            if holder is None:
                text = QCoreApplication.translate("Responses", "FBI/DHS link: starting…")
                tip = ""
            else:
                who = (
                    QCoreApplication.translate("Responses", "the station service")
                    if holder.role == "service"
                    else QCoreApplication.translate("Responses", "another station window")
                )
                text = (
                    QCoreApplication.translate("Responses", "FBI/DHS link: run by {who} on {host}").format(
                        who=who, host=holder.host
                    )
                    + " · "
                    + self._on_its_way()
                )
                tip = holder.owner
            self.setText(text)
            self.setStyleSheet("color: #5f6368")
            self.setToolTip(tip)
            return
        st = self._service.link()
        waiting = self._on_its_way()
        if st.connected and st.backend_state == "starting":
            self.setText(
                QCoreApplication.translate(
                    "Responses", "FBI/DHS link: connected, backend preparing: {doing} · {waiting}"
                ).format(doing=_preparation_text(st.backend), waiting=waiting)
            )
            self.setStyleSheet("color: #5f6368")
            tip = QCoreApplication.translate(
                "Responses",
                "Submissions are searched against the people enrolled so far: an identification is "
                'answered at once, "no record" once everyone is enrolled.',
            )
            self.setToolTip(
                f"{st.url or ''}\n{tip}" if st.backend and st.backend.searchable else st.url or ""
            )
        elif st.connected:
            self.setText(
                QCoreApplication.translate("Responses", "FBI/DHS link: connected · {waiting}").format(
                    waiting=waiting
                )
            )
            self.setStyleSheet("color: #188038")
            self.setToolTip(st.url or "")
        elif st.problem is None:
            self.setText(
                QCoreApplication.translate("Responses", "FBI/DHS link: starting… · {waiting}").format(
                    waiting=waiting
                )
            )
            self.setStyleSheet("color: #5f6368")
            self.setToolTip("")
        else:
            self.setText(
                QCoreApplication.translate(
                    "Responses", "FBI/DHS link: not reachable, retrying · {waiting}"
                ).format(waiting=waiting)
            )
            self.setStyleSheet("color: #b06000")
            self.setToolTip(message_text.text(st.problem))


def _preparation_text(preparation: BackendPreparation | None) -> str:
    """What the backend is doing while it prepares, and how far it has got."""
    if preparation is None or preparation.activity == "starting":
        return QCoreApplication.translate("Responses", "starting")
    if preparation.activity == "loading":
        return QCoreApplication.translate("Responses", "loading its fingerprint files")
    if preparation.activity != "enrolling" or not preparation.total:
        return QCoreApplication.translate("Responses", "preparing its fingerprint files")
    text = QCoreApplication.translate("Responses", "enrolling fingerprints {done} of {total} ({p} %)").format(
        done=preparation.done, total=preparation.total, p=round(100 * preparation.done / preparation.total)
    )
    if preparation.seconds_left is not None:
        text += QCoreApplication.translate("Responses", ", about {left} left").format(
            left=format_duration(preparation.seconds_left)
        )
    return text
