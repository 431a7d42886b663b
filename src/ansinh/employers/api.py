"""/api/v1/employers: imports, reconciliation, worklists, arrears, paperwork and the compliance look-up.

Thin: each route parses its input and calls the same service or selector as the web pages and the CLI
(whose `--json` prints these schemas). Errors are answered in one place, ansinh.api.
"""

# No `from __future__ import annotations`: django-ninja reads the route signatures at runtime.
from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from ansinh.units.selectors import access_unit
from ansinh.core.tabular import parse_mapping
from ansinh.employers import selectors, services
from ansinh.core.errors import ValidationFailed
from ansinh.employers.importers import IMPORTERS, CellError
from ansinh.employers.importers import month as read_month
from ansinh.employers.records import STATUS_LABELS, UnitArrears
from ansinh.web.downloads import DOCX, XLSX, download

router = Router(tags=["employers"])

Dataset = Literal[tuple(IMPORTERS)]


class ImportOut(Schema):
    dataset: str
    rows: int
    added: int
    changed: int
    removed: int
    unchanged: bool = Field(..., description="true: tệp giống dữ liệu đã có, không thay đổi gì")
    warnings: list[str]


class ReconcileOut(Schema):
    counts: dict[str, int] = Field(..., description="records, units, matched, unregistered, under_declared, closed_active, uncertain")
    created: int
    reopened: int
    closed: int
    seconds: float

    @classmethod
    def of(cls, outcome) -> "ReconcileOut":
        """The answer of `services.employers_reconcile`, as the API and `ansinh employers reconcile --json` give it."""
        return cls(counts=outcome.counts, created=outcome.created, reopened=outcome.reopened, closed=outcome.closed,
                   seconds=round(outcome.run.seconds, 3))


class WorkItemOut(Schema):
    id: int
    kind: str
    kind_label: str
    commune_code: str
    tax_code: str
    unit_code: str
    name: str
    detail: dict
    status: str
    status_label: str
    note: str
    first_found: date
    last_found: date
    open: bool


class WorkItemPage(Schema):
    count: int
    page: int
    pages: int
    items: list[WorkItemOut]


class StatusIn(Schema):
    status: Literal["new", "contacted", "registered", "not_required", "referred"]
    note: str = ""


class DecisionIn(Schema):
    confirmed: bool = Field(..., description="true: đúng là đơn vị này; false: không phải")
    note: str = ""


class MonthOwedOut(Schema):
    period: date
    amount_due: int
    unpaid: int
    deadline: date
    days_late: int
    interest: int
    status: str


class ArrearsOut(Schema):
    unit_code: str
    tax_code: str | None
    name: str
    commune_code: str
    workers: int
    as_of: date
    months_owed: int
    unpaid: int = Field(..., description="đồng")
    interest: int = Field(..., description="đồng: lãi 0,03%/ngày trên các tháng còn nợ và các tháng đóng muộn trong tháng")
    interest_on_paid: int
    max_days_late: int
    status: str | None = Field(..., description="late (chậm đóng), evasion (trốn đóng) hoặc null")
    status_label: str | None
    months: list[MonthOwedOut]


class ComplianceOut(Schema):
    tax_code: str
    on: date
    compliant: bool
    facts: list[str]
    open_findings: list[str]
    units: list[ArrearsOut]


def arrears_out(a: UnitArrears) -> ArrearsOut:
    return ArrearsOut(
        unit_code=a.unit_code, tax_code=a.tax_code, name=a.name, commune_code=a.commune_code, workers=a.workers,
        as_of=a.as_of, months_owed=a.months_owed, unpaid=a.unpaid, interest=a.interest, interest_on_paid=a.interest_on_paid,
        max_days_late=a.max_days_late, status=a.status, status_label=STATUS_LABELS.get(a.status),
        months=[MonthOwedOut(**m.__dict__) for m in a.months],
    )


def compliance_out(answer: services.Compliance) -> ComplianceOut:
    return ComplianceOut(tax_code=answer.tax_code, on=answer.on, compliant=answer.compliant, facts=answer.facts,
                         open_findings=answer.open_findings, units=[arrears_out(a) for a in answer.units])


def _item_out(item) -> WorkItemOut:
    return WorkItemOut(
        id=item.pk, kind=item.kind, kind_label=item.get_kind_display(), commune_code=item.commune.code, tax_code=item.tax_code,
        unit_code=item.unit_code, name=item.name, detail=item.detail, status=item.status, status_label=item.get_status_display(),
        note=item.note, first_found=item.first_found, last_found=item.last_found, open=item.open,
    )


