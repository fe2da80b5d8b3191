"""The jail's own quarterly detainer report: what the audit log and the detainers say happened.

A quarter is read in the jail's time zone (`Config.time_zone`). Counts are of audit events recorded
in the quarter; the holds that went past their deadline come from the detainers themselves (their
deadline and when, if ever, the hold ended), so a hold is listed whether or not anyone recorded
anything about it. The report verifies the whole audit chain first and says so on its first page.

The report's inputs (audit action, detail keys read, what is counted):

| action | details read | counted as |
|---|---|---|
| `detainer.received` | booking, office | detainers received |
| `detainer.transferred` | at, after_hold_lapsed | holds ended by transfer to ICE custody (late when after_hold_lapsed) |
| `detainer.released` | at, after_hold_lapsed | holds ended by release (late when after_hold_lapsed) |
| `detainer.cancelled` | at, after_hold_lapsed | holds ended by ICE's withdrawal or cancellation |
| `detainer.lapsed` | deadline | holds whose authority lapsed before anything was recorded |
| `detainer.releasable` | deadline | releasable times and deadlines recorded (the clock started) |
| `detainer.copy_served` | language, method (`handed`, `interpreter_in_person`, `interpreter_phone`, `refused`), interpreter | copies served, by language and by how they were given |
| `claim.recorded` | kind (`citizen`, `victim`), statement | citizenship and victim claims |
| `claim.outcome` | kind, outcome (`withdrawn`, `refused`, `pending`) | their outcomes |
| `alert.raised` | kind (`wrong_person`), fields | wrong-person alerts raised |
| `alert.acknowledged` | kind | wrong-person alerts acknowledged |
| `response.declined` | — | immigration responses declined by the agency's choice |
| `detainer.unmatched`, `detainer.malformed`, `detainer.cancel_unmatched` | — | detainer messages the station could not match or read |

A copy served before its method was recorded (the key is absent) is counted as "not recorded".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from booking_station.quarters import Quarter
from desktop.station.audit import AuditLog, Verification
from desktop.station.config import Config
from desktop.station.db import Store
from desktop.station.detainers import clock
from desktop.station.models import Booking, Detainer, DetainerStatus, utcnow

#: action -> (detail keys read, what it counts). The table in the module docstring, as data.
INPUTS: dict[str, tuple[tuple[str, ...], str]] = {
    "detainer.received": (("booking", "office"), "detainers received"),
    "detainer.transferred": (("at", "after_hold_lapsed"), "holds ended by transfer to ICE custody"),
    "detainer.released": (("at", "after_hold_lapsed"), "holds ended by release"),
    "detainer.cancelled": (("at", "after_hold_lapsed"), "holds ended by ICE's withdrawal or cancellation"),
    "detainer.lapsed": (("deadline",), "hold authority lapsed before an outcome was recorded"),
    "detainer.releasable": (("deadline",), "releasable times recorded (clock started)"),
    "detainer.copy_served": (("language", "method", "interpreter"), "copies served"),
    "claim.recorded": (("kind", "statement"), "citizenship and victim claims"),
    "claim.outcome": (("kind", "outcome"), "claim outcomes"),
    "alert.raised": (("kind", "fields"), "wrong-person alerts raised"),
    "alert.acknowledged": (("kind",), "wrong-person alerts acknowledged"),
    "response.declined": ((), "immigration responses declined by the agency's choice"),
    "detainer.unmatched": ((), "detainer messages matching no booking"),
    "detainer.malformed": ((), "detainer messages that could not be read"),
    "detainer.cancel_unmatched": ((), "cancellations matching no detainer"),
}
COPY_METHODS = ("handed", "interpreter_in_person", "interpreter_phone", "refused")
CLAIM_KINDS = ("citizen", "victim")
CLAIM_OUTCOMES = ("withdrawn", "refused", "pending")
NOT_RECORDED = "not recorded"
ENDINGS = {
    "detainer.transferred": "transferred to ICE custody",
    "detainer.released": "released",
    "detainer.cancelled": "withdrawn or cancelled by ICE",
}
WRONG_PERSON = "wrong_person"


@dataclass(frozen=True)
class LateHold:
    """A hold that went past its deadline."""

    detainer_id: str
    booking_number: str
    releasable_at: datetime | None
    deadline: datetime
    ended_at: datetime | None  # None: still held when the report was made
    ended_how: str  # status: released | transferred | cancelled | lapsed (still open) | active
    hours_over: float  # to the end, or to the time the report was made


@dataclass
class JailReport:
    quarter: Quarter
    agency: str
    ori: str
    time_zone: str
    since: datetime
    until: datetime
    made_at: datetime
    verification: Verification
    read: dict[str, int]  # action -> events read in the quarter
    seq_range: tuple[int, int] | None
    received: int
    endings: dict[str, int]  # action -> count
    endings_late: dict[str, int]  # action -> of which after the deadline
    lapsed: int
    clocks_started: int
    late: list[LateHold]
    copies: Counter  # (language, method, interpreter yes/no) -> count
    claims: Counter  # kind -> count
    claim_outcomes: Counter  # (kind, outcome) -> count
    alerts_raised: int
    alerts_acknowledged: int
    declined: int
    unreadable: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"jail-{self.quarter}"

    @property
    def copies_by_language(self) -> Counter:
        out: Counter = Counter()
        for (language, _, _), n in self.copies.items():
            out[language] += n
        return out

    @property
    def copies_by_method(self) -> Counter:
        out: Counter = Counter()
        for (_, method, _), n in self.copies.items():
            out[method] += n
        return out

    def summary(self) -> list[tuple[str, int]]:
        """(figure code, value) in the report's order; `LABELS` words each code in English (the UI in
        the station's language)."""
        rows: list[tuple[str, int]] = [("received", self.received), ("clocks_started", self.clocks_started)]
        for action in ENDINGS:
            kind = action.split(".")[1]
            rows += [
                (f"ended:{kind}", self.endings.get(action, 0)),
                (f"late:{kind}", self.endings_late.get(action, 0)),
            ]
        rows += [
            ("lapsed", self.lapsed),
            ("past_deadline", len(self.late)),
            ("copies", sum(self.copies.values())),
            *[(f"copies:{method}", self.copies_by_method.get(method, 0)) for method in (*COPY_METHODS, NOT_RECORDED)],
            *[(f"claims:{kind}", self.claims.get(kind, 0)) for kind in CLAIM_KINDS],
            *[(f"claim:{kind}:{outcome}", self.claim_outcomes.get((kind, outcome), 0))
              for kind in CLAIM_KINDS for outcome in CLAIM_OUTCOMES],
            ("alerts_raised", self.alerts_raised),
            ("alerts_acknowledged", self.alerts_acknowledged),
            ("declined", self.declined),
            *[(action.split(".")[1], n) for action, n in sorted(self.unreadable.items())],
        ]  # fmt: skip
        return rows


