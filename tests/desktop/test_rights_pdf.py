"""The detainee's copy as a PDF: every language renders with embedded fonts that cover its text,
the bytes are reproducible and their hash is what is returned."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from desktop.station.detainers import notice, rights
from desktop.station.detainers._fonts import font_files

CODES = rights.language_codes()


@pytest.fixture(scope="module")
def copies() -> dict[str, notice.RenderedNotice]:
    details = notice.sample_details()
    return {code: notice.render(details, code) for code in CODES}


def _cmap(logical: str) -> set[int]:
    regular, _ = font_files(logical)
    font = TTFont(str(regular.path), fontNumber=regular.face, lazy=True)
    return set(font.getBestCmap())


@pytest.mark.parametrize("code", CODES)
def test_fonts_cover_every_character_of_the_text(code: str) -> None:
    """No tofu: each character is in the language's font or in the Latin fallback."""
    text = rights.load(code)
    covered = _cmap(text.font) | _cmap("sans")
    details = notice.sample_details()
    strings = [text.title, text.own_name, *text.labels.values(), text.format_date(details.deadline)]
    strings += [text.paragraph(k, details.deadline) for k in rights.PARAGRAPHS]
    strings += [text.paragraph(k, details.deadline, state_holidays=True) for k in rights.PARAGRAPHS]
    missing = {
        ch
        for s in strings
        for ch in s
        if ord(ch) not in covered and unicodedata.category(ch) not in ("Cf", "Zs")
    }
    assert not missing, f"{code}: no glyph for {sorted(missing)}"


def test_every_language_renders_and_the_hash_is_of_the_bytes(copies) -> None:
    for code, copy in copies.items():
        assert copy.pdf.startswith(b"%PDF-") and copy.pdf.rstrip().endswith(b"%%EOF"), code
        assert copy.sha256 == hashlib.sha256(copy.pdf).hexdigest()
        assert copy.language == code
    assert len({c.sha256 for c in copies.values()}) == len(copies)


def test_same_detainer_same_bytes_and_a_changed_detail_changes_them(copies) -> None:
    details = notice.sample_details()
    assert notice.render(details, "vi").sha256 == copies["vi"].sha256
    other = notice.NoticeDetails(**{**details.__dict__, "name": "SAMPLE, Blake"})
    assert notice.render(other, "vi").sha256 != copies["vi"].sha256


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(notice.NoticeError, match="no rights notice in language 'klingon'"):
        notice.render(notice.sample_details(), "klingon")


poppler = pytest.mark.skipif(
    shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) not installed"
)


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@poppler
@pytest.mark.parametrize(
    ("code", "family"),
    [
        ("zh-Hans", "NotoSansCJKSC"),
        ("ko", "NotoSansCJKKR"),
        ("ar", "NotoSansArabic"),
        ("pa", "NotoSansGurmukhi"),
        ("zh-Hant", "NotoSansCJKTC"),
        ("hi", "NotoSansDevanagari"),
        ("bn", "NotoSansBengali"),
        ("am", "NotoSansEthiopic"),
        ("ur", "NotoNastaliqUrdu"),
    ],
)
def test_pdffonts_shows_the_scripts_font_embedded(copies, tmp_path: Path, code: str, family: str) -> None:
    path = tmp_path / f"{code}.pdf"
    path.write_bytes(copies[code].pdf)
    rows = [line.split() for line in _run("pdffonts", str(path)).splitlines()[2:]]
    assert any(family in row[0] for row in rows), rows
    # Columns end with: emb sub uni object-id generation. Every font embedded.
    assert all(row[-5] == "yes" for row in rows), rows


@poppler
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("vi", "Thứ Tư, ngày 26 tháng 12 năm 2012, lúc 17:00"),
        ("zh-Hans", "2012年12月26日（星期三）17:00"),
        ("es", "miércoles, 26 de diciembre de 2012"),
        ("en", "Wednesday, December 26, 2012, at 5:00 PM"),
        ("uk", "середа, 26 грудня 2012 р., о 17:00"),
        ("tr", "26 Aralık 2012 Çarşamba, saat 17:00"),
    ],
)
def test_deadline_appears_in_the_page_text(copies, tmp_path: Path, code: str, expected: str) -> None:
    path = tmp_path / f"{code}.pdf"
    path.write_bytes(copies[code].pdf)
    # The detainee's language is the left column (US Letter is 612 points wide); English is one column.
    width = "612" if code == "en" else "306"
    page = " ".join(_run("pdftotext", "-x", "0", "-y", "0", "-W", width, "-H", "792", str(path), "-").split())
    assert expected in page
    assert "448-6903" in page and "1-866-644-8360" in page and "Mail Stop #0190" in page


