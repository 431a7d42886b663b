"""The enforcement paperwork: demand letters (DOCX) and the lists for inspection and disclosure (XLSX).

Pure functions from `UnitArrears` to file bytes: no database, no audit row (the service that hands the file
to a door writes that). Every amount printed is a field of the record, formatted the Vietnamese way
(1.234.567 đồng, 28/02/2025), so a letter, a list and the arrears report cannot disagree by a đồng.

The letter is laid out as a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix I): A4,
Times New Roman, the issuing body and the number on the left of the header, the national motto and the
place and date on the right, the signature block bottom right, "Nơi nhận:" bottom left, page numbers
from page 2 centred in the top margin.
"""

from __future__ import annotations

import calendar
import io
from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.enum.section import WD_SECTION
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# The Decree 30 layout and its python-docx plumbing are shared with the periodic reports (ansinh.core.documents).
from ansinh.core.documents import AGENCY_LINE_MM, TEXT_WIDTH_MM
from ansinh.core.documents import MOTTO, MOTTO_SUBTITLE, place_date  # noqa: F401 - the letter's wording, as before
from ansinh.core.documents import add_paragraph as _paragraph
from ansinh.core.documents import ascii_name as _ascii
from ansinh.core.documents import body as _body
from ansinh.core.documents import data_table, document_number, document_defaults, header_block, signature_block
from ansinh.core.documents import page_setup as _page_setup
from ansinh.core.documents import rule as _rule
from ansinh.core.documents import shrink as _shrink
from ansinh.core.errors import ValidationFailed
from ansinh.core.formatting import format_date, format_int
from ansinh.core.spreadsheets import SheetColumn, print_setup, style_cell, write_cell, write_headers, write_row
from ansinh.employers.records import EVASION, STATUS_LABELS, Issuer, MonthOwed, UnitArrears

# --- the letter: wording ------------------------------------------------------------------------------

LETTER_TYPE = "THÔNG BÁO"
LETTER_SUBJECT = "Về việc đôn đốc đóng BHXH, BHYT, BHTN, BHTNLĐ-BNN"
#: The legal ground of the 0.03%/day charge, quoted in the letter.
INTEREST_BASIS = "Điều 40 Luật Bảo hiểm xã hội số 41/2024/QH15, Nghị định số 274/2025/NĐ-CP"
GROUNDS = (
    "Căn cứ Luật Bảo hiểm xã hội số 41/2024/QH15, Luật Bảo hiểm y tế, Luật Việc làm và dữ liệu thu, nộp bảo hiểm xã "
    "hội, bảo hiểm y tế, bảo hiểm thất nghiệp, bảo hiểm tai nạn lao động, bệnh nghề nghiệp đến ngày {as_of}, cơ quan "
    "Bảo hiểm xã hội thông báo tình hình đóng của đơn vị như sau:"
)
DEMAND = (
    "Đề nghị đơn vị nộp đủ số tiền còn nợ và tiền lãi chậm đóng nêu trên vào tài khoản chuyên thu của cơ quan Bảo hiểm "
    "xã hội trong tháng {month}, chậm nhất ngày "
)
#: Late becomes evasion 60 days after the deadline; what follows for either (Law on Social Insurance 2024,
#: arts. 38–41; Penal Code art. 216).
CONSEQUENCES = (
    "Quá 60 ngày kể từ hạn đóng mà đơn vị vẫn không đóng thì số tiền chưa đóng bị xác định là trốn đóng. Đơn vị chậm "
    "đóng, trốn đóng bị xử phạt vi phạm hành chính, không được xét tặng danh hiệu thi đua, khen thưởng và bị công khai "
    "danh sách; đối với hành vi trốn đóng, số tiền còn nợ bị trích từ tài khoản của đơn vị tại ngân hàng, tổ chức tín "
    "dụng và trường hợp có dấu hiệu tội phạm sẽ bị chuyển cơ quan có thẩm quyền xử lý theo Điều 216 Bộ luật Hình sự. "
    "Trường hợp đơn vị đã nộp tiền sau ngày {as_of}, đề nghị đối chiếu và bỏ qua thông báo này./."
)
LETTER_COLUMNS = (
    "STT", "Tháng", "Số phải đóng", "Số còn nợ", "Hạn đóng", "Số ngày chậm", "Tiền lãi chậm đóng", "Tình trạng",
)

