"""Is the platen dirty? Latent residue (old prints, grease) left on the glass, found in a capture.

A print's quality is judged inside the finger, so residue beside it leaves the score at 100 while
the image carries someone else's ridges. Residue shows up *outside* the fingers as smudges that are
darker than the bare platen over an area (not the sparse dots of sensor noise or of sweat pores
around a rolled print) and that have an oriented, ridge-like texture (an old print's marks).

    report = check_platen(image, ppi)
    if report.dirty: ...  # ask for the platen to be cleaned; report.boxes says where

The thresholds were tuned on the virtual scanner's dirty platen (`virtual-scanner dirty`) and its
clean prints (6 subjects × rolled, slap and thumbs: residue 0–1.3 mm² clean, 13.6–189 mm² dirty)
and checked on real prints: 6 of the 480 FVC 2002/2004 "B" images are flagged, among them FVC2002
DB2 103_8, which does show an earlier finger's faint ridges above the print, and about twenty more sit at 6-10 mm², just below the threshold (real platens are rarely spotless);
none of the 7 NBIS rolled card prints, nor of the card's slaps with the wider margin of flat
captures (at the rolled margin their ink drag between the fingers reads as residue). tests/drivers/test_platen.py holds these cases. Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: Darker than the bare platen nearby by at least this many grey levels (after a median that
#: removes sparse dots) ...
DARKER_BY = 12.0
#: ... with at least this much orientation coherence (0 = no direction, 1 = parallel stripes) ...
COHERENCE = 0.4
#: ... and a texture at least this many times stronger than the bare platen's median ...
TEXTURE = 1.3
#: ... in smudges of at least this area each (mm²) ...
SMUDGE_MM2 = 1.0
#: ... adding up to this much residue (mm²): the platen needs cleaning.
DIRTY_MM2 = 10.0
#: Smudges within this distance of a finger (mm) are the finger's own; for slaps and thumbs, more.
MARGIN_MM = 1.5
FLAT_MARGIN_MM = 4.0
#: Analysed at this resolution at most: residue is millimetres wide, and a 500 ppi slap costs a quarter.
_WORK_PPI = 250.0


@dataclass(frozen=True)
class PlatenReport:
    dirty: bool
    residue_mm2: float  # area of the residue found outside the fingers
    boxes: tuple[tuple[int, int, int, int], ...] = ()  # (x, y, w, h) of each smudge, image pixels


def check_platen(image: np.ndarray, ppi: float, *, flat: bool = False) -> PlatenReport:
    """Look for residue on the platen outside the fingers of one capture (2-D uint8, dark ridges).

    `flat`: a slap or both thumbs, where the hand's lighter parts (lower phalanges, the edge of a
    lightly pressed finger; ink drag on a card) lie near the fingertips, so only smudges further
    from them count (FLAT_MARGIN_MM instead of MARGIN_MM)."""
    if image.ndim != 2 or min(image.shape) < 16 or ppi <= 0:
        return PlatenReport(False, 0.0)
    scale = min(1.0, _WORK_PPI / ppi)
    work = (
        image if scale == 1.0 else cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    )
    work = np.ascontiguousarray(work, dtype=np.uint8)
    mm = ppi * scale / 25.4
    residue = _residue_mask(work, mm, FLAT_MARGIN_MM if flat else MARGIN_MM)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(residue.astype(np.uint8))
    areas = stats[1:, cv2.CC_STAT_AREA] / mm**2
    kept = [i for i, area in enumerate(areas, start=1) if area >= SMUDGE_MM2]
    total = float(sum(areas[i - 1] for i in kept))
    boxes = tuple(
        tuple(int(round(v / scale)) for v in stats[i, :4])  # type: ignore[misc]
        for i in kept
    )
    return PlatenReport(total >= DIRTY_MM2, round(total, 1), boxes)  # type: ignore[arg-type]


def _residue_mask(img: np.ndarray, mm: float, margin_mm: float) -> np.ndarray:
    x = img.astype(np.float32)
    background = ~_finger_area(img, mm, margin_mm)
    # How much darker than the bare platen around it: the median drops sparse dots (noise, pores),
    # the local maximum of the medians is the platen's own level (it varies with the lighting).
    median = cv2.medianBlur(img, _odd(0.8 * mm)).astype(np.float32)
    level = cv2.dilate(median, np.ones((_odd(5 * mm),) * 2, np.uint8))
    level = cv2.GaussianBlur(level, (0, 0), 2 * mm)
    darker = level - median
    # Oriented texture at ridge frequencies (structure tensor of a band-pass image).
    band = cv2.GaussianBlur(x, (0, 0), 0.08 * mm) - cv2.GaussianBlur(x, (0, 0), 0.5 * mm)
    gx = cv2.Sobel(band, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(band, cv2.CV_32F, 0, 1)
    sigma = 0.6 * mm
    jxx = cv2.GaussianBlur(gx * gx, (0, 0), sigma)
    jyy = cv2.GaussianBlur(gy * gy, (0, 0), sigma)
    jxy = cv2.GaussianBlur(gx * gy, (0, 0), sigma)
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / (jxx + jyy + 1e-3)
    # Stripes that stand out of the platen's own noise (flat glass has a direction by chance).
    energy = np.sqrt(jxx + jyy)
    noise = float(np.median(energy[background])) if background.any() else 0.0
    textured = energy > TEXTURE * noise
    candidates = (background & (darker > DARKER_BY) & (coherence > COHERENCE) & textured).astype(np.uint8)
    # A smudge that reaches the fingers' margin is the finger's own lighter part (a lower
    # phalanx, a lightly pressed edge) as often as residue: only smudges apart from them count.
    _n, labels = cv2.connectedComponents(candidates)
    touching = np.unique(labels[cv2.dilate((~background).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0])
    return (candidates > 0) & ~np.isin(labels, touching[touching > 0])


def _finger_area(img: np.ndarray, mm: float, margin_mm: float) -> np.ndarray:
    """Where the fingers are: the dark ridge pixels, closed into regions, with a margin."""
    lo, hi = np.percentile(img, [1, 99])
    ink = (img < lo + 0.4 * (hi - lo)).astype(np.uint8)
    kernel = np.ones((_odd(1.5 * mm),) * 2, np.uint8)
    margin = np.ones((_odd(margin_mm * mm),) * 2, np.uint8)
    return cv2.dilate(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel), margin) > 0


def _odd(pixels: float) -> int:
    return max(3, int(round(pixels)) | 1)
