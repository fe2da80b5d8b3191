"""What is on the virtual platen, and what goes wrong next: the control object behind the Python API
and the socket protocol.

One control per process (`control()`), shared by every VirtualScanner, so a test or the socket can
set the scene before the station opens the device. Faults are one-shot: each applies to the next
capture and is then used up (like the commands queued to libfprint's virtual devices). A dirty
platen stays dirty until cleaned; an unplugged scanner stays gone until plugged back.
"""

from __future__ import annotations

import enum
import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

_log = logging.getLogger(__name__)


class Fault(enum.Enum):
    RETRY = "retry"  # the capture ends with a retryable ScannerError (finger not centred)
    FATAL = "fatal"  # the capture ends with a non-retryable ScannerError (sensor failure)
    UNPLUG = "unplug"  # the device goes away mid-capture: ScannerError(device_gone=True)
    SLOW = "slow"  # frames and phases slowed by Timing.slow_factor
    WRONG_HAND = "wrong-hand"  # the other hand (slaps, thumbs: the hands swapped; single finger: same finger, other hand)
    WRONG_FINGER = "wrong-finger"  # single-finger modes: the neighbouring finger of the same hand
    TOO_MANY = "too-many"  # a thumb strays onto a four-finger slap (slap modes)
    TOO_FEW = "too-few"  # one finger held off the platen (slaps and thumbs)


@dataclass(frozen=True)
class Timing:
    """How the virtual person and device pace a capture; tests make it fast."""

    fps: float = 25.0
    approach_s: float = 0.5  # empty platen before the finger arrives (auto mode)
    place_s: float = 0.4  # finger touching down, contact growing
    press_s: float = 0.4  # pressure rising to a good image
    roll_s: float = 1.2  # rolled mode: nail to nail
    stable_frames: int = 5  # identical good frames before auto-capture
    lift_s: float = 0.3
    patience_s: float = 3.0  # a wrong finger count held this long (auto mode) ends in a retryable error
    slow_factor: float = 4.0  # the SLOW fault stretches everything by this much

    @classmethod
    def fast(cls) -> Timing:
        """A few frames per phase, milliseconds apart: for tests."""
        return cls(
            fps=500.0,
            approach_s=0.004,
            place_s=0.004,
            press_s=0.004,
            roll_s=0.008,
            stable_frames=2,
            lift_s=0.004,
            patience_s=0.02,
        )


@dataclass(frozen=True)
class Subject:
    subject_id: int = 1
    missing: frozenset[int] = frozenset()  # amputated fingers (FGP 1–10)
    bandaged: frozenset[int] = frozenset()


def _fingers(values: Iterable[int], what: str) -> frozenset[int]:
    out = frozenset(int(v) for v in values)
    bad = sorted(f for f in out if not 1 <= f <= 10)
    if bad:
        raise ValueError(f"{what} fingers must be FGP codes 1–10, got {bad}")
    return out


def state_file() -> Path:
    """Where the station's virtual scanner remembers who is at the platen between runs."""
    import platformdirs

    return Path(platformdirs.user_state_dir("booking-station")) / "virtual-scanner.json"