# --- the letter: layout (Decree 30/2020/NĐ-CP, the rest in ansinh.core.documents) -----------------------

#: The month table: STT, Tháng, Số phải đóng, Số còn nợ, Hạn đóng, Số ngày chậm, Tiền lãi, Tình trạng.
LETTER_COLUMN_MM = (12, 16, 25, 25, 21, 15, 26, 21)  # STT 12 mm: "STT" never breaks as "ST T"


def letter_number(number: str, issuer: Issuer) -> str:
    """"125" → "Số: 125/TB-BHXH"; a number that already carries its symbol ("125/TB-BHXH") is kept as is;
    none leaves dots for the văn thư ("Số: ......../TB-BHXH"), as the periodic report does."""
    return document_number(number, issuer.symbol)


def letter_filename(arrears: UnitArrears, month: date) -> str:
    """"thong-bao-TA0123A-2025-11.docx": the unit code (ASCII only) and the month of the letter."""
    return f"thong-bao-{_ascii(arrears.unit_code)}-{month:%Y-%m}.docx"


def demand_letter_docx(*, arrears: UnitArrears, issuer: Issuer, number: str, dated: date) -> bytes:
    """One unit's demand letter: what it owes month by month, the 0.03%/day charge, and the consequences."""
    return demand_letters_docx(letters=[(arrears, number, dated)], issuer=issuer)


def demand_letters_docx(*, letters: Sequence[tuple[UnitArrears, str, date]], issuer: Issuer) -> bytes:
    """Many letters in one file to print: each its own section (a next-page break, as Word's mail merge
    makes), so each starts on a new page, has the same page set-up and numbers its pages from 1."""
    if not letters:
        raise ValidationFailed("Chưa chọn đơn vị nào để lập thông báo đôn đốc.")
    document = Document()
    _document_defaults(document, issuer)
    for index, (arrears, number, dated) in enumerate(letters):
        if index:
            document.add_section(WD_SECTION.NEW_PAGE)
            _shrink(document.paragraphs[-1])  # the paragraph holding the previous letter's section break
        _page_setup(document.sections[-1], first=index == 0)
        _letter(document, arrears=arrears, issuer=issuer, number=number, dated=dated)
    _shrink(document.add_paragraph())  # a document (and a section) ends with a paragraph, not a table
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- the letter: content ------------------------------------------------------------------------------


def _letter(document, *, arrears: UnitArrears, issuer: Issuer, number: str, dated: date) -> None:
    _header(document, issuer=issuer, number=number, dated=dated)
    _paragraph(document, LETTER_TYPE, bold=True, size=14, align="center", before=12, after=0)
    _paragraph(document, LETTER_SUBJECT, bold=True, size=14, align="center", after=2)
    _rule(document.add_paragraph(), AGENCY_LINE_MM, TEXT_WIDTH_MM)
    _paragraph(document, f"Kính gửi: {arrears.name}", align="center", size=14, before=9, after=9)
    as_of = format_date(arrears.as_of)
    _body(document, GROUNDS.format(as_of=as_of))
    _body(document, f"- Mã đơn vị: {arrears.unit_code}; Mã số thuế: {arrears.tax_code or '–'}; "
          f"Số lao động tham gia: {format_int(arrears.workers)} người.", after=0)
    _body(document, f"- Địa chỉ: {arrears.address}.")
    owed = f"Tính đến ngày {as_of}, đơn vị còn nợ {format_int(arrears.months_owed)} tháng{_evasion_note(arrears)}, "
    _body(document, [
        (owed + "tổng số tiền chưa đóng là ", {}),
        (_money(arrears.unpaid), {"bold": True}),
        ("; tiền lãi chậm đóng tính bằng 0,03%/ngày trên số tiền chậm đóng (" + INTEREST_BASIS + ") là ", {}),
        (_money(arrears.interest), {"bold": True}),
        (". Tổng số tiền đơn vị phải nộp là ", {}),
        (_money(arrears.total), {"bold": True}),
        (". Chi tiết như sau:", {}),
    ])
    _month_table(document, arrears)
    after_table = 6  # space between the table and the first paragraph below it
    if arrears.interest_on_paid > 0:
        _body(document, [
            ("Tiền lãi chậm đóng của các tháng đơn vị đã đóng nhưng đóng quá hạn: ", {}),
            (_money(arrears.interest_on_paid), {"bold": True}),
            (" (đã tính trong tổng tiền lãi chậm đóng nêu trên).", {}),
        ], before=after_table)
        after_table = 0
    last_day = date(dated.year, dated.month, calendar.monthrange(dated.year, dated.month)[1])
    _body(document, [
        (DEMAND.format(month=f"{dated:%m/%Y}"), {}),
        (format_date(last_day), {"bold": True}),
        (".", {}),
    ], before=after_table)
    closing = _body(document, CONSEQUENCES.format(as_of=as_of))
    closing.paragraph_format.keep_with_next = True  # never a signature alone on a page
    _signature(document, issuer)


