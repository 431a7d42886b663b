"""The demo's tasks: read from the plan's own text, saved through the review path, with a hand-in history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ansinh.demo.services import TASKS_AS_OF, demo_tasks
from ansinh.tasks.models import Task, TaskOccurrence
from ansinh.tasks.selectors import timeliness_by_agency


def test_the_demo_reads_the_plans_tasks_and_a_history_of_hand_ins(demo_plan):
    plan = demo_plan
    first = demo_tasks()
    leads = set(Task.objects.filter(plan=plan).values_list("lead__code", flat=True))
    assert {"bhxh", "so-noi-vu", "so-y-te", "so-tai-chinh", "cong-an", "ubnd-xa"} <= leads
    assert first.tasks == Task.objects.filter(plan=plan).count() >= 30
    assert plan.targets.filter(unit__code="92", indicator="bhyt.coverage").get().milestones.last().value == Decimal("96.11")  # untouched
    # Every commune's People's Committee owes the plan's duties led by "UBND các xã, phường".
    assert TaskOccurrence.objects.filter(task__plan=plan, agency__code="ubnd-31135").exists()
    handed = TaskOccurrence.objects.filter(task__plan=plan, submitted_on__isnull=False)
    assert first.handed_in == handed.count() > 0 and not handed.filter(submitted_on__gt=TASKS_AS_OF).exists()
    rows = timeliness_by_agency(plan=plan, start=None, end=TASKS_AS_OF, today=TASKS_AS_OF, communes=True)
    assert len(rows) == 103 and 40 < sum(r.rate for r in rows) / len(rows) < 95
    again = demo_tasks()
    assert again == first  # a rerun changes nothing


def test_the_demo_history_is_the_same_every_time(demo_plan):
    plan = demo_plan
    demo_tasks()
    days = list(TaskOccurrence.objects.filter(task__plan=plan).order_by("pk").values_list("submitted_on", flat=True)[:50])
    assert any(isinstance(day, date) for day in days)
