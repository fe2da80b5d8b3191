"""Synthetic fingerprints with ground truth, after SFinGe (Cappelli, Maio, Maltoni).

    from matcher import synth
    imp = synth.impression(subject_id=7, finger=2, seed=1)          # rolled right index
    imp.image, imp.ppi, imp.minutiae                                 # uint8, 500.0, N x 4

A subject id gives the same ten master fingers forever; an impression seed gives the same
impression. Images are 500 ppi, dark ridges on a light background. Minutiae are (x, y, angle,
type): pixels of the returned image; angle in radians counter-clockwise from the image's +x axis
(y pointing down); type 1 = ridge ending (angle points into its ridge), 2 = bifurcation (angle
points into the valley between the two branches). Fingers are ANSI/NIST FGP codes 1–10.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matcher.synth import _cache, _impression, _rng

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


def impression(subject_id: int, finger: int, seed: int, kind: str = "rolled") -> Impression:
    """One impression of the finger `finger` (FGP 1–10) of subject `subject_id`."""
    _check(subject_id, finger, kind)
    master = _cache.master(int(subject_id), int(finger))
    rng = _rng.generator("impression", subject_id, finger, seed, kind)
    image, truth, place, _alpha = _impression.render(master, kind, rng)
    singular = [
        _impression.forward_points(place, np.array(pts, np.float64).reshape(-1, 2))
        for pts in (master.cores, master.deltas)
    ]
    return Impression(
        image=image,
        ppi=PPI,
        minutiae=truth,
        finger=int(finger),
        subject_id=int(subject_id),
        seed=int(seed),
        kind=kind,
        pattern=master.pattern.value,
        cores=singular[0],
        deltas=singular[1],
    )


__all__ = ["KINDS", "PPI", "Impression", "impression"]
