"""Impressions of a master: contact region, placement, elastic distortion, skin, pressure, noise.

The output pixel q looks up the master at p = R⁻¹(q − t) + D(q): a rigid placement plus a smooth
distortion D that is zero where the finger presses hardest and grows outwards (Cappelli's model).
Minutiae go the other way, solved by fixed-point iteration of the same mapping, so the ground
truth lands exactly where the rendered ridges put it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np

from matcher.synth import _rng
from matcher.synth._master import Master
from matcher.synth._sensors import Sensor

#: Output image size (width, height) at 500 ppi per kind of impression.
CANVAS = {"rolled": (600, 640), "plain": (400, 500)}


@dataclass(frozen=True)
class Placement:
    """Where the master goes: rotation, translation, distortion and the contact region, in output pixels."""

    angle: float  # radians, counter-clockwise on the image
    centre_master: tuple[float, float]  # master point put at centre_out
    centre_out: tuple[float, float]
    distortion: np.ndarray  # (h, w, 2) float32 displacement in master pixels, defined on the output grid


def _rotation(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    # Counter-clockwise on screen with y pointing down.
    return np.array([[c, s], [-s, c]])


@functools.lru_cache(maxsize=16)
def _grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel row and column coordinates (float32, read-only), shared by every impression of a size."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    ys.flags.writeable = False
    xs.flags.writeable = False
    return ys, xs


def _smooth_field(
    rng: np.random.Generator, shape: tuple[int, int], amplitude: float, cells: int
) -> np.ndarray:
    h, w = shape
    coarse = rng.normal(0, amplitude, (cells, cells, 2)).astype(np.float32)
    return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)


def inverse_maps(place: Placement, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Master coordinates (map_x, map_y) for every output pixel, ready for cv2.remap."""
    h, w = shape
    ys, xs = _grid(h, w)
    inv = _rotation(place.angle).T.astype(np.float32)
    qx, qy = xs - place.centre_out[0], ys - place.centre_out[1]
    mx = inv[0, 0] * qx + inv[0, 1] * qy + place.centre_master[0] + place.distortion[..., 0]
    my = inv[1, 0] * qx + inv[1, 1] * qy + place.centre_master[1] + place.distortion[..., 1]
    return mx.astype(np.float32), my.astype(np.float32)


def forward_points(place: Placement, points: np.ndarray) -> np.ndarray:
    """Output coordinates of master points (N x 2), inverting `inverse_maps` by fixed-point iteration."""
    rot = _rotation(place.angle)
    h, w = place.distortion.shape[:2]
    p = np.asarray(points, np.float64).reshape(-1, 2)
    if len(p) == 0:
        return p.copy()
    centre_m = np.asarray(place.centre_master)
    centre_o = np.asarray(place.centre_out)
    q = (p - centre_m) @ rot.T + centre_o
    for _ in range(6):
        qx = np.clip(q[:, 0], 0, w - 1).astype(np.float32)
        qy = np.clip(q[:, 1], 0, h - 1).astype(np.float32)
        d = cv2.remap(place.distortion, qx[None, :], qy[None, :], cv2.INTER_LINEAR)[0]
        q = (p - d - centre_m) @ rot.T + centre_o
    return q


def map_minutiae(place: Placement, minutiae: np.ndarray) -> np.ndarray:
    """Minutiae (x, y, angle, type) moved from master to output coordinates, angles included."""
    if len(minutiae) == 0:
        return minutiae.reshape(0, 4).copy()
    step = 4.0
    tips = minutiae[:, :2] + step * np.stack([np.cos(minutiae[:, 2]), np.sin(minutiae[:, 2])], axis=1)
    a = forward_points(place, minutiae[:, :2])
    b = forward_points(place, tips)
    angle = np.mod(np.arctan2(b[:, 1] - a[:, 1], b[:, 0] - a[:, 0]), 2 * np.pi)
    return np.column_stack([a, angle, minutiae[:, 3]])


