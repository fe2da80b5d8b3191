"""Templates as they travel to and from shard actors: the exact arrays, not the compact bytes.

`Template.to_bytes` rounds minutiae to 1/8 pixel, which would change scores by a hair; a shard
must score exactly what the single process scores, so the float32 arrays travel as they are
(Ray passes numpy arrays without copying them through pickle).
"""

from __future__ import annotations

from collections.abc import Mapping

#: minutiae, width, height, quality, texture, and for a probe its cylinders (bits, valid, minutiae,
#: texture) or None.
Wire = tuple


def pack(template, cylinders: bool = False) -> Wire:  # type: ignore[no-untyped-def]
    """A template as it travels; a probe (`cylinders`) with its cylinders, built here once and not
    again by each of the shards it is sent to."""
    t = template
    c = t.cylinders if cylinders else None
    return (t.minutiae, t.width, t.height, t.quality, t.texture,
            None if c is None else (c.bits, c.valid, c.minutiae, c.texture))  # fmt: skip


def unpack(wire: Wire):  # type: ignore[no-untyped-def]
    from matcher import Template
    from matcher._template import Cylinders

    minutiae, width, height, quality, texture, *rest = wire
    template = Template(minutiae, width, height, quality, texture)
    if rest and rest[0] is not None:
        template._given_cylinders(Cylinders(*rest[0]))
    return template


def pack_probes(probes: Mapping[int, object]) -> dict[int, Wire]:
    return {int(finger): pack(t) for finger, t in probes.items()}


def unpack_probes(probes: Mapping[int, Wire]) -> dict:
    return {int(finger): unpack(w) for finger, w in probes.items()}
