"""Master cache: in memory (LRU), and on disk when BOOKING_STATION_SYNTH_CACHE=disk.

Masters are pure functions of (subject_id, finger), so caching only saves time, never changes
results. The disk copy is keyed by the algorithm version, so a changed generator never reads an
old master.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from matcher.synth import _master, _orientation, _rng

_MEMORY_SIZE = 48
_lock = threading.Lock()
_memory: OrderedDict[tuple[int, int], _master.Master] = OrderedDict()
_log = logging.getLogger(__name__)


def _disk_dir() -> Path | None:
    if os.environ.get("BOOKING_STATION_SYNTH_CACHE", "").lower() != "disk":
        return None
    from booking_station.runtime import cache_dir

    return cache_dir() / "synth" / f"v{_rng.ALGORITHM_VERSION}"


def _load(path: Path, subject_id: int, finger: int) -> _master.Master | None:
    try:
        with np.load(path) as data:
            return _master.Master(
                subject_id=subject_id,
                finger=finger,
                pattern=_orientation.PatternClass(str(data["pattern"])),
                ridges=data["ridges"].astype(np.float32) / np.float32(127),
                mask=data["mask"].astype(np.float32) / np.float32(255),
                minutiae=data["minutiae"],
                cores=tuple(map(tuple, data["cores"].reshape(-1, 2).tolist())),
                deltas=tuple(map(tuple, data["deltas"].reshape(-1, 2).tolist())),
                period=float(data["period"]),
            )
    except (OSError, KeyError, ValueError) as exc:
        _log.warning("ignoring unreadable synth cache file %s: %s", path, exc)
        return None


def _store(path: Path, m: _master.Master) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(
        tmp,
        pattern=np.array(m.pattern.value),
        ridges=np.round(m.ridges * 127).astype(np.int8),
        mask=np.round(m.mask * 255).astype(np.uint8),
        minutiae=m.minutiae,
        cores=np.array(m.cores, np.float64).reshape(-1, 2),
        deltas=np.array(m.deltas, np.float64).reshape(-1, 2),
        period=np.array(m.period),
    )
    os.replace(tmp, path)


def master(subject_id: int, finger: int) -> _master.Master:
    key = (subject_id, finger)
    with _lock:
        found = _memory.get(key)
        if found is not None:
            _memory.move_to_end(key)
            return found
    folder = _disk_dir()
    made = None
    if folder is not None:
        path = folder / f"{subject_id}_{finger:02d}.npz"
        if path.exists():
            made = _load(path, subject_id, finger)
    if made is None:
        made = _master.generate(subject_id, finger)
        if folder is not None:
            _store(folder / f"{subject_id}_{finger:02d}.npz", made)
    with _lock:
        _memory[key] = made
        while len(_memory) > _MEMORY_SIZE:
            _memory.popitem(last=False)
    return made


def clear_memory() -> None:
    with _lock:
        _memory.clear()
