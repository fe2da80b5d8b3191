"""numba for the matcher's kernels: `njit` and `prange`, with cached kernels loaded cheaply.

Every kernel module takes `njit` from here.

numba's `FunctionCache.load_overload` refreshes the whole target context before it loads a kernel
from the on-disk cache: it imports and installs every typing and lowering registry numba has, which
only *compiling* needs (≈ 0.13 s of CPU on the project machine under load, once per process; about
half of it comes back because the cached code's environments import some of the same modules).
Loading compiled code needs the NRT (the kernels allocate arrays through it), nothing else:
`reload_init` of each cached kernel does the rest (e.g. starting the threading layer of a parallel
one), and a cache miss goes on to compile, whose first step (`CompilerBase.__init__`) refreshes the
contexts. So a 1:1 match after a restart loads its four kernels without the refresh.

Only the kernels made by this module's `njit` get the lighter loader (numba's own class is left
alone for any other numba code in the process), and only while numba's method is the one this was
written against (numba 0.68.1: the same three names used, in that order); otherwise they keep
numba's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba
from numba import prange
from numba.core import caching
from numba.core.runtime import rtsys

__all__ = ["njit", "prange"]

# What numba's own load_overload does: refresh the context, then load under its I/O guard.
_EXPECTED_NAMES = ("refresh", "_guard_against_spurious_io_errors", "_load_overload")


class _LoadOnlyCache(caching.FunctionCache):
    """numba's function cache, loading without the registry refresh."""

    def load_overload(self, sig, target_context):  # noqa: ANN001, ANN201 - numba's types
        rtsys.initialize(target_context)  # cached code calls the NRT; idempotent and cheap after the first
        with self._guard_against_spurious_io_errors():
            return self._load_overload(sig, target_context)
        # None returned if the `with` block swallows an exception (as in numba's method)


def _loader_matches(method: Callable[..., Any]) -> bool:
    return method.__code__.co_names == _EXPECTED_NAMES


LIGHT_LOADER = _loader_matches(caching.FunctionCache.load_overload)


def _light(dispatcher: Any) -> Any:  # noqa: ANN401 - a numba Dispatcher
    if LIGHT_LOADER and type(dispatcher._cache) is caching.FunctionCache:
        dispatcher._cache = _LoadOnlyCache(dispatcher.py_func)
    return dispatcher


def njit(*args: Any, **options: Any) -> Any:  # noqa: ANN401 - numba's decorator, as numba.njit
    """`numba.njit`, whose cached kernels load without the registry refresh."""
    if len(args) == 1 and callable(args[0]) and not options:  # bare @njit
        return _light(numba.njit(args[0]))
    decorate = numba.njit(*args, **options)
    return lambda func: _light(decorate(func))
