"""What a report shows equals what the dashboard shows for the same period, row for row; scope; periods."""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.accounts.models import User
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.core.formatting import format_int, format_percent
from ansinh.units.models import OrgUnit
from ansinh.core.periods import Period
from ansinh.employers.selectors import arrears_overview
from ansinh.reports import selectors
from ansinh.targets.attainment import Status
from tests.reports.conftest import MADE_ON, Q3

pytestmark = pytest.mark.django_db


def _figures(row) -> tuple:
    return (row.unit_code, row.indicator.code, row.actual, row.target, row.milestone, row.attainment_pct, row.gap,
            row.status, row.rank, row.rank_of, row.data_month)


def test_the_province_figures_are_the_dashboards(admin_client, figures):
    page = admin_client.get("/units/92/", {"period": "2025-Q3", "indicator": "bhyt.participants"})
    assert page.status_code == 200
    assert [_figures(r) for r in figures.headline] == [_figures(r) for r in page.context["kpis"]]
    bhyt = next(r for r in figures.headline if r.indicator.code == "bhyt.participants")
    # Cần Thơ 2025 (53/KH-UBND): 3.095.954 persons by 30/11/2025, 96,11% coverage; figures to September.
    assert (bhyt.target, bhyt.milestone, bhyt.data_month) == (3_095_954, date(2025, 11, 30), date(2025, 9, 1))
    coverage = next(r for r in figures.headline if r.indicator.code == "bhyt.coverage")
    assert format_percent(coverage.target) == "96,11%"
    html = page.content.decode()
    assert format_int(bhyt.actual) in html and format_percent(bhyt.attainment_pct) in html


def test_every_commune_table_is_the_dashboards(admin_client, figures):
    assert figures.main.code == "bhyt.participants"
    assert [t.indicator.code for t in figures.communes][:3] == ["bhyt.participants", "bhyt.coverage", "bhxh.participants"]
    for table in figures.communes:
        page = admin_client.get("/units/92/children/", {"period": "2025-Q3", "indicator": table.indicator.code})
        assert [_figures(r) for r in table.rows] == [_figures(r) for r in page.context["child_rows"]], table.indicator.code
        assert len(table.rows) == 103


def test_the_ranking_and_the_communes_behind(figures):
    table = figures.main_table
    ranks = [r.rank for r in table.rows]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    behind = figures.behind
    assert behind and all(r.status is Status.OFF_TRACK for r in behind)
    assert [r.attainment_pct for r in behind] == sorted(r.attainment_pct for r in behind)
    assert len(behind) == table.count(Status.OFF_TRACK)


def test_a_month_and_a_year_are_the_dashboards_too(admin_client, admin_user, plan):
    for label in ("2025-08", "2025"):
        figures = selectors.report_figures(actor=admin_user, plan=plan, period=Period.parse(label), made_on=MADE_ON)
        page = admin_client.get("/units/92/", {"period": label, "indicator": "bhyt.participants"})
        assert [_figures(r) for r in figures.headline] == [_figures(r) for r in page.context["kpis"]], label
        assert [_figures(r) for r in figures.main_table.rows] == [_figures(r) for r in page.context["child_rows"]], label
    year = selectors.report_figures(actor=admin_user, plan=plan, period=Period.parse("2025"), made_on=MADE_ON)
    assert year.data_month == date(2025, 10, 1) and year.main_row.milestone == date(2025, 12, 20)


def test_a_commune_user_gets_their_commune_and_is_refused_the_province(commune_editor, plan):
    figures = selectors.report_figures(actor=commune_editor, plan=plan, period=Q3, made_on=MADE_ON)
    assert figures.unit.code == "31135" and figures.is_commune
    assert figures.communes == [] and figures.main_table is None
    assert figures.issuer.agency == "PHƯỜNG NINH KIỀU" and figures.issuer.symbol == "BC-UBND"
    assert {r.unit_code for r in figures.headline} == {"31135"}
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        selectors.report_figures(actor=commune_editor, plan=plan, period=Q3, unit=OrgUnit.objects.get(code="92", valid_to__isnull=True))
    with pytest.raises(PermissionDenied):
        selectors.report_figures(actor=commune_editor, plan=plan, period=Q3, unit=OrgUnit.objects.get(code="31120"))


