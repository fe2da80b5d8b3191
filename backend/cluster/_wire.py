"""Templates as they travel to and from shard actors: the exact arrays, not the compact bytes.

`Template.to_bytes` rounds minutiae to 1/8 pixel, which would change scores by a hair; a shard
must score exactly what the single process scores, so the float32 arrays travel as they are
(Ray passes numpy arrays without copying them through pickle).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

Wire = tuple[np.ndarray, int, int, np.ndarray, np.ndarray]  # minutiae, width, height, quality, texture


def pack(template) -> Wire:  # type: ignore[no-untyped-def]
    return (template.minutiae, template.width, template.height, template.quality, template.texture)


def unpack(wire: Wire):  # type: ignore[no-untyped-def]
    from matcher import Template

    minutiae, width, height, quality, texture = wire
    return Template(minutiae, width, height, quality, texture)


def pack_probes(probes: Mapping[int, object]) -> dict[int, Wire]:
    return {int(finger): pack(t) for finger, t in probes.items()}


def unpack_probes(probes: Mapping[int, Wire]) -> dict:
    return {int(finger): unpack(w) for finger, w in probes.items()}