#: Figure code -> English (the PDF and CSV; the station's page words them with tr()).
LABELS: dict[str, str] = {
    "received": "detainers received",
    "clocks_started": "releasable times recorded (the 48-hour clock started)",
    "ended:transferred": "holds ended: transferred to ICE custody",
    "late:transferred": "  of which after the deadline",
    "ended:released": "holds ended: released",
    "late:released": "  of which after the deadline",
    "ended:cancelled": "holds ended: withdrawn or cancelled by ICE",
    "late:cancelled": "  of which after the deadline",
    "lapsed": "hold authority lapsed before an outcome was recorded",
    "past_deadline": "holds past their deadline (target: none)",
    "copies": "copies of the detainer served",
    "copies:handed": "  handed to the detainee",
    "copies:interpreter_in_person": "  read by an interpreter in person",
    "copies:interpreter_phone": "  read by an interpreter by phone",
    "copies:refused": "  refused by the detainee",
    f"copies:{NOT_RECORDED}": "  how it was given not recorded",
    "claims:citizen": "citizenship claims recorded",
    "claims:victim": "victim claims recorded",
    **{
        f"claim:{kind}:{outcome}": f"  {kind} claims {outcome}"
        for kind in CLAIM_KINDS
        for outcome in CLAIM_OUTCOMES
    },
    "alerts_raised": "wrong-person alerts raised",
    "alerts_acknowledged": "wrong-person alerts acknowledged",
    "declined": "immigration responses declined by the agency's choice",
    "unmatched": "detainer messages matching no booking",
    "malformed": "detainer messages that could not be read",
    "cancel_unmatched": "cancellations matching no detainer",
}


