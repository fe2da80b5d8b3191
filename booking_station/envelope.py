"""Envelope encryption at rest: AES-256-GCM values under one data key, the data key wrapped by a
key-encryption key (KEK) that is kept outside the database.

    kek = FileKek(path)                      # or KeyringKek("booking-station", "station-db")
    sealer, wrapped = Sealer.create(kek)     # a new database: makes the KEK if there is none yet and a
                                             # new data key; keep `wrapped.to_json()` in the database
    sealer = Sealer.open(kek, wrapped)       # later: MissingKey / WrongKey, and nothing is written
    blob = sealer.seal(b"...", context=b"transactions.body")
    sealer.open_value(blob, context=b"transactions.body")
    wrapped = sealer.rewrap(new_kek)         # key rotation: the data key stays, only its wrapping changes
    index_key = sealer.derive(b"name index") # a key for another purpose, derived from the data key
    with sealer.file_writer(path, context=b"gallery/minutiae") as fh:   # a large file, sealed in
        fh.write(...)                                                  # chunks as it is written
    with sealer.file_writer(path, context, rewritable_start=True) as fh:  # the same, and its first
        fh.write(...); fh.rewrite_start(header)                         # 1 MiB may be replaced
    buffer = sealer.read_file(path, context=b"gallery/minutiae")       # its bytes, opened in memory

A sealed value is `b"BS1" + nonce(12) + ciphertext + tag(16)`; `context` is authenticated data,
so a value copied into another column (or database: the data key differs) does not open. A sealed
file (`file_writer`, `read_file`) is `b"BSF1"` + key id(8) + chunk size(4) + nonce prefix(7), then
chunks of AES-GCM (the STREAM construction: the nonce counts the chunks and marks the last), so a
chunk altered, dropped, reordered or cut off does not open, and a file of any size is sealed and
opened a chunk at a time (never held twice). A writer opened with `rewritable_start` holds its
first chunk's plaintext until it is closed and seals it then, in the place it kept for it, so its
start can be rewritten without a nonce ever sealing two plaintexts. The KEK is
32 random bytes in a 0600 file inside a 0700 folder (booking_station.private_files), or in the
desktop keyring. Both the backend and the station use this module.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from booking_station.private_files import read_private, write_private
from booking_station.runtime import UserError

MAGIC = b"BS1"
_NONCE = 12
_KEY_BYTES = 32  # AES-256
_WRAP_CONTEXT = b"booking-station data key v1"
FILE_MAGIC = b"BSF1"
_FILE_CHUNK = 1 << 20  # plaintext bytes per sealed chunk
_FILE_HEADER = struct.Struct(">4s8sI7s")  # magic, key id, chunk size, nonce prefix
_TAG = 16


class KeyProblem(UserError):
    """Base of the key problems a person can act on."""


class MissingKey(KeyProblem):
    """The key-encryption key is not where it should be."""


class WrongKey(KeyProblem):
    """The key-encryption key does not open this data key, or a value does not open with the data key."""


class KeyEncryptionKey(Protocol):
    """Where a KEK lives. `load()` returns the 32 key bytes (MissingKey when there are none);
    `ensure()` the same, made on first use; `describe()` says where, for messages."""

    def load(self) -> bytes: ...

    def ensure(self) -> bytes: ...

    def describe(self) -> str: ...


class FileKek:
    """A KEK in a 0600 file inside a 0700 folder."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> bytes:
        if not self.path.exists():
            raise MissingKey(
                f"the key-encryption key {self.path} is missing: without it the data cannot be read "
                "(restore the file from the backup kept when it was made)"
            )
        return _decode_key(read_private(self.path), self.describe())

    def ensure(self) -> bytes:
        if not self.path.exists():
            write_private(self.path, base64.b64encode(secrets.token_bytes(_KEY_BYTES)) + b"\n")
        return self.load()

    def store(self, key: bytes) -> None:
        """Write `key` here (for rotation to a new file)."""
        if self.path.exists():
            raise UserError(f"{self.path} exists already; a rotation writes a new key file")
        write_private(self.path, base64.b64encode(key) + b"\n")

    def describe(self) -> str:
        return f"key file {self.path}"


