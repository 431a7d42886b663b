"""Attainment read from the database: a parent is the sum of its communes, targets come from the milestone in
force, ranks and projections are right, and old communes' figures show on their successors."""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.units.models import OrgUnit
from ansinh.core.periods import Period
from ansinh.units.services import units_load_mapping
from ansinh.targets import attainment_rows, figures
from ansinh.targets.attainment import Status
from ansinh.targets.indicators import INDICATORS
from ansinh.targets.models import Actual
from ansinh.targets.services import actuals_import

pytestmark = pytest.mark.django_db
OCTOBER = date(2025, 10, 1)


def _october(measure: str) -> int:
    return sum(Actual.objects.filter(period=OCTOBER, measure=measure, unit__parent__code="92").values_list("value", flat=True))


def test_province_figures_are_the_sum_of_its_communes(admin_user, province):
    rows = attainment_rows.attainment_for_unit(
        actor=admin_user, unit=province, period=Period.parse("2025"),
        indicators=[INDICATORS["bhyt.participants"], INDICATORS["bhyt.coverage"], INDICATORS["bhxh.participation"]],
    )
    count, coverage, bhxh = rows
    insured, population = _october("bhyt.participants"), _october("population")
    assert (count.target, count.actual, count.data_month) == (3_095_954, insured, OCTOBER)
    assert count.gap == 3_095_954 - insured
    assert coverage.target == pytest.approx(96.11)
    assert coverage.actual == pytest.approx(100 * insured / population)
    assert coverage.milestone == date(2025, 12, 20)
    participants = _october("bhxh.compulsory.participants") + _october("bhxh.voluntary.participants")
    assert bhxh.actual == pytest.approx(100 * participants / _october("labour_force"))


def test_a_month_is_measured_against_the_next_deadline(admin_user, province):
    row = attainment_rows.attainment_for_unit(
        actor=admin_user, unit=province, period=Period.parse("2025-10"), indicators=[INDICATORS["bhyt.participants"]]
    )[0]
    assert row.milestone == date(2025, 11, 30)
    assert row.attainment_pct == pytest.approx(100 * _october("bhyt.participants") / 3_095_954)
    assert [p.due_on for p in row.projections] == [date(2025, 11, 30), date(2025, 12, 20)]
    assert row.projections[1].projected > row.projections[0].projected > row.actual  # the trend is rising


def test_communes_are_ranked_and_the_ones_behind_are_flagged(admin_user, province):
    rows = attainment_rows.attainment_for_children(
        actor=admin_user, unit=province, period=Period.parse("2025-10"), indicator=INDICATORS["bhyt.coverage"]
    )
    assert len(rows) == 103
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    assert rows[0].attainment_pct >= rows[-1].attainment_pct
    assert rows[-1].status is Status.OFF_TRACK
    assert {r.status for r in rows} >= {Status.OFF_TRACK, Status.ON_TRACK}


def test_a_commune_is_ranked_among_its_siblings(admin_user):
    commune = OrgUnit.objects.get(code="31135", valid_to__isnull=True)
    row = attainment_rows.attainment_for_unit(
        actor=admin_user, unit=commune, period=Period.parse("2025-10"), indicators=[INDICATORS["bhyt.coverage"]]
    )[0]
    table = attainment_rows.attainment_for_children(
        actor=admin_user, unit=commune.parent, period=Period.parse("2025-10"), indicator=INDICATORS["bhyt.coverage"]
    )
    assert (row.rank, row.rank_of) == next((r.rank, r.rank_of) for r in table if r.unit_code == "31135")


def test_voluntary_growth_compares_with_the_same_month_last_year(admin_user, province):
    row = attainment_rows.attainment_for_unit(
        actor=admin_user, unit=province, period=Period.parse("2025-10"), indicators=[INDICATORS["bhxh.voluntary.growth"]]
    )[0]
    now = _october("bhxh.voluntary.participants")
    before = sum(
        Actual.objects.filter(period=date(2024, 10, 1), measure="bhxh.voluntary.participants").values_list("value", flat=True)
    )
    assert row.actual == pytest.approx(100 * (now / before - 1))
    assert row.status is Status.NO_TARGET


def test_old_communes_figures_show_on_their_successors(admin_user, province):
    """Two old communes: one went wholly to 31135, the other was split 60/40 between 31135 and 31120."""
    mapping = b"old_code,new_code,share,old_name\n31001,31135,1,Phuong Cu A\n31002,31135,0.6,Xa Cu B\n31002,31120,0.4,Xa Cu B\n"
    units_load_mapping(actor=admin_user, content=mapping, filename="map.csv")
    old = "unit_code,period,measure,value\n31001,2023-12,population,1000\n31002,2023-12,population,500\n"
    actuals_import(actor=admin_user, content=old.encode(), filename="2023.csv")
    successors = list(OrgUnit.objects.filter(code__in=["31135", "31120"], valid_to__isnull=True).order_by("code"))
    values = figures.measure_values(units=successors + [province], measures=["population"], months=[date(2023, 12, 1)])
    by_code = {u.code: values[u.pk].get(("population", date(2023, 12, 1))) for u in successors}
    assert by_code == {"31120": pytest.approx(200), "31135": pytest.approx(1300)}
    assert values[province.pk][("population", date(2023, 12, 1))] == pytest.approx(1500)


def test_mapping_shares_must_add_up_and_bad_rows_change_nothing(admin_user):
    from ansinh.core.errors import ImportRejected
    from ansinh.units.models import UnitSuccession

    bad = b"old_code,new_code,share\n31002,31135,0.6\n31002,31120,0.3\n31003,99999,1\n"
    with pytest.raises(ImportRejected) as rejected:
        units_load_mapping(actor=admin_user, content=bad, filename="map.csv")
    assert {(e.line, e.field) for e in rejected.value.errors} == {(3, "share"), (4, "new_code")}
    assert UnitSuccession.objects.count() == 0


def test_mapping_twice_changes_nothing(admin_user):
    mapping = b"old_code,new_code,share\n31002,31135,0.6\n31002,31120,0.4\n"
    first = units_load_mapping(actor=admin_user, content=mapping, filename="map.csv")
    again = units_load_mapping(actor=admin_user, content=mapping, filename="map.csv")
    assert (first["old_units_created"], first["links_created"]) == (1, 2)
    assert (again["old_units_created"], again["links_created"], again["links_updated"]) == (0, 0, 0)


def test_the_period_picker_offers_the_months_years_and_quarters_with_data(province):
    picker = figures.period_picker(unit=province, period=Period.parse("2025-10"))
    assert picker.months[0] == OCTOBER and picker.months == sorted(picker.months, reverse=True)
    assert picker.years[0] == 2025 and picker.years == sorted(set(picker.years), reverse=True)
    assert picker.quarters[0] == Period.parse("2025-Q4")


def test_the_dashboard_cards_are_what_a_report_heads_with(admin_user, province):
    period, chart = Period.parse("2025-10"), INDICATORS["bhxh.voluntary.growth"]
    shown = attainment_rows.dashboard_rows(actor=admin_user, unit=province, period=period, chart=chart)
    plain = attainment_rows.dashboard_rows(actor=admin_user, unit=province, period=period)
    assert shown.chart.indicator is chart and plain.chart is None
    assert all(r.indicator.headline or r.target is not None for r in shown.kpis)
    assert INDICATORS["bhyt.participants"] in [r.indicator for r in plain.kpis]
    assert [r for r in shown.kpis if r.indicator is not chart] == [r for r in plain.kpis if r.indicator is not chart]
