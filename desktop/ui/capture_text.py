"""The capture vocabulary of the station core (finger names, step labels, step states) as the UI shows it.

The core names fingers from the ANSI/NIST position table in English; the UI translates the names
here rather than in each view, so every page calls a finger the same thing.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.station.capture import FINGER_NAMES, Step, StepState

_CONTEXT = "CaptureText"
# Keyed by the core's English name, so a name the core adds later still shows (in English).
_FINGER = {
    "right thumb": QT_TRANSLATE_NOOP("CaptureText", "right thumb"),
    "right index": QT_TRANSLATE_NOOP("CaptureText", "right index"),
    "right middle": QT_TRANSLATE_NOOP("CaptureText", "right middle"),
    "right ring": QT_TRANSLATE_NOOP("CaptureText", "right ring"),
    "right little": QT_TRANSLATE_NOOP("CaptureText", "right little"),
    "left thumb": QT_TRANSLATE_NOOP("CaptureText", "left thumb"),
    "left index": QT_TRANSLATE_NOOP("CaptureText", "left index"),
    "left middle": QT_TRANSLATE_NOOP("CaptureText", "left middle"),
    "left ring": QT_TRANSLATE_NOOP("CaptureText", "left ring"),
    "left little": QT_TRANSLATE_NOOP("CaptureText", "left little"),
    "right four fingers": QT_TRANSLATE_NOOP("CaptureText", "right four fingers"),
    "left four fingers": QT_TRANSLATE_NOOP("CaptureText", "left four fingers"),
    "both thumbs": QT_TRANSLATE_NOOP("CaptureText", "both thumbs"),
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
    english = FINGER_NAMES.get(position, "?")
    return QCoreApplication.translate(_CONTEXT, _FINGER.get(english, english))


def step_label(step: Step, *, capitalised: bool = False) -> str:
    """A capture step as a heading or caption: "right index (rolled)"."""
    name = finger_name(step.position)
    text = name if step.flat else QCoreApplication.translate(_CONTEXT, "%1 (rolled)").replace("%1", name)
    return text[:1].upper() + text[1:] if capitalised else text


def state_text(state: StepState) -> str:
    return QCoreApplication.translate(_CONTEXT, _STATE.get(state, state.value))
