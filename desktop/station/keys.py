"""The station database's data key, and where the key-encryption key (KEK) that wraps it lives.

Criminal-justice information in the station's database is sealed with one AES-256 data key per
database (booking_station.envelope, booking_station.sealed_columns). The database keeps that key
only wrapped, in `station_keys`; the KEK that unwraps it is kept outside the database:

- `key_store = "keyring"`: the desktop keyring (Secret Service, KWallet, Keychain), entry
  booking-station/station-kek;
- `key_store = "file"`: a 0600 file in a 0700 folder, `key_file` or `<data dir>/keys/station.kek`;
- `key_store = "auto"` (the default): the key file when it exists, else the keyring entry when the
  session has a keyring that holds it; a new key goes to the keyring where the session has one,
  otherwise to the file.

A missing or wrong KEK stops the station before anything is written (MissingKey / WrongKey, with
where it looked). `rotate` re-wraps the data key with a new KEK: the new key is written beside the
old one first ("….next"), the database then switches to it, and only then does it replace the
old one, so a crash at any point leaves a key that opens the database (`open_data_key` finishes
a rotation that was cut short).
"""

from __future__ import annotations

import base64
import functools
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, String, Text, column, inspect, select, table

from booking_station import runtime
from booking_station.envelope import KeyEncryptionKey, MissingKey, Sealer, WrappedKey, WrongKey, fingerprint
from booking_station.private_files import read_private, write_private

KEYRING_SERVICE = runtime.APP_NAME
KEYRING_ENTRY = "station-kek"
DATA_KEY = "data_key"

#: The keys table, as the migrations create it (models.StationKey maps the same table).
_keys = table("station_keys", column("name", String(40)), column("value", Text))


def default_key_file() -> Path:
    from desktop.station.config import data_dir

    return data_dir() / "keys" / "station.kek"


# --- where the KEK lives -------------------------------------------------------------------------
class _FileKek:
    """A KEK in a 0600 file inside a 0700 folder; `.next` beside it during a rotation."""

    kind = "file"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> bytes:
        return _decode(read_private(self.path), self.describe())

    def write(self, key: bytes) -> None:
        write_private(self.path, base64.b64encode(key) + b"\n")

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)

    def staging(self) -> _FileKek:
        return _FileKek(self.path.with_name(self.path.name + ".next"))

    def describe(self) -> str:
        return f"key file {self.path}"


