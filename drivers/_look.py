"""How each sensor renders a finger: grey-level response, noise and quantisation, in one place.

The virtual livescan and the USB emulators start from `matcher.synth` prints (soft, low-contrast
images) and must look like their real devices to the tools that judge them (conformance,
quality). A `Look` says where a sensor puts the darkest and lightest parts of what it sees and how
many levels it reports; the figures were read off real captures (the AES3500, NB-1010-U and
UPEK recordings in ../shared/data/usb) or, for the optical livescan, off FBI-certified 500-ppi
tenprint images (dark ridges near 10-30, a paper-white platen near 240-250).

When `matcher.synth` carries per-sensor impression profiles, this module is where they plug in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Look:
    """A sensor's grey-level response to a finger image (dark ridges on light, uint8).

    The `dark_share` darkest pixels of the field of view become `dark_level` or darker and the
    `light_share` lightest become `light_level` or lighter (a sensor's gain and offset), the
    result gets `noise` grey levels of sensor noise and is quantised to `levels` levels.
    """

    dark_share: float
    light_share: float
    dark_level: float
    light_level: float
    noise: float
    levels: int = 256
    max_gain: float = 4.0  # a dressing or an empty platen is not stretched into fake ridges


#: A 500-ppi optical tenprint livescan: full dynamic range, 8 bits, a little sensor noise.
OPTICAL_LIVESCAN = Look(dark_share=0.003, light_share=0.003, dark_level=8.0, light_level=248.0, noise=1.6)
#: AuthenTec AES3500: a 4-bit capacitive cell array driven into both ends (the real capture has
#: 14 % of its cells at black and 22 % at white, 16 levels, ridges ~9.5 px apart at 500 ppi).
AES3500 = Look(dark_share=0.14, light_share=0.22, dark_level=0.0, light_level=255.0, noise=8.0, levels=16)
#: NEXT NB-1010-U (active thermal): ridge cores saturate black (11 % of the real capture's pixels
#: are at 10 or below), the background sits near 229, 8 bits.
NB1010 = Look(dark_share=0.10, light_share=0.02, dark_level=0.0, light_level=232.0, noise=4.0)
#: UPEK TouchChip coprocessor: a narrow grey band, ridges near 180, the empty sensor at 232.
UPEKTC = Look(dark_share=0.01, light_share=0.30, dark_level=178.0, light_level=232.0, noise=1.5)


def render(image: np.ndarray, look: Look, rng: np.random.Generator) -> np.ndarray:
    """The finger image as this sensor reports it (uint8, dark ridges on light)."""
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError("finger image must be a 2-D uint8 array")
    pixels = image.astype(np.float32)
    dark, light = np.quantile(pixels, [look.dark_share, 1.0 - look.light_share])
    gain = min((look.light_level - look.dark_level) / max(float(light - dark), 1.0), look.max_gain)
    # Keep the middle of the finger's range in the middle of the sensor's.
    middle = (look.light_level + look.dark_level) / 2.0
    out = middle + (pixels - (dark + light) / 2.0) * gain
    if look.noise > 0:
        out += rng.normal(0.0, look.noise, out.shape).astype(np.float32)
    out = np.clip(out, 0.0, 255.0)
    if look.levels < 256:
        step = 255.0 / (look.levels - 1)
        out = np.rint(out / step) * step
    return np.rint(out).astype(np.uint8)
