"""numba for the matcher's kernels: `njit` and `prange`, with cached kernels loaded cheaply.

Every kernel module imports `njit` from here, so this runs before any kernel is loaded.

numba's `Cache.load_overload` refreshes the whole target context before it loads a kernel from the
on-disk cache: it imports and installs every typing and lowering registry numba has, which only
*compiling* needs (≈ 0.13 s of CPU on the project machine under load, once per process; about half
of it comes back because the cached code's environments import some of the same modules). Loading
compiled code needs the NRT (the kernels allocate arrays through it), nothing else: `reload_init`
of each cached kernel does the rest (e.g. starting the threading layer of a parallel one), and a
cache miss goes on to compile, whose first step (`CompilerBase.__init__`) refreshes the contexts.
So a 1:1 match after a restart loads its four kernels without the refresh.

The method is replaced on numba's `Cache` class, so for every cached function in the process (all
of them the matcher's in this project). It is installed only over the method it was written
against (numba 0.68.1: the same three names used, in that order); a numba whose method differs
keeps its own.
"""

from __future__ import annotations

from numba import njit, prange
from numba.core import caching
from numba.core.runtime import rtsys

__all__ = ["njit", "prange"]

# What numba's own load_overload does: refresh the context, then load under its I/O guard.
_EXPECTED_NAMES = ("refresh", "_guard_against_spurious_io_errors", "_load_overload")


def _load_overload(self: caching.Cache, sig, target_context):  # noqa: ANN001, ANN202 - numba's types
    rtsys.initialize(target_context)  # cached code calls the NRT; idempotent and cheap after the first
    with self._guard_against_spurious_io_errors():
        return self._load_overload(sig, target_context)
    # None returned if the `with` block swallows an exception (as in numba's method)


def _install() -> bool:
    current = caching.Cache.load_overload
    if current is _load_overload:
        return True
    if current.__code__.co_names != _EXPECTED_NAMES:
        return False
    caching.Cache.load_overload = _load_overload
    return True


INSTALLED = _install()
