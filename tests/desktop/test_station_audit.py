from __future__ import annotations

from sqlalchemy import text

from desktop.station.audit import AuditLog


def _log_with_events(station, n=5) -> AuditLog:
    for i in range(n):
        station.audit.append("clerk1", "booking.update", f"booking:{i}", {"fields": ["weight"], "n": i})
    return station.audit


def test_intact_chain_verifies(station):
    log = _log_with_events(station)
    result = log.verify()
    assert result.ok and result.count == 5


def test_changed_event_is_named(station, tamper):
    log = _log_with_events(station)
    tamper(station, "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 3")
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 3 and "changed" in str(result.reason)


def test_changed_details_are_detected(station, tamper):
    log = _log_with_events(station)
    tamper(
        station,
        "UPDATE audit_events SET details_json = :d WHERE seq = 2",
        {"d": '{"fields":["weight"],"n":99}'},
    )
    assert log.verify().first_bad_seq == 2


def test_removed_event_is_named(station, tamper):
    log = _log_with_events(station)
    tamper(station, "DELETE FROM audit_events WHERE seq = 2")
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 2 and "missing" in str(result.reason)


def test_removed_last_event_is_detected(station, tamper):
    log = _log_with_events(station)
    tamper(station, "DELETE FROM audit_events WHERE seq = 5")
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 5


def test_reordered_events_are_detected(station, tamper):
    log = _log_with_events(station)
    # Swap the contents of rows 2 and 3 (as if events were reordered in place).
    tamper(station, "SELECT 1")
    with station.store.engine.begin() as c:
        rows = {
            r.id: r
            for r in c.execute(
                text(
                    "SELECT id, seq, actor, action, subject, details_json, prev_hash, hash, at FROM audit_events"
                )
            )
        }
        a, b = rows[2], rows[3]
        c.execute(text("UPDATE audit_events SET seq = -1 WHERE id = 2"))
        for target, src in ((3, a), (2, b)):
            c.execute(
                text(
                    "UPDATE audit_events SET seq=:seq, actor=:actor, action=:action, subject=:subject, "
                    "details_json=:details_json, prev_hash=:prev_hash, hash=:hash, at=:at WHERE id=:id"
                ),
                {**src._mapping, "id": target},
            )
    result = log.verify()
    assert not result.ok and result.first_bad_seq in (2, 3)


def test_events_are_listed_newest_first_and_filtered(station):
    log = _log_with_events(station, 3)
    log.append("boss", "settings.update", "config", {"changed": {"state": "TX"}})
    events = log.events()
    assert [e.seq for e in events] == [4, 3, 2, 1]
    assert [e.actor for e in log.events(text="settings")] == ["boss"]


def test_appends_from_two_stores_make_one_chain(station, tmp_path):
    from desktop.station.db import Store

    other = AuditLog(Store.open(station.config.resolved_database_url()))
    for i in range(4):
        station.audit.append("a", "x", str(i))
        other.append("b", "y", str(i))
    assert station.audit.verify().ok and station.audit.verify().count == 8


def test_the_database_refuses_changes_to_events(station):
    import pytest
    from sqlalchemy.exc import DBAPIError

    _log_with_events(station, 2)
    for sql in (
        "UPDATE audit_events SET actor = 'x' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 2",
    ):
        with pytest.raises(DBAPIError, match="append-only"), station.store.engine.begin() as c:
            c.execute(text(sql))
    assert station.audit.verify().ok


def test_verify_reports_the_head_hash_that_a_cut_tail_would_change(station):
    log = _log_with_events(station, 3)
    head = log.verify().head_hash
    assert len(head) == 64 and head in str(log.verify())
    log.append("a", "b")
    assert log.verify().head_hash != head
