"""Everything that reads targets and actuals for a page, the API, the CLI or an export.

A unit's counts are always recomputed from the communes below it (a province never stores its own), and a
commune with no figure for a month borrows its predecessors' figures times their shares, so last year's
series of the old communes shows on this year's communes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Max, Q, QuerySet

from ansinh.accounts.models import User
from ansinh.units.selectors import scope_units
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.units.models import OrgUnit, UnitSuccession
from ansinh.core.periods import Period, add_months
from ansinh.core.text import fold
from ansinh.targets import attainment as rules
from ansinh.targets.cache import remember
from ansinh.targets.indicators import INDICATORS, Indicator, Kind, indicator_get
from ansinh.targets.models import Actual, Milestone, Plan, Target

Values = dict[tuple[str, date], float]

# ------------------------------------------------------------------------------------ counts per unit


def _steering_units(units: Sequence[OrgUnit]) -> dict[int, list[int]]:
    """For each unit, the units whose stored figures make it up: its communes, or itself below a province."""
    aggregated = [u for u in units if u.kind in (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.DISTRICT)]
    result = {u.pk: [u.pk] for u in units if u not in aggregated}
    if aggregated:
        prefix = Q()
        for unit in aggregated:
            prefix |= Q(path__startswith=unit.path)
            result[unit.pk] = []
        communes = OrgUnit.objects.filter(prefix, kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True)
        for commune_id, path in communes.values_list("pk", "path"):
            for unit in aggregated:
                if path.startswith(unit.path):
                    result[unit.pk].append(commune_id)
    return result


def _stored(unit_ids: Iterable[int], measures: Iterable[str], months: Iterable[date]) -> dict[int, Values]:
    found: dict[int, Values] = defaultdict(dict)
    rows = Actual.objects.filter(unit_id__in=list(unit_ids), measure__in=list(measures), period__in=list(months))
    for unit_id, measure, period, value in rows.values_list("unit_id", "measure", "period", "value"):
        found[unit_id][(measure, period)] = float(value)
    return found


def _fill_from_predecessors(own: dict[int, Values], leaf_ids: list[int], measures, months) -> None:
    """Give a commune its predecessors' figures (times their shares) for the months it has none of its own."""
    links = list(
        UnitSuccession.objects.filter(successor_id__in=leaf_ids).values_list("successor_id", "predecessor_id", "share")
    )
    if not links:
        return
    old = _stored({p for _, p, _ in links}, measures, months)
    own_keys = {unit_id: set(values) for unit_id, values in own.items()}
    for successor_id, predecessor_id, share in links:
        mine = own.setdefault(successor_id, {})
        for key, value in old.get(predecessor_id, {}).items():
            if key not in own_keys.get(successor_id, set()):
                mine[key] = mine.get(key, 0.0) + value * float(share)


def measure_values(*, units: Sequence[OrgUnit], measures: Iterable[str], months: Iterable[date]) -> dict[int, Values]:
    """{unit id: {(measure, month): value}}, each unit summed over the communes that make it up."""
    measures, months = list(measures), list(months)
    members = _steering_units(units)
    leaf_ids = sorted({leaf for leaves in members.values() for leaf in leaves})
    own = _stored(leaf_ids, measures, months)
    _fill_from_predecessors(own, leaf_ids, measures, months)
    result: dict[int, Values] = {}
    for unit_id, leaves in members.items():
        total: Values = defaultdict(float)
        for leaf in leaves:
            for key, value in own.get(leaf, {}).items():
                total[key] += value
        result[unit_id] = dict(total)
    return result


def latest_month_with_data(*, units: Sequence[OrgUnit], measures: Iterable[str], until: date) -> date | None:
    """The latest month up to `until` for which any of these units (or their communes) has a figure."""
    leaf_ids = {leaf for leaves in _steering_units(units).values() for leaf in leaves}
    found = Actual.objects.filter(unit_id__in=leaf_ids, measure__in=list(measures), period__lte=until)
    return found.aggregate(last=Max("period"))["last"]


# ------------------------------------------------------------------------------------------ attainment


@dataclass(frozen=True, slots=True)
class Projection:
    due_on: date
    label: str
    target: float
    projected: float | None
    status: rules.Status


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    month: date
    actual: float | None
    target: float | None