def contact_region(
    master: Master, kind: str, rng: np.random.Generator
) -> tuple[np.ndarray, tuple[float, float]]:
    """Soft mask (master coordinates) of the skin that touched the platen, and its centre.

    Rolled: nail to nail, down to the first crease. Plain: the pad pressed flat, a smaller oval.
    """
    h, w = master.shape
    inside = master.mask > 0.5
    rows, cols = np.flatnonzero(inside.any(axis=1)), np.flatnonzero(inside.any(axis=0))
    top, bottom, left, right = rows[0], rows[-1], cols[0], cols[-1]
    fw, fh = right - left, bottom - top
    if kind == "rolled":
        cx = (left + right) / 2 + rng.normal(0, 4)
        cy = top + fh * rng.uniform(0.48, 0.55)
        ax, ay = fw * rng.uniform(0.47, 0.52), fh * rng.uniform(0.50, 0.56)
        power = rng.uniform(3.5, 5.0)
    else:
        # Each placement lands the pad differently: a different part of the finger shows, pressed
        # harder (a bigger oval) or lighter, sometimes only the tip or one side of it.
        cx = (left + right) / 2 + rng.normal(0, fw * 0.09)
        cy = top + fh * rng.uniform(0.36, 0.58)
        ax, ay = fw * rng.uniform(0.24, 0.37), fh * rng.uniform(0.27, 0.41)
        if rng.random() < 0.2:
            cx += rng.choice([-1, 1]) * fw * rng.uniform(0.08, 0.18)
            ax *= rng.uniform(0.75, 0.95)
        power = rng.uniform(1.8, 2.8)
    # The oval is smooth: compute it on a grid 4 pixels apart and interpolate.
    ys, xs = _grid((h + 3) // 4, (w + 3) // 4)
    ellipse = np.abs((xs * 4 - cx) / ax) ** power + np.abs((ys * 4 - cy) / ay) ** power
    # A ragged edge: skin lifts off unevenly.
    ragged = _smooth_field(rng, ellipse.shape, 0.12, 6)[..., 0]
    coarse = np.clip((1.0 - ellipse + ragged) * 6.0, 0, 1).astype(np.float32)
    fine = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_LINEAR)
    return fine * master.mask, (float(cx), float(cy))


@dataclass(frozen=True)
class Skin:
    threshold: float  # > 0 thins ridges (dry), < 0 thickens them (wet)
    breaks: float  # fraction of ridge broken by dryness
    blots: float  # wet blotches
    pressure: float  # 0.5 light .. 1.2 heavy
    condition: str = "normal"  # normal, dry or wet


def draw_skin(rng: np.random.Generator, assisted: bool = False) -> Skin:
    """Moisture and pressure of one capture.

    A finger put down on its own (a plain impression, as FVC's volunteers did) ranges from very dry
    to soaking wet. Booking captures (rolled prints, slaps) are `assisted`: the operator has the
    finger wiped or moistened and guides the pressure, so the extremes are milder.
    """
    if assisted:
        condition = rng.choice(["normal", "dry", "wet"], p=[0.65, 0.2, 0.15])
        if condition == "dry":
            return Skin(rng.uniform(0.1, 0.3), rng.uniform(0.08, 0.25), 0.0, rng.uniform(0.7, 0.95), "dry")
        if condition == "wet":
            return Skin(rng.uniform(-0.4, -0.15), 0.0, rng.uniform(0.05, 0.2), rng.uniform(0.9, 1.15), "wet")
        return Skin(rng.uniform(-0.12, 0.12), rng.uniform(0.0, 0.06), 0.0, rng.uniform(0.8, 1.05))
    condition = rng.choice(["normal", "dry", "wet"], p=[0.5, 0.28, 0.22])
    if condition == "dry":
        return Skin(rng.uniform(0.12, 0.5), rng.uniform(0.1, 0.35), 0.0, rng.uniform(0.6, 0.95), "dry")
    if condition == "wet":
        return Skin(rng.uniform(-0.55, -0.18), 0.0, rng.uniform(0.06, 0.35), rng.uniform(0.9, 1.2), "wet")
    return Skin(rng.uniform(-0.15, 0.15), rng.uniform(0.0, 0.03), 0.0, rng.uniform(0.7, 1.05))


@dataclass(frozen=True)
class PlacedFinger:
    """One finger put on an output canvas: its ridge field, contact alpha, mapping and visible minutiae."""

    ridges: np.ndarray  # float32, master ridge field resampled to the canvas
    alpha: np.ndarray  # float32 0..1, contact
    place: Placement
    minutiae: np.ndarray  # N x 4 in canvas pixels, only those well inside the contact
    marks: np.ndarray | None = None  # float32 0..1, creases and scars on the canvas


