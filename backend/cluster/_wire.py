"""Templates as they travel to and from shard actors: the exact arrays, not the compact bytes.

`Template.to_bytes` rounds minutiae to 1/8 pixel, which would change scores by a hair; a shard
must score exactly what the single process scores, so the float32 arrays travel as they are
(Ray passes numpy arrays without copying them through pickle).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class Wire(NamedTuple):
    """One template's arrays and sizes; a probe also carries its cylinders."""

    minutiae: Any
    width: int
    height: int
    quality: float
    texture: Any
    cylinders: tuple | None = None  # (bits, valid, minutiae, texture), or None for a gallery template


def pack(template, cylinders: bool = False) -> Wire:  # type: ignore[no-untyped-def]
    """A template as it travels; a probe (`cylinders`) with its cylinders, built here once and not
    again by each of the shards it is sent to."""
    t = template
    c = t.cylinders if cylinders else None
    cylinder_arrays = None if c is None else (c.bits, c.valid, c.minutiae, c.texture)
    return Wire(t.minutiae, t.width, t.height, t.quality, t.texture, cylinder_arrays)


def unpack(wire: tuple):  # type: ignore[no-untyped-def]
    """A template from its `Wire` (or the bare 5-tuple an older driver sends)."""
    from matcher import Template
    from matcher._template import Cylinders

    w = Wire(*wire)
    template = Template(w.minutiae, w.width, w.height, w.quality, w.texture)
    if w.cylinders is not None:
        template._given_cylinders(Cylinders(*w.cylinders))
    return template


def pack_probes(probes: Mapping[int, object]) -> dict[int, Wire]:
    return {int(finger): pack(t) for finger, t in probes.items()}


def unpack_probes(probes: Mapping[int, Wire]) -> dict:
    return {int(finger): unpack(w) for finger, w in probes.items()}
