"""Extraction and quality pinned: a speed-up of the extractor must not move any template or score.

Each case's minutiae (positions, angles, types), their qualities, texture descriptors, the
quality score and its block map are reduced to a digest and compared with the one recorded in
`data/extraction_pins.json`. A change that is meant to move results rewrites the pins
(`.venv/bin/python tests/matcher/test_extraction_pins.py --write`, with ../shared/data present for
the real prints) and says why, with `booking-station bench accuracy` before and after.

The cases cover both paths of the Gabor enhancement (full grid for ridge periods under 10 px,
half grid above), generator-independent phase prints, version-11 synthetic rolled prints as
`bench extract` crops them, and real prints at 500, 569 and 1000 ppi. The synthetic cases are
skipped when the generator's version is not the one the pins were made with (its images changed).

The digests hold only on the platform the pins were recorded on: numpy's and OpenCV's SIMD
dispatch (AVX-512 or not) change the last bits of floats, and so of minutiae positions. Elsewhere
(the pins name their platform, `pin_platform.platform`) the minutiae count, ridge period and
quality score are compared, which those last bits do not move.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pin_platform
import pytest

from matcher import _features, _quality
from matcher._bench import extract_frame

PINS = Path(__file__).parent / "data" / "extraction_pins.json"
SYNTH_FRAMES = (0, 1, 2, 10)  # bench extract's frames: ridge periods 7.7, 10.8, 9.5 and 7.7 px
PHASE = ((3, 9.0), (4, 12.5))  # seed, ridge period: full and half Gabor grid
REAL = (
    ("fvc2002_db1_b/101_1.tif", 500),
    ("fvc2002_db2_b/102_3.tif", 569),
    ("fvc2004_db2_b/103_2.tif", 500),
    ("nbis_rolled_1000ppi/card0001_01.bmp", 1000),
)


def outcome(image: np.ndarray, ppi: float) -> dict[str, object]:
    """What extraction and quality give for one image, digested."""
    _features._CACHE.clear()
    img, f = _features.analyse(image, ppi)
    report = _quality.assess(img, f, ppi)
    template = hashlib.sha256()
    for a in (f.minutiae, f.minutia_quality, f.texture):
        template.update(np.ascontiguousarray(a).tobytes())
    return {
        "minutiae": len(f.minutiae),
        "period": round(float(f.period), 4),
        "template_sha256": template.hexdigest(),
        "quality": report.score,
        "block_map_sha256": hashlib.sha256(report.block_map.tobytes()).hexdigest(),
    }


def _assert_as_pinned(found: dict[str, object], pin: dict[str, object], platform: str) -> None:
    if platform == pin_platform.platform():
        assert found == pin
    else:  # another machine's float rounding: what it must not move
        keep = ("minutiae", "period", "quality")
        assert {k: found[k] for k in keep} == {k: pin[k] for k in keep}


def _generator_version() -> int:
    from matcher.synth import _rng

    return _rng.ALGORITHM_VERSION


def _pins() -> dict:
    return json.loads(PINS.read_text())


@pytest.mark.parametrize(("seed", "period"), PHASE)
def test_phase_prints_extract_as_pinned(
    make_phase_print: Callable[..., np.ndarray], seed: int, period: float
) -> None:
    img = make_phase_print(seed, width=640, height=480, period=period)
    pins = _pins()
    _assert_as_pinned(outcome(img, 500), pins["phase"][f"{seed}/{period}"], pins["platform"])


@pytest.mark.parametrize("k", SYNTH_FRAMES)
def test_synthetic_rolled_prints_extract_as_pinned(k: int) -> None:
    pins = _pins()
    if _generator_version() != pins["generator_version"]:
        pytest.skip(
            f"pins made with generator version {pins['generator_version']}, not {_generator_version()}"
        )
    _assert_as_pinned(outcome(extract_frame(k), 500), pins["synthetic"][str(k)], pins["platform"])


@pytest.mark.realdata
@pytest.mark.parametrize(("name", "ppi"), REAL)
def test_real_prints_extract_as_pinned(shared_data: Path, name: str, ppi: float) -> None:
    img = cv2.imread(str(shared_data / "fingerprints" / name), cv2.IMREAD_GRAYSCALE)
    pins = _pins()
    _assert_as_pinned(outcome(img, ppi), pins["real"][name], pins["platform"])


def test_pins_of_another_platform_compare_what_its_rounding_cannot_move() -> None:
    pin = {"minutiae": 37, "period": 9.23, "template_sha256": "a", "quality": 97, "block_map_sha256": "b"}
    rounded_otherwise = {**pin, "template_sha256": "c", "block_map_sha256": "d"}
    _assert_as_pinned(rounded_otherwise, pin, "another machine")
    with pytest.raises(AssertionError):
        _assert_as_pinned(rounded_otherwise, pin, pin_platform.platform())  # here every bit counts
    with pytest.raises(AssertionError):
        _assert_as_pinned({**rounded_otherwise, "minutiae": 36}, pin, "another machine")


def _write(shared_data: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import phase_print

    pins = {
        "platform": pin_platform.platform(),
        "generator_version": _generator_version(),
        "phase": {
            f"{s}/{p}": outcome(phase_print(s, width=640, height=480, period=p), 500) for s, p in PHASE
        },
        "synthetic": {str(k): outcome(extract_frame(k), 500) for k in SYNTH_FRAMES},
        "real": {
            name: outcome(cv2.imread(str(shared_data / "fingerprints" / name), cv2.IMREAD_GRAYSCALE), ppi)
            for name, ppi in REAL
        },
    }
    PINS.write_text(json.dumps(pins, indent=1) + "\n")


if __name__ == "__main__":  # --write [SHARED_DATA]: record today's results as the pins
    if sys.argv[1:2] != ["--write"]:
        sys.exit("usage: test_extraction_pins.py --write [SHARED_DATA]")
    root = Path(__file__).resolve().parents[2]
    _write(Path(sys.argv[2]) if len(sys.argv) > 2 else root.parent / "shared" / "data")
