"""What the review counts, one row per submission: read from the CAR received and the answer given.

`index(store, policy)` reads every finished submission not yet indexed: the CAR's Type-1 ORI and
TCN, Type-2 race (2.025 RAC), place of birth (2.020 POB) and charges (2.047 ASL), and the outcome
the service recorded (identified by NGI, prior conviction on that record, IDENT match, the status
LESC determined, removable, detainer lodged). It is called before every report, so a report always
covers every submission answered so far; the rows are a cache of what the transactions table holds
and can be rebuilt from it (`reindex`).

Demo traffic (`backend.oversight.demo`) adds rows with `source = "demo"` through `add`: CARs made
the same way and read by the same `car_fields`, with outcomes from the population's records
instead of a fingerprint search (see docs/oversight.md).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from backend._db import Base, Store, Transaction, _UtcDateTime
from backend.oversight import groups, levels
from backend.policy import IcePolicy
from booking_station.sealed_columns import SealedText

SOURCE_CAR, SOURCE_DEMO = "car", "demo"


class Fact(Base):
    __tablename__ = "oversight_facts"
    __table_args__ = (Index("ix_oversight_facts_received", "received_at"),)
    tcn: Mapped[str] = mapped_column(String(40), primary_key=True)
    ori: Mapped[str] = mapped_column(String(9), index=True)
    received_at: Mapped[datetime] = mapped_column(_UtcDateTime)
    source: Mapped[str] = mapped_column(String(8), default=SOURCE_CAR)
    answer: Mapped[str] = mapped_column(String(8))  # SRE (searched) | ERRT (rejected, not searched)
    race: Mapped[str] = mapped_column(String(1))
    place_of_birth: Mapped[str] = mapped_column(String(2))
    birth: Mapped[str] = mapped_column(String(8))  # groups.BIRTH_GROUPS
    offense_level: Mapped[str] = mapped_column(String(12))  # levels.LEVELS
    # The charge texts are criminal-justice information: sealed at rest like the CAR they came from.
    charges: Mapped[str] = mapped_column(SealedText("backend:oversight_facts.charges"), default="[]")
    identified: Mapped[bool] = mapped_column(Boolean, default=False)  # NGI found an FBI record
    prior_conviction: Mapped[bool] = mapped_column(Boolean, default=False)  # that record holds one
    ident_match: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str | None] = mapped_column(String(32), nullable=True)  # LESC's determination
    removable: Mapped[bool] = mapped_column(Boolean, default=False)  # removal requested (IAR)
    detainer: Mapped[bool] = mapped_column(Boolean, default=False)


@dataclass(frozen=True)
class CarFields:
    tcn: str
    ori: str
    race: str
    place_of_birth: str
    charges: tuple[str, ...]


_ready: weakref.WeakSet[Store] = weakref.WeakSet()


def ensure(store: Store) -> None:
    """Create the table in a database made before it existed."""
    if store not in _ready:
        Fact.__table__.create(store.engine, checkfirst=True)  # type: ignore[attr-defined]
        _ready.add(store)


def car_fields(body: bytes) -> CarFields:
    """The CAR's fields the review needs. Raises ebts.ParseError for bytes that do not parse."""
    from ebts import parse

    transaction = parse(body)
    type2 = transaction.first(2)
    charges: list[str] = []
    if type2 is not None and 47 in type2:
        charges = [sub[1] for sub in type2.subfields(47) if len(sub) > 1 and sub[1].strip()]
    return CarFields(
        tcn=transaction.tcn.strip(),
        ori=transaction.ori.strip().upper(),
        race=groups.race_code(type2.get(25) if type2 is not None else None),
        place_of_birth=((type2.get(20) if type2 is not None else "") or "").strip().upper()[:2],
        charges=tuple(charges),
    )


def make(
    fields: CarFields, received_at: datetime, outcome: dict, policy: IcePolicy, source: str = SOURCE_CAR
) -> Fact:
    """One row from a CAR's fields and the outcome the service recorded for it (see _process)."""
    searched = outcome.get("answer") == "SRE"
    matched = searched and outcome.get("ident") not in (None, "no match")
    status = outcome.get("status") if matched else None
    removable = outcome.get("removable")
    if removable is None:  # answered before the service recorded it: what the IAR said, from the policy
        removable = status in policy.removable_statuses if status else False
    return Fact(
        tcn=fields.tcn,
        ori=fields.ori,
        received_at=received_at,
        source=source,
        answer="SRE" if searched else "ERRT",
        race=fields.race,
        place_of_birth=fields.place_of_birth,
        birth=groups.birth_group(fields.place_of_birth),
        offense_level=levels.gravest(fields.charges),
        charges=json.dumps(list(fields.charges), ensure_ascii=False),
        identified=searched and outcome.get("srf") == "I",
        prior_conviction=bool(searched and outcome.get("prior_conviction")),
        ident_match=bool(matched),
        status=status,
        removable=bool(matched and removable),
        detainer=bool(matched and outcome.get("detainer")),
    )


def index(store: Store, policy: IcePolicy) -> int:
    """Add a row for every finished submission that has none yet; returns how many were added.

    A body that does not parse (answered with an ERRT L0010) is counted as a rejected submission of
    its ORI, race and place of birth unknown."""
    from ebts import ParseError

    ensure(store)
    added = 0
    while True:
        with store.session() as s:
            done = select(Fact.tcn)
            rows = s.execute(
                select(
                    Transaction.tcn,
                    Transaction.ori,
                    Transaction.received_at,
                    Transaction.body,
                    Transaction.outcome,
                )
                .where(Transaction.status == "done", Transaction.tcn.not_in(done))
                .order_by(Transaction.id)
                .limit(200)
            ).all()
            if not rows:
                return added
            for tcn, ori, received_at, body, outcome in rows:
                try:
                    fields = car_fields(body)
                except ParseError:
                    fields = CarFields(tcn, ori, "U", "", ())
                s.add(make(fields, received_at, outcome or {}, policy))
            added += len(rows)


def add(store: Store, rows: Iterable[Fact]) -> None:
    ensure(store)
    with store.session() as s:
        s.add_all(rows)


def reindex(store: Store, policy: IcePolicy) -> int:
    """Rebuild the rows read from CARs (e.g. after the level patterns changed); demo rows stay."""
    ensure(store)
    with store.session() as s:
        s.query(Fact).filter(Fact.source == SOURCE_CAR).delete()
    return index(store, policy)


def read(store: Store, since: datetime, until: datetime) -> list[Fact]:
    """Rows received in [since, until), oldest first."""
    ensure(store)
    with store.session() as s:
        return list(
            s.scalars(
                select(Fact)
                .where(Fact.received_at >= since, Fact.received_at < until)
                .order_by(Fact.received_at)
            )
        )
