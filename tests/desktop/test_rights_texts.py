"""The rights-notice texts: every language carries every fact, with the same keys."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from desktop.station.detainers import rights

FOLDER = Path(__file__).resolve().parents[2] / "resources" / "rights"
FILES = sorted(FOLDER.glob("*.toml"))
REQUIRED = {
    "en", "es", "fr", "pt", "zh-Hans", "vi", "ar", "ht", "ko", "ru", "tl",
    # Issue 18: languages of people held on detainers that had no written copy.
    "zh-Hant", "hi", "am", "ti", "tr", "ro", "uk", "fa", "ur", "bn", "ne",
}  # fmt: skip

# The facts every copy must state, wherever they appear in the text.
FACTS = {
    "citizen_or_victim": ["(855) 448-6903", "24", "ICE"],
    "complaint": ["1-866-644-8360", "1-866-644-8361", "TTY", "DHS"],
    "address": [
        "Building 410",
        "Mail Stop #0190",
        "Washington, D.C. 20528",
        "Civil Rights and Civil Liberties",
    ],
    "deadline": ["{deadline}", "48"],
    "limit": ["48"],
    "limit_state": ["48"],
    "held": ["DHS", "ICE"],
    "tell_jail": ["ICE"],
}


def _keys(data: dict, prefix: str = "") -> set[str]:
    out = set()
    for key, value in data.items():
        out.add(prefix + key)
        if isinstance(value, dict):
            out |= _keys(value, f"{prefix}{key}.")
    return out


def test_at_least_twenty_four_languages_including_the_required_ones() -> None:
    codes = {path.stem for path in FILES}
    assert len(codes) >= 24
    assert codes >= REQUIRED
    assert codes & {"pa", "so"}, "Punjabi or Somali"
    assert rights.language_codes()[0] == "en"


def test_every_file_has_the_same_keys_as_english() -> None:
    english = _keys(tomllib.loads((FOLDER / "en.toml").read_text("utf-8")))
    for path in FILES:
        keys = _keys(tomllib.loads(path.read_text("utf-8")))
        assert keys == english, f"{path.name}: missing {english - keys}, extra {keys - english}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_file_carries_every_fact(path: Path) -> None:
    text = rights.load(path.stem)
    for key, facts in FACTS.items():
        for fact in facts:
            assert fact in text.paragraphs[key], f"{path.name}: [{key}] lacks {fact!r}"
    # Placeholders other than {deadline} would break formatting at serving time.
    for key, body in text.paragraphs.items():
        if key != "deadline":
            assert "{" not in body, f"{path.name}: [{key}] has a placeholder"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_deadline_is_written_in_the_languages_own_format(path: Path) -> None:
    text = rights.load(path.stem)
    moment = datetime(2012, 12, 26, 17, 0, tzinfo=ZoneInfo("America/New_York"))
    written = text.paragraph("deadline", moment)
    assert "{" not in written and "2012" in written and "26" in written and "EST" in written
    assert text.weekdays[2] in written  # Wednesday
    assert text.months[11] in written or "12" in written  # December, by name or number
    assert ("17:00" in written or "17 h 00" in written) or ("5:00" in written and text.am_pm[1] in written)


def test_known_formats() -> None:
    moment = datetime(2012, 12, 26, 17, 0, tzinfo=ZoneInfo("America/New_York"))
    assert rights.load("en").format_date(moment) == "Wednesday, December 26, 2012, at 5:00 PM (EST)"
    assert rights.load("vi").format_date(moment) == "Thứ Tư, ngày 26 tháng 12 năm 2012, lúc 17:00 (EST)"
    assert rights.load("zh-Hans").format_date(moment).startswith("2012年12月26日（星期三）")
    assert rights.load("ru").format_date(moment).startswith("среда, 26 декабря 2012 г.")


def test_own_names_are_searchable_and_direction_is_declared() -> None:
    assert [t.code for t in rights.find("Tiếng Việt")] == ["vi"]
    assert [t.code for t in rights.find("arab")] == ["ar"]
    assert {t.code for t in rights.languages() if t.direction == "rtl"} == {"ar", "fa", "ur", "ps"}
    own_names = [t.own_name for t in rights.languages()]
    assert len(own_names) == len(set(own_names))


def test_every_text_says_whether_a_qualified_translator_reviewed_it() -> None:
    for text in rights.languages():
        assert isinstance(text.reviewed, bool) and text.review_note, text.code
    data = tomllib.loads((FOLDER / "hi.toml").read_text("utf-8"))
    data["review"]["reviewed"] = True  # claimed, but by whom and when?
    with pytest.raises(ValueError, match="names its reviewer"):
        rights._from_data("hi", data)
    data["review"].update(by="A. Translator (court-certified)", date="2026-12-01")
    assert (
        rights._from_data("hi", data).review_note
        == "reviewed by A. Translator (court-certified) on 2026-12-01"
    )


def test_codes_from_the_backend_resolve() -> None:
    assert rights.resolve("zh") == "zh-Hans"
    assert rights.resolve("zh-TW") == "zh-Hant"
    assert rights.resolve("amh") == "am" and rights.resolve("pus") == "ps"
    # K'iche' and Mam have no written copy: the station must not pretend otherwise.
    assert rights.resolve("quc") is None and rights.resolve("mam") is None
    assert rights.resolve("es") == "es"
    assert rights.resolve("xx") is None


def test_unknown_language_lists_the_ones_there_are() -> None:
    with pytest.raises(ValueError, match=r"no rights notice in language 'xx'; there are: .*vi"):
        rights.load("xx")


def test_malformed_file_is_reported_plainly() -> None:
    data = tomllib.loads((FOLDER / "en.toml").read_text("utf-8"))
    data["date"]["format"] = "{weekday} {fortnight}"
    with pytest.raises(ValueError, match="unknown field 'fortnight'"):
        rights._from_data("en", data)
    data = tomllib.loads((FOLDER / "en.toml").read_text("utf-8"))
    del data["text"]["complaint"]
    with pytest.raises(ValueError, match="missing complaint"):
        rights._from_data("en", data)
