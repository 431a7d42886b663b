"""Reading drafts: who may see which (a draft is the work of the officer who read the document), and what
the review shows beside one."""

from __future__ import annotations

from django.db.models import QuerySet

from ansinh.accounts.models import User
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.units.models import OrgUnit
from ansinh.core.text import fold
from ansinh.plans.models import PlanDraft
from ansinh.targets.indicators import INDICATORS
from ansinh.tasks.models import Agency, Task


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


def draft_review(*, draft: PlanDraft, data: dict) -> dict:
    """What the review shows beside a draft's rows (`data`, the reader's JSON or the form as posted): the
    source lines, each row with the line its text begins on, and the choices the review's selects offer
    (indicators, including codes only the draft uses; agencies; recurrences; provinces in force)."""
    lines = draft.source_text.splitlines()
    return {
        "lines": lines,
        "targets": [{**row, "line": source_line(lines, row.get("text", ""))} for row in data.get("targets", [])],
        "assignments": [{**row, "line": source_line(lines, row.get("text", ""))} for row in data.get("assignments", [])],
        "indicators": sorted({*INDICATORS, *(row.get("indicator", "") for row in data.get("targets", []))} - {""}),
        "indicator_labels": {code: ind.label for code, ind in INDICATORS.items()},
        "agencies": Agency.objects.exclude(kind="commune").order_by("name"),
        "recurrences": Task.Recurrence.choices,
        "provinces": OrgUnit.objects.current().filter(kind=OrgUnit.Kind.PROVINCE).order_by("name"),
    }


def source_line(lines: list[str], text: str) -> int | None:
    """The 1-based line of the source where a row's text begins, so the review links each row to it.
    Compared folded (no accents, one space), on the text's first words: the reader may have joined lines."""
    words = fold(text).split()[:8]
    if not words:
        return None
    needle = " ".join(words[:4])
    for number, line in enumerate(lines, start=1):
        if needle in " ".join(fold(line).split()):
            return number
    return None
