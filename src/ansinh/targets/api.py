"""/api/v1 routes for indicators, plans, targets, actuals and attainment.

Thin on purpose: each route parses its input, authorises through an access selector, calls the same service
or selector the web pages and the CLI call, and returns a schema. Errors are answered in ansinh.api.
"""

# No `from __future__ import annotations`: django-ninja reads the route signatures at runtime.
from datetime import date, datetime

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from ansinh.units.selectors import access_unit, home_unit
from ansinh.units.api import Pages
from ansinh.core.periods import Period
from ansinh.targets import attainment_rows, selectors, services
from ansinh.targets.allocation import Method
from ansinh.targets.indicators import INDICATORS, MEASURES, Indicator, indicator_get
from ansinh.targets.models import Plan, Target

router = Router(tags=["targets"])

# -------------------------------------------------------------------------------------------- schemas


class IndicatorOut(Schema):
    code: str
    label: str
    kind: str
    unit: str
    numerator: list[str]
    denominator: list[str]
    headline: bool

    @staticmethod
    def resolve_kind(obj: Indicator) -> str:
        return obj.kind.value

    @staticmethod
    def resolve_unit(obj: Indicator) -> str:
        return obj.unit_label


class MeasureOut(Schema):
    code: str
    label: str
    bounded_by: str | None


class PlanOut(Schema):
    id: int
    number: str
    title: str
    issuer: str
    issued_on: date
    year: int
    scope_unit: str

    @staticmethod
    def resolve_scope_unit(obj: Plan) -> str:
        return obj.scope_unit.code


class MilestoneOut(Schema):
    due_on: date
    value: float
    label: str


class TargetOut(Schema):
    id: int
    plan_id: int
    indicator: str
    unit: str
    unit_name: str
    source: str
    method: str
    locked: bool
    base_period: date | None
    version: int = Field(..., description="Tăng sau mỗi lần sửa; gửi lại trong expected_version khi sửa")
    updated_at: datetime | None
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_unit(obj: Target) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj: Target) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_milestones(obj: Target) -> list:
        return list(obj.milestones.all())


class TargetFilters(Schema):
    unit: str | None = Field(None, description="Mã đơn vị: chỉ tiêu của riêng đơn vị này")
    indicator: str | None = Field(None, description="Mã chỉ số, ví dụ bhyt.participants")


class AllocateIn(Schema):
    indicator: str = Field(..., examples=["bhyt.participants"])
    parent: str = Field(..., description="Mã đơn vị cấp trên có chỉ tiêu cần giao", examples=["92"])
    method: Method = Method.PROPORTIONAL


EXPECTED_VERSION = (
    "Phiên bản (version) của chỉ tiêu khi bạn đọc nó: nếu đã có người sửa sau đó, trả lời 409 và không lưu. "
    "Bỏ trống: không kiểm tra (ghi đè)."
)


class OverrideIn(Schema):
    value: int = Field(..., ge=0, description="Số người giao cho đơn vị này")
    due_on: date | None = Field(None, description="Chỉ sửa mốc này; bỏ trống: mọi mốc")
    expected_version: int | None = Field(None, ge=1, description=EXPECTED_VERSION)


class LockIn(Schema):
    locked: bool
    expected_version: int | None = Field(None, ge=1, description=EXPECTED_VERSION)


class ImportResultOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    batch_id: int | None


class ProjectionOut(Schema):
    due_on: date
    label: str
    target: int | float | None
    projected: int | float | None
    status: str


class AttainmentOut(Schema):
    unit_code: str
    unit_name: str
    indicator: str
    indicator_label: str
    unit: str = Field(..., description="Đơn vị tính: “người” hoặc “%”")
    period: str
    data_month: str | None
    target: int | float | None
    milestone: date | None
    actual: int | float | None
    numerator: int | None
    denominator: int | None
    attainment_pct: float | None
    gap: int | None
    status: str
    status_label: str
    rank: int | None
    rank_of: int | None
    projections: list[ProjectionOut]