def place_finger(
    master: Master,
    kind: str,
    rng: np.random.Generator,
    canvas: tuple[int, int],
    angle: float | None = None,
    *,
    cut_off: bool = True,
) -> PlacedFinger:
    """Put the finger on a (width, height) canvas, centred with some jitter; a plain finger placed
    off-centre runs off the platen's edge now and then (`cut_off`)."""
    w, h = canvas
    region, centre = contact_region(master, kind, rng)
    max_angle = 0.12 if kind == "rolled" else 0.4
    drawn = float(rng.uniform(-max_angle, max_angle))
    shift = np.array([rng.normal(0, w * 0.03), rng.normal(0, h * 0.03)])
    if kind == "plain" and cut_off and rng.random() < 0.3:
        towards = rng.uniform(0, 2 * np.pi)
        shift += np.array([np.cos(towards) * w, np.sin(towards) * h]) * rng.uniform(0.1, 0.25)
    place = Placement(
        angle=drawn if angle is None else angle + drawn * 0.2,
        centre_master=centre,
        centre_out=(w / 2 + shift[0], h / 2 + shift[1]),
        distortion=_distortion(rng, (h, w), kind),
    )
    mx, my = inverse_maps(place, (h, w))
    ridges = cv2.remap(master.ridges, mx, my, cv2.INTER_LINEAR, borderValue=0.0)
    alpha = cv2.remap(region, mx, my, cv2.INTER_LINEAR, borderValue=0.0)
    marks = cv2.remap(skin_marks(master), mx, my, cv2.INTER_LINEAR, borderValue=0.0)
    truth = map_minutiae(place, master.minutiae)
    keep = _visible(truth, alpha)
    if len(truth):
        # A minutia under a scar is not on the print.
        xs = np.clip(np.round(truth[:, 0]).astype(int), 0, w - 1)
        ys = np.clip(np.round(truth[:, 1]).astype(int), 0, h - 1)
        keep &= marks[ys, xs] < 0.5
    return PlacedFinger(ridges, alpha, place, truth[keep], marks)


@functools.lru_cache(maxsize=64)
def _marks_of(subject_id: int, finger: int, shape: tuple[int, int]) -> np.ndarray:
    """Creases and scars of one finger (master coordinates, 0 = skin, 1 = no ridge contact).

    Permanent like the ridges, so every impression shows the same ones: a few to a dozen thin
    white creases (more with age), roughly across the finger; one finger in twenty has a scar.
    """
    rng = _rng.generator("marks", subject_id, finger)
    h, w = shape
    marks = np.zeros((h, w), np.float32)
    for _ in range(int(rng.choice([0, 1, 2, 4, 6, 9, 12], p=[0.2, 0.2, 0.2, 0.15, 0.12, 0.08, 0.05]))):
        x, y = rng.uniform(0.15 * w, 0.85 * w), rng.uniform(0.3 * h, 0.95 * h)
        a = rng.normal(0, 0.45) + (np.pi if rng.random() < 0.5 else 0)
        length = rng.uniform(20, 140)
        dx, dy = np.cos(a) * length / 2, np.sin(a) * length / 2
        bend = rng.normal(0, 0.15 * length, 2)
        pts = np.array([(x - dx, y - dy), (x + bend[0] * 0.3, y + bend[1] * 0.3), (x + dx, y + dy)], np.int32)
        cv2.polylines(marks, [pts], False, 1.0, int(rng.integers(2, 5)), cv2.LINE_AA)
    if rng.random() < 0.05:
        x, y = rng.uniform(0.25 * w, 0.75 * w), rng.uniform(0.3 * h, 0.8 * h)
        axes = (int(rng.uniform(25, 90)), int(rng.uniform(4, 10)))
        cv2.ellipse(marks, (int(x), int(y)), axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1, cv2.LINE_AA)
    marks = cv2.GaussianBlur(marks, (0, 0), 0.8)
    marks.flags.writeable = False
    return marks


def skin_marks(master: Master) -> np.ndarray:
    return _marks_of(master.subject_id, master.finger, master.shape)


