"""/api/v1/plans: read a document, fetch the draft, save it reviewed — the same services as the pages."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.accounts.services import token_issue
from ansinh.targets.models import Plan
from tests.e2e.test_plans import PLAN_LINES


def _bearer(username: str) -> dict[str, str]:
    key, _ = token_issue(username=username, password="demo-password-123")
    return {"Authorization": f"Bearer {key}"}


def test_read_then_save_with_a_correction(client, db):
    headers = _bearer("tinh")
    upload = SimpleUploadedFile("ke-hoach-12.txt", "\n".join(PLAN_LINES).encode())
    read = client.post("/api/v1/plans/read", {"file": upload}, headers=headers)
    assert read.status_code == 200, read.content
    draft = read.json()
    assert draft["draft"]["number"] == "12/KH-UBND" and draft["status"] == "draft"
    assert [(t["indicator"], t["value"]) for t in draft["draft"]["targets"]] == [("bhyt.coverage", 96.5), ("bhxh.participation", 42.0)]
    review = {**draft["draft"], "targets": [{**draft["draft"]["targets"][0], "value": 96.6}]}
    saved = client.post(f"/api/v1/plans/drafts/{draft['id']}/save", review, content_type="application/json", headers=headers)
    assert saved.status_code == 200, saved.content
    assert (saved.json()["targets"], saved.json()["tasks_created"]) == (1, 3)
    plan = Plan.objects.get(pk=saved.json()["plan_id"])
    assert plan.targets.get(indicator="bhyt.coverage").milestones.get().value == Decimal("96.6")
    assert client.get(f"/api/v1/plans/drafts/{draft['id']}", headers=headers).json()["status"] == "saved"


def test_a_bad_review_lists_its_rows_and_saves_nothing(client, db):
    headers = _bearer("tinh")
    upload = SimpleUploadedFile("ke-hoach-12.txt", "\n".join(PLAN_LINES).encode())
    draft = client.post("/api/v1/plans/read", {"file": upload}, headers=headers).json()
    review = {**draft["draft"], "targets": [{**draft["draft"]["targets"][0], "value": "nhiều"}]}
    refused = client.post(f"/api/v1/plans/drafts/{draft['id']}/save", review, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["line"] == 1 and "không phải là số" in refused.json()["errors"][0]["message"]
    assert not Plan.objects.filter(number="12/KH-UBND").exists()
    other = client.get(f"/api/v1/plans/drafts/{draft['id']}", headers=_bearer("xa-31135"))
    assert other.status_code == 403
