"""XLSX downloads of the pages' tables, so officials get in Excel exactly the figures they see."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ansinh.accounts.models import User
from ansinh.audit.services import audit_record
from ansinh.units.models import OrgUnit
from ansinh.core.periods import Period
from ansinh.core.spreadsheets import write_cell, write_row
from ansinh.targets.attainment_rows import attainment_for_children, rounded_value
from ansinh.targets.indicators import Indicator, Kind

#: Percent cells hold the percent itself (96.11) shown with a literal % sign, so a sum or a chart in Excel
#: uses the same figures the page shows.
PERCENT_FORMAT = '#,##0.00"%"'
COUNT_FORMAT = "#,##0"
HEADERS = [
    "Hạng", "Mã", "Xã/Phường", "Thực hiện", "Chỉ tiêu", "% chỉ tiêu",
    "Còn thiếu (người)", "Trạng thái", "Dự báo tại mốc cuối", "Tháng số liệu",
]


def attainment_filename(*, unit: OrgUnit, indicator: Indicator, period: Period) -> str:
    """`chi-tieu-92-bhyt.coverage-2025-10.xlsx`: unit, indicator and period, readable in a folder listing."""
    return f"chi-tieu-{unit.code}-{indicator.code}-{period.label}.xlsx"


def attainment_xlsx(*, actor: User, unit: OrgUnit, indicator: Indicator, period: Period) -> bytes:
    """The children's attainment table as a workbook; the download is written to the audit log."""
    rows = attainment_for_children(actor=actor, unit=unit, period=period, indicator=indicator)
    value_format = COUNT_FORMAT if indicator.kind is Kind.COUNT else PERCENT_FORMAT
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả thực hiện"
    write_cell(sheet, 1, 1, f"{unit.name} ({unit.code}) – {indicator.label} ({indicator.unit_label}) – kỳ {period.label}")
    sheet["A1"].font = Font(bold=True, size=13)
    write_row(sheet, row=2, values=HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1D4ED8")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for line, row in enumerate(rows, start=3):
        final = row.projections[-1].projected if row.projections else None
        write_row(sheet, row=line, values=[
            row.rank, row.unit_code, row.unit_name, rounded_value(indicator, row.actual), rounded_value(indicator, row.target),
            None if row.attainment_pct is None else round(row.attainment_pct, 2), row.gap, row.status.label,
            rounded_value(indicator, final), row.data_month.strftime("%m/%Y") if row.data_month else None,
        ])
        for column in ("D", "E", "I"):
            sheet[f"{column}{line}"].number_format = value_format
        sheet[f"F{line}"].number_format = PERCENT_FORMAT
        sheet[f"G{line}"].number_format = COUNT_FORMAT
    for index, width in enumerate([7, 9, 30, 14, 14, 12, 14, 20, 16, 12], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D3"
    buffer = io.BytesIO()
    book.save(buffer)
    audit_record(
        actor=actor, action="export.attainment_xlsx", obj=unit,
        unit=unit.code, indicator=indicator.code, period=period.label, rows=len(rows),
    )
    return buffer.getvalue()