def dressing(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A gauze weave instead of ridges: mid-grey, cross-hatched, no minutiae."""
    h, w = shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    weave = np.sin(xs * 1.3) * np.sin(ys * 1.3)
    return (0.15 * weave + rng.normal(0, 0.1, (h, w))).astype(np.float32)


def render(
    master: Master, kind: str, rng: np.random.Generator, bandaged: bool, sensor: Sensor
) -> tuple[np.ndarray, PlacedFinger, Skin, float]:
    """One single-finger impression as `sensor` takes it: the uint8 image, the placed finger (with
    its ground truth, in 500 ppi canvas pixels), the skin, and the factor from canvas to image pixels.

    A bandaged finger presses a dressing onto the platen: the same contact, no ridges, no minutiae.
    """
    scale = sensor.ppi / 500.0
    if kind == "rolled":
        canvas = CANVAS["rolled"]
    else:
        canvas = (int(round(sensor.plain_frame[0] / scale)), int(round(sensor.plain_frame[1] / scale)))
    finger = place_finger(master, kind, rng, canvas)
    skin = draw_skin(rng, assisted=kind == "rolled")
    if bandaged:
        finger = PlacedFinger(
            dressing(finger.ridges.shape, rng), finger.alpha, finger.place, np.zeros((0, 4)), None
        )
    image = paint(finger.ridges, finger.alpha, skin, rng, sensor, finger.marks)
    return to_sensor(image, sensor, rng), finger, skin, scale


def _distortion(rng: np.random.Generator, shape: tuple[int, int], kind: str) -> np.ndarray:
    """Cappelli's model: zero where the finger presses hardest, growing outwards, where the skin
    was dragged (a shift and a twist of the outer skin against the pressed middle) plus smooth
    random stretch. Plain sizes reach those of FVC2004, whose volunteers were asked to push,
    twist and press; rolled prints are gentler."""
    h, w = shape
    # Smooth by construction: build it 8 pixels apart and interpolate.
    ch, cw = (h + 7) // 8, (w + 7) // 8
    ys, xs = _grid(ch, cw)
    px, py = cw / 2 + rng.normal(0, cw * 0.08), ch / 2 + rng.normal(0, ch * 0.08)
    r = np.hypot((xs - px) / (cw / 2), (ys - py) / (ch / 2))
    if kind == "rolled":
        inner, drag, twist, amp = 0.25, 1.5, np.radians(1.0), rng.uniform(2.0, 3.5)
    else:
        inner, drag, twist, amp = (
            rng.uniform(0.15, 0.35),
            rng.uniform(2.0, 9.0),
            np.radians(3.0),
            rng.uniform(2.0, 7.0),
        )
    grow = np.clip((r - inner) / (1.0 - inner), 0, 1)
    grow = grow * grow * (3 - 2 * grow)  # smoothstep: no kink where the drag starts
    angle = rng.normal(0, twist)
    shift = rng.normal(0, drag, 2) / 8.0  # in coarse cells
    qx, qy = xs - px, ys - py
    drag_x = (np.cos(angle) - 1) * qx - np.sin(angle) * qy + shift[0]
    drag_y = np.sin(angle) * qx + (np.cos(angle) - 1) * qy + shift[1]
    coarse = np.stack([drag_x * 8.0, drag_y * 8.0], axis=-1) * grow[..., None]
    coarse += _smooth_field(rng, (ch, cw), amp, 4) * (np.clip((r - 0.25) / 0.75, 0, None) ** 1.5)[..., None]
    return cv2.resize(coarse.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)


def _noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Zero-mean, unit-spread smooth noise; drawn at reduced size when smooth enough to hide it."""
    h, w = shape
    step = 1 if sigma < 2.0 else (2 if sigma < 6.0 else 8)
    small = rng.random(((h + step - 1) // step, (w + step - 1) // step), dtype=np.float32)
    field = cv2.GaussianBlur(small, (0, 0), sigma / step)
    if step > 1:
        field = cv2.resize(field, (w, h), interpolation=cv2.INTER_LINEAR)
    mean, std = cv2.meanStdDev(field)
    return (field - float(mean[0, 0])) / (float(std[0, 0]) + 1e-6)


def _pores(rng: np.random.Generator, ridges: np.ndarray) -> np.ndarray:
    """Sweat pores: light dots on the ridge crests (about one per 170 px² of crest), drawn as sparse points."""
    h, w = ridges.shape
    n = int(h * w * 0.006)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    on_crest = ridges[ys, xs] > 0.6
    dots = np.zeros((h, w), np.float32)
    dots[ys[on_crest], xs[on_crest]] = 1.0
    return np.clip(cv2.GaussianBlur(dots, (0, 0), 0.9) * 5.0, 0, 1)


def paint(
    ridges: np.ndarray,
    alpha: np.ndarray,
    skin: Skin,
    rng: np.random.Generator,
    sensor: Sensor,
    marks: np.ndarray | None = None,
) -> np.ndarray:
    """Skin on the platen at 500 ppi: ridge width from moisture, patchy pressure, rough ridge edges,
    pores, creases and scars, then the sensor's contrast, shading, residue, blur and noise."""
    h, w = ridges.shape
    # Moisture and pressure vary over the finger in patches.
    patches = _noise(rng, (h, w), 18.0)
    threshold = skin.threshold + 0.12 * patches
    # Rough ridge edges and small breaks: mid-frequency noise added to the ridge field.
    rough = _noise(rng, (h, w), 1.3) * rng.uniform(0.25, 0.45)
    ink = 0.5 + 0.5 * np.tanh((ridges + rough - threshold) * 3.5)  # a soft step (logistic, slope 7)
    ink *= 1.0 - 0.9 * _pores(rng, ridges)
    # Skin grain: ridges do not print as even bands but as a mottle of stronger and weaker contact.
    ink *= np.clip(1.0 - rng.uniform(0.1, 0.25) * _noise(rng, (h, w), 0.8), 0, 1)
    if skin.breaks > 0:
        speckle = _noise(rng, (h, w), 1.6)
        cut = np.quantile(speckle[::4, ::4], skin.breaks)
        ink *= np.clip((speckle - cut) * 2.0 + 0.5, 0, 1)
    if skin.blots > 0:
        blot = _noise(rng, (h, w), 4.0)
        ink = np.maximum(ink, np.clip((blot - np.quantile(blot[::4, ::4], 1 - skin.blots)) * 1.5, 0, 0.85))
    if marks is not None:
        ink *= 1.0 - marks * rng.uniform(0.6, 1.0)  # creases show more or less with pressure
    if sensor.speckle > 0:
        ink *= rng.random((h, w), dtype=np.float32) > sensor.speckle
    # Pressure: full contrast where pressed; towards the edge of the contact the skin lifts off
    # unevenly, so ridges fade and break up rather than stopping at a line.
    lift = np.clip(alpha * 1.6 - 0.3 + 0.25 * _noise(rng, (h, w), 3.0) * np.minimum(alpha * 4.0, 1.0), 0, 1)
    pressure = np.clip(skin.pressure * (1.0 + rng.uniform(0.15, 0.45) * patches), 0.2, 1.2)
    contact = np.clip(lift * pressure * 1.15, 0, 1)
    if skin.condition == "dry" and sensor.dry_fade > 0:
        contact *= np.clip(1.0 - sensor.dry_fade * (1.0 + patches), 0.1, 1.0)
    background = rng.uniform(*sensor.background)
    contrast = rng.uniform(*sensor.contrast) * min(skin.pressure, 1.0)
    shade = _smooth_field(rng, (h, w), sensor.shading, 3)[..., 0]
    img = background + shade - contrast * np.clip(ink * contact * sensor.gain, 0, 1)
    if rng.random() < sensor.latents:
        # Residue of earlier fingers: faint grainy smudges on the glass around the print.
        blob = np.clip(_noise(rng, (h, w), 25.0) - 0.8, 0, None)
        grain = np.clip(_noise(rng, (h, w), 1.5), 0, None)
        img -= rng.uniform(8, 25) * blob * grain * (1 - np.clip(alpha * 2, 0, 1))
    img = cv2.GaussianBlur(img.astype(np.float32), (0, 0), rng.uniform(*sensor.blur))
    img += rng.standard_normal((h, w), dtype=np.float32) * np.float32(rng.uniform(*sensor.noise))
    return np.clip(img, 0, 255).astype(np.uint8)


def to_sensor(image: np.ndarray, sensor: Sensor, rng: np.random.Generator) -> np.ndarray:
    """The 500 ppi painting sampled as the sensor does: its resolution, readout seams, grey depth."""
    if sensor.ppi != 500.0:
        w, h = sensor.plain_frame
        image = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
    if sensor.row_seams:
        out = image.astype(np.float32)
        out[:: sensor.row_seams] += rng.uniform(-18, 18, (len(out[:: sensor.row_seams]), 1)).astype(
            np.float32
        )
        image = np.clip(out, 0, 255).astype(np.uint8)
    if sensor.grey_levels < 256:
        step = 255.0 / (sensor.grey_levels - 1)
        image = (np.round(image / step) * step).astype(np.uint8)
    return image


def _visible(points: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Minutiae that fall well inside the contact region of the output image."""
    h, w = alpha.shape
    if len(points) == 0:
        return np.zeros(0, bool)
    inner = cv2.erode((alpha > 0.6).astype(np.uint8), np.ones((15, 15), np.uint8))
    x = np.round(points[:, 0]).astype(int)
    y = np.round(points[:, 1]).astype(int)
    ok = (x >= 0) & (y >= 0) & (x < w) & (y < h)
    ok[ok] = inner[y[ok], x[ok]] > 0
    return ok
