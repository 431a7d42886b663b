"""Making a report: who may, what is kept (files in the row), what is audited; handing the files out."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from ansinh.audit.models import AuditEvent
from ansinh.accounts.models import User
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.core.periods import Period
from ansinh.reports.models import Report
from ansinh.reports.services import DOCX, XLSX, report_file, report_make
from tests.reports.conftest import MADE_ON, Q3

pytestmark = pytest.mark.django_db


def test_a_report_is_kept_with_its_files_and_audited(admin_user, plan):
    report = report_make(actor=admin_user, plan=plan, period=Q3, number="125", made_on=MADE_ON)
    stored = Report.objects.get(pk=report.pk)
    assert (stored.unit.code, stored.period, stored.kind, stored.number, stored.actor) == ("92", "2025-Q3", "quarter", "125", admin_user)
    assert stored.data_month.isoformat() == "2025-09-01" and stored.seconds > 0
    assert stored.docx_name == "bao-cao-53-KH-UBND-92-2025-Q3.docx" and stored.docx_size == len(stored.docx) > 50_000
    assert stored.xlsx_name == "phu-luc-53-KH-UBND-92-2025-Q3.xlsx" and stored.xlsx_size == len(stored.xlsx)
    assert Document(io.BytesIO(bytes(stored.docx))).tables[0].rows[1].cells[0].text == "Số: 125/BC-BHXH"
    assert load_workbook(io.BytesIO(bytes(stored.xlsx))).sheetnames[0] == "Tổng hợp"
    event = AuditEvent.objects.get(action="reports.make")
    assert (event.actor, event.object_type, event.object_id) == (admin_user, "Report", str(report.pk))
    assert event.detail["period"] == "2025-Q3" and event.detail["unit"] == "92" and event.detail["plan"] == "53/KH-UBND"


def test_kinds_follow_the_period(admin_user, plan):
    for label, kind in (("2025-10", "month"), ("2025-Q2", "quarter"), ("2025", "year")):
        assert report_make(actor=admin_user, plan=plan, period=Period.parse(label), made_on=MADE_ON).kind == kind


def test_a_commune_editor_makes_their_communes_report_only(commune_editor, plan, province):
    report = report_make(actor=commune_editor, plan=plan, period=Q3, made_on=MADE_ON)
    assert report.unit.code == "31135" and report.docx_name.endswith("-31135-2025-Q3.docx")
    with pytest.raises(PermissionDenied):
        report_make(actor=commune_editor, plan=plan, period=Q3, unit=province)
    assert Report.objects.count() == 1


def test_a_viewer_reads_but_does_not_make(plan, admin_user, province):
    viewer = User.objects.create(username="lanh-dao", org_unit=province, role=User.Role.VIEWER)
    with pytest.raises(PermissionDenied, match="chỉ có quyền xem"):
        report_make(actor=viewer, plan=plan, period=Q3)
    report = report_make(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON)
    file = report_file(actor=viewer, report_id=report.pk, which="docx")
    assert (file.name, file.content_type, file.content) == (report.docx_name, DOCX, bytes(report.docx))
    assert report_file(actor=viewer, report_id=report.pk, which="xlsx").content_type == XLSX
    downloads = AuditEvent.objects.filter(action="export.report", actor=viewer)
    assert [e.detail["file"] for e in downloads.order_by("id")] == [report.docx_name, report.xlsx_name]


def test_bad_input_saves_nothing(admin_user, plan):
    with pytest.raises(ValidationFailed):
        report_make(actor=admin_user, plan=plan, period=Period.parse("2025-12"))
    with pytest.raises(ValidationFailed, match="60 ký tự"):
        report_make(actor=admin_user, plan=plan, period=Q3, number="x" * 61)
    with pytest.raises(ValidationFailed, match="docx"):
        report_file(actor=admin_user, report_id=1, which="pdf")
    village = OrgUnit.objects.create(code="TEST-AP1", name="Ấp Thử", kind="village", parent=OrgUnit.objects.get(code="31135"),
                                     path="/92/31135/TEST-AP1/")
    with pytest.raises(ValidationFailed, match="cấp tỉnh hoặc cấp xã"):
        report_make(actor=admin_user, plan=plan, period=Q3, unit=village)
    assert not Report.objects.exists() and not AuditEvent.objects.filter(action="reports.make").exists()
