"""Which shard holds a subject, which node serves a shard, and where its files are on that node."""

from __future__ import annotations

import hashlib


def shard_of(subject_id: str, shards: int) -> int:
    """The shard of a subject: a stable hash (the same in every process and release), so every
    finger of a subject, at every enrolment, goes to one shard."""
    digest = hashlib.sha256(subject_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards


def shard_name(index: int, shards: int) -> str:
    return f"shard-{index:03d}-of-{shards:03d}"


def place(holders: list[list[str]], nodes: list[str]) -> list[str]:
    """A node for each shard: of the nodes that hold its files, when any alive one does, else of
    all alive nodes, the one serving the fewest shards so far (ties: the first in node-id order)."""
    if not nodes:
        raise ValueError("the cluster has no alive node to place shards on")
    load = {node: 0 for node in sorted(nodes)}
    chosen = []
    for have in holders:
        candidates = [node for node in load if node in have] or list(load)
        node = min(candidates, key=lambda n: load[n])
        load[node] += 1
        chosen.append(node)
    return chosen
