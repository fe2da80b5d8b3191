"""The station's mailbox: every response stored exactly once, linked to its booking, acknowledged.

`poll` reads the agency's mailbox after the last cursor it saw, stores each message it does not
hold yet (the backend's message id is unique in the `responses` table), moves the booking and its
submission on, and only then acknowledges: a crash before the acknowledgement means the messages
are listed again and skipped as already stored; a crash before the store means they are stored on
the next poll. Bodies are kept as received; a summary for display is kept beside them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, select, type_coerce
from sqlalchemy.exc import IntegrityError

import ebts
from desktop.station import messages as said
from desktop.station.alerts import Alerts
from desktop.station.audit import AuditLog
from desktop.station.bookings import Bookings
from desktop.station.db import Store
from desktop.station.models import (
    Booking,
    BookingStatus,
    Detainer,
    DetainerStatus,
    Response,
    ResponseKind,
    Transaction,
    TransactionStatus,
    utcnow,
)
from desktop.station.outbox_client import BackendClient, Message
from ebts.codes import ERROR_CODES

log = logging.getLogger(__name__)

ACTOR = "mailbox"
PAGE = 50

# Called after a DETAINER, DETAINER_CANCEL or an answer to a claim (CLAIM_CITIZEN, CLAIM_VICTIM) is
# stored: (response id, booking id or None, document).
DetainerHook = Callable[[int, int | None, dict], None]
DETAINER_KINDS = (
    ResponseKind.DETAINER,
    ResponseKind.DETAINER_CANCEL,
    ResponseKind.CLAIM_CITIZEN,
    ResponseKind.CLAIM_VICTIM,
)


@dataclass(frozen=True)
class ResponseView:
    """One stored response as the Responses page shows it."""

    id: int
    message_id: str
    booking_id: int | None
    tcn: str  # the submission it answers
    kind: str  # a ResponseKind value (or, for a kind this station does not know, as received)
    received_at: datetime
    summary: dict


@dataclass(frozen=True)
class Outcome:
    """What the bookings list says about a booking's answers (a Message the UI words)."""

    message: said.Message
    severity: str  # "info", "attention" (needs the clerk), "alert" (detainer)

    @property
    def text(self) -> str:
        """In English (logs, the command line)."""
        return str(self.message)


