"""The Reports page (supervisors, F10): the jail's quarterly detainer report on screen, saved as PDF and CSV.

The figures come from the core (desktop/station/reports/jail.py), read off the UI thread; this page
only words them (the core's figure codes become sentences here, in the station's language) and
asks where to save the files.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from booking_station.quarters import Quarter
from desktop.station.core import Station
from desktop.station.reports import jail, jail_files
from desktop.ui._worker import op
from desktop.ui.booking_form import ERROR_STYLE


def _when(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


class ReportsPage(QWidget):
    def __init__(self, station: Station, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self.report: jail.JailReport | None = None
        self.quarter = QComboBox()
        self.quarter.setObjectName("report_quarter")
        self.show_button = QPushButton(self.tr("&Show"))
        self.show_button.setAutoDefault(False)
        self.show_button.clicked.connect(self.refresh)
        self.save_button = QPushButton(self.tr("Save &PDF and CSV…"))
        self.save_button.setAutoDefault(False)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setObjectName("report_status")
        self.status.setWordWrap(True)
        self.chain = QLabel()
        self.chain.setObjectName("report_chain")
        self.chain.setWordWrap(True)
        self.figures = self._table([self.tr("Figure"), self.tr("Count")])
        self.late = self._table(
            [self.tr("Detainer"), self.tr("Booking"), self.tr("Releasable"), self.tr("Deadline"),
             self.tr("Ended"), self.tr("How"), self.tr("Hours over")]
        )  # fmt: skip
        self.late_note = QLabel()
        self.copies = self._table(
            [self.tr("Language"), self.tr("How it was given"), self.tr("Interpreter"), self.tr("Copies")]
        )
        self.claims = self._table([self.tr("Claim"), self.tr("Outcome"), self.tr("Count")])

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("&Quarter:")))
        top.itemAt(0).widget().setBuddy(self.quarter)
        top.addWidget(self.quarter)
        top.addWidget(self.show_button)
        top.addStretch(1)
        top.addWidget(self.save_button)
        # Figures on the left; on the right what needs a supervisor's eye first: the late holds.
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.chain)
        sides = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel(self.tr("<b>Figures</b>")))
        left.addWidget(self.figures)
        left.addStretch(1)
        right.addWidget(QLabel(self.tr("<b>Every hold that went past its deadline</b> (the target is none)")))
        right.addWidget(self.late_note)
        right.addWidget(self.late)
        right.addWidget(QLabel(self.tr("<b>Copies served, by language and by how they were given</b>")))
        right.addWidget(self.copies)
        right.addWidget(QLabel(self.tr("<b>Citizenship and victim claims</b>")))
        right.addWidget(self.claims)
        right.addStretch(1)
        sides.addLayout(left, 0)
        sides.addLayout(right, 1)
        column.addLayout(sides)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "<h3>Reports</h3>The jail's quarterly detainer report, from the audit log and the "
                    "detainers (the audit chain is verified first)."
                )
            )
        )
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        self._fill_quarters()

    def _table(self, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return table

    def _fill_quarters(self) -> None:
        quarters = jail.recent_quarters(self._station.config)
        self.quarter.clear()
        for i, quarter in enumerate(quarters):
            label = str(quarter) if i else self.tr("%1 (so far)").replace("%1", str(quarter))
            self.quarter.addItem(label, str(quarter))
        # The last whole quarter is the one a supervisor usually reports on.
        self.quarter.setCurrentIndex(1 if len(quarters) > 1 else 0)

    # --- loading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        quarter = Quarter.parse(self.quarter.currentData())
        self.show_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Reading %1…").replace("%1", str(quarter)))
        station = self._station
        op(lambda: jail.for_station(station, quarter), self._show, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.show_button.setEnabled(True)
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(self.tr("Could not make the report: %1").replace("%1", str(exc)))

    def _show(self, report: jail.JailReport) -> None:
        self.report = report
        self.show_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.status.setText(
            self.tr("%1: %2 to %3 (%4), %5 audit events read.")
            .replace("%1", str(report.quarter))
            .replace("%2", f"{report.since:%Y-%m-%d}")
            .replace("%3", f"{report.until:%Y-%m-%d}")
            .replace("%4", report.time_zone)
            .replace("%5", str(sum(report.read.values())))
        )
        v = report.verification
        if v.ok:
            self.chain.setStyleSheet("")
            self.chain.setText(
                self.tr("Audit chain verified: %1 events, every link checked.").replace("%1", str(v.count))
            )
        else:
            self.chain.setStyleSheet(ERROR_STYLE)
            self.chain.setText(
                self.tr(
                    "Audit chain NOT verified (tampered at event %1: %2). These figures may not be what happened."
                )
                .replace("%1", str(v.first_bad_seq))
                .replace("%2", v.reason)
            )
        labels = self._labels()
        rows = [
            (labels.get(code, code), value, code == "past_deadline" and value > 0)
            for code, value in report.summary()
        ]
        self._fill(
            self.figures, [(label, str(value)) for label, value, _ in rows], [warn for *_, warn in rows]
        )
        how = self._endings()
        self._fill(
            self.late,
            [(h.detainer_id, h.booking_number, _when(h.releasable_at), _when(h.deadline),
              _when(h.ended_at) or self.tr("still held"), how.get(h.ended_how, h.ended_how) if h.ended_at
              else self.tr("no outcome recorded"), f"{h.hours_over:g}") for h in report.late],
            [True] * len(report.late),
        )  # fmt: skip
        self.late_note.setText(self.tr("None: every hold ended by its deadline.") if not report.late else "")
        self.late_note.setVisible(not report.late)
        self.late.setVisible(bool(report.late))
        methods = self._methods()
        self._fill(
            self.copies,
            [(language, methods.get(method, method), self.tr("yes") if interpreter == "yes" else self.tr("no"), str(n))
             for (language, method, interpreter), n in sorted(report.copies.items())],
        )  # fmt: skip
        kinds, outcomes = self._claim_words()
        claim_rows = [
            (kinds.get(k, k), self.tr("recorded"), str(n)) for k, n in sorted(report.claims.items())
        ]
        claim_rows += [
            (kinds.get(k, k), outcomes.get(o, o), str(n))
            for (k, o), n in sorted(report.claim_outcomes.items())
        ]
        self._fill(self.claims, claim_rows)

    def _fill(self, table: QTableWidget, rows: list[tuple[str, ...]], warn: list[bool] | None = None) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == len(values) - 1 and value.replace(".", "", 1).isdigit():
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if warn and warn[r]:
                    item.setBackground(QColor("#ffd9b3"))
                table.setItem(r, c, item)
        # Tall enough for every row: the page scrolls, not each table.
        height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(len(rows))) + 4
        table.setFixedHeight(max(height, table.horizontalHeader().height() + 8))
        if table is self.figures:  # as wide as its words and numbers, beside the other tables
            header = table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
            table.resizeColumnToContents(0)
            table.setColumnWidth(1, 80)
            table.setFixedWidth(table.columnWidth(0) + 80 + 2 * table.frameWidth() + 2)

    # --- saving ----------------------------------------------------------------------------------

    def save(self) -> None:
        if self.report is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Save the report into"))
        if folder:
            self.save_into(folder)

    def save_into(self, folder: str) -> None:
        from pathlib import Path

        report = self.report
        self.save_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Saving…"))
        op(lambda: jail_files.write(report, Path(folder)), self._saved, self._save_failed)

    def _saved(self, paths: dict) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(
            self.tr("Saved: %1 and %2 CSV files.")
            .replace("%1", str(paths["pdf"]))
            .replace("%2", str(len(paths) - 1))
        )

    def _save_failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(self.tr("Not saved: %1").replace("%1", str(exc)))

    # --- words for the core's codes ----------------------------------------------------------------

    def _labels(self) -> dict[str, str]:
        indent = "    "
        labels = {
            "received": self.tr("Detainers received"),
            "clocks_started": self.tr("Releasable times recorded (the 48-hour clock started)"),
            "ended:transferred": self.tr("Holds ended: transferred to ICE custody"),
            "ended:released": self.tr("Holds ended: released"),
            "ended:cancelled": self.tr("Holds ended: withdrawn or cancelled by ICE"),
            "lapsed": self.tr("Hold authority lapsed before an outcome was recorded"),
            "past_deadline": self.tr("Holds past their deadline (target: none)"),
            "copies": self.tr("Copies of the detainer served"),
            "claims:citizen": self.tr("Citizenship claims recorded"),
            "claims:victim": self.tr("Victim claims recorded"),
            "alerts_raised": self.tr("Wrong-person alerts raised"),
            "alerts_acknowledged": self.tr("Wrong-person alerts acknowledged"),
            "declined": self.tr("Immigration responses declined by the agency's choice"),
            "unmatched": self.tr("Detainer messages matching no booking"),
            "malformed": self.tr("Detainer messages that could not be read"),
            "cancel_unmatched": self.tr("Cancellations matching no detainer"),
        }
        for kind in ("transferred", "released", "cancelled"):
            labels[f"late:{kind}"] = indent + self.tr("of which after the deadline")
        for method, word in self._methods().items():
            labels[f"copies:{method}"] = indent + word
        kinds, outcomes = self._claim_words()
        for kind in jail.CLAIM_KINDS:
            for outcome in jail.CLAIM_OUTCOMES:
                labels[f"claim:{kind}:{outcome}"] = indent + f"{kinds[kind]}: {outcomes[outcome]}"
        return labels

    def _methods(self) -> dict[str, str]:
        return {
            "handed": self.tr("handed to the detainee"),
            "interpreter_in_person": self.tr("read by an interpreter in person"),
            "interpreter_phone": self.tr("read by an interpreter by phone"),
            "refused": self.tr("refused by the detainee"),
            jail.NOT_RECORDED: self.tr("how it was given not recorded"),
        }

    def _claim_words(self) -> tuple[dict[str, str], dict[str, str]]:
        kinds = {"citizen": self.tr("citizenship claim"), "victim": self.tr("victim claim")}
        outcomes = {
            "withdrawn": self.tr("withdrawn"),
            "refused": self.tr("refused"),
            "pending": self.tr("pending"),
        }
        return kinds, outcomes

    def _endings(self) -> dict[str, str]:
        return {
            "released": self.tr("released"),
            "transferred": self.tr("transferred to ICE custody"),
            "cancelled": self.tr("withdrawn or cancelled by ICE"),
        }
