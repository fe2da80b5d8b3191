"""Sensor profiles: what a scanner makes of a finger (frame, resolution, grey levels, its artefacts).

An impression is rendered at 500 ppi on the sensor's platen, painted with the sensor's look, then
sampled at the sensor's own resolution and grey depth. Frames are those of the real devices' images
(`../shared/data/usb/*/capture.png`, as libfprint made them from the USB recordings; libfprint
doubles the AES3500's 128 x 128 frame to 256 x 256). Resolutions follow from the ridge period of
those captures: 9.6 px (AES3500, native frame), 10.4 px (NB-1010-U) and 9.5 px (TouchChip) are
0.48-0.53 mm at 500 ppi, the breadth of real ridges (at 250 or 385 ppi they would be 0.7-1 mm,
wider than any finger's). The looks were matched by eye and grey-level range to those captures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sensor:
    """One scanner's imaging character. Ranges are (low, high): each impression draws within them."""

    name: str
    title: str
    ppi: float  # the sensor's own resolution; images come back at it
    plain_frame: tuple[int, int]  # (width, height) of a plain impression, in the sensor's pixels
    grey_levels: int  # 256 for 8-bit sensors, 16 for the AES3500's 4-bit pixels
    background: tuple[float, float]  # grey of the empty platen
    contrast: tuple[float, float]  # how much darker a fully pressed ridge is
    noise: tuple[float, float]  # sensor noise, grey levels (8-bit scale)
    blur: tuple[float, float]  # optics / pixel spread, pixels at 500 ppi
    gain: float = 1.0  # >1 drives ridges into saturation (capacitive sensors)
    dry_fade: float = 0.0  # extra loss of ridges on dry skin (capacitive sensors see dry skin poorly)
    speckle: float = 0.0  # share of ridge pixels dropped at random (NB-1010's dotted ridges)
    row_seams: int = 0  # rows per readout block whose seams show (0: none)
    shading: float = 6.0  # uneven illumination, grey levels
    latents: float = 0.0  # chance of residue of an earlier finger on the platen (optical)
    rolled: bool = False  # can take rolled impressions


SENSORS: dict[str, Sensor] = {
    s.name: s
    for s in (
        Sensor(
            name="optical",
            title="optical booking livescan (FBI Appendix F class, 500 ppi)",
            ppi=500.0,
            plain_frame=(400, 500),
            grey_levels=256,
            background=(195, 240),
            contrast=(125, 205),
            # Pixel noise of real optical scanners: the empty platen's high-pass spread is 2.0-2.2
            # grey levels on FVC2002 DB2 and FVC2004 DB2. Louder noise (3-10, generator version 10)
            # made NBIS mindtct find minutiae no finger had.
            noise=(1.5, 4.0),
            blur=(0.6, 1.1),
            shading=10.0,
            latents=0.25,
            rolled=True,
        ),
        Sensor(
            name="aes3500",
            title="AuthenTec AES3500 (capacitive, 128 x 128, 500 ppi, 4-bit)",
            ppi=500.0,
            plain_frame=(128, 128),
            grey_levels=16,
            background=(235, 252),
            contrast=(215, 245),
            noise=(4.0, 9.0),
            blur=(0.7, 1.0),
            gain=2.2,
            dry_fade=0.35,
            row_seams=16,
            shading=4.0,
        ),
        Sensor(
            name="nb1010",
            title="NEXT Biometrics NB-1010-U (active thermal, 256 x 180, 500 ppi)",
            ppi=500.0,
            plain_frame=(256, 180),
            grey_levels=256,
            background=(225, 240),
            contrast=(170, 225),
            noise=(6.0, 12.0),
            blur=(0.4, 0.7),
            gain=2.2,
            dry_fade=0.2,
            speckle=0.4,
            shading=3.0,
        ),
        Sensor(
            name="upektc",
            title="UPEK TouchChip (capacitive, 144 x 384, 500 ppi, low contrast)",
            ppi=500.0,
            plain_frame=(144, 384),
            grey_levels=256,
            background=(215, 235),
            contrast=(35, 70),
            noise=(1.5, 3.5),
            blur=(0.8, 1.2),
            dry_fade=0.3,
            shading=3.0,
        ),
    )
}
DEFAULT = "optical"


def sensor(name: str) -> Sensor:
    """The profile called `name` (one of SENSORS); ValueError naming the choices otherwise."""
    try:
        return SENSORS[name]
    except KeyError:
        raise ValueError(f"sensor must be one of {', '.join(SENSORS)}, got {name!r}") from None