class Responses:
    def __init__(
        self,
        store: Store,
        audit: AuditLog,
        bookings: Bookings,
        on_detainer: DetainerHook | None = None,
        alerts: Alerts | None = None,
    ) -> None:
        self._store = store
        self._audit = audit
        self._bookings = bookings
        self._alerts = alerts
        self.on_detainer = on_detainer
        self._cursors: dict[str, int] = {}
        self._replayed = False

    # --- polling ------------------------------------------------------------------------------
    def poll(self, client: BackendClient, ori: str) -> int:
        """Fetch, store and acknowledge everything waiting for `ori`; returns how many were new.
        Raises BackendUnavailable when the backend cannot be reached (nothing is lost)."""
        if not self._replayed and self.on_detainer is not None:
            self._replay_detainer_hooks()
            self._replayed = True
        new = 0
        while True:
            messages, next_cursor = client.mailbox(ori, self._cursors.get(ori, 0), PAGE)
            if not messages:
                return new
            for message in messages:
                new += self._store_message(message)
            through = max(m.cursor for m in messages)
            client.ack(ori, through)
            self._cursors[ori] = max(through, next_cursor)
            if len(messages) < PAGE:
                return new

    def _store_message(self, message: Message) -> int:
        kind = _kind(message.kind)
        if kind is None:
            # Kept all the same (never dropped), shown as unreadable until the station knows the kind.
            summary: dict = _unreadable(said.message("answer.unknown-kind", kind=message.kind))
        else:
            summary = summarize(kind, message.body)
        hook: tuple[int, int | None, dict] | None = None
        try:
            with self._store.session() as s:
                if s.scalars(select(Response.id).where(Response.message_id == message.id)).first():
                    return 0  # already stored before a crash or a lost acknowledgement
                tx = s.scalars(select(Transaction).where(Transaction.tcn == message.tcn)).one_or_none()
                booking_id = tx.booking_id if tx else None
                row = Response(message_id=message.id, booking_id=booking_id, tcn=message.tcn, kind=message.kind[:16],
                               received_at=utcnow(), body=message.body, summary_json=json.dumps(summary))  # fmt: skip
                s.add(row)
                s.flush()
                booking = s.get(Booking, booking_id) if booking_id else None
                if tx is not None and kind is not None:
                    _advance_transaction(tx, kind, summary)
                if booking is not None and kind is not None:
                    status = _booking_status(BookingStatus(booking.status), kind)
                    if status is not None:
                        self._bookings.set_status(booking.id, status, actor=ACTOR, session=s)
                subject = f"booking:{booking.number}" if booking else f"tcn:{message.tcn}"
                self._audit.append(ACTOR, "response.received", subject,
                                   {"kind": message.kind, "tcn": message.tcn, "message": message.id}, session=s)  # fmt: skip
                if booking is not None and kind is not None and self._alerts is not None:
                    # Does the answer name the person booked? Checked before anyone acts on it.
                    self._alerts.check(s, booking, row, kind, summary, ACTOR)
                if kind in DETAINER_KINDS:
                    hook = (row.id, booking_id, summary)
        except IntegrityError:
            return 0  # another poller stored the same message id first
        if hook is not None and self.on_detainer is not None:
            self.on_detainer(*hook)
        log.info("stored %s for %s", message.kind, message.tcn)
        return 1

    def _replay_detainer_hooks(self) -> None:
        """The hook runs after the response is committed; a crash in between would leave a stored
        detainer the detainer service never heard of. On the first poll after a start, hand on any
        detainer (or cancellation, or answer to a claim) the service does not reflect yet."""
        from desktop.station.detainers.claims import ClaimOutcome, supersedes
        from desktop.station.detainers.tables import DetainerClaim

        with self._store.session() as s:
            rows = s.scalars(
                select(Response)
                .where(Response.kind.in_([k.value for k in DETAINER_KINDS]))
                .order_by(Response.id)
            ).all()
            missed = []
            for row in rows:
                doc = json.loads(row.summary_json or "{}")
                detainer_id = doc.get("detainer_id")
                if not detainer_id or "unreadable" in doc:
                    continue
                if row.kind in (ResponseKind.CLAIM_CITIZEN.value, ResponseKind.CLAIM_VICTIM.value):
                    claim = s.scalars(
                        select(DetainerClaim).where(DetainerClaim.claim_id == str(doc.get("claim_id")))
                    ).first()
                    answer = doc.get("outcome")
                    known_answer = answer in {o.value for o in ClaimOutcome}
                    if claim is not None and known_answer and supersedes(answer, claim.outcome):
                        missed.append((row.id, row.booking_id, doc))
                    continue
                known = s.scalars(select(Detainer).where(Detainer.detainer_id == detainer_id)).first()
                lodged_unrecorded = (
                    row.kind == ResponseKind.DETAINER.value and known is None and row.booking_id
                )
                cancel_unrecorded = (
                    row.kind == ResponseKind.DETAINER_CANCEL.value
                    and known is not None
                    and known.status != DetainerStatus.CANCELLED.value
                )
                if lodged_unrecorded or cancel_unrecorded:
                    missed.append((row.id, row.booking_id, doc))
        for hook_args in missed:
            log.warning("handing on detainer response %s that was stored but not yet recorded", hook_args[0])
            self.on_detainer(*hook_args)

    # --- reading ------------------------------------------------------------------------------
    def for_booking(self, booking_id: int) -> list[ResponseView]:
        with self._store.session() as s:
            rows = s.scalars(
                select(Response).where(Response.booking_id == booking_id).order_by(Response.id)
            ).all()
            return [_view(r) for r in rows]

    def body(self, response_id: int) -> bytes:
        with self._store.session() as s:
            row = s.get(Response, response_id)
            if row is None:
                raise KeyError(response_id)
            return row.body

    def outcomes(self, booking_ids: Iterable[int]) -> dict[int, Outcome]:
        """The latest meaningful answer per booking, for the bookings list.

        The list reloads it on a worker thread holding the interpreter lock, 500 bookings at a time:
        it reads columns, not whole rows, so it opens no submission's EBTS (its fingerprint images)
        and no answer's body, only the summary of each booking's last answer (`_outcome`)."""
        ids = list(booking_ids)
        if not ids:
            return {}
        with self._store.session() as s:
            dialect = s.get_bind().dialect
            rows = s.execute(
                select(Response.booking_id, Response.kind, type_coerce(Response.summary_json, Text))
                .where(Response.booking_id.in_(ids))
                .order_by(Response.booking_id, Response.id)
            )
            by_booking: dict[int, list[tuple[str, str | None]]] = {}
            for booking_id, kind, summary in rows:
                by_booking.setdefault(booking_id, []).append((kind, summary))
            latest: dict[int, tuple[str, int]] = {}  # each booking's last submission: status, attempts
            pending: set[int] = set()  # bookings with a submission queued or sent
            for booking_id, status, attempts in s.execute(
                select(Transaction.booking_id, Transaction.status, Transaction.attempts)
                .where(Transaction.booking_id.in_(ids))
                .order_by(Transaction.id)
            ):
                latest[booking_id] = (status, attempts)
                if status in _PENDING:
                    pending.add(booking_id)

            def summary_of(stored: str | None) -> dict:
                return json.loads(_SUMMARY.process_result_value(stored, dialect) or "{}")

            out = {b: _outcome(rs, b in pending, summary_of) for b, rs in by_booking.items()}
        for b, (status, attempts) in latest.items():
            if b in out:
                continue
            if status == TransactionStatus.QUEUED.value and attempts:
                out[b] = Outcome(said.message("answer.retrying", attempts=attempts), "attention")
            elif status == TransactionStatus.FAILED.value:
                out[b] = Outcome(said.message("answer.refused"), "attention")
        return out


