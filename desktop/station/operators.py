"""Local operator accounts: clerks, supervisors and hardware testers, passwords hashed with argon2id."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from booking_station.runtime import UserError
from desktop.station.audit import AuditLog
from desktop.station.db import Store
from desktop.station.models import Operator, Role

MIN_PASSWORD = 8
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


@dataclass(frozen=True)
class OperatorInfo:
    """Who is logged in; what the UI and services carry around (never the hash)."""

    id: int
    username: str
    full_name: str
    role: Role
    active: bool = True

    @property
    def is_supervisor(self) -> bool:
        return self.role is Role.SUPERVISOR

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def _info(row: Operator) -> OperatorInfo:
    return OperatorInfo(row.id, row.username, row.full_name, Role(row.role), row.active)


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current recommended parameters


class Operators:
    def __init__(self, store: Store, audit: AuditLog) -> None:
        self._store = store
        self._audit = audit

    def needs_first_supervisor(self) -> bool:
        """True until a supervisor account exists: the station then asks for one before anything else."""
        with self._store.session() as s:
            query = select(func.count()).select_from(Operator).where(Operator.role == Role.SUPERVISOR.value)
            return s.execute(query).scalar_one() == 0

    def add(
        self, username: str, password: str, role: Role | str, *, full_name: str = "", actor: str
    ) -> OperatorInfo:
        username = username.strip().lower()
        problems = []
        if not _USERNAME.fullmatch(username):
            problems.append(
                "user name: 2-64 characters, lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        if len(password) < MIN_PASSWORD:
            problems.append(f"password: at least {MIN_PASSWORD} characters")
        try:
            role = Role(role)
        except ValueError:
            problems.append(f"role: one of {', '.join(r.value for r in Role)}, not {role!r}")
        if problems:
            raise UserError("; ".join(problems))
        password_hash = _hasher().hash(password)
        with self._store.session() as s:
            if s.execute(select(Operator.id).where(Operator.username == username)).first():
                raise UserError(f"user name {username!r} is already taken")
            row = Operator(
                username=username, full_name=full_name.strip(), role=role.value, password_hash=password_hash
            )
            s.add(row)
            s.flush()
            self._audit.append(actor, "operator.add", f"operator:{username}", {"role": role.value}, session=s)
            return _info(row)

    def authenticate(self, username: str, password: str) -> OperatorInfo | None:
        """The operator, or None for a wrong name or password (the caller cannot tell which: on purpose)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        username = username.strip().lower()
        hasher = _hasher()
        with self._store.session() as s:
            row = s.execute(
                select(Operator).where(Operator.username == username, Operator.active.is_(True))
            ).scalar_one_or_none()
            if row is None:
                self._audit.append(username or "?", "login.failed", f"operator:{username}", session=s)
                return None
            try:
                hasher.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                self._audit.append(username, "login.failed", f"operator:{username}", session=s)
                return None
            if hasher.check_needs_rehash(row.password_hash):
                row.password_hash = hasher.hash(password)
            self._audit.append(username, "login", f"operator:{username}", session=s)
            return _info(row)

    def set_active(self, username: str, active: bool, *, actor: str) -> None:
        """Disable an account (it can no longer log in; its history stays) or enable it again."""
        with self._store.session() as s:
            row = s.execute(select(Operator).where(Operator.username == username)).scalar_one_or_none()
            if row is None:
                raise UserError(f"no account named {username!r}")
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
                    raise UserError(
                        "this is the last active supervisor account; add another supervisor first"
                    )
            row.active = active
            self._audit.append(
                actor, "operator.enable" if active else "operator.disable", f"operator:{username}", session=s
            )

    def list(self) -> Sequence[OperatorInfo]:
        with self._store.session() as s:
            return [_info(r) for r in s.execute(select(Operator).order_by(Operator.username)).scalars()]
