"""The station's detainers: received from the mailbox, clock kept, outcome recorded, copy served.

Every change is written with its audit event in one transaction. The deadline is stored (UTC) when
the clerk records the releasable time, computed in the jail's zone with the state's holidays as
configured at that moment; changing the settings later does not move a deadline already given to
the detainee on paper.

The detainee's copy is served in two recorded steps, each only after it happened: the copy is
made (`record_printed` once the print job was accepted, `save_copy` once the PDF was written and
read back with the same SHA-256: `detainer.copy_made`; a failure is `detainer.copy_failed`), then
the clerk records the hand-over (`record_handover`: handed to the person, read to them by an
interpreter in person or by telephone, or refused: `detainer.copy_served`). A language the
detainer lists with no written copy counts as served only once an interpreter gave the notice in it.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from booking_station.runtime import UserError
from desktop.station import compute
from desktop.station.audit import AuditLog
from desktop.station.config import Config
from desktop.station.db import Store
from desktop.station.detainers import clock, notice
from desktop.station.detainers import languages as _languages
from desktop.station.detainers.claims import Claims, ClaimView
from desktop.station.detainers.tables import DetainerCopy, DetainerService
from desktop.station.messages import StationError, os_error_params
from desktop.station.models import Booking, Detainer, DetainerStatus, utcnow

log = logging.getLogger(__name__)

MAILBOX = "mailbox"


class Outcome(enum.StrEnum):
    """What the jail did; each ends the hold."""

    RELEASED = "released"
    TRANSFERRED = "transferred"  # to ICE custody
    CANCELLED = "cancelled"  # ICE withdrew the detainer


_STATUS = {
    Outcome.RELEASED: DetainerStatus.RELEASED,
    Outcome.TRANSFERRED: DetainerStatus.TRANSFERRED,
    Outcome.CANCELLED: DetainerStatus.CANCELLED,
}


class HandOver(enum.StrEnum):
    """How the copy was given to the person, as the clerk records it."""

    HANDED = "handed"  # handed to the person
    INTERPRETER_IN_PERSON = "interpreter_in_person"  # read to them by an interpreter at the desk
    INTERPRETER_PHONE = "interpreter_phone"  # read to them by an interpreter on the telephone
    REFUSED = "refused"  # offered; the person would not take it

    @property
    def interpreted(self) -> bool:
        return self in (HandOver.INTERPRETER_IN_PERSON, HandOver.INTERPRETER_PHONE)


@dataclass(frozen=True)
class MadeCopy:
    """A copy really made: printed (the job accepted) or saved (written and read back)."""

    id: int
    language: str  # the written copy's language
    how: str  # print | save
    sha256: str
    file: str | None
    at: datetime
    actor: str


@dataclass(frozen=True)
class ServedCopy:
    """A hand-over the clerk recorded: the copy counts as served in `language`."""

    at: datetime
    actor: str
    language: str  # the language the notice was given in
    method: HandOver
    interpreter: str
    sha256: str
    copy_language: str  # the written copy's language (differs when an interpreter read it in another)
    copy_id: int


@dataclass(frozen=True)
class DetainerView:
    id: int
    booking_id: int
    booking_number: str
    name: str
    detainer_id: str
    lodged_at: datetime
    office: str
    languages: tuple[str, ...]  # every language the detainer lists (rights codes for the written ones)
    releasable_at: datetime | None  # in the jail's zone
    deadline: datetime | None  # in the jail's zone
    status: DetainerStatus  # as recorded; see `lapsed`
    outcome: str | None
    outcome_at: datetime | None
    served: tuple[ServedCopy, ...]
    copies: tuple[MadeCopy, ...] = ()
    claims: tuple[ClaimView, ...] = ()

    @property
    def written(self) -> tuple[str, ...]:
        """The listed languages the station has a written copy in."""
        return _languages.Listed(self.languages).written

    @property
    def oral_only(self) -> tuple[str, ...]:
        """The listed languages with no written copy: the notice is given through an interpreter."""
        return _languages.Listed(self.languages).oral_only

    @property
    def languages_still_to_serve(self) -> tuple[str, ...]:
        """Listed languages without a written copy in which no interpreter has given the notice yet."""
        given = {c.language for c in self.served if c.method.interpreted}
        return tuple(code for code in self.oral_only if code not in given)

    @property
    def service_complete(self) -> bool:
        """A hand-over is recorded, and the notice was given in every listed language with no written copy."""
        return bool(self.served) and not self.languages_still_to_serve

    @property
    def copies_not_handed_over(self) -> tuple[MadeCopy, ...]:
        handed = {c.copy_id for c in self.served}
        return tuple(c for c in self.copies if c.id not in handed)

    @property
    def open(self) -> bool:
        """Still waiting for an outcome (the hold may have lapsed meanwhile)."""
        return self.status in (DetainerStatus.ACTIVE, DetainerStatus.LAPSED)

    def lapsed(self, now: datetime) -> bool:
        """The hold authority has run out and the person has not been released or transferred."""
        return self.open and self.deadline is not None and now >= self.deadline

    def clock(self, now: datetime, alert_hours: tuple[float, ...]) -> clock.ClockStatus | None:
        if not self.open or self.deadline is None:
            return None
        return clock.status(self.deadline, now, alert_hours)


class Detainers:
    def __init__(self, store: Store, audit: AuditLog, config: Callable[[], Config]) -> None:
        self._store = store
        self._audit = audit
        self._config = config  # read at each use: the settings can change while the station runs
        self.claims = Claims(store, audit, _subject)

    # --- arrival (the mailbox) -----------------------------------------------------------------

    def on_response(self, response_id: int, booking_id: int | None, document: dict) -> None:
        """The mailbox hook: a DETAINER or DETAINER_CANCEL document was stored."""
        if "unreadable" in document:
            log.warning("detainer message %s cannot be read: %s", response_id, document["unreadable"])
            return
        try:
            if "claim_id" in document:
                withdrawn = self.claims.on_decision(document)
                if withdrawn is not None:
                    # The withdrawal ends the hold at once, even before ICE's DETAINER_CANCEL arrives.
                    self.cancel(withdrawn, datetime.fromisoformat(document["decided_at"]),
                                f"withdrawn after review of the claim: {document.get('reason', '')}".rstrip(": "),
                                actor=MAILBOX)  # fmt: skip
            elif "cancelled_at" in document:
                self.cancel(
                    document["detainer_id"],
                    datetime.fromisoformat(document["cancelled_at"]),
                    document.get("reason", ""),
                    actor=MAILBOX,
                )
            elif booking_id is None:
                # The jail must still act on it: keep it visible in the audit log.
                self._audit.append(MAILBOX, "detainer.unmatched", f"detainer:{document.get('detainer_id')}",
                                   {"tcn": document.get("tcn"), "response": response_id})  # fmt: skip
            else:
                self.receive(
                    booking_id,
                    document["detainer_id"],
                    datetime.fromisoformat(document["lodged_at"]),
                    office=(document.get("issuing_office") or {}).get("name", ""),
                    languages=document.get("notice_languages", []),
                    response_id=response_id,
                )
        except (KeyError, ValueError, TypeError, UserError) as exc:
            # Never raised into the mailbox poller: the message is stored, the problem is on record.
            log.error("detainer message %s is malformed: %s", response_id, exc)
            self._audit.append(MAILBOX, "detainer.malformed", f"response:{response_id}", {"error": str(exc)})

    def receive(
        self,
        booking_id: int,
        detainer_id: str,
        lodged_at: datetime,
        *,
        office: str = "",
        languages: list[str] | tuple[str, ...] = (),
        response_id: int | None = None,
        actor: str = MAILBOX,
    ) -> int:
        """Record a lodged detainer (idempotent on `detainer_id`); returns its row id.

        Every language it lists is kept, those with no written copy included (`detainer.languages`)."""
        listed = _languages.listed(list(languages))
        codes = list(listed.codes)
        with self._store.session() as s:
            existing = s.scalars(select(Detainer).where(Detainer.detainer_id == detainer_id)).first()
            if existing is not None:
                return existing.id
            booking = s.get(Booking, booking_id)
            if booking is None:
                raise StationError("booking.unknown", id=booking_id)
            row = Detainer(
                booking_id=booking_id,
                response_id=response_id,
                detainer_id=detainer_id,
                lodged_at=lodged_at,
                office=office,
                languages_json=json.dumps(codes),
            )
            s.add(row)
            s.flush()
            self._audit.append(actor, "detainer.received", _subject(detainer_id),
                               {"booking": booking.number, "office": office, "languages": codes}, session=s)  # fmt: skip
            self._audit.append(actor, "detainer.languages", _subject(detainer_id),
                               {**listed.audit(), "booking": booking.number}, session=s)  # fmt: skip
            return row.id

    def cancel(self, detainer_id: str, at: datetime, reason: str, *, actor: str) -> None:
        """ICE withdrew the detainer: the clock stops, whatever it showed."""
        with self._store.session() as s:
            row = s.scalars(select(Detainer).where(Detainer.detainer_id == detainer_id)).first()
            if row is None:
                self._audit.append(
                    actor, "detainer.cancel_unmatched", _subject(detainer_id), {"reason": reason}, session=s
                )
                return
            if row.status == DetainerStatus.CANCELLED.value:
                return
            if row.status not in (DetainerStatus.ACTIVE.value, DetainerStatus.LAPSED.value):
                # Already released or transferred: keep what the jail did, note the cancellation once.
                note = f"ICE cancelled the detainer at {at.isoformat()}"
                if note not in (row.outcome or ""):
                    row.outcome = f"{row.outcome}; {note}" if row.outcome else note
                    self._audit.append(actor, "detainer.cancelled_after_outcome", _subject(detainer_id),
                                       {"at": at.isoformat(), "reason": reason, "status": row.status}, session=s)  # fmt: skip
                return
            self._close(
                s,
                row,
                Outcome.CANCELLED,
                at,
                f"cancelled by ICE: {reason}" if reason else "cancelled by ICE",
                actor,
            )

    # --- the clerk ---------------------------------------------------------------------------------

    def set_releasable(self, detainer_pk: int, releasable_at: datetime, *, actor: str) -> datetime:
        """Record when the person became (or becomes) releasable; returns the deadline (jail's zone)."""
        config = self._config()
        tz = clock.zone(config.time_zone)
        if releasable_at.tzinfo is None:
            raise StationError("detainer.releasable-zone")
        try:
            calendar = config.hold_calendar
            deadline = clock.deadline(releasable_at, tz, calendar)
        except clock.TimeInputError as exc:
            raise StationError(exc.message.code, **exc.message.params) from None
        except ValueError as exc:
            raise StationError("detainer.deadline-failed", detail=str(exc)) from None
        with self._store.session() as s:
            row = self._row(s, detainer_pk)
            if row.status not in (DetainerStatus.ACTIVE.value, DetainerStatus.LAPSED.value):
                raise StationError(
                    "detainer.clock-closed", detainer=row.detainer_id, detainer_status=row.status
                )
            before = row.releasable_at
            row.releasable_at, row.deadline = releasable_at, deadline
            row.status = DetainerStatus.ACTIVE.value  # a corrected time may un-lapse it
            row.alerted_hours = None  # a new deadline has its own alerts
            row.lapse_recorded_at = None
            self._audit.append(actor, "detainer.releasable", _subject(row.detainer_id), {
                "releasable_at": releasable_at.astimezone(tz).isoformat(),
                "deadline": deadline.isoformat(),
                "time_zone": config.time_zone, "state": config.state,
                "hold_holidays": calendar.rule.value, "hold_rule": calendar.describe(),
                "previous_releasable_at": before.astimezone(tz).isoformat() if before else None,
            }, session=s)  # fmt: skip
        return deadline

    def record_outcome(
        self, detainer_pk: int, outcome: Outcome, at: datetime, *, actor: str, note: str = ""
    ) -> None:
        """Released; transferred to ICE custody at `at`; or cancelled. Closes the detainer."""
        if at.tzinfo is None:
            raise StationError("detainer.outcome-zone")
        with self._store.session() as s:
            row = self._row(s, detainer_pk)
            if row.status not in (DetainerStatus.ACTIVE.value, DetainerStatus.LAPSED.value):
                raise StationError(
                    "detainer.has-outcome", detainer=row.detainer_id, detainer_outcome=row.outcome
                )
            self._close(s, row, Outcome(outcome), at, note, actor)

    def mark_lapsed(self, now: datetime, *, actor: str = "clock") -> list[int]:
        """Record, once, each open detainer whose hold authority has run out; returns their ids.

        The lapse happened at the deadline, whenever it is recorded: the audit event states the
        deadline as `lapsed_at` and how late it was recorded (`recorded_late_s`: a few hundredths of
        a second when the clock was running, hours when nothing ran at the time). Only the station's
        duties (service.py) call this; the UI never records.
        """
        with self._store.session() as s:
            rows = s.scalars(
                select(Detainer)
                .where(Detainer.status == DetainerStatus.ACTIVE.value, Detainer.deadline <= now)
                .order_by(Detainer.deadline)
            ).all()
            for row in rows:
                row.status = DetainerStatus.LAPSED.value
                row.lapse_recorded_at = now
                booking = s.get(Booking, row.booking_id)
                self._audit.append(actor, "detainer.lapsed", _subject(row.detainer_id), {
                    "deadline": row.deadline.isoformat(), "lapsed_at": row.deadline.isoformat(),
                    "recorded_late_s": round((now - row.deadline).total_seconds(), 3),
                    "booking": booking.number if booking else None,
                }, session=s)  # fmt: skip
            return [r.id for r in rows]

    def raise_alerts(self, now: datetime, *, actor: str = "clock") -> list[tuple[int, float]]:
        """Record each alert time (`detainer_alerts_hours` before a deadline) that has come, once per
        deadline; returns (detainer id, hours before). When several came while nothing ran, only the
        most urgent is raised. The expiry itself is the lapse (`mark_lapsed`)."""
        hours = sorted({float(h) for h in self._config().detainer_alerts_hours if h > 0}, reverse=True)
        if not hours:
            return []
        raised = []
        with self._store.session() as s:
            rows = s.scalars(
                select(Detainer).where(
                    Detainer.status == DetainerStatus.ACTIVE.value,
                    Detainer.deadline.is_not(None),
                    Detainer.deadline > now,
                    Detainer.deadline <= now + timedelta(hours=hours[0]),
                )
            ).all()
            for row in rows:
                due = [h for h in hours if row.deadline - timedelta(hours=h) <= now]
                if not due or (row.alerted_hours is not None and row.alerted_hours <= due[-1]):
                    continue
                row.alerted_hours = due[-1]
                booking = s.get(Booking, row.booking_id)
                self._audit.append(actor, "detainer.alert", _subject(row.detainer_id), {
                    "hours_before": due[-1], "deadline": row.deadline.isoformat(),
                    "due_at": (row.deadline - timedelta(hours=due[-1])).isoformat(),
                    "booking": booking.number if booking else None,
                }, session=s)  # fmt: skip
                raised.append((row.id, due[-1]))
        return raised

    def next_due(self, now: datetime) -> datetime | None:
        """The next moment the clock has something to record (an alert or a lapse), or None."""
        hours = sorted({float(h) for h in self._config().detainer_alerts_hours if h > 0}, reverse=True)
        with self._store.session() as s:
            rows = s.execute(
                select(Detainer.deadline, Detainer.alerted_hours).where(
                    Detainer.status == DetainerStatus.ACTIVE.value, Detainer.deadline.is_not(None)
                )
            ).all()
        times = []
        for deadline, alerted in rows:
            times.append(deadline)
            times += [
                deadline - timedelta(hours=h)
                for h in hours
                if (alerted is None or h < alerted) and deadline - timedelta(hours=h) > now
            ]
        return min(times, default=None)

    def _close(self, s, row: Detainer, outcome: Outcome, at: datetime, note: str, actor: str) -> None:
        after_deadline = row.deadline is not None and at > row.deadline
        row.status = _STATUS[outcome].value
        row.outcome = note or outcome.value
        row.outcome_at = at
        self._audit.append(actor, f"detainer.{outcome.value}", _subject(row.detainer_id), {
            "at": at.isoformat(), "note": note,
            "deadline": row.deadline.isoformat() if row.deadline else None,
            "after_hold_lapsed": after_deadline,
        }, session=s)  # fmt: skip

    # --- the detainee's copy ------------------------------------------------------------------------

    def copy(
        self, detainer_pk: int, language: str, *, served_at: datetime | None = None
    ) -> notice.RenderedNotice:
        """The copy as it would be served now (a preview: nothing is recorded)."""
        view = self.get(detainer_pk)
        if view.deadline is None:
            raise StationError("copy.no-deadline")
        config = self._config()
        tz = clock.zone(config.time_zone)
        details = notice.NoticeDetails(
            name=view.name,
            booking_number=view.booking_number,
            detainer_number=view.detainer_id,
            deadline=view.deadline,
            served_at=(served_at or utcnow()).astimezone(tz).replace(microsecond=0),
            state_holidays=config.hold_calendar.counts_state_holidays,
        )
        try:
            # fpdf parsing and shaping the fonts holds the interpreter lock for a second or more:
            # in a worker process, so that the UI thread keeps running (compute.py).
            return compute.run(notice.render, details, language)
        except notice.NoticeError as exc:
            raise StationError("copy.failed", detail=str(exc)) from None

    def save_copy(
        self,
        detainer_pk: int,
        language: str,
        folder: str | Path,
        *,
        actor: str,
        made_at: datetime | None = None,
    ) -> MadeCopy:
        """Make the copy as a PDF file in `folder`, named after the booking number and the language
        (e.g. 2026-000042-vi.pdf; -2, -3… when that name is taken), read it back, and record it made.

        Written beside its final name and renamed, readable by its owner only. A folder that does not
        exist, a full disk or a file that reads back different is `detainer.copy_failed` and a
        StationError ("copy.save-failed"): nothing is recorded as made, let alone served."""
        at = (made_at or utcnow()).replace(microsecond=0)
        rendered = self.copy(detainer_pk, language, served_at=at)
        view = self.get(detainer_pk)
        folder = Path(folder)
        target = folder / f"{_file_safe(view.booking_number)}-{rendered.language}.pdf"
        try:
            target = _write_and_check(folder, target, rendered.pdf, rendered.sha256)
        except OSError as exc:
            params = os_error_params(exc)
            self.record_copy_failed(
                detainer_pk, rendered.language, "save", f"{target}: {params['detail']}", actor=actor
            )
            raise StationError("copy.save-failed", path=str(target), **params) from None
        return self._made(detainer_pk, rendered, "save", at, actor, file=str(target))

    def record_printed(
        self, detainer_pk: int, copy: notice.RenderedNotice, *, actor: str, made_at: datetime
    ) -> MadeCopy:
        """The print job of `copy` (rendered for `made_at`) was accepted by the printer: record it made."""
        if (
            not re.fullmatch(r"[0-9a-f]{64}", copy.sha256)
            or hashlib.sha256(copy.pdf).hexdigest() != copy.sha256
        ):
            raise ValueError("the printed copy's SHA-256 is not the document's")
        return self._made(detainer_pk, copy, "print", made_at.replace(microsecond=0), actor)

    def record_copy_failed(
        self, detainer_pk: int, language: str, how: str, reason: str, *, actor: str
    ) -> None:
        """A print or a save that did not happen: recorded as an error, never as a service."""
        if how not in ("print", "save"):
            raise ValueError(f"how must be print or save, not {how!r}")
        with self._store.session() as s:
            row = self._row(s, detainer_pk)
            booking = s.get(Booking, row.booking_id)
            self._audit.append(actor, "detainer.copy_failed", _subject(row.detainer_id), {
                "language": language, "how": how, "reason": reason[:500], "booking": booking.number,
            }, session=s)  # fmt: skip

    def record_handover(
        self,
        detainer_pk: int,
        copy_id: int,
        method: HandOver | str,
        *,
        actor: str,
        interpreter: str = "",
        language: str | None = None,
        at: datetime | None = None,
    ) -> ServedCopy:
        """Record how a made copy was given: handed over, read by an interpreter (name or ID number
        required) or refused. `language` is the language the notice was given in: the copy's own by
        default; a listed language with no written copy needs an interpreter."""
        try:
            method = HandOver(method)
        except ValueError:
            raise StationError("copy.method", value=str(method)) from None
        interpreter = interpreter.strip()
        if method.interpreted and not interpreter:
            raise StationError("copy.interpreter")
        if len(interpreter) > 200:
            raise StationError("copy.interpreter-length", limit=200)
        at = (at or utcnow()).replace(microsecond=0)
        with self._store.session() as s:
            row = self._row(s, detainer_pk)
            made = s.get(DetainerCopy, copy_id)
            if made is None or made.detainer_pk != detainer_pk:
                raise StationError("copy.unknown", id=copy_id)
            given_in = language or made.language
            listed = json.loads(row.languages_json or "[]")
            if given_in != made.language and given_in not in listed:
                raise StationError("copy.language-not-listed", language=given_in)
            if not _languages.is_written(given_in) and not method.interpreted:
                raise StationError("copy.needs-interpreter", language=_languages.english_name(given_in))
            if given_in != made.language and not method.interpreted:
                raise StationError("copy.needs-interpreter", language=_languages.english_name(given_in))
            service = DetainerService(copy_id=copy_id, language=given_in, method=method.value,
                                      interpreter=interpreter, served_at=at, served_by=actor)  # fmt: skip
            s.add(service)
            s.flush()
            booking = s.get(Booking, row.booking_id)
            details = {
                "language": given_in,
                "method": method.value,
                "interpreter": interpreter,
                "sha256": made.sha256,
                "copy_language": made.language,
                "how": made.how,
                "served_at": at.isoformat(),
                "booking": booking.number,
            }
            if made.file:
                details["file"] = made.file
            self._audit.append(actor, "detainer.copy_served", _subject(row.detainer_id), details, session=s)
            return _served(service, made)

    def _made(
        self, detainer_pk: int, rendered: notice.RenderedNotice, how: str, at: datetime, actor: str,
        file: str | None = None,
    ) -> MadeCopy:  # fmt: skip
        with self._store.session() as s:
            row = self._row(s, detainer_pk)
            made = DetainerCopy(detainer_pk=detainer_pk, language=rendered.language, how=how,
                                sha256=rendered.sha256, file=file, made_at=at, made_by=actor)  # fmt: skip
            s.add(made)
            s.flush()
            booking = s.get(Booking, row.booking_id)
            details = {"language": rendered.language, "how": how, "sha256": rendered.sha256,
                       "bytes": len(rendered.pdf), "made_at": at.isoformat(), "booking": booking.number}  # fmt: skip
            if file:
                details["file"] = file
            self._audit.append(actor, "detainer.copy_made", _subject(row.detainer_id), details, session=s)
            return _made_view(made)

    # --- reading ----------------------------------------------------------------------------------------

    def get(self, detainer_pk: int) -> DetainerView:
        with self._store.session() as s:
            return self._view(s, self._row(s, detainer_pk))

    def for_booking(self, booking_id: int) -> list[DetainerView]:
        with self._store.session() as s:
            rows = s.scalars(
                select(Detainer).where(Detainer.booking_id == booking_id).order_by(Detainer.id)
            ).all()
            return [self._view(s, r) for r in rows]

    def open_by_booking(self) -> dict[int, DetainerView]:
        """For the bookings list: each booking's open detainer (the one ending soonest)."""
        with self._store.session() as s:
            rows = s.scalars(
                select(Detainer).where(
                    Detainer.status.in_([DetainerStatus.ACTIVE.value, DetainerStatus.LAPSED.value])
                )
            ).all()
            out: dict[int, DetainerView] = {}
            for row in rows:
                view = self._view(s, row, served=False)
                current = out.get(row.booking_id)
                if current is None or (
                    view.deadline and (current.deadline is None or view.deadline < current.deadline)
                ):
                    out[row.booking_id] = view
            return out

    def open_deadlines(self, booking_ids: Iterable[int]) -> dict[int, datetime | None]:
        """For the bookings list's column: each of these bookings' open hold's deadline (the soonest;
        None while the releasable time is not recorded). Reads clear columns only: the list reloads
        on a worker thread that holds the interpreter lock, so it opens no sealed detail."""
        wanted = list(dict.fromkeys(booking_ids))
        if not wanted:
            return {}
        tz = clock.zone(self._config().time_zone)
        out: dict[int, datetime | None] = {}
        with self._store.session() as s:
            for start in range(0, len(wanted), 500):  # bounded IN lists
                rows = s.execute(
                    select(Detainer.booking_id, Detainer.deadline).where(
                        Detainer.status.in_([DetainerStatus.ACTIVE.value, DetainerStatus.LAPSED.value]),
                        Detainer.booking_id.in_(wanted[start : start + 500]),
                    )
                )
                for booking_id, deadline in rows:
                    if booking_id not in out or (
                        deadline and (out[booking_id] is None or deadline < out[booking_id])
                    ):
                        out[booking_id] = deadline
        return {b: d.astimezone(tz) if d else None for b, d in out.items()}

    def _row(self, s, detainer_pk: int) -> Detainer:
        row = s.get(Detainer, detainer_pk)
        if row is None:
            raise StationError("detainer.unknown", id=detainer_pk)
        return row

    def _view(self, s, row: Detainer, *, served: bool = True) -> DetainerView:
        tz = clock.zone(self._config().time_zone)
        booking = s.get(Booking, row.booking_id)
        subject = booking.subject
        name = f"{subject.surname}, {subject.given_names}" if subject.given_names else subject.surname
        copies: tuple[MadeCopy, ...] = ()
        services: tuple[ServedCopy, ...] = ()
        claims: tuple[ClaimView, ...] = ()
        if served:
            made = s.scalars(select(DetainerCopy).where(DetainerCopy.detainer_pk == row.id)
                             .order_by(DetainerCopy.id)).all()  # fmt: skip
            by_id = {m.id: m for m in made}
            given = s.scalars(select(DetainerService).where(DetainerService.copy_id.in_(list(by_id)))
                              .order_by(DetainerService.id)).all() if by_id else []  # fmt: skip
            copies = tuple(_made_view(m) for m in made)
            services = tuple(_served(g, by_id[g.copy_id]) for g in given)
            claims = self.claims.for_detainer(s, row.id)
        return DetainerView(
            id=row.id,
            booking_id=row.booking_id,
            booking_number=booking.number,
            name=name,
            detainer_id=row.detainer_id,
            lodged_at=row.lodged_at.astimezone(tz),
            office=row.office,
            languages=tuple(json.loads(row.languages_json or "[]")),
            releasable_at=row.releasable_at.astimezone(tz) if row.releasable_at else None,
            deadline=row.deadline.astimezone(tz) if row.deadline else None,
            status=DetainerStatus(row.status),
            outcome=row.outcome,
            outcome_at=row.outcome_at.astimezone(tz) if row.outcome_at else None,
            served=services,
            copies=copies,
            claims=claims,
        )


def _made_view(row: DetainerCopy) -> MadeCopy:
    return MadeCopy(row.id, row.language, row.how, row.sha256, row.file, row.made_at, row.made_by)


def _served(row: DetainerService, made: DetainerCopy) -> ServedCopy:
    return ServedCopy(
        at=row.served_at, actor=row.served_by, language=row.language, method=HandOver(row.method),
        interpreter=row.interpreter, sha256=made.sha256, copy_language=made.language, copy_id=made.id,
    )  # fmt: skip


def _file_safe(text: str) -> str:
    """A booking number as part of a file name: letters, digits, - and _ only."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", text) or "booking"


def _write_and_check(folder: Path, target: Path, data: bytes, sha256: str) -> Path:
    """Write `data` to `target` (or the next free -2, -3… name) via a temporary file in `folder`,
    then read it back; returns the path written. Raises OSError when the folder is not there or not
    writable, the disk is full, or the file does not read back as written."""
    import errno
    import tempfile

    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the folder does not exist")
    stem, n = target.stem, 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{n}.pdf"
    handle, temporary = tempfile.mkstemp(prefix=".copy-", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)  # criminal-justice information: the owner only
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hashlib.sha256(target.read_bytes()).hexdigest() != sha256:
        target.unlink(missing_ok=True)
        raise OSError(errno.EIO, "the file read back is not the copy that was written")
    return target


def _subject(detainer_id: str) -> str:
    return f"detainer:{detainer_id}"
