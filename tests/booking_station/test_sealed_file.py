"""Sealed files (booking_station.envelope.SealedFileWriter / read_file), and the writer whose first
bytes may be replaced before it is closed (an .npy header whose row count is known only at the end)."""

from __future__ import annotations

import struct

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from booking_station import envelope
from booking_station.envelope import Sealer, WrongKey

CHUNK = envelope._FILE_CHUNK
KEY = bytes(range(32))
CONTEXT = b"booking-station test/file"


class _Recording:
    """An AEAD that notes every (nonce, plaintext) it encrypts."""

    def __init__(self, aead: AESGCM) -> None:
        self.aead, self.sealed = aead, []

    def encrypt(self, nonce: bytes, data: bytes, aad: bytes) -> bytes:
        self.sealed.append((bytes(nonce), bytes(data)))
        return self.aead.encrypt(nonce, data, aad)


def _plaintext(size: int) -> bytes:
    return bytes((k * 7 + k // 251) % 256 for k in range(size))


def _written(sealer: Sealer, path, data: bytes, head: bytes, rewritable: bool) -> None:
    """`data` written in uneven pieces, then its start replaced by `head` (when rewritable)."""
    fh = (
        sealer.file_writer(path, CONTEXT, rewritable_start=True)
        if rewritable
        else sealer.file_writer(path, CONTEXT)
    )
    with fh:
        for lo in range(0, len(data), 300_001):
            fh.write(data[lo : lo + 300_001])
        if rewritable:
            fh.rewrite_start(head)


@pytest.mark.parametrize("size", [0, 1000, CHUNK, CHUNK + 1, 3 * CHUNK + 5])
def test_a_file_with_its_start_rewritten_opens_to_the_final_plaintext(tmp_path, monkeypatch, size) -> None:
    data = _plaintext(size)
    head = b"HEADER v2 rows=123"[:size]
    final = head + data[len(head) :]
    monkeypatch.setattr(envelope.os, "urandom", lambda n: b"\x5a" * n)  # one nonce prefix for both files
    sealer = Sealer(KEY)
    recording = _Recording(sealer._aead)
    sealer._aead = recording  # type: ignore[assignment]
    _written(sealer, tmp_path / "rewritten", data, head, rewritable=True)
    assert Sealer(KEY).read_file(tmp_path / "rewritten", CONTEXT) == final
    # Every nonce sealed one plaintext once, the final one: the file is the one a plain writer
    # makes of the final plaintext, byte for byte.
    nonces = [nonce for nonce, _data in recording.sealed]
    assert len(nonces) == len(set(nonces)) == max(1, -(-size // CHUNK))
    assert b"".join(data for _nonce, data in sorted(recording.sealed, key=lambda s: s[0][7:11])) == final
    _written(Sealer(KEY), tmp_path / "plain", final, b"", rewritable=False)
    assert (tmp_path / "rewritten").read_bytes() == (tmp_path / "plain").read_bytes()


def test_a_start_rewritten_twice_keeps_the_last(tmp_path) -> None:
    sealer = Sealer(KEY)
    with sealer.file_writer(tmp_path / "f", CONTEXT, rewritable_start=True) as fh:
        fh.write(b"a" * 10)
        fh.rewrite_start(b"bbb")
        fh.write(b"c" * (2 * CHUNK))
        fh.rewrite_start(b"dd")
    assert sealer.read_file(tmp_path / "f", CONTEXT) == b"ddb" + b"a" * 7 + b"c" * (2 * CHUNK)


def test_a_rewrite_beyond_the_first_chunk_or_the_written_bytes_is_refused(tmp_path) -> None:
    sealer = Sealer(KEY)
    with sealer.file_writer(tmp_path / "f", CONTEXT, rewritable_start=True) as fh:
        fh.write(b"x" * 10)
        with pytest.raises(ValueError, match="not written yet"):
            fh.rewrite_start(b"y" * 11)
        fh.write(b"x" * (3 * CHUNK))
        with pytest.raises(ValueError, match="first chunk"):
            fh.rewrite_start(b"y" * (CHUNK + 1))
        fh.rewrite_start(b"y" * CHUNK)
    assert sealer.read_file(tmp_path / "f", CONTEXT) == b"y" * CHUNK + b"x" * (2 * CHUNK + 10)
    with pytest.raises(ValueError, match="closed"):
        fh.rewrite_start(b"z")
    with sealer.file_writer(tmp_path / "plain", CONTEXT) as plain:
        plain.write(b"x" * 10)
        with pytest.raises(ValueError, match="rewritable_start"):
            plain.rewrite_start(b"y")


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_rewritten_file_altered_or_cut_short_does_not_open(tmp_path, where) -> None:
    sealer = Sealer(KEY)
    _written(sealer, tmp_path / "f", _plaintext(2 * CHUNK + 9), b"HEAD", rewritable=True)
    raw = bytearray((tmp_path / "f").read_bytes())
    at = envelope._FILE_HEADER.size + 5 if where == "first" else len(raw) - 3
    raw[at] ^= 1
    (tmp_path / "altered").write_bytes(raw)
    with pytest.raises(WrongKey, match="altered"):
        sealer.read_file(tmp_path / "altered", CONTEXT)
    (tmp_path / "short").write_bytes((tmp_path / "f").read_bytes()[: -(9 + 16)])  # last chunk dropped
    with pytest.raises(WrongKey, match="altered"):
        sealer.read_file(tmp_path / "short", CONTEXT)


def test_the_plain_writer_writes_the_stream_construction_unchanged(tmp_path, monkeypatch) -> None:
    # Header, then AES-GCM chunks of 1 MiB: nonce = prefix(7) + counter(4) + last flag(1), the
    # context and header authenticated; files sealed before this change must keep opening.
    monkeypatch.setattr(envelope.os, "urandom", lambda n: b"\x07" * n)
    data = _plaintext(2 * CHUNK + 1234)
    _written(Sealer(KEY), tmp_path / "f", data, b"", rewritable=False)
    header = b"BSF1" + envelope._key_id(KEY) + struct.pack(">I", CHUNK) + b"\x07" * 7
    aead, chunks = AESGCM(KEY), [data[lo : lo + CHUNK] for lo in range(0, len(data), CHUNK)]
    expected = header + b"".join(
        aead.encrypt(b"\x07" * 7 + struct.pack(">IB", k, k == len(chunks) - 1), c, CONTEXT + b"\0" + header)
        for k, c in enumerate(chunks)
    )
    assert (tmp_path / "f").read_bytes() == expected
