"""1:1 comparison: a Matcher is made from a probe and scores candidates against it."""

from __future__ import annotations

import numpy as np

from matcher import _mcc
from matcher._template import Template


class Matcher:
    """Scores candidate templates against one probe; similarity in [0, 1] (MCC bit-based, LSS-R)."""

    __slots__ = ("_probe",)

    def __init__(self, probe: Template):
        if not isinstance(probe, Template):
            raise TypeError(f"probe must be a Template, got {type(probe).__name__}")
        self._probe = probe.cylinders

    def score(self, candidate: Template) -> float:
        if not isinstance(candidate, Template):
            raise TypeError(f"candidate must be a Template, got {type(candidate).__name__}")
        p = self._probe
        c = candidate.cylinders
        n = max(len(p.bits) * len(c.bits), 1)
        return float(
            _mcc.score_pair(
                p.bits,
                p.valid,
                p.minutiae,
                c.bits,
                c.valid,
                c.minutiae,
                p.texture,
                c.texture,
                np.empty(n),
                np.empty(n, np.int64),
            )
        )