@router.post("/import/{dataset}", response=ImportOut, summary="Nhập một danh sách (cả tệp hoặc không gì)")
def employers_import(request: HttpRequest, dataset: Dataset, file: File[UploadedFile], map: Form[list[str]] = None):
    outcome = services.employers_import(actor=request.auth, dataset=dataset, content=file.read(), filename=file.name,
                                        mapping=parse_mapping(map or []))
    return ImportOut(**outcome.__dict__)


@router.post("/reconcile", response=ReconcileOut, summary="Đối chiếu và cập nhật danh sách việc của các xã")
def employers_reconcile(request: HttpRequest):
    return ReconcileOut.of(services.employers_reconcile(actor=request.auth))


@router.get("/worklists/{code}", response=WorkItemPage, summary="Danh sách việc của một xã (hoặc cả tỉnh)")
def worklist(request: HttpRequest, code: str, kind: str | None = None, status: str | None = None,
             include_closed: bool = False, q: str = "", page: int = 1, per_page: int = Query(50, ge=1, le=500)):
    unit = access_unit(actor=request.auth, code=code)
    items = selectors.work_items(actor=request.auth, commune=unit, kind=kind, status=status, include_closed=include_closed, query=q)
    chosen = selectors.work_items_page(items=items, page=page, per_page=per_page)
    return WorkItemPage(count=chosen.paginator.count, page=chosen.number, pages=chosen.paginator.num_pages,
                        items=[_item_out(item) for item in chosen])


@router.post("/worklist/{item_id}/status", response=WorkItemOut, summary="Chuyển trạng thái một mục việc")
def work_item_status(request: HttpRequest, item_id: int, body: StatusIn):
    return _item_out(services.work_item_set_status(actor=request.auth, item_id=item_id, status=body.status, note=body.note))


@router.post("/worklist/{item_id}/decision", response=WorkItemOut, summary="Xác nhận hoặc bác bỏ một cặp cần xác nhận")
def work_item_decision(request: HttpRequest, item_id: int, body: DecisionIn):
    services.match_decide(actor=request.auth, item_id=item_id, confirmed=body.confirmed, note=body.note)
    return _item_out(selectors.access_work_item(actor=request.auth, item_id=item_id))


@router.get("/arrears", response=list[ArrearsOut], summary="Đơn vị nợ đóng trong phạm vi của bạn")
def arrears(request: HttpRequest, as_of: date | None = None, min_months: int = Query(1, ge=1)):
    day = as_of or selectors.default_as_of()
    return [arrears_out(a) for a in selectors.arrears_in_scope(actor=request.auth, as_of=day, min_months=min_months)]


@router.get("/units/{unit_code}/arrears", response=ArrearsOut, summary="Nợ đóng của một đơn vị")
def unit_arrears(request: HttpRequest, unit_code: str, as_of: date | None = None):
    unit = selectors.access_employer(actor=request.auth, unit_code=unit_code)
    return arrears_out(selectors.unit_arrears(unit=unit, as_of=as_of or selectors.default_as_of()))


@router.get("/check/{tax_code}", response=ComplianceOut, summary="Xác nhận tình hình chấp hành pháp luật về BHXH")
def check(request: HttpRequest, tax_code: str, on: date | None = None):
    return compliance_out(services.compliance_check(actor=request.auth, tax_code=tax_code, on=on))


@router.get("/letters/{month}.docx", summary="Thông báo đôn đốc của một tháng, gộp một tệp",
            response={200: None}, openapi_extra={"responses": {200: {"content": {DOCX: {}}}}})
def letters(request: HttpRequest, month: str, number: int | None = None, signer_title: str = "", signer_name: str = ""):
    try:
        first = read_month(month)
    except CellError as error:
        raise ValidationFailed(f"Tháng: {error}.") from None
    batch = services.letters_generate(actor=request.auth, month=first, merged=True, number=number,
                                      signer_title=signer_title, signer_name=signer_name)
    name, content = batch.files[0]
    return download(content, name, DOCX)


@router.get("/offenders/{quarter}.xlsx", summary="Danh sách vi phạm theo quý (hoặc để công khai)",
            response={200: None}, openapi_extra={"responses": {200: {"content": {XLSX: {}}}}})
def offenders(request: HttpRequest, quarter: str, public: bool = False):
    name, content = services.offenders_export(actor=request.auth, quarter=quarter, public=public)
    return download(content, name, XLSX)
