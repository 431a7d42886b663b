"""Fixtures of the tasks tests: Cần Thơ's agency directory, and the duties the 53/KH-UBND plan sets."""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.tasks.agencies import COMMUNES_CODE
from ansinh.tasks.models import Agency
from ansinh.tasks.services import DueRule, agencies_ensure, task_create


@pytest.fixture
def agencies(province):
    agencies_ensure(province=province)
    return {agency.code: agency for agency in Agency.objects.all()}


@pytest.fixture
def tax_list_task(admin_user, plan, agencies):
    """"Cục Thuế … hằng tháng cung cấp danh sách doanh nghiệp" — due the 5th of the following month."""
    return task_create(
        actor=admin_user, plan=plan, section="III.3", lead=agencies["thue"], supports=[agencies["bhxh"]],
        text="Hằng tháng cung cấp danh sách doanh nghiệp mới thành lập, đang hoạt động cho BHXH thành phố",
        rule=DueRule(recurrence="monthly", day=5, offset_months=1),
    )


@pytest.fixture
def commune_report_task(admin_user, plan, agencies):
    """"UBND các xã, phường … báo cáo định kỳ hằng quý trước ngày 15 tháng đầu quý sau"."""
    return task_create(
        actor=admin_user, plan=plan, section="III.7", lead=agencies[COMMUNES_CODE],
        text="Báo cáo kết quả thực hiện chỉ tiêu BHXH, BHYT về BHXH thành phố", rule=DueRule(recurrence="quarterly", day=15, offset_months=3),
    )


@pytest.fixture
def student_task(admin_user, plan, agencies):
    return task_create(
        actor=admin_user, plan=plan, section="III.5", lead=agencies["so-gddt"],
        text="Hoàn thành thu BHYT học sinh, sinh viên năm học 2025-2026", rule=DueRule(due_on=date(2025, 10, 20)),
    )


@pytest.fixture
def plan(plan):
    """These tests follow duties over the whole of 2025 (January's list, all four quarters), so their plan
    is dated 1/1/2025. The demo plan's own date (27/08/2025), and that nothing falls due before it, are
    tested in test_as_of.py, which does not ask for this fixture."""
    plan.issued_on = date(2025, 1, 1)
    plan.save(update_fields=["issued_on"])
    return plan


@pytest.fixture
def demo_plan(db):
    """The demo plan 53/KH-UBND as issued, on 27/08/2025 (the `plan` above is re-dated for whole-year tests)."""
    from ansinh.targets.models import Plan

    return Plan.objects.get(number="53/KH-UBND")
