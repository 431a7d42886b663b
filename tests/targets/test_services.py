"""Imports are all-or-nothing and idempotent; allocation keeps sums, locks and overrides; writes are audited."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from ansinh.audit.models import AuditEvent
from ansinh.accounts.models import User
from ansinh.core.errors import ImportRejected, PermissionDenied, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.targets.models import Actual, ActualRevision, Target
from ansinh.targets.services import actuals_import, target_allocate, target_lock, target_override

pytestmark = pytest.mark.django_db

FINAL = date(2025, 12, 20)


def _csv(*rows: str) -> bytes:
    return ("unit_code,period,measure,value\n" + "\n".join(rows) + "\n").encode()


def _final_values(plan, indicator: str) -> dict[str, int]:
    targets = Target.objects.filter(plan=plan, indicator=indicator, unit__parent__code="92").select_related("unit")
    return {t.unit.code: int(t.milestones.get(due_on=FINAL).value) for t in targets}


# ----------------------------------------------------------------------------------------- import


def test_one_bad_row_among_good_ones_rejects_the_whole_file_and_changes_nothing(admin_user):
    before = (Actual.objects.count(), ActualRevision.objects.count())
    content = _csv(
        "31135,2025-11,population,40000",
        "31135,2025-11,bhyt.participants,39000",
        "99999,2025-11,population,100",  # line 4: unknown unit
        "31120,2025-11,population,20000",
    )
    with pytest.raises(ImportRejected) as rejected:
        actuals_import(actor=admin_user, content=content, filename="thang-11.csv")
    assert [(e.line, e.field) for e in rejected.value.errors] == [(4, "unit_code")]
    assert "99999" in str(rejected.value.errors[0])
    assert (Actual.objects.count(), ActualRevision.objects.count()) == before


def test_every_kind_of_bad_row_is_listed_with_its_line(admin_user):
    content = _csv(
        "31135,2025-13,population,1",  # 2: bad month
        "31135,2025-11,dan_so,1",  # 3: unknown measure
        "31135,2025-11,population,-5",  # 4: negative
        "31135,2025-11,labour_force,12.5",  # 5: not an integer
        "31120,2025-11,population,100",  # 6: fine
        "31120,2025-11,population,100",  # 7: duplicate of 6
        "92,2025-11,population,100",  # 8: province figures are computed
        "31147,2025-11,population,100",  # 9: below its participants (either row may be the typo)
        "31147,2025-11,bhyt.participants,101",  # 10: above its population
    )
    with pytest.raises(ImportRejected) as rejected:
        actuals_import(actor=admin_user, content=content, filename="loi.csv")
    found = {(e.line, e.field) for e in rejected.value.errors}
    assert found == {(2, "period"), (3, "measure"), (4, "value"), (5, "value"), (7, "unit_code"), (8, "unit_code"), (9, "value"), (10, "value")}


def test_numerator_is_checked_against_the_stored_denominator(admin_user):
    population = Actual.objects.get(unit__code="31135", period=date(2025, 10, 1), measure="population").value
    with pytest.raises(ImportRejected) as rejected:
        actuals_import(actor=admin_user, content=_csv(f"31135,2025-10,bhyt.participants,{population + 1}"), filename="a.csv")
    assert rejected.value.errors[0].line == 2
    assert "Dân số" in rejected.value.errors[0].message


def test_same_file_twice_changes_nothing_and_a_later_file_replaces_with_history(admin_user):
    content = _csv("31135,2025-11,population,40000", "31135,2025-11,bhyt.participants,38000")
    first = actuals_import(actor=admin_user, content=content, filename="t11.csv")
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    snapshot = list(Actual.objects.filter(period=date(2025, 11, 1)).values_list("unit_id", "measure", "value"))
    again = actuals_import(actor=admin_user, content=content, filename="t11.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(Actual.objects.filter(period=date(2025, 11, 1)).values_list("unit_id", "measure", "value")) == snapshot
    assert ActualRevision.objects.count() == 0

    later = actuals_import(actor=admin_user, content=_csv("31135,2025-11,bhyt.participants,38500"), filename="t11b.csv")
    assert (later.created, later.updated) == (0, 1)
    revision = ActualRevision.objects.get()
    assert (revision.old_value, revision.new_value) == (38000, 38500)
    assert AuditEvent.objects.filter(action="actuals.import", actor=admin_user).count() == 3


def test_numbers_are_read_as_the_dashboard_prints_them(admin_user):
    """"41.900" is how the app itself writes forty-one thousand nine hundred: an import must take it back."""
    content = _csv("31135,2025-11,population,41.900", "31135,2025-11,bhyt.participants,40000")
    actuals_import(actor=admin_user, content=content, filename="t11.csv")
    values = dict(Actual.objects.filter(period=date(2025, 11, 1), unit__code="31135").values_list("measure", "value"))
    assert (values["population"], values["bhyt.participants"]) == (41_900, 40_000)


def test_dry_run_reports_but_saves_nothing(admin_user):
    before = Actual.objects.count()
    result = actuals_import(actor=admin_user, content=_csv("31135,2025-11,population,40000"), filename="x.csv", dry_run=True)
    assert (result.dry_run, result.created) == (True, 1)
    assert Actual.objects.count() == before


def test_xlsx_is_read_like_csv(admin_user):
    book = Workbook()
    sheet = book.active
    sheet.append(["unit_code", "period", "measure", "value"])
    sheet.append(["31135", "2025-11", "population", 40000])
    sheet.append(["31135", "2025-11", "labour_force", "abc"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportRejected) as rejected:
        actuals_import(actor=admin_user, content=buffer.getvalue(), filename="t11.xlsx")
    assert [(e.line, e.field) for e in rejected.value.errors] == [(3, "value")]


def test_missing_column_is_named(operator):
    with pytest.raises(ValidationFailed, match="measure"):
        actuals_import(actor=operator, content=b"unit_code,period,value\n31135,2025-11,1\n", filename="x.csv")


def test_a_commune_editor_cannot_import_for_another_commune(commune_editor):
    with pytest.raises(ImportRejected) as rejected:
        actuals_import(actor=commune_editor, content=_csv("31120,2025-11,population,100"), filename="x.csv")
    assert "quyền" in rejected.value.errors[0].message


# ------------------------------------------------------------------------------------- allocation


def test_demo_split_of_can_tho_bhyt_target_sums_exactly(plan):
    values = _final_values(plan, "bhyt.participants")
    assert len(values) == 103
    assert sum(values.values()) == 3_095_954
    rates = Target.objects.filter(plan=plan, indicator="bhyt.coverage", unit__parent__code="92")
    assert rates.count() == 103
    assert all(abs(float(t.milestones.get(due_on=FINAL).value) - 96.11) < 0.01 for t in rates)


@pytest.mark.parametrize("method", ["proportional", "gap", "growth"])
def test_each_method_keeps_the_sum_and_gap_puts_more_on_communes_behind(plan, province, admin_user, method):
    targets = target_allocate(actor=admin_user, plan=plan, indicator="bhyt.participants", parent=province, method=method)
    assert len(targets) == 103
    assert sum(_final_values(plan, "bhyt.participants").values()) == 3_095_954
    assert AuditEvent.objects.filter(action="target.allocate", detail__method=method).exists()


def test_gap_asks_more_new_enrolments_per_uninsured_person_than_proportional_does_not(plan, province, admin_user):
    target_allocate(actor=admin_user, plan=plan, indicator="bhyt.participants", parent=province, method="gap")
    gap = _final_values(plan, "bhyt.participants")
    target_allocate(actor=admin_user, plan=plan, indicator="bhyt.participants", parent=province, method="proportional")
    proportional = _final_values(plan, "bhyt.participants")
    assert gap != proportional
    october = {
        (a.unit.code, a.measure): a.value
        for a in Actual.objects.filter(period=date(2025, 10, 1), measure__in=["population", "bhyt.participants"]).select_related("unit")
    }
    uninsured = {c: october[(c, "population")] - october[(c, "bhyt.participants")] for c in gap}
    behind, ahead = max(uninsured, key=uninsured.get), min(uninsured, key=uninsured.get)
    extra = {c: gap[c] - october[(c, "bhyt.participants")] for c in gap}
    assert extra[behind] > extra[ahead]


def test_override_rebalances_the_others_and_a_lock_holds(plan, province, admin_user):
    locked = Target.objects.get(plan=plan, indicator="bhyt.participants", unit__code="31120")
    locked_value = int(locked.milestones.get(due_on=FINAL).value)
    target_lock(actor=admin_user, target=locked, locked=True)
    changed = Target.objects.get(plan=plan, indicator="bhyt.participants", unit__code="31135")
    target_override(actor=admin_user, target=changed, value=27_000, due_on=FINAL)
    values = _final_values(plan, "bhyt.participants")
    assert values["31135"] == 27_000
    assert values["31120"] == locked_value
    assert sum(values.values()) == 3_095_954
    changed.refresh_from_db()
    assert changed.source == Target.Source.MANUAL
    coverage = Target.objects.get(plan=plan, indicator="bhyt.coverage", unit__code="31135").milestones.get(due_on=FINAL)
    population = Actual.objects.get(unit__code="31135", period=date(2025, 10, 1), measure="population").value
    assert float(coverage.value) == pytest.approx(100 * 27_000 / population, abs=0.0001)
    # Re-splitting the parent keeps the locked commune where it is.
    target_allocate(actor=admin_user, plan=plan, indicator="bhyt.participants", parent=province, method="proportional")
    assert _final_values(plan, "bhyt.participants")["31120"] == locked_value


def test_override_above_the_communes_population_is_refused(plan, admin_user):
    target = Target.objects.get(plan=plan, indicator="bhyt.participants", unit__code="31135")
    before = _final_values(plan, "bhyt.participants")
    with pytest.raises(ValidationFailed, match="Dân số|dân số"):
        target_override(actor=admin_user, target=target, value=30_000, due_on=FINAL)
    assert _final_values(plan, "bhyt.participants") == before


def test_override_beyond_what_the_locked_siblings_leave_is_refused(plan, admin_user):
    from ansinh.targets.allocation import AllocationError

    siblings = Target.objects.filter(plan=plan, indicator="bhyt.participants", unit__parent__code="92").exclude(unit__code="31135")
    siblings.update(locked=True)
    target = Target.objects.get(plan=plan, indicator="bhyt.participants", unit__code="31135")
    with pytest.raises(AllocationError, match="3.095.954"):
        target_override(actor=admin_user, target=target, value=int(target.milestones.get(due_on=FINAL).value) + 5, due_on=FINAL)
    assert sum(_final_values(plan, "bhyt.participants").values()) == 3_095_954


def test_commune_editor_cannot_split_the_province(plan, province, commune_editor):
    with pytest.raises(PermissionDenied):
        target_allocate(actor=commune_editor, plan=plan, indicator="bhyt.participants", parent=province, method="gap")


def test_viewer_cannot_lock(plan, province):
    viewer = User.objects.create(username="viewer", org_unit=province, role=User.Role.VIEWER)
    target = Target.objects.get(plan=plan, indicator="bhyt.participants", unit__code="31135")
    with pytest.raises(PermissionDenied):
        target_lock(actor=viewer, target=target, locked=True)


def test_units_below_a_commune_can_receive_a_split(plan, admin_user):
    from ansinh.units.services import unit_add
    from ansinh.targets.services import target_set

    commune = OrgUnit.objects.get(code="31135", valid_to__isnull=True)
    villages = [unit_add(actor=admin_user, parent=commune, code=f"KV{i}", name=f"Khu vực {i}", kind="village") for i in (1, 2)]
    for village, population, insured in zip(villages, (600, 400), (500, 300)):
        actuals_import(
            actor=admin_user, filename="kv.csv",
            content=_csv(f"{village.code},2025-10,population,{population}", f"{village.code},2025-10,bhyt.participants,{insured}"),
        )
    target_set(actor=admin_user, plan=plan, indicator="bhyt.participants", unit=commune, milestones=[(FINAL, 951, "")])
    targets = target_allocate(actor=admin_user, plan=plan, indicator="bhyt.participants", parent=commune, method="proportional")
    assert sorted(int(t.milestones.get().value) for t in targets) == [380, 571]


def test_a_commune_editor_cannot_override_its_own_target_because_it_moves_its_siblings(plan, commune_editor):
    target = Target.objects.get(plan=plan, indicator="bhyt.participants", unit__code="31135")
    before = _final_values(plan, "bhyt.participants")
    with pytest.raises(PermissionDenied):
        target_override(actor=commune_editor, target=target, value=20_000, due_on=FINAL)
    assert _final_values(plan, "bhyt.participants") == before
