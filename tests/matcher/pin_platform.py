"""The platform a pin's digests hold on: what decides a float's last bits here.

numpy's and OpenCV's SIMD dispatch (AVX-512 or not) change the last bits of floats, and numba
compiles for the host CPU unless NUMBA_CPU_NAME (and NUMBA_CPU_FEATURES) say otherwise. Pins record
this string; where it differs they compare something coarser that those bits cannot move.
Shared by the extraction pins and the generator's pins (tests/matcher is on sys.path for both).
"""

from __future__ import annotations

import os

import cv2


def platform() -> str:
    from numpy._core._multiarray_umath import __cpu_features__

    simd = sorted(name for name, on in __cpu_features__.items() if on and name.startswith("AVX"))
    text = f"numpy {' '.join(simd)}; opencv {cv2.getCPUFeaturesLine()}"
    for var in ("NUMBA_CPU_NAME", "NUMBA_CPU_FEATURES"):  # unset where the pins were recorded
        if var in os.environ:  # an empty NUMBA_CPU_FEATURES counts: the CPU name's own features only
            text += f"; {var} {os.environ[var]!r}"
    return text
