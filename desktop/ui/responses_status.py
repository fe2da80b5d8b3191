"""The status-bar indicator of the FBI/DHS link: reachable or not, how many wait, and which process
runs the station's duties when it is not this window (a `station serve`, another window).

Redrawn on the core's "link.status" and "duties.owner" events; it reads only in-memory status.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from booking_station.progress import format_duration
from desktop.station.outbox_worker import BackendPreparation
from desktop.station.service import StationService
from desktop.ui import events


class SubmissionIndicator(QLabel):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submission-indicator")
        self._service = service
        events.on(self, service.station, lambda _event: self.update_text(), "link.status", "duties.owner")
        self.update_text()

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
                text = QCoreApplication.translate("Responses", "FBI/DHS link: run by {who} on {host}").format(
                    who=who, host=holder.host
                )
                tip = holder.owner
            self.setText(text)
            self.setStyleSheet("color: #5f6368")
            self.setToolTip(tip)
            return
        st = self._service.link()
        waiting = (
            QCoreApplication.translate("Responses", "%n waiting to be sent", None, st.queued)
            if st.queued
            else QCoreApplication.translate("Responses", "outbox empty")
        )
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
        elif st.last_error is None:
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
            self.setToolTip(st.last_error)


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
