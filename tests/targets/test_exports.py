"""The XLSX download holds the same figures as the selector, one row per commune, and is audited."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ansinh.audit.models import AuditEvent
from ansinh.core.periods import Period
from ansinh.targets.attainment_rows import attainment_for_children
from ansinh.targets.exports import PERCENT_FORMAT, attainment_xlsx
from ansinh.targets.indicators import INDICATORS

pytestmark = pytest.mark.django_db

HEADER_LINE = 2


def _download(client, user, **params):
    client.force_login(user)
    response = client.get("/units/92/export.xlsx", params)
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(response.content)).active


def _by_code(sheet) -> dict[str, tuple]:
    return {row[1]: row for row in sheet.iter_rows(min_row=HEADER_LINE + 1, values_only=True)}


def test_export_of_persons_has_103_numeric_rows_equal_to_the_selector(client, admin_user, province):
    response, sheet = _download(client, admin_user, indicator="bhyt.participants", period="2025-10")
    assert response["Content-Disposition"] == 'attachment; filename="chi-tieu-92-bhyt.participants-2025-10.xlsx"'
    assert sheet.title == "Kết quả thực hiện"
    assert "Cần Thơ" in sheet["A1"].value and "2025-10" in sheet["A1"].value
    assert sheet.cell(HEADER_LINE, 3).value == "Xã/Phường"
    rows = _by_code(sheet)
    assert len(rows) == 103
    assert sum(row[4] for row in rows.values()) == 3_095_954  # the communes' targets add up to the city's

    expected = attainment_for_children(
        actor=admin_user, unit=province, period=Period.parse("2025-10"), indicator=INDICATORS["bhyt.participants"]
    )
    for row in expected[:3] + expected[-3:] + [r for r in expected if r.unit_code == "31135"]:
        rank, code, name, actual, target, pct, gap, status, *_ = rows[row.unit_code]
        assert (rank, name, status) == (row.rank, row.unit_name, row.status.label)
        assert actual == round(row.actual) and target == round(row.target) and gap == row.gap
        assert isinstance(actual, int) and pct == pytest.approx(row.attainment_pct, abs=0.005)


def test_export_of_a_rate_keeps_percent_numbers_with_a_percent_format(client, admin_user, province):
    _, sheet = _download(client, admin_user, indicator="bhyt.coverage", period="2025-10")
    expected = {
        r.unit_code: r
        for r in attainment_for_children(
            actor=admin_user, unit=province, period=Period.parse("2025-10"), indicator=INDICATORS["bhyt.coverage"]
        )
    }
    first = sheet.cell(HEADER_LINE + 1, 4)
    assert isinstance(first.value, float) and first.number_format == PERCENT_FORMAT
    for code, row in _by_code(sheet).items():
        assert row[3] == pytest.approx(expected[code].actual, abs=0.005)


def test_export_writes_an_audit_row(admin_user, province):
    before = AuditEvent.objects.filter(action="export.attainment_xlsx").count()
    content = attainment_xlsx(
        actor=admin_user, unit=province, indicator=INDICATORS["bhxh.participants"], period=Period.parse("2025")
    )
    assert content[:2] == b"PK"  # a zip: an XLSX workbook
    event = AuditEvent.objects.filter(action="export.attainment_xlsx").first()
    assert AuditEvent.objects.filter(action="export.attainment_xlsx").count() == before + 1
    assert event.actor == admin_user and event.object_id == str(province.pk)
    assert event.detail["indicator"] == "bhxh.participants" and event.detail["rows"] == 103