def compute(
    store: Store, audit: AuditLog, config: Config, quarter: Quarter, now: datetime | None = None
) -> JailReport:
    """The report of `quarter` as the store holds it now."""
    tz = clock.zone(config.time_zone)
    since, until = quarter.bounds(tz)
    now = now or utcnow()
    verification = audit.verify(zone=tz)
    events = audit.in_period(since, until, list(INPUTS))
    read = Counter(e.action for e in events)
    by_action: dict[str, list] = {}
    for e in events:
        by_action.setdefault(e.action, []).append(e)

    def count(action: str) -> int:
        return len(by_action.get(action, []))

    copies: Counter = Counter()
    for e in by_action.get("detainer.copy_served", []):
        method = e.details.get("method") or NOT_RECORDED
        interpreter = "yes" if e.details.get("interpreter") else "no"
        copies[(e.details.get("language") or "?", method, interpreter)] += 1
    claims = Counter(e.details.get("kind", "?") for e in by_action.get("claim.recorded", []))
    # A claim may be answered "pending" before its decision: each claim counts once, by its last answer.
    last_answer = {
        e.details.get("claim_id") or f"event:{e.seq}": e for e in by_action.get("claim.outcome", [])
    }
    outcomes = Counter(
        (e.details.get("kind", "?"), e.details.get("outcome", "?")) for e in last_answer.values()
    )
    wrong = [e for e in by_action.get("alert.raised", []) if e.details.get("kind") == WRONG_PERSON]
    acknowledged = [
        e for e in by_action.get("alert.acknowledged", []) if e.details.get("kind") == WRONG_PERSON
    ]
    return JailReport(
        quarter=quarter,
        agency=config.agency_name,
        ori=config.agency_ori,
        time_zone=config.time_zone,
        since=since,
        until=until,
        made_at=now.astimezone(tz).replace(microsecond=0),
        verification=verification,
        read=dict(sorted(read.items())),
        seq_range=(events[0].seq, events[-1].seq) if events else None,
        received=count("detainer.received"),
        endings={a: count(a) for a in ENDINGS},
        endings_late={a: sum(1 for e in by_action.get(a, []) if e.details.get("after_hold_lapsed")) for a in ENDINGS},
        lapsed=count("detainer.lapsed"),
        clocks_started=count("detainer.releasable"),
        late=late_holds(store, since, until, now, tz),
        copies=copies,
        claims=claims,
        claim_outcomes=outcomes,
        alerts_raised=len(wrong),
        alerts_acknowledged=len(acknowledged),
        declined=count("response.declined"),
        unreadable={a: count(a) for a in ("detainer.unmatched", "detainer.malformed", "detainer.cancel_unmatched") if count(a)},
    )  # fmt: skip


def late_holds(store: Store, since: datetime, until: datetime, now: datetime, tz) -> list[LateHold]:  # type: ignore[no-untyped-def]
    """Every hold whose deadline passed while the person was still held, during [since, until)."""
    out = []
    with store.session() as s:
        rows = s.execute(
            select(Detainer, Booking.number)
            .join(Booking, Booking.id == Detainer.booking_id)
            .where(Detainer.deadline.is_not(None), Detainer.deadline < until)
            .order_by(Detainer.deadline)
        ).all()
        for row, number in rows:
            open_ = row.status in (DetainerStatus.ACTIVE.value, DetainerStatus.LAPSED.value)
            ended = None if open_ else row.outcome_at
            end = ended or now
            if end <= row.deadline:
                continue  # ended in time (or not yet due)
            if end < since:
                continue  # went past it, but before this quarter
            out.append(
                LateHold(
                    detainer_id=row.detainer_id,
                    booking_number=number,
                    releasable_at=row.releasable_at.astimezone(tz) if row.releasable_at else None,
                    deadline=row.deadline.astimezone(tz),
                    ended_at=ended.astimezone(tz) if ended else None,
                    ended_how=row.status,
                    hours_over=round((end - row.deadline) / timedelta(hours=1), 1),
                )
            )
    return out


def for_station(station, quarter: Quarter, now: datetime | None = None) -> JailReport:  # type: ignore[no-untyped-def]
    """The report from a running station's store, audit log and settings (what the UI and the
    command call)."""
    return compute(station.store, station.audit, station.config, quarter, now)


def recent_quarters(config: Config, count: int = 8, now: datetime | None = None) -> list[Quarter]:
    """The current quarter (in the jail's zone) and the ones before it, newest first."""
    today = (now or utcnow()).astimezone(clock.zone(config.time_zone)).date()
    current = Quarter.of(today)
    return [current, *reversed(current.earlier(count - 1))]
