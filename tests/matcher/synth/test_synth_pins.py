"""The generator pinned: a speed-up of the synthetic generator must not move a single bit.

A few masters' ridge images and a rolled, a plain and a slap impression are reduced to SHA-256
digests and compared with the ones in `data/synth_pins.json`. Every synthetic figure in
docs/benchmarks.md rests on the generator's version (`_rng.ALGORITHM_VERSION`); a change meant to
move the images bumps that version and rewrites the pins
(`PYTHONPATH=tests/matcher .venv/bin/python tests/matcher/synth/test_synth_pins.py --write`), saying why.

The digests hold only on the platform they were recorded on (`pin_platform.platform`: numpy's and
OpenCV's SIMD dispatch, and NUMBA_CPU_NAME when set). Elsewhere each item's shape, mean grey (or
ridge value) and the ridges crossed by its middle row are compared, within what a float's last
bits can move.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import pin_platform
import pytest

from matcher import synth
from matcher.synth import _master, _rng

PINS = Path(__file__).parent / "data" / "synth_pins.json"
MASTERS = ((9001, 2), (9002, 6))  # a right index and a left thumb (the thumb's own size)
IMPRESSIONS = ((9001, 2, 0, "rolled"), (9003, 8, 1, "plain"))
SLAP = (9001, "right", 1)  # reuses master 9001/2, adds three
MEAN_TOLERANCE = {"master": 1e-3, "image": 0.05}  # ridge values in [-1, 1]; grey levels 0-255
RIDGE_TOLERANCE = 2


def _digest(*arrays: np.ndarray) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(str(a.shape).encode() + str(a.dtype).encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _crossings(ridge: np.ndarray) -> int:
    """Ridges crossed along a line of booleans (ridge pixels)."""
    return int(np.count_nonzero(ridge[1:] & ~ridge[:-1]))


def _image_summary(image: np.ndarray, *arrays: np.ndarray) -> dict[str, object]:
    line = cv2.GaussianBlur(image, (0, 0), 1.0)[image.shape[0] // 2].astype(np.float64)
    dark = line < (line.min() + line.max()) / 2  # ridges are dark
    return {
        "kind": "image",
        "shape": list(image.shape),
        "mean": round(float(image.mean()), 4),
        "ridges": _crossings(dark),
        "sha256": _digest(image, *arrays),
    }


def outcomes() -> dict[str, dict[str, object]]:
    """Every pinned item, summarised and digested (masters made afresh, not from any cache)."""
    found: dict[str, dict[str, object]] = {}
    for subject, finger in MASTERS:
        m = _master.generate(subject, finger)
        h = m.ridges.shape[0] // 2
        found[f"master {subject}/{finger}"] = {
            "kind": "master",
            "shape": list(m.ridges.shape),
            "mean": round(float(m.ridges.mean()), 6),
            "ridges": _crossings((m.ridges[h] > 0) & (m.mask[h] > 0.5)),
            "sha256": _digest(m.ridges, m.mask, m.minutiae),
        }
    for subject, finger, seed, kind in IMPRESSIONS:
        imp = synth.impression(subject, finger, seed, kind)
        found[f"{kind} {subject}/{finger}/{seed}"] = _image_summary(imp.image, imp.minutiae)
    subject, hand, seed = SLAP
    s = synth.slap(subject, hand, seed)
    found[f"slap {subject}/{hand}/{seed}"] = _image_summary(
        s.image, np.array([b for _, b in s.fingers]), *(s.minutiae[f] for f, _ in s.fingers)
    )
    return found


def _assert_as_pinned(found: dict[str, object], pin: dict[str, object], platform: str) -> None:
    if platform == pin_platform.platform():
        assert found == pin
    else:  # another machine's float rounding: what it must not move
        assert found["shape"] == pin["shape"]
        assert abs(found["mean"] - pin["mean"]) <= MEAN_TOLERANCE[pin["kind"]]
        assert abs(found["ridges"] - pin["ridges"]) <= RIDGE_TOLERANCE


@pytest.fixture(scope="module")
def found() -> dict[str, dict[str, object]]:
    return outcomes()


def _pins() -> dict:
    return json.loads(PINS.read_text())


def test_generator_version_is_the_pinned_one() -> None:
    assert _pins()["generator_version"] == _rng.ALGORITHM_VERSION, "a new version rewrites the pins (--write)"


def test_every_item_is_as_pinned(found: dict[str, dict[str, object]]) -> None:
    pins = _pins()
    assert sorted(found) == sorted(pins["items"])
    for name, pin in pins["items"].items():
        _assert_as_pinned(found[name], pin, pins["platform"])


def test_pins_of_another_platform_compare_what_its_rounding_cannot_move() -> None:
    pin = {"kind": "image", "shape": [600, 560], "mean": 181.25, "ridges": 31, "sha256": "a"}
    rounded_otherwise = {**pin, "mean": 181.27, "ridges": 32, "sha256": "b"}
    _assert_as_pinned(rounded_otherwise, pin, "another machine")
    with pytest.raises(AssertionError):
        _assert_as_pinned(rounded_otherwise, pin, pin_platform.platform())  # here every bit counts
    for moved in ({"ridges": 35}, {"mean": 182.0}, {"shape": [600, 561]}):
        with pytest.raises(AssertionError):
            _assert_as_pinned({**rounded_otherwise, **moved}, pin, "another machine")


if __name__ == "__main__":  # --write: record today's generator as the pins
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: test_synth_pins.py --write")
    PINS.parent.mkdir(exist_ok=True)
    pins = {
        "platform": pin_platform.platform(),
        "generator_version": _rng.ALGORITHM_VERSION,
        "items": outcomes(),
    }
    PINS.write_text(json.dumps(pins, indent=1) + "\n")