@poppler
def test_arabic_phone_numbers_read_left_to_right(copies, tmp_path: Path) -> None:
    """In right-to-left text the hyphenated digit groups must not be reversed (6903-448)."""
    path = tmp_path / "ar.pdf"
    path.write_bytes(copies["ar"].pdf)
    words = _run("pdftotext", "-bbox", str(path), "-")
    assert "448-6903" in words and "6903-448" not in words


def test_same_bytes_in_another_process(copies) -> None:
    """The audit hash must identify the paper: nothing process-dependent (hash seeds, set order)
    may change the bytes."""
    import os
    import sys

    script = "from desktop.station.detainers import notice; print(notice.render(notice.sample_details(), 'ar').sha256)"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, env=env)
    assert out.stdout.strip() == copies["ar"].sha256


@poppler
def test_a_name_in_another_script_brings_its_font(tmp_path: Path) -> None:
    details = notice.NoticeDetails(**{**notice.sample_details().__dict__, "name": "王伟"})
    path = tmp_path / "ar.pdf"
    path.write_bytes(notice.render(details, "ar").pdf)
    fonts = _run("pdffonts", str(path))
    assert "NotoSansCJKSC" in fonts and "NotoSansArabic" in fonts
    assert "王伟" in _run("pdftotext", str(path), "-")


def _word_x(words_xml: str, word: str, min_x: float = 0.0) -> float:
    """Left edge of the first `word` at or right of `min_x`, from `pdftotext -bbox` output.

    Brackets are ignored and right-to-left words may come out reversed: pdftotext reports glyphs
    in visual order, and a bracket shaped right to left is the mirrored glyph.
    """
    import re

    for match in re.finditer(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', words_xml):
        found = match.group(2).strip("()")
        if word in (found, found[::-1]) and float(match.group(1)) >= min_x:
            return float(match.group(1))
    raise AssertionError(f"{word!r} not on the page")


@poppler
@pytest.mark.parametrize("code", ["en", "ar"])
def test_a_name_in_two_scripts_keeps_its_own_order(tmp_path: Path, code: str) -> None:
    """A name written in Arabic with its Latin form in parentheses reads as one name: the Arabic
    first (rightmost), then "(Mohamed ALI)" to its left, in the English and the Arabic column alike."""
    details = notice.NoticeDetails(**{**notice.sample_details().__dict__, "name": "محمد علي (Mohamed ALI)"})
    path = tmp_path / f"{code}.pdf"
    path.write_bytes(notice.render(details, code).pdf)
    words = _run("pdftotext", "-bbox", str(path), "-")
    column = 306.0 if code == "ar" else 0.0  # the Arabic column is the right half of the page
    assert _word_x(words, "Mohamed", column) < _word_x(words, "ALI", column)
    assert _word_x(words, "ALI", column) < _word_x(words, "علي", column) < _word_x(words, "محمد", column)


@poppler
def test_the_copy_states_the_rule_that_set_the_deadline(tmp_path: Path) -> None:
    """The form's rule by default; "this State's holidays" only where the agency skipped them too."""
    pages = {}
    for state_holidays in (False, True):
        details = notice.NoticeDetails(
            **{**notice.sample_details().__dict__, "state_holidays": state_holidays}
        )
        path = tmp_path / f"en-{state_holidays}.pdf"
        path.write_bytes(notice.render(details, "en").pdf)
        pages[state_holidays] = " ".join(_run("pdftotext", str(path), "-").split())
    assert "Saturdays, Sundays and Federal holidays are not counted" in pages[False]
    assert "State's holidays" not in pages[False]
    assert "Saturdays, Sundays, Federal holidays and this State's holidays are not counted" in pages[True]
