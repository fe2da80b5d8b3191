"""The capture vocabulary (finger names, step labels, step states) as the UI shows it.

Finger positions and their English names live in `booking_station.fingers`; the UI translates the
names here, keyed by position, rather than in each view, so every page calls a finger the same thing.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from booking_station.fingers import FLAT_CAPTURES
from booking_station.fingers import finger_name as english_finger_name
from desktop.station.capture import Step, StepState

_CONTEXT = "CaptureText"
# Keyed by position; a test checks each source text is booking_station.fingers' English name.
FINGER = {
    1: QT_TRANSLATE_NOOP("CaptureText", "right thumb"),
    2: QT_TRANSLATE_NOOP("CaptureText", "right index"),
    3: QT_TRANSLATE_NOOP("CaptureText", "right middle"),
    4: QT_TRANSLATE_NOOP("CaptureText", "right ring"),
    5: QT_TRANSLATE_NOOP("CaptureText", "right little"),
    6: QT_TRANSLATE_NOOP("CaptureText", "left thumb"),
    7: QT_TRANSLATE_NOOP("CaptureText", "left index"),
    8: QT_TRANSLATE_NOOP("CaptureText", "left middle"),
    9: QT_TRANSLATE_NOOP("CaptureText", "left ring"),
    10: QT_TRANSLATE_NOOP("CaptureText", "left little"),
    13: QT_TRANSLATE_NOOP("CaptureText", "right four fingers"),
    14: QT_TRANSLATE_NOOP("CaptureText", "left four fingers"),
    15: QT_TRANSLATE_NOOP("CaptureText", "both thumbs"),
}
_STATE = {
    StepState.TODO: QT_TRANSLATE_NOOP("CaptureText", "to do"),
    StepState.CAPTURED: QT_TRANSLATE_NOOP("CaptureText", "captured"),
    StepState.LOW_QUALITY: QT_TRANSLATE_NOOP("CaptureText", "low quality"),
    StepState.RETAKE: QT_TRANSLATE_NOOP("CaptureText", "retake"),
    StepState.AMPUTATED: QT_TRANSLATE_NOOP("CaptureText", "amputated"),
    StepState.UNABLE: QT_TRANSLATE_NOOP("CaptureText", "unable to print"),
    StepState.OVERRIDDEN: QT_TRANSLATE_NOOP("CaptureText", "skipped by supervisor"),
}


def finger_name(position: int) -> str:
    """A finger (1–10) or flat capture (13–15) in running text: "right thumb"."""
    if position not in FINGER:
        return english_finger_name(position)
    return QCoreApplication.translate(_CONTEXT, FINGER[position])


def step_label(step: Step, *, capitalised: bool = False) -> str:
    """A capture step as a heading or caption: "right index (rolled)"."""
    return position_label(step.position, capitalised=capitalised)


def position_label(position: int, *, capitalised: bool = False) -> str:
    """The capture step of a position: fingers 1–10 are rolled, 13–15 the flat captures."""
    name = finger_name(position)
    rolled = position not in FLAT_CAPTURES
    text = QCoreApplication.translate("CaptureText", "%1 (rolled)").replace("%1", name) if rolled else name
    return text[:1].upper() + text[1:] if capitalised else text


def state_text(state: StepState | str) -> str:
    state = StepState(state)
    return QCoreApplication.translate(_CONTEXT, _STATE.get(state, state.value))
