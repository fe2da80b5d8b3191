"""Criminal-justice information is sealed in the station's database (issue 16, item 3): what a
person who copies the database file reads, the file's and the key's modes, search by name over
sealed names, and a missing or wrong key."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import stat

import pytest
from sqlalchemy import text

from booking_station.envelope import MissingKey, WrongKey
from desktop.station.bookings import parse
from desktop.station.config import Config
from desktop.station.core import Station
from desktop.station.keys import default_key_file
from desktop.station.models import Capture, Response, Transaction

TODAY = dt.date.today()
PNG = b"\x89PNG\r\n\x1a\n" + b"ridge-valley-" * 500
CAR = b"1.001:123\x1d1.002:0502\x1c2.018:ZZYZXOVA,QUENTIN" + b"\x00wsq" * 200


def _fill(station: Station, booking_form) -> int:
    booking = station.bookings.create(
        parse(booking_form(surname="Zzyzxova", given_names="Quentin", date_of_birth="1971-07-13"), TODAY),
        actor="t",
    )
    with station.store.session() as s:
        s.add(Capture(booking_id=booking.id, position=2, impression="rolled", image_png=PNG, ppi=500.0,
                      annotation_reason="scar on the right index finger"))  # fmt: skip
        s.add(Transaction(tcn="TCN-SEALED-1", booking_id=booking.id, ebts=CAR,
                          problem={"code": "ebts.field-value", "params": {"value": "ZZYZXOVA,QUENTIN"}},
                          last_error="2.018 NAM is 'ZZYZXOVA,QUENTIN'"))  # fmt: skip
        s.add(Response(message_id="m-1", tcn="TCN-SEALED-1", kind="SRE", booking_id=booking.id,
                       body=b"2.018:ZZYZXOVA,QUENTIN\x1d2.059:I", summary_json='{"name": "ZZYZXOVA"}'))  # fmt: skip
    return booking.id


def _database_bytes(station: Station) -> bytes:
    path = station.store.engine.url.database
    with station.store.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return b"".join(open(p, "rb").read() for p in (path, path + "-wal") if os.path.exists(p))


def test_nothing_that_names_or_shows_the_person_is_in_clear_in_the_database(station, booking_form):
    booking_id = _fill(station, booking_form)
    with station.store.engine.connect() as c:  # the raw columns: what a copy of the file holds
        subject = c.execute(
            text("SELECT surname, given_names, date_of_birth, height_inches FROM subjects")
        ).one()
        assert all(str(v).startswith("sealed:") for v in subject)
        assert c.execute(text("SELECT text FROM charges")).scalar().startswith("sealed:")
        image = c.execute(text("SELECT image_png, annotation_reason FROM captures")).one()
        assert bytes(image[0]).startswith(b"BS1") and b"PNG" not in bytes(image[0])
        assert image[1].startswith("sealed:")
        assert bytes(c.execute(text("SELECT ebts FROM transactions")).scalar()).startswith(b"BS1")
        # Why it did not go through: a problem's parameters can quote the booking (0010).
        problem, last_error = c.execute(text("SELECT problem, last_error FROM transactions")).one()
        assert str(problem).startswith("sealed:") and last_error.startswith("sealed:")
        body, summary = c.execute(text("SELECT body, summary_json FROM responses")).one()
        assert bytes(body).startswith(b"BS1") and summary.startswith("sealed:")
    if station.store.engine.dialect.name == "sqlite":
        raw = _database_bytes(station).lower()
        for clear in (b"zzyzxova", b"quentin", b"1971-07-13", b"ridge-valley", b"scar on the right"):
            assert clear not in raw, clear
    # The station itself reads everything back as it was written.
    record = station.bookings.get(booking_id)
    assert (record.data.surname, record.data.date_of_birth) == ("Zzyzxova", dt.date(1971, 7, 13))
    with station.store.session() as s:
        assert s.query(Capture).one().image_png == PNG
        kept = s.query(Transaction).one()
        assert kept.ebts == CAR and kept.problem["params"]["value"] == "ZZYZXOVA,QUENTIN"
        assert kept.last_error == "2.018 NAM is 'ZZYZXOVA,QUENTIN'"


def test_a_sealed_value_moved_to_another_row_or_column_does_not_open(station, booking_form):
    _fill(station, booking_form)
    station.bookings.create(parse(booking_form(surname="Other"), TODAY), actor="t")
    with station.store.engine.begin() as c:
        surname = c.execute(text("SELECT surname FROM subjects ORDER BY id LIMIT 1")).scalar()
        c.execute(text("UPDATE subjects SET given_names = :v"), {"v": surname})  # another column
    with pytest.raises(WrongKey, match="subjects.given_names"):
        station.bookings.find()


def test_database_file_and_key_file_are_private(tmp_path):
    database = tmp_path / "fresh" / "station.db"
    key_file = tmp_path / "keys" / "station.kek"
    station = Station.open(
        Config(database_url=f"sqlite:///{database}", key_store="file", key_file=str(key_file))
    )
    station.close()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert len(base64.b64decode(key_file.read_bytes())) == 32
    assert base64.b64decode(key_file.read_bytes()) not in database.read_bytes()


def test_the_default_key_lives_outside_the_database_in_the_station_data_folder(station):
    assert default_key_file().exists()  # no keyring in the tests' session: the 0600 file
    assert stat.S_IMODE(default_key_file().stat().st_mode) == 0o600
    with station.store.engine.connect() as c:
        wrapped = c.execute(text("SELECT value FROM station_keys WHERE name = 'data_key'")).scalar()
    assert '"kek"' in wrapped and base64.b64decode(default_key_file().read_bytes()).hex() not in wrapped


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_key_stops_the_station_with_a_clear_message_and_changes_nothing(tmp_path, booking_form):
    database, key_file = tmp_path / "s.db", tmp_path / "keys" / "station.kek"
    config = Config(database_url=f"sqlite:///{database}", key_store="file", key_file=str(key_file))
    station = Station.open(config)
    _fill(station, booking_form)
    station.close()
    before = _digest(database)
    key_file.rename(tmp_path / "elsewhere.kek")
    with pytest.raises(
        MissingKey, match="key-encryption key was not found.*station.kek.*nothing was changed"
    ):
        Station.open(config)
    assert _digest(database) == before and not key_file.exists()  # no new key was made


def test_a_wrong_key_stops_the_station_and_changes_nothing(tmp_path, booking_form):
    database, key_file = tmp_path / "s.db", tmp_path / "keys" / "station.kek"
    config = Config(database_url=f"sqlite:///{database}", key_store="file", key_file=str(key_file))
    station = Station.open(config)
    _fill(station, booking_form)
    station.close()
    before, key_before = _digest(database), key_file.read_bytes()
    key_file.write_bytes(base64.b64encode(os.urandom(32)) + b"\n")
    with pytest.raises(WrongKey, match="not the key this database was encrypted with.*nothing was changed"):
        Station.open(config)
    assert _digest(database) == before
    key_file.write_bytes(key_before)
    assert Station.open(config).bookings.find(text="zzyz")  # the right key opens it as before


def test_a_key_file_others_can_read_is_refused(tmp_path):
    key_file = tmp_path / "keys" / "station.kek"
    config = Config(database_url=f"sqlite:///{tmp_path / 's.db'}", key_store="file", key_file=str(key_file))
    Station.open(config).close()
    key_file.chmod(0o644)
    with pytest.raises(Exception, match="chmod 600"):
        Station.open(config)


# --- search by name over sealed names ---------------------------------------------------------
@pytest.fixture
def people(station, booking_form):
    names = {
        "lukasiewicz": ("Łukasiewicz", "Jan"),
        "ivanov": ("Иванов", "Пётр"),
        "garcia": ("García-López", "María José"),
        "obrien": ("O'Brien", "Seán"),
        "nguyen": ("Nguyễn", "Văn An"),
        "smith": ("Smith", "Anna"),
    }
    return {
        key: station.bookings.create(parse(booking_form(surname=s, given_names=g), TODAY), actor="t").id
        for key, (s, g) in names.items()
    }


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("łUKAS", "lukasiewicz"),  # the beginning of a word, any case
        ("lukasiewicz jan", "lukasiewicz"),  # without the accent, words in any order
        ("ivanov", "ivanov"),  # Cyrillic found by its Latin transliteration
        ("Иван", "ivanov"),  # and by its own script
        ("petr", "ivanov"),
        ("garcia lopez", "garcia"),  # the parts of a hyphenated name
        ("garcía-lópez", "garcia"),
        ("maria jose", "garcia"),
        ("obrien", "obrien"),  # punctuation inside a name ignored
        ("o'brien sean", "obrien"),
        ("nguyen van", "nguyen"),
        ("anna smith", "smith"),
        ("smith, anna", "smith"),
    ],
)
def test_search_by_name_finds_sealed_names_in_any_script(station, people, typed, who):
    assert [s.id for s in station.bookings.find(text=typed)] == [people[who]]


def test_search_needs_every_word_and_still_finds_booking_numbers(station, people):
    assert station.bookings.find(text="anna lukasiewicz") == []
    assert station.bookings.find(text="zzz") == []
    number = station.bookings.get(people["smith"]).number
    assert [s.id for s in station.bookings.find(text=number)] == [people["smith"]]
    assert len(station.bookings.find(text=number[:4])) == len(people)  # the year: every booking


def test_a_changed_name_is_found_by_the_new_name_only(station, people, booking_form):
    changed = parse(booking_form(surname="Kowalska", given_names="Jan"), TODAY)
    station.bookings.update(people["lukasiewicz"], changed, actor="t")
    assert [s.id for s in station.bookings.find(text="kowal")] == [people["lukasiewicz"]]
    assert station.bookings.find(text="lukas") == []


def test_the_index_holds_keyed_digests_not_names(station, people):
    with station.store.engine.connect() as c:
        digests = [bytes(d) for d in c.execute(text("SELECT digest FROM name_tokens")).scalars()]
    assert digests and all(len(d) == 16 for d in digests)
    assert not any(b"smith" in d.lower() or b"anna" in d.lower() for d in digests)
    from desktop.station.name_index import subject_digests

    assert not subject_digests(b"\0" * 32, "Smith", "Anna") & set(digests)  # a guessed key finds nothing
