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
from ansinh.units.selectors import scope_units
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.units.models import OrgUnit
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


# -------------------------------------------------------------------------------------------- arrears


def arrears_rules(*, on: date):
    """The charge and the evasion threshold in force on a day (dated parameters)."""
    from ansinh.employers.interest import ArrearsRules
    from ansinh.employers.parameters import EVASION_AFTER_DAYS, LATE_DAILY_RATE
    from ansinh.rules import rule_value

    return ArrearsRules(daily_rate=rule_value(LATE_DAILY_RATE, on), evasion_after_days=int(rule_value(EVASION_AFTER_DAYS, on)))


def default_as_of() -> date:
    """The report day a page opens on: the ledger's last payment day or its last month's end, not after today."""
    from django.utils import timezone

    from ansinh.core.periods import month_end

    today = timezone.localdate()
    path = storage.dataset_path("ledger")
    if not path.exists():
        return today
    table = pq.read_table(path, columns=["period", "paid_on"])
    last_paid, last_period = pc.max(table["paid_on"]).as_py(), pc.max(table["period"]).as_py()
    candidates = [day for day in (last_paid, month_end(last_period) if last_period else None) if day]
    return min(max(candidates), today) if candidates else today


def _file_stamp(name: str) -> int:
    path = storage.dataset_path(name)
    return path.stat().st_mtime_ns if path.exists() else 0


_RUNS: dict[tuple, object] = {}


def arrears_result(*, as_of: date):
    """The whole ledger's arrears on a day, computed once per ledger version and day (pages reuse it)."""
    from ansinh.employers.arrears import ArrearsSettings, arrears_run

    rules = arrears_rules(on=as_of)
    key = (str(storage.employers_dir()), _file_stamp("ledger"), _file_stamp("units"), as_of, rules)
    if key not in _RUNS:
        if len(_RUNS) > 8:
            _RUNS.clear()
        _RUNS[key] = arrears_run(ArrearsSettings(as_of=as_of, rules=rules))
    return _RUNS[key]


@dataclass(frozen=True)
class CommuneArrears:
    commune: OrgUnit
    units_owing: int
    evasion_units: int
    workers: int
    unpaid: int
    interest: int
    due_in_year: int

    @property
    def rate(self):
        """Arrears rate in percent (arrears / amount due in the year), None when nothing was due."""
        from decimal import Decimal

        return (Decimal(self.unpaid) * 100 / Decimal(self.due_in_year)) if self.due_in_year else None


@dataclass(frozen=True)
class TrendPoint:
    month_end: date
    unpaid: int
    due_in_year: int

    @property
    def rate(self):
        from decimal import Decimal

        return (Decimal(self.unpaid) * 100 / Decimal(self.due_in_year)) if self.due_in_year else None


@dataclass(frozen=True)
class ArrearsOverview:
    as_of: date
    unit: OrgUnit
    rows: list[CommuneArrears]
    total: CommuneArrears
    national_rate: object  # Decimal percent
    trend: list[TrendPoint]
    top: list  # UnitArrears, largest first


