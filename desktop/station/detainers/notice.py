"""The detainee's copy: a bilingual PDF page, the chosen language beside English.

Qt-free (fpdf2 with HarfBuzz shaping, Noto fonts embedded). The exact bytes are deterministic for
the same inputs (the PDF's creation date is the time of service), and their SHA-256 is what the
audit log records, so a printed copy can later be matched to its record.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from desktop.station.detainers import rights
from desktop.station.detainers._fonts import FontMissing, font_files

_PAGE_W, _PAGE_H = 215.9, 279.4  # US Letter, mm
_MARGIN = 14.0
_GUTTER = 8.0
_COL_W = (_PAGE_W - 2 * _MARGIN - _GUTTER) / 2
_BODY_PT, _TITLE_PT, _LABEL_PT = 9.5, 12.5, 8.5
_LINE = 1.4  # line height as a multiple of the font size
# Nastaliq's words descend diagonally far below the baseline: its lines need more room.
_LEADING = {"urdu": 1.45}
# These scripts look smaller than Latin at the same point size.
_SCALE = {"arabic": 1.12, "urdu": 1.0, "gurmukhi": 1.1, "devanagari": 1.08, "bengali": 1.08, "gujarati": 1.08}


@dataclass(frozen=True)
class NoticeDetails:
    """What the page says about this person and this detainer."""

    name: str
    booking_number: str
    detainer_number: str
    deadline: datetime  # aware, in the jail's zone
    served_at: datetime  # aware, in the jail's zone
    # The deadline also skipped the state's holidays (hold_holidays = "federal+state"): the copy
    # must state the rule that was applied, not the form's.
    state_holidays: bool = False


@dataclass(frozen=True)
class RenderedNotice:
    pdf: bytes
    sha256: str
    language: str


class NoticeError(ValueError):
    """The copy cannot be made (unknown language, missing font): the message says why."""


def sample_details() -> NoticeDetails:
    """A sample detainer for previews and `rights render --sample` (the issue's worked example)."""
    from desktop.station.detainers import clock

    tz = clock.zone("America/New_York")
    releasable = clock.parse_local("2012-12-21T17:00", tz)
    return NoticeDetails(
        name="SAMPLE, Alex",
        booking_number="B-2012-000123",
        detainer_number="SAMPLE-1247",
        deadline=clock.deadline(releasable, tz, clock.HoldCalendar()),
        served_at=clock.parse_local("2012-12-21T17:30", tz),
    )


def render(details: NoticeDetails, language: str) -> RenderedNotice:
    """The copy in `language` (a code from `rights.language_codes()`) beside English."""
    try:
        text = rights.load(language)
        english = rights.load("en")
        pdf = _Page(text, english, extra=f"{details.name} {details.booking_number} {details.detainer_number}")
    except (ValueError, FontMissing) as exc:
        raise NoticeError(str(exc)) from exc
    data = pdf.build(details)
    return RenderedNotice(data, hashlib.sha256(data).hexdigest(), language)


class _Page:
    def __init__(self, text: rights.RightsText, english: rights.RightsText, extra: str = "") -> None:
        from fpdf import FPDF

        self.text, self.english = text, english
        self.pdf = FPDF(unit="mm", format="letter")
        self.pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.pdf.set_auto_page_break(False)
        # Each script gets its own font; Noto Sans is the fallback for Latin letters, digits and
        # punctuation inside other scripts (agency acronyms, phone numbers), and a name written in
        # yet another script brings its font too. A list, not a set: the order of the fonts must
        # not vary between runs, or the same copy would not give the same bytes and hash.
        fonts = list(dict.fromkeys(["sans", text.font, *_scripts_fonts(extra)]))
        for logical in fonts:
            regular, bold = font_files(logical)
            self.pdf.add_font(logical, "", str(regular.path), collection_font_number=regular.face)
            self.pdf.add_font(logical, "B", str(bold.path), collection_font_number=bold.face)
        self.pdf.set_fallback_fonts(fonts, exact_match=False)
        lang = "English" if text.code == "en" else f"{text.english_name} and English"
        self.pdf.set_title(f"Immigration detainer: notice to the person held ({lang})")
        self.pdf.set_lang(text.code)
        self.pdf.set_creator("Booking Station")

    # The detainee's language is read first: on the left for left-to-right scripts, on the right
    # for right-to-left ones. An English copy is a single column.
    def _columns(self) -> list[tuple[rights.RightsText, float]]:
        if self.text.code == "en":
            return [(self.english, _PAGE_W - 2 * _MARGIN)]
        left, right = (self.english, self.text) if self.text.direction == "rtl" else (self.text, self.english)
        return [(left, _COL_W), (right, _COL_W)]

    def _x(self, index: int) -> float:
        return _MARGIN + index * (_COL_W + _GUTTER)

    def _use(self, text: rights.RightsText, body: str, style: str, size: float) -> str:
        """Select font and shaping for `body` in `text`'s column; returns the paragraph direction."""
        # The column's language sets the paragraph direction; only Latin-only text (the postal
        # address) in a right-to-left column runs left to right.
        direction = "rtl" if text.direction == "rtl" and _is_rtl(body) else "ltr"
        # Latin-only text in a right-to-left column (the postal address) is set in the Latin font:
        # the Arabic font's own full stops and commas look wrong between Latin letters.
        font = "sans" if text.direction == "rtl" and direction == "ltr" else text.font
        self.pdf.set_font(font, style, size * _SCALE.get(font, 1.0))
        self.pdf.set_text_shaping(use_shaping_engine=True, direction=direction)
        return direction

    def _lines(self, text: rights.RightsText, width: float, body: str, style: str, size: float) -> list[str]:
        """Break `body` into lines that fit `width`, greedily.

        Done here rather than by fpdf2's multi_cell for two reasons: fpdf2 reorders a whole
        paragraph before breaking it, which scrambles mixed-direction runs across line ends (the
        Unicode bidi algorithm must run per line, UAX #9 rule L1); and it breaks Chinese only at
        spaces, while Han text may break between any two characters (but not before closing or
        after opening punctuation).
        """
        self._use(text, body, style, size)
        lines: list[str] = []
        current = ""
        for token in _tokens(body):
            candidate = current + token
            if current.strip() and self.pdf.get_string_width(candidate.rstrip()) > width - 0.5:
                lines.append(current.rstrip())
                current = token.lstrip()
            else:
                current = candidate
        if current.strip() or not lines:
            lines.append(current.rstrip())
        return lines

    def _row(
        self, parts: list[tuple[rights.RightsText, float, str]], style: str, size: float, gap: float
    ) -> None:
        """One row: the same content in each column, starting at the same height."""
        laid_out = [(t, w, body, self._lines(t, w, body, style, size)) for t, w, body in parts]
        heights = [_line_height(size) * _LEADING.get(t.font, 1.0) for t, *_ in laid_out]
        block = max(len(lines) * h for (*_, lines), h in zip(laid_out, heights, strict=True))
        if self.pdf.get_y() + block > _PAGE_H - _MARGIN:
            self.pdf.add_page()
        top = self.pdf.get_y()
        for i, ((t, w, body, lines), height) in enumerate(zip(laid_out, heights, strict=True)):
            # A right-to-left language's column is right-aligned, English addresses included.
            align = "R" if t.direction == "rtl" else "L"
            rtl = self._use(t, body, style, size) == "rtl"
            for n, line in enumerate(lines):
                self._line(line, rtl, self._x(i), top + n * height, w, height, align)
        self.pdf.set_y(top + block + gap)

    def _line(
        self, line: str, rtl: bool, x: float, y: float, width: float, height: float, align: str
    ) -> None:
        """Draw one line with its direction runs in visual order, each shaped in its own direction.

        fpdf2 shapes a cell's direction runs one after another in logical order, which is right
        only while nothing is nested: a name in Arabic and Latin inside an English sentence came
        out as ") محمد علي Mohamed ALI(". So the line's runs are ordered here (UAX #9 rule L2 over
        the levels fpdf2's bidi algorithm resolves) and each is drawn as its own cell.
        """
        runs = _visual_runs(line, rtl)
        widths = []
        for text, run_rtl in runs:
            self.pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if run_rtl else "ltr")
            widths.append(self.pdf.get_string_width(text))
        margin = self.pdf.c_margin
        left = x + width - margin - sum(widths) if align == "R" else x + margin
        self.pdf.c_margin = 0.0  # the runs are contiguous: one margin for the whole line, above
        try:
            for (text, run_rtl), run_width in zip(runs, widths, strict=True):
                self.pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if run_rtl else "ltr")
                self.pdf.set_xy(left, y)
                self.pdf.cell(run_width, height, text)
                left += run_width
        finally:
            self.pdf.c_margin = margin

    def build(self, details: NoticeDetails) -> bytes:
        pdf = self.pdf
        pdf.set_creation_date(details.served_at)
        pdf.add_page()
        cols = self._columns()
        if len(cols) > 1:
            self._row([(t, w, t.own_name) for t, w in cols], "", _LABEL_PT, 1.0)
        self._row([(t, w, t.title) for t, w in cols], "B", _TITLE_PT, 3.0)
        self._rule()
        fields = [
            ("name", lambda t: details.name, "", 0.8),
            ("booking", lambda t: details.booking_number, "", 0.8),
            ("detainer", lambda t: details.detainer_number, "", 0.8),
            ("served", lambda t: t.format_date(details.served_at), "", 0.8),
            ("deadline", lambda t: t.format_date(details.deadline), "B", 3.0),
        ]
        for key, value, style, gap in fields:
            self._row(
                [(t, w, _for(t, f"{t.labels[key]}: ", value(t))) for t, w in cols], style, _BODY_PT, gap
            )
        self._rule()
        for key in rights.PARAGRAPHS:
            style = "B" if key == "deadline" else ""
            self._row(
                [(t, w, _for(t, t.paragraph(key, details.deadline, state_holidays=details.state_holidays)))
                 for t, w in cols], style, _BODY_PT, 3.2,
            )  # fmt: skip
        return bytes(pdf.output())

    def _rule(self) -> None:
        self.pdf.set_draw_color(80)
        self.pdf.line(_MARGIN, self.pdf.get_y(), _PAGE_W - _MARGIN, self.pdf.get_y())
        self.pdf.set_y(self.pdf.get_y() + 3.0)


