"""Templates for `bench search`: synthetic mates and a large population of distinct-looking fillers.

Synthetic fingers cost ~0.3 s each (rendering + extraction), so their templates are cached on disk
under the runtime cache folder, keyed by the sources that make them (generator version and the
feature extractor), and a rerun reads them back in milliseconds.

A gallery of 10^5–10^6 cannot have that many rendered fingers in a bench's time, so most fillers
are derived from a pool of distinct rendered fingers by perturbations strong enough to change
the local minutia structures an index hashes: dropped and spurious minutiae, jitter, and splicing
the halves of two different fingers, plus a rigid motion (which MCC is invariant to, so it
changes the image of the template, not its cylinders).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from booking_station.progress import track
from matcher import _texture
from matcher._template import Template

_MATE_BASE = 0  # subject ids of mates (as the bench always had them)
_FILLER_BASE = 100_000  # subject ids of filler fingers


def _cache_folder() -> Path:
    from booking_station.runtime import cache_dir
    from matcher.synth import _rng

    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("_features.py", "_skeleton.py", "_image.py", "_texture.py", "_template.py"):
        digest.update((here / name).read_bytes())
    digest.update(str(_rng.ALGORITHM_VERSION).encode())
    folder = cache_dir() / "bench-search" / digest.hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def synthetic(subject_id: int, finger: int, seed: int, kind: str) -> Template:
    """Template of one synthetic impression, from the disk cache when it was made before."""
    path = _cache_folder() / f"{subject_id}_{finger}_{seed}_{kind}.tpl"
    try:
        return Template.from_bytes(path.read_bytes())
    except (OSError, ValueError):
        pass
    from matcher import synth

    imp = synth.impression(subject_id, finger, seed=seed, kind=kind)
    t = Template.from_image(imp.image, imp.ppi)
    # Round-trip so a fresh and a cached run see the same (1/8 px) minutiae.
    data = t.to_bytes()
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return Template.from_bytes(data)


def mates(n: int, first: int = 0) -> Iterator[tuple[int, Template, Template]]:
    """(finger, rolled enrolment, plain probe) of synthetic subjects first … first + n − 1."""
    if first < 0 or first + n > _FILLER_BASE - _MATE_BASE:
        limit = _FILLER_BASE - _MATE_BASE
        raise ValueError(
            f"mates {first}…{first + n - 1}: they must lie in 0…{limit - 1} (the fillers come after)"
        )
    for s in range(first, first + n):
        finger = 1 + s % 10
        yield (
            finger,
            synthetic(_MATE_BASE + s, finger, 0, "rolled"),
            synthetic(_MATE_BASE + s, finger, 1, "plain"),
        )


def pool(n: int, *, quiet: bool = True) -> list[Template]:
    """Rolled templates of n distinct synthetic filler fingers (with a progress bar unless quiet)."""
    fingers = track(range(n), "distinct filler fingers", unit="finger", quiet=quiet)
    return [synthetic(_FILLER_BASE + k, 1 + k % 10, 0, "rolled") for k in fingers]


def _rigid(m: np.ndarray, t: Template, rng: np.random.Generator) -> np.ndarray:
    a = rng.uniform(-np.pi, np.pi)
    c, s = np.cos(a), np.sin(a)
    cx, cy = t.width / 2, t.height / 2
    x, y = m[:, 0] - cx, m[:, 1] - cy
    out = m.copy()
    out[:, 0] = c * x - s * y + cx + rng.uniform(-40, 40)
    out[:, 1] = s * x + c * y + cy + rng.uniform(-40, 40)
    out[:, 2] = np.mod(m[:, 2] + a, 2 * np.pi)
    return out


def derive(a: Template, b: Template, rng: np.random.Generator) -> Template:
    """A filler unlike its sources: a (spliced with b along a random line half the time), 20–40 %
    of minutiae dropped, spurious ones added (at least 10 %, and enough to bring the count back to
    90–110 % of a's, so fillers are as rich as real rolled prints), positions jittered by σ 4 px
    and angles by σ 0.15 rad, then moved rigidly. Kept minutiae keep their texture descriptors
    (they are relative to the minutia, so a rigid move leaves them valid); spurious ones have none."""
    m = a.minutiae.astype(np.float64)
    tex = a.texture
    if rng.random() < 0.5:
        # Splice: a's minutiae on one side of a line through the middle, b's on the other.
        phi = rng.uniform(0, np.pi)
        nx, ny = np.cos(phi), np.sin(phi)
        mb = b.minutiae.astype(np.float64)
        side_a = (m[:, 0] - a.width / 2) * nx + (m[:, 1] - a.height / 2) * ny < 0
        side_b = (mb[:, 0] - b.width / 2) * nx + (mb[:, 1] - b.height / 2) * ny >= 0
        mb = mb[side_b]
        mb[:, 0] += (a.width - b.width) / 2
        mb[:, 1] += (a.height - b.height) / 2
        m = np.concatenate([m[side_a], mb])
        tex = np.concatenate([tex[side_a], b.texture[side_b]])
    n_target = int(round(len(a) * rng.uniform(0.9, 1.1)))  # as many minutiae as a real rolled print
    kept = rng.random(len(m)) >= rng.uniform(0.2, 0.4)
    m, tex = m[kept], tex[kept]
    n_spurious = max(n_target - len(m), int(round(len(m) * 0.1)))
    if len(m) and n_spurious:
        lo, hi = m[:, :2].min(axis=0), m[:, :2].max(axis=0)
        extra = np.column_stack(
            [
                rng.uniform(lo[0], hi[0], n_spurious),
                rng.uniform(lo[1], hi[1], n_spurious),
                rng.uniform(0, 2 * np.pi, n_spurious),
                rng.integers(1, 3, n_spurious).astype(np.float64),
            ]
        )
        m = np.concatenate([m, extra])
        tex = np.concatenate([tex, _texture.absent(n_spurious)])
    m[:, 0] += rng.normal(0, 4, len(m))
    m[:, 1] += rng.normal(0, 4, len(m))
    m[:, 2] = np.mod(m[:, 2] + rng.normal(0, 0.15, len(m)), 2 * np.pi)
    # Coordinates may leave the original frame: MCC needs only relative positions.
    return Template(_rigid(m, a, rng).astype(np.float32), a.width, a.height, texture=tex)


def filler(k: int, distinct: Sequence[Template], seed: int = 0) -> Template:
    """Filler k of a gallery over `distinct`: distinct[k] itself for the first ones, then one
    derived from two of them by a random stream of its own (seed, k), so any process can make
    filler k alone: a cluster's shards derive their own, the same templates as one process."""
    if k < len(distinct):
        return distinct[k]
    rng = np.random.default_rng((seed, k))
    i, j = rng.integers(0, len(distinct), 2)
    return derive(distinct[i], distinct[(j + (i == j)) % len(distinct)], rng)


def fillers(n: int, distinct: list[Template], seed: int = 0) -> Iterator[Template]:
    """n fillers: the distinct fingers first, then derived ones (`filler` of 0 … n − 1)."""
    for k in range(n):
        yield filler(k, distinct, seed)
