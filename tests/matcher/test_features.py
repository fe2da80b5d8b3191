"""Foreground segmentation: the print, not the sensor's frame."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from matcher import _features


def _framed(print_img: np.ndarray, margin: int = 16, wedge: int = 14) -> np.ndarray:
    """Ridges from the top to the bottom edge, then a bright margin and a dark wedge on each side.

    That is how fvc2004_db2_b's optical sensor frames a print: the wedges' sharp straight edges
    have a large grey-level spread but no ridges.
    """
    h, w = print_img.shape
    core = print_img[60 : h - 60, 30 : w - 30]
    ch, cw = core.shape
    img = np.full((ch, cw + 2 * (wedge + margin)), 235, np.uint8)
    img[:, wedge + margin : wedge + margin + cw] = core
    img[:, :wedge] = 120
    img[:, -wedge:] = 120
    return img


def test_segmentation_keeps_the_print_and_drops_the_frame(prints) -> None:
    img = _framed(prints[0])
    mask = _features.segment(img.astype(np.float32))
    inner = mask[:, 14 + 16 + 20 : -14 - 16 - 20]
    assert inner.mean() > 0.99
    assert mask[:, :14].sum() == 0
    assert mask[:, -14:].sum() == 0


def test_segmentation_of_a_blank_image_is_empty() -> None:
    assert _features.segment(np.full((300, 300), 220, np.float32)).sum() == 0


def test_segmentation_fills_holes_but_not_bays() -> None:
    # A smudge inside the print is still the finger; a notch open to the image's edge is not.
    img = np.full((300, 300), 220.0, np.float32)
    y, x = np.mgrid[0:300, 0:300]
    ridges = 128 - 100 * np.cos(2 * np.pi * (x + 0.3 * y) / 9.0)
    inside = (x > 20) & (x < 280) & (y > 20)  # the print runs off the bottom edge
    img[inside] = ridges[inside]
    img[120:170, 120:170] = 128  # a smudge, 50 px: no ridges
    img[230:, 140:190] = 220  # a bay from the bottom edge
    mask = _features.segment(img)
    assert mask[145, 145] == 1
    assert mask[290, 165] == 0
    assert mask[60, 60] == 1 and mask[5, 5] == 0


@pytest.mark.parametrize("seed", range(4))
def test_components_are_opencvs_4_connected_components(seed: int) -> None:
    rng = np.random.default_rng(seed)
    mask = (rng.random((120, 150)) < 0.45 + 0.05 * seed).astype(np.uint8)
    mask[40:80, 30:120] = 1  # one big component among many small ones
    labels, areas = _features._components(mask)
    n, cv_labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
    assert len(areas) == n
    assert sorted(areas[1:]) == sorted(stats[1:, cv2.CC_STAT_AREA])
    # The same partition: each of our labels is exactly one of OpenCV's.
    pairs = {(a, b) for a, b in zip(labels.ravel(), cv_labels.ravel(), strict=True)}
    assert len(pairs) == n and len({a for a, _b in pairs}) == n
    assert all(areas[k] == (labels == k).sum() for k in range(1, n, 7))