def _header(document, *, issuer: Issuer, number: str, dated: date) -> None:
    header_block(document, parent_agency=issuer.parent_agency, agency=issuer.agency,
                 number_line=letter_number(number, issuer), place_date_line=place_date(issuer.place, dated))


def _evasion_note(arrears: UnitArrears) -> str:
    evasion = sum(1 for month in arrears.months if month.status == EVASION)
    if not evasion:
        return ""
    return f" (trong đó {format_int(evasion)} tháng đã quá 60 ngày kể từ hạn đóng, bị xác định là trốn đóng)"


def _month_table(document, arrears: UnitArrears) -> None:
    """The months owed, one row each, and their total (the letter's appendix table)."""
    total = [
        ("", "center"), ("Cộng", "center"), (format_int(sum(m.amount_due for m in arrears.months)), "right"),
        (format_int(arrears.unpaid), "right"), ("", "center"), ("", "center"),
        (format_int(sum(m.interest for m in arrears.months)), "right"), ("", "center"),
    ]
    rows = [_month_cells(index, month) for index, month in enumerate(arrears.months, start=1)]
    data_table(document, headers=LETTER_COLUMNS, rows=[*rows, total], widths_mm=LETTER_COLUMN_MM, bold_last=True)


def _month_cells(index: int, month: MonthOwed) -> list[tuple[str, str]]:
    return [
        (str(index), "center"), (f"{month.period:%m/%Y}", "center"), (format_int(month.amount_due), "right"),
        (format_int(month.unpaid), "right"), (format_date(month.deadline), "center"),
        (format_int(month.days_late), "center"), (format_int(month.interest), "right"),
        (STATUS_LABELS.get(month.status, month.status), "center"),
    ]


def _signature(document, issuer: Issuer) -> None:
    signature_block(document, recipients=issuer.recipients, signer_title=issuer.signer_title, signer_name=issuer.signer_name)


def _document_defaults(document, issuer: Issuer) -> None:
    document_defaults(document, title=f"{LETTER_TYPE.capitalize()} {LETTER_SUBJECT[0].lower()}{LETTER_SUBJECT[1:]}",
                      author=issuer.agency)


def _money(amount: int) -> str:
    return f"{format_int(amount)} đồng"


# --- the lists: workbooks -----------------------------------------------------------------------------

#: Rows 1–3 say who, what and as of when (merged across the table); row 4 is blank; headers on row 5.
HEADER_ROW = 5
COUNT_FORMAT = "#,##0"
MONTH_FORMAT = "MM/YYYY"
OFFENDERS_SHEET = "Danh sách"
HISTORY_SHEET = "Lịch sử"
DISCLOSURE_TITLE = "Danh sách đơn vị chậm đóng, trốn đóng BHXH, BHYT, BHTN"
INSPECTION_TITLE = "Danh sách đơn vị nợ từ {months} tháng trở lên đề nghị thanh tra, kiểm tra"
INSPECTION_MIN_MONTHS = 3  # VSS guidance; some provinces urge from 2 months

