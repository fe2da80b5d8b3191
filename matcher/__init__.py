"""Fingerprint science: images, features, quality, templates, MCC matching, search, synthesis.

    from matcher import Template, Matcher, Gallery, quality
    t = Template.from_image(image, ppi)          # image: 2-D uint8, dark ridges
    Matcher(t).score(other)                      # similarity in [0, 1]
    quality(image, ppi).score                    # 0–100, with a block map

Importing this package is light; numba kernels compile (or load from cache) on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Decision thresholds on Matcher.score, measured with `booking-station bench threshold`
# (docs/benchmarks.md has the commands and figures). LSS-R scores are small numbers.
# Single finger: the score at false match rate 1 in 10 000 (0.0208) over the 113 280 cross-finger
# impostor pairs of the six FVC sets, with the texture weight (scores are about 0.6× those without
# it; it was 0.032 before). (Synthetic fingers of generator version 8 reach it in 9 of 8 700
# impostor pairs, 0.10 %; version 7's, with too-similar orientation fields, did in 195.)
FINGER_MATCH_THRESHOLD = 0.021
# Mean over the probe's fingers (Gallery.search_tenprint). Chosen, not a quantile (docs/benchmarks.md,
# "Matcher accuracy (issue 24)"): ten fingers drawn independently from the 113 280 FVC impostor
# pairs never reached a mean of 0.012 in 2 million simulated subjects, the best of every synthetic
# non-mated search stayed below 0.02, while the one real person's flats against their own rolled
# prints (NBIS card, 250 ppi) score 0.055 and ten FVC genuine pairs of wet fvc2004_db2_b prints fall
# below 0.05 in 47 % of simulated searches (3.4 % below 0.03). It was 0.05 until issue 24.
TENPRINT_IDENT_THRESHOLD = 0.03

if TYPE_CHECKING:
    from matcher._gallery import Candidate, Gallery, TenprintCandidate
    from matcher._matcher import Matcher
    from matcher._quality import QualityReport
    from matcher._template import Template

__all__ = [
    "FINGER_MATCH_THRESHOLD",
    "TENPRINT_IDENT_THRESHOLD",
    "Candidate",
    "Gallery",
    "Matcher",
    "QualityReport",
    "Template",
    "TenprintCandidate",
    "quality",
]

_LAZY = {
    "Template": "matcher._template",
    "Matcher": "matcher._matcher",
    "Gallery": "matcher._gallery",
    "Candidate": "matcher._gallery",
    "TenprintCandidate": "matcher._gallery",
    "QualityReport": "matcher._quality",
}


def quality(image, ppi: float):  # noqa: ANN001, ANN201 - typed in matcher._quality
    """NFIQ 2-style quality of one print: QualityReport(score 0–100, block_map, block_size)."""
    from matcher import _features, _quality

    img, f = _features.analyse(image, ppi)
    return _quality.assess(img, f, ppi)


def __getattr__(name: str):  # noqa: ANN202
    # Lazy: `import matcher` (and `booking-station --help`) must not pull in numba or OpenCV.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'matcher' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