class KeyringKek:
    """A KEK in the desktop keyring (Secret Service, KWallet, macOS Keychain) via `keyring`."""

    def __init__(self, service: str, name: str) -> None:
        self.service, self.name = service, name

    def load(self) -> bytes:
        return self._get(create=False)

    def ensure(self) -> bytes:
        return self._get(create=True)

    def _get(self, create: bool) -> bytes:
        import keyring
        from keyring.errors import KeyringError

        try:
            text = keyring.get_password(self.service, self.name)
            if text is None and create:
                text = base64.b64encode(secrets.token_bytes(_KEY_BYTES)).decode("ascii")
                keyring.set_password(self.service, self.name, text)
        except KeyringError as exc:
            raise MissingKey(f"the desktop keyring cannot be used ({exc}); use a key file instead") from None
        if text is None:
            raise MissingKey(f"the {self.describe()} holds no key: without it the data cannot be read")
        return _decode_key(text.encode("ascii"), self.describe())

    def store(self, key: bytes) -> None:
        import keyring

        keyring.set_password(self.service, self.name, base64.b64encode(key).decode("ascii"))

    def describe(self) -> str:
        return f"keyring entry {self.service}/{self.name}"


def keyring_available() -> bool:
    """Whether this session has a desktop keyring that can keep secrets (not the 'fail' backend)."""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring) and keyring.get_keyring().priority > 0
    except Exception:
        return False


@dataclass(frozen=True)
class WrappedKey:
    """A data key as the database keeps it: encrypted by a KEK, with the KEK's fingerprint."""

    kek_fingerprint: str  # names the KEK that wrapped it, without revealing it
    blob: bytes  # nonce + AES-GCM(KEK, data key)

    def to_json(self) -> dict:
        return {"kek": self.kek_fingerprint, "wrapped": base64.b64encode(self.blob).decode("ascii"), "v": 1}

    @classmethod
    def from_json(cls, doc: dict) -> WrappedKey:
        return cls(str(doc["kek"]), base64.b64decode(doc["wrapped"]))


