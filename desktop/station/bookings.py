"""Bookings: the arrestee's demographics and charges, validated to EBTS rules, saved with an audit event.

`parse(BookingForm, today)` turns what the clerk typed into `BookingData` (or `BookingInvalid`
with one message per field: see `_booking_rules.py`); `Bookings` stores it, lists and searches
bookings and moves their status on, recording each change in the audit log in the same transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from dataclasses import dataclass

from sqlalchemy import Text, select, type_coerce
from sqlalchemy.orm import Session

from desktop.station import name_index
from desktop.station._booking_rules import (
    CHARGE_FIELDS,
    FIELDS,
    BookingData,
    BookingForm,
    BookingInvalid,
    ChargeData,
    format_height,
    parse,
)
from desktop.station.audit import AuditLog
from desktop.station.booking_state import BookingState, booking_state
from desktop.station.db import Store
from desktop.station.messages import StationError
from desktop.station.models import (
    Booking,
    BookingStatus,
    Charge,
    Subject,
    Transaction,
    TransactionStatus,
    utcnow,
)


@dataclass(frozen=True)
class BookingSummary:
    """One row of the bookings list."""

    id: int
    number: str
    name: str
    date_of_birth: dt.date
    status: BookingStatus
    arrested_on: dt.date
    created_at: dt.datetime
    updated_at: dt.datetime
    state: BookingState  # what the list shows (booking_state.py)


@dataclass(frozen=True)
class BookingRecord:
    id: int
    number: str
    status: BookingStatus
    created_at: dt.datetime
    updated_at: dt.datetime
    data: BookingData
    state: BookingState  # what the header shows (booking_state.py)

    @property
    def name(self) -> str:
        d = self.data
        return f"{d.surname}, {d.given_names}" if d.given_names else d.surname


def _data(row: Booking) -> BookingData:
    s = row.subject
    return BookingData(
        surname=s.surname,
        given_names=s.given_names,
        date_of_birth=s.date_of_birth,
        sex=s.sex,
        race=s.race,
        place_of_birth=s.place_of_birth,
        height_inches=s.height_inches,
        weight_pounds=s.weight_pounds,
        eye_color=s.eye_color,
        hair_color=s.hair_color,
        arrested_on=row.arrested_on,
        charges=tuple(ChargeData(c.offense_date, c.text, c.level) for c in row.charges),  # type: ignore[arg-type]
    )


def _last_submission_status():  # type: ignore[no-untyped-def]
    """The status of a booking's latest submission, as a column of a bookings query."""
    return (
        select(Transaction.status)
        .where(Transaction.booking_id == Booking.id)
        .order_by(Transaction.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _state(status: str, last_submission: str | None) -> BookingState:
    return booking_state(
        BookingStatus(status), TransactionStatus(last_submission) if last_submission else None
    )


def _summary_of(
    booking_id, number, name, born, status, arrested, created, updated, last_submission
) -> BookingSummary:  # type: ignore[no-untyped-def]
    return BookingSummary(booking_id, number, name, born, BookingStatus(status), arrested, created, updated,
                          _state(status, last_submission))  # fmt: skip


#: The sealed columns the list shows, read as their stored text and opened through `_ListNames`.
_SEALED_SHOWN = (Subject.surname, Subject.given_names, Subject.date_of_birth)
_SEALED_TYPES = tuple(Subject.__table__.c[column.key].type for column in _SEALED_SHOWN)


class _ListNames:
    """Each listed subject's name and date of birth, opened once per process.

    The list reloads on a worker thread at every change, and each sealed value opened is Python
    work under the interpreter lock that the UI thread waits for (issue 17). Criminal-justice
    information: this holds only what the bookings list already shows on screen, in memory only
    (never written anywhere), at most `LIMIT` subjects, and is emptied when the clerk logs out or the
    session locks (`forget`, on the "logout" and "session.locked" events). An entry is keyed by the
    subject and its stored ciphertexts: a renamed person's new ciphertext (a fresh nonce at every
    write) is opened again."""

    LIMIT = 2_000  # a few loads of the list (500 rows each); past it, start again

    def __init__(self) -> None:
        self._opened: dict[int, tuple[tuple[str, ...], tuple[str, dt.date]]] = {}
        # Loads (worker threads) and `forget` (the event hub's thread) meet here. The values are opened
        # outside the lock; one opened while the desk was left is shown to its load, never kept.
        self._lock = threading.Lock()
        self._forgotten = 0  # how many times the desk was left

    def shown(self, dialect, subject_id: int, stored: tuple[str, ...]) -> tuple[str, dt.date]:  # type: ignore[no-untyped-def]
        with self._lock:
            kept, forgotten = self._opened.get(subject_id), self._forgotten
        if kept is not None and kept[0] == stored:
            return kept[1]
        surname, given, born = (
            kind.process_result_value(value, dialect)
            for kind, value in zip(_SEALED_TYPES, stored, strict=True)
        )
        shown = (f"{surname}, {given}" if given else surname, born)
        with self._lock:
            if forgotten == self._forgotten:
                if len(self._opened) >= self.LIMIT:
                    self._opened.clear()
                self._opened[subject_id] = (stored, shown)
        return shown

    def forget(self, _event: object = None) -> None:
        with self._lock:
            self._opened.clear()
            self._forgotten += 1


def _record(row: Booking, last_submission: str | None) -> BookingRecord:
    return BookingRecord(
        row.id, row.number, BookingStatus(row.status), row.created_at, row.updated_at, _data(row),
        _state(row.status, last_submission),
    )  # fmt: skip


def _record_in(s: Session, row: Booking) -> BookingRecord:
    last = s.scalars(
        select(Transaction.status).where(Transaction.booking_id == row.id).order_by(Transaction.id.desc())
    ).first()
    return _record(row, last)


def _write(row: Booking, data: BookingData) -> None:
    s = row.subject
    for name in ("surname", "given_names", "date_of_birth", "sex", "race", "place_of_birth"):
        setattr(s, name, getattr(data, name))
    for name in ("height_inches", "weight_pounds", "eye_color", "hair_color"):
        setattr(s, name, getattr(data, name))
    row.arrested_on = data.arrested_on
    row.charges = [
        Charge(position=i, offense_date=c.offense_date, text=c.text, level=c.level)
        for i, c in enumerate(data.charges)
    ]
    row.updated_at = utcnow()


class Bookings:
    def __init__(self, store: Store, audit: AuditLog) -> None:
        self._store = store
        self._audit = audit
        self._names = _ListNames()
        # Leaving the desk (here or at another desk on the same database) forgets the opened names.
        audit.events_hub.subscribe(self._names.forget, "logout", "session.locked")

    def create(self, data: BookingData, *, actor: str, operator_id: int | None = None) -> BookingRecord:
        with self._store.session() as s:
            row = Booking(number=uuid.uuid4().hex[:20], subject=_blank_subject(), created_by=operator_id)
            _write(row, data)
            row.created_at = row.updated_at
            s.add(row)
            s.flush()
            # Readable, unique and never reused: year of booking and the row id.
            row.number = f"{row.created_at.year}-{row.id:06d}"
            self._audit.append(actor, "booking.create", f"booking:{row.number}", {}, session=s)
            s.flush()
            return _record_in(s, row)

    def update(self, booking_id: int, data: BookingData, *, actor: str) -> BookingRecord:
        with self._store.session() as s:
            row = _get(s, booking_id)
            before = _data(row)
            changed = [
                f.name
                for f in dataclasses.fields(BookingData)
                if getattr(before, f.name) != getattr(data, f.name)
            ]
            if not changed:
                return _record_in(s, row)
            _write(row, data)
            self._audit.append(
                actor, "booking.update", f"booking:{row.number}", {"fields": changed}, session=s
            )
            s.flush()
            return _record_in(s, row)

    def get(self, booking_id: int) -> BookingRecord:
        with self._store.session() as s:
            return _record_in(s, _get(s, booking_id))

    def state(self, booking_id: int) -> BookingState:
        """Where the booking stands (booking_state.py), without reading its sealed details."""
        with self._store.session() as s:
            status = s.scalar(select(Booking.status).where(Booking.id == booking_id))
            if status is None:
                raise StationError("booking.unknown", id=booking_id)
            last = s.scalars(
                select(Transaction.status)
                .where(Transaction.booking_id == booking_id)
                .order_by(Transaction.id.desc())
            ).first()
            return _state(status, last)

    def find(
        self, *, text: str = "", since: dt.datetime | None = None, limit: int = 500
    ) -> list[BookingSummary]:
        """Newest first. `text` matches part of the booking number, or the beginnings of the words of
        the surname and given names, in any order, case and script, with or without accents or
        transliterated to Latin letters (names are sealed: the keyed index in name_index.py)."""
        # Only the columns the list shows, as tuples; the sealed ones as stored, opened by `_names`.
        stored = [type_coerce(column, Text) for column in _SEALED_SHOWN]
        query = (
            select(
                Booking.id, Booking.number, Subject.id, *stored, Booking.status, Booking.arrested_on,
                Booking.created_at, Booking.updated_at, _last_submission_status(),
            )
            .join(Subject, Booking.subject_id == Subject.id)
            .order_by(Booking.created_at.desc(), Booking.id.desc())
        )  # fmt: skip
        if since is not None:
            query = query.where(Booking.created_at >= since)
        with self._store.session() as s:
            needle = " ".join(text.split())
            if needle:
                by_number = Booking.number.contains(needle, autoescape=True)
                subjects = name_index.matching_subjects(s, needle)
                named = by_number if subjects is None else by_number | Booking.subject_id.in_(subjects)
                query = query.where(named)
            dialect = s.get_bind().dialect
            shown = self._names.shown
            return [
                _summary_of(booking_id, number, *shown(dialect, subject_id, (surname, given, born)), *rest)
                for booking_id, number, subject_id, surname, given, born, *rest in s.execute(
                    query.limit(limit)
                )
            ]

    def today(self, zone: dt.tzinfo, text: str = "") -> list[BookingSummary]:
        """Bookings created since local midnight in the jail's time zone."""
        now = dt.datetime.now(zone)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return self.find(text=text, since=midnight)

    def set_status(
        self, booking_id: int, status: BookingStatus, *, actor: str, session: Session | None = None
    ) -> None:
        """Move a booking to a new list status (captured, queued, …), with its audit event."""
        if session is None:
            with self._store.session() as s:
                self.set_status(booking_id, status, actor=actor, session=s)
            return
        row = _get(session, booking_id)
        if row.status == status.value:
            return
        old, row.status = row.status, status.value
        row.updated_at = utcnow()
        self._audit.append(
            actor,
            "booking.status",
            f"booking:{row.number}",
            {"from": old, "to": status.value},
            session=session,
        )


def _blank_subject() -> Subject:
    return Subject()


def _get(s: Session, booking_id: int) -> Booking:
    row = s.get(Booking, booking_id)
    if row is None:
        raise StationError("booking.unknown", id=booking_id)
    return row


__all__ = [
    "CHARGE_FIELDS",
    "FIELDS",
    "BookingData",
    "BookingForm",
    "BookingInvalid",
    "BookingRecord",
    "BookingSummary",
    "Bookings",
    "ChargeData",
    "format_height",
    "parse",
]
