"""The periodic report (DOCX, Decree 30/2020 layout) and its annex (XLSX) from a `ReportFigures`.

Pure functions from figures to bytes: no database, no audit row (the service writes that). Every figure is
written the way the dashboard writes it (3.095.954 người, 96,11%, 27/08/2025) from the same rows, so the
report, its annex and the dashboard cannot disagree. The DOCX carries the summary and the charts; the
annex carries every table in full, one sheet each, ready to print.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ansinh.core import documents as doc
from ansinh.core.formatting import format_date, format_int, format_percent
from ansinh.core.spreadsheets import BORDER, SheetColumn, print_setup, write_cell, write_headers
from ansinh.core.text import in_sentence, shorten
from ansinh.reports import charts
from ansinh.reports.selectors import CommuneTable, ReportFigures
from ansinh.targets.attainment import Status
from ansinh.targets.attainment_rows import AttainmentRow, rounded_value
from ansinh.targets.indicators import Indicator, Kind
from ansinh.tasks.selectors import Timeliness

DOCUMENT_TYPE = "BÁO CÁO"
#: How many communes the report names at each end of the ranking (the annex has them all).
RANKING_SHOWN = 10
#: How many communes behind schedule, late submissions, debtors the report lists (the annex has them all).
LIST_SHOWN = 30
NO_DATA = "–"


def report_title(figures: ReportFigures) -> str:
    """The subject line (trích yếu): a year's report is the plan's summing-up (báo cáo tổng kết)."""
    plan = figures.plan
    what = "Tổng kết thực hiện" if figures.period.is_year else "Kết quả thực hiện"
    return (f"{what} Kế hoạch số {plan.number} ngày {format_date(plan.issued_on)} của {plan.issuer} "
            f"{figures.period.title}")


def report_filenames(figures: ReportFigures) -> tuple[str, str]:
    """"bao-cao-53-KH-UBND-92-2025-Q3.docx" and "phu-luc-53-KH-UBND-92-2025-Q3.xlsx"."""
    stem = f"{doc.ascii_name(figures.plan.number, 'ke-hoach')}-{figures.unit.code}-{figures.period.label}"
    return f"bao-cao-{stem}.docx", f"phu-luc-{stem}.xlsx"


def value_text(indicator: Indicator, value: float | None) -> str:
    """Persons for a count, percent for a rate: what the dashboard's `vn_value` writes."""
    return format_int(value) if indicator.kind is Kind.COUNT else format_percent(value)


# ===================================================================================================== DOCX


def report_docx(figures: ReportFigures) -> bytes:
    """The report to sign: header block, title, sections I–IV with tables and charts, recipients, signer."""
    document = Document()
    doc.document_defaults(document, title=f"Báo cáo {in_sentence(report_title(figures))}",
                          author=figures.issuer.agency.title())
    doc.page_setup(document.sections[0], first=True)
    issuer = figures.issuer
    doc.header_block(document, parent_agency=issuer.parent_agency, agency=issuer.agency,
                     number_line=doc.document_number(figures.number, issuer.symbol),
                     place_date_line=doc.place_date(issuer.place, figures.made_on))
    doc.add_paragraph(document, DOCUMENT_TYPE, bold=True, size=14, align="center", before=12)
    doc.add_paragraph(document, report_title(figures), bold=True, size=14, align="center", after=2)
    doc.rule(document.add_paragraph(), doc.AGENCY_LINE_MM, doc.TEXT_WIDTH_MM)
    doc.add_paragraph(document, f"Kính gửi: {issuer.addressee}", size=14, align="center", before=9, after=9)
    _introduction(document, figures)
    _results(document, figures)
    _arrears(document, figures)
    _tasks(document, figures)
    _assessment(document, figures)
    closing = doc.body(document, "Trên đây là báo cáo " + in_sentence(report_title(figures))
                       + "; số liệu chi tiết tại Phụ lục kèm theo./.")
    closing.paragraph_format.keep_with_next = True  # never a signature alone on a page
    doc.signature_block(document, recipients=issuer.recipients, signer_title=issuer.signer_title,
                        signer_name=issuer.signer_name)
    doc.shrink(document.add_paragraph())
    return doc.save(document)


def _heading(document, text: str) -> None:
    paragraph = doc.add_paragraph(document, text, bold=True, size=13, align="left", before=6, after=6)
    paragraph.paragraph_format.keep_with_next = True


