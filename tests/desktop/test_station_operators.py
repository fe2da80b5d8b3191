from __future__ import annotations

import pytest

from booking_station.runtime import UserError
from desktop.station.models import Operator, Role


def test_first_run_needs_a_supervisor_until_one_exists(station):
    assert station.operators.needs_first_supervisor()
    station.operators.add("clerk1", "clerkpass1", Role.CLERK, actor="setup")
    assert station.operators.needs_first_supervisor()
    station.operators.add("boss", "supervisor desk 9", "supervisor", actor="setup")
    assert not station.operators.needs_first_supervisor()


def test_passwords_are_argon2_hashed_and_checked(station):
    station.operators.add("Clerk1", "correct horse", Role.CLERK, full_name="Ana Díaz", actor="setup")
    with station.store.session() as s:
        stored = s.query(Operator).one().password_hash
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    who = station.operators.authenticate("clerk1", "correct horse")
    assert who is not None and who.role is Role.CLERK and who.display_name == "Ana Díaz"
    assert station.operators.authenticate("clerk1", "wrong horse") is None
    assert station.operators.authenticate("nobody", "correct horse") is None
    actions = [e.action for e in station.audit.events()]
    assert actions.count("login.failed") == 2 and "login" in actions


def test_bad_accounts_are_refused_with_reasons(station):
    with pytest.raises(UserError) as err:
        station.operators.add("x", "short", "janitor", actor="setup")
    message = str(err.value)
    assert "user name" in message and "password" in message and "role" in message
    station.operators.add("clerk1", "fingerprint desk 1", Role.CLERK, actor="setup")
    with pytest.raises(UserError, match="already taken"):
        station.operators.add("CLERK1", "fingerprint desk 2", Role.CLERK, actor="setup")


def test_disabled_accounts_cannot_log_in_and_the_last_supervisor_stays(station):
    station.operators.add("boss", "supervisor desk 9", Role.SUPERVISOR, actor="setup")
    station.operators.add("clerk1", "clerkpass1", Role.CLERK, actor="boss")
    station.operators.set_active("clerk1", False, actor="boss")
    assert station.operators.authenticate("clerk1", "clerkpass1") is None
    station.operators.set_active("clerk1", True, actor="boss")
    assert station.operators.authenticate("clerk1", "clerkpass1") is not None
    with pytest.raises(UserError, match="last active supervisor"):
        station.operators.set_active("boss", False, actor="boss")
