"""The Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix I) in python-docx: shared by every
DOCX An Sinh writes (demand letters, periodic reports), so they all look as a văn thư expects.

A4 portrait, Times New Roman 13 pt, margins 20/20/30/15 mm; the header block has the issuing body and the
number/symbol on the left, the national motto and the place and date on the right; page numbers from page 2
centred in the top margin; "Nơi nhận:" bottom left and the signer bottom right. LibreOffice and Word read
table widths from different places, so both are written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ansinh.core.errors import ValidationFailed
from ansinh.core.text import plain

# --- wording and layout (Decree 30/2020/NĐ-CP) --------------------------------------------------------

#: The content type of a .docx document, for the doors that send one.
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUBTITLE = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165
#: Header and signature tables: the issuing body's column and the motto's column (165 mm together). At
#: 12 pt bold the motto is 88 mm wide; "BẢO HIỂM XÃ HỘI THÀNH PHỐ" at 12 pt bold 65 mm.
LEFT_COLUMN_MM, RIGHT_COLUMN_MM = 70, 95
#: The line under the issuing body: 1/3 to 1/2 of the body's name; under the motto: as long as
#: "Độc lập - Tự do - Hạnh phúc" (56 mm at 13 pt bold).
AGENCY_LINE_MM, MOTTO_LINE_MM = 28, 56
FIRST_LINE_INDENT_MM = 10
SIGNATURE_SPACE_LINES = 4
#: The number left for the văn thư to write in by hand.
BLANK_NUMBER = "." * 8

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def place_date(place: str, day: date) -> str:
    """"Cần Thơ, ngày 05 tháng 02 năm 2025": days under 10 and months 1 and 2 take a leading 0 (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def document_number(number: str, symbol: str) -> str:
    """"125" → "Số: 125/BC-BHXH"; a number with its symbol is kept; no number leaves the blank the văn thư
    fills in by hand when the document is registered, as dots so it shows on paper ("Số: ......../BC-BHXH";
    spaces alone collapse in a PDF and read as "Số: /BC-BHXH")."""
    number = number.strip()
    if not number:
        return f"Số: {BLANK_NUMBER}/{symbol}"
    return f"Số: {number}" if "/" in number else f"Số: {number}/{symbol}"


def clean_signer(*, signer_title: str, signer_name: str) -> tuple[str, str]:
    """The signer a door passes on, checked and tidied: a title of at most three lines ("KT. GIÁM ĐỐC\nPHÓ
    GIÁM ĐỐC", blank lines dropped) and 120 characters, a name on one line of at most 60."""
    title = "\n".join(line.strip() for line in signer_title.strip().splitlines() if line.strip())
    name = signer_name.strip()
    if len(title) > 120 or len(title.splitlines()) > 3:
        raise ValidationFailed("Chức vụ người ký dài quá 3 dòng hoặc 120 ký tự.")
    if len(name) > 60 or "\n" in name:
        raise ValidationFailed("Họ tên người ký phải trên một dòng, tối đa 60 ký tự.")
    return title, name


# --- blocks -------------------------------------------------------------------------------------------


def header_block(document, *, parent_agency: str, agency: str, number_line: str, place_date_line: str) -> None:
    """Two rows so the number and the place-date line sit on one line, as on a printed form."""
    table = layout_table(document, rows=2, widths=(LEFT_COLUMN_MM, RIGHT_COLUMN_MM))
    issuer, motto = table.rows[0].cells
    cell_text(issuer, parent_agency.upper(), size=12)
    cell_text(issuer, agency.upper(), size=12, bold=True, new=True)
    rule(issuer.add_paragraph(), AGENCY_LINE_MM, LEFT_COLUMN_MM)
    cell_text(motto, MOTTO, size=12, bold=True)
    cell_text(motto, MOTTO_SUBTITLE, size=13, bold=True, new=True)
    rule(motto.add_paragraph(), MOTTO_LINE_MM, RIGHT_COLUMN_MM)
    left, right = table.rows[1].cells
    cell_text(left, number_line, size=13, before=6)
    cell_text(right, place_date_line, size=13, italic=True, before=6)


def signature_block(document, *, recipients: Sequence[str], signer_title: str, signer_name: str) -> None:
    """Bottom left the recipients, bottom right the signer: title, room for signature and seal, name."""
    table = layout_table(document, rows=1, widths=(LEFT_COLUMN_MM, RIGHT_COLUMN_MM))
    keep_together(table.rows[0])
    left, signer = table.rows[0].cells
    cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left", before=12)
    for recipient in recipients:
        cell_text(left, f"- {recipient}", size=11, align="left", new=True)
    for index, line in enumerate(signer_title.upper().splitlines() or [""]):
        cell_text(signer, line, size=13, bold=True, new=index > 0, before=12 if index == 0 else 0)
    for _ in range(SIGNATURE_SPACE_LINES):
        cell_text(signer, "", size=13, new=True)
    cell_text(signer, signer_name, size=13, bold=True, new=True)


def data_table(
    document, *, headers: Sequence[str], rows: Sequence[Sequence[tuple[str, str]]], widths_mm: Sequence[float],
    bold_last: bool = False, size: float = TABLE_PT,
) -> Table:
    """A bordered table of figures: bold header row repeated on every page, cells given as (text, align)."""
    table = document.add_table(rows=1, cols=len(headers))
    fix_widths(table, widths_mm)
    table_props(table, borders="single", margin_mm=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell_text(cell, text, size=size, bold=True)
    for index, cells in enumerate(rows):
        row = table.add_row()
        for cell, (text, align) in zip(row.cells, cells):
            cell_text(cell, text, size=size, bold=bold_last and index == len(rows) - 1, align=align)
    fix_widths(table, widths_mm)  # the added rows' cells need their widths too
    return table


def picture(document, png: bytes, *, width_mm: float = TEXT_WIDTH_MM, caption: str = "") -> None:
    """A chart centred on its own line, with an italic caption below it."""
    paragraph = document.add_paragraph()
    format_paragraph(paragraph, align="center", before=6, after=0)
    paragraph.paragraph_format.keep_with_next = bool(caption)
    paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
    if caption:
        add_paragraph(document, caption, italic=True, size=12, align="center", after=6)


# --- document and page set-up -------------------------------------------------------------------------


def document_defaults(document, *, title: str, author: str) -> None:
    """Times New Roman 13 pt everywhere, theme fonts removed so no Calibri or Cambria leaks in."""
    for rfonts in document.styles.element.iter(qn("w:rFonts")):
        for name in [key for key in rfonts.attrib if key.endswith("Theme")]:
            del rfonts.attrib[name]
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.language = "vi-VN"


def page_setup(section, *, first: bool) -> None:
    """A4 portrait, Decree 30 margins, page numbers from page 2 centred in the top margin, restarting at 1."""
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.different_first_page_header_footer = True
    sectPr = section._sectPr
    if sectPr.find(qn("w:pgNumType")) is None:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        insert_before(sectPr, numbering, "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
                      "bidi", "rtlGutter", "docGrid", "printerSettings")
    if first:  # later sections inherit both headers from this one
        section.first_page_header.is_linked_to_previous = False
        page = section.header.paragraphs[0]
        page.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        fonts(properties)
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(BODY_PT * 2))
        properties.append(size)
        text = OxmlElement("w:t")
        text.text = "2"
        run.append(properties)
        run.append(text)
        field.append(run)
        page._p.append(field)


def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- paragraphs and runs ------------------------------------------------------------------------------


def add_paragraph(
    container, text, *, bold=False, italic=False, size=BODY_PT, align="left", before=0, after=0
) -> Paragraph:
    paragraph = container.add_paragraph()
    format_paragraph(paragraph, align=align, before=before, after=after)
    add_run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def body(document, text: str | list[tuple[str, dict]], *, italic=False, before=0, after=6) -> Paragraph:
    """A body paragraph: justified, first line indented 1 cm, 6 pt between paragraphs (Decree 30)."""
    paragraph = document.add_paragraph()
    format_paragraph(paragraph, align="justify", before=before, after=after)
    paragraph.paragraph_format.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
    for piece, style in [(text, {})] if isinstance(text, str) else text:
        add_run(paragraph, piece, italic=italic, size=BODY_PT, **style)
    return paragraph


def cell_text(cell: _Cell, text: str, *, size, bold=False, italic=False, align="center", new=False, before=0) -> None:
    """Write into a cell: its first (empty) paragraph, or a new one when `new`."""
    paragraph = cell.add_paragraph() if new else cell.paragraphs[0]
    format_paragraph(paragraph, align=align, before=before, after=0)
    add_run(paragraph, text, bold=bold, italic=italic, size=size)


def format_paragraph(paragraph: Paragraph, *, align: str, before: float, after: float) -> None:
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def add_run(paragraph: Paragraph, text: str, *, bold=False, italic=False, size=BODY_PT):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None
    fonts(run._r.get_or_add_rPr())
    return run


def fonts(rPr) -> None:
    """Times New Roman for every script (Latin, complex, East Asian), so Vietnamese never falls back."""
    rfonts = rPr.get_or_add_rFonts()
    for key in ("ascii", "hAnsi", "cs", "eastAsia"):
        rfonts.set(qn(f"w:{key}"), FONT)


def rule(paragraph: Paragraph, length_mm: float, width_mm: float) -> None:
    """A short centred horizontal line: an empty 2 pt paragraph with a bottom border, indented to length."""
    side = Mm(max(width_mm - length_mm, 0) / 2)
    format_paragraph(paragraph, align="center", before=0, after=0)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    pPr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    insert_before(pPr, borders, "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
                  "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing",
                  "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
                  "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
                  "pPrChange")
    shrink(paragraph, keep_format=True)


def shrink(paragraph: Paragraph, keep_format: bool = False) -> None:
    """Make an empty paragraph 2 pt high (a rule, a section break) so it takes no visible line."""
    if not keep_format:
        format_paragraph(paragraph, align="left", before=0, after=0)
    pPr = paragraph._p.get_or_add_pPr()
    mark = OxmlElement("w:rPr")
    fonts(mark)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), "4")
        mark.append(size)
    insert_before(pPr, mark, "sectPr", "pPrChange")