class Sealer:
    """Seals and opens values with one data key."""

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != _KEY_BYTES:
            raise ValueError("a data key is 32 bytes")
        self._aead = AESGCM(data_key)
        self._data_key = data_key

    @classmethod
    def create(cls, kek: KeyEncryptionKey) -> tuple[Sealer, WrappedKey]:
        """A new data key, wrapped by `kek` (made first when it does not exist yet)."""
        kek.ensure()
        sealer = cls(AESGCM.generate_key(bit_length=256))
        return sealer, sealer.rewrap(kek)

    @classmethod
    def open(cls, kek: KeyEncryptionKey, wrapped: WrappedKey) -> Sealer:
        key = kek.load()
        if fingerprint(key) != wrapped.kek_fingerprint:
            raise WrongKey(
                f"the {kek.describe()} is not the key this data was encrypted with "
                f"(key {fingerprint(key)}, data wants key {wrapped.kek_fingerprint}); nothing was changed"
            )
        try:
            data_key = AESGCM(key).decrypt(wrapped.blob[:_NONCE], wrapped.blob[_NONCE:], _WRAP_CONTEXT)
        except InvalidTag:
            raise WrongKey(f"the data key does not open with the {kek.describe()}: it was altered") from None
        return cls(data_key)

    def rewrap(self, kek: KeyEncryptionKey) -> WrappedKey:
        """The data key wrapped by `kek` (key rotation changes only this)."""
        key = kek.load()
        nonce = os.urandom(_NONCE)
        return WrappedKey(fingerprint(key), nonce + AESGCM(key).encrypt(nonce, self._data_key, _WRAP_CONTEXT))

    def derive(self, purpose: bytes) -> bytes:
        """A 256-bit key for another purpose (an HMAC index, a keyed chain), derived from the data
        key with HKDF-SHA-256: never stored, the same for as long as the data key lives (a KEK
        rotation keeps it), and useless for opening sealed values."""
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None, info=b"booking-station/" + purpose
        )
        return hkdf.derive(self._data_key)

    def key_bytes(self) -> bytes:
        """The data key itself, for a process that must open the same files (a gallery shard's
        actor); never for storing."""
        return self._data_key

    def file_writer(self, path: Path, context: bytes, *, rewritable_start: bool = False) -> SealedFileWriter:
        """A file-like object that writes `path` sealed in chunks (see the module's docstring);
        `rewritable_start`: its first chunk may be replaced until it is closed (`rewrite_start`)."""
        return SealedFileWriter(
            path, self._aead, _key_id(self._data_key), context, rewritable_start=rewritable_start
        )

    def read_file(self, path: Path, context: bytes) -> bytearray:
        """The opened bytes of a file written by `file_writer` with the same context; WrongKey names
        the file when it is not sealed, sealed with another key, or altered or cut short."""
        return _read_sealed_file(Path(path), self._aead, _key_id(self._data_key), context)

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return MAGIC + nonce + self._aead.encrypt(nonce, plaintext, context)

    def open_value(self, sealed: bytes, context: bytes) -> bytes:
        if not is_sealed(sealed):
            raise WrongKey(f"a value of {context.decode(errors='replace')} is not encrypted")
        body = sealed[len(MAGIC) :]
        try:
            return self._aead.decrypt(body[:_NONCE], body[_NONCE:], context)
        except InvalidTag:
            raise WrongKey(
                f"a value of {context.decode(errors='replace')} does not open with this database's data key "
                "(altered, or copied from elsewhere)"
            ) from None

    def seal_json(self, value: object, context: bytes) -> bytes:
        return self.seal(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"), context)

    def open_json(self, sealed: bytes, context: bytes) -> object:
        return json.loads(self.open_value(sealed, context))


class SealedFileWriter:
    """Writes a sealed file a chunk at a time; the last chunk is written by `close()`. Used as a
    context manager, a failure inside removes the half-written file.

    `rewritable_start`: the first bytes may be replaced until `close()` (`rewrite_start`: an .npy
    header whose row count is known only at the end). The first chunk's plaintext is then kept in
    memory, a placeholder of its sealed length written in its place, and it is sealed once, at
    `close()`: no nonce ever seals two plaintexts, and the file is the one a plain writer makes."""

    def __init__(
        self, path: Path, aead: AESGCM, key_id: bytes, context: bytes, *, rewritable_start: bool = False
    ) -> None:
        self.path = Path(path)
        self._aead, self._context = aead, context
        self._header = _FILE_HEADER.pack(FILE_MAGIC, key_id, _FILE_CHUNK, os.urandom(7))
        self._pending = bytearray()
        self._count = 0
        self._rewritable = rewritable_start
        self._first: bytearray | None = None  # chunk 0's plaintext, held for close() when rewritable
        self._file = open(self.path, "wb")  # noqa: SIM115 - closed by close()
        self._file.write(self._header)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._pending += data
        while len(self._pending) > _FILE_CHUNK:  # the last chunk is kept for close()
            if self._rewritable and self._count == 0:
                self._first = self._pending[:_FILE_CHUNK]
                self._file.write(bytes(_FILE_CHUNK + _TAG))  # sealed at close()
                self._count = 1
            else:
                self._emit(bytes(self._pending[:_FILE_CHUNK]), last=False)
            del self._pending[:_FILE_CHUNK]
        return len(data)

    def rewrite_start(self, data: bytes) -> None:
        """Replace the first `len(data)` bytes written (at most one chunk, 1 MiB; the writer must
        have been opened with `rewritable_start`)."""
        if not self._rewritable:
            raise ValueError(f"{self.path}: its writer was not opened with rewritable_start")
        if self._file.closed:
            raise ValueError(f"{self.path}: the sealed file is closed")
        if len(data) > _FILE_CHUNK:
            raise ValueError(
                f"{self.path}: only the first chunk ({_FILE_CHUNK} bytes) can be rewritten, not {len(data)}"
            )
        start = self._first if self._first is not None else self._pending
        if len(data) > len(start):
            raise ValueError(f"{self.path}: {len(data)} bytes cannot replace {len(start)} not written yet")
        start[: len(data)] = data

    def close(self) -> None:
        if self._file.closed:
            return
        self._emit(bytes(self._pending), last=True)
        self._pending = bytearray()
        if self._first is not None:  # chunk 0, sealed now that it cannot change
            self._file.seek(len(self._header))
            self._file.write(self._seal(bytes(self._first), 0, last=False))
            self._first = None
        self._file.close()

    def _emit(self, chunk: bytes, last: bool) -> None:
        self._file.write(self._seal(chunk, self._count, last))
        self._count += 1

    def _seal(self, chunk: bytes, count: int, last: bool) -> bytes:
        nonce = _chunk_nonce(self._header, count, last)
        return self._aead.encrypt(nonce, chunk, self._context + b"\0" + self._header)

    def __enter__(self) -> SealedFileWriter:
        return self

    def __exit__(self, kind, *_exc) -> None:  # type: ignore[no-untyped-def]
        if kind is None:
            self.close()
        else:
            self._file.close()
            self.path.unlink(missing_ok=True)


def _chunk_nonce(header: bytes, count: int, last: bool) -> bytes:
    if count >= 1 << 32:
        raise ValueError("a sealed file holds at most 2^32 chunks")
    return header[-7:] + struct.pack(">IB", count, 1 if last else 0)


def _key_id(key: bytes) -> bytes:
    """Names a data key in a sealed file's header, so another key is told apart from an alteration."""
    return hashlib.sha256(b"booking-station file key id\0" + key).digest()[:8]


def is_sealed_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(FILE_MAGIC)) == FILE_MAGIC
    except OSError:
        return False


