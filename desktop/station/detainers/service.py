"""The station's detainers: received from the mailbox, clock kept, outcome recorded, copy served.

Every change is written with its audit event in one transaction. The deadline is stored (UTC) when
the clerk records the releasable time, computed in the jail's zone with the state's holidays as
configured at that moment; changing the settings later does not move a deadline already given to
the detainee on paper.
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from booking_station.runtime import UserError
from desktop.station.audit import AuditLog
from desktop.station.config import Config
from desktop.station.db import Store
from desktop.station.detainers import clock, notice, rights
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


@dataclass(frozen=True)
class ServedCopy:
    at: datetime
    actor: str
    language: str
    sha256: str


@dataclass(frozen=True)
class DetainerView:
    id: int
    booking_id: int
    booking_number: str
    name: str
    detainer_id: str
    lodged_at: datetime
    office: str
    languages: tuple[str, ...]  # our rights codes for the languages the detainer lists
    releasable_at: datetime | None  # in the jail's zone
    deadline: datetime | None  # in the jail's zone
    status: DetainerStatus  # as recorded; see `lapsed`
    outcome: str | None
    outcome_at: datetime | None
    served: tuple[ServedCopy, ...]

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

    # --- arrival (the mailbox) -----------------------------------------------------------------

    def on_response(self, response_id: int, booking_id: int | None, document: dict) -> None:
        """The mailbox hook: a DETAINER or DETAINER_CANCEL document was stored."""
        if "unreadable" in document:
            log.warning("detainer message %s cannot be read: %s", response_id, document["unreadable"])
            return
        try:
            if "cancelled_at" in document:
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
        """Record a lodged detainer (idempotent on `detainer_id`); returns its row id."""
        codes = [c for c in (rights.resolve(code) for code in languages) if c]
        with self._store.session() as s:
            existing = s.scalars(select(Detainer).where(Detainer.detainer_id == detainer_id)).first()
            if existing is not None:
                return existing.id
            booking = s.get(Booking, booking_id)
            if booking is None:
                raise UserError(f"booking {booking_id} does not exist")
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
            raise UserError("the releasable time needs its time zone")
        try:
            calendar = config.hold_calendar
            deadline = clock.deadline(releasable_at, tz, calendar)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        with self._store.session() as s:
            row = self._row(s, detainer_pk)
            if row.status not in (DetainerStatus.ACTIVE.value, DetainerStatus.LAPSED.value):
                raise UserError(
                    f"detainer {row.detainer_id} is closed ({row.status}); its clock cannot change"
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
            raise UserError("the time of the outcome needs its time zone")
        with self._store.session() as s:
            row = self._row(s, detainer_pk)
            if row.status not in (DetainerStatus.ACTIVE.value, DetainerStatus.LAPSED.value):
                raise UserError(f"detainer {row.detainer_id} already has an outcome: {row.outcome}")
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
            raise UserError("record when the person becomes releasable first: the copy states the deadline")
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
            return notice.render(details, language)
        except notice.NoticeError as exc:
            raise UserError(str(exc)) from None

    def serve(self, detainer_pk: int, language: str, *, actor: str, served_at: datetime | None = None
              ) -> notice.RenderedNotice:  # fmt: skip
        """Make the copy to hand to the detainee and record who served it, when, in which language
        and the SHA-256 of the exact document."""
        at = (served_at or utcnow()).replace(microsecond=0)
        rendered = self.copy(detainer_pk, language, served_at=at)
        view = self.get(detainer_pk)
        self._audit.append(actor, "detainer.copy_served", _subject(view.detainer_id), {
            "language": rendered.language, "sha256": rendered.sha256, "served_at": at.isoformat(),
            "booking": view.booking_number, "bytes": len(rendered.pdf),
        })  # fmt: skip
        return rendered

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

    def _row(self, s, detainer_pk: int) -> Detainer:
        row = s.get(Detainer, detainer_pk)
        if row is None:
            raise UserError(f"detainer {detainer_pk} does not exist")
        return row

    def _view(self, s, row: Detainer, *, served: bool = True) -> DetainerView:
        tz = clock.zone(self._config().time_zone)
        booking = s.get(Booking, row.booking_id)
        subject = booking.subject
        name = f"{subject.surname}, {subject.given_names}" if subject.given_names else subject.surname
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
            served=self._served(row.detainer_id) if served else (),
        )

    def _served(self, detainer_id: str) -> tuple[ServedCopy, ...]:
        events = self._audit.events(limit=200, text=_subject(detainer_id))
        return tuple(
            ServedCopy(e.at, e.actor, e.details.get("language", ""), e.details.get("sha256", ""))
            for e in reversed(events)
            if e.action == "detainer.copy_served" and e.subject == _subject(detainer_id)
        )


def _subject(detainer_id: str) -> str:
    return f"detainer:{detainer_id}"
