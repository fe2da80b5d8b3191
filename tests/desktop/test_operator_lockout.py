"""Operators (CJIS Security Policy 5.5.3 and 5.6.2.1.1, issue 16 item 5): lock-out after wrong
passwords, a supervisor's unlock, and the basic password standard."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from desktop.station.models import Operator, Role
from desktop.station.operators import AccountLocked, PasswordRejected

PASSWORD = "fingerprint desk 1"


@pytest.fixture
def clerk(station):
    station.operators.add("clerk1", PASSWORD, Role.CLERK, actor="setup")
    return station


def _wrong(station, times: int, now: dt.datetime | None = None) -> None:
    for _ in range(times):
        assert station.operators.authenticate("clerk1", "not my password", now=now) is None


def test_five_wrong_passwords_lock_the_account_for_ten_minutes(clerk):
    now = dt.datetime.now(dt.UTC)
    _wrong(clerk, 4, now)
    with pytest.raises(AccountLocked) as locked:
        clerk.operators.authenticate("clerk1", "not my password", now=now)
    assert locked.value.until == now + dt.timedelta(minutes=10)
    # While locked even the right password is refused, and says until when.
    with pytest.raises(AccountLocked, match="locked after too many wrong passwords, until"):
        clerk.operators.authenticate("clerk1", PASSWORD, now=now + dt.timedelta(minutes=9))
    assert clerk.operators.list()[0].locked_until is not None
    who = clerk.operators.authenticate("clerk1", PASSWORD, now=now + dt.timedelta(minutes=10, seconds=1))
    assert who is not None and who.locked_until is None
    actions = [e.action for e in reversed(clerk.audit.events())]
    assert actions.count("login.failed") == 5 and "operator.locked" in actions
    assert actions.index("operator.locked") < actions.index("login.refused") < actions.index("login")
    locked_event = next(e for e in clerk.audit.events() if e.action == "operator.locked")
    assert locked_event.subject == "operator:clerk1" and locked_event.details["attempts"] == 5


def test_a_right_password_resets_the_count(clerk):
    _wrong(clerk, 4)
    assert clerk.operators.authenticate("clerk1", PASSWORD) is not None
    _wrong(clerk, 4)
    assert clerk.operators.authenticate("clerk1", PASSWORD) is not None


def test_attempts_and_minutes_are_configurable(clerk):
    clerk.config = dataclasses.replace(clerk.config, lockout_attempts=3, lockout_minutes=1)
    now = dt.datetime.now(dt.UTC)
    _wrong(clerk, 2, now)
    with pytest.raises(AccountLocked) as locked:
        clerk.operators.authenticate("clerk1", "still wrong", now=now)
    assert locked.value.until == now + dt.timedelta(minutes=1)


def test_a_supervisor_can_unlock_an_account_and_it_is_audited(clerk):
    _wrong(clerk, 4)
    with pytest.raises(AccountLocked):
        clerk.operators.authenticate("clerk1", "wrong again")
    clerk.operators.unlock("clerk1", actor="boss")
    assert clerk.operators.authenticate("clerk1", PASSWORD) is not None
    unlock = next(e for e in clerk.audit.events() if e.action == "operator.unlock")
    assert unlock.actor == "boss" and unlock.subject == "operator:clerk1"


def test_an_unknown_name_is_answered_like_a_wrong_password(clerk):
    for _ in range(6):
        assert clerk.operators.authenticate("nobody", PASSWORD) is None  # never "locked": nothing to lock


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short1!", "password.too-short"),
        ("password123", "password.common"),  # a common password once the digits are taken off
        ("Michael2024!", "password.common"),  # a first name
        ("Baseball", "password.common"),
        ("qwertyuiop", "password.common"),
        ("ana.diaz-clerk", "password.user-name"),
        ("zaid.ana", "password.user-name"),  # the user name backwards
    ],
)
def test_passwords_follow_the_basic_password_standard(station, password, code):
    with pytest.raises(PasswordRejected) as rejected:
        station.operators.add("ana.diaz", password, Role.CLERK, actor="setup")
    assert code in rejected.value.codes
    assert str(rejected.value).startswith("the password does not follow the rules: ")


def test_a_good_password_is_accepted(station):
    assert station.operators.add("ana.diaz", "violet lantern 42 harbor", Role.CLERK, actor="setup")


def test_none_of_the_last_ten_passwords_again(clerk):
    old = PASSWORD
    for i in range(3):
        new = f"new desk phrase {i}x"
        clerk.operators.change_password("clerk1", old, new)
        old = new
    with pytest.raises(PasswordRejected, match="not one of the last 10 passwords"):
        clerk.operators.change_password("clerk1", old, PASSWORD)
    assert clerk.operators.authenticate("clerk1", old) is not None
    assert [e.action for e in clerk.audit.events()].count("operator.password") == 3


def test_a_wrong_current_password_changes_nothing(clerk):
    with pytest.raises(Exception, match="current password is wrong"):
        clerk.operators.change_password("clerk1", "not it", "violet lantern 42 harbor")
    assert clerk.operators.authenticate("clerk1", PASSWORD) is not None


def test_a_password_older_than_90_days_must_be_changed(clerk):
    with clerk.store.session() as s:
        s.query(Operator).one().password_changed_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=91)
    assert clerk.operators.authenticate("clerk1", PASSWORD).password_expired
    clerk.operators.change_password("clerk1", PASSWORD, "violet lantern 42 harbor")
    assert not clerk.operators.authenticate("clerk1", "violet lantern 42 harbor").password_expired
