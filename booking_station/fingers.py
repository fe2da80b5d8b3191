"""Finger positions, what each slap holds, and finger names: the one vocabulary every package shares.

Positions are the ANSI/NIST-ITL friction ridge generalized positions (FGP, Table 8), so they pass
straight into EBTS: 1–10 the single fingers, 11–12 plain thumbs, 13–15 the flat captures (the two
four-finger slaps and both thumbs). The matcher, the drivers, ebts and the station all import
these names from here; nothing else spells them out.

Names are English, for logs, the command line and the EBTS code tables; the station's UI
translates them (desktop/ui/capture_text.py), keyed by position.
"""

from __future__ import annotations

import enum

__all__ = [
    "FINGERS",
    "FLAT_CAPTURES",
    "FingerPosition",
    "LEFT_SLAP",
    "POSITION_NAMES",
    "RIGHT_SLAP",
    "SLAP_FINGERS",
    "THUMBS",
    "finger_name",
]


class FingerPosition(enum.IntEnum):
    """ANSI/NIST-ITL finger position codes (FGP)."""

    UNKNOWN = 0
    RIGHT_THUMB = 1
    RIGHT_INDEX = 2
    RIGHT_MIDDLE = 3
    RIGHT_RING = 4
    RIGHT_LITTLE = 5
    LEFT_THUMB = 6
    LEFT_INDEX = 7
    LEFT_MIDDLE = 8
    LEFT_RING = 9
    LEFT_LITTLE = 10
    PLAIN_RIGHT_THUMB = 11
    PLAIN_LEFT_THUMB = 12
    PLAIN_RIGHT_FOUR = 13
    PLAIN_LEFT_FOUR = 14
    PLAIN_THUMBS = 15


#: The ten single fingers, right thumb (1) to left little (10).
FINGERS: tuple[int, ...] = tuple(range(1, 11))

#: The flat captures of a tenprint: the right slap, the left slap and both thumbs.
RIGHT_SLAP, LEFT_SLAP, THUMBS = 13, 14, 15
FLAT_CAPTURES: tuple[int, ...] = (RIGHT_SLAP, LEFT_SLAP, THUMBS)

#: The fingers each flat capture holds, left to right as they lie in the image (a right hand palm
#: down shows index to little; a left hand little to index; the thumbs left, then right).
SLAP_FINGERS: dict[int, tuple[int, ...]] = {
    RIGHT_SLAP: (2, 3, 4, 5),
    LEFT_SLAP: (10, 9, 8, 7),
    THUMBS: (6, 1),
}

#: ANSI/NIST-ITL Table 8's names of every position (the EBTS code table).
POSITION_NAMES: dict[int, str] = {
    0: "Unknown finger",
    1: "Right thumb", 2: "Right index", 3: "Right middle", 4: "Right ring", 5: "Right little",
    6: "Left thumb", 7: "Left index", 8: "Left middle", 9: "Left ring", 10: "Left little",
    11: "Plain right thumb", 12: "Plain left thumb",
    13: "Plain right four fingers", 14: "Plain left four fingers", 15: "Left and right thumbs",
}  # fmt: skip

# In running text the flat captures are named by what the subject puts on the platen.
_RUNNING_TEXT = {
    **{fgp: POSITION_NAMES[fgp].lower() for fgp in FINGERS},
    RIGHT_SLAP: "right four fingers",
    LEFT_SLAP: "left four fingers",
    THUMBS: "both thumbs",
}


def finger_name(position: int) -> str:
    """A finger (1–10) or flat capture (13–15) in running text: "right thumb", "left four fingers"."""
    return _RUNNING_TEXT.get(position) or f"finger {position}"
