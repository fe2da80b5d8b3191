"""The booking form (demographics and charges) with each validation message beside its field.

`BookingDetailsPage` is the "Details" page of a booking (see booking_pages.py): it creates the
booking on first save and updates it afterwards. Enter in any field saves (as does Ctrl+S).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from booking_station.runtime import UserError
from desktop.station.bookings import FIELDS, BookingForm, BookingInvalid, BookingRecord, parse
from desktop.station.db_errors import LOCK_WAIT_S, STATEMENT_TIMEOUT_S, StoreUnavailable
from desktop.station.messages import Message
from desktop.ui import events, message_text
from desktop.ui._worker import Reload, off_ui_thread, op
from desktop.ui.booking_pages import PageContext
from desktop.ui.code_text import code_table
from ebts import codes

ERROR_STYLE = "color: #b00020;"
_log = logging.getLogger(__name__)


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _code_combo(table: Mapping[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.addItem("", "")
    for code, name in table.items():
        combo.addItem(f"{code} — {name}", code)
    return combo


def _searchable_code_combo(table: Mapping[str, str]) -> QComboBox:
    """A code picker for long tables (place of birth): type any part of the name, or the code.

    On leaving the field the typed text settles on the entry it names: its code, its full text,
    or the only entry containing it. Text that names no single entry clears the choice, so the
    field's own message asks for one instead of a stale entry being saved silently."""
    combo = _code_combo(dict(sorted(table.items(), key=lambda item: item[1])))
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def settle() -> None:
        typed = combo.currentText().strip().casefold()
        entries = [(i, combo.itemText(i), str(combo.itemData(i))) for i in range(1, combo.count())]
        exact = [i for i, text, code in entries if typed in (text.casefold(), code.casefold())]
        partial = [i for i, text, _ in entries if typed and typed in text.casefold()]
        chosen = exact or (partial if len(partial) == 1 else [0])
        combo.setCurrentIndex(chosen[0])
        combo.setEditText(combo.itemText(chosen[0]))

    combo.lineEdit().editingFinished.connect(settle)
    # Tab while the list of matches is open moves on without editingFinished (nor a FocusOut
    # event): settle whenever the keyboard focus leaves the field, however it left.
    _OnFocusLeft(combo, settle)
    return combo


class _OnFocusLeft(QObject):
    """Calls `action` when the keyboard focus moves from `field` (or its line edit) elsewhere."""

    def __init__(self, field: QComboBox, action: Callable[[], None]) -> None:
        super().__init__(field)  # a child: the connection ends with the field
        self._parts = (field, field.lineEdit())
        self._action = action
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, old: QWidget | None, now: QWidget | None) -> None:
        if old in self._parts and now not in self._parts:
            self._action()


class _ChargeRow(QWidget):
    """One charge: offense date, text, level; its messages under it."""

    remove_requested = Signal(object)
    submit = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.offense_date = QLineEdit()
        self.offense_date.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.offense_date.setMaximumWidth(130)
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("charge, e.g. Burglary, 2nd degree"))
        self.level = QComboBox()
        self.level.addItem("", "")
        for code, name in code_table("OFFENSE_LEVELS").items():
            self.level.addItem(name, code)
        self.remove = QPushButton(self.tr("Remove"))
        self.remove.setAutoDefault(False)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self.error = _error_label()
        for edit in (self.offense_date, self.text):
            edit.returnPressed.connect(self.submit)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.offense_date)
        top.addWidget(self.text, 1)
        top.addWidget(self.level)
        top.addWidget(self.remove)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.error)
        self.error.hide()

    def values(self) -> dict[str, str]:
        return {
            "offense_date": self.offense_date.text(),
            "text": self.text.text(),
            "level": self.level.currentData() or "",
        }

    def set_values(self, values: Mapping[str, str]) -> None:
        self.offense_date.setText(values.get("offense_date", ""))
        self.text.setText(values.get("text", ""))
        self.level.setCurrentIndex(max(0, self.level.findData(values.get("level", ""))))

    def show_errors(self, messages: list[str]) -> None:
        self.error.setText("\n".join(messages))
        self.error.setVisible(bool(messages))


