"""One reporting day: the demo plan 53/KH-UBND (issued 27/08/2025) judged as of its figures' last day,
31/10/2025 (ten months of actuals), not the machine's clock; the same statuses on every door."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from typer.testing import CliRunner

from ansinh import cli, console
from ansinh.accounts.services import token_issue
from ansinh.core.periods import Period
from ansinh.demo.services import demo_tasks
from ansinh.targets.figures import reporting_day
from ansinh.tasks.models import TaskOccurrence
from ansinh.tasks.selectors import as_of, duties

ISSUED = date(2025, 8, 27)
FIGURES_END = date(2025, 10, 31)


@pytest.fixture
def demo_duties(demo_plan):
    demo_tasks()
    return demo_plan


def test_the_reporting_day_is_the_end_of_the_selected_period_or_of_the_last_month_with_data(commune_editor):
    assert reporting_day() == FIGURES_END
    assert as_of(actor=commune_editor) == FIGURES_END  # the commune's figures stop on the same month
    assert reporting_day(period=Period.parse("2025-Q3")) == date(2025, 9, 30)
    assert as_of(actor=commune_editor, period="2025-09") == date(2025, 9, 30)
    assert as_of(actor=commune_editor, period="2025-09", today=date(2025, 7, 1)) == date(2025, 7, 1)  # a day asked for wins


def test_no_occurrence_falls_due_before_the_plans_date(demo_duties):
    found = TaskOccurrence.objects.filter(task__plan=demo_duties)
    assert found.exists() and not found.filter(due_on__lt=ISSUED).exists()
    assert found.filter(due_on__gt=FIGURES_END).exists()  # the plan runs on past its figures


def test_as_of_the_figures_nothing_is_overdue_longer_than_the_plan_has_run(demo_duties, admin_user):
    rows = duties(actor=admin_user, today=as_of(actor=admin_user), plan=demo_duties)
    missing = [row for row in rows if row.status == "missing"]
    assert missing and max(row.days_overdue for row in missing) <= (FIGURES_END - ISSUED).days  # 65, not 665
    assert all(row.days_overdue == (FIGURES_END - row.occurrence.due_on).days for row in missing)
    later = [row for row in rows if row.occurrence.due_on > FIGURES_END]
    assert later and {row.status for row in later if row.occurrence.submitted_on is None} == {"pending"}
    assert not [row for row in rows if row.status == "pending" and row.occurrence.due_on < FIGURES_END]


def test_the_page_the_api_and_the_cli_give_the_same_statuses(demo_duties, editor_client, client, monkeypatch):
    page = editor_client.get("/tasks/all/", {"plan": demo_duties.pk}).content.decode()
    assert "Số liệu đến ngày 31/10/2025" in page
    on_page = {int(pk): status for pk, status in re.findall(r'id="duty-(\d+)" class="[^"]*" data-status="(\w+)"', page)}

    key, _ = token_issue(username="xa-31135", password="demo-password-123")
    answer = client.get("/api/v1/tasks/occurrences", {"plan_id": demo_duties.pk}, headers={"Authorization": f"Bearer {key}"})
    by_api = {row["id"]: row["status"] for row in answer.json()}

    monkeypatch.setattr(console.out, "_width", 300)
    listed = CliRunner().invoke(cli.app, ["tasks", "list", "--plan", "53/KH-UBND", "--json", "--as", "xa-31135"])
    assert listed.exit_code == 0, listed.output
    by_cli = {row["id"]: row["status"] for row in json.loads(listed.stdout)}
    assert "Số liệu đến ngày 31/10/2025" in listed.stderr

    assert on_page and on_page == by_api == by_cli
    assert {"on_time", "pending"} <= set(by_api.values())  # both sides of the reporting day


def test_a_period_asked_for_moves_the_reporting_day(demo_duties, editor_client):
    page = editor_client.get("/tasks/all/", {"plan": demo_duties.pk, "period": "2025-09"}).content.decode()
    assert "Số liệu đến ngày 30/09/2025" in page
    assert not re.search(r"quá hạn (\d{3,}) ngày", page)
