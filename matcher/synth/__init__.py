"""Synthetic fingerprints with ground truth, after SFinGe (Cappelli, Maio, Maltoni).

    from matcher import synth
    imp = synth.impression(subject_id=7, finger=2, seed=1)          # rolled right index
    imp.image, imp.ppi, imp.minutiae                                 # uint8, 500.0, N x 4

A subject id gives the same ten master fingers forever; an impression seed gives the same
impression. Images are 500 ppi, dark ridges on a light background. Minutiae are (x, y, angle,
type): pixels of the returned image; angle in radians in [0, 2π) from the image's +x axis towards
+y (rows go down), as `matcher.Template` has them; type 1 = ridge ending (angle points into its
ridge), 2 = bifurcation (angle points into the valley between the two branches). Fingers are
ANSI/NIST FGP codes 1–10.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from booking_station import fingers
from matcher.synth._sensors import SENSORS, Sensor
from matcher.synth._sensors import sensor as sensor_profile

PPI = 500.0
KINDS = ("rolled", "plain")


@dataclass(frozen=True)
class Impression:
    image: np.ndarray
    ppi: float
    minutiae: np.ndarray
    finger: int
    subject_id: int = 0
    seed: int = 0
    kind: str = "rolled"
    pattern: str = ""  # arch, tented-arch, left-loop, right-loop, whorl
    skin: str = "normal"  # normal, dry or wet
    sensor: str = "optical"  # the profile that took it (SENSORS)
    bandaged: bool = False
    cores: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # x, y in image pixels
    deltas: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    def ground_truth(self) -> dict:
        """JSON-ready facts about this impression."""
        return {
            "subject_id": self.subject_id,
            "finger": self.finger,
            "seed": self.seed,
            "kind": self.kind,
            "ppi": self.ppi,
            "width": int(self.image.shape[1]),
            "height": int(self.image.shape[0]),
            "pattern": self.pattern,
            "skin": self.skin,
            "sensor": self.sensor,
            "bandaged": self.bandaged,
            "cores": np.round(self.cores, 2).tolist(),
            "deltas": np.round(self.deltas, 2).tolist(),
            "minutiae": [
                {
                    "x": round(float(x), 2),
                    "y": round(float(y), 2),
                    "angle": round(float(a), 4),
                    "type": int(t),
                }
                for x, y, a, t in self.minutiae
            ],
        }


def _check(subject_id: int, finger: int, kind: str) -> None:
    if not isinstance(subject_id, (int, np.integer)) or subject_id < 0:
        raise ValueError(f"subject_id must be a non-negative integer, got {subject_id!r}")
    if not isinstance(finger, (int, np.integer)) or not 1 <= finger <= 10:
        raise ValueError(f"finger must be an FGP code 1–10, got {finger!r}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")


def impression(
    subject_id: int,
    finger: int,
    seed: int,
    kind: str = "rolled",
    *,
    bandaged: bool = False,
    sensor: str = "optical",
) -> Impression:
    """One impression of the finger `finger` (FGP 1–10) of subject `subject_id`; `bandaged` puts a
    dressing over it (same contact, no ridges, no minutiae). `sensor` names the scanner that takes
    it (see `SENSORS`): the image comes back in that sensor's frame, resolution (`ppi`) and grey
    depth, with its artefacts; only the optical livescan takes rolled impressions."""
    _check(subject_id, finger, kind)
    profile = sensor_profile(sensor)
    if kind == "rolled" and not profile.rolled:
        raise ValueError(f"the {sensor} sensor takes plain impressions only (rolled needs a livescan)")
    # Imported here: the generator pulls in numba, and `booking-station --help` must stay fast.
    from matcher.synth import _cache, _impression, _rng

    master = _cache.master(int(subject_id), int(finger))
    # The optical stream keeps its historical key, so its impressions stay put when sensors are added.
    parts = (
        (subject_id, finger, seed, kind) if sensor == "optical" else (subject_id, finger, seed, kind, sensor)
    )
    rng = _rng.generator("impression", *parts)
    image, placed, skin, scale = _impression.render(master, kind, rng, bandaged, profile)
    singular = [
        _impression.forward_points(placed.place, np.array(pts, np.float64).reshape(-1, 2)) * scale
        for pts in (master.cores, master.deltas)
    ]
    minutiae = placed.minutiae.copy()
    minutiae[:, :2] *= scale
    return Impression(
        image=image,
        ppi=profile.ppi,
        minutiae=minutiae,
        finger=int(finger),
        subject_id=int(subject_id),
        seed=int(seed),
        kind=kind,
        pattern=master.pattern.value,
        skin=skin.condition,
        sensor=profile.name,
        bandaged=bool(bandaged),
        cores=singular[0],
        deltas=singular[1],
    )


@dataclass(frozen=True)
class Slap:
    """Several fingers of one capture; `fingers` are (FGP, (x, y, w, h)) boxes, left to right."""

    image: np.ndarray
    ppi: float
    fingers: list[tuple[int, tuple[int, int, int, int]]]
    minutiae: dict[int, np.ndarray]  # per FGP, N x 4 in image pixels (empty for a bandaged finger)
    subject_id: int = 0
    seed: int = 0
    hand: str = "right"  # right, left or thumbs
    missing: frozenset[int] = frozenset()
    bandaged: frozenset[int] = frozenset()

    def ground_truth(self) -> dict:
        return {
            "subject_id": self.subject_id,
            "seed": self.seed,
            "hand": self.hand,
            "ppi": self.ppi,
            "width": int(self.image.shape[1]),
            "height": int(self.image.shape[0]),
            "missing": sorted(self.missing),
            "bandaged": sorted(self.bandaged),
            "fingers": [
                {
                    "finger": fgp,
                    "box": list(box),
                    "minutiae": [
                        {
                            "x": round(float(x), 2),
                            "y": round(float(y), 2),
                            "angle": round(float(a), 4),
                            "type": int(t),
                        }
                        for x, y, a, t in self.minutiae.get(fgp, np.zeros((0, 4)))
                    ],
                }
                for fgp, box in self.fingers
            ],
        }


_HAND_FINGERS = {
    hand: frozenset(fingers.SLAP_FINGERS[position])
    for hand, position in (
        ("right", fingers.RIGHT_SLAP),
        ("left", fingers.LEFT_SLAP),
        ("thumbs", fingers.THUMBS),
    )
}


def _make_slap(
    subject_id: int, hand: str, seed: int, missing: frozenset[int], bandaged: frozenset[int], with_thumb: bool
) -> Slap:
    _check(subject_id, 1, "plain")
    missing, bandaged = frozenset(int(f) for f in missing), frozenset(int(f) for f in bandaged)
    allowed = _HAND_FINGERS[hand] | (_HAND_FINGERS["thumbs"] if with_thumb else set())
    for name, given in (("missing", missing), ("bandaged", bandaged)):
        stray = sorted(given - allowed)
        if stray:
            raise ValueError(f"{name} fingers {stray} are not on this capture ({hand}: {sorted(allowed)})")
    from matcher.synth import _slap

    made = _slap.compose(int(subject_id), hand, int(seed), missing, bandaged, with_thumb)
    return Slap(
        made.image, PPI, made.boxes, made.minutiae, int(subject_id), int(seed), hand, missing, bandaged
    )


def slap(
    subject_id: int,
    hand: str = "right",
    seed: int = 0,
    missing: frozenset[int] = frozenset(),
    *,
    bandaged: frozenset[int] = frozenset(),
    with_thumb: bool = False,
) -> Slap:
    """A four-finger slap of the right or left hand; `missing` fingers (FGP) are amputated, `bandaged`
    ones show a dressing instead of ridges, `with_thumb` lets the thumb stray onto the platen."""
    if hand not in ("right", "left"):
        raise ValueError(f"hand must be 'right' or 'left', got {hand!r}")
    return _make_slap(subject_id, hand, seed, missing, bandaged, with_thumb)


def thumbs(
    subject_id: int,
    seed: int = 0,
    missing: frozenset[int] = frozenset(),
    *,
    bandaged: frozenset[int] = frozenset(),
) -> Slap:
    """Both thumbs side by side: left thumb (FGP 6) on the left of the image, right thumb (FGP 1) on the right."""
    return _make_slap(subject_id, "thumbs", seed, missing, bandaged, False)


__all__ = [
    "KINDS",
    "PPI",
    "SENSORS",
    "Impression",
    "Sensor",
    "Slap",
    "impression",
    "sensor_profile",
    "slap",
    "thumbs",
]
