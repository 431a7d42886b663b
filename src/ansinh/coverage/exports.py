"""The commune's lists for action as Excel workbooks, ready to print and take on a round of visits.

One workbook per list, the whole list (every page). Personal data leaves the system here, so: ID numbers
only masked, and every export written to the audit log in the same call. The web page, the API and the CLI
(`ansinh coverage list --xlsx`) all call `list_xlsx`.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ansinh.accounts.models import User
from ansinh.audit.services import audit_record
from ansinh.core.formatting import format_date, format_int
from ansinh.core.text import plain
from ansinh.core.spreadsheets import SheetColumn, print_setup, style_cell, write_cell, write_headers, write_row
from ansinh.coverage.engine import LAPSED_LOOKBACK_MONTHS
from ansinh.coverage.selectors import LISTS, Page, list_all
from ansinh.coverage.services import extract_read

#: Row of the column headers; data starts on the next row. Above it: the title and a one-line summary.
HEADER_ROW = 3
DATE_FORMAT = "DD/MM/YYYY"
MONTH_FORMAT = "MM/YYYY"
COUNT_FORMAT = "#,##0"
NOTE = "Ghi chú (kết quả vận động)"  # a blank column for the officer's pen on the printed list


#: Short names for the file, readable in a folder listing ("ds-ho-chua-bhyt-31135-2025-10-31.xlsx").
FILE_SLUGS = {"households": "ho-chua-bhyt", "expiring": "the-bhyt-sap-het-han", "lapsed": "dung-dong-bhxh-tu-nguyen"}


PERSON_COLUMNS = [
    SheetColumn("Họ và tên", 26),
    SheetColumn("Số định danh cá nhân", 16, centred=True),
    SheetColumn("Giới tính", 8, centred=True),
    SheetColumn("Năm sinh", 8, centred=True),
    SheetColumn("Tuổi", 6, centred=True),
]
WHERE_COLUMNS = [SheetColumn("Ấp/khu vực", 16), SheetColumn("Mã hộ", 12)]

COLUMNS = {
    # One line per person missing a card; the household's own cells are merged over its members.
    "households": [
        SheetColumn("STT", 6, centred=True), SheetColumn("Mã hộ", 12), SheetColumn("Ấp/khu vực", 16),
        SheetColumn("Số thành viên", 10, COUNT_FORMAT, centred=True), SheetColumn("Số người chưa có thẻ", 10, COUNT_FORMAT, centred=True),
        *PERSON_COLUMNS, SheetColumn(NOTE, 30, wrap=True),
    ],
    "expiring": [
        SheetColumn("STT", 6, centred=True), *PERSON_COLUMNS, *WHERE_COLUMNS,
        SheetColumn("Nhóm BHYT", 8, centred=True), SheetColumn("Đối tượng", 28, wrap=True), SheetColumn("Hết hạn ngày", 12, DATE_FORMAT, centred=True),
        SheetColumn("Còn (ngày)", 9, COUNT_FORMAT, centred=True), SheetColumn(NOTE, 30, wrap=True),
    ],
    "lapsed": [
        SheetColumn("STT", 6, centred=True), *PERSON_COLUMNS, *WHERE_COLUMNS,
        SheetColumn("Tháng đóng cuối", 11, MONTH_FORMAT, centred=True), SheetColumn("Đã dừng (tháng)", 10, COUNT_FORMAT, centred=True),
        SheetColumn(NOTE, 30, wrap=True),
    ],
}
HOUSEHOLD_COLUMNS = 5  # STT … Số người chưa có thẻ: merged over the household's lines
#: Where the panes freeze: below the headers, right of the columns that say who (or which household) it is.
FREEZE_COLUMN = {"households": "D", "expiring": "C", "lapsed": "C"}


def list_filename(
    *, kind: str, code: str, day: date | None = None, village: str | None = None, days: int = 30, **_list_xlsx: object
) -> str:
    """`ds-ho-chua-bhyt-31135-2025-10-31.xlsx`: list, commune, village if any, day (the extract's by default).

    Takes the same keywords as `list_xlsx` so a door can pass it the same arguments; the rest (the actor)
    is not needed to name a file, and is not a parameter here: only what writes or reads for someone
    takes an actor, and then always a real one.
    """
    day = day or extract_read().as_of
    slug = FILE_SLUGS.get(kind, slugify(kind))
    if kind == "expiring":
        slug += f"-{days}-ngay"
    where = f"-{_ascii_slug(village)}" if village else ""
    return f"ds-{slug}-{code}{where}-{day.isoformat()}.xlsx"


def list_xlsx(*, actor: User, kind: str, code: str, day: date | None = None, village: str | None = None, days: int = 30) -> bytes:
    """The whole list as a workbook to print: title, summary, headers on every printed page, masked IDs.

    The export is written to the audit log (who, which commune, which list, day, village, lines)."""
    page = list_all(actor=actor, kind=kind, code=code, day=day, village=village, days=days)
    columns = COLUMNS[page.kind]
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(page.kind)
    _title(sheet, page, days, len(columns))
    write_headers(sheet, row=HEADER_ROW, columns=columns, height=32)
    lines = _households(sheet, page) if page.kind == "households" else _people(sheet, page)
    _layout(sheet, page.kind, columns, lines)
    buffer = io.BytesIO()
    book.save(buffer)
    audit_record(
        actor=actor, action="export.coverage_list", obj=page.commune, kind=page.kind, day=page.day.isoformat(),
        village=page.village, rows=lines, **({"days": days} if page.kind == "expiring" else {}),
    )
    return buffer.getvalue()


# --- pieces of the sheet ----------------------------------------------------------------------------


def _sheet_title(kind: str) -> str:
    return {"households": "Hộ chưa có BHYT", "expiring": "Thẻ BHYT sắp hết hạn", "lapsed": "Dừng đóng BHXH TN"}[kind]


def _title(sheet: Worksheet, page: Page, days: int, width: int) -> None:
    """Line 1 says what the list is; line 2 how many, and for the expiring cards which window."""
    where = f" – {page.village}" if page.village else ""
    write_cell(sheet, 1, 1, f"{page.commune.name} ({page.commune.code}) – {LISTS[page.kind].title} – tính đến ngày {format_date(page.day)}{where}")
    sheet["A1"].font = Font(bold=True, size=13)
    if page.kind == "households":
        people = sum(len(h["missing"]) for h in page.rows)
        summary = f"{format_int(page.total)} hộ, {format_int(people)} người chưa có thẻ BHYT còn hạn vào ngày {format_date(page.day)}."
    elif page.kind == "expiring":
        until = page.day + timedelta(days=days)
        summary = (
            f"{format_int(page.total)} người có thẻ BHYT hết hạn từ {format_date(page.day)} đến {format_date(until)} "
            f"({days} ngày) mà chưa có thẻ nối tiếp."
        )
    else:
        summary = (
            f"{format_int(page.total)} người đã dừng đóng BHXH tự nguyện trong {LAPSED_LOOKBACK_MONTHS} tháng qua "
            "và chưa đóng lại."
        )
    write_cell(sheet, 2, 1, summary + " Số định danh cá nhân đã được che một phần.")
    sheet["A2"].font = Font(italic=True, color="4B5563")
    for line in (1, 2):
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)




def _person_cells(person: dict) -> list:
    return [person["full_name"], person["id_masked"], person["gender"], person["birth_year"], person["age"]]


def _households(sheet: Worksheet, page: Page) -> int:
    """One line per missing person; the household's number, code, village and counts merged over them."""
    line = HEADER_ROW
    for number, household in enumerate(page.rows, start=1):
        head = [number, household["household_id"], household["village"], household["members"], household["uninsured"]]
        members = household["missing"] or [None]
        first = line + 1
        for member in members:
            line += 1
            cells = head if line == first else [None] * HOUSEHOLD_COLUMNS
            write_row(sheet, row=line, values=[*cells, *(_person_cells(member) if member else [None] * len(PERSON_COLUMNS)), None])
        if line > first:
            for column in range(1, HOUSEHOLD_COLUMNS + 1):
                sheet.merge_cells(start_row=first, start_column=column, end_row=line, end_column=column)
    return line - HEADER_ROW


def _people(sheet: Worksheet, page: Page) -> int:
    for number, row in enumerate(page.rows, start=1):
        where = [row["village"], row["household_id"]]
        if page.kind == "expiring":
            tail = [int(row["bhyt_group"]), row["bhyt_group_label"], row["valid_to"], row["days_left"]]
        else:
            tail = [row["last_month"], row["months_since"]]
        write_row(sheet, row=HEADER_ROW + number, values=[number, *_person_cells(row), *where, *tail, None])
    return len(page.rows)


def _layout(sheet: Worksheet, kind: str, columns: list[SheetColumn], lines: int) -> None:
    """Formats, borders, frozen headers, and a print set-up an officer can use as is (A4 landscape)."""
    last = HEADER_ROW + lines
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=last, max_col=len(columns)):
        for cell, column in zip(row, columns):
            style_cell(cell, column, vertical="center" if kind == "households" else "top")
    filterable = kind != "households" and lines  # merged household cells and filters do not mix
    print_setup(
        sheet, header_row=HEADER_ROW, freeze=f"{FREEZE_COLUMN[kind]}{HEADER_ROW + 1}",
        filter_ref=f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last}" if filterable else None,
    )


def _ascii_slug(text: str) -> str:
    """"Khu vực 1" → "khu-vuc-1" (slugify drops the marks but knows no đ, which `plain` folds)."""
    return slugify(plain(text))
