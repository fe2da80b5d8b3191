"""`bench search --cluster ADDRESS --shards K`: the search bench on a sharded gallery (registered
as an extension of the matcher's `bench search`, whose other options it shares)."""

from __future__ import annotations

import argparse
from pathlib import Path


def extend(actions: argparse._SubParsersAction) -> None:
    search = actions.choices.get("search")
    if search is None:
        return
    group = search.add_argument_group("on a Ray cluster (backend.cluster)")
    group.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="shard the gallery over a Ray cluster: auto, ray://HOST:PORT or HOST:PORT (the cluster extra); "
        "--threads is then numba threads per shard (default 1), --save-gallery/--load-gallery a folder "
        "on every node holding its shards",
    )
    group.add_argument(
        "--shards", type=int, default=4, metavar="K", help="shards (default 4; with --cluster)"
    )
    group.add_argument(
        "--compare-single",
        action="store_true",
        help="with --cluster: also build the same gallery in this process (saved beside the shards with "
        "--save-gallery, loaded with --load-gallery) and compare search time and top-10 lists",
    )
    group.add_argument(
        "--from-gallery",
        metavar="DIR",
        type=Path,
        help="with --cluster: instead of building a gallery, split the one the one-process bench saved in "
        "DIR (bench search --save-gallery) into K sealed shards by subject (its index renumbered, no "
        "synthesis; written under --save-gallery, on this machine) and compare with it (--compare-single)",
    )
    single = search.get_default("func")
    search.set_defaults(func=lambda args: _dispatch(args, single))


def _dispatch(args: argparse.Namespace, single) -> int:  # type: ignore[no-untyped-def]
    if args.cluster is None:
        if args.compare_single:
            from booking_station.runtime import UserError

            raise UserError("--compare-single needs --cluster")
        return single(args)
    if args.fvc:
        from booking_station.runtime import UserError

        raise UserError("--fvc is a single-process bench: drop --cluster")
    from backend.cluster import _bench

    return _bench.search(args)
