"""The checks of one captured print, as pure functions run in a worker process (compute.py).

`analyse` is what `CaptureWorkflow.judge` needs before it decides: a slap's segmentation and each
finger's quality, a rolled print's quality with its block map, and whether the platen is dirty.
Nothing here touches the store or the station: the arguments and the result cross a process
boundary (pickled), and the caller records what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from booking_station.fingers import RIGHT_SLAP, SLAP_FINGERS

if TYPE_CHECKING:
    from drivers.platen import PlatenReport
    from matcher import QualityReport
    from matcher.slaps import SlapSegmentation


@dataclass(frozen=True)
class Analysis:
    report: QualityReport | None  # the whole image's (rolled prints; a slap's comes on demand)
    segmentation: SlapSegmentation | None  # slaps and thumbs
    finger_quality: dict[int, int]  # FGP -> quality score
    platen: PlatenReport


def analyse(
    image: np.ndarray,
    ppi: float,
    position: int,
    flat: bool,
    fingers: tuple[int, ...],
    missing: frozenset[int],
) -> Analysis:
    """Segment (flat) and score the print of step `position` (FGP), and look for residue on the platen."""
    from drivers.platen import check_platen
    from matcher import quality
    from matcher.slaps import segment_slap

    segmentation = None
    finger_quality: dict[int, int] = {}
    # The whole image's block map is the overlay of a rolled print; for a slap it costs several
    # times the fingers' own scores, so the UI asks for it separately (`quality_report`).
    report = None if flat else quality(image, ppi)
    if flat:
        segmentation = segment_slap(image, ppi, fingers, missing=missing & set(fingers))
        for finger in segmentation.fingers:
            if finger.finger:
                finger_quality[finger.finger] = quality(finger.image, ppi).score
    else:
        finger_quality[position] = report.score
    return Analysis(report, segmentation, finger_quality, check_platen(image, ppi, flat=flat))


def quality_report(image: np.ndarray, ppi: float) -> QualityReport:
    """The quality block map over a whole image (a slap's overlay, the live preview's)."""
    from matcher import quality

    return quality(image, ppi)


def warm_up() -> None:
    """Run each check once on a small synthetic print, so that the numba kernels are loaded."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:320, 0:320]
    ridges = 128 + 100 * np.sin(xx / 3.0 + np.sin(yy / 40.0))
    image = np.clip(ridges + rng.normal(0, 10, ridges.shape), 0, 255).astype(np.uint8)
    try:
        analyse(image, 500.0, 2, False, (2,), frozenset())
        analyse(np.hstack([image] * 4), 500.0, RIGHT_SLAP, True, SLAP_FINGERS[RIGHT_SLAP], frozenset())
    except Exception:  # noqa: BLE001 - a warm-up that fails only means the first real check loads them
        pass
