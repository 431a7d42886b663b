"""A unit's figures: the monthly actuals of the communes that make it up, and the months that have any.

A unit's counts are always recomputed from the communes below it (a province never stores its own), and a
commune with no figure for a month borrows its predecessors' figures times their shares, so last year's
series of the old communes shows on this year's communes. Every attainment row starts here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q

from ansinh.units.models import OrgUnit, UnitSuccession
from ansinh.core.periods import Period
from ansinh.targets.cache import remember
from ansinh.targets.models import Actual

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
        communes = OrgUnit.objects.current().filter(prefix, kind=OrgUnit.Kind.COMMUNE)
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


# ------------------------------------------------------------------------------------ months with data


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


def reporting_day(*, period: Period | None = None, unit: OrgUnit | None = None) -> date:
    """The one day every status, list and answer is computed as of: the end of the selected period, by
    default of the last month with data (under `unit`, else anywhere). The figures stop there, so a task
    judged against the machine's clock would be "quá hạn" for months the figures have not reached.
    With no figures at all yet, the machine's day (nothing else to go by)."""
    if period is None:
        if unit is not None:
            months = data_months(unit=unit)
            last = months[0] if months else None
        else:
            last = Actual.objects.aggregate(last=Max("period"))["last"]
        if last is None:
            return date.today()
        period = Period(last, last)
    return period.end


@dataclass(frozen=True, slots=True)
class PeriodPicker:
    """What a period picker offers: months with data (newest first), their years and their quarters."""

    months: list[date]
    years: list[int]
    quarters: list[Period]


def period_picker(*, unit: OrgUnit, period: Period) -> PeriodPicker:
    """The periods with figures under the unit; with none yet, the year of `period` alone. A quarter stands
    at its last month, so a quarter with one month of data is offered (and read up to that month)."""
    months = data_months(unit=unit)
    labels = sorted({f"{m.year}-Q{(m.month - 1) // 3 + 1}" for m in months}, reverse=True)
    return PeriodPicker(
        months=months,
        years=sorted({m.year for m in months}, reverse=True) or [period.first_month.year],
        quarters=[Period.parse(label) for label in labels],
    )
