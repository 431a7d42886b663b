"""Everything that reads for the employer pages, the API, the CLI and the paperwork, inside the user's scope.

A commune user sees the worklist items, units and arrears of their own commune only; the province sees
all. `access_*` selectors fetch and authorise in one step, so no door filters by commune on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from ansinh.accounts.models import User
from ansinh.accounts.selectors import scope_units
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.core.models import OrgUnit
from ansinh.employers import storage
from ansinh.employers.models import DemandLetter, EmployerImport, ReconcileRun, WorkItem

PER_PAGE = 50


def access_work_item(*, actor: User, item_id: int) -> WorkItem:
    item = WorkItem.objects.select_related("commune").filter(pk=item_id).first()
    if item is None:
        raise NotFound(f"Không có mục việc số {item_id}.")
    if not scope_units(actor=actor).filter(pk=item.commune_id).exists():
        raise PermissionDenied("Mục việc này thuộc xã, phường ngoài phạm vi được phân quyền của bạn.")
    return item


def work_items(
    *, actor: User, commune: OrgUnit, kind: str | None = None, status: str | None = None, include_closed: bool = False,
    query: str = "",
) -> QuerySet[WorkItem]:
    """A commune's worklist (or, for a province, every commune's), newest findings first within a kind."""
    if not scope_units(actor=actor).filter(pk=commune.pk).exists():
        raise PermissionDenied(f"Đơn vị “{commune.name}” nằm ngoài phạm vi được phân quyền của bạn.")
    items = WorkItem.objects.select_related("commune").filter(commune__path__startswith=commune.path)
    if not include_closed:
        items = items.filter(open=True)
    if kind:
        items = items.filter(kind=kind)
    if status:
        items = items.filter(status=status)
    if query.strip():
        needle = query.strip()
        items = items.filter(Q(name__icontains=needle) | Q(tax_code__startswith=needle) | Q(unit_code__iexact=needle))
    return items.order_by("kind", "-first_found", "name", "pk")


def work_items_page(*, items: QuerySet[WorkItem], page: int = 1, per_page: int = PER_PAGE) -> Page:
    return Paginator(items, per_page).get_page(page)


def work_item_summary(*, actor: User, commune: OrgUnit) -> dict[str, dict[str, int]]:
    """Open items per kind and status: the worklist's header counts."""
    items = work_items(actor=actor, commune=commune)
    summary: dict[str, dict[str, int]] = {}
    for row in items.order_by().values("kind", "status").annotate(n=Count("pk")):
        summary.setdefault(row["kind"], {})[row["status"]] = row["n"]
    return summary


@dataclass(frozen=True)
class Unit:
    """One BHXH unit as its registry row has it."""

    unit_code: str
    tax_code: str | None
    name: str
    address: str
    commune_code: str
    sector: str
    ownership: str
    workers: int
    status: str


def unit_rows(*, unit_codes: list[str] | None = None, commune_codes: set[str] | None = None) -> list[Unit]:
    """Registry rows, optionally only these units or these communes (read straight from the Parquet file)."""
    path = storage.dataset_path("units")
    if not path.exists():
        return []
    table = pq.read_table(path)
    if unit_codes is not None:
        table = table.filter(pc.is_in(table["unit_code"], value_set=pa.array(unit_codes)))
    if commune_codes is not None:
        table = table.filter(pc.is_in(table["commune_code"], value_set=pa.array(sorted(commune_codes))))
    return [Unit(**row) for row in table.to_pylist()]


def scope_commune_codes(*, actor: User) -> set[str] | None:
    """The commune codes a user may see; None for a user who sees the whole province (or more)."""
    units = scope_units(actor=actor)
    if actor.org_unit_id is None or actor.org_unit.kind == OrgUnit.Kind.PROVINCE:
        return None
    return set(units.filter(kind=OrgUnit.Kind.COMMUNE).values_list("code", flat=True))


def access_employer(*, actor: User, unit_code: str) -> Unit:
    """A BHXH unit, if the user's scope covers its commune."""
    found = unit_rows(unit_codes=[unit_code.strip().upper()])
    if not found:
        raise NotFound(f"Không có đơn vị mã “{unit_code}” trong danh sách đơn vị tham gia BHXH.")
    unit = found[0]
    allowed = scope_commune_codes(actor=actor)
    if allowed is not None and unit.commune_code not in allowed:
        raise PermissionDenied(f"Đơn vị “{unit.name}” thuộc xã, phường ngoài phạm vi được phân quyền của bạn.")
    return unit


def unit_work_items(*, unit: Unit) -> QuerySet[WorkItem]:
    """Findings about a unit (by its code or its tax code), open or closed."""
    codes = Q(unit_code=unit.unit_code)
    if unit.tax_code:
        codes |= Q(tax_code=unit.tax_code)
    return WorkItem.objects.filter(codes).order_by("-last_found", "kind")


def unit_letters(*, unit: Unit) -> QuerySet[DemandLetter]:
    return DemandLetter.objects.filter(unit_code=unit.unit_code).order_by("-month")


def latest_reconcile() -> ReconcileRun | None:
    return ReconcileRun.objects.first()


def recent_imports(limit: int = 20) -> QuerySet[EmployerImport]:
    return EmployerImport.objects.all()[:limit]


def month_of(day: date) -> date:
    return day.replace(day=1)
