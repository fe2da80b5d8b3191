"""Synthetic impressions: the contract, determinism, and ground truth that matches the pixels."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from matcher import synth
from matcher.synth import _cache, _skeleton


def _ridge_contrast(image: np.ndarray) -> np.ndarray:
    blur = cv2.GaussianBlur(image.astype(np.float32), (0, 0), 1.0)
    return cv2.blur(blur**2, (21, 21)) - cv2.blur(blur, (21, 21)) ** 2


def _skeleton_minutiae(image: np.ndarray) -> np.ndarray:
    """Crossing-number minutiae of the rendered image, found independently of the master,
    kept only inside the print (the background's noise skeleton is not a fingerprint)."""
    blur = cv2.GaussianBlur(image.astype(np.float32), (0, 0), 1.0)
    ridges = blur < cv2.blur(blur, (15, 15)) - 2
    found = _skeleton.minutiae(_skeleton.thin(ridges))
    inside = _ridge_contrast(image)[found[:, 1].astype(int), found[:, 0].astype(int)] > 400.0
    return found[inside]


def _where_ridges_show(imp: synth.Impression) -> np.ndarray:
    """Ground-truth minutiae where the print shows clear ridges: light-pressure patches (as on
    the FVC sets) are too faint for the crude detector above to check anything there."""
    contrast = _ridge_contrast(imp.image)
    return imp.minutiae[contrast[imp.minutiae[:, 1].astype(int), imp.minutiae[:, 0].astype(int)] > 400.0]


def _hit_rate(truth: np.ndarray, found: np.ndarray, tol: float = 6.0) -> float:
    d = np.hypot(truth[:, None, 0] - found[None, :, 0], truth[:, None, 1] - found[None, :, 1])
    return float((d < tol).any(axis=1).mean())


def _with_skin(subject: int, condition: str) -> synth.Impression:
    """The first plain impression of the subject's right index with this skin condition."""
    for seed in range(1, 60):
        imp = synth.impression(subject, 2, seed=seed, kind="plain")
        if imp.skin == condition:
            return imp
    raise AssertionError(f"no {condition} impression in 60 seeds")


def test_contract_shape_and_types() -> None:
    imp = synth.impression(3, 2, seed=1, kind="plain")
    assert imp.image.dtype == np.uint8 and imp.image.ndim == 2
    assert imp.ppi == 500
    assert imp.finger == 2
    assert imp.minutiae.ndim == 2 and imp.minutiae.shape[1] == 4
    assert set(np.unique(imp.minutiae[:, 3])) <= {1.0, 2.0}
    h, w = imp.image.shape
    assert (imp.minutiae[:, 0] >= 0).all() and (imp.minutiae[:, 0] < w).all()
    assert (imp.minutiae[:, 1] >= 0).all() and (imp.minutiae[:, 1] < h).all()
    # Dark ridges on a light background: the background dominates the border.
    assert np.median(np.concatenate([imp.image[0], imp.image[-1]])) > 150


def test_same_inputs_same_impression_even_after_cache_cleared() -> None:
    a = synth.impression(11, 7, seed=4, kind="plain")
    _cache.clear_memory()
    b = synth.impression(11, 7, seed=4, kind="plain")
    assert np.array_equal(a.image, b.image)
    assert np.array_equal(a.minutiae, b.minutiae)


def test_seed_changes_impression_not_finger() -> None:
    a = synth.impression(11, 7, seed=4, kind="plain")
    b = synth.impression(11, 7, seed=5, kind="plain")
    assert not np.array_equal(a.image, b.image)
    assert a.pattern == b.pattern


def test_fingers_and_subjects_differ() -> None:
    a = synth.impression(1, 3, seed=1, kind="plain")
    b = synth.impression(2, 3, seed=1, kind="plain")
    c = synth.impression(1, 4, seed=1, kind="plain")
    assert not np.array_equal(a.image, b.image)
    assert not np.array_equal(a.image, c.image)


def test_rolled_is_larger_than_plain() -> None:
    rolled = synth.impression(5, 1, seed=2, kind="rolled")
    plain = synth.impression(5, 1, seed=2, kind="plain")
    assert rolled.image.size > plain.image.size
    # Ridge pixels: clearly darker than the platen, whatever the skin's contrast.
    dark = lambda img: int((img < np.median(img) - 40).sum())  # noqa: E731
    assert dark(rolled.image) > dark(plain.image)


# Dry skin is left out on purpose: its broken ridges add endings the master never had.
# Per finger the share found varies a lot (0.47-0.92 on 21 loop fingers of normal skin, mean 0.76
# for generator version 8 and 0.75 for version 9), so six fingers are checked and the bar sits well
# below that mean: a misplaced ground truth falls to the chance level (about 0.3), far below it.
@pytest.mark.parametrize(("condition", "least"), [("normal", 0.65), ("wet", 0.65)])
def test_ground_truth_lies_on_ridge_endings_and_bifurcations(condition: str, least: float) -> None:
    hits, chance, turns = [], [], []
    for subject in range(1, 7):
        imp = _with_skin(subject, condition)
        found = _skeleton_minutiae(imp.image)
        truth = _where_ridges_show(imp)
        assert len(imp.minutiae) >= 15 and len(truth) >= 10
        hits.append(_hit_rate(truth, found))
        # Where a minutia is found, its direction agrees too (angles survive the mapping).
        d = np.hypot(truth[:, None, 0] - found[None, :, 0], truth[:, None, 1] - found[None, :, 1])
        near = d.min(axis=1) < 6.0
        other = found[d.argmin(axis=1)[near], 2]
        turns.extend(np.abs((other - truth[near, 2] + np.pi) % (2 * np.pi) - np.pi))
        # The same points moved by more than a ridge period show the chance level.
        shifted = truth.copy()
        shifted[:, :2] += np.array([9.0, 9.0])
        chance.append(_hit_rate(shifted, found))
    assert np.mean(hits) >= least
    assert np.mean(chance) <= np.mean(hits) - 0.3
    assert np.median(turns) < np.radians(30)


def test_normal_skin_adds_few_minutiae_the_finger_never_had() -> None:
    """NBIS mindtct found a median 61-63 minutiae on synthetic plain impressions (issue 23: real
    sets 36-51, goal at most 60) where the master's visible ground truth has 39: the painting, not
    the finger, added the rest. Normal skin's ridge breaks (up to 10 % of the ridge cut away) were
    the largest share (about 5 of NBIS's minutiae): the crude skeleton below found 28.7 endings and
    bifurcations away from any true minutia per 10 000 px of clear ridges on subjects 1-8 (17-46
    per finger); with breaks of at most 3 %, 21.5."""
    spurious = []
    for subject in range(1, 9):
        imp = _with_skin(subject, "normal")
        found = _skeleton_minutiae(imp.image)
        truth = imp.minutiae
        d = np.hypot(found[:, None, 0] - truth[None, :, 0], found[:, None, 1] - truth[None, :, 1])
        clear_px = float((_ridge_contrast(imp.image) > 400.0).sum())
        spurious.append((d.min(axis=1) >= 6.0).sum() / clear_px * 1e4)
    assert np.mean(spurious) <= 25.0, np.round(spurious, 1)


def _platen_grain(image: np.ndarray) -> float:
    """Grey-level spread of the empty platen's pixel noise: the flattest, brightest tenth of the
    image (no ridges, no shading: the shading is removed by the high-pass)."""
    f = image.astype(np.float32)
    fine = f - cv2.GaussianBlur(f, (0, 0), 2.0)
    local = cv2.GaussianBlur(f, (0, 0), 6.0)
    spread = np.sqrt(np.maximum(cv2.GaussianBlur(f * f, (0, 0), 6.0) - local * local, 0))
    empty = (spread < np.percentile(spread, 10)) & (local > np.percentile(local, 60))
    return float(fine[empty].std())


def test_the_optical_platen_is_as_quiet_as_a_real_optical_scanner() -> None:
    """NBIS mindtct found a median 61 minutiae on synthetic plain impressions (issue 23: real sets
    36-51, goal at most 60) where 41 true ones are visible. Switching each painting step off in
    turn on 80 impressions (subjects 1-8), only the sensor's pixel noise moved it much: 60.5 -> 53
    (the ridge breaks, contact-edge noise, grain, pores: 1.5 or less each). That noise was also
    louder than real optical scanners': the empty platen's high-pass spread is 1.98 and 2.15 grey
    levels on FVC2002 DB2 and FVC2004 DB2 (optical), 4.0 on FVC2002 DB3 (capacitive), and was
    5.1 on version 10's synthetic impressions (40 of them)."""
    grain = [
        _platen_grain(synth.impression(s, f, seed=1, kind="plain").image) for s in (1, 2) for f in (2, 7)
    ]
    assert np.median(grain) <= 3.0, np.round(grain, 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [((1, 11, 0), "finger"), ((-1, 2, 0), "subject_id"), ((1, 2, 0, "slap"), "kind")],
)
def test_bad_arguments_are_named(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        synth.impression(*args)


def test_disk_cache_gives_the_same_impression(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = synth.impression(41, 6, seed=2, kind="plain")
    monkeypatch.setenv("BOOKING_STATION_SYNTH_CACHE", "disk")
    monkeypatch.setenv("BOOKING_STATION_CACHE_DIR", str(tmp_path))
    _cache.clear_memory()
    synth.impression(41, 6, seed=2, kind="plain")  # grows the master and stores it
    stored = list((tmp_path / "synth").rglob("41_06.npz"))
    assert len(stored) == 1
    _cache.clear_memory()
    from_disk = synth.impression(41, 6, seed=2, kind="plain")  # reads it back
    assert np.array_equal(from_disk.image, fresh.image)
    assert np.array_equal(from_disk.minutiae, fresh.minutiae)


def test_unreadable_disk_cache_is_regrown(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKING_STATION_SYNTH_CACHE", "disk")
    monkeypatch.setenv("BOOKING_STATION_CACHE_DIR", str(tmp_path))
    _cache.clear_memory()
    good = synth.impression(42, 6, seed=2, kind="plain")
    (path,) = list((tmp_path / "synth").rglob("42_06.npz"))
    path.write_bytes(b"not a numpy file")
    _cache.clear_memory()
    assert np.array_equal(synth.impression(42, 6, seed=2, kind="plain").image, good.image)


def _ridge_band_share(image: np.ndarray) -> float:
    """Share of the image's spectral energy at ridge frequencies (periods of 7 to 12 pixels)."""
    f = image.astype(np.float64) - image.mean()
    power = np.abs(np.fft.fftshift(np.fft.fft2(f))) ** 2
    h, w = f.shape
    yy, xx = np.mgrid[-h // 2 : h - h // 2, -w // 2 : w - w // 2]
    r = np.hypot(yy / h, xx / w)
    return float(power[(r > 1 / 12) & (r < 1 / 7)].sum() / power[r > 0.01].sum())


def test_bandaged_finger_shows_contact_without_ridges() -> None:
    plain = synth.impression(8, 3, seed=1, kind="plain")
    dressed = synth.impression(8, 3, seed=1, kind="plain", bandaged=True)
    assert dressed.bandaged and len(dressed.minutiae) == 0 and dressed.ground_truth()["minutiae"] == []
    # Something pressed on the platen in the middle...
    assert dressed.image[150:350, 120:280].mean() < np.median(dressed.image) - 8
    # ...with far less energy at ridge frequencies than the finger itself.
    assert _ridge_band_share(dressed.image) < 0.6 * _ridge_band_share(plain.image)
