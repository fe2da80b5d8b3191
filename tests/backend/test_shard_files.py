"""A shard actor's files, in this process (no Ray): what a restarted actor loads."""

from __future__ import annotations

import os

import numpy as np
import pytest


@pytest.fixture(scope="module")
def people() -> dict[str, dict]:
    from matcher import _fillers

    pool = [t for _finger, t, _probe in _fillers.mates(2)]
    rng = np.random.default_rng(7)
    return {
        f"S{s}": {f: _fillers.derive(pool[s % 2], pool[(s + f) % 2], rng) for f in (1, 2)} for s in range(6)
    }


def test_a_small_shard_restarts_on_its_saved_cylinders(tmp_path, people, monkeypatch) -> None:
    """A shard of a gallery searched without the index keeps its cylinders with its files: a
    restarted actor does not build them again (5 of the 11 s a killed small shard took to answer)."""
    from backend.cluster._shard import ShardServer
    from matcher import Gallery, _index

    monkeypatch.setattr(ShardServer, "info", lambda self: {})  # asks Ray's runtime, absent here
    key = os.urandom(32)
    first = ShardServer(str(tmp_path), "s0", 1, key)
    first.add([(sid, f, _pack(t)) for sid, fingers in people.items() for f, t in fingers.items()])
    first.save(indexed=False)
    single = Gallery()
    for sid, fingers in people.items():
        for f, t in fingers.items():
            single.add(sid, f, t)
    probe = people["S3"][2]
    expected = single.search(probe, top=5)

    def refuse(*_args):  # type: ignore[no-untyped-def]
        raise AssertionError("the restarted shard built its cylinders again")

    monkeypatch.setattr(_index, "cylinders_many", refuse)
    restarted = ShardServer(str(tmp_path), "s0", 1, key)
    assert restarted.complete and restarted.refused is None and len(restarted.gallery) == 12
    opened, _s = restarted.open("x", [(_pack(probe), None)], False, False)
    (found,), _s = restarted.score("x", [None], 5, False)
    assert [(str(s), int(f), float(v)) for _p, v, s, f in zip(*found, strict=True)] == [
        (c.subject_id, c.finger, c.score) for c in expected
    ]


def _pack(template):  # type: ignore[no-untyped-def]
    from backend.cluster import _wire

    return _wire.pack(template)


def test_a_probe_travels_with_its_cylinders_so_shards_do_not_build_them_again(monkeypatch) -> None:
    """A probe is sent to every shard: its cylinders are built once by the sender and travel with
    it, exactly (a shard building its own would spend the same CPU K times)."""
    from backend.cluster import _wire
    from matcher import _fillers, _index

    _finger, _enrolled, probe = next(_fillers.mates(1))
    sent = _wire.pack(probe, cylinders=True)
    monkeypatch.setattr(_index, "_build", lambda *_a: pytest.fail("the shard built the probe's cylinders"))
    got = _wire.unpack(sent)
    for name in ("bits", "valid", "minutiae", "texture"):
        assert np.array_equal(getattr(got.cylinders, name), getattr(probe.cylinders, name)), name
    assert np.array_equal(got.minutiae, probe.minutiae) and np.array_equal(got.texture, probe.texture)
    # Templates enrolled travel without them (the shard's index is built from minutiae).
    assert _wire.pack(probe)[-1] is None
