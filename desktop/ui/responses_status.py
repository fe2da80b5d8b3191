"""The status-bar indicator of the submission worker: reachable or not, and how many wait."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from desktop.station.outbox_worker import SubmissionWorker

REFRESH_MS = 2000


class SubmissionIndicator(QLabel):
    def __init__(self, worker: SubmissionWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("submission-indicator")
        self._worker = worker
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.update_text)
        self._timer.start(REFRESH_MS)
        self.update_text()

    def update_text(self) -> None:
        st = self._worker.status()
        waiting = (
            QCoreApplication.translate("Responses", "%n waiting to be sent", None, st.queued)
            if st.queued
            else QCoreApplication.translate("Responses", "outbox empty")
        )
        if st.connected and st.backend_state == "starting":
            self.setText(
                QCoreApplication.translate(
                    "Responses", "FBI/DHS link: connected, backend preparing ({p} %) · {waiting}"
                ).format(p=round(100 * st.backend_progress), waiting=waiting)
            )
            self.setStyleSheet("color: #5f6368")
            self.setToolTip(st.url or "")
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
