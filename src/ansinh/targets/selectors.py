"""Everything that reads plans and targets for a page, the API, the CLI or an export: access and lists.

Access selectors (`access_plan`, `access_target`, `access_plan_by_number`) fetch and authorise in one
step; the lists (`plans_visible`, `plan_targets`, `visible_children`, the allocation table) only ever
hold what the user's scope covers. The figures are in `targets.figures`, the attainment rows in
`targets.attainment_rows`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from ansinh.accounts.models import User
from ansinh.units.selectors import scope_units
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.units.models import OrgUnit
from ansinh.targets.cache import remember
from ansinh.targets.indicators import INDICATORS, Indicator, Kind, indicator_get
from ansinh.targets.models import Plan, Target

# ------------------------------------------------------------------------------------------- indicators


def indicators_with_targets(*, unit: OrgUnit, year: int) -> list[Indicator]:
    """Indicators the unit has a target for in the year's plans, in registry order."""
    codes = remember(
        "indicators", (unit.pk, year),
        lambda: frozenset(Target.objects.filter(unit=unit, plan__year=year).values_list("indicator", flat=True)),
    )
    return [i for code, i in INDICATORS.items() if code in codes]


def indicator_or_default(code: str | None) -> Indicator:
    return indicator_get(code) if code else INDICATORS["bhyt.coverage"]


def dashboard_indicators(*, unit: OrgUnit, year: int) -> list[Indicator]:
    """The dashboard's KPI cards: the headline rates, plus every persons count the unit has a target for."""
    with_targets = {i.code for i in indicators_with_targets(unit=unit, year=year)}
    return [i for i in INDICATORS.values() if i.headline or (i.kind is Kind.COUNT and i.code in with_targets)]


# ------------------------------------------------------------------------------------------- units


