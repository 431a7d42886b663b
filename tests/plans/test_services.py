"""Saving a reviewed draft as a plan with targets and tasks: every row checked first, all or nothing,
idempotent. The draft is a 2024 plan of Cần Thơ (the tests' province) with Hải Phòng's 2024 figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ansinh.audit.models import AuditEvent
from ansinh.core.errors import ImportRejected, PermissionDenied
from ansinh.plans.models import PlanDraft
from ansinh.plans.services import plan_draft_save, plan_draft_update, review_defaults
from ansinh.targets.models import Plan, Target
from ansinh.tasks.models import Task

HAI_PHONG = {
    "number": "99/KH-UBND", "title": "Kế hoạch thực hiện chỉ tiêu BHXH, BHYT năm 2024", "issuer": "UBND thành phố Cần Thơ",
    "issued_on": "2024-03-15", "scope_code": "92", "year": 2024,
    "targets": [
        {"indicator": "bhyt.coverage", "value": "93.5", "unit": "%", "year": 2024, "deadline": None, "group": None,
         "text": "Tỷ lệ bao phủ BHYT đạt 93,5% dân số"},
        {"indicator": "bhxh.participation", "value": "40.2", "unit": "%", "year": 2024, "deadline": None, "group": None,
         "text": "Tỷ lệ tham gia BHXH đạt 40,2% lực lượng lao động trong độ tuổi"},
        {"indicator": "bhxh.participation", "value": "45", "unit": "%", "year": 2025, "deadline": None, "group": None,
         "text": "năm 2025 đạt 45%"},
    ],
    "assignments": [
        {"agency_code": "so-y-te", "supports": ["bhxh"], "section": "III.2", "text": "Chỉ đạo các cơ sở khám, chữa bệnh BHYT",
         "recurrence": "once", "due_on": "2024-12-31"},
        {"agency_code": "ubnd-xa", "section": "III.8", "text": "Báo cáo kết quả định kỳ hằng quý", "recurrence": "quarterly",
         "due_day": 15, "offset_months": 3},
    ],
}


def _draft(admin_user, data=None) -> PlanDraft:
    return PlanDraft.objects.create(file_name="hai-phong-2024.txt", source_text="…", data=review_defaults(data or HAI_PHONG), created_by=admin_user)


def test_a_reviewed_draft_becomes_a_plan_with_its_targets_milestones_and_tasks(admin_user):
    draft = _draft(admin_user)
    saved = plan_draft_save(actor=admin_user, draft=draft)
    plan = Plan.objects.get(number="99/KH-UBND", scope_unit__code="92")
    assert (plan.issued_on, plan.year, plan.issuer) == (date(2024, 3, 15), 2024, "UBND thành phố Cần Thơ")
    assert (saved.targets, saved.tasks_created) == (2, 2)
    participation = Target.objects.get(plan=plan, indicator="bhxh.participation")
    assert [(m.due_on, m.value) for m in participation.milestones.order_by("due_on")] == [
        (date(2024, 12, 31), Decimal("40.2")), (date(2025, 12, 31), Decimal("45")),
    ]
    health = Task.objects.get(plan=plan, lead__code="so-y-te")
    assert [a.code for a in health.supports.all()] == ["bhxh"] and health.due_on == date(2024, 12, 31)
    communes = Task.objects.get(plan=plan, lead__code="ubnd-xa")
    # Issued 15/03/2024: the schedule starts on the plan's date, so Q1 (under way) is not the plan's; Q2–Q4 are.
    assert communes.each_commune and communes.occurrences.count() == 3 * communes.occurrences.values("agency").distinct().count()
    assert not communes.occurrences.filter(due_on__lt=plan.issued_on).exists()
    assert communes.occurrences.values("agency").distinct().count() == 103  # every commune of Cần Thơ
    draft.refresh_from_db()
    assert draft.status == "saved" and draft.plan == plan
    assert AuditEvent.objects.filter(action="plans.draft.save", object_id=str(draft.pk)).exists()


def test_saving_again_changes_nothing(admin_user):
    draft = _draft(admin_user)
    plan_draft_save(actor=admin_user, draft=draft)
    tasks, occurrences = Task.objects.count(), sum(t.occurrences.count() for t in Task.objects.all())
    again = plan_draft_save(actor=admin_user, draft=draft)
    assert (again.tasks_created, again.tasks_kept) == (0, 2)
    assert Task.objects.count() == tasks and sum(t.occurrences.count() for t in Task.objects.all()) == occurrences
    assert Plan.objects.filter(number="99/KH-UBND").count() == 1


def test_every_bad_row_is_named_and_nothing_is_saved(admin_user):
    bad = {
        **HAI_PHONG,
        "targets": [
            {**HAI_PHONG["targets"][0], "value": "193.5"},
            {**HAI_PHONG["targets"][0], "indicator": "arrears.rate", "text": "nợ dưới 2%"},
            HAI_PHONG["targets"][0],
            {**HAI_PHONG["targets"][0], "value": "93.7"},
        ],
        "assignments": [{**HAI_PHONG["assignments"][0], "agency_code": "so-khong-co"}],
    }
    with pytest.raises(ImportRejected) as rejected:
        plan_draft_save(actor=admin_user, draft=_draft(admin_user, bad))
    messages = [str(e) for e in rejected.value.errors]
    assert any(e.line == 1 and "từ 0 đến 100" in e.message for e in rejected.value.errors), messages
    assert any(e.line == 2 and "arrears.rate" in e.message for e in rejected.value.errors), messages
    assert any(e.line == 3 and "trùng dòng 1" in e.message for e in rejected.value.errors), messages
    assert any(e.line == 1 and "so-khong-co" in e.message for e in rejected.value.errors), messages
    assert not Plan.objects.filter(number="99/KH-UBND").exists()


def test_an_unticked_row_is_left_out(admin_user):
    data = {**HAI_PHONG, "targets": [{**row, "include": row["indicator"] != "bhxh.participation"} for row in HAI_PHONG["targets"]]}
    draft = _draft(admin_user)
    draft.data = data
    saved = plan_draft_save(actor=admin_user, draft=draft)
    assert saved.targets == 1 and not Target.objects.filter(plan=saved.plan, indicator="bhxh.participation").exists()


def test_a_cell_that_is_not_a_number_or_a_day_is_named(admin_user):
    draft = _draft(admin_user)
    broken = {**HAI_PHONG, "issued_on": "15/13/2024", "targets": [{**HAI_PHONG["targets"][0], "value": "chín mươi"}]}
    with pytest.raises(ImportRejected) as rejected:
        plan_draft_update(actor=admin_user, draft=draft, data=broken)
    text = " | ".join(str(e) for e in rejected.value.errors)
    assert "Chỉ tiêu · value" in text and "“chín mươi” không phải là số" in text and "15/13/2024" in text


def test_a_commune_editor_cannot_save_a_city_plan(admin_user, commune_editor):
    with pytest.raises(PermissionDenied):
        plan_draft_save(actor=commune_editor, draft=_draft(admin_user))
    assert not Plan.objects.filter(number="99/KH-UBND").exists()
