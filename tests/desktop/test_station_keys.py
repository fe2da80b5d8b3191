"""The key-encryption key outside the database: rotation (also cut short by a crash), the desktop
keyring, and `booking-station keys`."""

from __future__ import annotations

import base64
import datetime as dt
import io

import keyring
import pytest
from keyring.backend import KeyringBackend

from booking_station.cli import main
from booking_station.envelope import fingerprint
from desktop.station import keys
from desktop.station.bookings import parse
from desktop.station.config import Config
from desktop.station.core import Station
from desktop.station.keys import KekLocation, default_key_file


class MemoryKeyring(KeyringBackend):
    """A desktop keyring that lives in this process (the test session has none)."""

    priority = 10  # type: ignore[assignment]
    viable = False  # never chosen by keyring itself: only where a test installs it

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):  # type: ignore[no-untyped-def]
        return self.entries.get((service, username))

    def set_password(self, service, username, password):  # type: ignore[no-untyped-def]
        self.entries[(service, username)] = password

    def delete_password(self, service, username):  # type: ignore[no-untyped-def]
        self.entries.pop((service, username), None)


@pytest.fixture
def desktop_keyring():
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    keys.keyring_available.cache_clear()
    yield ring
    keyring.set_keyring(before)
    keys.keyring_available.cache_clear()


def _key_of(path) -> str:
    return fingerprint(base64.b64decode(path.read_bytes()))


def test_keys_rotate_rewraps_the_data_key_and_the_data_stays_readable(booking_form, capsys):
    station = Station.open()
    booking = station.bookings.create(parse(booking_form(surname="Rotated"), dt.date.today()), actor="t")
    station.close()
    old = _key_of(default_key_file())
    assert main(["keys", "rotate"]) == 0
    out = capsys.readouterr().out
    new = _key_of(default_key_file())
    assert new != old and f"key {new}" in out and f"was key {old}" in out and "Back up the new key" in out
    station = Station.open()
    try:
        assert station.bookings.get(booking.id).data.surname == "Rotated"
        assert [s.id for s in station.bookings.find(text="rotat")] == [booking.id]  # index key unchanged
        assert station.audit.events(limit=1)[0].action == "keys.rotate"
        assert station.audit.verify().ok  # the chain's key is the data key's, not the KEK's
    finally:
        station.close()
    assert main(["keys", "status"]) == 0
    assert f"wrapped by key {new}" in capsys.readouterr().out


def test_a_rotation_cut_short_after_the_database_switched_is_finished_at_the_next_start(tmp_path):
    where = KekLocation("file", tmp_path / "keys" / "station.kek")
    config = Config(
        database_url=f"sqlite:///{tmp_path / 's.db'}", key_store="file", key_file=str(where.key_file)
    )
    Station.open(config).close()
    station = Station.open(config)
    # The rotation's steps up to the database switch, then a crash: the old key is still in place.
    import json

    from desktop.station.keys import _Held, read_value, write_value

    new_key = b"\x07" * 32
    where.find().staging().write(new_key)
    with station.store.engine.begin() as c:
        rewrapped = station.store.sealer.rewrap(_Held(new_key, "new"))
        write_value(c, keys.DATA_KEY, json.dumps(rewrapped.to_json()))
    station.close()
    Station.open(config).close()  # opens with the new key and puts it in place
    assert _key_of(where.key_file) == fingerprint(new_key)
    assert not where.find().staging().exists()
    with Station.open(config).store.engine.connect() as c:
        assert json.loads(read_value(c, keys.DATA_KEY))["kek"] == fingerprint(new_key)


def test_a_rotation_cut_short_before_the_database_switched_keeps_the_old_key(tmp_path):
    where = KekLocation("file", tmp_path / "keys" / "station.kek")
    config = Config(
        database_url=f"sqlite:///{tmp_path / 's.db'}", key_store="file", key_file=str(where.key_file)
    )
    Station.open(config).close()
    old = _key_of(where.key_file)
    where.find().staging().write(b"\x09" * 32)  # written, then the crash
    Station.open(config).close()
    assert _key_of(where.key_file) == old and not where.find().staging().exists()


def test_the_desktop_keyring_keeps_the_key_where_the_session_has_one(tmp_path, desktop_keyring):
    config = Config(database_url=f"sqlite:///{tmp_path / 's.db'}")  # key_store = auto
    station = Station.open(config)
    station.close()
    entry = desktop_keyring.entries[("booking-station", "station-kek")]
    assert len(base64.b64decode(entry)) == 32 and not default_key_file().exists()
    old = fingerprint(base64.b64decode(entry))
    new, _ = keys.rotate(Station.open(config).store.engine, config.kek_location())[::-1]
    assert (
        new != old
        and fingerprint(base64.b64decode(desktop_keyring.entries[("booking-station", "station-kek")])) == new
    )
    Station.open(config).close()
    desktop_keyring.entries.clear()  # the keyring lost it
    with pytest.raises(keys.MissingKey, match="keyring entry booking-station/station-kek"):
        Station.open(config)


def test_operators_unlock_from_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("fingerprint desk 1\n"))
    assert main(["operators", "add", "clerk1", "--role", "clerk", "--password-stdin"]) == 0
    station = Station.open()
    for _ in range(5):
        try:
            station.operators.authenticate("clerk1", "wrong password")
        except keys.MissingKey:  # pragma: no cover
            raise
        except Exception:
            pass
    assert station.operators.list()[0].locked_until is not None
    assert main(["operators", "unlock", "clerk1"]) == 0
    assert "clerk1 can log in again" in capsys.readouterr().out
    assert station.operators.authenticate("clerk1", "fingerprint desk 1") is not None
    assert [e.action for e in station.audit.events(limit=3)][1] == "operator.unlock"
