"""One finger vocabulary: positions, what each slap holds and finger names live in booking_station.fingers.

The station, the drivers, the matcher and ebts import them from there; a table of slap fingers or a
finger name spelled out anywhere else would drift from it (it did: five copies, two orders).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from booking_station import fingers

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("booking_station", "matcher", "drivers", "ebts", "desktop", "backend")
HOME = ROOT / "booking_station" / "fingers.py"
# Where finger names are source texts for Qt's translation tools (checked against the vocabulary
# below), and synthetic hands whose layout tables carry per-finger geometry, not the vocabulary.
NOT_VOCABULARY = {ROOT / "desktop" / "ui" / "capture_text.py", ROOT / "matcher" / "synth" / "_slap.py"}
SLAP_SETS = {frozenset(held) for held in fingers.SLAP_FINGERS.values()}
NAMES = {fingers.POSITION_NAMES[f].lower() for f in fingers.FINGERS}


def _sources() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != HOME and path not in NOT_VOCABULARY
    ]


def _copies(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) >= 2:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if len(values) == len(node.elts) and frozenset(values) in SLAP_SETS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: slap fingers {tuple(values)}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in NAMES:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: finger name {node.value!r}")
    return found


def test_no_package_spells_out_slap_fingers_or_finger_names_again() -> None:
    copies = [copy for path in _sources() for copy in _copies(path)]
    assert not copies, "import these from booking_station.fingers instead:\n" + "\n".join(copies)


def test_every_package_sees_the_same_slaps_in_the_same_image_order() -> None:
    from desktop.station.capture import CapturePlan
    from drivers.api import EXPECTED_FINGERS, CaptureMode
    from ebts import codes
    from matcher import slaps

    assert slaps.RIGHT_SLAP == (2, 3, 4, 5) and slaps.LEFT_SLAP == (10, 9, 8, 7) and slaps.THUMBS == (6, 1)
    modes = {fingers.RIGHT_SLAP: CaptureMode.RIGHT_SLAP, fingers.LEFT_SLAP: CaptureMode.LEFT_SLAP}
    modes[fingers.THUMBS] = CaptureMode.TWO_THUMBS
    for position, held in fingers.SLAP_FINGERS.items():
        assert tuple(EXPECTED_FINGERS[modes[position]]) == held
        assert codes.SLAP_FINGERS[position] == held
    steps = {s.position: s.fingers for s in CapturePlan().steps() if s.flat}
    assert steps == fingers.SLAP_FINGERS
    assert codes.FINGER_POSITIONS is fingers.POSITION_NAMES


@pytest.mark.parametrize(
    ("position", "name"),
    [
        (1, "right thumb"),
        (5, "right little"),
        (7, "left index"),
        (14, "left four fingers"),
        (15, "both thumbs"),
    ],
)
def test_names_in_running_text(position: int, name: str) -> None:
    assert fingers.finger_name(position) == name
    assert fingers.FingerPosition(position).value == position


def test_the_ui_translates_exactly_the_vocabularys_names() -> None:
    pytest.importorskip("PySide6")
    from desktop.ui.capture_text import FINGER

    assert {p: FINGER[p] for p in FINGER} == {p: fingers.finger_name(p) for p in FINGER}
    assert set(FINGER) == set(fingers.FINGERS) | set(fingers.FLAT_CAPTURES)


def test_the_ground_floor_imports_nothing_of_ours() -> None:
    ours = set(PACKAGES) | {"resources", "tests"}
    for path in (ROOT / "booking_station").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                top = node.module.split(".")[0]
            elif isinstance(node, ast.Import):
                top = node.names[0].name.split(".")[0]
            else:
                continue
            assert top == "booking_station" or top not in ours, f"{path.relative_to(ROOT)} imports {top}"
