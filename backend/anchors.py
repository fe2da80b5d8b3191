"""Audit anchoring: stations' audit-chain heads kept outside the station.

A station sends its chain's head (the number of events and the newest keyed hash) with a
submission (the `X-Audit-Head: SEQUENCE:HEAD` header) or on its own (`POST /v1/audit-anchors/{ori}`).
The backend keeps every head it was sent, per ORI, with the certificate that sent it and the time,
and gives them back to that agency's stations only. A station that checks its log against them
finds both a rewritten log (the head at that sequence differs) and deleted newest events (the log
is shorter than an anchored sequence). A head whose sequence is lower than one anchored before is
kept too, marked `regressed`: that is the trace a truncated log leaves here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import HTTPException
from sqlalchemy import func, select

from backend._db import Action, AuditAnchor, Store, iso, utcnow
from booking_station.pki import Identity

HEAD_PATTERN = r"^[0-9a-f]{64}$"
HEADER_PATTERN = r"^(\d{1,19}):([0-9a-f]{64})$"
_HEADER = re.compile(HEADER_PATTERN)


@dataclass(frozen=True)
class Head:
    sequence: int
    head: str


def parse_header(value: str) -> Head:
    """`SEQUENCE:HEAD` -> Head; 400 naming the expected form otherwise."""
    match = _HEADER.match(value.strip())
    if match is None or int(match.group(1)) > 2**63 - 1:
        raise HTTPException(
            400, "X-Audit-Head must be SEQUENCE:HEAD, the event count and 64 lower-case hex digits"
        )
    return Head(int(match.group(1)), match.group(2))


def anchor(store: Store, station: Identity, head: Head, tcn: str | None) -> dict:
    """Keep one anchored head of `station`'s ORI; returns it as the API shows it."""
    assert station.ori is not None
    with store.session() as s:
        highest = s.scalar(select(func.max(AuditAnchor.sequence)).where(AuditAnchor.ori == station.ori))
        row = AuditAnchor(
            ori=station.ori,
            certificate=station.serial_hex,
            sequence=head.sequence,
            head=head.head,
            tcn=tcn,
            anchored_at=utcnow(),
            regressed=highest is not None and head.sequence < highest,
        )
        s.add(row)
        if row.regressed:
            s.add(Action(kind="audit regressed", ori=station.ori, tcn=tcn,
                         details=f"audit head at {head.sequence} events, after one at {highest}"))  # fmt: skip
        s.flush()
        return _anchor_dict(row)


def read(store: Store, ori: str, limit: int = 100) -> list[dict]:
    """The heads anchored for `ori`, newest first."""
    with store.session() as s:
        rows = s.scalars(
            select(AuditAnchor).where(AuditAnchor.ori == ori).order_by(AuditAnchor.id.desc()).limit(limit)
        ).all()
        return [_anchor_dict(r) for r in rows]


def _anchor_dict(row: AuditAnchor) -> dict:
    return {
        "sequence": row.sequence,
        "head": row.head,
        "anchored_at": iso(row.anchored_at),
        "tcn": row.tcn,
        "certificate": row.certificate,
        "regressed": row.regressed,
    }
