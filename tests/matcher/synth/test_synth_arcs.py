"""The fingertip arcs above the core: blending only the rows above gives every bit of the full blend."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.synth import _master


def _blend_everywhere(
    theta: np.ndarray, mask_centre: tuple[float, float], top_y: float, core_y: float, strength: float
) -> np.ndarray:
    """Generator version 11's formula, blended over the whole field."""
    h, w = theta.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = mask_centre
    tangent = np.arctan2(ys - cy, xs - cx) + np.pi / 2
    weight = np.clip((core_y - 15 - ys) / max(core_y - 15 - top_y, 1.0), 0, 1) ** 0.8 * strength
    c = (1 - weight) * np.cos(2 * theta) + weight * np.cos(2 * tangent)
    s = (1 - weight) * np.sin(2 * theta) + weight * np.sin(2 * tangent)
    return np.mod(0.5 * np.arctan2(s, c), np.pi)


@pytest.mark.parametrize(
    ("shape", "core_y"),
    [
        ((579, 465), 236.6),  # as masters have it: a Python float …
        ((591, 455), np.float64(220.2)),  # … or a numpy one (another dtype for the weights)
        ((120, 97), 10.0),  # the weight is 0 on every row
        ((120, 97), 20.0),  # five rows blended
        ((60, 33), 900.0),  # no row below the arcs
    ],
)
def test_arcs_equal_the_blend_over_the_whole_field(shape: tuple[int, int], core_y: float) -> None:
    rng = np.random.default_rng(shape[0])
    theta = rng.uniform(0, np.pi, shape)
    args = ((shape[1] / 2 + 3.3, core_y + 21.7), 24, core_y, 0.74)
    found = _master._arc_top(theta, *args)
    assert found.dtype == np.float64
    assert np.array_equal(found.view(np.uint64), _blend_everywhere(theta, *args).view(np.uint64))
