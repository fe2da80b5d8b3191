"""The languages a detainer lists: each one kept, written (a copy of the notice exists) or oral only.

A detainer's `notice_languages` name the languages the person reads or speaks. The station has a
written copy for some (`rights`); for the others (K'iche', Mam, …) the notice is given through an
interpreter, and the clerk records who interpreted. Nothing a detainer lists is dropped: a tag the
station has never heard of is kept as it came and shown by its code.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
from dataclasses import dataclass

from desktop.station.detainers import rights

# A BCP 47 tag, loosely: letters, digits and hyphens (what is kept of anything else is its code).
_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Listed:
    """The languages of one detainer, in the order it listed them."""

    codes: tuple[str, ...]  # every listed language: our rights code when written, else its tag

    @property
    def written(self) -> tuple[str, ...]:
        return tuple(c for c in self.codes if is_written(c))

    @property
    def oral_only(self) -> tuple[str, ...]:
        return tuple(c for c in self.codes if not is_written(c))

    def audit(self) -> dict[str, list[str]]:
        """The details of the `detainer.languages` audit event."""
        return {"listed": list(self.codes), "written": list(self.written), "oral_only": list(self.oral_only)}


def listed(tags: list[str] | tuple[str, ...]) -> Listed:
    """Every language of a detainer's `notice_languages`, written ones under our code ("zh" ->
    "zh-Hans"), the others as sent (trimmed, lower-case language subtag), duplicates once."""
    codes: list[str] = []
    for tag in tags:
        if not isinstance(tag, str) or not tag.strip():
            continue
        code = rights.resolve(tag) or _normalise(tag)
        if code not in codes:
            codes.append(code)
    return Listed(tuple(codes))


def is_written(code: str) -> bool:
    """The station has a written copy of the notice in this language."""
    return rights.resolve(code) == code


def english_name(code: str) -> str:
    """The language's English name (for the audit, the command line); its code when unknown."""
    if is_written(code):
        return rights.load(code).english_name
    return _spoken().get(code, {}).get("english_name", code)


def own_name(code: str) -> str:
    """The language's name as its speakers write it; its code when unknown."""
    if is_written(code):
        return rights.load(code).own_name
    return _spoken().get(code, {}).get("own_name", code)


def _normalise(tag: str) -> str:
    tag = tag.strip()
    if not _TAG.match(tag):
        return tag[:35]  # not a tag at all: kept as sent (bounded), shown by what it says
    first, _, rest = tag.partition("-")
    return first.lower() + (f"-{rest}" if rest else "")


@functools.cache
def _spoken() -> dict[str, dict[str, str]]:
    path = importlib.resources.files("resources") / "languages" / "spoken.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))