TOTAL_FILL = PatternFill("solid", fgColor="E5E7EB")


OFFENDER_COLUMNS = [
    SheetColumn("STT", 6, centred=True), SheetColumn("Mã đơn vị", 12), SheetColumn("Mã số thuế", 14), SheetColumn("Tên đơn vị", 36, wrap=True),
    SheetColumn("Địa chỉ", 40, wrap=True), SheetColumn("Số lao động", 10, COUNT_FORMAT, centred=True, total=True),
    SheetColumn("Số tháng nợ", 9, COUNT_FORMAT, centred=True), SheetColumn("Số tiền nợ (đồng)", 16, COUNT_FORMAT, total=True),
    SheetColumn("Tiền lãi chậm đóng (đồng)", 16, COUNT_FORMAT, total=True),
    SheetColumn("Số ngày chậm lâu nhất", 11, COUNT_FORMAT, centred=True),
    SheetColumn("Tình trạng (Chậm đóng/Trốn đóng)", 14, centred=True),
]
DISCLOSURE_COLUMNS = [
    SheetColumn("STT", 6, centred=True), SheetColumn("Tên đơn vị", 40, wrap=True), SheetColumn("Mã số thuế", 14), SheetColumn("Địa chỉ", 48, wrap=True),
    SheetColumn("Số tháng chậm đóng", 11, COUNT_FORMAT, centred=True),
    SheetColumn("Số tiền chậm đóng (đồng)", 18, COUNT_FORMAT, total=True),
]
INSPECTION_COLUMNS = [*OFFENDER_COLUMNS, SheetColumn("Nợ từ tháng", 10, MONTH_FORMAT, centred=True)]


def offenders_xlsx(*, rows: Sequence[UnitArrears], title: str, as_of: date, issuer: Issuer) -> bytes:
    """The quarterly list of late payers and evaders for the management and inspection bodies."""
    book = Workbook()
    _list_sheet(book.active, name=OFFENDERS_SHEET, issuer=issuer, title=title, as_of=as_of,
                columns=OFFENDER_COLUMNS, lines=[_offender_cells(index, unit) for index, unit in enumerate(rows, 1)])
    return _save(book)


def disclosure_xlsx(*, rows: Sequence[UnitArrears], as_of: date, issuer: Issuer) -> bytes:
    """The list to publish: organisations only (name, tax code, address, months and amount late), no persons."""
    lines = [
        [index, unit.name, unit.tax_code, unit.address, unit.months_owed, unit.unpaid]
        for index, unit in enumerate(rows, start=1)
    ]
    book = Workbook()
    _list_sheet(book.active, name="Công khai", issuer=issuer, title=DISCLOSURE_TITLE, as_of=as_of,
                columns=DISCLOSURE_COLUMNS, lines=lines)
    return _save(book)


def inspection_xlsx(
    *, rows: Sequence[tuple[UnitArrears, Sequence[tuple[date, int]]]], as_of: date, issuer: Issuer,
    min_months: int = INSPECTION_MIN_MONTHS,
) -> bytes:
    """Units owing `min_months` months or more, put forward for inspection, and a second sheet with each
    unit's arrears at every month-end (the history the inspectors ask for). Units owing fewer are left out."""
    kept = [(unit, history) for unit, history in rows if unit.months_owed >= min_months]
    book = Workbook()
    lines = [
        [*_offender_cells(index, unit), min((month.period for month in unit.months), default=None)]
        for index, (unit, _) in enumerate(kept, start=1)
    ]
    _list_sheet(book.active, name=OFFENDERS_SHEET, issuer=issuer, title=INSPECTION_TITLE.format(months=min_months),
                as_of=as_of, columns=INSPECTION_COLUMNS, lines=lines)
    _history_sheet(book.create_sheet(HISTORY_SHEET), kept=kept, as_of=as_of, issuer=issuer, min_months=min_months)
    return _save(book)