class _KeyringKek:
    """A KEK in the desktop keyring (`keyring` package)."""

    kind = "keyring"

    def __init__(self, entry: str = KEYRING_ENTRY) -> None:
        self.entry = entry

    def _call(self, name: str, *args: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            return getattr(keyring, name)(KEYRING_SERVICE, self.entry, *args)
        except PasswordDeleteError:
            return None
        except KeyringError as exc:
            raise MissingKey(f"the desktop keyring cannot be used ({exc})") from None

    def exists(self) -> bool:
        return self._call("get_password") is not None

    def read(self) -> bytes:
        text = self._call("get_password")
        if text is None:
            raise MissingKey(f"the {self.describe()} holds no key")
        return _decode(text.encode("ascii"), self.describe())

    def write(self, key: bytes) -> None:
        self._call("set_password", base64.b64encode(key).decode("ascii"))

    def delete(self) -> None:
        self._call("delete_password")

    def staging(self) -> _KeyringKek:
        return _KeyringKek(self.entry + ".next")

    def describe(self) -> str:
        return f"keyring entry {KEYRING_SERVICE}/{self.entry}"


@dataclass(frozen=True)
class KekLocation:
    """Where the station looks for its KEK (from the config's `key_store` and `key_file`)."""

    store: str = "auto"  # auto | file | keyring
    key_file: Path | None = None

    def _file(self) -> _FileKek:
        return _FileKek(self.key_file or default_key_file())

    def candidates(self) -> Iterator[_FileKek | _KeyringKek]:
        """The places to read an existing key from, in order (the keyring is asked only when needed:
        finding out whether the session has one may cost a D-Bus round trip)."""
        if self.store != "keyring":
            yield self._file()
        if self.store == "keyring" or (self.store == "auto" and keyring_available()):
            yield _KeyringKek()

    def for_new_key(self) -> _FileKek | _KeyringKek:
        if self.store == "file" or (self.store == "auto" and not keyring_available()):
            return self._file()
        return _KeyringKek()

    def find(self) -> _FileKek | _KeyringKek:
        """The place that holds the key now; MissingKey naming every place looked at."""
        places = []
        for place in self.candidates():
            if place.exists() or place.staging().exists():
                return place
            places.append(place)
        looked = "; ".join(p.describe() for p in places)
        if self.store == "auto" and not keyring_available():
            looked += "; no desktop keyring in this session"
        raise MissingKey(
            f"the station's key-encryption key was not found ({looked}): the database cannot be opened "
            "without it. Restore the key from its backup (README: 'Data at rest'); nothing was changed"
        )


@functools.cache
def keyring_available() -> bool:
    """Whether this session has a desktop keyring (asked once per process: it may cost a D-Bus call)."""
    from booking_station.envelope import keyring_available as available

    return available()


def _decode(text: bytes, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise WrongKey(f"the {where} does not hold a 256-bit key (base64 of 32 bytes)")
    return key


class _Held:
    """Key bytes already read, as the envelope's KeyEncryptionKey."""

    def __init__(self, key: bytes, where: str) -> None:
        self._key, self._where = key, where

    def load(self) -> bytes:
        return self._key

    def ensure(self) -> bytes:
        return self._key

    def describe(self) -> str:
        return self._where


# --- the data key in the database ------------------------------------------------------------------
def has_keys_table(connection: Connection) -> bool:
    return inspect(connection).has_table("station_keys")


def read_value(connection: Connection, name: str) -> str | None:
    return connection.execute(select(_keys.c.value).where(_keys.c.name == name)).scalar()


def write_value(connection: Connection, name: str, value: str) -> None:
    if read_value(connection, name) is None:
        connection.execute(_keys.insert().values(name=name, value=value))
    else:
        connection.execute(_keys.update().where(_keys.c.name == name).values(value=value))


def open_data_key(engine_or_connection: Engine | Connection, where: KekLocation) -> Sealer | None:
    """This database's data key, or None when it has none yet (a new or a clear database).

    A missing or wrong KEK raises MissingKey / WrongKey; nothing is written, except to finish a
    rotation that was cut short (the KEK's own files, never the database)."""
    if isinstance(engine_or_connection, Engine):
        with engine_or_connection.connect() as connection:
            return open_data_key(connection, where)
    connection = engine_or_connection
    if not has_keys_table(connection):
        return None
    stored = read_value(connection, DATA_KEY)
    if stored is None:
        return None
    wrapped = WrappedKey.from_json(json.loads(stored))
    place = where.find()
    return Sealer.open(_Held(_current_key(place, wrapped), place.describe()), wrapped)


def _current_key(place: _FileKek | _KeyringKek, wrapped: WrappedKey) -> bytes:
    """The KEK that wrapped `wrapped`: the one in `place`, or the rotation's new one beside it."""
    staging = place.staging()
    key = place.read() if place.exists() else None
    if key is not None and fingerprint(key) == wrapped.kek_fingerprint:
        staging.delete()  # a rotation that failed before the database switched: keep the old key
        return key
    if staging.exists():
        new = staging.read()
        if fingerprint(new) == wrapped.kek_fingerprint:  # the database switched; finish the rotation
            place.write(new)
            staging.delete()
            return new
    if key is None:
        raise MissingKey(f"the {place.describe()} is missing; nothing was changed")
    raise WrongKey(
        f"the {place.describe()} is not the key this database was encrypted with (key {fingerprint(key)}, "
        f"the database wants key {wrapped.kek_fingerprint}); nothing was changed"
    )


def create_data_key(connection: Connection, where: KekLocation) -> Sealer:
    """A new data key for a database that has none, wrapped by the KEK (made when there is none)."""
    place = next((p for p in where.candidates() if p.exists()), None) or where.for_new_key()
    if not place.exists():
        place.write(secrets.token_bytes(32))
    sealer, wrapped = Sealer.create(_Held(place.read(), place.describe()))
    write_value(connection, DATA_KEY, json.dumps(wrapped.to_json()))
    return sealer


def rotate(engine: Engine, where: KekLocation) -> tuple[str, str]:
    """Re-wrap the database's data key with a new KEK in the same place; (old, new) fingerprints.

    The values are not rewritten (the data key stays); only the KEK changes. Database backups made
    before the rotation need the old KEK: the caller says so."""
    place = where.find()
    with engine.begin() as connection:
        stored = read_value(connection, DATA_KEY) if has_keys_table(connection) else None
        if stored is None:
            raise MissingKey("this database has no data key yet: open the station once first")
        wrapped = WrappedKey.from_json(json.loads(stored))
        sealer = Sealer.open(_Held(_current_key(place, wrapped), place.describe()), wrapped)
        new_key = secrets.token_bytes(32)
        place.staging().write(new_key)
        rewrapped = sealer.rewrap(_Held(new_key, place.staging().describe()))
        write_value(connection, DATA_KEY, json.dumps(rewrapped.to_json()))
    place.write(new_key)  # the database now wants the new key
    place.staging().delete()
    return wrapped.kek_fingerprint, rewrapped.kek_fingerprint


def describe(url: str, where: KekLocation) -> str:
    """Where the KEK is and which key the database wants, for `booking-station keys status`."""
    from sqlalchemy import create_engine

    lines = [f"key store: {where.store}"]
    try:
        place = where.find()
        key = place.read() if place.exists() else None
        lines.append(
            f"key-encryption key: {place.describe()}" + (f" (key {fingerprint(key)})" if key else "")
        )
    except MissingKey as exc:
        lines.append(str(exc))
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored = read_value(connection, DATA_KEY) if has_keys_table(connection) else None
    finally:
        engine.dispose()
    if stored is None:
        lines.append("the database has no data key yet (it is made when the station first opens it)")
    else:
        lines.append(f"the database's data key is wrapped by key {json.loads(stored)['kek']}")
    return "\n".join(lines)


def location_of(store: str, key_file: str) -> KekLocation:
    return KekLocation(store, Path(key_file).expanduser() if key_file else None)


__all__ = [
    "KekLocation",
    "KeyEncryptionKey",
    "MissingKey",
    "WrongKey",
    "create_data_key",
    "open_data_key",
    "rotate",
]
