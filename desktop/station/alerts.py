"""Alerts a clerk must acknowledge: an answer that names someone other than the person booked.

When the FBI's identification (SRE), an immigration response (IAR) or an ICE detainer names a
person whose name or date of birth disagrees with the booking (`identity.disagreements`), the
answer may be about somebody else: a fingerprint mix-up, a wrong record. Nobody should be held
on it before a person has looked. `Alerts.check` runs in the transaction that stores the answer
and raises a `wrong_person` alert (audited `alert.raised`); the bookings list and the booking's
pages show it until a clerk acknowledges it with a note of what they checked (audited
`alert.acknowledged`; the note itself is kept sealed with the alert). The alert does not stop anything by itself: it makes sure a person sees it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.station import identity
from desktop.station.audit import AuditLog
from desktop.station.db import Store
from desktop.station.messages import StationError
from desktop.station.models import Alert, Booking, Response, ResponseKind, utcnow

WRONG_PERSON = "wrong_person"
_NOTE_LIMIT = 500


@dataclass(frozen=True)
class AlertView:
    """One alert as the bookings list and the booking's pages show it."""

    id: int
    booking_id: int
    kind: str  # "wrong_person"
    fields: tuple[str, ...]  # identity.NAME, identity.DATE_OF_BIRTH
    response_kind: str  # the answer that raised it: SRE, IAR, DETAINER
    named: str  # the name the answer gives, as it gives it
    named_birth: str  # its date of birth as given ("" when it gives none)
    booked: str  # the booking's name, "SURNAME, Given"
    booked_birth: str
    raised_at: dt.datetime
    acknowledged_by: str | None = None
    acknowledged_at: dt.datetime | None = None
    note: str | None = None

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None


def named_in(kind: ResponseKind, summary: dict) -> tuple[str, str] | None:
    """The name and date of birth an answer gives (None for answers that name nobody)."""
    if "unreadable" in summary:
        return None
    if kind is ResponseKind.SRE:
        name = summary.get("name") or ""
        return (name, "") if name else None
    if kind in (ResponseKind.IAR, ResponseKind.DETAINER):
        subject = summary.get("subject") or {}
        if not isinstance(subject, dict) or not subject.get("name"):
            return None
        return str(subject["name"]), str(subject.get("dob") or "")
    return None


class Alerts:
    def __init__(self, store: Store, audit: AuditLog) -> None:
        self._store = store
        self._audit = audit

    def check(
        self, s: Session, booking: Booking, response: Response, kind: ResponseKind, summary: dict, actor: str
    ) -> None:
        """Raise a wrong-person alert when `response` names someone else; in the caller's transaction."""
        named = named_in(kind, summary)
        if named is None:
            return
        subject = booking.subject
        booked = identity.Person(subject.surname, subject.given_names, subject.date_of_birth)
        fields = identity.disagreements(booked, identity.Person.from_full_name(*named))
        if not fields:
            return
        s.add(Alert(booking_id=booking.id, response_id=response.id, kind=WRONG_PERSON,
                    fields_json=json.dumps(list(fields)), raised_at=utcnow()))  # fmt: skip
        s.flush()
        self._audit.append(
            actor,
            "alert.raised",
            f"booking:{booking.number}",
            {
                "kind": WRONG_PERSON,
                "fields": list(fields),
                "response": response.message_id,
                "response_kind": kind.value,
            },
            session=s,
        )

    def for_booking(self, booking_id: int) -> list[AlertView]:
        """Every alert of a booking, open ones first, newest first."""
        views = self._views([booking_id])
        return sorted(views.get(booking_id, []), key=lambda a: (not a.open, -a.id))

    def open_for(self, booking_ids: Iterable[int]) -> dict[int, list[AlertView]]:
        """The open alerts per booking, for the bookings list."""
        out = {}
        for booking_id, views in self._views(list(booking_ids)).items():
            still = [a for a in views if a.open]
            if still:
                out[booking_id] = still
        return out

    def open_fields(self, booking_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
        """For the bookings list's column: per booking, the facts its open alerts dispute. Reads clear
        columns only: the list reloads on a worker thread holding the interpreter lock."""
        ids = list(booking_ids)
        if not ids:
            return {}
        fields: dict[int, set[str]] = {}
        with self._store.session() as s:
            for booking_id, fields_json in s.execute(
                select(Alert.booking_id, Alert.fields_json).where(
                    Alert.booking_id.in_(ids), Alert.acknowledged_at.is_(None)
                )
            ):
                fields.setdefault(booking_id, set()).update(json.loads(fields_json))
        return {b: tuple(sorted(f)) for b, f in fields.items()}

    def acknowledge(self, alert_id: int, actor: str, note: str) -> AlertView:
        """A clerk has looked: record who, when and what they checked (required)."""
        note = (note or "").strip()
        if not note:
            raise StationError("alert.note-required")
        if len(note) > _NOTE_LIMIT:
            raise StationError("alert.note-length", limit=_NOTE_LIMIT, length=len(note))
        with self._store.session() as s:
            row = s.get(Alert, alert_id, with_for_update=True)
            if row is None:
                raise StationError("alert.unknown")
            if row.acknowledged_at is not None:
                raise StationError("alert.already-acknowledged", who=row.acknowledged_by or "")
            row.acknowledged_at, row.acknowledged_by, row.note = utcnow(), actor, note
            booking = s.get(Booking, row.booking_id)
            self._audit.append(
                actor,
                "alert.acknowledged",
                f"booking:{booking.number if booking else row.booking_id}",
                # The note may name people: it is kept sealed with the alert, not in the audit log.
                {
                    "kind": row.kind,
                    "alert": row.id,
                    "fields": json.loads(row.fields_json),
                    "note_chars": len(note),
                },
                session=s,
            )
            booking_id = row.booking_id
        return next(a for a in self.for_booking(booking_id) if a.id == alert_id)

    def _views(self, booking_ids: list[int]) -> dict[int, list[AlertView]]:
        if not booking_ids:
            return {}
        out: dict[int, list[AlertView]] = {}
        with self._store.session() as s:
            rows = s.execute(
                select(Alert, Response, Booking)
                .join(Booking, Booking.id == Alert.booking_id)
                .outerjoin(Response, Response.id == Alert.response_id)
                .where(Alert.booking_id.in_(booking_ids))
                .order_by(Alert.id)
            ).all()
            for alert, response, booking in rows:
                summary = json.loads(response.summary_json or "{}") if response is not None else {}
                kind = _response_kind(response.kind) if response is not None else None
                named, birth = (named_in(kind, summary) if kind else None) or ("", "")
                subject = booking.subject
                booked = f"{subject.surname}, {subject.given_names}".strip(", ")
                out.setdefault(alert.booking_id, []).append(
                    AlertView(
                        alert.id,
                        alert.booking_id,
                        alert.kind,
                        tuple(json.loads(alert.fields_json)),
                        response.kind if response is not None else "",
                        named,
                        birth,
                        booked,
                        subject.date_of_birth.isoformat() if subject.date_of_birth else "",
                        alert.raised_at,
                        alert.acknowledged_by,
                        alert.acknowledged_at,
                        alert.note,
                    )
                )
        return out


def _response_kind(text: str) -> ResponseKind | None:
    try:
        return ResponseKind(text)
    except ValueError:
        return None


__all__ = ["WRONG_PERSON", "AlertView", "Alerts", "named_in"]
