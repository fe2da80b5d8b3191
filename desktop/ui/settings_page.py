"""Station settings (supervisors only): every config key, each message beside its field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.station import config as config_module
from desktop.station.config import ConfigError
from desktop.station.core import Station
from desktop.station.operators import OperatorInfo
from desktop.ui._worker import op
from desktop.ui.booking_form import ERROR_STYLE
from desktop.ui.message_text import error_text, plan_text
from desktop.ui.message_text import text as message_words
from desktop.ui.translations import LANGUAGE_NAMES
from ebts import codes


class SettingsPage(QWidget):
    saved = Signal()

    def __init__(self, station: Station, operator: OperatorInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._operator = operator
        self.ori = QLineEdit()
        self.name = QLineEdit()
        self.zone = QLineEdit()
        self.state = QComboBox()
        for code, label in codes.US_STATES.items():
            self.state.addItem(f"{code} — {label}", code)
        self.hold_holidays = QComboBox()
        self.hold_holidays.addItem(self.tr("Federal holidays (as the detainer form says)"), "federal")
        self.hold_holidays.addItem(self.tr("Federal and the state's holidays"), "federal+state")
        self.backend = QLineEdit()
        # The station's certificate files for a backend at a URL (`booking-station pki issue`).
        self.backend_ca = QLineEdit()
        self.backend_certificate = QLineEdit()
        self.backend_key = QLineEdit()
        self.scanner = QLineEdit()
        self.immigration = QCheckBox(self.tr("This agency receives immigration responses (IDENT/IAR)"))
        self.quality = QSpinBox()
        self.quality.setRange(0, 100)
        self.alerts = QLineEdit()
        self.language = QComboBox()
        for code in config_module.LANGUAGES:
            # Each language by its own name, so a clerk finds theirs whatever the UI shows now.
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.capture_plan = QComboBox()
        for code in config_module.CAPTURE_PLANS:
            self.capture_plan.addItem(f"{code} — {plan_text(code)}", code)
        self.database = QLineEdit()
        rows: list[tuple[str, str, QWidget, str]] = [
            ("agency_ori", self.tr("Agency &ORI"), self.ori, self.tr("9 characters, e.g. VA0000000")),
            ("agency_name", self.tr("Agency &name"), self.name, ""),
            ("time_zone", self.tr("&Time zone"), self.zone, self.tr("IANA name, e.g. America/Chicago")),
            ("state", self.tr("&State (holidays)"), self.state, ""),
            (
                "hold_holidays",
                self.tr("Detainer &hold skips"),
                self.hold_holidays,
                self.tr(
                    "The 48-hour hold excludes Saturdays, Sundays and these holidays; the form says "
                    "Federal holidays: choose the state's too only if your counsel requires it"
                ),
            ),
            ("backend_url", self.tr("&Backend"), self.backend, self.tr("'embedded' or https://…")),
            (
                "backend_ca",
                self.tr("Backend's CA certi&ficate"),
                self.backend_ca,
                self.tr("ca.pem from `pki issue`; empty with 'embedded'"),
            ),
            (
                "backend_certificate",
                self.tr("Station ce&rtificate"),
                self.backend_certificate,
                self.tr("station.pem from `pki issue --ori ORI`"),
            ),
            (
                "backend_key",
                self.tr("Station &key"),
                self.backend_key,
                self.tr("station.key (readable by this account only)"),
            ),
            ("scanner", self.tr("S&canner"), self.scanner, self.tr("'virtual' or a device id")),
            ("immigration_responses", self.tr("&Immigration"), self.immigration, ""),
            ("quality_threshold", self.tr("&Quality threshold"), self.quality, self.tr("0–100")),
            (
                "detainer_alerts_hours",
                self.tr("Detainer &alerts (hours)"),
                self.alerts,
                self.tr("e.g. 12, 2"),
            ),
            ("language", self.tr("&Language (from the next start)"), self.language, ""),
            (
                "capture_plan",
                self.tr("Ca&pture plan"),
                self.capture_plan,
                self.tr("Which prints a booking takes; a booking already under way keeps its rolled prints"),
            ),
            (
                "database_url",
                self.tr("&Database"),
                self.database,
                self.tr("SQLAlchemy URL; empty: local file"),
            ),
        ]
        self.errors: dict[str, QLabel] = {}
        self.editors: dict[str, QWidget] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        for row, (key, text, editor, hint) in enumerate(rows):
            label = QLabel(text)
            label.setBuddy(editor)
            if isinstance(editor, QLineEdit):
                editor.setPlaceholderText(hint)
                editor.returnPressed.connect(self.save)
            elif hint:
                editor.setToolTip(hint)
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
            grid.addWidget(error, row, 2)
            self.errors[key] = error
            self.editors[key] = editor
        self.status = QLabel()
        self.status.setObjectName("settings_status")
        save = QPushButton(self.tr("&Save settings"))
        save.clicked.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(save)
        layout = QVBoxLayout(self)
        title = QLabel(
            self.tr("<h3>Settings</h3>Saved to %1").replace("%1", str(config_module.config_path()))
        )
        title.setWordWrap(True)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self.refresh()

    def refresh(self) -> None:
        cfg = self._station.config
        self.ori.setText(cfg.agency_ori)
        self.name.setText(cfg.agency_name)
        self.zone.setText(cfg.time_zone)
        self.state.setCurrentIndex(max(0, self.state.findData(cfg.state)))
        self.hold_holidays.setCurrentIndex(max(0, self.hold_holidays.findData(cfg.hold_holidays)))
        self.backend.setText(cfg.backend_url)
        self.backend_ca.setText(cfg.backend_ca)
        self.backend_certificate.setText(cfg.backend_certificate)
        self.backend_key.setText(cfg.backend_key)
        self.scanner.setText(cfg.scanner)
        self.immigration.setChecked(cfg.immigration_responses)
        self.quality.setValue(cfg.quality_threshold)
        self.alerts.setText(", ".join(f"{h:g}" for h in cfg.detainer_alerts_hours))
        self.language.setCurrentIndex(max(0, self.language.findData(cfg.language)))
        self.capture_plan.setCurrentIndex(max(0, self.capture_plan.findData(cfg.capture_plan)))
        self.database.setText(cfg.database_url)
        for error in self.errors.values():
            error.clear()
        self.status.clear()

    def _values(self) -> tuple[dict[str, Any], dict[str, str]]:
        problems: dict[str, str] = {}
        alerts: list[Any] = []
        for part in filter(None, (p.strip() for p in self.alerts.text().split(","))):
            try:
                alerts.append(float(part))
            except ValueError:
                problems["detainer_alerts_hours"] = self.tr(
                    "hours as numbers separated by commas, e.g. 12, 2"
                )
        values = {
            "agency_ori": self.ori.text(),
            "agency_name": self.name.text(),
            "time_zone": self.zone.text(),
            "state": self.state.currentData(),
            "hold_holidays": self.hold_holidays.currentData(),
            "backend_url": self.backend.text(),
            "backend_ca": self.backend_ca.text(),
            "backend_certificate": self.backend_certificate.text(),
            "backend_key": self.backend_key.text(),
            "scanner": self.scanner.text(),
            "immigration_responses": self.immigration.isChecked(),
            "quality_threshold": self.quality.value(),
            "detainer_alerts_hours": alerts,
            "language": self.language.currentData(),
            "capture_plan": self.capture_plan.currentData(),
            "database_url": self.database.text(),
        }
        return values, problems

    def save(self) -> bool:
        values, problems = self._values()
        try:
            new = config_module.replace(self._station.config, **values)
        except ConfigError as exc:
            problems = {**{key: message_words(reason) for key, reason in exc.messages.items()}, **problems}
        for key, error in self.errors.items():
            error.setText(problems.get(key, ""))
        if problems:
            self.status.setText(self.tr("Not saved: correct the fields marked in red."))
            self.status.setStyleSheet(ERROR_STYLE)
            return False
        old = self._station.config
        new_database = new.resolved_database_url() != old.resolved_database_url()
        new_language = new.language != old.language
        actor = self._operator.username
        self.status.setText(self.tr("Saving…"))
        self.status.setStyleSheet("")
        op(
            lambda: self._station.update_config(new, actor=actor),
            lambda _none: self._saved(new_database, new_language),
            self._save_failed,
        )
        return True

    def _save_failed(self, exc: Exception) -> None:
        self.status.setText(self.tr("Not saved: %1").replace("%1", error_text(exc)))
        self.status.setStyleSheet(ERROR_STYLE)

    def _saved(self, new_database: bool, new_language: bool) -> None:
        self.status.setStyleSheet("")
        if new_database and new_language:
            text = self.tr("Saved. The new database and language are used from the next start.")
        elif new_database:
            text = self.tr("Saved. The new database is used from the next start.")
        elif new_language:
            text = self.tr("Saved. The new language is used from the next start.")
        else:
            text = self.tr("Saved.")
        self.status.setText(text)
        self.saved.emit()
