"""/api/v1/coverage: run the coverage engine, read its latest run, and the lists a commune acts on.

Thin on purpose: each route parses its input, calls the same service or selector the web pages and the CLI
call, and returns a schema (the CLI's `--json` prints these same schemas). Errors are answered in ansinh.api.
"""

# No `from __future__ import annotations`: django-ninja reads the route signatures at runtime.
from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ansinh.coverage import exports, selectors, services
from ansinh.coverage.models import CoverageRun
from ansinh.coverage.rules import rule_label
from ansinh.coverage.selectors import LISTS, PER_PAGE, Page
from ansinh.targets.services import ImportResult
from ansinh.web.downloads import XLSX, download

router = Router(tags=["coverage"])

XLSX_ANSWER = {"description": "Tệp Excel", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}

# -------------------------------------------------------------------------------------------- schemas


class ComputeIn(Schema):
    year: int | None = Field(None, description="Năm cần tính; mặc định: năm của dữ liệu (đến tháng của dữ liệu)")
    engine: Literal["duckdb", "pyspark"] | None = Field(None, description="Máy tính toán; mặc định: ANSINH_ENGINE hoặc duckdb")
    dry_run: bool = Field(False, description="true: tính và đếm, không lưu số liệu thực hiện")


class ActualsWrittenOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    batch_id: int | None


class KeptOutOut(Schema):
    rule: str = Field(..., description="Mã quy tắc (docs/data.md, “Bad rows”)")
    label: str
    rows: int
    examples: list[str] = Field(..., description="Vài số định danh ví dụ, đã che (0920******02)")


class RunOut(Schema):
    id: int
    at: datetime
    engine: str
    dry_run: bool
    data_as_of: date | None
    first_month: date
    months: int
    persons: int = Field(..., description="Số người hợp lệ đã được tính")
    seconds: float
    actuals: ActualsWrittenOut | None = Field(..., description="Số liệu thực hiện đã ghi (chạy thử: sẽ ghi)")
    kept_out: list[KeptOutOut]


class PersonOut(Schema):
    full_name: str
    id_masked: str
    gender: str
    birth_year: int | None
    age: int | None
    village: str | None
    household_id: str | None


class HouseholdOut(Schema):
    household_id: str
    village: str | None
    members: int
    uninsured: int
    missing: list[PersonOut]


class ExpiringOut(PersonOut):
    bhyt_group: str
    bhyt_group_label: str
    valid_to: date
    days_left: int


class LapsedOut(PersonOut):
    last_month: date
    months_since: int


class PageOut(Schema):
    kind: str
    title: str
    commune_code: str
    commune_name: str
    day: date
    village: str | None
    total: int
    page: int
    pages: int
    per_page: int
    rows: list[HouseholdOut] | list[ExpiringOut] | list[LapsedOut]

    @staticmethod
    def resolve_title(obj: Page) -> str:
        return LISTS[obj.kind].title

    @staticmethod
    def resolve_commune_code(obj: Page) -> str:
        return obj.commune.code

    @staticmethod
    def resolve_commune_name(obj: Page) -> str:
        return obj.commune.name


class ListFilters(Schema):
    day: date | None = Field(None, description="Ngày xét (YYYY-MM-DD); mặc định: ngày của dữ liệu")
    village: str | None = Field(None, description="Chỉ ấp/khu vực này")
    days: int = Field(30, description="expiring: thẻ hết hạn trong bao nhiêu ngày tới (1–366)")


class PageFilters(ListFilters):
    page: int = 1
    per_page: int = Field(PER_PAGE, description="Số dòng mỗi trang (1–500)")


def run_out(run: CoverageRun, imported: ImportResult | None = None) -> RunOut:
    """A run as the API (and `ansinh coverage compute --json`) shows it; what was written comes from the
    import just made, or from the run's stored import batch."""
    if imported is not None:
        written = ActualsWrittenOut(
            rows=imported.rows, created=imported.created, updated=imported.updated, unchanged=imported.unchanged,
            batch_id=imported.batch_id,
        )
    elif run.batch is not None:
        batch = run.batch
        written = ActualsWrittenOut(
            rows=batch.rows, created=batch.created, updated=batch.updated, unchanged=batch.unchanged, batch_id=batch.pk
        )
    else:
        written = None
    kept_out = [
        KeptOutOut(rule=p["rule"], label=rule_label(p["rule"]), rows=p["rows"], examples=p["examples"]) for p in run.problems
    ]
    return RunOut(
        id=run.pk, at=run.at, engine=run.engine, dry_run=run.dry_run, data_as_of=run.data_as_of,
        first_month=run.first_month, months=run.months, persons=run.persons, seconds=run.seconds,
        actuals=written, kept_out=kept_out,
    )


# --------------------------------------------------------------------------------------------- routes


@router.post("/compute", response=RunOut)
def compute(request: HttpRequest, payload: ComputeIn):
    """Count the province's insured persons month by month from the person-level extract and store the
    counts as the communes' monthly actuals (editor or admin of the province)."""
    result = services.coverage_compute(actor=request.auth, year=payload.year, engine=payload.engine, dry_run=payload.dry_run)
    return run_out(result.run, result.imported)


@router.get("/runs/latest", response=RunOut)
def run_latest(request: HttpRequest):
    """The latest (not dry) run for the caller's province."""
    return run_out(selectors.latest_run(actor=request.auth))


# The download is registered before the page: `{kind}` alone would also match "households.xlsx".
@router.get("/communes/{code}/lists/{kind}.xlsx", openapi_extra={"responses": {200: XLSX_ANSWER}})
def list_export(request: HttpRequest, code: str, kind: str, filters: Query[ListFilters]):
    """The whole list as an Excel workbook (the download is written to the audit log)."""
    arguments = {"actor": request.auth, "kind": kind, "code": code, **filters.model_dump()}
    return download(exports.list_xlsx(**arguments), exports.list_filename(**arguments), XLSX)


@router.get("/communes/{code}/lists/{kind}", response=PageOut)
def list_page(request: HttpRequest, code: str, kind: str, filters: Query[PageFilters]):
    """One page of a list for action in one commune: `households`, `expiring` or `lapsed`."""
    return selectors.list_page(actor=request.auth, kind=kind, code=code, **filters.model_dump())
