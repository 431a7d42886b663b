"""The lists as workbooks (tiny Ninh Kiều extract, tests/coverage/conftest.py): what an officer prints.

Masked IDs only, real dates, headers on every printed page, one line per person, and every export audited.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from ansinh.audit.models import AuditEvent
from ansinh.core.errors import PermissionDenied
from ansinh.coverage.exports import DATE_FORMAT, HEADER_ROW, MONTH_FORMAT, list_filename, list_xlsx
from tests.coverage.conftest import NINH_KIEU
from tests.coverage.factories import pid

pytestmark = pytest.mark.django_db


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _data(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))


def _full_ids_in(sheet) -> list[str]:
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    return [pid(n) for n in range(1, 8) if any(pid(n) in cell for cell in cells)]


def test_households_one_line_per_missing_person_with_the_household_merged_over_them(person_data, commune_editor):
    # On 1/1/2026 Nguyễn Văn An's card (to 31/12/2025) has ended too: household H1 misses two persons.
    sheet = _sheet(list_xlsx(actor=commune_editor, kind="households", code=NINH_KIEU, day=date(2026, 1, 1)))
    assert sheet["A1"].value == (
        "Phường Ninh Kiều (31135) – Hộ gia đình có người chưa tham gia BHYT – tính đến ngày 01/01/2026"
    )
    assert sheet["A2"].value.startswith("3 hộ, 4 người chưa có thẻ BHYT")
    assert [c.value for c in sheet[HEADER_ROW]][:7] == [
        "STT", "Mã hộ", "Ấp/khu vực", "Số thành viên", "Số người chưa có thẻ", "Họ và tên", "Số định danh cá nhân",
    ]
    assert sheet.cell(HEADER_ROW, 1).font.bold and sheet.cell(HEADER_ROW, 1).fill.fgColor.rgb.endswith("1D4ED8")
    assert _data(sheet) == [
        (1, "H1", "Khu vực 1", 3, 2, "Nguyễn Văn An", "0920******01", "Nam", 1990, 35, None),
        (None, None, None, None, None, "Trần Thị Bình", "0920******02", "Nữ", 1992, 33, None),
        (2, "H2", "Khu vực 2", 2, 1, "Lê Văn Dũng", "0920******04", "Nam", 1990, 35, None),
        (3, "H3", "Khu vực 2", 1, 1, "Phạm Văn Giang", "0920******06", "Nam", 1990, 35, None),
    ]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A5", "B4:B5", "E4:E5"} <= merged and "F4:F5" not in merged
    assert sheet.freeze_panes == f"D{HEADER_ROW + 1}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"  # the headers on every printed page
    assert sheet.page_setup.orientation == "landscape"
    assert _full_ids_in(sheet) == []


def test_expiring_cards_have_real_dates_shown_dd_mm_yyyy(person_data, commune_editor):
    sheet = _sheet(list_xlsx(actor=commune_editor, kind="expiring", code=NINH_KIEU, days=30))
    assert "Thẻ BHYT sắp hết hạn" in sheet["A1"].value and "tính đến ngày 31/10/2025" in sheet["A1"].value
    assert "từ 31/10/2025 đến 30/11/2025 (30 ngày)" in sheet["A2"].value
    (row,) = _data(sheet)
    assert row[:9] == (1, "Lê Văn Dũng", "0920******04", "Nam", 1990, 35, "Khu vực 2", "H2", 5)
    assert row[9] == "Hộ gia đình" and row[11] == 15
    ends = sheet.cell(HEADER_ROW + 1, 11)
    assert ends.value == datetime(2025, 11, 15) and ends.number_format == DATE_FORMAT
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:M{HEADER_ROW + 1}"
    assert _full_ids_in(sheet) == []


def test_lapsed_voluntary_participants_show_the_last_month_paid(person_data, commune_editor):
    sheet = _sheet(list_xlsx(actor=commune_editor, kind="lapsed", code=NINH_KIEU))
    (row,) = _data(sheet)
    assert row[1:3] == ("Phạm Văn Giang", "0920******06") and row[9] == 4
    last = sheet.cell(HEADER_ROW + 1, 9)
    assert last.value == datetime(2025, 6, 1) and last.number_format == MONTH_FORMAT


def test_village_is_named_in_the_title_and_an_empty_list_is_still_a_workbook(person_data, commune_editor):
    sheet = _sheet(list_xlsx(actor=commune_editor, kind="lapsed", code=NINH_KIEU, village="Khu vực 1"))
    assert sheet["A1"].value.endswith("– Khu vực 1")
    assert sheet["A2"].value.startswith("0 người")
    assert sheet.cell(HEADER_ROW, 2).value == "Họ và tên" and _data(sheet) == []


def test_every_export_is_audited_and_an_export_outside_the_scope_is_refused(person_data, commune_editor):
    before = AuditEvent.objects.filter(action="export.coverage_list").count()
    list_xlsx(actor=commune_editor, kind="expiring", code=NINH_KIEU, village="Khu vực 2", days=20)
    event = AuditEvent.objects.filter(action="export.coverage_list").first()
    assert event.actor == commune_editor and event.object_type == "OrgUnit"
    assert event.object_id == str(commune_editor.org_unit.pk)
    assert event.detail == {"kind": "expiring", "day": "2025-10-31", "village": "Khu vực 2", "rows": 1, "days": 20}
    with pytest.raises(PermissionDenied):
        list_xlsx(actor=commune_editor, kind="households", code="31120")
    assert AuditEvent.objects.filter(action="export.coverage_list").count() == before + 1


def test_file_names_say_which_list_commune_village_and_day(person_data):
    assert list_filename(kind="households", code=NINH_KIEU) == "ds-ho-chua-bhyt-31135-2025-10-31.xlsx"
    assert list_filename(kind="expiring", code=NINH_KIEU, days=60, day=date(2025, 11, 5), village="Khu vực 2") == (
        "ds-the-bhyt-sap-het-han-60-ngay-31135-khu-vuc-2-2025-11-05.xlsx"
    )
    assert list_filename(kind="lapsed", code=NINH_KIEU, village="Ấp Đông Bình") == (
        "ds-dung-dong-bhxh-tu-nguyen-31135-ap-dong-binh-2025-10-31.xlsx"
    )