@dataclass(frozen=True, slots=True)
class AttainmentRow:
    """One unit's standing on one indicator for one period: what every door shows.

    Frozen because computed rows are shared by every request until the figures change (`targets.cache`):
    ranking makes ranked copies.
    """

    unit_code: str
    unit_name: str
    indicator: Indicator
    period: str
    data_month: date | None
    numerator: float | None
    denominator: float | None
    actual: float | None
    target: float | None
    milestone: date | None
    attainment_pct: float | None
    gap: int | None
    status: rules.Status
    rank: int | None = None
    rank_of: int | None = None
    projections: tuple[Projection, ...] = ()
    series: tuple[SeriesPoint, ...] = ()

    def as_dict(self) -> dict:
        """Plain JSON-ready values (rates in percent, counts in persons, dates ISO)."""
        return {
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "indicator": self.indicator.code,
            "indicator_label": self.indicator.label,
            "unit": self.indicator.unit_label,
            "period": self.period,
            "data_month": self.data_month.strftime("%Y-%m") if self.data_month else None,
            "target": rounded_value(self.indicator, self.target),
            "milestone": self.milestone.isoformat() if self.milestone else None,
            "actual": rounded_value(self.indicator, self.actual),
            "numerator": _round_count(self.numerator),
            "denominator": _round_count(self.denominator),
            "attainment_pct": None if self.attainment_pct is None else round(self.attainment_pct, 2),
            "gap": self.gap,
            "status": self.status.value,
            "status_label": self.status.label,
            "rank": self.rank,
            "rank_of": self.rank_of,
            "projections": [
                {
                    "due_on": p.due_on.isoformat(), "label": p.label, "target": rounded_value(self.indicator, p.target),
                    "projected": rounded_value(self.indicator, p.projected), "status": p.status.value,
                }
                for p in self.projections
            ],
        }


def rounded_value(indicator: Indicator, value: float | None) -> float | int | None:
    """Persons as whole numbers, rates as percent with two decimals: what every door shows."""
    if value is None:
        return None
    return round(value) if indicator.kind is Kind.COUNT else round(value, 2)


def _round_count(value: float | None) -> int | None:
    return None if value is None else round(value)


@dataclass(frozen=True, slots=True)
class Goal:
    """A milestone as the attainment needs it: plain values, read without building model objects."""

    due_on: date
    value: float
    label: str


def _goals_by_unit(units: Sequence[OrgUnit], codes: Sequence[str], year: int) -> dict[tuple[int, str], tuple[Goal, ...]]:
    """{(unit id, indicator code): its target's milestones by date} in the year's plans (the latest plan wins
    when several apply). Two flat queries: a province's thousand targets cost milliseconds, not a tenth of
    a second of model objects."""
    chosen: dict[tuple[int, str], int] = {}
    targets = Target.objects.filter(unit__in=units, indicator__in=codes, plan__year=year).order_by("plan__issued_on", "pk")
    for target_id, unit_id, code in targets.values_list("pk", "unit_id", "indicator"):
        chosen[(unit_id, code)] = target_id
    goals: dict[int, list[Goal]] = defaultdict(list)
    milestones = Milestone.objects.filter(target_id__in=list(chosen.values())).order_by("due_on")
    for target_id, due_on, value, label in milestones.values_list("target_id", "due_on", "value", "label"):
        goals[target_id].append(Goal(due_on, float(value), label))
    return {key: tuple(goals[target_id]) for key, target_id in chosen.items()}


def milestone_in_force(milestones: Sequence[Milestone | Goal], period: Period) -> Milestone | Goal | None:
    """For a month, the next deadline on or after it; for a year, the year's last deadline."""
    ordered = sorted(milestones, key=lambda m: m.due_on)
    if not ordered:
        return None
    if period.is_year:
        in_year = [m for m in ordered if m.due_on.year == period.first_month.year]
        return (in_year or ordered)[-1]
    return next((m for m in ordered if m.due_on >= period.first_month), ordered[-1])


def _point(indicator: Indicator, values: Values, month: date) -> rules.Point | None:
    """The indicator's numerator and denominator in a month; growth compares with the month a year before."""
    if not any((m, month) in values for m in indicator.numerator):
        return None
    den_month = add_months(month, -12) if indicator.kind is Kind.GROWTH else month
    numerator = sum(values.get((m, month), 0.0) for m in indicator.numerator)
    denominator = sum(values.get((m, den_month), 0.0) for m in indicator.denominator)
    return rules.Point(month, numerator, denominator)


def _months_needed(indicator: Indicator, period: Period) -> list[date]:
    """The year's months up to the period (for the trend), and a year earlier for growth."""
    months = [add_months(date(period.first_month.year, 1, 1), i) for i in range(period.last_month.month)]
    if indicator.kind is Kind.GROWTH:
        months += [add_months(m, -12) for m in months]
    return months


