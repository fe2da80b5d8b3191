"""Seeding: every random draw comes from a numpy Generator seeded from a hash of what it is for."""

from __future__ import annotations

import hashlib

import numpy as np

#: Bumped whenever masters, impressions or their ground truth change. It keys the disk cache (an
#: old cache is never mixed with new masters); caches of things made from synthetic prints (e.g.
#: enrolled galleries) can key on it too.
ALGORITHM_VERSION = 11

# Part of every seed. Changing it gives every subject new fingers: other parts of the project
# (tests, the backend's cached galleries) rely on subject n staying the same person.
_SEED_SALT = 5


def generator(*parts: object) -> np.random.Generator:
    """A Generator seeded from a stable hash of `parts` (not Python's salted hash())."""
    text = "|".join(str(p) for p in (_SEED_SALT, *parts)).encode()
    digest = hashlib.blake2b(text, digest_size=16).digest()
    return np.random.default_rng(int.from_bytes(digest, "little"))
