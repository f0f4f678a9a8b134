"""A printable page set: letter landscape, a header with the title and "Confidential", page
numbers, and a Unicode font (names are not all Latin-1), taken from matplotlib's own fonts so
nothing depends on what the computer has installed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace
from matplotlib.figure import Figure

from casetracker.reports.xlsx_sheets import atomic_file

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"


class ReportPDF(FPDF):
    def __init__(self, title: str, subtitle: str, *, orientation: str = "L") -> None:
        super().__init__(orientation=orientation, unit="mm", format="letter")
        self.report_title = title
        self.report_subtitle = subtitle
        self.add_font(FONT, "", str(_FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=14)
        self.set_margins(12, 12, 12)
        self.alias_nb_pages()
        self.set_title(title)
        self.set_creator("casetracker")

    def header(self) -> None:
        self.set_font(FONT, "B", 13)
        self.cell(0, 7, self.report_title, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 8.5)
        self.cell(0, 5, self.report_subtitle, new_x="LMARGIN", new_y="NEXT")
        self.set_xy(self.l_margin, 12)
        self.set_font(FONT, "B", 9)
        self.cell(0, 7, "CONFIDENTIAL", align="R")
        self.set_xy(self.l_margin, 25)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, "Confidential", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def heading(self, text: str) -> None:
        self.set_font(FONT, "B", 10.5)
        self.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 8.5)

    def table_of(
        self,
        titles: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        widths: Sequence[float] | None = None,
        width: float | None = None,
        font_size: float = 8.5,
        text_align: Sequence[str] | None = None,
    ) -> None:
        self.set_font(FONT, "", font_size)
        head = FontFace(emphasis="BOLD", color=255, fill_color=(48, 84, 150))
        with self.table(
            col_widths=tuple(widths) if widths else None,
            width=width,
            align="LEFT",
            headings_style=head,
            line_height=font_size * 0.5,
            text_align=tuple(
                text_align or ["LEFT"] + ["RIGHT"] * (len(titles) - 1)  # labels, then numbers
            ),
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            table.row([str(t) for t in titles])
            for values in rows:
                table.row(["" if v is None else str(v) for v in values])
        self.ln(2)

    def figure(self, figure: Figure, *, x: float, y: float, w: float) -> None:
        # A bare Figure renders through Agg, with no pyplot and no GUI backend involved.
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=160, bbox_inches="tight")
        buffer.seek(0)
        self.image(buffer, x=x, y=y, w=w)

    def save(self, path: Path) -> None:
        with atomic_file(path) as partial:
            self.output(str(partial))
