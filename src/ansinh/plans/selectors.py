"""Reading drafts: who may see which (a draft is the work of the officer who read the document)."""

from __future__ import annotations

from django.db.models import QuerySet

from ansinh.accounts.models import User
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.plans.models import PlanDraft


def drafts_visible(*, actor: User) -> QuerySet[PlanDraft]:
    """The officer's own drafts; all of them for the province's administrators."""
    if actor.is_province_admin:
        return PlanDraft.objects.select_related("plan", "created_by")
    return PlanDraft.objects.filter(created_by=actor).select_related("plan", "created_by")


def access_draft(*, actor: User, draft_id: int) -> PlanDraft:
    draft = PlanDraft.objects.filter(pk=draft_id).first()
    if draft is None:
        raise NotFound(f"Không có bản nháp số {draft_id}.")
    if not drafts_visible(actor=actor).filter(pk=draft.pk).exists():
        raise PermissionDenied("Bản nháp này do người khác tạo.")
    return draft
