"""/api/v1/reports: the periodic reports' history, making one, and downloading its files.

Thin: each route parses its input and calls the same service or selector as the reports page and
`ansinh reports` (whose `--json` prints these schemas). Errors are answered in one place, ansinh.api.
"""

# No `from __future__ import annotations`: django-ninja reads the route signatures at runtime.
from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from ansinh.units.selectors import access_unit
from ansinh.core.periods import Period
from ansinh.reports import selectors, services
from ansinh.reports.models import Report
from ansinh.targets.selectors import access_plan
from ansinh.web.downloads import download

router = Router(tags=["reports"])


class ReportIn(Schema):
    plan_id: int
    period: str = Field(..., description="YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm)", examples=["2025-Q3"])
    unit: str | None = Field(None, description="mã đơn vị báo cáo; mặc định tỉnh của kế hoạch, hoặc xã của bạn")
    number: str = Field("", description="số văn bản (125 hoặc 125/BC-BHXH); trống: để văn thư ghi")
    signer_title: str = Field("", description="chức vụ người ký, mỗi dòng cách bằng \\n (KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC); trống: GIÁM ĐỐC")
    signer_name: str = Field("", description="họ tên người ký; trống: để ký tay")


class ReportOut(Schema):
    id: int
    plan_id: int
    plan_number: str
    unit: str
    unit_name: str
    period: str
    kind: str = Field(..., description="month, quarter hoặc year")
    kind_label: str
    number: str
    data_month: date | None
    created_at: datetime
    actor: str | None
    seconds: float
    docx_name: str
    docx_size: int
    docx_url: str
    xlsx_name: str
    xlsx_size: int
    xlsx_url: str


def report_out(report: Report) -> ReportOut:
    return ReportOut(
        id=report.pk, plan_id=report.plan_id, plan_number=report.plan.number, unit=report.unit.code,
        unit_name=report.unit.name, period=report.period, kind=report.kind, kind_label=report.get_kind_display(),
        number=report.number, data_month=report.data_month, created_at=report.created_at,
        actor=report.actor.username if report.actor else None, seconds=report.seconds,
        docx_name=report.docx_name, docx_size=report.docx_size, docx_url=f"/api/v1/reports/{report.pk}/report.docx",
        xlsx_name=report.xlsx_name, xlsx_size=report.xlsx_size, xlsx_url=f"/api/v1/reports/{report.pk}/annex.xlsx",
    )


@router.get("", response=list[ReportOut], summary="Lịch sử báo cáo trong phạm vi của bạn")
def reports(request: HttpRequest, plan_id: int | None = None):
    plan = access_plan(actor=request.auth, plan_id=plan_id) if plan_id else None
    return [report_out(r) for r in selectors.reports_visible(actor=request.auth, plan=plan)[:500]]


@router.post("", response={201: ReportOut}, summary="Lập báo cáo định kỳ (DOCX và phụ lục XLSX)")
def report_make(request: HttpRequest, body: ReportIn):
    plan = access_plan(actor=request.auth, plan_id=body.plan_id)
    unit = access_unit(actor=request.auth, code=body.unit) if body.unit else None
    report = services.report_make(actor=request.auth, plan=plan, period=Period.parse(body.period), unit=unit, number=body.number,
                                   signer_title=body.signer_title, signer_name=body.signer_name)
    return Status(201, report_out(report))


@router.get("/{report_id}", response=ReportOut, summary="Một báo cáo")
def report(request: HttpRequest, report_id: int):
    return report_out(selectors.access_report(actor=request.auth, report_id=report_id))


@router.get("/{report_id}/report.docx", summary="Tệp báo cáo (DOCX)", response={200: None},
            openapi_extra={"responses": {200: {"content": {services.DOCX: {}}}}})
def report_docx(request: HttpRequest, report_id: int):
    return _download(services.report_file(actor=request.auth, report_id=report_id, which="docx"))


@router.get("/{report_id}/annex.xlsx", summary="Phụ lục số liệu (XLSX)", response={200: None},
            openapi_extra={"responses": {200: {"content": {services.XLSX: {}}}}})
def report_xlsx(request: HttpRequest, report_id: int):
    return _download(services.report_file(actor=request.auth, report_id=report_id, which="xlsx"))


def _download(file: services.ReportFile) -> HttpResponse:
    return download(file.content, file.name, file.content_type)
