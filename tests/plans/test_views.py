"""The reader's pages with Django's test client: upload, review, keep, save; bad input answered on the page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.plans.models import PlanDraft
from ansinh.plans.selectors import source_line
from ansinh.plans.views import form_review, vn_number
from ansinh.targets.models import Plan
from tests.e2e.test_plans import PLAN_LINES

PLAN_TEXT = "\n".join(PLAN_LINES).encode()


def _upload(client, content=PLAN_TEXT, name="ke-hoach-12.txt"):
    return client.post("/plans/read/", {"file": SimpleUploadedFile(name, content)})


def _fields(draft: PlanDraft, **changes) -> dict:
    """The review form as the page would send it back, with `changes` (field name → value)."""
    data = draft.data
    fields = {"number": data["number"], "issued_on": "15/01/2026", "year": str(data["year"]), "scope_code": data["scope_code"],
              "issuer": data["issuer"], "title": data["title"]}
    for i, row in enumerate(data["targets"]):
        fields.update({f"t-{i}-include": "on", f"t-{i}-indicator": row["indicator"], f"t-{i}-value": str(row["value"]).replace(".", ","),
                       f"t-{i}-unit": row["unit"], f"t-{i}-year": str(row["year"]), f"t-{i}-text": row["text"]})
    for i, row in enumerate(data["assignments"]):
        fields.update({f"a-{i}-include": "on", f"a-{i}-agency_code": row["agency_code"], f"a-{i}-section": row["section"],
                       f"a-{i}-text": row["text"], f"a-{i}-recurrence": row["recurrence"], f"a-{i}-due_on": "",
                       f"a-{i}-due_day": str(row["due_day"] or ""), f"a-{i}-offset_months": str(row["offset_months"])})
        if row["due_on"]:
            fields[f"a-{i}-due_on"] = "/".join(reversed(row["due_on"].split("-")))
    return {**fields, **changes}


def test_upload_opens_the_review_beside_the_source(admin_client):
    response = _upload(admin_client)
    draft = PlanDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/drafts/{draft.pk}/"
    page = admin_client.get(response["Location"]).content.decode()
    assert 'value="12/KH-UBND"' in page and 'value="96,5"' in page and 'id="L7"' in page
    assert 'href="#L7"' in page  # the coverage target links to its line


def test_saving_with_a_bad_value_names_the_row_and_saves_nothing(admin_client):
    _upload(admin_client)
    draft = PlanDraft.objects.get()
    response = admin_client.post(f"/plans/drafts/{draft.pk}/", _fields(draft, **{"t-0-value": "196,5", "action": "save"}))
    page = response.content.decode()
    assert response.status_code == 200 and "từ 0 đến 100" in page and "dòng 1" in page
    assert 'value="196,5"' in page  # what the officer typed stays in the form
    assert not Plan.objects.filter(number="12/KH-UBND").exists()


def test_saving_makes_the_plan_and_goes_to_its_tasks(admin_client):
    _upload(admin_client)
    draft = PlanDraft.objects.get()
    response = admin_client.post(f"/plans/drafts/{draft.pk}/", _fields(draft, action="save"))
    plan = Plan.objects.get(number="12/KH-UBND")
    assert response.status_code == 302 and response["Location"] == f"/tasks/plans/{plan.pk}/?saved=1"
    assert plan.tasks.count() == 3 and plan.targets.count() == 2


def test_a_file_that_is_not_a_plan_is_answered_on_the_page(admin_client):
    response = _upload(admin_client, b"\x00\x01PK garbage", "ke-hoach.docx")
    assert response.status_code == 200 and 'id="read-error"' in response.content.decode()
    assert not PlanDraft.objects.exists()


def test_a_viewer_cannot_read_plans(client, province):
    from ansinh.accounts.models import User

    viewer = User.objects.create_user("xem", password="x-password-123", org_unit=province, role="viewer")
    client.force_login(viewer)
    response = _upload(client)
    assert "chỉ có quyền xem" in response.content.decode() and not PlanDraft.objects.exists()


def test_another_officers_draft_is_refused(admin_client, editor_client, admin_user):
    draft = PlanDraft.objects.create(file_name="x.txt", source_text="x", data={"targets": [], "assignments": []}, created_by=admin_user)
    assert editor_client.get(f"/plans/drafts/{draft.pk}/").status_code == 403


def test_numbers_and_lines_as_officers_write_them():
    assert [vn_number(t) for t in ("3.095.954", "96,11", "1.234,5", "96,11%", "42", "chín")] == [
        "3095954", "96.11", "1234.5", "96.11", "42", "chín",
    ]
    assert source_line(["a", "1. Ty le bao phu BHYT dat 96,5% dan so."], "Tỷ lệ bao phủ BHYT đạt 96,5% dân số.") == 2
    from django.http import QueryDict

    post = QueryDict(mutable=True)
    post.update({"t-0-value": "3.095.954", "t-0-include": "on", "t-1-value": "x", "a-0-text": "y", "issued_on": "31/02/2026"})
    review = form_review(post)
    assert review["targets"][0]["value"] == "3095954" and review["targets"][0]["include"] and not review["targets"][1]["include"]
    assert review["issued_on"] == "31/02/2026"  # passed on as written: the service names it