class AttainmentFilters(Schema):
    unit: str | None = Field(None, description="Mã đơn vị; mặc định: đơn vị của người dùng")
    indicator: str | None = Field(None, description="Mã chỉ số; mặc định: mọi chỉ số có chỉ tiêu")
    period: str | None = Field(None, description="YYYY hoặc YYYY-MM; mặc định: tháng mới nhất có số liệu")
    children: bool = Field(False, description="true: từng đơn vị trực thuộc, xếp hạng")


# --------------------------------------------------------------------------------------------- routes


@router.get("/indicators", response=list[IndicatorOut], tags=["registry"])
def indicators_list(request: HttpRequest):
    return list(INDICATORS.values())


@router.get("/measures", response=list[MeasureOut], tags=["registry"])
def measures_list(request: HttpRequest):
    return list(MEASURES.values())


@router.get("/plans", response=list[PlanOut])
def plans_list(request: HttpRequest):
    return selectors.plans_visible(actor=request.auth)


@router.get("/plans/{id}", response=PlanOut)
def plan_detail(request: HttpRequest, id: int):
    return selectors.access_plan(actor=request.auth, plan_id=id)


@router.get("/plans/{id}/targets", response=list[TargetOut])
@paginate(Pages)
def plan_targets_list(request: HttpRequest, id: int, filters: Query[TargetFilters]):
    plan = selectors.access_plan(actor=request.auth, plan_id=id)
    unit = access_unit(actor=request.auth, code=filters.unit) if filters.unit else None
    indicator = indicator_get(filters.indicator) if filters.indicator else None
    return selectors.plan_targets(actor=request.auth, plan=plan, unit=unit, indicator=indicator)


@router.post("/plans/{id}/allocate", response=list[TargetOut])
def plan_allocate(request: HttpRequest, id: int, payload: AllocateIn):
    """Split the parent's target among its children (giao chỉ tiêu); answers the children's targets."""
    plan = selectors.access_plan(actor=request.auth, plan_id=id)
    parent = access_unit(actor=request.auth, code=payload.parent)
    targets = services.target_allocate(
        actor=request.auth, plan=plan, indicator=payload.indicator, parent=parent, method=payload.method.value
    )
    return selectors.targets_fresh(targets=targets)


@router.post("/targets/{id}/override", response=list[TargetOut])
def target_override(request: HttpRequest, id: int, payload: OverrideIn):
    """Set one unit's persons by hand; answers it and its re-balanced siblings.

    With `expected_version`, a target changed since it was read is not overwritten: 409 and a message."""
    target = selectors.access_target(actor=request.auth, target_id=id)
    targets = services.target_override(
        actor=request.auth, target=target, value=payload.value, due_on=payload.due_on,
        expected_version=payload.expected_version,
    )
    return selectors.targets_fresh(targets=targets)


@router.post("/targets/{id}/lock", response=TargetOut)
def target_lock(request: HttpRequest, id: int, payload: LockIn):
    """Keep (or free) a unit's target when its parent is re-split; 409 on a stale `expected_version`."""
    target = selectors.access_target(actor=request.auth, target_id=id)
    services.target_lock(actor=request.auth, target=target, locked=payload.locked, expected_version=payload.expected_version)
    return selectors.targets_fresh(targets=[target])[0]


@router.post("/actuals/import", response=ImportResultOut)
def actuals_import(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False):
    """Import a CSV/XLSX of `unit_code, period, measure, value`; all-or-nothing (422 lists every bad row)."""
    return services.actuals_import(
        actor=request.auth, content=file.read(), filename=file.name or "upload.csv", dry_run=dry_run
    )


@router.get("/attainment", response=list[AttainmentOut])
def attainment(request: HttpRequest, filters: Query[AttainmentFilters]):
    """A unit's attainment per indicator, or (children=true) each child's attainment on one indicator."""
    actor = request.auth
    unit = access_unit(actor=actor, code=filters.unit) if filters.unit else home_unit(actor=actor)
    rows = attainment_rows.attainment_report(
        actor=actor, unit=unit, children=filters.children,
        period=Period.parse(filters.period) if filters.period else None,
        indicator=indicator_get(filters.indicator) if filters.indicator else None,
    )
    return [row.as_dict() for row in rows]
