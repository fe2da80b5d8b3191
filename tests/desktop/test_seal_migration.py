"""The migration that seals an existing clear database (…_seal_personal_data) loses nothing: a
database as the station wrote it before (the migration chain up to the revision before it, rows
inserted as that schema stores them,
a plain SHA-256 audit chain) opens with every value as it was, nothing left in clear, search by
name working, and its audit log still verifying, now continued by the keyed chain."""

from __future__ import annotations

import datetime as dt
import json
import re

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, text

from desktop.station.audit import GENESIS, canonical_json, event_hash
from desktop.station.config import Config
from desktop.station.core import Station
from desktop.station.db import _MIGRATIONS
from desktop.station.models import AuditEvent, Capture, Detainer, Response, Transaction

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
CAR = b"1.001:99\x1d1.002:0502\x1c2.018:DOE,JANE\x1c" + bytes(range(256)) * 10
SRE = b"1.001:80\x1c2.018:DOE,JANE\x1d2.059:I\x1d2.075:RAP SHEET: 2019 BURGLARY"
WHEN = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _revision_before_sealing() -> str:
    """The revision the seal migration follows (found by name: migrations get renumbered at merges)."""
    (path,) = (_MIGRATIONS / "versions").glob("*_seal_personal_data.py")
    return re.search(r'^down_revision = "(\w+)"', path.read_text(), re.M).group(1)


def _clear_database(url: str) -> list[dict]:
    """A station database of the previous release: its schema, rows as it stored them."""
    engine = create_engine(url)
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, _revision_before_sealing())
    events = []
    with engine.begin() as c:
        c.execute(text(
            "INSERT INTO operators (id, username, full_name, role, password_hash, active, created_at) "
            "VALUES (1, 'boss', 'Ada Boss', 'supervisor', '$argon2id$v=19$m=65536,t=3,p=4$x$y', :t, :w)"
        ), {"t": True, "w": WHEN.replace(tzinfo=None)})  # fmt: skip
        for sid, (surname, given, born) in enumerate(
            [
                ("Doe", "Jane", "1980-02-29"),
                ("Иванов", "Пётр", "1975-12-01"),
                ("O'Brien", "Seán", "1990-06-15"),
            ],
            start=1,
        ):
            c.execute(text(
                "INSERT INTO subjects (id, surname, given_names, date_of_birth, sex, race, place_of_birth, "
                "height_inches, weight_pounds, eye_color, hair_color) VALUES "
                "(:id, :s, :g, :b, 'F', 'W', 'VA', 65, 140, 'BRO', 'BLK')"
            ), {"id": sid, "s": surname, "g": given, "b": dt.date.fromisoformat(born)})  # fmt: skip
            c.execute(text(
                "INSERT INTO bookings (id, number, subject_id, arrested_on, status, created_at, updated_at, created_by) "
                "VALUES (:id, :n, :id, :a, 'answered', :w, :w, 1)"
            ), {"id": sid, "n": f"2026-{sid:06d}", "a": dt.date(2026, 11, 19), "w": WHEN.replace(tzinfo=None)})  # fmt: skip
            c.execute(text(
                "INSERT INTO charges (booking_id, position, offense_date, text, level) "
                "VALUES (:id, 0, :d, 'BURGLARY 2ND DEGREE', 'felony')"
            ), {"id": sid, "d": dt.date(2026, 11, 18)})  # fmt: skip
        c.execute(text(
            "INSERT INTO captures (booking_id, position, impression, image_png, ppi, quality, attempt, accepted, "
            "annotation, annotation_reason, captured_at) VALUES (1, 2, 'rolled', :png, 500.0, 71, 1, :t, "
            "'override', 'bandage on the finger', :w)"
        ), {"png": PNG, "t": True, "w": WHEN.replace(tzinfo=None)})  # fmt: skip
        c.execute(text(
            "INSERT INTO transactions (tcn, booking_id, ebts, status, attempts, created_at) "
            "VALUES ('TCN-OLD-1', 1, :car, 'acknowledged', 1, :w)"
        ), {"car": CAR, "w": WHEN.replace(tzinfo=None)})  # fmt: skip
        c.execute(text(
            "INSERT INTO responses (id, message_id, booking_id, tcn, kind, received_at, body, summary_json) "
            "VALUES (1, 'msg-1', 1, 'TCN-OLD-1', 'SRE', :w, :b, :s)"
        ), {"w": WHEN.replace(tzinfo=None), "b": SRE, "s": json.dumps({"name": "DOE, JANE"})})  # fmt: skip
        c.execute(text(
            "INSERT INTO detainers (booking_id, response_id, detainer_id, lodged_at, office, status, outcome, "
            "languages_json) VALUES (1, 1, 'DET-1', :w, 'ERO Washington', 'released', 'released to ICE', '[]')"
        ), {"w": WHEN.replace(tzinfo=None)})  # fmt: skip
        c.execute(text(
            "INSERT INTO imported_transactions (booking_id, source_tcn, source_ori, imported_at, imported_by, "
            "ebts, kept_json, prints) VALUES (2, 'SRC-1', 'VA0000000', :w, 'cli:root', :car, :k, 10)"
        ), {"w": WHEN.replace(tzinfo=None), "car": CAR, "k": json.dumps([{"where": "2.019", "value": "AKA DOE"}])})  # fmt: skip
        # The plain SHA-256 chain as the previous release wrote it.
        prev = GENESIS
        for seq in range(1, 5):
            at = WHEN + dt.timedelta(minutes=seq)
            details = canonical_json({"n": seq})
            digest = event_hash(None, seq, at, "boss", "booking.update", f"booking:{seq}", details, prev)
            c.execute(text(
                "INSERT INTO audit_events (seq, at, actor, action, subject, details_json, prev_hash, hash) "
                "VALUES (:seq, :at, 'boss', 'booking.update', :sub, :d, :p, :h)"
            ), {"seq": seq, "at": at.replace(tzinfo=None), "sub": f"booking:{seq}", "d": details, "p": prev,
                "h": digest})  # fmt: skip
            events.append({"seq": seq, "hash": digest})
            prev = digest
        c.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 4, :h)"), {"h": prev})
    engine.dispose()
    return events