def _communes_in(*, actor: User, unit: OrgUnit) -> list[OrgUnit]:
    if not scope_units(actor=actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(f"Đơn vị “{unit.name}” nằm ngoài phạm vi được phân quyền của bạn.")
    if unit.kind == OrgUnit.Kind.COMMUNE:
        return [unit]
    return list(OrgUnit.objects.current().filter(kind=OrgUnit.Kind.COMMUNE, path__startswith=unit.path).order_by("code"))


def arrears_overview(*, actor: User, unit: OrgUnit, as_of: date, top: int = 20) -> ArrearsOverview:
    """The arrears dashboard of a province or commune: per commune, the total, the trend, the top owers."""
    from ansinh.employers.parameters import NATIONAL_LATE_RATE
    from ansinh.rules import rule_value

    communes = _communes_in(actor=actor, unit=unit)
    codes = {c.code for c in communes}
    result = arrears_result(as_of=as_of)
    figures = {row.commune_code: row for row in result.communes.itertuples(index=False)}
    rows = [_commune_row(commune, figures.get(commune.code)) for commune in communes]
    total = CommuneArrears(unit, *(sum(getattr(r, f) for r in rows) for f in ("units_owing", "evasion_units", "workers", "unpaid", "interest", "due_in_year")))
    trend_rows = result.trend[result.trend["commune_code"].isin(codes)]
    trend = [TrendPoint(day, int(g["arrears"].sum()), int(g["due_in_year"].sum())) for day, g in trend_rows.groupby("day", sort=True)]
    owing = result.units[result.units["commune_code"].isin(codes)].nlargest(top, "unpaid")
    largest = sorted(result.records(list(owing["unit_code"])), key=lambda a: (-a.unpaid, a.unit_code))
    return ArrearsOverview(as_of, unit, rows, total, rule_value(NATIONAL_LATE_RATE, as_of), trend, largest)


def _commune_row(commune: OrgUnit, row) -> CommuneArrears:
    if row is None:
        return CommuneArrears(commune, 0, 0, 0, 0, 0, 0)
    return CommuneArrears(commune, int(row.units_in_arrears), int(row.units_evading), int(row.workers_in_arrears),
                          int(row.unpaid), int(row.interest), int(row.due_in_year))


def arrears_in_scope(*, actor: User, as_of: date, min_months: int = 1) -> list:
    """Every unit in the user's scope owing at least `min_months` months on a day (UnitArrears, by code)."""
    allowed = scope_commune_codes(actor=actor)
    result = arrears_result(as_of=as_of)
    units = result.units if allowed is None else result.units[result.units["commune_code"].isin(allowed)]
    units = units[units["months_owed"] >= min_months]
    return result.records(list(units["unit_code"]))


@dataclass(frozen=True)
class MonthLine:
    period: date
    amount_due: int
    paid: int  # paid within this calendar month
    outstanding: int  # arrears at this month's end


@dataclass(frozen=True)
class UnitHistory:
    unit: Unit
    arrears: object  # UnitArrears
    months: list[MonthLine]
    items: QuerySet
    letters: QuerySet


def unit_ledger_rows(unit_code: str) -> list[dict]:
    path = storage.dataset_path("ledger")
    if not path.exists():
        return []
    return pq.read_table(path, filters=[("unit_code", "=", unit_code)]).to_pylist()


def unit_arrears(*, unit: Unit, as_of: date):
    """One unit's arrears on a day, by the reference rules (the same figures the whole-ledger run gives)."""
    from ansinh.employers.interest import unit_statement
    from ansinh.employers.records import UnitArrears

    statement = unit_statement(unit_ledger_rows(unit.unit_code), as_of=as_of, rules=arrears_rules(on=as_of))
    return UnitArrears(unit.unit_code, unit.tax_code, unit.name, unit.address, unit.commune_code, unit.workers or 0,
                       as_of, statement.months, statement.interest_on_paid)


def unit_history(*, actor: User, unit_code: str, as_of: date, months: int = 24) -> UnitHistory:
    """A unit's page: registry facts, arrears on the day, month by month history, findings, letters.

    The history is the last `months` months, newest first, without the months before anything was due,
    paid or owed (no empty months before a unit's first dues): the one history every door shows."""
    from ansinh.core.periods import add_months, month_end
    from ansinh.employers.interest import outstanding_on

    unit = access_employer(actor=actor, unit_code=unit_code)
    rows = unit_ledger_rows(unit.unit_code)
    first = add_months(as_of.replace(day=1), -(months - 1))
    lines = []
    for index in range(months):
        period = add_months(first, index)
        end = min(month_end(period), as_of)
        due = sum(r["amount_due"] for r in rows if r["period"] == period and r["amount_due"])
        paid = sum(r["amount_paid"] for r in rows if r["paid_on"] and period <= r["paid_on"] <= end)
        lines.append(MonthLine(period, due, paid, outstanding_on(rows, day=end)))
    return UnitHistory(
        unit, unit_arrears(unit=unit, as_of=as_of), _without_quiet_start(lines[::-1]), unit_work_items(unit=unit),
        unit_letters(unit=unit),
    )


def _without_quiet_start(lines: list[MonthLine]) -> list[MonthLine]:
    """The history (newest first) without the months before anything was due, paid or owed."""
    lines = list(lines)
    while lines and not (lines[-1].amount_due or lines[-1].paid or lines[-1].outstanding):
        lines.pop()
    return lines