@dataclass(frozen=True)
class FixPlace:
    """Where the clerk fixes what one ERRT line names: a page, the EBTS field, the fingers.

    `page` is "details" (a Type-2 field: `field` says which), "capture" (fingerprints; `fingers`
    names them when the FBI's message does), "settings" (Type-1: the agency or the station) or
    "message" (read the FBI's words)."""

    page: str
    field: str = ""
    fingers: tuple[int, ...] = ()


_DETAILS_FIELDS = {"2.018", "2.019", "2.020", "2.022", "2.024", "2.025", "2.027", "2.029", "2.031", "2.032",
                   "2.045", "2.047"}  # fmt: skip
# The fingers an ERRT line names, from the FBI's own wording ("finger 7", "finger(s) 1, 2").
_ERRT_FINGERS = re.compile(r"\bfinger(?:\(s\))? (\d{1,2}(?:, ?\d{1,2})*)")


def fix_place(field: str, message: str) -> FixPlace:
    """Where an ERRT error (its field, e.g. "2.024 SEX", and the FBI's message) is fixed."""
    tag = field.split(" ")[0]
    if tag in _DETAILS_FIELDS:
        return FixPlace("details", tag)
    if tag.startswith("14.") or tag == "2.084":
        found = _ERRT_FINGERS.search(message)
        fingers = tuple(int(f) for f in found.group(1).split(",")) if found else ()
        return FixPlace("capture", tag, fingers)
    if tag.startswith("1."):
        return FixPlace("settings", tag)
    return FixPlace("message", tag)


def summarize(kind: ResponseKind, body: bytes) -> dict:
    """What the page shows of a body. A body that cannot be read is still kept, with the reason."""
    try:
        if kind in (ResponseKind.SRE, ResponseKind.ERRT):
            r = ebts.read_response(body)
            if r.kind == "SRE":
                return {"identified": bool(r.identified), "fbi_number": r.fbi_number, "name": r.name,
                        "rap_sheet": list(r.rap_sheet), "messages": list(r.messages), "response_tcn": r.tcn,
                        "created": r.created.isoformat() if r.created else None}  # fmt: skip
            return {"name": r.name, "response_tcn": r.tcn,
                    "errors": [{"code": e.code, "field": e.field, "message": e.message,
                                "meaning": ERROR_CODES.get(e.code, "")} for e in r.errors]}  # fmt: skip
        doc = json.loads(body.decode("utf-8"))
        if not isinstance(doc, dict):
            raise ValueError("the document is not a JSON object")
        return doc
    except (ebts.ParseError, ValueError, UnicodeDecodeError) as exc:
        log.warning("a %s answer cannot be read: %s", kind.value, exc)
        return _unreadable(said.message("answer.unreadable", kind=kind.value, error=exc.__class__.__name__))


