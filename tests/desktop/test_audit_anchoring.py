"""An audit log that cannot be rewritten unnoticed (issue 16, item 4): the chain is keyed, and its
head is anchored at the backend with every submission; `verify` against the anchored heads reports
both the recompute-every-hash attack and the delete-the-newest-events attack, with the time after
which the log was changed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from outbox_helpers import FakeBackend, add_booking_with_prints
from sqlalchemy import text

from booking_station.cli import main
from desktop.station.audit import GENESIS, event_hash
from desktop.station.models import AuditEvent
from desktop.station.outbox_client import AuditAnchor


def _events(station, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        station.audit.append("clerk1", "booking.update", f"booking:{i}", {"fields": ["weight"], "n": i})


def _anchor_now(station, backend: FakeBackend) -> AuditAnchor:
    client = backend.client()
    try:
        return client.anchor_audit_head(station.config.agency_ori, station.audit.head())
    finally:
        client.close()


def _anchors(backend: FakeBackend) -> list[AuditAnchor]:
    client = backend.client()
    try:
        return client.audit_anchors("VA0000000")
    finally:
        client.close()


def _rewrite_with_the_key(station, tamper, seq: int, actor: str) -> None:
    """The intruder who holds the station's key: change one event, recompute every keyed hash
    after it and the head, so that the chain alone verifies."""
    key = station.store.derived_key(b"audit chain")
    with station.store.session() as s:
        rows = s.query(AuditEvent).order_by(AuditEvent.seq).all()
    prev, updates = GENESIS, []
    for row in rows:
        who = actor if row.seq == seq else row.actor
        digest = event_hash(key, row.seq, row.at, who, row.action, row.subject, row.details_json, prev)
        updates.append({"s": row.seq, "a": who, "p": prev, "h": digest})
        prev = digest
    for values in updates:
        tamper(
            station, "UPDATE audit_events SET actor = :a, prev_hash = :p, hash = :h WHERE seq = :s", values
        )
    tamper(station, "UPDATE audit_head SET hash = :h WHERE id = 1", {"h": prev})


def test_a_keyed_chain_cannot_be_recomputed_without_the_key(station, tamper):
    _events(station, 5)
    with station.store.session() as s:
        rows = s.query(AuditEvent).order_by(AuditEvent.seq).all()
    prev = GENESIS
    for row in rows:  # plain SHA-256, as one would without the key
        actor = "mallory" if row.seq == 3 else row.actor
        digest = event_hash(None, row.seq, row.at, actor, row.action, row.subject, row.details_json, prev)
        tamper(station, "UPDATE audit_events SET actor = :a, prev_hash = :p, hash = :h WHERE seq = :s",
               {"a": actor, "p": prev, "h": digest, "s": row.seq})  # fmt: skip
        prev = digest
    tamper(station, "UPDATE audit_head SET hash = :h WHERE id = 1", {"h": prev})
    result = station.audit.verify()
    assert not result.ok and result.first_bad_seq == 1 and "changed" in str(result.reason)


def test_recompute_every_hash_attack_is_reported_against_the_anchored_head(station, tamper):
    backend = FakeBackend()
    _events(station, 4)
    early = _anchor_now(station, backend)  # event 4
    _events(station, 4, start=4)
    late = _anchor_now(station, backend)  # event 8
    assert station.audit.verify(_anchors(backend)).ok

    _rewrite_with_the_key(station, tamper, seq=6, actor="mallory")
    assert station.audit.verify().ok  # the chain alone cannot tell
    result = station.audit.verify(_anchors(backend))
    assert not result.ok
    assert result.first_bad_seq == 5 and result.anchored_through == early.sequence == 4
    assert "no longer matches the head the backend anchored for event 8" in str(result.reason)
    assert result.changed_after == dt.datetime.fromisoformat(late.anchored_at.replace("Z", "+00:00"))
    assert f"changed after {result.changed_after.strftime('%Y-%m-%d %H:%M:%S')} UTC" in str(result)


def test_delete_the_newest_events_attack_is_reported_against_the_anchored_head(station, tamper):
    backend = FakeBackend()
    _events(station, 8)
    anchored = _anchor_now(station, backend)
    with station.store.session() as s:
        keep = s.query(AuditEvent).filter(AuditEvent.seq == 5).one().hash
    tamper(station, "DELETE FROM audit_events WHERE seq > 5")
    tamper(station, "UPDATE audit_head SET seq = 5, hash = :h WHERE id = 1", {"h": keep})
    assert station.audit.verify().ok  # the chain alone: a shorter, consistent log
    result = station.audit.verify(_anchors(backend))
    assert not result.ok and result.first_bad_seq == 6
    assert "events 6 to 8 were removed" in str(result.reason)
    assert result.changed_after == dt.datetime.fromisoformat(anchored.anchored_at.replace("Z", "+00:00"))


def test_a_tampered_chain_gives_its_times_in_the_station_s_local_time_with_its_zone(station, tamper):
    """One presentation of time, as the rest of the station shows it: local, with the zone; never
    UTC and local side by side."""
    import re

    backend = FakeBackend()
    _events(station, 4)
    _anchor_now(station, backend)
    _events(station, 4, start=4)
    late = _anchor_now(station, backend)
    _rewrite_with_the_key(station, tamper, seq=6, actor="mallory")
    zone = station.config.zone
    assert str(zone) == "America/New_York"  # not UTC: the two presentations would differ
    text = str(station.audit.verify(_anchors(backend), zone=zone))
    moment = dt.datetime.fromisoformat(late.anchored_at.replace("Z", "+00:00")).astimezone(zone)
    local = moment.strftime("%Y-%m-%d %H:%M:%S %Z")
    assert text.count(local) == 2, text  # the newest anchor, and when the log was changed
    assert "+00:00" not in text and "UTC" not in text and not re.search(r"\d{4}-\d\d-\d\dT", text), text
    # The removal attack's text too.
    with station.store.session() as s:
        keep = s.query(AuditEvent).filter(AuditEvent.seq == 3).one().hash
    tamper(station, "DELETE FROM audit_events WHERE seq > 3")
    tamper(station, "UPDATE audit_head SET seq = 3, hash = :h WHERE id = 1", {"h": keep})
    text = str(station.audit.verify(_anchors(backend), zone=zone))
    assert "were removed" in text and text.count(local) == 2, text
    assert "+00:00" not in text and not re.search(r"\d{4}-\d\d-\d\dT", text), text


def test_a_log_that_grew_since_its_anchors_verifies(station):
    backend = FakeBackend()
    _events(station, 3)
    _anchor_now(station, backend)
    _events(station, 3, start=3)
    result = station.audit.verify(_anchors(backend))
    assert result.ok and result.anchors_checked == 1 and result.anchored_through == 3
    assert "matches the 1 heads anchored at the backend" in str(result)


def test_every_submission_carries_the_head_and_the_worker_anchors_a_moved_head(station, booking_form):
    backend = FakeBackend()
    client = backend.client()
    try:
        booking_id = add_booking_with_prints(station, booking_form())
        tcn = station.outbox.enqueue(booking_id, actor="clerk1")
        head = station.audit.head()
        assert station.outbox.send_due(client) == 1
        assert backend.anchors == [dict(backend.anchors[0], sequence=head.sequence, head=head.head, tcn=tcn)]
        assert station.audit.verify(_anchors(backend)).ok
        backend.anchors.clear()
        station.outbox._anchored = None
        _events(station, 2)
        assert station.outbox.anchor_audit_head(client, "VA0000000")
        assert backend.anchors[-1]["sequence"] == station.audit.head().sequence
        assert not station.outbox.anchor_audit_head(client, "VA0000000")  # unchanged: not sent again
        _events(station, 1, start=2)
        assert not station.outbox.anchor_audit_head(client, "VA0000000")  # moved, but within a minute
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
        assert station.outbox.anchor_audit_head(client, "VA0000000", now=later)
        assert backend.anchors[-1]["sequence"] == station.audit.head().sequence
    finally:
        client.close()


def test_audit_verify_command_says_when_the_backend_could_not_be_asked(monkeypatch, capsys, tmp_path):
    from booking_station.pki import CertificateAuthority

    files = CertificateAuthority.ensure(tmp_path / "pki").issue_station("VA0000000", tmp_path / "station")
    path = tmp_path / "c.toml"
    path.write_text(
        f'backend_url = "https://127.0.0.1:9"\nbackend_ca = "{files.ca}"\n'
        f'backend_certificate = "{files.certificate}"\nbackend_key = "{files.key}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("BOOKING_STATION_CONFIG", str(path))
    assert main(["audit", "verify", "--offline"]) == 0
    assert "intact" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 3  # intact here, but the anchors could not be read
    out = capsys.readouterr().out
    assert "intact" in out and "NOT checked against the heads anchored at the backend" in out


@pytest.mark.slow
def test_audit_verify_checks_the_embedded_backend_s_anchors(monkeypatch, capsys, tamper):
    """The real embedded backend (mutual TLS) keeps the heads; the command finds the rewrite."""
    from desktop.station.anchoring import anchor_now
    from desktop.station.core import Station

    monkeypatch.setattr("sys.stdin", io.StringIO("fingerprint desk 1\n"))
    assert main(["operators", "add", "clerk1", "--role", "clerk", "--password-stdin"]) == 0
    station = Station.open()
    try:
        _events(station, 5)
        assert main(["audit", "anchor"]) == 0
        assert "anchored event 6" in capsys.readouterr().out
        assert main(["audit", "verify"]) == 0
        assert "matches the 1 heads anchored at the backend" in capsys.readouterr().out
        _rewrite_with_the_key(station, tamper, seq=2, actor="mallory")
        assert main(["audit", "verify", "--offline"]) == 0
        capsys.readouterr()
        assert main(["audit", "verify"]) == 1
        out = capsys.readouterr().out
        assert "TAMPERED" in out and "The log was changed after" in out
        assert anchor_now(station.config, station.audit.head()).sequence == 6
    finally:
        station.close()


def test_the_keyed_from_record_is_needed(station, tamper):
    _events(station, 2)
    with station.store.engine.begin() as c:
        c.execute(text("DELETE FROM station_keys WHERE name = 'audit_keyed_from'"))
    result = station.audit.verify()
    assert not result.ok and "keyed chain starts" in str(result.reason)
