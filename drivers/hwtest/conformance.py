"""Image checks in the spirit of the FBI EBTS Appendix F image quality specification.

Appendix F certifies a scanner with calibrated targets in a lab; a hardware tester at the desk
has fingers and, at best, a bar target. These checks measure what can be measured that way and
say so. Each check reports its figure, the requirement and pass/fail:

- resolution: the device's declared resolution is 500 or 1000 ppi within 1 % (Appendix F
  accepts only those);
- geometry (only with a bar target of known pitch on the platen): the bar period measured
  across the image gives the true resolution, which must match the declared one within 1 %,
  in every quarter of the platen (linearity);
- gray levels: a good print uses at least 200 distinct gray levels in its finger area;
- dynamic range: the finger area spans at least 200 gray levels (0.5th to 99.5th percentile);
- uniformity: ridge/valley contrast is even across the contact area (coefficient of variation
  of the per-block contrast at most 0.35, a threshold of ours: Appendix F measures uniformity on
  flat targets, which a fingerprint stand-in can only approximate);
- platen: no residue of earlier prints beside the finger (drivers/platen.py): a dirty platen
  is cleaned before any figure above is trusted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import cv2
import numpy as np

_BLOCK_MM = 0.8  # blocks of about 16 px at 500 ppi
APPENDIX_F_PPI = (500.0, 1000.0)


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    figure: str
    requirement: str

    def as_dict(self) -> dict:
        return asdict(self)


def _foreground_blocks(image: np.ndarray, ppi: float) -> list[np.ndarray]:
    """Blocks of the image that hold ridges (enough local contrast), the 'finger area'."""
    size = max(4, round(_BLOCK_MM * ppi / 25.4))
    blocks = []
    for y in range(0, image.shape[0] - size + 1, size):
        for x in range(0, image.shape[1] - size + 1, size):
            block = image[y : y + size, x : x + size]
            if float(block.std()) > 12.0:
                blocks.append(block)
    return blocks


def check_resolution(ppi: float) -> Check:
    ok = any(abs(ppi - target) <= 0.01 * target for target in APPENDIX_F_PPI)
    return Check("resolution", ok, f"{ppi:g} ppi declared", "500 or 1000 ppi within 1 %")


def check_gray_levels(images: list[np.ndarray], ppi: float) -> list[Check]:
    levels, spans = [], []
    for image in images:
        blocks = _foreground_blocks(image, ppi)
        pixels = np.concatenate([b.ravel() for b in blocks]) if blocks else image.ravel()
        levels.append(len(np.unique(pixels)))
        low, high = np.percentile(pixels, [0.5, 99.5])
        spans.append(float(high - low))
    return [
        Check(
            "gray levels",
            min(levels) >= 200,
            f"{min(levels)} distinct levels (worst of {len(images)})",
            ">= 200 distinct gray levels in the finger area",
        ),
        Check(
            "dynamic range",
            min(spans) >= 200,
            f"{min(spans):.0f} levels from 0.5th to 99.5th percentile (worst of {len(images)})",
            ">= 200 gray levels",
        ),
    ]


def check_uniformity(images: list[np.ndarray], ppi: float) -> Check:
    worst = 0.0
    for image in images:
        contrasts = [
            float(np.percentile(b, 90) - np.percentile(b, 10)) for b in _foreground_blocks(image, ppi)
        ]
        if len(contrasts) < 4:
            return Check("uniformity", False, "too little finger area to judge", "contrast CV <= 0.35")
        worst = max(worst, float(np.std(contrasts) / max(np.mean(contrasts), 1e-6)))
    return Check("uniformity", worst <= 0.35, f"contrast CV {worst:.2f} (worst)", "contrast CV <= 0.35")


def check_platen_clean(images: list[np.ndarray], ppi: float) -> Check:
    from drivers.platen import DIRTY_MM2, check_platen

    worst = max(check_platen(image, ppi).residue_mm2 for image in images)
    return Check(
        "platen",
        worst < DIRTY_MM2,
        f"residue {worst:.0f} mm² beside the finger (worst of {len(images)})",
        f"clean: residue < {DIRTY_MM2:.0f} mm²",
    )


def bar_period_px(image: np.ndarray) -> float:
    """The period, in pixels, of vertical bars across the image (dominant frequency along x)."""
    profile = image.astype(np.float64).mean(axis=0)
    profile -= profile.mean()
    window = np.hanning(len(profile))
    padded = len(profile) * 16  # zero-padding refines the peak to a fraction of a bin
    spectrum = np.abs(np.fft.rfft(profile * window, n=padded))
    spectrum[: 16 * 2] = 0  # ignore the DC lobe and very long periods
    peak = int(np.argmax(spectrum))
    return padded / peak


#: Vertical bars repeat the same column profile on every row, so the column means keep most of
#: the image's variation; a fingerprint's ridges run every way and average out (ratio ~0.1-0.3).
_BAR_PROFILE_SHARE = 0.6
_MIN_BAR_CYCLES = 3.0  # a period is only measured from at least this many bars across the region


def _bar_target_problem(image: np.ndarray, pitch_mm: float, declared_ppi: float) -> str | None:
    """Why this image cannot be a bar target of this pitch (None when it can be measured)."""
    expected_px = pitch_mm * declared_ppi / 25.4
    pixels = image.astype(np.float32)
    if float(pixels.std()) < 5.0:
        return "the image is blank"
    # Without slow changes (a finger's outline, uneven lighting) that are not bars either.
    detail = pixels - cv2.GaussianBlur(pixels, (0, 0), max(2.0, expected_px))
    share = float(detail.mean(axis=0).std()) / max(float(detail.std()), 1e-6)
    if share < _BAR_PROFILE_SHARE:
        return (
            f"no vertical bars: the columns vary only {share * 100:.0f} % as much as the image "
            f"(a bar target: >= {_BAR_PROFILE_SHARE * 100:.0f} %)"
        )
    if image.shape[1] / 2 < _MIN_BAR_CYCLES * expected_px:
        return f"a {pitch_mm:g} mm pitch gives fewer than {_MIN_BAR_CYCLES:g} bars per half of the platen"
    return None


def check_geometry(image: np.ndarray, declared_ppi: float, pitch_mm: float) -> Check:
    """Measured resolution from a bar target of known pitch, overall and per quarter of the platen."""
    requirement = "measured resolution within 1 % of declared everywhere"
    problem = _bar_target_problem(image, pitch_mm, declared_ppi)
    if problem is not None:
        return Check(
            "geometry",
            False,
            f"no bar target in the image ({problem}); place a {pitch_mm:g} mm target, bars vertical",
            requirement,
        )
    h, w = image.shape
    regions = [image] + [image[y : y + h // 2, x : x + w // 2] for y in (0, h // 2) for x in (0, w // 2)]
    measured = [bar_period_px(r) * 25.4 / pitch_mm for r in regions]
    worst = max(abs(m - declared_ppi) / declared_ppi for m in measured)
    return Check(
        "geometry",
        worst <= 0.01,
        f"{measured[0]:.1f} ppi measured (quarters {', '.join(f'{m:.1f}' for m in measured[1:])}), "
        f"worst error {worst * 100:.2f} %",
        requirement,
    )


def run(
    images: list[np.ndarray], ppi: float, target: np.ndarray | None = None, pitch_mm: float = 0.0
) -> list[Check]:
    """All checks on captured prints (and a bar-target image, if one was captured)."""
    if not images:
        raise ValueError("conformance needs at least one captured print")
    checks = [
        check_resolution(ppi),
        *check_gray_levels(images, ppi),
        check_uniformity(images, ppi),
        check_platen_clean(images, ppi),
    ]
    if target is not None:
        checks.append(check_geometry(target, ppi, pitch_mm))
    return checks