class BookingFormWidget(QWidget):
    """Edits a `BookingForm`. Knows nothing about saving; shows messages it is given."""

    submit = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._checked: set[str] = set()  # fields with a message since the last save
        # The day a date is checked against (the booking page sets the station's time zone).
        self.today: Callable[[], dt.date] = dt.date.today
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        specs = [
            ("surname", self.tr("&Surname"), QLineEdit()),
            ("given_names", self.tr("&Given names"), QLineEdit()),
            ("date_of_birth", self.tr("Date of &birth"), QLineEdit()),
            ("sex", self.tr("Se&x"), _code_combo(code_table("SEX"))),
            ("race", self.tr("&Race"), _code_combo(code_table("RACE"))),
            ("place_of_birth", self.tr("&Place of birth"), _searchable_code_combo(codes.PLACE_OF_BIRTH)),
            ("height", self.tr("&Height"), QLineEdit()),
            ("weight", self.tr("&Weight (lb)"), QLineEdit()),
            ("eye_color", self.tr("&Eyes"), _code_combo(code_table("EYE_COLOR"))),
            ("hair_color", self.tr("H&air"), _code_combo(code_table("HAIR_COLOR"))),
            ("arrested_on", self.tr("&Date of arrest"), QLineEdit()),
        ]
        placeholders = {
            "surname": self.tr("as on the ID, any script"),
            "date_of_birth": self.tr("YYYY-MM-DD"),
            "height": self.tr("e.g. 5'10\""),
            "weight": self.tr("e.g. 170"),
            "arrested_on": self.tr("YYYY-MM-DD"),
        }
        for row, (key, text, editor) in enumerate(specs):
            label = QLabel(text)
            label.setBuddy(editor)
            editor.setObjectName(key)
            if isinstance(editor, QLineEdit):
                editor.setPlaceholderText(placeholders.get(key, ""))
                editor.returnPressed.connect(self.submit)
                editor.textChanged.connect(lambda _t, k=key: self._recheck(k))
                editor.editingFinished.connect(lambda k=key: self._recheck(k, reword=True))
            else:
                editor.currentIndexChanged.connect(lambda _i, k=key: self._recheck(k, reword=True))
            error = _error_label()
            error.setObjectName(f"{key}_error")
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
            grid.addWidget(error, row, 2)
            self.editors[key] = editor
            self.errors[key] = error

        self._charges_box = QVBoxLayout()
        self._charge_rows: list[_ChargeRow] = []
        self.charges_error = _error_label()
        self.add_charge_button = QPushButton(self.tr("Add &charge"))
        self.add_charge_button.setAutoDefault(False)
        self.add_charge_button.clicked.connect(lambda: self.add_charge(focus=True))
        charges_title = QLabel(self.tr("<b>Charges</b> (offense date, charge, level)"))
        charges_head = QHBoxLayout()
        charges_head.addWidget(charges_title)
        charges_head.addStretch(1)
        charges_head.addWidget(self.add_charge_button)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(line)
        layout.addLayout(charges_head)
        layout.addLayout(self._charges_box)
        layout.addWidget(self.charges_error)
        layout.addStretch(1)
        self.add_charge()

    # --- values ---------------------------------------------------------------------------

    def form(self) -> BookingForm:
        values = {}
        for key in FIELDS:
            editor = self.editors[key]
            values[key] = editor.text() if isinstance(editor, QLineEdit) else (editor.currentData() or "")
        charges = [row.values() for row in self._charge_rows]
        # A completely empty charge row is not a charge (clerks leave the spare row blank).
        charges = [c for c in charges if any(v.strip() for v in c.values())] or []
        return BookingForm(values, charges)

    def set_form(self, form: BookingForm) -> None:
        for key in FIELDS:
            editor = self.editors[key]
            value = form.values.get(key, "")
            if isinstance(editor, QLineEdit):
                editor.setText(value)
            else:
                editor.setCurrentIndex(max(0, editor.findData(value)))
        for row in list(self._charge_rows):
            self._remove_row(row)
        for charge in form.charges or [{}]:
            self.add_charge().set_values(charge)
        self.show_problems({})

    def add_charge(self, *, focus: bool = False) -> _ChargeRow:
        row = _ChargeRow(self)
        row.remove_requested.connect(self._remove_row)
        row.submit.connect(self.submit)
        # Tab runs from the date of arrest through each charge row to "Add charge", whenever
        # the row was made (a reload rebuilds the rows after the Save button exists).
        previous = self._charge_rows[-1].remove if self._charge_rows else self.editors["arrested_on"]
        for widget in (row.offense_date, row.text, row.level, row.remove, self.add_charge_button):
            QWidget.setTabOrder(previous, widget)
            previous = widget
        self._charge_rows.append(row)
        self._charges_box.addWidget(row)
        if focus:
            row.offense_date.setFocus()
        return row

    def _remove_row(self, row: _ChargeRow) -> None:
        self._charge_rows.remove(row)
        self._charges_box.removeWidget(row)
        row.deleteLater()

    # --- messages --------------------------------------------------------------------------

    def _recheck(self, key: str, *, reword: bool = False) -> None:
        """A field with a message, edited: the message goes once the field is right (while the clerk
        types), or says what is wrong now (when they leave it). A field without one stays quiet until
        the next save: no message about a field half typed. A field that had one stays checked
        until the next save, so leaving it wrong again says so at once."""
        if key not in self._checked:
            return
        label = self.errors[key]
        try:
            parse(self.form(), self.today())
            problem = None
        except BookingInvalid as exc:
            problem = exc.problems.get(key)
        if problem is None:
            label.setText("")
        elif reword:
            label.setText(message_text.text(problem))

    def show_problems(self, problems: Mapping[str, Message]) -> None:
        """Show each message beside its field; focus the first field that is wrong."""
        first: QWidget | None = None
        self._checked = {key for key in FIELDS if key in problems}
        for key in FIELDS:
            message = problems.get(key)
            self.errors[key].setText(message_text.text(message) if message else "")
            if message and first is None:
                first = self.editors[key]
        # Charge keys index the non-empty rows that form() returned; map them back to widgets.
        filled = [r for r in self._charge_rows if any(v.strip() for v in r.values().values())]
        for row in self._charge_rows:
            row.show_errors([])
        for index, row in enumerate(filled):
            messages = [
                message_text.text(problems[f"charges.{index}.{part}"])
                for part in ("offense_date", "text", "level")
                if f"charges.{index}.{part}" in problems
            ]
            row.show_errors(messages)
            if messages and first is None:
                first = row.offense_date
        self.charges_error.setText(message_text.text(problems["charges"]) if "charges" in problems else "")
        self.charges_error.setVisible("charges" in problems)
        if "charges" in problems and first is None and self._charge_rows:
            first = self._charge_rows[0].offense_date
        if first is not None:
            first.setFocus()


