"""The one way a report is written: a PDF of headings, paragraphs, tables and plots (fpdf2,
matplotlib figures), and CSV files of the same figures. Used by the oversight report (backend)
and the jail's quarterly report (station).

Text is set in Noto Sans when Debian's fonts-noto-core is installed (any script), otherwise in
the PDF's built-in Helvetica, with characters it cannot show replaced by "?".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_NOTO = Path("/usr/share/fonts/truetype/noto")


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, Any] | Sequence[Any]]) -> int:
    """Write `rows` (dicts keyed by column, or sequences in column order) under a header; returns
    the number of rows. Floats keep 6 significant digits; None is an empty cell."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            values = [row.get(c) for c in columns] if isinstance(row, dict) else list(row)
            writer.writerow([_cell(v) for v in values])
            count += 1
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "" if value != value else f"{value:.6g}"  # NaN: empty
    return str(value)


class ReportPdf:
    """A4 pages with a running footer (title, page n of N, when it was made)."""

    def __init__(self, title: str, *, landscape: bool = False, made_at: datetime | None = None) -> None:
        from fpdf import FPDF

        self.title = title
        self.made_at = (made_at or datetime.now(UTC)).replace(microsecond=0)
        footer_text = f"{title}  |  made {self.made_at.isoformat()}"

        class _Pdf(FPDF):
            def footer(inner) -> None:  # type: ignore[no-untyped-def]
                inner.set_y(-12)
                inner.set_font(inner._report_family, size=7)
                inner.set_text_color(110)
                inner.cell(0, 5, inner._report_text(f"{footer_text}  |  page {inner.page_no()} of {{nb}}"),
                           align="C")  # fmt: skip
                inner.set_text_color(0)

        self.pdf = _Pdf(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(True, margin=16)
        self.pdf.set_margins(14, 14, 14)
        self.pdf.set_title(title)
        self.pdf.set_creator("booking-station")
        self.pdf.set_creation_date(self.made_at)
        self.family = self._fonts()
        self.pdf._report_family = self.family  # type: ignore[attr-defined]
        self.pdf._report_text = self.text  # type: ignore[attr-defined]
        self.pdf.add_page()

    def _fonts(self) -> str:
        regular, bold = _NOTO / "NotoSans-Regular.ttf", _NOTO / "NotoSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            self.pdf.add_font("NotoSans", "", str(regular))
            self.pdf.add_font("NotoSans", "B", str(bold))
            self._unicode = True
            return "NotoSans"
        self._unicode = False
        return "Helvetica"

    def text(self, value: Any) -> str:
        text = "" if value is None else str(value)
        return text if self._unicode else text.encode("latin-1", "replace").decode("latin-1")

    @property
    def width(self) -> float:
        return self.pdf.w - self.pdf.l_margin - self.pdf.r_margin

    def heading(self, text: str, level: int = 1) -> None:
        size = {0: 17, 1: 13, 2: 11}[level]
        if self.pdf.get_y() > self.pdf.h - 50:
            self.pdf.add_page()
        self.pdf.ln(2 if level else 0)
        self.pdf.set_font(self.family, "B", size)
        self.pdf.multi_cell(0, size * 0.5, self.text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)

    def paragraph(self, text: str, size: float = 9.5) -> None:
        self.pdf.set_font(self.family, "", size)
        self.pdf.multi_cell(0, size * 0.48, self.text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)

    def facts(self, pairs: Sequence[tuple[str, Any]]) -> None:
        """Label: value lines, labels in bold."""
        for label, value in pairs:
            self.pdf.set_font(self.family, "B", 9.5)
            self.pdf.cell(62, 5, self.text(label))
            self.pdf.set_font(self.family, "", 9.5)
            self.pdf.multi_cell(0, 5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        widths: Sequence[float] | None = None,
        align: str | Sequence[str] | None = None,
        size: float = 7.5,
        highlight: Sequence[bool] | None = None,
        empty: str = "none",
    ) -> None:
        """A table whose header repeats on each page; `highlight` shades the rows marked True."""
        from fpdf.fonts import FontFace

        if not rows:
            self.paragraph(f"({empty})", size=size + 1)
            return
        widths = widths or self._widths(columns, rows, size)
        scale = self.width / sum(widths)
        widths = [w * scale for w in widths]
        aligns = align if isinstance(align, Sequence) and not isinstance(align, str) else None
        if aligns is None:
            aligns = ["RIGHT" if _numeric([r[i] for r in rows]) else "LEFT" for i in range(len(columns))]
        self.pdf.set_font(self.family, "", size)
        header_style = FontFace(emphasis="BOLD", fill_color=(225, 229, 235))
        with self.pdf.table(
            col_widths=widths,
            text_align=tuple(aligns),
            headings_style=header_style,
            line_height=size * 0.5,
            padding=0.8,
            borders_layout="HORIZONTAL_LINES",
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            header = table.row()
            for name in columns:
                header.cell(self.text(name))
            for i, values in enumerate(rows):
                style = FontFace(fill_color=(255, 236, 214)) if highlight and highlight[i] else None
                row = table.row(style=style)
                for value in values:
                    row.cell(self.text(_shown(value)))
        self.pdf.ln(2)

    def _widths(self, columns: Sequence[str], rows: Sequence[Sequence[Any]], size: float) -> list[float]:
        self.pdf.set_font(self.family, "", size)
        out = []
        for i, name in enumerate(columns):
            longest = max([self.pdf.get_string_width(self.text(_shown(r[i]))) for r in rows[:300]] + [0])
            header = max(self.pdf.get_string_width(self.text(word)) for word in str(name).split() or [""])
            out.append(max(longest, header, 6) + 2)
        return out

    def figure(self, figure, width_mm: float | None = None, title: str | None = None) -> None:  # type: ignore[no-untyped-def]
        """A matplotlib `Figure` (made with `new_figure`), embedded as a 200 dpi PNG; `title` is a
        heading kept on the same page as the figure."""
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=200, bbox_inches="tight")
        width = width_mm or self.width
        fig_w, fig_h = figure.get_size_inches()
        height = width * fig_h / fig_w
        if self.pdf.get_y() + height + (12 if title else 0) > self.pdf.h - 16:
            self.pdf.add_page()
        if title:
            self.heading(title, 2)
        buffer.seek(0)
        self.pdf.image(buffer, x=self.pdf.l_margin, w=width)
        self.pdf.ln(2)

    def new_page(self) -> None:
        self.pdf.add_page()

    def save(self, path: Path) -> bytes:
        data = bytes(self.pdf.output())
        Path(path).write_bytes(data)
        return data


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return "" if value != value else f"{value:.3g}"
    return str(value)


def _numeric(values: Sequence[Any]) -> bool:
    seen = [v for v in values if v not in (None, "")]
    return bool(seen) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in seen)


def new_figure(width_in: float, height_in: float):  # type: ignore[no-untyped-def]
    """A matplotlib Figure drawn off-screen, without pyplot's global state: safe in any thread and
    beside a running Qt application."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), layout="constrained")
