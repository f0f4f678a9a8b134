"""Write the shipped motion-paper templates (resources/templates/*.docx) with python-docx.

    .venv/bin/python scripts/make_paper_templates.py [--out FOLDER]

The .docx files are committed; this script is how they were made, so a change to the wording
or the layout is a change here followed by running it again. The {{ fields }} the templates use
are listed in casetracker/documents/fields.py; the legal wording itself is data
(resources/rules/legal_basis.json), so most wording changes need no new template at all.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

OUT = Path(__file__).resolve().parents[1] / "resources" / "templates"
FONT = "Times New Roman"

CASE_CAPTION = (
    "THE PEOPLE OF THE STATE OF NEW YORK,",
    "",
    "– against –",
    "",
    "{{ person.caption_name }},",
    "",
    "Defendant.",
)
LIST_CAPTION = (
    "THE PEOPLE OF THE STATE OF NEW YORK,",
    "",
    "– against –",
    "",
    "THE DEFENDANTS LISTED IN EXHIBIT A,",
    "",
    "Defendants.",
)
CASE_NUMBERS = (
    "{{ case.label }} {{ case.reference }}",
    "{% if court.index_number %}Index No. {{ court.index_number }}{% endif %}",
    "{% if court.calendar_number %}Calendar No. {{ court.calendar_number }}{% endif %}",
)
LIST_NUMBERS = (
    "{{ court_list.count }} cases (Exhibit A)",
    "{% if court.index_number %}Index No. {{ court.index_number }}{% endif %}",
    "{% if court.calendar_number %}Calendar No. {{ court.calendar_number }}{% endif %}",
)


def new_document() -> Document:  # type: ignore[valid-type]
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    # East Asian and complex-script fallbacks too, so Word does not swap fonts for accents.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    return document


def _page_number(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(9)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def para(
    document: Document,  # type: ignore[valid-type]
    text: str = "",
    *,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    after: int = 12,
    spacing: float | None = None,
) -> Paragraph:
    paragraph: Paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    if text:
        paragraph.add_run(text).bold = bold
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Inches(0.5)
    if spacing:
        paragraph.paragraph_format.line_spacing = spacing
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def _widths(table: Table, inches: tuple[float, ...]) -> None:
    """Word reads the cells' widths, LibreOffice the grid's: set both."""
    for column, width in zip(table.columns, inches, strict=True):
        column.width = Inches(width)
    for row in table.rows:
        for cell, width in zip(row.cells, inches, strict=True):
            cell.width = Inches(width)


def _borders(cell: _Cell, **sides: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side, value in sides.items():
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), value)
        edge.set(qn("w:sz"), "8")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    properties.append(borders)


def _cell_lines(cell: _Cell, lines: tuple[str, ...], *, bold_first: bool = False) -> None:
    first = cell.paragraphs[0]
    for n, line in enumerate(lines):
        paragraph = first if n == 0 else cell.add_paragraph()
        paragraph.add_run(line).bold = bold_first and n == 0


def caption(
    document: Document,  # type: ignore[valid-type]
    title: str,
    left: tuple[str, ...],
    right: tuple[str, ...],
) -> None:
    """The court heading and the boxed caption New York papers open with."""
    para(document, "{{ court.name|upper }}", bold=True, after=0)
    para(
        document,
        "{{ court.county_line|upper }}{% if court.part %}, PART {{ court.part|upper }}{% endif %}",
        bold=True,
        after=12,
    )
    table = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _widths(table, (3.9, 2.6))
    people, numbers = table.rows[0].cells
    _borders(people, top="single", bottom="single", right="single")
    _cell_lines(people, left)
    _cell_lines(numbers, (title, "", *right), bold_first=True)
    for paragraph in numbers.paragraphs:
        paragraph.paragraph_format.left_indent = Inches(0.2)
    para(document, after=6)


def numbered_loop(
    document: Document,  # type: ignore[valid-type]
    items: str,
    line: str,
    *,
    indent: bool = True,
    spacing: float = 1.5,
) -> None:
    para(document, f"{{%p for item in {items} %}}", after=0)
    paragraph = para(document, line, indent=indent, spacing=spacing if indent else None)
    paragraph.paragraph_format.space_after = Pt(6)
    para(document, "{%p endfor %}", after=0)


def signature(document: Document, *, dated: bool = True) -> None:  # type: ignore[valid-type]
    """The date and the signature block, kept together on one page."""
    lines: list[tuple[str, int, bool]] = []
    if dated:
        lines += [
            ("Dated: {{ court.place }}, New York", 0, False),
            ("{{ generated_on }}", 24, False),
        ]
    lines += [
        ("{{ office.name }}", 0, True),
        ("", 0, True),
        ("By: ______________________________", 0, True),
        ("{{ ada.name }}", 0, True),
        ("Assistant District Attorney", 0, True),
    ]
    for n, (text, after, indented) in enumerate(lines):
        p = para(document, text, after=after)
        if indented:
            p.paragraph_format.left_indent = Inches(3.25)
        p.paragraph_format.keep_with_next = n < len(lines) - 1


def notice_of_motion() -> Document:  # type: ignore[valid-type]
    document = new_document()
    caption(document, "NOTICE OF MOTION", CASE_CAPTION, CASE_NUMBERS)
    para(
        document,
        "PLEASE TAKE NOTICE that upon the annexed affirmation of {{ ada.name }}, Assistant "
        "District Attorney, dated {{ generated_on }}, and upon all the papers and proceedings "
        "had herein, the People of the State of New York will move this Court, at Part "
        "{{ court.part or '____' }} thereof, on {{ court.date }}, or as soon thereafter as "
        "counsel may be heard, for an order:",
        indent=True,
        spacing=1.15,
    )
    numbered_loop(document, "legal.relief", "({{ loop.index }}) {{ item }};", spacing=1.15)
    para(
        document,
        "and for such other and further relief as the Court deems just and proper. The "
        "defendant need not appear. The People rely on {{ legal.citations }}.",
        indent=True,
        spacing=1.15,
    )
    para(document, "{{ legal.title }}.", after=18)
    signature(document)
    para(document, after=12)
    para(document, "TO: Clerk of the Court", after=0)
    para(document, "{% if motion.defense %}      {{ motion.defense }}{% endif %}", after=0)
    return document


def affirmation_opening(document: Document, *, assigned: bool) -> None:  # type: ignore[valid-type]
    """Who affirms, and on what knowledge (CPLR 2106 as amended in 2024: anyone may affirm)."""
    para(
        document,
        "{{ ada.name }}, an attorney admitted to practice in the courts of New York State, "
        "affirms the following under the penalties of perjury:",
        indent=True,
        spacing=1.5,
    )
    para(
        document,
        "1. I am an Assistant District Attorney in the office of the {{ office.name }}"
        + (", assigned to this matter." if assigned else ".")
        + " I make this affirmation upon information and belief, the sources of which are the "
        "records of the District Attorney's office and of the Court.",
        indent=True,
        spacing=1.5,
    )


def affirmation_closing(document: Document) -> None:  # type: ignore[valid-type]
    """The affirmation's closing words (CPLR 2106), kept on the page with the signature."""
    para(
        document,
        "I affirm this {{ generated_on }}, under the penalties of perjury under the laws of New "
        "York, which may include a fine or imprisonment, that the foregoing is true, and I "
        "understand that this document may be filed in an action or proceeding in a court of "
        "law.",
        indent=True,
        spacing=1.5,
        after=18,
    ).paragraph_format.keep_with_next = True


