"""The dirty-platen check (drivers/platen.py): residue of earlier prints beside the fingers is found
in the virtual scanner's dirty-platen captures and not in clean ones, whatever the subject or mode."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from drivers.api import CaptureMode, CaptureResult, FingerPosition
from drivers.platen import check_platen
from drivers.virtual import Timing, VirtualControl, VirtualScanner

RIGHT_FOUR = [FingerPosition(f) for f in (2, 3, 4, 5)]
CASES = [
    (CaptureMode.ROLLED, [FingerPosition.RIGHT_INDEX], 2),
    (CaptureMode.ROLLED, [FingerPosition.LEFT_THUMB], 42),
    (CaptureMode.ROLLED, [FingerPosition.RIGHT_RING], 77),
    (CaptureMode.RIGHT_SLAP, RIGHT_FOUR, 11),
    (CaptureMode.TWO_THUMBS, [FingerPosition.RIGHT_THUMB, FingerPosition.LEFT_THUMB], 19),
]


@pytest.fixture(scope="module")
def captures() -> dict[tuple[str, int, bool], CaptureResult]:
    """Each case captured on a clean platen and on the dirty one (the same finger and seed)."""
    ctl = VirtualControl()
    ctl.set_timing(Timing.fast())
    scanner = VirtualScanner(ctl, serve_socket=False)
    scanner.open()
    taken = {}
    try:
        for mode, fingers, subject in CASES:
            ctl.present(subject)
            for dirty in (False, True):
                ctl.make_dirty() if dirty else ctl.clean()
                ctl.set_seed(subject)
                events = list(scanner.capture(mode, fingers))
                taken[(mode.value, subject, dirty)] = next(e for e in events if isinstance(e, CaptureResult))
    finally:
        scanner.close()
    return taken


@pytest.mark.parametrize(("mode", "subject"), [(m.value, s) for m, _f, s in CASES])
def test_the_dirty_platen_is_found_and_the_clean_one_is_not(captures, mode, subject) -> None:
    clean = captures[(mode, subject, False)]
    dirty = captures[(mode, subject, True)]
    assert dirty.metadata["dirty_platen"] is True
    flat = mode != "rolled"  # as the capture judge calls it
    found = check_platen(dirty.image, dirty.ppi, flat=flat)
    assert found.dirty and found.boxes, found
    assert not check_platen(clean.image, clean.ppi, flat=flat).dirty


def test_the_residue_is_located_beside_the_fingers(captures) -> None:
    """Each smudge reported lies on the platen, not on a finger of the slap."""
    result = captures[("right-slap", 11, True)]
    report = check_platen(result.image, result.ppi, flat=True)
    fingers = [f["box"] for f in result.metadata["fingers"]]  # (x, y, w, h) of each finger
    for x, y, w, h in report.boxes:
        cx, cy = x + w / 2, y + h / 2
        assert not any(fx <= cx <= fx + fw and fy <= cy <= fy + fh for fx, fy, fw, fh in fingers)


def test_blank_and_tiny_images_are_not_dirty() -> None:
    assert not check_platen(np.full((400, 400), 210, np.uint8), 500).dirty
    assert not check_platen(np.zeros((8, 8), np.uint8), 500).dirty


def _read(path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    assert image is not None, path
    return image


@pytest.mark.realdata
def test_real_clean_prints_raise_no_alarm(shared_data) -> None:
    prints = shared_data / "fingerprints"
    rolled = sorted((prints / "nbis_rolled_1000ppi").glob("*.bmp"))
    optical = sorted((prints / "fvc2002_db1_b").glob("*.tif"))[:16]
    assert rolled and optical
    flagged = [p.name for p in rolled if check_platen(_read(p), 1000).dirty]
    flagged += [p.name for p in optical if check_platen(_read(p), 500).dirty]
    assert flagged == []


@pytest.mark.realdata
def test_real_livescan_prints_rarely_raise_the_alarm(shared_data) -> None:
    """The first 40 prints of each FVC "B" set (optical, capacitive and SFinGe): 4 of these 240 are
    flagged when this was written, FVC2002 DB2 103_8 among them, which shows an earlier finger's
    faint ridges; several sit just below the threshold, so the bound is 1 in 40, not none."""
    sets = (
        "fvc2002_db1_b",
        "fvc2002_db2_b",
        "fvc2002_db3_b",
        "fvc2002_db4_b",
        "fvc2004_db2_b",
        "fvc2004_db4_b",
    )
    prints = [p for name in sets for p in sorted((shared_data / "fingerprints" / name).glob("*.tif"))[:40]]
    assert len(prints) == 240
    flagged = [p.parent.name + "/" + p.name for p in prints if check_platen(_read(p), 500).dirty]
    assert len(flagged) <= len(prints) // 40, flagged


@pytest.mark.realdata
def test_a_cards_slaps_are_not_mistaken_for_residue(shared_data) -> None:
    """The NBIS card's slaps have the lower phalanges' light ridges and ink drag near the
    fingertips: flat captures count only smudges further from the fingers."""
    card = shared_data / "fingerprints" / "nbis_tenprint_card"
    for name in ("rec11_fgp14_imp1.png", "rec12_fgp13_imp1.png", "rec13_fgp12_imp1.png"):
        assert not check_platen(_read(card / name), 250, flat=True).dirty, name
