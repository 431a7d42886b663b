"""/api/v1/tasks on Cần Thơ's plan 53/KH-UBND: the same selectors and services as the pages."""

from __future__ import annotations

from datetime import date

from ansinh.accounts.services import token_issue


def _bearer(username: str) -> dict[str, str]:
    key, _ = token_issue(username=username, password="demo-password-123")
    return {"Authorization": f"Bearer {key}"}


def test_a_plans_tasks_and_the_open_list(client, plan, tax_list_task, commune_report_task):
    tasks = client.get(f"/api/v1/tasks/plans/{plan.pk}", headers=_bearer("tinh")).json()
    assert [(t["lead"], t["recurrence"], t["due_day"], t["due_offset_months"]) for t in tasks] == [
        ("thue", "monthly", 5, 1), ("ubnd-xa", "quarterly", 15, 3),
    ]
    mine = client.get("/api/v1/tasks/open", {"today": "2025-07-01"}, headers=_bearer("xa-31135")).json()
    assert [(d["agency"], d["due_on"], d["status"]) for d in mine] == [
        ("ubnd-31135", "2025-04-15", "missing"), ("ubnd-31135", "2025-07-15", "pending"),
    ]


def test_handing_in_and_the_timeliness_it_moves(client, plan, commune_report_task):
    headers = _bearer("xa-31135")
    first = client.get("/api/v1/tasks/occurrences", {"plan_id": plan.pk}, headers=headers).json()[0]
    done = client.post(f"/api/v1/tasks/occurrences/{first['id']}/submit", {"note": "Quý I: 96,2%"}, headers=headers)
    assert done.status_code == 200 and done.json()["submitted_on"] == date.today().isoformat()
    rows = client.get(f"/api/v1/tasks/plans/{plan.pk}/timeliness", {"communes": True, "today": "2026-02-01"}, headers=_bearer("tinh")).json()
    ninh_kieu = next(r for r in rows if r["agency_code"] == "ubnd-31135")
    assert (ninh_kieu["due"], ninh_kieu["late"] + ninh_kieu["on_time"], ninh_kieu["missing"]) == (4, 1, 3)


def test_another_agencys_occurrence_is_refused(client, tax_list_task):
    occurrence = tax_list_task.occurrences.first()
    response = client.post(f"/api/v1/tasks/occurrences/{occurrence.pk}/submit", {"note": "x"}, headers=_bearer("xa-31135"))
    assert response.status_code == 403 and "không thuộc cơ quan" in response.json()["detail"]
    empty = client.post(f"/api/v1/tasks/occurrences/{occurrence.pk}/submit", {"note": ""}, headers=_bearer("tinh"))
    assert empty.status_code == 422