def _offender_cells(index: int, unit: UnitArrears) -> list:
    return [
        index, unit.unit_code, unit.tax_code, unit.name, unit.address, unit.workers, unit.months_owed, unit.unpaid,
        unit.interest, unit.max_days_late, STATUS_LABELS.get(unit.status, "") if unit.status else "",
    ]


def _list_sheet(
    sheet: Worksheet, *, name: str, issuer: Issuer, title: str, as_of: date, columns: list[SheetColumn], lines: list[list]
) -> None:
    """Title rows, headers, one line per unit, a total line with values (readable without recalculation)."""
    sheet.title = name
    _titles(sheet, issuer=issuer, title=title, as_of=as_of, width=len(columns))
    write_headers(sheet, row=HEADER_ROW, columns=columns, height=45)
    for offset, line in enumerate(lines, start=1):
        write_row(sheet, row=HEADER_ROW + offset, values=line)
    last = HEADER_ROW + len(lines)
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=last, max_col=len(columns)):
        for cell, column in zip(row, columns):
            style_cell(cell, column)
    total_row = last + 1
    label_end = next(i for i, column in enumerate(columns, start=1) if column.total) - 1
    write_cell(sheet, total_row, 1, f"Tổng cộng: {format_int(len(lines))} đơn vị")
    sheet.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=label_end)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(total_row, index)
        if column.total:
            cell.value = sum(line[index - 1] or 0 for line in lines)
        style_cell(cell, column)
        cell.font = Font(bold=True)
        cell.fill = TOTAL_FILL
    sheet.cell(total_row, 1).alignment = Alignment(horizontal="center", vertical="top")
    freeze = next(i for i, column in enumerate(columns, start=1) if column.header == "Tên đơn vị") + 1
    _print_setup(sheet, freeze=f"{get_column_letter(freeze)}{HEADER_ROW + 1}",
                 filter_ref=f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last}" if lines else None)


def _history_sheet(
    sheet: Worksheet, *, kept: list[tuple[UnitArrears, Sequence[tuple[date, int]]]], as_of: date, issuer: Issuer,
    min_months: int,
) -> None:
    """One line per unit, one column per month-end: the amount owed that day (blank when not given)."""
    month_ends = sorted({day for _, history in kept for day, _ in history})
    columns = [
        SheetColumn("STT", 6, centred=True), SheetColumn("Mã đơn vị", 12), SheetColumn("Tên đơn vị", 36, wrap=True),
        *(SheetColumn(format_date(day), 13, COUNT_FORMAT) for day in month_ends),
    ]
    sheet.title = HISTORY_SHEET
    title = f"Số tiền nợ tại cuối mỗi tháng của các đơn vị nợ từ {min_months} tháng trở lên (đồng)"
    _titles(sheet, issuer=issuer, title=title, as_of=as_of, width=len(columns))
    write_headers(sheet, row=HEADER_ROW, columns=columns, height=45)
    for index, (unit, history) in enumerate(kept, start=1):
        owed = dict(history)
        write_row(sheet, row=HEADER_ROW + index, values=[index, unit.unit_code, unit.name, *(owed.get(day) for day in month_ends)])
    last = HEADER_ROW + len(kept)
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=last, max_col=len(columns)):
        for cell, column in zip(row, columns):
            style_cell(cell, column)
    _print_setup(sheet, freeze=f"D{HEADER_ROW + 1}", filter_ref=None)


def _titles(sheet: Worksheet, *, issuer: Issuer, title: str, as_of: date, width: int) -> None:
    lines = [
        (issuer.agency.upper(), Font(bold=True, size=12)),
        (title.upper(), Font(bold=True, size=14)),
        (f"Tính đến ngày {format_date(as_of)}", Font(italic=True, size=12)),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        cell = write_cell(sheet, row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[2].height = 36




def _print_setup(sheet: Worksheet, *, freeze: str, filter_ref: str | None) -> None:
    """Frozen headers, headers on every printed page, A4 landscape fitted to the page width."""
    print_setup(sheet, header_row=HEADER_ROW, freeze=freeze, filter_ref=filter_ref)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
