"""How every list An Sinh hands out in Excel prints: A4 landscape, fitted to the page width, the header row
repeated on each page, "Trang 1/3" in the footer — as officials print lists to sign and send."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

_thin = Side(style="thin", color="9CA3AF")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="1D4ED8")


def write_headers(sheet: Worksheet, *, row: int, columns: Sequence, height: float) -> None:
    """The column headers (each column has `.header` and `.width`): white on blue, bordered, wrapped."""
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row, index, column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[row].height = height


def print_setup(sheet: Worksheet, *, header_row: int, freeze: str, filter_ref: str | None = None) -> None:
    """Frozen header, an optional filter over the table, and the print settings above."""
    sheet.freeze_panes = freeze
    if filter_ref:
        sheet.auto_filter.ref = filter_ref
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.center.text = "Trang &P/&N"
