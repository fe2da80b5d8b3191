"""The key the backend's gallery files are sealed with (templates are biometric CJI at rest).

One data key per galleries folder (`data_dir/galleries/key.json`), wrapped by the backend's
key-encryption key: the same KEK, and the same envelope (`booking_station.envelope`), as the
backend database's data key. Every gallery under that folder, and every shard of the galleries on
a Ray cluster, is sealed with it; a key rotation re-wraps it with the new KEK (`rewrap`), so the
old KEK opens neither the database nor the galleries, and the gallery files need no rewriting.

Galleries built ahead of time for an installation (`backend --prepare-only --ship`) are of the
synthetic population only, the same on every install; they are sealed with a shipping key kept
beside them (`shipping.key`: no secret, it guards against altered files, not readers), and the
first start re-seals them under the backend's own key into its data folder.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from booking_station.envelope import KeyEncryptionKey, KeyProblem, Sealer, WrappedKey, WrongKey
from booking_station.private_files import private_dir, write_private, write_public
from booking_station.runtime import UserError

KEY_FILE = "key.json"
SHIPPING_KEY_FILE = "shipping.key"


def sealer(galleries: Path, kek: KeyEncryptionKey) -> Sealer:
    """The gallery key of the folder `galleries`, unwrapped by `kek`; made on first use."""
    path = Path(galleries) / KEY_FILE
    if not path.exists():
        private_dir(path.parent)
        made, wrapped = Sealer.create(kek)
        try:  # two backends sharing the folder: the first one's key is kept
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                json.dump(wrapped.to_json(), out)
            return made
    try:
        wrapped = WrappedKey.from_json(json.loads(path.read_text()))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise WrongKey(f"{path} is damaged ({exc}): the galleries under it cannot be opened") from None
    try:
        return Sealer.open(kek, wrapped)
    except KeyProblem as exc:
        raise type(exc)(f"{path}: {exc}") from None


def rewrap(galleries: Path, old: KeyEncryptionKey, new: KeyEncryptionKey) -> bool:
    """Key rotation: the galleries' key wrapped by `new` (the files stay as they are); False when
    the folder has none yet."""
    path = Path(galleries) / KEY_FILE
    if not path.exists():
        return False
    write_private(path, json.dumps(sealer(galleries, old).rewrap(new).to_json()).encode())
    return True


def shipping_sealer(galleries: Path, create: bool = False) -> Sealer | None:
    """The shipping key of galleries built for an installation (None when there is none)."""
    path = Path(galleries) / SHIPPING_KEY_FILE
    if not path.exists():
        if not create:
            return None
        write_public(path, base64.b64encode(os.urandom(32)) + b"\n")
    try:
        return Sealer(base64.b64decode(path.read_bytes().strip(), validate=True))
    except ValueError:
        raise UserError(f"{path} is damaged: the shipped galleries cannot be opened") from None
