"""Fixtures of the reports tests: the Cần Thơ demo's third quarter of 2025, with or without a ledger and tasks.

Every test gets an empty data directory, so whether the arrears section has figures depends on the test
alone (never on a ledger left in ./var by a demo run).
"""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.core.periods import Period

Q3 = Period.parse("2025-Q3")
MADE_ON = date(2025, 10, 10)


@pytest.fixture(autouse=True)
def empty_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def ledger(empty_data_dir):
    """The tiny employer dataset of tests/employers/test_views.py: two communes with units owing."""
    from ansinh.employers import storage
    from tests.employers.test_views import _ledger, _units

    storage.dataset_write("units", _units())
    storage.dataset_write("ledger", _ledger())


@pytest.fixture
def quarter_tasks(plan):
    """Q3 2025 of two duties, written as rows (the tasks app's own services are tested in tests/tasks):
    the tax office's monthly list (due the 5th of the next month) — July's on time, August's late, June's
    never came; and the communes' quarterly report (due 15/7 for Q2) — Ninh Kiều on time, Cái Khế and
    Tân An missing."""
    from ansinh.units.models import OrgUnit
    from ansinh.tasks.models import Agency, Task, TaskOccurrence

    tax = Agency.objects.create(code="thue-test", name="Thuế thành phố", kind="central")
    monthly = Task.objects.create(
        plan=plan, section="III.3", lead=tax, recurrence="monthly", due_day=5, due_offset_months=1,
        text="Hằng tháng cung cấp danh sách doanh nghiệp mới thành lập, đang hoạt động cho BHXH thành phố",
        starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31),
    )
    for month, submitted in ((6, None), (7, date(2025, 8, 4)), (8, date(2025, 9, 12)), (9, None)):
        due = date(2025, month + 1, 5)
        TaskOccurrence.objects.create(task=monthly, agency=tax, period_start=date(2025, month, 1), due_on=due, submitted_on=submitted)
    quarterly = Task.objects.create(
        plan=plan, section="III.7", lead=tax, recurrence="quarterly", due_day=15, due_offset_months=3, each_commune=True,
        text="Báo cáo kết quả thực hiện chỉ tiêu BHXH, BHYT về BHXH thành phố",
        starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31),
    )
    for code, submitted in (("31135", date(2025, 7, 14)), ("31120", None), ("31150", None)):
        unit = OrgUnit.objects.get(code=code, valid_to__isnull=True)
        committee = Agency.objects.create(code=f"ubnd-test-{code}", name=f"UBND {unit.name}", kind="commune", org_unit=unit)
        TaskOccurrence.objects.create(task=quarterly, agency=committee, period_start=date(2025, 4, 1), due_on=date(2025, 7, 15),
                                      submitted_on=submitted)
    return {"tax": monthly, "communes": quarterly}


@pytest.fixture
def figures(admin_user, plan):
    from ansinh.reports.selectors import report_figures

    return report_figures(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON)


@pytest.fixture
def figures_with_tasks(admin_user, plan, quarter_tasks):
    from ansinh.reports.selectors import report_figures

    return report_figures(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON)