class VirtualControl:
    """Thread-safe scene and fault script for the virtual scanner.

    With `remember=True` (the process-wide control) the subject chosen with `present()` is kept
    in `state_file()` and is at the platen again at the next start, instead of subject 1.
    """

    def __init__(self, remember: bool = False) -> None:
        self._lock = threading.Lock()
        self._remember = remember
        self._subject = Subject()
        self._subject_chosen = False
        self._faults: list[Fault] = []
        self._dirty = False
        self._unplugged = False
        self._auto = True
        self._timing = Timing()
        self._next_seed = 1
        self._finger_on = threading.Event()
        self._finger_off = threading.Event()
        self._active: list[object] = []  # scanners with a capture running (for trigger)
        self._frames_flow = threading.Event()  # cleared: the device holds its next frame (hold_frames)
        self._frames_flow.set()
        self._frame_held = threading.Event()  # a capture is waiting on a held frame
        if remember:
            self._load()

    # --- remembering the subject between runs ------------------------------------------------
    def _load(self) -> None:
        path = state_file()
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            subject = Subject(
                int(doc["subject_id"]),
                _fingers(doc.get("missing", ()), "missing"),
                _fingers(doc.get("bandaged", ()), "bandaged"),
            )
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as exc:
            _log.warning("ignoring %s (%s); the virtual subject is 1 until one is chosen", path, exc)
            return
        self._subject, self._subject_chosen = subject, True
        _log.info(
            "virtual scanner: subject %d is at the platen (remembered from %s)", subject.subject_id, path
        )

    def _save(self, subject: Subject | None) -> None:
        path = state_file()
        try:
            if subject is None:
                path.unlink(missing_ok=True)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            doc = {
                "subject_id": subject.subject_id,
                "missing": sorted(subject.missing),
                "bandaged": sorted(subject.bandaged),
            }
            path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
        except OSError as exc:  # a read-only home must not stop a demo
            _log.warning("cannot remember the virtual subject in %s: %s", path, exc)

    # --- the scene -------------------------------------------------------------------
    def present(self, subject_id: int, missing: Iterable[int] = (), bandaged: Iterable[int] = ()) -> None:
        """Put subject `subject_id` at the scanner, with amputated (`missing`) and bandaged fingers."""
        if int(subject_id) < 0:
            raise ValueError(f"subject id must be 0 or more, got {subject_id}")
        subject = Subject(int(subject_id), _fingers(missing, "missing"), _fingers(bandaged, "bandaged"))
        with self._lock:
            self._subject = subject
            self._subject_chosen = True
            if self._remember:
                self._save(subject)

    @property
    def subject_chosen(self) -> bool:
        """False while the platen holds the default subject 1 because nobody chose one."""
        with self._lock:
            return self._subject_chosen

    @property
    def subject(self) -> Subject:
        with self._lock:
            return self._subject

    def set_seed(self, seed: int) -> None:
        """The impression seed of the next capture (then counting up)."""
        with self._lock:
            self._next_seed = int(seed)

    def take_seed(self) -> int:
        with self._lock:
            seed = self._next_seed
            self._next_seed += 1
            return seed

    # --- pacing and manual finger control --------------------------------------------------
    @property
    def timing(self) -> Timing:
        with self._lock:
            return self._timing

    def set_timing(self, timing: Timing | None = None, **changes: float) -> None:
        with self._lock:
            self._timing = replace(timing or self._timing, **changes)

    @property
    def auto(self) -> bool:
        with self._lock:
            return self._auto

    def set_auto(self, auto: bool) -> None:
        """Auto: the person places and lifts fingers by themselves. Manual: wait for finger_on/off."""
        with self._lock:
            self._auto = bool(auto)

    def finger_on(self) -> None:
        self._finger_off.clear()
        self._finger_on.set()

    def finger_off(self) -> None:
        self._finger_on.clear()
        self._finger_off.set()

    def wait_finger_on(self, timeout: float) -> bool:
        return self._finger_on.wait(timeout)

    def wait_finger_off(self, timeout: float) -> bool:
        return self._finger_off.wait(timeout)

    def reset_fingers(self) -> None:
        self._finger_on.clear()
        self._finger_off.clear()

    # --- a device slow to hand over a frame ------------------------------------------------
    def hold_frames(self) -> None:
        """The device keeps its next frame until `release_frames()`, and a cancel or close does not
        cut the wait short: a USB transfer in flight, or a frame the device is still processing."""
        self._frames_flow.clear()

    def release_frames(self) -> None:
        self._frames_flow.set()

    @property
    def frames_held(self) -> bool:
        return not self._frames_flow.is_set()

    def wait_frame_held(self, timeout: float) -> bool:
        """True once a capture is stuck on a held frame (within `timeout` seconds)."""
        return self._frame_held.wait(timeout)

    def pass_frame(self) -> None:
        """Called by a capture before each frame: returns when frames flow (at once, unless held)."""
        if self._frames_flow.is_set():
            return
        self._frame_held.set()
        try:
            self._frames_flow.wait()
        finally:
            self._frame_held.clear()

    # --- faults ------------------------------------------------------------------------
    def inject(self, fault: Fault | str) -> None:
        """Queue a one-shot fault for the next capture."""
        with self._lock:
            self._faults.append(Fault(fault))

    def take_faults(self) -> frozenset[Fault]:
        with self._lock:
            faults, self._faults = frozenset(self._faults), []
            return faults

    @property
    def pending_faults(self) -> tuple[Fault, ...]:
        with self._lock:
            return tuple(self._faults)

    def make_dirty(self) -> None:
        """Leave residue of earlier fingers on the platen until `clean()`."""
        with self._lock:
            self._dirty = True

    def clean(self) -> None:
        with self._lock:
            self._dirty = False

    @property
    def dirty(self) -> bool:
        with self._lock:
            return self._dirty

    def unplug(self) -> None:
        """The cable comes out: a running capture fails with device_gone, open() fails until plug()."""
        with self._lock:
            self._unplugged = True

    def plug(self) -> None:
        with self._lock:
            self._unplugged = False

    @property
    def unplugged(self) -> bool:
        with self._lock:
            return self._unplugged

    # --- the capture in progress ---------------------------------------------------------
    def register_active(self, scanner: object) -> None:
        with self._lock:
            self._active.append(scanner)

    def unregister_active(self, scanner: object) -> None:
        with self._lock:
            if scanner in self._active:
                self._active.remove(scanner)

    def trigger(self) -> bool:
        """Press the manual-capture key on every capture in progress; False if none is running."""
        with self._lock:
            active = list(self._active)
        for scanner in active:
            scanner.trigger()  # type: ignore[attr-defined]
        return bool(active)

    def status(self) -> dict:
        with self._lock:
            return {
                "subject_id": self._subject.subject_id,
                "subject_chosen": self._subject_chosen,
                "missing": sorted(self._subject.missing),
                "bandaged": sorted(self._subject.bandaged),
                "auto": self._auto,
                "dirty": self._dirty,
                "unplugged": self._unplugged,
                "pending_faults": [f.value for f in self._faults],
                "next_seed": self._next_seed,
                "capturing": len(self._active),
                "frames_held": self.frames_held,
                "timing": self._timing.__dict__.copy(),
            }

    def reset(self) -> None:
        """Back to the defaults: subject 1 (and nothing remembered), no faults, clean, plugged in,
        auto, normal timing, frames flowing."""
        with self._lock:
            self._subject = Subject()
            self._subject_chosen = False
            if self._remember:
                self._save(None)
            self._faults = []
            self._dirty = False
            self._unplugged = False
            self._auto = True
            self._timing = Timing()
            self._next_seed = 1
        self.reset_fingers()
        self.release_frames()


_CONTROL: VirtualControl | None = None
_CONTROL_LOCK = threading.Lock()


def control() -> VirtualControl:
    """The process-wide control of the virtual scanner (it remembers the chosen subject)."""
    global _CONTROL
    with _CONTROL_LOCK:
        if _CONTROL is None:
            _CONTROL = VirtualControl(remember=True)
        return _CONTROL
