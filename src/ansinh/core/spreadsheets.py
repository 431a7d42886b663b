"""How every list An Sinh hands out in Excel prints: A4 landscape, fitted to the page width, the header row
repeated on each page, "Trang 1/3" in the footer — as officials print lists to sign and send.

And how every cell is written, by every export: names, villages, notes and task texts come from imported
files and from users, so a text such as `=HYPERLINK("http://…")` must arrive in the official's Excel as
the text it is, never as a formula Excel or LibreOffice would run (OWASP "CSV injection").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

#: The content type of an .xlsx workbook, for the doors that send one.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_thin = Side(style="thin", color="9CA3AF")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="1D4ED8")


#: A text starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets when the
#: file is opened or a cell edited (OWASP: "=", "+", "-", "@", and a tab or carriage return before them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for a text a spreadsheet would take for a formula; numbers (-5 too) are numbers, never this."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_text(value: object) -> object:
    """A CSV cell: a text that looks like a formula gets a leading `'` (OWASP), so a spreadsheet shows it
    as text; numbers, dates and other texts are returned as they are."""
    return "'" + value if looks_like_formula(value) else value


def put(cell: Cell, value: object) -> Cell:
    """Write `value` into an XLSX cell as data, never as a formula.

    openpyxl turns a text starting with "=" into a formula (and "#N/A" into an error): such a text is
    stored as a string instead, with the cell's "quote prefix" set, the XLSX form of Excel's leading `'`.
    The official sees the text exactly as it was; Excel and LibreOffice show it, do not run it, and keep
    it text when the cell is edited. Characters XLSX cannot hold (control characters) are dropped rather
    than failing the whole export."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and (looks_like_formula(value) or value in ERROR_CODES):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def write_cell(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """`sheet.cell(row, column, value)`, written by `put`."""
    return put(sheet.cell(row, column), value)


def write_row(sheet: Worksheet, *, row: int, values: Iterable[object]) -> None:
    """One line of cells from column A, each written by `put` (exports use this instead of `sheet.append`)."""
    for column, value in enumerate(values, start=1):
        write_cell(sheet, row, column, value)


@dataclass(frozen=True)
class SheetColumn:
    """A column of a workbook we write (an export, not an import: that is `core.tabular.ImportColumn`):
    its header, its width in characters, and how its cells show."""

    header: str
    width: float
    number_format: str | None = None
    centred: bool = False
    wrap: bool = False  # long text (names, addresses, notes) wraps instead of running into the next cell
    total: bool = False  # a list that ends with a total row sums this column


def style_cell(cell: Cell, column: SheetColumn, *, vertical: str = "top") -> Cell:
    """A body cell as its column wants it: bordered, centred or not, wrapped or not, its number format."""
    cell.border = BORDER
    cell.alignment = Alignment(horizontal="center" if column.centred else None, vertical=vertical, wrap_text=column.wrap)
    if column.number_format:
        cell.number_format = column.number_format
    return cell


def write_headers(sheet: Worksheet, *, row: int, columns: Sequence[SheetColumn], height: float) -> None:
    """The column headers: white on blue, bordered, wrapped, each column as wide as it says."""
    for index, column in enumerate(columns, start=1):
        cell = write_cell(sheet, row, index, column.header)
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