def affirmation() -> Document:  # type: ignore[valid-type]
    document = new_document()
    caption(document, "AFFIRMATION IN SUPPORT", CASE_CAPTION, CASE_NUMBERS)
    affirmation_opening(document, assigned=True)
    para(
        document,
        "2. The defendant, {{ person.name }}{% if person.date_of_birth %}, born "
        "{{ person.date_of_birth }}{% endif %}{% if person.nysid %}, NYSID {{ person.nysid }}"
        "{% endif %}, was charged under {{ case.label }} {{ case.reference }} with "
        "{{ case.charges }}{% if case.disposition %}; the case was disposed of as follows: "
        "{{ case.disposition }}{% if case.disposition_date %} on {{ case.disposition_date }}"
        "{% endif %}{% endif %}.",
        indent=True,
        spacing=1.5,
    )
    numbered_loop(document, "legal.basis", "{{ loop.index + 2 }}. {{ item }}")
    para(
        document,
        "WHEREFORE, the People respectfully ask that the Court grant an order:",
        indent=True,
        spacing=1.5,
    ).paragraph_format.keep_with_next = True
    numbered_loop(document, "legal.relief", "({{ loop.index }}) {{ item }};")
    affirmation_closing(document)
    signature(document, dated=False)
    return document


def proposed_order() -> Document:  # type: ignore[valid-type]
    document = new_document()
    caption(document, "[PROPOSED] ORDER", CASE_CAPTION, CASE_NUMBERS)
    para(
        document,
        "Upon the People's notice of motion and the affirmation of {{ ada.name }}, Assistant "
        "District Attorney, dated {{ generated_on }}, and due deliberation having been had, "
        "the Court finds that dismissal of this action is in the furtherance of justice. It is",
        indent=True,
        spacing=1.5,
    )
    order_paragraphs(document, single=True)
    judge_signature(document)
    return document


def judge_signature(document: Document) -> None:  # type: ignore[valid-type]
    """The judge's signature block, kept on one page with the last ordering paragraph."""
    lines = (
        ("ENTER:", 24),
        ("______________________________", 0),
        ("{{ court.judge_line }}", 12),
    )
    for text, after in lines:
        p = para(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT, after=after)
        p.paragraph_format.keep_with_next = True
    para(document, "Dated: ____________________", after=0)


