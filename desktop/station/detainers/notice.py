"""The detainee's copy: a bilingual PDF page, the chosen language beside English.

Qt-free (fpdf2 with HarfBuzz shaping, Noto fonts embedded). The exact bytes are deterministic for
the same inputs (the PDF's creation date is the time of service), and their SHA-256 is what the
audit log records, so a printed copy can later be matched to its record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from desktop.station.detainers import rights
from desktop.station.detainers._fonts import FontMissing, font_files

_PAGE_W, _PAGE_H = 215.9, 279.4  # US Letter, mm
_MARGIN = 16.0
_GUTTER = 8.0
_COL_W = (_PAGE_W - 2 * _MARGIN - _GUTTER) / 2
_BODY_PT, _TITLE_PT, _LABEL_PT = 10.0, 13.0, 9.0
_LINE = 1.45  # line height as a multiple of the font size


@dataclass(frozen=True)
class NoticeDetails:
    """What the page says about this person and this detainer."""

    name: str
    booking_number: str
    detainer_number: str
    deadline: datetime  # aware, in the jail's zone
    served_at: datetime  # aware, in the jail's zone


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
        deadline=clock.deadline(releasable, tz, "VA"),
        served_at=clock.parse_local("2012-12-21T17:30", tz),
    )


def render(details: NoticeDetails, language: str) -> RenderedNotice:
    """The copy in `language` (a code from `rights.language_codes()`) beside English."""
    try:
        text = rights.load(language)
        english = rights.load("en")
        pdf = _Page(text, english)
    except (ValueError, FontMissing) as exc:
        raise NoticeError(str(exc)) from exc
    data = pdf.build(details)
    return RenderedNotice(data, hashlib.sha256(data).hexdigest(), language)


class _Page:
    def __init__(self, text: rights.RightsText, english: rights.RightsText) -> None:
        from fpdf import FPDF

        self.text, self.english = text, english
        self.pdf = FPDF(unit="mm", format="letter")
        self.pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.pdf.set_auto_page_break(False)
        # Each script gets its own font; Noto Sans is the fallback for Latin letters, digits and
        # punctuation inside other scripts (agency acronyms, phone numbers).
        for logical in {"sans", text.font}:
            regular, bold = font_files(logical)
            self.pdf.add_font(logical, "", str(regular.path), collection_font_number=regular.face)
            self.pdf.add_font(logical, "B", str(bold.path), collection_font_number=bold.face)
        self.pdf.set_fallback_fonts(["sans"], exact_match=False)
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

    def _use(self, text: rights.RightsText, style: str, size: float) -> None:
        self.pdf.set_font(text.font, style, size)
        self.pdf.set_text_shaping(use_shaping_engine=True)

    def _cell_height(
        self, text: rights.RightsText, width: float, body: str, style: str, size: float
    ) -> float:
        self._use(text, style, size)
        lines = self.pdf.multi_cell(width, size * _LINE * 0.3528, body, dry_run=True, output="LINES")
        return len(lines) * size * _LINE * 0.3528

    def _row(
        self, parts: list[tuple[rights.RightsText, float, str]], style: str, size: float, gap: float
    ) -> None:
        """One row: the same content in each column, starting at the same height."""
        height = max(self._cell_height(t, w, body, style, size) for t, w, body in parts)
        if self.pdf.get_y() + height > _PAGE_H - _MARGIN:
            self.pdf.add_page()
        top = self.pdf.get_y()
        for i, (t, w, body) in enumerate(parts):
            self._use(t, style, size)
            self.pdf.set_xy(self._x(i), top)
            align = "R" if t.direction == "rtl" else "L"
            self.pdf.multi_cell(w, size * _LINE * 0.3528, body, align=align)
        self.pdf.set_y(top + height + gap)

    def build(self, details: NoticeDetails) -> bytes:
        pdf = self.pdf
        pdf.set_creation_date(details.served_at)
        pdf.add_page()
        cols = self._columns()
        own = " · ".join(t.own_name for t, _ in cols)
        self._row([(t, w, t.own_name) for t, w in cols], "", _LABEL_PT, 1.0) if len(cols) > 1 else None
        self._row([(t, w, t.title) for t, w in cols], "B", _TITLE_PT, 3.0)
        pdf.set_draw_color(80)
        pdf.line(_MARGIN, pdf.get_y(), _PAGE_W - _MARGIN, pdf.get_y())
        pdf.set_y(pdf.get_y() + 3.0)
        values = {
            "name": details.name,
            "booking": details.booking_number,
            "detainer": details.detainer_number,
        }
        for key in ("name", "booking", "detainer"):
            self._row([(t, w, f"{t.labels[key]}: {values[key]}") for t, w in cols], "", _BODY_PT, 0.8)
        self._row(
            [(t, w, f"{t.labels['served']}: {t.format_date(details.served_at)}") for t, w in cols],
            "",
            _BODY_PT,
            0.8,
        )
        self._row(
            [(t, w, f"{t.labels['deadline']}: {t.format_date(details.deadline)}") for t, w in cols],
            "B",
            _BODY_PT,
            3.0,
        )
        pdf.line(_MARGIN, pdf.get_y(), _PAGE_W - _MARGIN, pdf.get_y())
        pdf.set_y(pdf.get_y() + 3.0)
        for key in rights.PARAGRAPHS:
            style = "B" if key == "deadline" else ""
            self._row([(t, w, t.paragraph(key, details.deadline)) for t, w in cols], style, _BODY_PT, 3.2)
        del own
        return bytes(pdf.output())
