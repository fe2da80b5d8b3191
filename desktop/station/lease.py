"""One owner at a time for the station's duties: a lease row in the database, with an expiry.

The process holding the unexpired lease named "station" sends the outbox, polls the mailbox and
keeps the detainer clock; any other process on the same database (a second window, a `station
serve`) stands by and takes over when the lease is released (a clean stop) or runs out (a crash,
a lost network). It works the same on SQLite and PostgreSQL: taking the lease is one UPDATE that
only matches the generation it read (compare-and-set), so of two processes trying at once exactly
one wins, and the first row is made by an INSERT that only one can do.

An owner on this host that died without releasing (killed, power cut) is recognised at once (its
process is gone or is another program with the same number), so a restart does not wait out the
expiry. Owners on other hosts are trusted until the expiry. The owner renews well before the
expiry; one that cannot renew in time stops its duties before anyone else may start them.

Times come from each process's clock: the processes sharing a database must keep time (NTP), as
the detainer clock needs anyway.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from desktop.station.db import Store
from desktop.station.models import DutyLease, utcnow

STATION_DUTIES = "station"
TTL = dt.timedelta(seconds=15)


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None when it does not exist."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def this_process(role: str) -> str:
    """The owner id of this process: host/pid/start-ticks/role ("window" or "service")."""
    pid = os.getpid()
    return f"{socket.gethostname()}/{pid}/{_start_ticks(pid) or 0}/{role}"


@dataclass(frozen=True)
class Holder:
    owner: str
    expires_at: dt.datetime

    @property
    def host(self) -> str:
        return self.owner.split("/")[0]

    @property
    def pid(self) -> int | None:
        parts = self.owner.split("/")
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None

    @property
    def role(self) -> str:
        parts = self.owner.split("/")
        return parts[3] if len(parts) > 3 else ""

    def gone(self) -> bool:
        """The owner ran on this host and its process no longer exists (or is another program)."""
        parts = self.owner.split("/")
        if len(parts) < 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
            return False
        return _start_ticks(int(parts[1])) != parts[2]


class Lease:
    def __init__(
        self, store: Store, owner: str, *, name: str = STATION_DUTIES, ttl: dt.timedelta = TTL
    ) -> None:
        self._store = store
        self.owner = owner
        self.name = name
        self.ttl = ttl

    def acquire(self, now: dt.datetime | None = None) -> bool:
        """Take the lease, or renew it when already held; True when this process holds it now."""
        now = now or utcnow()
        try:
            with self._store.session() as s:
                row = s.get(DutyLease, self.name)
                if row is None:
                    s.add(DutyLease(name=self.name, owner=self.owner, generation=1, acquired_at=now,
                                    expires_at=now + self.ttl))  # fmt: skip
                    return True
                mine = row.owner == self.owner
                if not mine and row.expires_at > now and not Holder(row.owner, row.expires_at).gone():
                    return False
                taken = s.execute(
                    update(DutyLease)
                    .where(DutyLease.name == self.name, DutyLease.generation == row.generation)
                    .values(
                        owner=self.owner,
                        generation=row.generation + (0 if mine else 1),
                        acquired_at=row.acquired_at if mine else now,
                        expires_at=now + self.ttl,
                    )
                    .execution_options(synchronize_session=False)
                ).rowcount
                return taken == 1
        except IntegrityError:
            return False  # another process made the first row at the same moment

    def release(self) -> None:
        """Give the lease up now (a clean stop), so a standby takes over at once."""
        with self._store.session() as s:
            s.execute(
                update(DutyLease)
                .where(DutyLease.name == self.name, DutyLease.owner == self.owner)
                .values(expires_at=utcnow() - dt.timedelta(seconds=1))
                .execution_options(synchronize_session=False)
            )

    def holder(self, now: dt.datetime | None = None) -> Holder | None:
        """Who holds the lease now (None when nobody does)."""
        now = now or utcnow()
        with self._store.session() as s:
            row = s.scalars(select(DutyLease).where(DutyLease.name == self.name)).first()
            if row is None or row.expires_at <= now:
                return None
            holder = Holder(row.owner, row.expires_at)
            return None if holder.gone() else holder