def _row(unit: OrgUnit, indicator: Indicator, period: Period, values: Values, milestones: Sequence[Goal]) -> AttainmentRow:
    """One unit's figures for the period, measured against the milestone in force and projected to each one."""
    points = [p for m in _months_needed(indicator, period)[: period.last_month.month] if (p := _point(indicator, values, m))]
    current = next((p for p in reversed(points) if p.month >= period.first_month), None)
    in_force = milestone_in_force(milestones, period)
    goal = float(in_force.value) if in_force else None
    standing = {"attainment_pct": None, "gap": None, "projections": (), "status": rules.Status.NO_TARGET}
    if in_force and current:
        projections = tuple(_projection(indicator, m, points, current) for m in milestones)
        standing = {
            "attainment_pct": rules.attainment_pct(indicator, goal, current.numerator, current.denominator),
            "gap": rules.gap_persons(indicator, goal, current.numerator, current.denominator),
            "projections": projections,
            "status": next(p.status for p in projections if p.due_on == in_force.due_on),
        }
    elif in_force:
        standing["status"] = rules.Status.NO_DATA
    return AttainmentRow(
        unit_code=unit.code, unit_name=unit.name, indicator=indicator, period=period.label,
        data_month=current.month if current else None,
        numerator=current.numerator if current else None,
        denominator=current.denominator if current and indicator.denominator else None,
        actual=rules.value_of(indicator, current.numerator, current.denominator) if current else None,
        target=goal, milestone=in_force.due_on if in_force else None,
        series=tuple(
            SeriesPoint(p.month, rules.value_of(indicator, p.numerator, p.denominator), _target_at(milestones, p.month))
            for p in points
            if p.month.year == period.first_month.year
        ),
        **standing,
    )


def _projection(indicator: Indicator, milestone: Goal, points, current: rules.Point) -> Projection:
    """Where the trend puts the indicator at the milestone's month (the actual figure once that month is in)."""
    due_month = milestone.due_on.replace(day=1)
    reached = next((p for p in points if p.month == due_month), None)
    if reached is None:
        reached = rules.project(points, due_month) if due_month > current.month else current
    target = float(milestone.value)
    projected = rules.value_of(indicator, reached.numerator, reached.denominator) if reached else None
    return Projection(milestone.due_on, milestone.label, target, projected, rules.status_for(indicator, target, reached))


def _target_at(milestones: Sequence[Goal], month: date) -> float | None:
    """The target in force in a month: the next milestone on or after it, else the last (milestones by date)."""
    if not milestones:
        return None
    return next((m.value for m in milestones if m.due_on >= month), milestones[-1].value)


def attainment_rows(*, units: Sequence[OrgUnit], indicator: Indicator, period: Period) -> list[AttainmentRow]:
    """Attainment of each unit, ranked among them (no scope check: callers go through the access selectors)."""
    return attainment_tables(units=units, indicators=[indicator], period=period)[indicator.code]


def attainment_tables(
    *, units: Sequence[OrgUnit], indicators: Sequence[Indicator], period: Period
) -> dict[str, list[AttainmentRow]]:
    """{indicator code: attainment of each unit, ranked among them}, reused while the figures are unchanged
    (`targets.cache`).

    The figures of all the indicators are read in one go: a dashboard's dozen indicators cost one read of
    the actuals, not twelve; and the ranking is kept with them, since every caller ranks.
    """
    parts = (tuple(u.pk for u in units), tuple(i.code for i in indicators), period.label)
    tables = remember("attainment", parts, lambda: _compute_tables(units, indicators, period))
    return {code: list(rows) for code, rows in tables.items()}


def _compute_tables(
    units: Sequence[OrgUnit], indicators: Sequence[Indicator], period: Period
) -> dict[str, tuple[AttainmentRow, ...]]:
    months = {m for i in indicators for m in _months_needed(i, period)}
    measures = {m for i in indicators for m in i.measures}
    values = measure_values(units=units, measures=measures, months=months)
    goals = _goals_by_unit(units, [i.code for i in indicators], period.first_month.year)
    return {
        i.code: tuple(rank_rows([_row(u, i, period, values.get(u.pk, {}), goals.get((u.pk, i.code), ())) for u in units]))
        for i in indicators
    }


def rank_rows(rows: Sequence[AttainmentRow]) -> list[AttainmentRow]:
    """Ranked copies: by % of target, best first (ties share a rank); rows without a figure go last, unranked."""
    ordered = sorted((r for r in rows if r.attainment_pct is not None), key=lambda r: (-r.attainment_pct, r.unit_code))
    ranked, position, previous = [], 0, None
    for index, row in enumerate(ordered, start=1):
        if row.attainment_pct != previous:
            position, previous = index, row.attainment_pct
        ranked.append(replace(row, rank=position, rank_of=len(ordered)))
    unranked = sorted((r for r in rows if r.attainment_pct is None), key=lambda r: r.unit_code)
    return ranked + unranked


def indicators_with_targets(*, unit: OrgUnit, year: int) -> list[Indicator]:
    """Indicators the unit has a target for in the year's plans, in registry order."""
    codes = remember(
        "indicators", (unit.pk, year),
        lambda: frozenset(Target.objects.filter(unit=unit, plan__year=year).values_list("indicator", flat=True)),
    )
    return [i for code, i in INDICATORS.items() if code in codes]