def _unreadable(why: said.Message) -> dict:
    """The summary of an answer the station cannot read: why, as a message (`problem`), and in
    English (`unreadable`, what rows stored before problems were codes hold)."""
    return {"unreadable": str(why), "problem": why.stored()}


def _kind(text: str) -> ResponseKind | None:
    try:
        return ResponseKind(text)
    except ValueError:
        log.warning("the backend sent a message of unknown kind %r", text)
        return None


def _advance_transaction(tx: Transaction, kind: ResponseKind, summary: dict) -> None:
    if kind is ResponseKind.SRE:
        tx.status = TransactionStatus.ACKNOWLEDGED.value
    elif kind is ResponseKind.ERRT:
        tx.status = TransactionStatus.FAILED.value
        # Codes and fields only: the FBI's words may quote the booking's values; they stay once, in the
        # answer's sealed summary shown on the Responses page (the problem column is sealed too, 0010).
        errors = "; ".join(f"{e['code']} {e['field']}" for e in summary.get("errors", []))
        tx.problem, tx.last_error = said.message("outbox.fbi-rejected", errors=errors[:2000]).stored(), None
    else:
        return
    tx.next_attempt_at = None
    if tx.sent_at is None:
        tx.sent_at = utcnow()  # the answer proves it was sent (we crashed before recording it)


def _booking_status(current: BookingStatus, kind: ResponseKind) -> BookingStatus | None:
    if kind is ResponseKind.DETAINER:
        return BookingStatus.DETAINER
    if kind in (ResponseKind.SRE, ResponseKind.ERRT) and current is not BookingStatus.DETAINER:
        return BookingStatus.ANSWERED
    if kind is ResponseKind.DETAINER_CANCEL and current is BookingStatus.DETAINER:
        return BookingStatus.ANSWERED
    return None


def _view(row: Response) -> ResponseView:
    summary = json.loads(row.summary_json) if row.summary_json else {}
    return ResponseView(
        row.id, row.message_id, row.booking_id, row.tcn, ResponseKind(row.kind), row.received_at, summary
    )


#: A submission in the outbox or on its way: a rejected one has been corrected and sent again.
_PENDING = frozenset({TransactionStatus.QUEUED.value, TransactionStatus.SENT.value})
#: The sealed summary's column type, to open only the summary the list shows.
_SUMMARY = Response.__table__.c.summary_json.type


def _outcome(
    rows: list[tuple[str, str | None]], resubmitted: bool, summary_of: Callable[[str | None], dict]
) -> Outcome:
    """`rows`: a booking's answers in order (kind, stored summary); `summary_of` opens one summary."""
    kinds = [_kind(kind) for kind, _ in rows]
    last_detainer = max((i for i, k in enumerate(kinds) if k is ResponseKind.DETAINER), default=-1)
    last_cancel = max((i for i, k in enumerate(kinds) if k is ResponseKind.DETAINER_CANCEL), default=-1)
    if last_detainer > last_cancel:
        return Outcome(said.message("answer.detainer"), "alert")
    answers = [r for r in rows if r[0] in (ResponseKind.SRE.value, ResponseKind.ERRT.value)]
    if not answers:
        return Outcome(said.message("answer.immigration"), "info")
    last_kind, stored = answers[-1]
    summary = summary_of(stored)
    if last_kind == ResponseKind.ERRT.value:
        if resubmitted:
            return Outcome(said.message("answer.resubmitted"), "info")
        return Outcome(said.message("answer.rejected", count=len(summary.get("errors", []))), "attention")
    if summary.get("identified"):
        return Outcome(said.message("answer.identified", fbi=summary.get("fbi_number", "")), "info")
    return Outcome(said.message("answer.no-record"), "info")