def visible_children(*, actor: User, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's children in force that the user may see, in code order."""
    return list(scope_units(actor=actor).current().filter(parent=unit).order_by("code"))


# ------------------------------------------------------------------------------------ plans and targets


def _plan_visibility(actor: User) -> Q:
    """A plan is visible when its scope lies within the user's scope, or covers the user's own unit.

    The second half matters for communes: the province's plan gives them their targets, and they must see it.
    """
    if actor.is_superuser and actor.org_unit_id is None:
        return Q()
    parts = actor.org_unit.path.strip("/").split("/")
    covering = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return Q(scope_unit__path__startswith=actor.org_unit.path) | Q(scope_unit__path__in=covering)


def plans_visible(*, actor: User) -> list[Plan]:
    """Every plan the user may read, newest year first."""
    return list(Plan.objects.filter(_plan_visibility(actor)).select_related("scope_unit"))


def access_plan(*, actor: User, plan_id: int) -> Plan:
    """Fetch a plan and check the user may read it (its scope is within theirs, or covers their unit)."""
    plan = Plan.objects.select_related("scope_unit").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(f"Không có kế hoạch số {plan_id}.")
    if not Plan.objects.filter(_plan_visibility(actor), pk=plan.pk).exists():
        raise PermissionDenied(f"Kế hoạch {plan.number} nằm ngoài phạm vi được phân quyền của bạn.")
    return plan


def access_target(*, actor: User, target_id: int) -> Target:
    """Fetch a target and check its unit lies within the user's scope."""
    target = Target.objects.select_related("plan", "unit").filter(pk=target_id).first()
    if target is None:
        raise NotFound(f"Không có chỉ tiêu số {target_id}.")
    if not scope_units(actor=actor).filter(pk=target.unit_id).exists():
        raise PermissionDenied(f"Chỉ tiêu của {target.unit.name} nằm ngoài phạm vi được phân quyền của bạn.")
    return target


def plan_targets(
    *, actor: User, plan: Plan, unit: OrgUnit | None = None, indicator: Indicator | None = None
) -> QuerySet[Target]:
    """A plan's targets (with milestones) for the units in the user's scope, optionally one unit / indicator."""
    targets = Target.objects.filter(plan=plan, unit__in=scope_units(actor=actor))
    if unit is not None:
        targets = targets.filter(unit=unit)
    if indicator is not None:
        targets = targets.filter(indicator=indicator.code)
    return targets.select_related("unit").prefetch_related("milestones").order_by("unit__path", "indicator")


def targets_fresh(*, targets: Iterable[Target]) -> list[Target]:
    """The same targets read again with their milestones, e.g. after a service rewrote those milestones."""
    ids = [t.pk for t in targets]
    return list(
        Target.objects.filter(pk__in=ids).select_related("unit").prefetch_related("milestones").order_by("unit__path", "indicator")
    )


def access_plan_by_number(*, actor: User, number: str, unit: OrgUnit) -> Plan:
    """The visible plan with this number whose scope covers `unit` (the CLI names plans by number: 53/KH-UBND)."""
    for plan in plans_visible(actor=actor):
        if plan.number == number and unit.is_within(plan.scope_unit):
            return plan
    raise NotFound(f"Không có kế hoạch số “{number}” áp dụng cho {unit.name}.")


def child_targets(*, plan: Plan, indicator: Indicator, parent: OrgUnit) -> list[Target]:
    """The children's targets under a plan for one indicator, with milestones, in code order."""
    return list(
        Target.objects.filter(plan=plan, indicator=indicator.code, unit__parent=parent, unit__valid_to__isnull=True)
        .select_related("unit")
        .prefetch_related("milestones")
        .order_by("unit__code")
    )


def plan_unit_targets(*, plan: Plan, unit: OrgUnit) -> list[Target]:
    """One unit's own targets under a plan, with milestones, in the registry's order of indicators."""
    order = {code: index for index, code in enumerate(INDICATORS)}
    targets = Target.objects.filter(plan=plan, unit=unit).prefetch_related("milestones")
    return sorted(targets, key=lambda t: order.get(t.indicator, len(order)))


@dataclass
class AllocationTable:
    """The children's persons targets under a plan, per milestone, beside the parent's: the allocation editor.

    `indicator` is what was asked for (a rate is split as its persons count, `count`); `sums` pairs each
    milestone's sum over the children with the parent's value, so a page can show that they are equal.
    """

    indicator: Indicator
    count: Indicator
    due_dates: list[date]
    rows: list[tuple[Target, list[int | None]]]
    sums: list[tuple[date, int, int | None]]
    stamp: str = ""  # `allocation_stamp` of the rows: a re-split sends it back (optimistic locking)


def allocation_table(*, plan: Plan, indicator: Indicator, parent: OrgUnit) -> AllocationTable:
    """What the allocation editor shows for one indicator (callers check scope with the access selectors)."""
    from ansinh.targets.indicators import count_indicator_for

    count = count_indicator_for(indicator)
    children = child_targets(plan=plan, indicator=count, parent=parent)
    parent_target = Target.objects.filter(plan=plan, indicator=count.code, unit=parent).prefetch_related("milestones").first()
    parent_values = {m.due_on: int(m.value) for m in parent_target.milestones.all()} if parent_target else {}
    child_values = [{m.due_on: int(m.value) for m in t.milestones.all()} for t in children]
    due_dates = sorted(set(parent_values).union(*child_values))
    return AllocationTable(
        indicator=indicator, count=count, due_dates=due_dates,
        rows=[(t, [values.get(d) for d in due_dates]) for t, values in zip(children, child_values)],
        sums=[(d, sum(values.get(d, 0) for values in child_values), parent_values.get(d)) for d in due_dates],
        stamp=allocation_stamp(children),
    )


def allocation_stamp(targets: Iterable[Target]) -> str:
    """One short token for the versions of a set of targets: it changes whenever any of them is written.

    The editor sends it back with a re-split, so a split made from a stale page is refused, not applied."""
    pairs = ",".join(f"{t.pk}:{t.version}" for t in sorted(targets, key=lambda t: t.pk))
    return hashlib.sha256(pairs.encode()).hexdigest()[:16]
