"""Attainment rows: one unit's standing on one indicator for one period, as every door shows it.

The figures come from `targets.figures`, the milestones from the year's plans, the rules (attainment,
gap, projection, status) from `targets.attainment`; a table of rows is ranked once and kept in
`targets.cache` while the figures are unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from ansinh.accounts.models import User
from ansinh.units.selectors import scope_units
from ansinh.units.models import OrgUnit
from ansinh.core.periods import Period, add_months
from ansinh.core.text import fold
from ansinh.targets import attainment as rules
from ansinh.targets.cache import remember
from ansinh.targets.figures import Values, default_period, measure_values
from ansinh.targets.indicators import Indicator, Kind
from ansinh.targets.models import Milestone, Target
from ansinh.targets.selectors import dashboard_indicators, indicators_with_targets, visible_children


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
    siblings = scope_units(actor=actor).current().filter(parent_id=unit.parent_id)
    return list(siblings) if unit in siblings else [unit]


def attainment_for_children(
    *, actor: User, unit: OrgUnit, period: Period, indicator: Indicator, children: Sequence[OrgUnit] | None = None
) -> list[AttainmentRow]:
    """Each child unit's attainment on one indicator, ranked (the communes table of the dashboard).

    `children`: the result of `visible_children` when the caller already has it.
    """
    children = visible_children(actor=actor, unit=unit) if children is None else children
    return attainment_rows(units=children, indicator=indicator, period=period)


def attainment_rows_filter(rows: Sequence[AttainmentRow], *, status: str = "", query: str = "") -> list[AttainmentRow]:
    """Narrow a ranked table by status and by name or code; ranks stay those of the whole table.

    The search ignores Vietnamese accents, so “ninh kieu” finds “Phường Ninh Kiều” on any keyboard.
    """
    needle = fold(query)
    return [
        r for r in rows
        if (not status or r.status.value == status) and (not needle or needle in fold(f"{r.unit_code} {r.unit_name}"))
    ]


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


@dataclass(frozen=True, slots=True)
class DashboardRows:
    """A unit's KPI cards (`kpis`) and, when one was asked for, the row of the indicator its chart shows."""

    kpis: list[AttainmentRow]
    chart: AttainmentRow | None = None


def dashboard_rows(*, actor: User, unit: OrgUnit, period: Period, chart: Indicator | None = None) -> DashboardRows:
    """The dashboard's KPI cards, which a report's headline figures repeat: the unit's row on each
    `dashboard_indicators` indicator that is a headline rate or has a target. `chart`: an indicator to
    show the trend of, computed with them (and a card too when it qualifies)."""
    indicators = dashboard_indicators(unit=unit, year=period.first_month.year)
    if chart is not None and chart not in indicators:
        indicators.append(chart)
    rows = attainment_for_unit(actor=actor, unit=unit, period=period, indicators=indicators)
    return DashboardRows(
        kpis=[r for r in rows if r.indicator.headline or r.target is not None],
        chart=next(r for r in rows if r.indicator == chart) if chart is not None else None,
    )