def _introduction(document, figures: ReportFigures) -> None:
    plan = figures.plan
    about = plan.title.removeprefix("Kế hoạch ")
    doc.body(document, (
        f"Thực hiện Kế hoạch số {plan.number} ngày {format_date(plan.issued_on)} của {plan.issuer} về {in_sentence(about)}, "
        f"{figures.issuer.name} báo cáo kết quả thực hiện {figures.period.title} (số liệu đến tháng "
        f"{figures.data_month:%m/%Y}) như sau:"
    ))


#: Every "STT" column is 12 mm: at 11 pt bold the word is 7,3 mm, and the cell keeps 1 mm each side; at
#: 9–10 mm LibreOffice broke it as "ST T".

# --- I. results ---------------------------------------------------------------------------------------

HEADLINE_HEADERS = ("STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "% kế hoạch", "Còn thiếu (người)", "Đánh giá")
HEADLINE_MM = (12, 51, 22, 22, 17, 19, 22)
SUMMARY_HEADERS = ("Chỉ tiêu", "Số đơn vị được giao", "Đạt tiến độ", "Có nguy cơ", "Chậm tiến độ", "Chưa có số liệu")
SUMMARY_MM = (65, 20, 20, 20, 20, 20)
RANK_HEADERS = ("Hạng", "Xã/Phường", "Thực hiện", "Chỉ tiêu", "% chỉ tiêu", "Còn thiếu (người)")
RANK_MM = (13, 56, 24, 24, 20, 28)


def _results(document, figures: ReportFigures) -> None:
    where = figures.unit.name
    _heading(document, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    _heading(document, f"1. Kết quả chung của {where}")
    for row in figures.headline:
        doc.body(document, _headline_sentence(row), after=2)
    doc.data_table(document, headers=HEADLINE_HEADERS, widths_mm=HEADLINE_MM,
                   rows=[_headline_cells(i, row) for i, row in enumerate(figures.headline, start=1)])
    main_row = figures.main_row
    if main_row and main_row.series:
        doc.picture(document, charts.trend_chart(main_row, title=f"{main_row.indicator.label} theo tháng"),
                    caption=f"Biểu đồ 1. {main_row.indicator.label}: thực hiện và chỉ tiêu theo tháng")
    if figures.is_commune:
        return
    _communes(document, figures)


def _headline_sentence(row: AttainmentRow) -> str:
    indicator = row.indicator
    text = f"- {indicator.label}: {value_text(indicator, row.actual)}{' người' if indicator.kind is Kind.COUNT else ''}"
    if row.target is None:
        return text + " (chưa giao chỉ tiêu)."
    text += f", đạt {format_percent(row.attainment_pct)} chỉ tiêu ({value_text(indicator, row.target)}"
    text += f"{' người' if indicator.kind is Kind.COUNT else ''}, mốc {format_date(row.milestone)})"
    if row.gap:
        text += f"; còn thiếu {format_int(row.gap)} người"
    return text + f"; {row.status.label.lower()}."


def _headline_cells(index: int, row: AttainmentRow) -> list[tuple[str, str]]:
    indicator = row.indicator
    return [
        (str(index), "center"), (f"{indicator.label} ({indicator.unit_label})", "left"),
        (value_text(indicator, row.target), "right"), (value_text(indicator, row.actual), "right"),
        (format_percent(row.attainment_pct), "right"), (format_int(row.gap) if row.gap is not None else NO_DATA, "right"),
        (row.status.label, "center"),
    ]


def _communes(document, figures: ReportFigures) -> None:
    tables = [t for t in figures.communes if t.with_target]
    if not tables:
        doc.body(document, "Kế hoạch chưa giao chỉ tiêu cho các xã, phường.")
        return
    count = len(tables[0].rows)
    _heading(document, f"2. Kết quả theo xã, phường ({format_int(count)} đơn vị)")
    doc.data_table(document, headers=SUMMARY_HEADERS, widths_mm=SUMMARY_MM, rows=[_summary_cells(t) for t in tables])
    table = figures.main_table
    if table is None:
        return
    indicator = table.indicator
    doc.picture(document, charts.attainment_chart(table.rows, title=f"{indicator.label}: % chỉ tiêu theo xã, phường"),
                caption=f"Biểu đồ 2. {indicator.label}: mức độ hoàn thành chỉ tiêu của các xã, phường")
    ranked = [r for r in table.rows if r.rank is not None]
    _heading(document, f"3. Xếp hạng xã, phường theo {in_sentence(indicator.label)}")
    shown = min(RANKING_SHOWN, len(ranked) // 2 or len(ranked))
    doc.body(document, f"a) {format_int(shown)} đơn vị dẫn đầu:", after=2)
    doc.data_table(document, headers=RANK_HEADERS, widths_mm=RANK_MM, rows=[_rank_cells(indicator, r) for r in ranked[:shown]])
    if len(ranked) > shown:
        doc.body(document, f"b) {format_int(shown)} đơn vị cuối bảng:", before=6, after=2)
        doc.data_table(document, headers=RANK_HEADERS, widths_mm=RANK_MM,
                       rows=[_rank_cells(indicator, r) for r in ranked[-shown:]])
    _behind(document, figures)


def _summary_cells(table: CommuneTable) -> list[tuple[str, str]]:
    return [
        (f"{table.indicator.label} ({table.indicator.unit_label})", "left"), (format_int(table.with_target), "center"),
        (format_int(table.count(Status.ON_TRACK)), "center"), (format_int(table.count(Status.AT_RISK)), "center"),
        (format_int(table.count(Status.OFF_TRACK)), "center"), (format_int(table.count(Status.NO_DATA)), "center"),
    ]


def _rank_cells(indicator: Indicator, row: AttainmentRow) -> list[tuple[str, str]]:
    return [
        (str(row.rank) if row.rank else NO_DATA, "center"), (row.unit_name, "left"), (value_text(indicator, row.actual), "right"),
        (value_text(indicator, row.target), "right"), (format_percent(row.attainment_pct), "right"),
        (format_int(row.gap) if row.gap is not None else NO_DATA, "right"),
    ]


def _behind(document, figures: ReportFigures) -> None:
    behind = figures.behind
    indicator = figures.main
    _heading(document, "4. Các xã, phường chậm tiến độ")
    if not behind:
        doc.body(document, f"Không có xã, phường nào chậm tiến độ về {in_sentence(indicator.label)}.")
        return
    doc.body(document, (
        f"Có {format_int(len(behind))} xã, phường chậm tiến độ về {in_sentence(indicator.label)} "
        f"(theo xu hướng các tháng, không đạt chỉ tiêu tại mốc), cần tập trung chỉ đạo"
        + (f"; {format_int(LIST_SHOWN)} đơn vị thấp nhất:" if len(behind) > LIST_SHOWN else ":")
    ), after=2)
    doc.data_table(document, headers=RANK_HEADERS, widths_mm=RANK_MM,
                   rows=[_rank_cells(indicator, r) for r in behind[:LIST_SHOWN]])


# --- II. arrears --------------------------------------------------------------------------------------

ARREARS_HEADERS = ("STT", "Xã/Phường", "Đơn vị nợ", "Trong đó trốn đóng", "Số tiền nợ (đồng)", "Tỷ lệ nợ")
ARREARS_MM = (12, 53, 20, 22, 35, 23)
DEBTOR_HEADERS = ("STT", "Tên đơn vị", "Số tháng nợ", "Số tiền nợ (đồng)", "Tình trạng")
DEBTOR_MM = (12, 70, 20, 35, 28)


def _arrears(document, figures: ReportFigures) -> None:
    _heading(document, "II. TÌNH HÌNH CHẬM ĐÓNG, TRỐN ĐÓNG BHXH, BHYT, BHTN")
    arrears = figures.arrears
    if arrears is None:
        doc.body(document, "Chưa có số liệu sổ thu (số phải đóng, số đã đóng của các đơn vị) để tổng hợp tình hình nợ đóng.")
        return
    from ansinh.employers.records import STATUS_LABELS

    rate = f", tỷ lệ nợ {format_percent(arrears.rate)} số phải đóng từ đầu năm (toàn quốc {format_percent(arrears.national_rate)})" if arrears.rate is not None else ""
    doc.body(document, (
        f"Tính đến ngày {format_date(arrears.as_of)}, có {format_int(arrears.units_owing)} đơn vị nợ đóng quá hạn "
        f"(trong đó {format_int(arrears.evasion_units)} đơn vị trốn đóng), ảnh hưởng đến {format_int(arrears.workers)} "
        f"người lao động; số tiền còn nợ {format_int(arrears.unpaid)} đồng, lãi chậm đóng {format_int(arrears.interest)} đồng{rate}."
    ))
    if arrears.communes and not figures.is_commune:
        doc.body(document, "Các xã, phường có số nợ lớn nhất:", after=2)
        doc.data_table(document, headers=ARREARS_HEADERS, widths_mm=ARREARS_MM, rows=[
            [(str(i), "center"), (row.commune.name, "left"), (format_int(row.units_owing), "center"),
             (format_int(row.evasion_units), "center"), (format_int(row.unpaid), "right"), (format_percent(row.rate), "right")]
            for i, row in enumerate(arrears.communes[:10], start=1)
        ])
    if arrears.top:
        doc.body(document, "Các đơn vị nợ lớn nhất:", before=6, after=2)
        doc.data_table(document, headers=DEBTOR_HEADERS, widths_mm=DEBTOR_MM, rows=[
            [(str(i), "center"), (a.name, "left"), (format_int(a.months_owed), "center"), (format_int(a.unpaid), "right"),
             (STATUS_LABELS.get(a.status, "") if a.status else "", "center")]
            for i, a in enumerate(arrears.top, start=1)
        ])


# --- III. tasks ---------------------------------------------------------------------------------------

TIMELINESS_HEADERS = ("STT", "Cơ quan, đơn vị", "Đến hạn", "Đúng hạn", "Trễ hạn", "Chưa nộp", "Tỷ lệ đúng hạn", "Chưa đến hạn")
TIMELINESS_MM = (12, 53, 16, 16, 16, 16, 20, 16)
SUBMISSION_HEADERS = ("STT", "Cơ quan, đơn vị", "Nhiệm vụ", "Hạn", "Ngày nộp", "Tình trạng")
SUBMISSION_MM = (12, 38, 53, 20, 20, 22)


def _tasks(document, figures: ReportFigures) -> None:
    _heading(document, "III. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ, CHẾ ĐỘ BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ")
    tasks = figures.tasks
    if tasks is None:
        doc.body(document, f"Không có nhiệm vụ nào của Kế hoạch đến hạn trong {figures.period.title}.")
        return
    rows = [*tasks.agencies, *_commune_total(tasks.communes)]
    due = sum(t.due for t in rows)
    on_time = sum(t.on_time for t in rows)
    share = f" ({format_percent(100 * on_time / due)})" if due else ""
    doc.body(document, (
        f"Trong kỳ có {format_int(due)} lượt nhiệm vụ, báo cáo đã đến hạn; {format_int(on_time)} lượt hoàn thành đúng hạn{share}, "
        f"{format_int(sum(t.late for t in rows))} lượt trễ hạn, {format_int(sum(t.missing for t in rows))} lượt chưa nộp."
    ), after=2)
    if rows:
        doc.data_table(document, headers=TIMELINESS_HEADERS, widths_mm=TIMELINESS_MM, rows=[_timeliness_cells(i, t) for i, t in enumerate(rows, 1)])
    departments = {t.agency_name for t in tasks.agencies}  # their lapses first: fewer, and each one counts
    overdue = sorted((s for s in tasks.submissions if s.status in ("late", "missing")),
                     key=lambda s: (s.agency_name not in departments, s.due_on, s.agency_name))
    if overdue:
        more = f" ({format_int(LIST_SHOWN)} lượt đầu; đủ danh sách tại Phụ lục)" if len(overdue) > LIST_SHOWN else ""
        doc.body(document, f"Các nhiệm vụ, báo cáo trễ hạn hoặc chưa nộp{more}:", before=6, after=2)
        doc.data_table(document, headers=SUBMISSION_HEADERS, widths_mm=SUBMISSION_MM, size=10, rows=[
            [(str(i), "center"), (s.agency_name, "left"), (shorten(s.task_text, 120), "left"), (format_date(s.due_on), "center"),
             (format_date(s.submitted_on) if s.submitted_on else NO_DATA, "center"), (s.status_label, "center")]
            for i, s in enumerate(overdue[:LIST_SHOWN], start=1)
        ])


def _commune_total(rows: Sequence[Timeliness]) -> list[Timeliness]:
    """The communes' People's Committees summed into one line of the agencies' table."""
    if not rows:
        return []
    sums = {f: sum(getattr(t, f) for t in rows) for f in ("on_time", "late", "missing", "pending")}
    return [Timeliness.of("ubnd-xa", f"UBND các xã, phường ({format_int(len(rows))} đơn vị)", **sums)]


def _timeliness_cells(index: int, t) -> list[tuple[str, str]]:
    return [
        (str(index), "center"), (t.agency_name, "left"), (format_int(t.due), "center"), (format_int(t.on_time), "center"),
        (format_int(t.late), "center"), (format_int(t.missing), "center"), (format_percent(t.rate), "center"),
        (format_int(t.pending), "center"),
    ]


# --- IV. assessment -----------------------------------------------------------------------------------


def _assessment(document, figures: ReportFigures) -> None:
    """Plain statements drawn from the figures; the officer adds the qualitative assessment before signing."""
    _heading(document, "IV. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ")
    targets = [r for r in figures.headline if r.target is not None]
    reached = [r for r in targets if r.status is Status.ON_TRACK]
    doc.body(document, (
        f"{format_int(len(reached))}/{format_int(len(targets))} chỉ tiêu đạt tiến độ để hoàn thành tại mốc của Kế hoạch."
        + (" Các chỉ tiêu chưa đạt tiến độ: " + "; ".join(in_sentence(r.indicator.label, whole=True) for r in targets if r not in reached) + "."
           if len(reached) < len(targets) else "")
    ))
    if figures.behind:
        doc.body(document, (
            f"Đề nghị UBND {format_int(len(figures.behind))} xã, phường chậm tiến độ tập trung rà soát danh sách người chưa "
            "tham gia, phối hợp với cơ quan BHXH và tổ chức dịch vụ thu vận động người dân tham gia BHXH, BHYT để hoàn "
            "thành chỉ tiêu được giao."
        ))
    if figures.arrears and figures.arrears.evasion_units:
        doc.body(document, (
            "Đề nghị các cơ quan chức năng phối hợp kiểm tra, xử lý các đơn vị trốn đóng; công khai danh sách đơn vị "
            "chậm đóng, trốn đóng theo quy định."
        ))


# ===================================================================================================== XLSX

HEADER_ROW = 5
COUNT_FORMAT = "#,##0"
#: Percent cells hold the percent itself (96.11) shown with a literal % sign, as the dashboard's Excel export.
PERCENT_FORMAT = '#,##0.00"%"'


def annex_xlsx(figures: ReportFigures) -> bytes:
    """Every table of the report in full, one sheet each, printable (A4 landscape, headers on each page)."""
    book = Workbook()
    _summary_sheet(book.active, figures)
    names = {book.active.title}
    for table in figures.communes:
        name = _sheet_name(table.indicator, names)
        names.add(name)
        _commune_sheet(book.create_sheet(name), figures, table)
    if figures.arrears is not None:
        _arrears_sheet(book.create_sheet("Nợ đóng"), figures)
        _debtors_sheet(book.create_sheet("Đơn vị nợ lớn nhất"), figures)
    if figures.tasks is not None:
        _timeliness_sheet(book.create_sheet("Nhiệm vụ"), figures)
        _submissions_sheet(book.create_sheet("Văn bản gửi"), figures)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(indicator: Indicator, taken: set[str]) -> str:
    """"Số người tham gia BHXH tự nguyện" → "BHXH tự nguyện" (Excel allows 31 characters, no duplicates)."""
    name = re.sub(r"[\[\]:*?/\\]", "-", indicator.label.removeprefix("Số người tham gia "))[:31]
    while name in taken:
        name = name[:28] + f" {len(taken)}"
    return name


def _summary_sheet(sheet: Worksheet, figures: ReportFigures) -> None:
    columns = [
        SheetColumn("STT", 6), SheetColumn("Chỉ tiêu", 44), SheetColumn("Đơn vị tính", 10), SheetColumn("Kế hoạch", 14),
        SheetColumn("Mốc", 12), SheetColumn("Thực hiện", 14), SheetColumn("% kế hoạch", 12, PERCENT_FORMAT),
        SheetColumn("Còn thiếu (người)", 14, COUNT_FORMAT), SheetColumn("Đánh giá", 20), SheetColumn("Tháng số liệu", 12),
    ]
    lines = []
    for index, row in enumerate(figures.headline, start=1):
        value_format = _value_format(row.indicator)
        lines.append([
            (index, None), (row.indicator.label, None), (row.indicator.unit_label, None),
            (rounded_value(row.indicator, row.target), value_format), (format_date(row.milestone) if row.milestone else None, None),
            (rounded_value(row.indicator, row.actual), value_format), (_pct(row.attainment_pct), PERCENT_FORMAT),
            (row.gap, COUNT_FORMAT), (row.status.label, None), (f"{row.data_month:%m/%Y}" if row.data_month else None, None),
        ])
    _sheet(sheet, "Tổng hợp", figures, f"Kết quả thực hiện các chỉ tiêu của {figures.unit.name}", columns, lines)


def _commune_sheet(sheet: Worksheet, figures: ReportFigures, table: CommuneTable) -> None:
    """The dashboard's communes table for one indicator, ranked, with the same columns as its Excel export."""
    indicator = table.indicator
    value_format = _value_format(indicator)
    columns = [
        SheetColumn("Hạng", 7), SheetColumn("Mã", 9), SheetColumn("Xã/Phường", 30), SheetColumn("Thực hiện", 14), SheetColumn("Chỉ tiêu", 14),
        SheetColumn("% chỉ tiêu", 12), SheetColumn("Còn thiếu (người)", 14), SheetColumn("Trạng thái", 20),
        SheetColumn("Dự báo tại mốc cuối", 16), SheetColumn("Tháng số liệu", 12),
    ]
    lines = []
    for row in table.rows:
        final = row.projections[-1].projected if row.projections else None
        lines.append([
            (row.rank, None), (row.unit_code, None), (row.unit_name, None), (rounded_value(indicator, row.actual), value_format),
            (rounded_value(indicator, row.target), value_format), (_pct(row.attainment_pct), PERCENT_FORMAT),
            (row.gap, COUNT_FORMAT), (row.status.label, None), (rounded_value(indicator, final), value_format),
            (f"{row.data_month:%m/%Y}" if row.data_month else None, None),
        ])
    title = f"{indicator.label} ({indicator.unit_label}) theo xã, phường"
    _sheet(sheet, sheet.title, figures, title, columns, lines, freeze="D")


def _arrears_sheet(sheet: Worksheet, figures: ReportFigures) -> None:
    arrears = figures.arrears
    columns = [
        SheetColumn("STT", 6), SheetColumn("Mã", 9), SheetColumn("Xã/Phường", 30), SheetColumn("Đơn vị nợ", 11, COUNT_FORMAT),
        SheetColumn("Trong đó trốn đóng", 11, COUNT_FORMAT), SheetColumn("Lao động bị ảnh hưởng", 12, COUNT_FORMAT),
        SheetColumn("Số tiền nợ (đồng)", 18, COUNT_FORMAT), SheetColumn("Lãi chậm đóng (đồng)", 16, COUNT_FORMAT),
        SheetColumn("Tỷ lệ nợ", 10, PERCENT_FORMAT),
    ]
    lines = [
        [(i, None), (r.commune.code, None), (r.commune.name, None), (r.units_owing, COUNT_FORMAT), (r.evasion_units, COUNT_FORMAT),
         (r.workers, COUNT_FORMAT), (r.unpaid, COUNT_FORMAT), (r.interest, COUNT_FORMAT), (_pct(r.rate), PERCENT_FORMAT)]
        for i, r in enumerate(arrears.communes, start=1)
    ]
    title = f"Nợ đóng BHXH, BHYT, BHTN theo xã, phường tính đến ngày {format_date(arrears.as_of)}"
    _sheet(sheet, "Nợ đóng", figures, title, columns, lines, freeze="D")


def _debtors_sheet(sheet: Worksheet, figures: ReportFigures) -> None:
    from ansinh.employers.records import STATUS_LABELS

    columns = [
        SheetColumn("STT", 6), SheetColumn("Mã đơn vị", 12), SheetColumn("Mã số thuế", 14), SheetColumn("Tên đơn vị", 40),
        SheetColumn("Số lao động", 10, COUNT_FORMAT), SheetColumn("Số tháng nợ", 10, COUNT_FORMAT),
        SheetColumn("Số tiền nợ (đồng)", 18, COUNT_FORMAT), SheetColumn("Lãi chậm đóng (đồng)", 16, COUNT_FORMAT), SheetColumn("Tình trạng", 14),
    ]
    lines = [
        [(i, None), (a.unit_code, None), (a.tax_code, None), (a.name, None), (a.workers, COUNT_FORMAT), (a.months_owed, COUNT_FORMAT),
         (a.unpaid, COUNT_FORMAT), (a.interest, COUNT_FORMAT), (STATUS_LABELS.get(a.status, "") if a.status else "", None)]
        for i, a in enumerate(figures.arrears.top, start=1)
    ]
    _sheet(sheet, "Đơn vị nợ lớn nhất", figures, "Các đơn vị nợ đóng lớn nhất", columns, lines, freeze="E")


def _timeliness_sheet(sheet: Worksheet, figures: ReportFigures) -> None:
    columns = [
        SheetColumn("STT", 6), SheetColumn("Cơ quan, đơn vị", 44), SheetColumn("Đến hạn", 10, COUNT_FORMAT), SheetColumn("Đúng hạn", 10, COUNT_FORMAT),
        SheetColumn("Trễ hạn", 10, COUNT_FORMAT), SheetColumn("Chưa nộp", 10, COUNT_FORMAT), SheetColumn("Tỷ lệ đúng hạn", 12, PERCENT_FORMAT),
        SheetColumn("Chưa đến hạn", 10, COUNT_FORMAT),
    ]
    rows = [*figures.tasks.agencies, *figures.tasks.communes]
    lines = [
        [(i, None), (t.agency_name, None), (t.due, COUNT_FORMAT), (t.on_time, COUNT_FORMAT), (t.late, COUNT_FORMAT),
         (t.missing, COUNT_FORMAT), (_pct(t.rate), PERCENT_FORMAT), (t.pending, COUNT_FORMAT)]
        for i, t in enumerate(rows, start=1)
    ]
    _sheet(sheet, "Nhiệm vụ", figures, "Tình hình thực hiện nhiệm vụ, chế độ báo cáo", columns, lines, freeze="C")


def _submissions_sheet(sheet: Worksheet, figures: ReportFigures) -> None:
    columns = [
        SheetColumn("STT", 6), SheetColumn("Cơ quan, đơn vị", 32), SheetColumn("Mục", 8), SheetColumn("Nhiệm vụ", 60), SheetColumn("Hạn", 12),
        SheetColumn("Ngày nộp", 12), SheetColumn("Tình trạng", 16), SheetColumn("Ghi chú", 30),
    ]
    lines = [
        [(i, None), (s.agency_name, None), (s.section, None), (s.task_text, None), (format_date(s.due_on), None),
         (format_date(s.submitted_on) if s.submitted_on else None, None), (s.status_label, None), (s.note, None)]
        for i, s in enumerate(figures.tasks.submissions, start=1)
    ]
    _sheet(sheet, "Văn bản gửi", figures, "Các nhiệm vụ, báo cáo đến hạn trong kỳ và tình trạng", columns, lines, freeze="C")


def _sheet(
    sheet: Worksheet, name: str, figures: ReportFigures, title: str, columns: list[SheetColumn], lines: list[list[tuple]],
    freeze: str = "C",
) -> None:
    """Rows 1–3: who, what, which period; headers on row 5; one line per row, each cell with its format."""
    sheet.title = name
    heading = [
        (figures.issuer.agency, Font(bold=True, size=12)),
        (title.upper(), Font(bold=True, size=13)),
        (f"Kế hoạch số {figures.plan.number} · {figures.period.title} · số liệu đến tháng "
         f"{figures.data_month:%m/%Y}" if figures.data_month else figures.period.title, Font(italic=True, size=11)),
    ]
    for row, (text, font) in enumerate(heading, start=1):
        cell = write_cell(sheet, row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(columns))
    sheet.row_dimensions[2].height = 32
    write_headers(sheet, row=HEADER_ROW, columns=columns, height=36)
    for offset, line in enumerate(lines, start=1):
        for index, (value, number_format) in enumerate(line, start=1):
            cell = write_cell(sheet, HEADER_ROW + offset, index, value)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=columns[index - 1].width >= 30)
            if number_format:
                cell.number_format = number_format
    last = HEADER_ROW + len(lines)
    filter_ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last}" if lines else None
    print_setup(sheet, header_row=HEADER_ROW, freeze=f"{freeze}{HEADER_ROW + 1}", filter_ref=filter_ref)


def _value_format(indicator: Indicator) -> str:
    return COUNT_FORMAT if indicator.kind is Kind.COUNT else PERCENT_FORMAT


def _pct(value) -> float | None:
    return None if value is None else round(float(value), 2)
