"""The freedesktop entry starts the real command and names an icon we ship."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from booking_station.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "installer" / "booking-station.desktop"
ICON = ROOT / "resources" / "icons" / "booking-station.svg"


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read(ENTRY, encoding="utf-8")
    return parser["Desktop Entry"]


def test_exec_is_the_installed_command_and_its_subcommand_parses() -> None:
    argv = shlex.split(_entry()["Exec"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert argv[0] in scripts
    assert _entry()["TryExec"] == argv[0]
    args = build_parser().parse_args(argv[1:])
    assert args.command == "gui"
    assert args.func.__module__ == "desktop.cli"


def test_icon_named_by_the_entry_ships_and_is_the_window_icon(qapp) -> None:
    from desktop.ui import icon

    entry = _entry()
    assert entry["Icon"] == ICON.stem == icon.DESKTOP_FILE_NAME
    assert icon.ICON_PATH == ICON and ICON.is_file()
    pixmap = icon.app_icon().pixmap(48, 48)
    assert not pixmap.isNull()
    # A drawn icon, not an empty canvas: some pixels are opaque.
    image = pixmap.toImage()
    opaque = sum(image.pixelColor(x, y).alpha() > 0 for x in range(0, 48, 4) for y in range(0, 48, 4))
    assert opaque > 50


def test_entry_passes_desktop_file_validate() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (apt install desktop-file-utils)")
    result = subprocess.run([tool, str(ENTRY)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
