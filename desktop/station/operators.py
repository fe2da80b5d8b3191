"""Local operator accounts: clerks, supervisors and hardware testers, passwords hashed with argon2id.

The CJIS Security Policy's rules for them live here, so they hold with no window open:
- 5.5.3 unsuccessful log-in attempts: after `lockout_attempts` wrong passwords in a row (5) the
  account is locked for `lockout_minutes` (10); while locked, even the right password is refused
  (`AccountLocked`, with the time it opens again). Each lock and unlock is audited; a supervisor
  may unlock an account early (`unlock`, the Operators page and `booking-station operators unlock`).
- 5.6.2.1.1 the basic password standard (passwords.py): length, not a common password, word or
  name, not the user name, not one of the last ten, and a new one every 90 days
  (`OperatorInfo.password_expired`: the station asks for a new one before anything else).
The session lock after 30 idle minutes (5.5.5) is the UI's; unlocking it is `authenticate` again.

Every check hashes with argon2 (deliberately slow): callers run them off the UI thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from desktop.station import passwords
from desktop.station.audit import AuditLog
from desktop.station.config import Config
from desktop.station.db import Store
from desktop.station.messages import Message, StationError, message
from desktop.station.models import Operator, Role, utcnow

MIN_PASSWORD = passwords.MIN_LENGTH
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


@dataclass(frozen=True)
class OperatorInfo:
    """Who is logged in; what the UI and services carry around (never the hash)."""

    id: int
    username: str
    full_name: str
    role: Role
    active: bool = True
    locked_until: dt.datetime | None = None  # set while the account is locked out
    password_expired: bool = False  # older than passwords.MAX_AGE_DAYS: a new one is due

    @property
    def is_supervisor(self) -> bool:
        return self.role is Role.SUPERVISOR

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class AccountLocked(StationError):
    """The account is locked out after too many wrong passwords; `until` is when it opens again
    (the message gives it as the jail's local time)."""

    def __init__(self, username: str, until: dt.datetime, zone: dt.tzinfo = dt.UTC) -> None:
        self.username, self.until = username, until
        super().__init__("operator.locked", user=username, until=until.astimezone(zone).strftime("%H:%M"))


class PasswordRejected(StationError):
    """The password breaks the rules; `problems` are the rules it breaks (passwords.py)."""

    def __init__(self, problems: list[Message]) -> None:
        self.problems = problems
        super().__init__("password.rules", blockers=problems)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def _locked(row: Operator, now: dt.datetime) -> dt.datetime | None:
    return row.locked_until if row.locked_until is not None and row.locked_until > now else None


def _info(row: Operator, now: dt.datetime | None = None) -> OperatorInfo:
    now = now or utcnow()
    changed = row.password_changed_at or row.created_at
    expired = changed is not None and now - changed > dt.timedelta(days=passwords.MAX_AGE_DAYS)
    return OperatorInfo(
        row.id, row.username, row.full_name, Role(row.role), row.active, _locked(row, now), expired
    )


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current recommended parameters


class Operators:
    def __init__(self, store: Store, audit: AuditLog, config: Callable[[], Config] | None = None) -> None:
        self._store = store
        self._audit = audit
        self._config = config or Config
        self._dummy_hash: str | None = None

    def needs_first_supervisor(self) -> bool:
        """True until a supervisor account exists: the station then asks for one before anything else."""
        with self._store.session() as s:
            query = select(func.count()).select_from(Operator).where(Operator.role == Role.SUPERVISOR.value)
            return s.execute(query).scalar_one() == 0

    def add(
        self, username: str, password: str, role: Role | str, *, full_name: str = "", actor: str
    ) -> OperatorInfo:
        username = username.strip().lower()
        problems: list[Message] = []
        if not _USERNAME.fullmatch(username):
            problems.append(message("operator.user-name-rule"))
        rejected = passwords.problems(password, username)
        if rejected:
            problems.append(PasswordRejected(rejected).message)
        try:
            role = Role(role)
        except ValueError:
            problems.append(
                message("operator.role", roles=", ".join(r.value for r in Role), value=repr(role))
            )
        if problems:
            if rejected and len(problems) == 1:
                raise PasswordRejected(rejected)
            raise StationError("operator.invalid", blockers=problems)
        password_hash = _hasher().hash(password)
        with self._store.session() as s:
            if s.execute(select(Operator.id).where(Operator.username == username)).first():
                raise StationError("operator.taken", user=repr(username))
            row = Operator(
                username=username,
                full_name=full_name.strip(),
                role=role.value,
                password_hash=password_hash,
                password_changed_at=utcnow(),
            )
            s.add(row)
            s.flush()
            self._audit.append(actor, "operator.add", f"operator:{username}", {"role": role.value}, session=s)
            return _info(row)

    def authenticate(
        self, username: str, password: str, *, now: dt.datetime | None = None
    ) -> OperatorInfo | None:
        """The operator, or None for a wrong name or password (the caller cannot tell which: on
        purpose). Raises AccountLocked while the account is locked out, and when this wrong
        password locked it."""
        from argon2.exceptions import InvalidHashError, VerificationError

        username = username.strip().lower()
        hasher = _hasher()
        now = now or utcnow()
        policy = self._config()
        locked_now: dt.datetime | None = None
        with self._store.session() as s:
            row = s.execute(
                select(Operator).where(Operator.username == username, Operator.active.is_(True))
            ).scalar_one_or_none()
            if row is None:
                self._spend_a_hash(hasher, password)  # an unknown name takes as long as a known one
                self._audit.append(username or "?", "login.failed", f"operator:{username}", session=s)
                return None
            until = _locked(row, now)
            if until is not None:
                self._audit.append(username, "login.refused", f"operator:{username}",
                                   {"reason": "locked", "until": until.isoformat()}, session=s)  # fmt: skip
                raise_after = AccountLocked(username, until, policy.zone)
            else:
                raise_after = None
                try:
                    hasher.verify(row.password_hash, password)
                except (VerificationError, InvalidHashError):
                    row.failed_logins = (row.failed_logins or 0) + 1
                    self._audit.append(username, "login.failed", f"operator:{username}",
                                       {"in_a_row": row.failed_logins}, session=s)  # fmt: skip
                    if row.failed_logins >= policy.lockout_attempts:
                        locked_now = now + dt.timedelta(minutes=policy.lockout_minutes)
                        row.locked_until, row.failed_logins = locked_now, 0
                        self._audit.append("system", "operator.locked", f"operator:{username}",
                                           {"attempts": policy.lockout_attempts, "until": locked_now.isoformat()},
                                           session=s)  # fmt: skip
                    if locked_now is None:
                        return None
                else:
                    row.failed_logins, row.locked_until = 0, None
                    if hasher.check_needs_rehash(row.password_hash):
                        row.password_hash = hasher.hash(password)
                    self._audit.append(username, "login", f"operator:{username}", session=s)
                    return _info(row, now)
        # Raised after the transaction committed: the refusal and the lock are recorded.
        raise raise_after or AccountLocked(username, locked_now, policy.zone)  # type: ignore[arg-type]

    def _spend_a_hash(self, hasher, password: str) -> None:  # type: ignore[no-untyped-def]
        from argon2.exceptions import VerificationError

        if self._dummy_hash is None:
            self._dummy_hash = hasher.hash("not a password of anyone's")
        with contextlib.suppress(VerificationError):
            hasher.verify(self._dummy_hash, password)

    def unlock(self, username: str, *, actor: str) -> None:
        """End a lock-out before its time (a supervisor's decision, audited)."""
        username = username.strip().lower()
        with self._store.session() as s:
            row = s.execute(select(Operator).where(Operator.username == username)).scalar_one_or_none()
            if row is None:
                raise StationError("operator.unknown", user=repr(username))
            was = _locked(row, utcnow())
            row.locked_until, row.failed_logins = None, 0
            if was is not None:
                self._audit.append(actor, "operator.unlock", f"operator:{username}",
                                   {"was_locked_until": was.isoformat()}, session=s)  # fmt: skip

    def change_password(self, username: str, old: str, new: str, *, actor: str | None = None) -> OperatorInfo:
        """Set a new password; `old` must be right (a wrong one counts as a failed log-in). The new
        one follows the rules and is none of the last ten."""
        from argon2.exceptions import InvalidHashError, VerificationError

        username = username.strip().lower()
        rejected = passwords.problems(new, username)
        if rejected:
            raise PasswordRejected(rejected)
        if self.authenticate(username, old) is None:
            raise StationError("operator.wrong-current-password")
        hasher = _hasher()
        with self._store.session() as s:
            row = s.execute(select(Operator).where(Operator.username == username)).scalar_one()
            history = [row.password_hash, *json.loads(row.password_history_json or "[]")]
            for old_hash in history[: passwords.HISTORY]:
                try:
                    hasher.verify(old_hash, new)
                except (VerificationError, InvalidHashError):
                    continue
                raise PasswordRejected([message("password.reused", count=passwords.HISTORY)])
            row.password_history_json = json.dumps(history[: passwords.HISTORY - 1])
            row.password_hash = hasher.hash(new)
            row.password_changed_at = utcnow()
            self._audit.append(actor or username, "operator.password", f"operator:{username}", session=s)
            return _info(row)

    def set_active(self, username: str, active: bool, *, actor: str) -> None:
        """Disable an account (it can no longer log in; its history stays) or enable it again."""
        with self._store.session() as s:
            row = s.execute(select(Operator).where(Operator.username == username)).scalar_one_or_none()
            if row is None:
                raise StationError("operator.unknown", user=repr(username))
            if row.active == active:
                return
            if not active and row.role == Role.SUPERVISOR.value:
                others = (
                    select(func.count())
                    .select_from(Operator)
                    .where(
                        Operator.role == Role.SUPERVISOR.value,
                        Operator.active.is_(True),
                        Operator.id != row.id,
                    )
                )
                if s.execute(others).scalar_one() == 0:
                    raise StationError("operator.last-supervisor")
            row.active = active
            self._audit.append(
                actor, "operator.enable" if active else "operator.disable", f"operator:{username}", session=s
            )

    def list(self) -> Sequence[OperatorInfo]:
        now = utcnow()
        with self._store.session() as s:
            return [_info(r, now) for r in s.execute(select(Operator).order_by(Operator.username)).scalars()]