def _read_sealed_file(path: Path, aead: AESGCM, key_id: bytes, context: bytes) -> bytearray:
    with open(path, "rb") as fh:
        header = fh.read(_FILE_HEADER.size)
        if len(header) < _FILE_HEADER.size or header[: len(FILE_MAGIC)] != FILE_MAGIC:
            raise WrongKey(f"{path} is not sealed (written in clear, or not one of these files)")
        _magic, file_key, chunk, _prefix = _FILE_HEADER.unpack(header)
        if file_key != key_id:
            raise WrongKey(
                f"{path} was sealed with another key (key id {file_key.hex()}, this one is {key_id.hex()})"
            )
        if not 0 < chunk <= 64 << 20:
            raise WrongKey(f"{path} is altered: its header is damaged")
        body = os.fstat(fh.fileno()).st_size - len(header)
        chunks = max(1, -(-body // (chunk + _TAG)))
        size = body - chunks * _TAG
        if size < 0 or (size - 1) // chunk + 1 != chunks and size != 0:
            raise WrongKey(f"{path} is altered or cut short (its length is not that of a sealed file)")
        # Each chunk is read into one reused buffer and opened straight into its place in `out`:
        # a restarted shard actor opens gigabytes this way, and a fresh buffer per chunk (then a
        # copy) tripled the time.
        out = bytearray(size)
        view, aad, done = memoryview(out), context + b"\0" + header, 0
        sealed = memoryview(bytearray(min(chunk, size) + _TAG))
        for count in range(chunks):
            last = count == chunks - 1
            n = min(chunk, size - done)
            got = fh.readinto(sealed[: n + _TAG])
            try:
                if got != n + _TAG:
                    raise InvalidTag
                aead.decrypt_into(
                    _chunk_nonce(header, count, last), sealed[: n + _TAG], aad, view[done : done + n]
                )
            except InvalidTag:
                raise WrongKey(
                    f"{path} is altered, cut short or not this file (chunk {count + 1} of {chunks} does not open)"
                ) from None
            done += n
        return out


def is_sealed(value: bytes) -> bool:
    return value[: len(MAGIC)] == MAGIC and len(value) >= len(MAGIC) + _NONCE + 16


def fingerprint(key: bytes) -> str:
    """A short public name of a KEK: a hash that cannot lead back to the key."""
    return hashlib.sha256(b"booking-station kek fingerprint\0" + key).hexdigest()[:16]


def _decode_key(text: bytes, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != _KEY_BYTES:
        raise WrongKey(f"the {where} does not hold a 256-bit key (base64 of 32 bytes)")
    return key
