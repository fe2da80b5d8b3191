"""ORI mailboxes: posting responses (with the routing rules), reading after a cursor, acknowledging.

Routing (docs/backend-api.md): SRE and ERRT always go to the submitting ORI; an IAR only to an
agency that receives immigration responses (an unknown ORI does); DETAINER, DETAINER_CANCEL and the
answers to a detainee's claims (CLAIM_CITIZEN, CLAIM_VICTIM) go to the jail either way.
"""

from __future__ import annotations

import base64
import threading
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from backend._db import Action, Agency, Message, Store, iso, utcnow

KINDS = {"SRE", "ERRT", "IAR", "DETAINER", "DETAINER_CANCEL", "CLAIM_CITIZEN", "CLAIM_VICTIM"}
EBTS_MEDIA_TYPE = "application/x-ebts"
JSON_MEDIA_TYPE = "application/json"

#: The largest cursor the store can hold: `messages.cursor` is a 32-bit INTEGER on PostgreSQL. A
#: client may ask after any 64-bit cursor; beyond this one there is simply nothing (no 500).
_MAX_CURSOR = 2**31 - 1

# Cursors must become visible in order: one writer at a time, so a poller reading after cursor 6
# can never later find a 5 that was still being committed.
_post_lock = threading.Lock()


@dataclass(frozen=True)
class Posted:
    cursor: int | None  # None when routing withheld it
    kind: str
    withheld: bool = False
    duplicate: bool = False


def receives_immigration_responses(store: Store, ori: str) -> bool:
    with store.session() as s:
        agency = s.get(Agency, ori)
        return True if agency is None else agency.immigration_responses


def put_agency(store: Store, ori: str, name: str, immigration_responses: bool) -> dict:
    with store.session() as s:
        agency = s.get(Agency, ori)
        if agency is None:
            agency = Agency(ori=ori)
            s.add(agency)
        agency.name = name
        agency.immigration_responses = immigration_responses
        agency.updated_at = utcnow()
        s.add(
            Action(
                kind="agency",
                ori=ori,
                details=f"{name!r} immigration responses {'on' if immigration_responses else 'off'}",
            )
        )
        return agency_dict(agency)


def agency_dict(agency: Agency) -> dict:
    return {"ori": agency.ori, "name": agency.name, "immigration_responses": agency.immigration_responses}


def post(store: Store, ori: str, tcn: str, kind: str, body: bytes, media_type: str) -> Posted:
    """Put one response in `ori`'s mailbox, unless routing withholds it. Posting (tcn, kind) twice is a no-op."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    if kind == "IAR" and not receives_immigration_responses(store, ori):
        store.log("withheld", f"{kind} not sent: agency declines immigration responses", tcn=tcn, ori=ori)
        return Posted(None, kind, withheld=True)
    with _post_lock:
        try:
            with store.session() as s:
                message = Message(
                    id=str(uuid.uuid4()),
                    ori=ori,
                    tcn=tcn,
                    kind=kind,
                    media_type=media_type,
                    body=body,
                    created_at=utcnow(),
                )
                s.add(message)
                s.flush()
                s.add(Action(kind="posted", tcn=tcn, ori=ori, details=f"{kind} at cursor {message.cursor}"))
                return Posted(message.cursor, kind)
        except IntegrityError:
            with store.session() as s:
                existing = s.scalars(select(Message).where(Message.tcn == tcn, Message.kind == kind)).one()
                return Posted(existing.cursor, kind, duplicate=True)


def already_posted(store: Store, tcn: str, kind: str) -> bool:
    with store.session() as s:
        return (
            s.scalars(select(Message.cursor).where(Message.tcn == tcn, Message.kind == kind)).first()
            is not None
        )


def read(store: Store, ori: str, after: int = 0, limit: int = 100) -> dict:
    """Unacknowledged messages with cursor > after, oldest first, and the cursor to ask after next."""
    if after >= _MAX_CURSOR:
        return {"messages": [], "next_cursor": after}
    with store.session() as s:
        rows = s.scalars(
            select(Message)
            .where(Message.ori == ori, Message.cursor > after, Message.acked.is_(False))
            .order_by(Message.cursor)
            .limit(limit)
        ).all()
        return {
            "messages": [message_dict(m) for m in rows],
            "next_cursor": rows[-1].cursor if rows else after,
        }


def ack(store: Store, ori: str, through: int) -> int:
    """Acknowledge every message of `ori` up to and including cursor `through`; returns how many."""
    through = min(through, _MAX_CURSOR)
    with store.session() as s:
        result = s.execute(
            update(Message)
            .where(Message.ori == ori, Message.cursor <= through, Message.acked.is_(False))
            .values(acked=True)
        )
        if result.rowcount:
            s.add(
                Action(kind="ack", ori=ori, details=f"{result.rowcount} message(s) through cursor {through}")
            )
        return result.rowcount


def message_dict(m: Message) -> dict:
    return {
        "cursor": m.cursor,
        "id": m.id,
        "tcn": m.tcn,
        "kind": m.kind,
        "created_at": iso(m.created_at),
        "media_type": m.media_type,
        "body_b64": base64.b64encode(m.body).decode("ascii"),
    }