def _for(text: rights.RightsText, body: str, value: str | None = None) -> str:
    """`body` (and a value appended to it) ready for the column of `text`'s direction."""
    if text.direction != "rtl":
        body = _NUMBER_GROUP.sub(lambda m: m.group(0).replace(" ", _NBSP), body)
        if value is None:
            return body
        return body + (_isolate(value) if _is_rtl(value) else value)
    body = _isolate_numbers(body)
    return body if value is None else body + _isolate(value)


def _line_height(size_pt: float) -> float:
    return size_pt * _LINE * 25.4 / 72


# Strong right-to-left letters: Hebrew, Arabic, Syriac, Thaana, NKo and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# Phone numbers and other digit groups joined by hyphens or spaces, e.g. (855) 448-6903.
_NUMBER_GROUP = re.compile(r"\(?\d+\)?(?:[ -]\d+)+")
# A Latin name in parentheses, e.g. (ICE Law Enforcement Support Center).
_LATIN_ASIDE = re.compile(r"\([A-Za-z][A-Za-z .,&-]*\)")
_LRI, _FSI, _PDI, _NBSP = "\u2066", "\u2068", "\u2069", "\u00a0"
_ISOLATE_MARKS = frozenset("\u2066\u2067\u2068\u2069")


# Han ideographs, CJK punctuation and kana: a line may break between any two of them.
_CJK = "\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(f"[{_CJK}]|[^ \\n{_CJK}]+|[ \\n]+")  # not \s: a no-break space joins
_NO_LINE_START = set("，。、；：！？）」』】〉》”’%…·")
_NO_LINE_END = set("（「『【〈《“‘")


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces of `text`: words, single Han characters, runs of spaces.

    Closing punctuation sticks to what precedes it, opening punctuation to what follows.
    """
    out: list[str] = []
    glue_next = False
    for token in _TOKEN.findall(text):
        if out and (glue_next or token in _NO_LINE_START):
            out[-1] += token
        else:
            out.append(token)
        glue_next = token in _NO_LINE_END
    return out


# Scripts a name may be written in, and the font that has them.
_SCRIPT_FONTS = (
    (re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"), "arabic"),
    (re.compile("[\u0a00-\u0a7f]"), "gurmukhi"),
    (re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"), "cjk-kr"),
    (re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"), "cjk-sc"),
)


def _scripts_fonts(text: str) -> list[str]:
    return [font for pattern, font in _SCRIPT_FONTS if pattern.search(text)]


def _is_rtl(text: str) -> bool:
    return bool(_RTL.search(text))


def _isolate_numbers(text: str) -> str:
    """Keep phone numbers and English names left to right inside right-to-left text.

    Without an isolate, digits after Arabic letters become Arabic numbers (UAX #9 rule W2) and the
    hyphens between them resolve right to left, so 448-6903 would print as 6903-448.
    """

    # No-break spaces keep "(855) 448-6903" or "(ICE Law Enforcement Support Center)" on one line.
    def keep(match: re.Match[str]) -> str:
        return f"{_LRI}{match.group(0).replace(' ', _NBSP)}{_PDI}"

    return _NUMBER_GROUP.sub(keep, _LATIN_ASIDE.sub(keep, text))


def _visual_runs(line: str, rtl: bool) -> list[tuple[str, bool]]:
    """The direction runs of one line in display order: (text in logical order, right to left?)."""
    from fpdf.bidi import BidiParagraph, TextDirection

    paragraph = BidiParagraph(text=line, base_direction=TextDirection.RTL if rtl else TextDirection.LTR)
    runs: list[tuple[int, str]] = []  # (embedding level, text)
    for char in paragraph.get_characters_with_embedding_level():
        if char.character in _ISOLATE_MARKS:  # direction controls only: nothing to draw
            continue
        if runs and runs[-1][0] == char.embedding_level:
            runs[-1] = (char.embedding_level, runs[-1][1] + char.character)
        else:
            runs.append((char.embedding_level, char.character))
    odd = [level for level, _ in runs if level % 2]
    if odd:
        # Rule L2: from the highest level down to the lowest odd one, reverse every stretch of
        # runs at that level or higher. A run's own characters are reversed by shaping it right
        # to left when its level is odd.
        for level in range(max(level for level, _ in runs), min(odd) - 1, -1):
            i = 0
            while i < len(runs):
                j = i
                while j < len(runs) and runs[j][0] >= level:
                    j += 1
                runs[i:j] = runs[i:j][::-1]
                i = j + 1
    return [(text, level % 2 == 1) for level, text in runs]


def _isolate(value: str) -> str:
    """A value (a name, a number) put into a sentence keeps its own direction."""
    return f"{_FSI}{value}{_PDI}"


def rasterize(pdf: bytes, dpi: int = 100) -> list[bytes]:
    """PNG images of each page (for an on-screen preview or a raster print), via poppler's pdftoppm."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    tool = shutil.which("pdftoppm")
    if tool is None:
        raise NoticeError("the preview needs pdftoppm: install the Debian package poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "copy.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(
            [tool, "-r", str(dpi), "-png", str(source), str(Path(folder) / "page")],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise NoticeError(f"pdftoppm could not draw the copy: {result.stderr.strip()}")
        return [p.read_bytes() for p in sorted(Path(folder).glob("page*.png"))]