class BookingDetailsPage(QWidget):
    """Create or edit the booking's demographics and charges."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = context
        self.form = BookingFormWidget()
        self.form.today = lambda: dt.datetime.now(context.station.config.zone).date()
        self.form.submit.connect(self.save)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setToolTip(self.tr("Save (Ctrl+S or Enter)"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setObjectName("save_status")
        self.status.setWordWrap(True)  # a database message is long; it must not widen the window
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self._saved: BookingForm | None = None  # what the store holds, as the form shows it
        self._saving = False
        self._load = Reload(self._read, self._loaded)
        events.on(self, context.station, self._on_event, "booking.")
        self.refresh()

    @off_ui_thread
    def _read(self) -> BookingRecord | None:
        booking_id = self._ctx.booking_id
        return self._ctx.station.bookings.get(booking_id) if booking_id is not None else None

    def refresh(self) -> None:
        if self._ctx.booking_id is None:
            if self._saved is None:  # else a new booking being typed: keep it
                today = dt.datetime.now(self._ctx.station.config.zone).date().isoformat()
                self.form.set_form(BookingForm({"arrested_on": today}, []))
                self._saved = self.form.form()
            self._take_focus()
        elif self._saved is None or not self.dirty():
            self._load()

    def _loaded(self, record: BookingRecord | None) -> None:
        if record is None or record.id != self._ctx.booking_id or self._saving:
            return
        if self._saved is None or not self.dirty():  # the clerk may have started typing meanwhile
            self.form.set_form(record.data.to_form())
            self._saved = self.form.form()
        self._take_focus()

    def _take_focus(self) -> None:
        # Only the page in front takes the cursor: refreshed behind another page (a print
        # accepted, a releasable time recorded) it must not pull the clerk's typing away.
        if self.isVisible():
            self.form.editors["surname"].setFocus()

    def _on_event(self, event) -> None:
        """Another desk or page changed this booking: show it, unless the clerk is editing."""
        if event.topic == "booking.update" and not event.local and self._ctx.booking_id is not None:
            self.refresh()

    def dirty(self) -> bool:
        return self._saved is not None and self.form.form() != self._saved

    def save(self, then: Callable[[], None] | None = None) -> bool:
        """Check the form and, when it is valid, save it off the UI thread; `then()` runs after a
        successful save. Returns False when the form has errors (nothing is saved)."""
        station = self._ctx.station
        today = dt.datetime.now(station.config.zone).date()
        typed = self.form.form()
        try:
            data = parse(typed, today)
        except BookingInvalid as exc:
            self.form.show_problems(exc.problems)
            count = len(exc.problems)
            self.status.setText(self.tr("Not saved: %n field(s) to correct.", "", count))
            self.status.setStyleSheet(ERROR_STYLE)
            return False
        if self._saving:
            return True  # the save in flight has what was typed when it started; Enter twice
        actor = self._ctx.operator.username
        booking_id, operator_id = self._ctx.booking_id, self._ctx.operator.id

        def write() -> BookingRecord:
            if booking_id is None:
                return station.bookings.create(data, actor=actor, operator_id=operator_id)
            return station.bookings.update(booking_id, data, actor=actor)

        self._saving = True
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self.status.setStyleSheet("")
        op(write, lambda record: self._saved_ok(record, typed, then), self._save_failed)
        return True

    def _saved_ok(self, record: BookingRecord, typed: BookingForm, then: Callable[[], None] | None) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self._ctx.booking_id = record.id
        self.form.show_problems({})
        if self.form.form() == typed:  # else the clerk typed on while it saved: keep the new typing
            self.form.set_form(record.data.to_form())
        self._saved = record.data.to_form()
        saved_at = record.updated_at.astimezone(self._ctx.station.config.zone).strftime("%H:%M:%S")
        self.status.setText(
            self.tr("Booking %1 saved at %2.").replace("%1", record.number).replace("%2", saved_at)
        )
        self.status.setStyleSheet("")
        self._ctx.changed()
        if then is not None:
            then()

    def _save_failed(self, exc: Exception) -> None:
        # Server gone, disk full, file locked too long: the transaction was rolled back, so
        # nothing is half-written; the typed form stays on screen to save again.
        self._saving = False
        self.save_button.setEnabled(True)
        _log.error("saving booking failed: %s", exc)
        self.status.setText(self._not_saved_text(exc))
        self.status.setStyleSheet(ERROR_STYLE)

    def _not_saved_text(self, exc: Exception) -> str:
        """What the clerk reads when the store could not save: what happened, what to do, and that
        nothing typed is lost. The database is named (password hidden) for the administrator."""
        if isinstance(exc, UserError) and not isinstance(exc, StoreUnavailable):
            return self.tr("Not saved: %1").replace("%1", message_text.error_text(exc))
        if not isinstance(exc, StoreUnavailable):
            reason = (str(getattr(exc, "orig", None) or exc).splitlines() or [type(exc).__name__])[0]
            return self.tr(
                "Not saved: the database could not be written (%1). What you typed is still here; save again."
            ).replace("%1", reason)
        problems = {
            "unreachable": self.tr(
                "the database cannot be reached. Check the network cable; if it is in, "
                "tell the administrator the database server is not answering."
            ),
            "busy": self.tr(
                "the database is busy: another program held it for more than %1 s. Wait a moment."
            ).replace("%1", str(LOCK_WAIT_S)),
            "full": self.tr("the database's disk is full. Tell the administrator."),
            "read_only": self.tr(
                "the database cannot be written (read-only file or folder). Tell the administrator."
            ),
            "slow": self.tr("the database did not answer within %1 s.").replace(
                "%1", str(STATEMENT_TIMEOUT_S)
            ),
            "failed": self.tr("the database reported an error."),
        }
        return (
            self.tr("Not saved: %1 What you typed is still here; save again when it is fixed.").replace(
                "%1", problems[exc.kind]
            )
            + "\n"
            + self.tr("Database %1: %2").replace("%1", exc.database).replace("%2", exc.reason)
        )

    def can_leave(self, proceed: Callable[[], None] | None = None) -> bool:
        """True when nothing typed would be lost. Otherwise asks; "Save" saves off the UI thread and
        calls `proceed()` once saved (the page stays meanwhile, and stays if the save fails)."""
        if not self.dirty():
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("This booking has changes that are not saved. Save them now?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            self.save(then=proceed)
            return False
        if answer == QMessageBox.StandardButton.Discard:
            self._saved = self.form.form()  # asked once: leaving again does not ask again
            return True
        return False