def order_paragraphs(document: Document, *, single: bool) -> None:  # type: ignore[valid-type]
    where = (
        "under {{ case.label }} {{ case.reference }}"
        if single
        else "in each case listed in Exhibit A"
    )
    for text in (
        f"ORDERED that, {where}, {{{{ legal.order_vacates }}}}; and it is further",
        f"ORDERED that the {{{{ court.instrument }}}} {where} is dismissed in the furtherance "
        "of justice pursuant to {{ court.dismissal_statute }}; and it is further",
        "ORDERED that {{ legal.sealing_order }}",
    ):
        para(document, text, indent=True, spacing=1.5).paragraph_format.keep_with_next = True


def exhibit(document: Document, heading: str) -> None:  # type: ignore[valid-type]
    title = para(document, heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    title.paragraph_format.page_break_before = True
    para(
        document,
        "{{ court_list.count }} cases · {{ court.name }}, {{ court.county_line }}, Part "
        "{{ court.part }} · {{ court.date }}",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=6,
    )
    para(
        document,
        "Date: the date of conviction for a conviction, the date the warrant was issued for a "
        "summons warrant.",
        after=6,
    ).runs[0].font.size = Pt(9)
    headers = ("#", "Defendant", "Date of birth", "Docket / summons", "Charge", "Date")
    widths = (0.45, 1.75, 1.0, 1.3, 1.05, 0.95)
    table: Table = document.add_table(rows=4, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    _widths(table, widths)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table)
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for m in motions %}")
    fields = (
        "{{ m.number }}",
        "{{ m.person }}",
        "{{ m.date_of_birth }}",
        "{{ m.reference }}",
        "{{ m.charge }}",
        "{{ m.date }}",
    )
    for cell, text in zip(table.rows[2].cells, fields, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.font.size = Pt(10)
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")


def _repeat_header(table: Table) -> None:
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def omnibus_motion() -> Document:  # type: ignore[valid-type]
    document = new_document()
    caption(document, "NOTICE OF MOTION AND AFFIRMATION", LIST_CAPTION, LIST_NUMBERS)
    para(
        document,
        "PLEASE TAKE NOTICE that upon the affirmation below and the annexed Exhibit A, the "
        "People of the State of New York will move this Court, at Part "
        "{{ court.part or '____' }} thereof, on {{ court.date }}, or as soon thereafter as "
        "counsel may be heard, for an order in each of the {{ court_list.count }} cases listed "
        "in Exhibit A:",
        indent=True,
        spacing=1.5,
    )
    numbered_loop(document, "legal.relief", "({{ loop.index }}) {{ item }};")
    para(
        document,
        "and for such other and further relief as the Court deems just and proper. The "
        "defendants need not appear. The People rely on {{ legal.citations }}.",
        indent=True,
        spacing=1.5,
    )
    para(document, "AFFIRMATION", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    affirmation_opening(document, assigned=False)
    para(
        document,
        "2. Exhibit A lists {{ court_list.count }} cases ({{ court_list.kinds }}), with each "
        "defendant's name, date of birth, docket or summons number, charge and date.",
        indent=True,
        spacing=1.5,
    )
    numbered_loop(document, "legal.basis", "{{ loop.index + 2 }}. {{ item }}")
    affirmation_closing(document)
    signature(document)
    exhibit(document, "EXHIBIT A")
    return document


def list_order() -> Document:  # type: ignore[valid-type]
    document = new_document()
    caption(document, "[PROPOSED] ORDER", LIST_CAPTION, LIST_NUMBERS)
    para(
        document,
        "Upon the People's motion dated {{ generated_on }}, the affirmation of {{ ada.name }}, "
        "Assistant District Attorney, and the annexed Exhibit A listing {{ court_list.count }} "
        "cases, and due deliberation having been had, the Court finds that dismissal of each "
        "listed action is in the furtherance of justice. It is",
        indent=True,
        spacing=1.5,
    )
    order_paragraphs(document, single=False)
    judge_signature(document)
    exhibit(document, "EXHIBIT A TO THE ORDER")
    return document


BUILDERS = {
    "notice_of_motion": notice_of_motion,
    "affirmation": affirmation,
    "proposed_order": proposed_order,
    "omnibus_motion": omnibus_motion,
    "list_order": list_order,
}


def _fixed_properties(document: Document) -> None:  # type: ignore[valid-type]
    """The same script writes the same files: no author or time stamps that change per run."""
    properties = document.core_properties  # type: ignore[attr-defined]
    properties.author = "casetracker"
    properties.last_modified_by = "casetracker"
    properties.title = ""
    properties.revision = 1
    properties.created = properties.modified = datetime(2026, 12, 1)


def _stable_zip(document: Document) -> bytes:  # type: ignore[valid-type]
    """The .docx with every entry stamped with one fixed time: python-docx stamps them with
    the time of saving, so the same template would differ byte for byte (and by SHA-256)."""
    saved = io.BytesIO()
    document.save(saved)  # type: ignore[attr-defined]
    stable = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(stable, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=(2026, 12, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry.filename))
    return stable.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="folder (resources/templates)")
    out = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        document = build()
        _fixed_properties(document)
        path = out / f"{name}.docx"
        path.write_bytes(_stable_zip(document))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
