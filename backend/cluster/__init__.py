"""The backend's galleries on a Ray cluster: shards served by actors, searched by fan-out.

The embedded single process stays the default (`booking-station backend` without `--cluster`);
nothing here is imported then, and Ray is an optional extra (`pip install 'booking-station[cluster]'`).

A gallery (NGI criminal, IDENT) is split by subject into K shards (`shard_of`: all ten fingers of
a subject in one shard, so tenprint fusion happens inside the shard). Each shard is a saved
`matcher.Gallery` folder, with its index, on the local disk of the node that serves it, kept
resident by one Ray actor (`_shard.ShardServer`). A `ShardedGallery` answers `search_tenprint` and
`search` like a `matcher.Gallery`, with the same candidates, scores and order: the search runs in
the stages of `matcher._parts` (index figures from every shard, one shortlist over the whole
gallery made by the driver, each shard scoring its part of it, the best merged). So the
backend's decision code (`backend.ngi.search`) is the same for both.

A shard whose actor dies is restarted by Ray on its files (the actor's constructor loads them) and
the search is sent again; while a shard stays unavailable a search raises `ShardsUnavailable`
(a `backend.ngi.GalleryUnavailable`): the submission waits and is answered later, never with a
non-identification from part of the gallery.

Modules: `_connect` (reaching the cluster), `_placement` (subject -> shard, shard -> node),
`_shard` (the actor), `_gallery` (fan-out and merge), `_population` (the backend's population
enrolled into shards on the cluster's workers), `_bench` and `cli` (`bench search --cluster`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend.cluster._connect import connect, require_ray
    from backend.cluster._gallery import ShardedGallery, ShardsUnavailable
    from backend.cluster._placement import shard_of

__all__ = ["ShardedGallery", "ShardsUnavailable", "connect", "require_ray", "shard_of"]

_LAZY = {
    "connect": "backend.cluster._connect",
    "require_ray": "backend.cluster._connect",
    "ShardedGallery": "backend.cluster._gallery",
    "ShardsUnavailable": "backend.cluster._gallery",
    "shard_of": "backend.cluster._placement",
}


def __getattr__(name: str):  # noqa: ANN202
    # Lazy: importing the package (the CLI's registration, the processor) must not import Ray.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'backend.cluster' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