def attainment_for_unit(
    *, actor: User, unit: OrgUnit, period: Period, indicators: Sequence[Indicator] | None = None
) -> list[AttainmentRow]:
    """A unit's attainment on each indicator (those it has targets for, unless named), ranked among siblings."""
    indicators = list(indicators) if indicators else indicators_with_targets(unit=unit, year=period.first_month.year)
    tables = attainment_tables(units=_visible_siblings(actor, unit), indicators=indicators, period=period)
    return [next(r for r in tables[i.code] if r.unit_code == unit.code) for i in indicators]


def _visible_siblings(actor: User, unit: OrgUnit) -> list[OrgUnit]:
    """The unit and its siblings in force, as far as the user may see them (rank is among these)."""
    if unit.parent_id is None:
        return [unit]
    siblings = scope_units(actor=actor).filter(parent_id=unit.parent_id, valid_to__isnull=True)
    return list(siblings) if unit in siblings else [unit]


def visible_children(*, actor: User, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's children in force that the user may see, in code order."""
    return list(scope_units(actor=actor).filter(parent=unit, valid_to__isnull=True).order_by("code"))


def attainment_for_children(
    *, actor: User, unit: OrgUnit, period: Period, indicator: Indicator, children: Sequence[OrgUnit] | None = None
) -> list[AttainmentRow]:
    """Each child unit's attainment on one indicator, ranked (the communes table of the dashboard).

    `children`: the result of `visible_children` when the caller already has it.
    """
    children = visible_children(actor=actor, unit=unit) if children is None else children
    return attainment_rows(units=children, indicator=indicator, period=period)


def data_months(*, unit: OrgUnit) -> list[date]:
    """Months with figures under the unit, newest first: what the period picker offers."""
    return list(remember("months", (unit.pk,), lambda: _data_months(unit)))


def _data_months(unit: OrgUnit) -> tuple[date, ...]:
    leaf_ids = {leaf for leaves in _steering_units([unit]).values() for leaf in leaves}
    months = Actual.objects.filter(unit_id__in=leaf_ids).values_list("period", flat=True).distinct()
    return tuple(sorted(set(months), reverse=True))


def default_period(*, unit: OrgUnit) -> Period:
    """The latest month with data, or the current year when there is none yet."""
    months = data_months(unit=unit)
    return Period(months[0], months[0]) if months else Period.parse(str(date.today().year))


def child_targets(*, plan: Plan, indicator: Indicator, parent: OrgUnit) -> list[Target]:
    """The children's targets under a plan for one indicator, with milestones, in code order."""
    return list(
        Target.objects.filter(plan=plan, indicator=indicator.code, unit__parent=parent, unit__valid_to__isnull=True)
        .select_related("unit")
        .prefetch_related("milestones")
        .order_by("unit__code")
    )


def indicator_or_default(code: str | None) -> Indicator:
    return indicator_get(code) if code else INDICATORS["bhyt.coverage"]


# --------------------------------------------------------------------------- web pages (added for the views)


def dashboard_indicators(*, unit: OrgUnit, year: int) -> list[Indicator]:
    """The dashboard's KPI cards: the headline rates, plus every persons count the unit has a target for."""
    with_targets = {i.code for i in indicators_with_targets(unit=unit, year=year)}
    return [i for i in INDICATORS.values() if i.headline or (i.kind is Kind.COUNT and i.code in with_targets)]


def attainment_rows_filter(rows: Sequence[AttainmentRow], *, status: str = "", query: str = "") -> list[AttainmentRow]:
    """Narrow a ranked table by status and by name or code; ranks stay those of the whole table.

    The search ignores Vietnamese accents, so “ninh kieu” finds “Phường Ninh Kiều” on any keyboard.
    """
    needle = fold(query)
    return [
        r for r in rows
        if (not status or r.status.value == status) and (not needle or needle in fold(f"{r.unit_code} {r.unit_name}"))
    ]


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


def attainment_report(
    *, actor: User, unit: OrgUnit, period: Period | None, indicator: Indicator | None, children: bool
) -> list[AttainmentRow]:
    """What `ansinh attainment` and `GET /api/v1/attainment` answer (callers have checked access to `unit`).

    The unit's own row per indicator, or with `children` each child's ranked rows; without an indicator,
    every indicator the unit has a target for; without a period, the latest month with data.
    """
    period = period or default_period(unit=unit)
    if not children:
        return attainment_for_unit(actor=actor, unit=unit, period=period, indicators=[indicator] if indicator else None)
    chosen = [indicator] if indicator else indicators_with_targets(unit=unit, year=period.first_month.year)
    return [row for ind in chosen for row in attainment_for_children(actor=actor, unit=unit, period=period, indicator=ind)]


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
