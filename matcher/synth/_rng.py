"""Seeding: every random draw comes from a numpy Generator seeded from a hash of what it is for."""

from __future__ import annotations

import hashlib

import numpy as np

#: Bumped whenever the generator changes what a (subject, finger) looks like; part of every seed
#: and of the disk-cache key, so an old cache is never mixed with new masters.
ALGORITHM_VERSION = 5


def generator(*parts: object) -> np.random.Generator:
    """A Generator seeded from a stable hash of `parts` (not Python's salted hash())."""
    text = "|".join(str(p) for p in (ALGORITHM_VERSION, *parts)).encode()
    digest = hashlib.blake2b(text, digest_size=16).digest()
    return np.random.default_rng(int.from_bytes(digest, "little"))
