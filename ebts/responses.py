"""Responses to a CAR: the SRE (search results) and the ERRT (error), built and read.

The backend builds them with `build_sre` / `build_errt` from what it parsed out of the request;
the station reads any of them back with `read_response`. A response's 1.010 TCR is the TCN of the
submission it answers, which is how the station links it to its booking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ebts._codec import parse, write
from ebts._header import FBI_ORI, new_tcn, type1
from ebts._model import Record, Transaction

_MSG = 60  # 2.060 MSG: one subfield per message
_ERS = 75  # 2.075 ERS: electronic rap sheet, one subfield per line
_SRF = 59  # 2.059 SRF: search results findings
_UCN = 14  # 2.014 FBI number (UCN)
_NAM = 18
_CRI = 73
_MSG_PATTERN = re.compile(r"^(?P<code>[A-Z]\d{4})(?: (?P<field>[^:]*))?: (?P<message>.*)$", re.S)


@dataclass(frozen=True)
class ErrorItem:
    """One reason a submission was rejected: an EBTS-style code (see codes.ERROR_CODES), the field
    it concerns ("2.024 SEX", "14.011 CGA", or "" when not one field) and a message for people.
    In 2.060 MSG it reads "L0002 2.024 SEX: 'Q' is not a code of the SEX table"."""

    code: str
    field: str
    message: str

    def to_msg(self) -> str:
        return f"{self.code} {self.field}: {self.message}" if self.field else f"{self.code}: {self.message}"

    @classmethod
    def from_msg(cls, text: str) -> ErrorItem:
        match = _MSG_PATTERN.match(text)
        if not match:
            return cls("", "", text)
        return cls(match["code"], match["field"] or "", match["message"])


@dataclass(frozen=True)
class Response:
    """What a station needs from an SRE or an ERRT."""

    kind: str  # "SRE" or "ERRT"
    tcn: str  # the response's own TCN
    request_tcn: str  # 1.010 TCR: the submission it answers
    sender_ori: str
    recipient_ori: str
    created: datetime | None
    name: str  # 2.018 NAM: as identified (SRE ident) or as submitted
    identified: bool | None  # SRE only
    fbi_number: str  # SRE ident only
    rap_sheet: tuple[str, ...]  # SRE only: criminal history lines
    errors: tuple[ErrorItem, ...]  # ERRT only
    messages: tuple[str, ...]  # SRE free-text messages


def build_sre(
    *,
    recipient_ori: str,
    request_tcn: str,
    identified: bool,
    fbi_number: str | None = None,
    name: str | None = None,
    rap_sheet: Sequence[str] = (),
    controlling_agency: str | None = None,
    messages: Sequence[str] = (),
    tcn: str | None = None,
    sender_ori: str = FBI_ORI,
    when: datetime | None = None,
) -> bytes:
    """Submission Results - Electronic, answering the CAR with TCN `request_tcn` from `recipient_ori`.

    identified: 2.059 SRF "I" (and then `fbi_number`, 2.014, is required) or "N".
    name: 2.018 NAM of the identified record (or as submitted); rap_sheet: 2.075 ERS lines
    (criminal-history summary); controlling_agency: 2.073 CRI; messages: 2.060 MSG lines.
    tcn: the response's own TCN (generated when None). Returns the EBTS bytes.
    """
    if identified and not fbi_number:
        raise ValueError("an identification SRE needs the FBI number")
    header, record = _answer("SRE", recipient_ori, request_tcn, tcn, sender_ori, when)
    if identified:
        record.set(_UCN, fbi_number)
    if name:
        record.set(_NAM, _clean(name))
    record.set(_SRF, "I" if identified else "N")
    for line in messages:
        record.add_subfield(_MSG, _clean(line))
    if controlling_agency:
        record.set(_CRI, [controlling_agency])
    for line in rap_sheet:
        record.add_subfield(_ERS, _clean(line))
    return write(Transaction([header, record]))


def _answer(
    tot: str, recipient_ori: str, request_tcn: str, tcn: str | None, sender_ori: str, when: datetime | None
) -> tuple[Record, Record]:
    """The Type-1 header and the start of the Type-2 record that every FBI answer shares."""
    when = when or datetime.now(UTC)
    header = type1(
        tot=tot,
        dai=recipient_ori,
        ori=sender_ori,
        tcn=tcn or new_tcn(sender_ori, when),
        tcr=request_tcn,
        when=when,
        priority=4,
    )
    record = Record(2)
    record.set(2, "00")
    return header, record


def build_errt(
    *,
    recipient_ori: str,
    request_tcn: str,
    errors: Sequence[ErrorItem],
    name: str | None = None,
    controlling_agency: str | None = None,
    tcn: str | None = None,
    sender_ori: str = FBI_ORI,
    when: datetime | None = None,
) -> bytes:
    """Tenprint Transaction Error for the submission `request_tcn` of `recipient_ori`.

    errors: at least one ErrorItem (2.060 MSG, one subfield each); name: 2.018 NAM as submitted,
    when it could be read; the other arguments as for build_sre. Returns the EBTS bytes.
    """
    if not errors:
        raise ValueError("an ERRT needs at least one error")
    header, record = _answer("ERRT", recipient_ori, request_tcn, tcn, sender_ori, when)
    if name:
        record.set(_NAM, _clean(name))
    for error in errors:
        record.add_subfield(_MSG, _clean(error.to_msg()))
    if controlling_agency:
        record.set(_CRI, [controlling_agency])
    return write(Transaction([header, record]))


def read_response(data: bytes | Transaction) -> Response:
    """Read an SRE or ERRT (bytes or a parsed transaction). Raises ParseError for bad bytes and
    ValueError for a transaction that is not an SRE or ERRT."""
    tx = data if isinstance(data, Transaction) else parse(data)
    kind = tx.tot
    if kind not in ("SRE", "ERRT"):
        raise ValueError(f"transaction type {kind or '(none)'} is not an SRE or ERRT")
    t2 = tx.first(2) or Record(2)
    lines = tuple(sub[0] for sub in t2.subfields(_MSG) if sub and sub[0])
    srf = t2.get(_SRF)
    return Response(
        kind=kind,
        tcn=tx.tcn,
        request_tcn=tx.tcr,
        sender_ori=tx.ori,
        recipient_ori=tx.header.get(7, "") or "",
        created=_parse_gmt(tx.header.get(14)),
        name=t2.get(_NAM, "") or "",
        identified=(srf == "I") if kind == "SRE" and srf else None,
        fbi_number=t2.get(_UCN, "") or "",
        rap_sheet=tuple(sub[0] for sub in t2.subfields(_ERS) if sub),
        errors=tuple(ErrorItem.from_msg(line) for line in lines) if kind == "ERRT" else (),
        messages=lines if kind == "SRE" else (),
    )


def _parse_gmt(text: str | None) -> datetime | None:
    try:
        return datetime.strptime(text or "", "%Y%m%d%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _clean(text: str) -> str:
    """Free text from a backend may hold anything; the four separators would break the record."""
    return text.translate(_NO_SEPARATORS)


_NO_SEPARATORS = {c: " " for c in (0x1C, 0x1D, 0x1E, 0x1F)}
