"""Writes of the coverage app: run the engine and turn its counts into monthly actuals; export the lists.

The counts go through the targets app's own import (`actuals_import`): the same checks (a count above its
bound is refused), the same all-or-nothing transaction, revisions kept, and the same file twice changes
nothing. So the dashboard moves exactly as if an officer had imported the figures.
"""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings as django_settings
from django.db import transaction

from ansinh.accounts.models import User
from ansinh.units.selectors import require_editor
from ansinh.audit.services import audit_record
from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.units.selectors import unit_current_communes
from ansinh.core.periods import add_months
from ansinh.core.spreadsheets import safe_text
from ansinh.coverage import pipeline
from ansinh.coverage.engine import MAX_MONTHS, CoverageSettings
from ansinh.coverage.masking import mask_id
from ansinh.coverage.required import required_rules
from ansinh.coverage.models import CoverageRun
from ansinh.engine.backends import check_engine, default_engine
from ansinh.engine.progress import Progress, no_progress
from ansinh.targets.services import ImportResult, actuals_import

#: An extract shows who lives where now; years long before it would count today's residents in the past.
YEARS_BACK = 2


@dataclass(frozen=True)
class Extract:
    """What `manifest.json` says about the person-level data in the data directory."""

    data_dir: Path
    province_code: str  # 2-digit unit code ("92")
    as_of: date
    persons: int


def data_dir() -> Path:
    return Path(django_settings.DATA_DIR)


def extract_read(*, directory: Path | None = None) -> Extract:
    """The extract's manifest; a clear message when there is no data yet."""
    directory = directory or data_dir()
    path = directory / "manifest.json"
    if not path.exists():
        raise NotFound(
            f"Chưa có dữ liệu cá nhân trong {directory}: chạy “ansinh generate --persons N” "
            "(dữ liệu mẫu) hoặc đặt ANSINH_DATA_DIR tới thư mục dữ liệu."
        )
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return Extract(directory, manifest["province_code"][-2:], date.fromisoformat(manifest["as_of"]), int(manifest["persons"]))


@dataclass(frozen=True)
class ComputeResult:
    run: CoverageRun
    engine: pipeline.EngineResult
    imported: ImportResult


def coverage_compute(
    *,
    actor: User,
    year: int | None = None,
    engine: str | None = None,
    debug: bool = False,
    dry_run: bool = False,
    directory: Path | None = None,
    progress: Progress = no_progress,
) -> ComputeResult:
    """Count the province's insured persons month by month from the extract, and store the counts as
    the communes' monthly actuals (for a year: January up to the extract's month, or all twelve)."""
    if not (actor.can_edit and (actor.org_unit_id is None or actor.org_unit.kind == OrgUnit.Kind.PROVINCE)):
        # Checked before anything is read: only the province's editors recompute the province.
        raise PermissionDenied("Chỉ biên tập viên, quản trị cấp tỉnh mới tính lại số liệu từ dữ liệu cá nhân.")
    extract = extract_read(directory=directory)
    province = OrgUnit.objects.current().filter(code=extract.province_code, kind=OrgUnit.Kind.PROVINCE).first()
    if province is None:
        raise NotFound(f"Dữ liệu thuộc tỉnh mã “{extract.province_code}” nhưng chưa có tỉnh này: chạy “ansinh units load”.")
    require_editor(actor=actor, unit=province)
    started = time.perf_counter()
    settings = _settings(extract, province, year, check_engine(engine or default_engine()), debug)
    result = pipeline.run(settings, progress=progress)
    progress("Ghi kết quả vào số liệu thực hiện của các xã", None)
    with transaction.atomic():
        imported = actuals_import(actor=actor, content=_csv(result), filename=_filename(settings), dry_run=dry_run)
        run = CoverageRun.objects.create(
            actor=actor, province=province, engine=settings.engine,
            first_month=settings.first_month, months=settings.months, data_as_of=extract.as_of,
            persons=result.persons, seconds=round(time.perf_counter() - started, 3),
            problems=[{"rule": p.rule, "rows": p.rows, "examples": [mask_id(e) for e in p.examples]} for p in result.problems],
            batch_id=imported.batch_id, dry_run=dry_run,
        )
        audit_record(
            actor=actor, action="coverage.compute", obj=run, engine=settings.engine,
            months=f"{settings.first_month:%m/%Y}+{settings.months}", persons=result.persons,
            kept_out=sum(p.rows for p in result.problems), dry_run=dry_run,
        )
    return ComputeResult(run, result, imported)


def _settings(extract: Extract, province: OrgUnit, year: int | None, engine: str, debug: bool) -> CoverageSettings:
    year = year or extract.as_of.year
    if year > extract.as_of.year:
        raise ValidationFailed(f"Dữ liệu chỉ đến ngày {extract.as_of:%d/%m/%Y}: chưa tính được năm {year}.")
    if year < extract.as_of.year - YEARS_BACK:
        raise ValidationFailed(
            f"Bản trích xuất ngày {extract.as_of:%d/%m/%Y} chỉ dùng để tính lại tối đa {YEARS_BACK} năm trước: "
            f"năm {year} quá xa."
        )
    months = extract.as_of.month if year == extract.as_of.year else MAX_MONTHS
    communes = frozenset(unit_current_communes(unit=province).values_list("code", flat=True))
    first = date(year, 1, 1)
    return CoverageSettings(
        data_dir=extract.data_dir, first_month=first, months=months, communes=communes,
        engine=engine, slices=pipeline.default_slices(extract.persons, engine), debug=debug,
        required=required_rules([add_months(first, i) for i in range(months)]),
    )


def _csv(result: pipeline.EngineResult) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["unit_code", "period", "measure", "value"])
    for row in result.counts.itertuples(index=False):
        writer.writerow([safe_text(row.commune_code), f"{row.month:%Y-%m}", safe_text(row.measure), int(row.value)])
    return buffer.getvalue().encode()


def _filename(settings: CoverageSettings) -> str:
    last = settings.month_list[-1]
    return f"bao-phu-{settings.first_month:%Y-%m}-{last:%Y-%m}.csv"
