"""/api/v1/plans: read a plan document into a draft, see it, save it reviewed as a plan.

Thin: the same services as the upload and review pages. Errors are answered in one place, ansinh.api.
"""

# No `from __future__ import annotations`: django-ninja reads the route signatures at runtime.
from django.http import HttpRequest
from ninja import Body, File, Router, Schema
from ninja.files import UploadedFile

from ansinh.plans import services
from ansinh.plans.selectors import access_draft

router = Router(tags=["plans"])


class DraftOut(Schema):
    id: int
    file_name: str
    status: str
    plan_id: int | None
    draft: dict  # the reader's JSON as reviewed: number, issued_on, issuer, scope_code, year, targets, assignments


class SavedOut(Schema):
    plan_id: int
    number: str
    targets: int
    tasks_created: int
    tasks_kept: int


def draft_out(draft) -> DraftOut:
    return DraftOut(id=draft.pk, file_name=draft.file_name, status=draft.status, plan_id=draft.plan_id, draft=draft.data)


@router.post("/read", response=DraftOut, summary="Đọc văn bản kế hoạch (.docx, .pdf, .txt) thành bản nháp")
def read(request: HttpRequest, file: File[UploadedFile]):
    return draft_out(services.plan_draft_read(actor=request.auth, content=file.read(), filename=file.name))


@router.get("/drafts/{draft_id}", response=DraftOut, summary="Một bản nháp")
def draft(request: HttpRequest, draft_id: int):
    return draft_out(access_draft(actor=request.auth, draft_id=draft_id))


@router.post("/drafts/{draft_id}/save", response=SavedOut, summary="Lưu bản nháp (đã xem lại) thành kế hoạch")
def save(request: HttpRequest, draft_id: int, review: Body[dict]):
    chosen = access_draft(actor=request.auth, draft_id=draft_id)
    saved = services.plan_draft_save(actor=request.auth, draft=chosen, data=review or None)
    return SavedOut(plan_id=saved.plan.pk, number=saved.plan.number, targets=saved.targets, tasks_created=saved.tasks_created,
                    tasks_kept=saved.tasks_kept)