def test_an_existing_clear_database_is_sealed_and_loses_nothing(database_url, tmp_path):
    events = _clear_database(database_url)
    key_file = tmp_path / "keys" / "station.kek"
    station = Station.open(Config(database_url=database_url, key_store="file", key_file=str(key_file)))
    try:
        jane = station.bookings.get(1).data
        assert (jane.surname, jane.given_names, jane.date_of_birth) == ("Doe", "Jane", dt.date(1980, 2, 29))
        assert (jane.height_inches, jane.weight_pounds, jane.place_of_birth) == (65, 140, "VA")
        assert jane.charges[0].text == "BURGLARY 2ND DEGREE"
        assert station.bookings.get(2).data.surname == "Иванов"
        with station.store.session() as s:
            capture = s.query(Capture).one()
            assert capture.image_png == PNG and capture.annotation_reason == "bandage on the finger"
            assert s.query(Transaction).one().ebts == CAR
            response = s.query(Response).one()
            assert response.body == SRE and json.loads(response.summary_json) == {"name": "DOE, JANE"}
            assert s.query(Detainer).one().outcome == "released to ICE"
        from desktop.station.ebts_import import ImportedTransaction

        with station.store.session() as s:
            imported = s.query(ImportedTransaction).one()
            assert imported.ebts == CAR and json.loads(imported.kept_json)[0]["value"] == "AKA DOE"

        with station.store.engine.connect() as c:  # nothing left in clear
            for column in ("surname", "given_names", "date_of_birth", "height_inches"):
                assert all(
                    str(v).startswith("sealed:")
                    for v in c.execute(text(f"SELECT {column} FROM subjects")).scalars()
                )
            assert bytes(c.execute(text("SELECT image_png FROM captures")).scalar()).startswith(b"BS1")
            assert bytes(c.execute(text("SELECT body FROM responses")).scalar()).startswith(b"BS1")
            assert c.execute(text("SELECT outcome FROM detainers")).scalar().startswith("sealed:")

        assert [b.id for b in station.bookings.find(text="ivanov")] == [2]  # the index was built
        assert [b.id for b in station.bookings.find(text="obrien sean")] == [3]

        result = station.audit.verify()
        assert result.ok and result.count == 5, result  # the 4 plain events, then audit.keyed
        keyed = station.audit.events(limit=1)[0]
        assert keyed.action == "audit.keyed"
        assert keyed.details == {"plain_events": 4, "plain_head": events[-1]["hash"]}
        station.audit.append("boss", "login", "operator:boss")
        assert station.audit.verify().ok and station.audit.verify().count == 6
    finally:
        station.close()


def test_after_the_migration_a_changed_plain_event_is_still_caught(database_url, tmp_path, tamper):
    _clear_database(database_url)
    config = Config(database_url=database_url, key_store="file", key_file=str(tmp_path / "k" / "s.kek"))
    station = Station.open(config)
    try:
        # Someone rewrites a plain event and recomputes the plain hashes after it: the first keyed
        # event still names the old plain head, and its keyed hash cannot be recomputed without the key.
        with station.store.session() as s:
            rows = s.query(AuditEvent).filter(AuditEvent.seq <= 4).order_by(AuditEvent.seq).all()
        prev = GENESIS
        statements = []
        for row in rows:
            actor = "mallory" if row.seq == 2 else row.actor
            digest = event_hash(None, row.seq, row.at, actor, row.action, row.subject, row.details_json, prev)
            statements.append((row.seq, actor, prev, digest))
            prev = digest
        for seq, actor, previous, digest in statements:
            tamper(station, "UPDATE audit_events SET actor = :a, prev_hash = :p, hash = :h WHERE seq = :s",
                   {"a": actor, "p": previous, "h": digest, "s": seq})  # fmt: skip
        result = station.audit.verify()
        assert not result.ok and result.first_bad_seq == 5 and "does not follow" in str(result.reason)
    finally:
        station.close()
