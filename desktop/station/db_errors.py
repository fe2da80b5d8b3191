"""What went wrong with the database, in words a clerk and an administrator can act on.

`Store` turns a failed connection, a lock held too long, a full disk or a read-only file into
`StoreUnavailable`: a `UserError` that names the database (password hidden), says what happened
and what to check. Its `kind` lets the UI word the same message in the clerk's language.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.exc import DBAPIError

from booking_station.runtime import UserError

# The bounds the store sets (db.py); here because the messages quote them.
CONNECT_TIMEOUT_S = 5  # a server that does not answer the connection: give up after this
NETWORK_TIMEOUT_S = 5  # sent data unacknowledged this long (cable pulled, host down): connection dead
LOCK_WAIT_S = 5  # wait for another program's lock (PostgreSQL lock_timeout, SQLite busy_timeout)
STATEMENT_TIMEOUT_S = 30  # a backstop for one statement on an overloaded server
RECONNECT_EVERY_S = 2  # while a server is unreachable: how often the store tries in the background

Kind = Literal["unreachable", "busy", "full", "read_only", "slow", "failed"]

# PostgreSQL SQLSTATEs that mean something other than "the server cannot be reached".
_PG_KINDS: dict[str, Kind] = {
    "55P03": "busy",  # lock_not_available (lock_timeout)
    "40P01": "busy",  # deadlock_detected
    "57014": "slow",  # query_canceled (statement_timeout)
    "53100": "full",  # disk_full
    "25006": "read_only",  # read_only_sql_transaction (a standby)
}


class StoreUnavailable(UserError):
    """The database could not do what was asked; nothing was half-written (the transaction rolled back)."""

    def __init__(self, kind: Kind, database: str, reason: str) -> None:
        self.kind = kind
        self.database = database
        self.reason = reason
        super().__init__(_english(kind, database, reason))


def classify(exc: DBAPIError, database: str) -> StoreUnavailable:
    """The `StoreUnavailable` for a driver error raised while talking to `database` (password hidden)."""
    orig = exc.orig
    reason = (str(orig or exc).strip().splitlines() or [exc.__class__.__name__])[0]
    sqlstate = getattr(orig, "sqlstate", None)  # psycopg; sqlite3 has none
    text = reason.casefold()
    kind: Kind
    if sqlstate in _PG_KINDS:
        kind = _PG_KINDS[sqlstate]
    elif "locked" in text or "busy" in text:
        kind = "busy"
    elif "disk is full" in text or "no space" in text:
        kind = "full"
    elif "readonly" in text or "read-only" in text or "unable to open database file" in text:
        kind = "read_only"
    elif sqlstate is None or sqlstate.startswith(("08", "57P")) or exc.connection_invalidated:
        # no SQLSTATE: the driver lost or never had a connection; 08xxx connection exceptions;
        # 57P01-03: the server is shutting down or restarting.
        kind = "unreachable" if database.partition(":")[0] != "sqlite" else "failed"
    else:
        kind = "failed"
    return StoreUnavailable(kind, database, reason)


def _english(kind: Kind, database: str, reason: str) -> str:
    if kind == "unreachable":
        return (
            f"the database {database} cannot be reached ({reason}). Check that the database server "
            "is running and that this computer can reach it (network cable, firewall), then try again."
        )
    if kind == "busy":
        return (
            f"the database {database} is busy: another program held a lock on it for more than "
            f"{LOCK_WAIT_S} s ({reason}). Try again; if it keeps happening, ask the administrator "
            "which program holds the database."
        )
    if kind == "full":
        return f"the database {database} is full ({reason}). Free disk space on its drive, then try again."
    if kind == "read_only":
        return (
            f"the database {database} cannot be written ({reason}). Check that its folder and file "
            "are writable for this user and that the disk is not read-only."
        )
    if kind == "slow":
        return (
            f"the database {database} did not finish within {STATEMENT_TIMEOUT_S} s ({reason}). "
            "Try again; if it keeps happening, tell the administrator."
        )
    return f"the database {database} reported an error ({reason})."
