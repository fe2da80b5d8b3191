"""The pictures in docs/synth.md: `python -m matcher.synth._figures docs/images [SHARED_DATA]`."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from matcher import synth
from matcher.synth import _cache, _master, _orientation

_FONT = cv2.FONT_HERSHEY_SIMPLEX


def _label(img: np.ndarray, text: str) -> np.ndarray:
    out = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR) if img.ndim == 2 else img.copy()
    cv2.rectangle(out, (0, 0), (out.shape[1], 22), (255, 255, 255), -1)
    cv2.putText(out, text, (4, 16), _FONT, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    return out


def _row(images: list[np.ndarray], height: int) -> np.ndarray:
    tiles = []
    for img in images:
        pad = np.full((height, img.shape[1], 3), 255, np.uint8)
        pad[: img.shape[0]] = img[:height]
        tiles.append(pad)
        tiles.append(np.full((height, 8, 3), 255, np.uint8))
    return np.hstack(tiles[:-1])


def _scaled(img: np.ndarray, f: float) -> np.ndarray:
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def _master_of_class(cls: _orientation.PatternClass, finger: int) -> tuple[int, object]:
    for subject in range(1, 400):
        if _master.pattern_class(subject, finger) is cls:
            return subject, _cache.master(subject, finger)
    raise RuntimeError(f"no {cls} among the first subjects")


def masters(out: Path) -> None:
    tiles = []
    for cls in _orientation.PatternClass:
        subject, m = _master_of_class(cls, 3)
        img = np.clip(235 - 200 * np.clip(m.ridges, 0, 1) * m.mask, 0, 255).astype(np.uint8)
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
        for x, y in m.cores:
            cv2.circle(img, (int(x), int(y)), 9, (0, 0, 220), 2)
        for x, y in m.deltas:
            cv2.drawMarker(img, (int(x), int(y)), (220, 0, 0), cv2.MARKER_TRIANGLE_UP, 20, 2)
        tiles.append(_label(_scaled(img, 0.4), f"{cls.value} (subject {subject})"))
    _write(out / "synth-masters.png", _row(tiles, max(t.shape[0] for t in tiles)))


def _with_skin(subject: int, finger: int, condition: str, kind: str = "plain") -> synth.Impression:
    for seed in range(1, 200):
        imp = synth.impression(subject, finger, seed, kind)
        if imp.skin == condition:
            return imp
    raise RuntimeError(condition)


def versus_fvc(out: Path, shared: Path) -> None:
    """Real FVC impressions (top) above synthetic plain ones (bottom), every tile at the same scale."""
    f = 0.5  # every tile at the same scale, so ridge spacing compares directly
    real = []
    for name, label in (
        ("fvc2002_db1_b/103_2.tif", "FVC02 DB1"),
        ("fvc2002_db2_b/105_1.tif", "FVC02 DB2"),
        ("fvc2002_db3_b/102_3.tif", "FVC02 DB3"),
        ("fvc2004_db2_b/104_5.tif", "FVC04 DB2"),
        ("fvc2004_db4_b/101_1.tif", "FVC04 DB4"),
    ):
        img = cv2.imread(str(shared / "fingerprints" / name), cv2.IMREAD_GRAYSCALE)
        if img is not None:
            scale = f * (500.0 / 569.0 if "db2_b/105" in name and "2002" in name else 1.0)
            real.append(_label(_scaled(img, scale), label))
    fake = []
    for subject, finger, condition in (
        (4, 2, "normal"),
        (9, 3, "dry"),
        (12, 7, "wet"),
        (15, 1, "normal"),
        (21, 8, "dry"),
    ):
        imp = _with_skin(subject, finger, condition)
        fake.append(_label(_scaled(imp.image, f), f"synthetic, {condition}"))
    rows = [r for r in (real, fake) if r]
    height = max(t.shape[0] for r in rows for t in r)
    width = max(sum(t.shape[1] + 8 for t in r) for r in rows)
    stacked = []
    for r in rows:
        row = _row(r, height)
        stacked.append(np.hstack([row, np.full((height, width - row.shape[1], 3), 255, np.uint8)]))
        stacked.append(np.full((8, width, 3), 255, np.uint8))
    _write(out / "synth-vs-fvc.png", np.vstack(stacked[:-1]))


def sensors(out: Path, shared: Path) -> None:
    """Each USB sensor's real capture (libfprint's image of the recording) beside synthetic impressions."""
    tiles = []
    for name, folder in (("aes3500", "aes3500"), ("nb1010", "nb1010"), ("upektc", "upektc_img")):
        real = cv2.imread(str(shared / "usb" / folder / "capture.png"), cv2.IMREAD_GRAYSCALE)
        profile = synth.SENSORS[name]
        zoom = 1.5 * 500.0 / profile.ppi  # every tile at the same physical scale (750 screen px per inch)
        if real is not None:
            # libfprint doubles the AES3500's 128 x 128 frame; show it at its own physical size.
            real_zoom = zoom * (profile.plain_frame[0] / real.shape[1])
            tiles.append(_label(_scaled_up(real, real_zoom), f"{name}: real capture"))
        for seed in (1, 2):
            imp = synth.impression(5, 2 + seed, seed, "plain", sensor=name)
            tiles.append(_label(_scaled_up(imp.image, zoom), f"{name}: synthetic"))
    _write(out / "synth-sensors.png", _row(tiles, max(t.shape[0] for t in tiles)))


def _scaled_up(img: np.ndarray, f: float) -> np.ndarray:
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_NEAREST if f > 1 else cv2.INTER_AREA)


def impressions(out: Path) -> None:
    tiles = []
    for kind, seed in (("rolled", 1), ("plain", 1), ("plain", 2)):
        imp = synth.impression(7, 2, seed, kind)
        img = cv2.cvtColor(imp.image, cv2.COLOR_GRAY2BGR)
        for x, y, a, t in imp.minutiae:
            colour = (0, 0, 230) if t == 1 else (230, 90, 0)
            p = (int(round(x)), int(round(y)))
            cv2.circle(img, p, 5, colour, 1, cv2.LINE_AA)
            cv2.line(
                img,
                p,
                (int(round(x + 12 * np.cos(a))), int(round(y + 12 * np.sin(a)))),
                colour,
                1,
                cv2.LINE_AA,
            )
        tiles.append(_label(_scaled(img, 0.5), f"{kind}, seed {seed}: {len(imp.minutiae)} minutiae"))
    _write(out / "synth-impressions.png", _row(tiles, max(t.shape[0] for t in tiles)))


def slaps(out: Path) -> None:
    right = synth.slap(7, "right", seed=1)
    thumbs = synth.thumbs(7, seed=1, bandaged=frozenset({1}))
    tiles = []
    for s, label in ((right, "right slap"), (thumbs, "thumbs (right thumb bandaged)")):
        img = cv2.cvtColor(s.image, cv2.COLOR_GRAY2BGR)
        for fgp, (x, y, w, h) in s.fingers:
            cv2.rectangle(img, (x, y), (x + w, y + h), (0, 0, 220), 3)
            cv2.putText(img, str(fgp), (x + 8, y + 40), _FONT, 1.4, (0, 0, 220), 3, cv2.LINE_AA)
        tiles.append(_label(_scaled(img, 0.25), label))
    _write(out / "synth-slaps.png", _row(tiles, max(t.shape[0] for t in tiles)))


def _write(path: Path, img: np.ndarray) -> None:
    """PNG, grey where nothing is coloured, as small as PNG gets (the docs keep each under 300 KB)."""
    if (
        img.ndim == 3
        and np.array_equal(img[..., 0], img[..., 1])
        and np.array_equal(img[..., 1], img[..., 2])
    ):
        img = img[..., 0]
    cv2.imwrite(str(path), img, [cv2.IMWRITE_PNG_COMPRESSION, 9])


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("docs/images")
    shared = Path(argv[1]) if len(argv) > 1 else Path("../shared/data")
    out.mkdir(parents=True, exist_ok=True)
    cv2.setNumThreads(1)
    masters(out)
    versus_fvc(out, shared)
    sensors(out, shared)
    impressions(out)
    slaps(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
