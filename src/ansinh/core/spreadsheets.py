"""How every list An Sinh hands out in Excel prints: A4 landscape, fitted to the page width, the header row
repeated on each page, "Trang 1/3" in the footer — as officials print lists to sign and send."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet


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