def test_the_commune_figures_in_a_province_report_equal_the_communes_own(admin_user, commune_editor, plan, figures):
    own = selectors.report_figures(actor=commune_editor, plan=plan, period=Q3, made_on=MADE_ON)
    mine = next(r for r in own.headline if r.indicator.code == "bhyt.participants")
    in_province = next(r for r in figures.main_table.rows if r.unit_code == "31135")
    assert (mine.actual, mine.target, mine.attainment_pct, mine.gap, mine.status) == (
        in_province.actual, in_province.target, in_province.attainment_pct, in_province.gap, in_province.status)


def test_periods_outside_the_plan_or_without_figures_are_refused(admin_user, plan):
    with pytest.raises(ValidationFailed, match="không thuộc năm 2025"):
        selectors.report_figures(actor=admin_user, plan=plan, period=Period.parse("2024-Q4"))
    with pytest.raises(ValidationFailed, match="Chưa có số liệu"):
        selectors.report_figures(actor=admin_user, plan=plan, period=Period.parse("2025-12"))


def test_no_ledger_no_tasks_means_no_such_sections(figures):
    assert figures.arrears is None and figures.tasks is None


def test_arrears_are_the_arrears_dashboards(admin_user, province, ledger, figures):
    expected = arrears_overview(actor=admin_user, unit=province, as_of=date(2025, 9, 30))
    arrears = figures.arrears
    assert arrears.as_of == date(2025, 9, 30)
    assert (arrears.units_owing, arrears.evasion_units, arrears.unpaid, arrears.interest) == (
        expected.total.units_owing, expected.total.evasion_units, expected.total.unpaid, expected.total.interest)
    assert arrears.unpaid > 0 and [r.commune.code for r in arrears.communes] == ["31135"]  # July, due 31/8
    assert arrears.top[0].unpaid >= arrears.top[-1].unpaid


def test_task_timeliness_of_the_quarter(figures_with_tasks):
    tasks = figures_with_tasks.tasks
    assert [(t.agency_name, t.due, t.on_time, t.late, t.missing, t.pending) for t in tasks.agencies] == [
        ("Thuế thành phố", 3, 1, 1, 1, 0)]  # the September list is due 5/10: outside the quarter
    communes = {t.agency_code: (t.on_time, t.missing) for t in tasks.communes}
    assert communes == {"ubnd-test-31135": (1, 0), "ubnd-test-31120": (0, 1), "ubnd-test-31150": (0, 1)}
    statuses = {(s.agency_name, s.due_on): s.status for s in tasks.submissions}
    assert statuses[("Thuế thành phố", date(2025, 8, 5))] == "on_time"
    assert statuses[("Thuế thành phố", date(2025, 9, 5))] == "late"
    assert statuses[("Thuế thành phố", date(2025, 7, 5))] == "missing"


def test_a_commune_report_shows_its_own_committees_timeliness(commune_editor, plan, quarter_tasks):
    figures = selectors.report_figures(actor=commune_editor, plan=plan, period=Q3, made_on=MADE_ON)
    assert figures.tasks.agencies == []
    assert [(t.on_time, t.missing) for t in figures.tasks.communes] == [(1, 0)]
    assert [s.status for s in figures.tasks.submissions] == ["on_time"]


def test_period_choices_and_the_default_quarter(province):
    choices = selectors.period_choices(unit=province, year=2025)
    values = [c.value for c in choices]
    assert values[:5] == ["2025", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]
    assert "2025-10" in values and "2025-01" in values and "2025-11" not in values
    assert next(c.label for c in choices if c.value == "2025-Q3") == "Quý III/2025"
    assert selectors.default_report_period(unit=province, year=2025) == "2025-Q3"  # October alone is not a quarter


def test_history_is_scoped(admin_user, commune_editor, plan):
    from ansinh.reports.services import report_make

    province_report = report_make(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON)
    commune_report = report_make(actor=commune_editor, plan=plan, period=Q3, made_on=MADE_ON)
    assert list(selectors.reports_visible(actor=admin_user)) == [commune_report, province_report]
    assert list(selectors.reports_visible(actor=commune_editor)) == [commune_report]
    with pytest.raises(PermissionDenied):
        selectors.access_report(actor=commune_editor, report_id=province_report.pk)
    other = User.objects.get(username="xa-31120")
    assert list(selectors.reports_visible(actor=other)) == []