# --- tables -------------------------------------------------------------------------------------------


def layout_table(document, *, rows: int, widths: tuple[float, ...]) -> Table:
    """A borderless table that only places blocks side by side (header, signature)."""
    table = document.add_table(rows=rows, cols=len(widths))
    fix_widths(table, widths)
    table_props(table, borders="nil", margin_mm=0)
    for row in table.rows:
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    return table


def fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed layout with the widths on the grid and on every cell (LibreOffice reads one, Word the other)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)
    tblW = table._tbl.tblPr.find(qn("w:tblW"))
    if tblW is not None:
        tblW.set(qn("w:type"), "dxa")
        tblW.set(qn("w:w"), str(twips(sum(widths_mm))))


def table_props(table: Table, *, borders: str, margin_mm: float) -> None:
    tblPr = table._tbl.tblPr
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), borders)
        if borders != "nil":
            for key, value in (("sz", "4"), ("space", "0"), ("color", "000000")):
                line.set(qn(f"w:{key}"), value)
        edges.append(line)
    insert_before(tblPr, edges, "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(twips(margin_mm)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    insert_before(tblPr, margins, "tblLook", "tblCaption", "tblDescription")


def repeat_header(row) -> None:
    """A table's header row is repeated on every page the table runs onto."""
    keep_together(row)
    insert_before(row._tr.get_or_add_trPr(), OxmlElement("w:tblHeader"), "tblCellSpacing", "jc", "hidden", "ins",
                  "del", "trPrChange")


def keep_together(row) -> None:
    """A row that never splits across pages (the signature block stays whole)."""
    insert_before(row._tr.get_or_add_trPr(), OxmlElement("w:cantSplit"), "trHeight", "tblHeader", "tblCellSpacing",
                  "jc", "hidden", "ins", "del", "trPrChange")


def insert_before(parent, element, *successors: str) -> None:
    """Insert `element` before the first of its schema successors present, else at the end (Word is strict)."""
    for child in parent:
        if child.tag in {qn(f"w:{name}") for name in successors}:
            child.addprevious(element)
            return
    parent.append(element)


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def ascii_name(text: str, default: str = "don-vi") -> str:
    """"TA-0123 Đ" → "TA-0123-D": letters without marks, anything else that is unsafe in a file name → "-"."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", plain(text, compatibility=True)).strip("-") or default
