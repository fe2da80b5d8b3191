"""Secrets on disk: private keys and key-encryption keys live in 0600 files inside 0700 folders.

Written atomically (a crash leaves the old file or the new one, never half a key), created with
their final mode (never briefly readable by others), and checked when read: a key file that
others can read is refused with a message that says how to fix it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from booking_station.runtime import UserError


class InsecureKeyFile(UserError):
    """A secret whose file or folder other users can read or write."""


def private_dir(path: Path) -> Path:
    """The folder, created if needed, with mode 0700 (only its owner may list or enter it)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write a secret as a 0600 file in a 0700 folder, atomically."""
    path = Path(path)
    private_dir(path.parent)
    return _write(path, data, 0o600)


def write_public(path: Path, data: bytes) -> Path:
    """Write a file others may read (a certificate, a revocation list), atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return _write(path, data, 0o644)


def read_private(path: Path) -> bytes:
    """Read a secret, refusing one that others can read or change."""
    path = Path(path)
    check_private(path)
    return path.read_bytes()


def check_private(path: Path) -> None:
    """Raise InsecureKeyFile when `path` or its folder is open to group or others."""
    path = Path(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InsecureKeyFile(
            f"the key file {path} has mode {mode:04o}: other users could read it. "
            f"Make it private with: chmod 600 {path}"
        )
    folder_mode = stat.S_IMODE(path.parent.stat().st_mode)
    if folder_mode & 0o022:
        raise InsecureKeyFile(
            f"the folder {path.parent} of the key file {path} has mode {folder_mode:04o}: other users "
            f"could replace the key. Make it private with: chmod 700 {path.parent}"
        )


def _write(path: Path, data: bytes, mode: int) -> Path:
    # A partial file of its own for each write (mkstemp: 0600, never an existing name): two threads
    # writing the same file must not share one (one's rename took the other's, which then failed).
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    partial = Path(name)
    try:
        os.fchmod(fd, mode)  # mkstemp made it 0600: a public file (a certificate) is opened up here
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return path
