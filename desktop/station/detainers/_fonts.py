"""Noto fonts for every script of the rights notice, found on the system (Debian fonts-noto-core,
fonts-noto-cjk). Embedded (subset) into each PDF so the copy prints the same anywhere."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

_SEARCH_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts")


@dataclass(frozen=True)
class FontFile:
    path: Path
    face: int = 0  # index in a .ttc collection


# Logical font (the `font` key of a rights file) -> (regular, bold) file names and, for a
# collection, the family to pick from it. 'Noto Sans CJK SC' is chosen explicitly for Simplified
# Chinese: the same code points look different (and wrong to a reader) in the JP/KR/TC faces.
_FILES: dict[str, tuple[str, str, str | None, str]] = {
    "sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", None, "fonts-noto-core"),
    "arabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", None, "fonts-noto-core"),
    # Urdu is read in Nastaliq; Naskh-style Arabic type looks foreign to its readers.
    "urdu": ("NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf", None, "fonts-noto-core"),
    "gurmukhi": ("NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf", None, "fonts-noto-core"),
    "devanagari": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", None, "fonts-noto-core"),
    "bengali": ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", None, "fonts-noto-core"),
    "gujarati": ("NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf", None, "fonts-noto-core"),
    "ethiopic": ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf", None, "fonts-noto-core"),
    "cjk-sc": ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "fonts-noto-cjk"),
    # Traditional Chinese readers expect the TC glyph shapes (as SC readers expect SC's).
    "cjk-tc": ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "Noto Sans CJK TC", "fonts-noto-cjk"),
    "cjk-kr": ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "Noto Sans CJK KR", "fonts-noto-cjk"),
}


class FontMissing(RuntimeError):
    pass


def font_files(logical: str) -> tuple[FontFile, FontFile]:
    """(regular, bold) for a logical font, or FontMissing naming the file and its Debian package."""
    regular, bold, family, package = _FILES[logical]
    return _locate(regular, family, package), _locate(bold, family, package)


@functools.cache
def _index() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in _SEARCH_DIRS:
        root = Path(os.path.expanduser(folder))
        if root.is_dir():
            for path in root.rglob("Noto*"):
                found.setdefault(path.name, path)
    return found


def _locate(name: str, family: str | None, package: str) -> FontFile:
    path = _index().get(name)
    if path is None:
        raise FontMissing(
            f"font file {name} not found under {', '.join(_SEARCH_DIRS)}: install the Debian package {package}"
        )
    return FontFile(path, _face_index(path, family) if family else 0)


@functools.cache
def _face_index(path: Path, family: str) -> int:
    from fontTools.ttLib import TTCollection

    for i, font in enumerate(TTCollection(str(path), lazy=True).fonts):
        names = {n.toUnicode() for n in font["name"].names if n.nameID in (1, 16)}
        if family in names:
            return i
    raise FontMissing(f"{path} has no face named {family!r}")
