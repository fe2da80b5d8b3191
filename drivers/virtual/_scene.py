"""The image the virtual person's fingers make for one capture, with its ground truth."""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from booking_station.fingers import LEFT_SLAP, RIGHT_SLAP, SLAP_FINGERS, THUMBS
from drivers.api import EXPECTED_FINGERS, CaptureMode, FingerPosition
from drivers.virtual._control import Fault, Subject

_SLAP_HAND = {CaptureMode.RIGHT_SLAP: "right", CaptureMode.LEFT_SLAP: "left"}
_OTHER_HAND = {"right": "left", "left": "right"}
_INDIVIDUAL = set(range(1, 11))


@dataclass(frozen=True)
class Scene:
    image: np.ndarray  # uint8, the finished print on the platen (before any platen residue)
    boxes: tuple[tuple[int, tuple[int, int, int, int]], ...]  # the fingers that touch, left to right
    expected: tuple[int, ...]  # what the station asked for (individual FGP codes)
    truth: dict  # JSON-ready ground truth


def expected_fingers(mode: CaptureMode, positions: tuple[int, ...]) -> tuple[int, ...]:
    """The individual fingers the station asked for; compound codes (13–15) mean the whole group."""
    individual = tuple(p for p in positions if p in _INDIVIDUAL)
    if individual:
        return individual
    if mode in EXPECTED_FINGERS:
        return tuple(int(f) for f in EXPECTED_FINGERS[mode])
    thumbs = {FingerPosition.PLAIN_RIGHT_THUMB: 1, FingerPosition.PLAIN_LEFT_THUMB: 6}
    for p in positions:
        if p in thumbs:
            return (thumbs[FingerPosition(p)],)
    return (FingerPosition.RIGHT_INDEX.value,)


def build(
    mode: CaptureMode, positions: tuple[int, ...], subject: Subject, seed: int, faults: frozenset[Fault]
) -> Scene:
    from matcher import synth  # heavy (numba); only when a capture really runs

    expected = expected_fingers(mode, positions)
    if mode in (CaptureMode.ROLLED, CaptureMode.PLAIN):
        finger = expected[0]
        if Fault.WRONG_HAND in faults:
            finger = finger + 5 if finger <= 5 else finger - 5
        if Fault.WRONG_FINGER in faults:
            finger = finger + 1 if finger not in (5, 10) else finger - 1
        if finger in subject.missing:
            # Nothing to put down: an empty platen with the finger's place marked for the record.
            raise MissingFinger(finger)
        imp = synth.impression(
            subject.subject_id, finger, seed, kind=mode.value, bandaged=finger in subject.bandaged
        )
        image = imp.image
        truth = imp.ground_truth()
        # The print's extent: where the smoothed image is clearly darker than the empty platen.
        ys, xs = np.nonzero(cv2.GaussianBlur(image, (0, 0), 5) < np.median(image[0]) - 30)
        box = (0, 0, 0, 0)
        if len(xs):
            box = (int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1))
        return Scene(image, ((finger, box),), expected, truth)
    hand = _SLAP_HAND.get(mode, "thumbs")
    if Fault.WRONG_HAND in faults and hand in _OTHER_HAND:
        hand = _OTHER_HAND[hand]
    on_capture = set(SLAP_FINGERS[{"right": RIGHT_SLAP, "left": LEFT_SLAP, "thumbs": THUMBS}[hand]])
    missing = set(subject.missing & on_capture)
    if Fault.TOO_FEW in faults:
        present = sorted(on_capture - missing)
        if present:
            missing.add(present[-1] if hand != "thumbs" else present[0])
    bandaged = subject.bandaged & on_capture
    with_thumb = Fault.TOO_MANY in faults and hand != "thumbs"
    if hand == "thumbs":
        made = synth.thumbs(subject.subject_id, seed, frozenset(missing), bandaged=frozenset(bandaged))
    else:
        made = synth.slap(
            subject.subject_id,
            hand,
            seed,
            frozenset(missing),
            bandaged=frozenset(bandaged),
            with_thumb=with_thumb,
        )
    return Scene(made.image, tuple(made.fingers), expected, made.ground_truth())


class MissingFinger(Exception):
    def __init__(self, finger: int) -> None:
        super().__init__(f"finger {finger} is amputated on the virtual subject")
        self.finger = finger

    def __reduce__(self):  # raised in a worker process, it crosses back intact (see `prepare`)
        return (MissingFinger, (self.finger,))


def prepare(
    mode: CaptureMode,
    positions: tuple[int, ...],
    subject: Subject,
    seed: int,
    faults: frozenset[Fault],
    dirty: bool,
    platen_seed: int,
) -> tuple[Scene, np.ndarray | None]:
    """The scene as the livescan's optics and camera show it, and the platen's residue if dirty.

    A pure function of its arguments (the same seed gives the same print), so the scanner may run
    it in a worker process (`drivers.virtual.render_with`)."""
    from drivers import _look

    scene = build(mode, positions, subject, seed, faults)
    # What the livescan's optics and camera make of the print (grey levels, range, noise).
    scene = replace(
        scene, image=_look.render(scene.image, _look.OPTICAL_LIVESCAN, np.random.default_rng(seed))
    )
    return scene, (residue(scene.image.shape, platen_seed) if dirty else None)


def residue(shape: tuple[int, int], seed: int) -> np.ndarray:
    """Latent smudges a dirty platen adds (0 = clean .. ~40 grey levels darker), fixed for the platen."""
    rng = np.random.default_rng(seed)
    h, w = shape
    blobs = cv2.GaussianBlur(rng.random((h // 8 + 1, w // 8 + 1)).astype(np.float32), (0, 0), 2.0)
    blobs = cv2.resize(blobs, (w, h), interpolation=cv2.INTER_CUBIC)
    blobs = np.clip((blobs - np.quantile(blobs, 0.85)) * 400.0, 0, 40)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    ridges = 0.5 + 0.5 * np.sin((xs * 0.6 + ys * 0.45) * 0.75)  # an old print's ridge marks
    return (blobs * (0.4 + 0.6 * ridges)).astype(np.float32)
