"""Envelope encryption at rest (booking_station.envelope), shared by the backend and the station."""

from __future__ import annotations

import os
import stat

import pytest

from booking_station.envelope import FileKek, KeyringKek, MissingKey, Sealer, WrappedKey, WrongKey, is_sealed


def test_a_value_seals_and_opens_only_in_its_own_context(tmp_path) -> None:
    sealer, _ = Sealer.create(FileKek(tmp_path / "keys" / "kek"))
    secret = "GARCÍA, José 1987-03-14".encode()
    sealed = sealer.seal(secret, b"bookings.name")
    assert is_sealed(sealed) and secret not in sealed
    assert sealer.seal(secret, b"bookings.name") != sealed  # a fresh nonce every time
    assert sealer.open_value(sealed, b"bookings.name") == secret
    with pytest.raises(WrongKey, match="copied from elsewhere"):
        sealer.open_value(sealed, b"bookings.notes")
    with pytest.raises(WrongKey):
        sealer.open_value(sealed[:-1] + bytes([sealed[-1] ^ 1]), b"bookings.name")


def test_the_key_file_is_private_and_made_only_for_a_new_data_key(tmp_path) -> None:
    kek = FileKek(tmp_path / "keys" / "kek")
    with pytest.raises(MissingKey, match="is missing"):
        kek.load()  # reading never makes a key
    _, wrapped = Sealer.create(kek)
    assert stat.S_IMODE(os.stat(kek.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(kek.path.parent).st_mode) == 0o700
    assert Sealer.open(kek, WrappedKey.from_json(wrapped.to_json()))


def test_a_wrong_or_missing_key_says_so(tmp_path) -> None:
    sealer, wrapped = Sealer.create(FileKek(tmp_path / "a" / "kek"))
    other = FileKek(tmp_path / "b" / "kek")
    other.ensure()
    with pytest.raises(WrongKey, match="is not the key this data was encrypted with"):
        Sealer.open(other, wrapped)
    with pytest.raises(MissingKey):
        Sealer.open(FileKek(tmp_path / "c" / "kek"), wrapped)


def test_rotation_rewraps_the_same_data_key(tmp_path) -> None:
    old = FileKek(tmp_path / "old" / "kek")
    sealer, _ = Sealer.create(old)
    sealed = sealer.seal(b"fingerprint image", b"captures.image")
    new = FileKek(tmp_path / "new" / "kek")
    new.ensure()
    rewrapped = sealer.rewrap(new)
    assert Sealer.open(new, rewrapped).open_value(sealed, b"captures.image") == b"fingerprint image"
    with pytest.raises(WrongKey):
        Sealer.open(old, rewrapped)


def test_the_key_can_live_in_the_desktop_keyring(tmp_path) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            self.kept: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):  # type: ignore[no-untyped-def]
            return self.kept.get((service, username))

        def set_password(self, service, username, password):  # type: ignore[no-untyped-def]
            self.kept[(service, username)] = password

        def delete_password(self, service, username):  # type: ignore[no-untyped-def]
            self.kept.pop((service, username), None)

    before = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        kek = KeyringKek("booking-station-test", "db")
        with pytest.raises(MissingKey):
            kek.load()
        sealer, wrapped = Sealer.create(kek)
        assert Sealer.open(kek, wrapped).open_value(sealer.seal(b"x", b"c"), b"c") == b"x"
    finally:
        keyring.set_keyring(before)
