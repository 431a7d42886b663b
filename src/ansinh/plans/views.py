"""Web pages of plan reading: upload a document, review the draft beside its text, save it as a plan.

Thin: the form fields are turned into the review dict (`form_review`) and handed to the services, which
check every row; a rejected save comes back on the same page with each bad row named.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ansinh.core.errors import ImportRejected, ValidationFailed
from ansinh.core.numbers import decimal_text
from ansinh.web.views import form_day, page
from ansinh.plans import services
from ansinh.plans.selectors import access_draft, draft_review, drafts_visible

TARGET_FIELDS = ("indicator", "value", "unit", "year", "deadline", "group", "text")
ASSIGNMENT_FIELDS = ("agency_code", "section", "text", "recurrence", "due_on", "due_day", "offset_months")


@require_http_methods(["GET", "POST"])
@page
def read(request: HttpRequest) -> HttpResponse:
    """Upload a plan document; the draft opens for review."""
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Hãy chọn tệp kế hoạch (.docx, .pdf hoặc .txt)."
        else:
            try:
                draft = services.plan_draft_read(actor=request.user, content=upload.read(), filename=upload.name)
                return redirect(reverse("plans:draft", args=[draft.pk]))
            except ValidationFailed as refused:
                error = refused.message
    return render(request, "plans/read.html", {"error": error, "drafts": drafts_visible(actor=request.user)[:20]})


@require_http_methods(["GET", "POST"])
@page
def draft(request: HttpRequest, draft_id: int) -> HttpResponse:
    """The review: header, targets and assignments beside the source text; keep or save as a plan."""
    chosen = access_draft(actor=request.user, draft_id=draft_id)
    errors, data = [], chosen.data
    if request.method == "POST":
        data = form_review(request.POST)
        try:
            if request.POST.get("action") == "save":
                saved = services.plan_draft_save(actor=request.user, draft=chosen, data=data)
                return redirect(reverse("tasks:plan", args=[saved.plan.pk]) + "?saved=1")
            services.plan_draft_update(actor=request.user, draft=chosen, data=data)
            return redirect(reverse("plans:draft", args=[chosen.pk]) + "?kept=1")
        except ImportRejected as rejected:
            errors = ["Bản nháp chưa lưu được; không có gì thay đổi. Hãy sửa:", *map(_row_message, rejected.errors)]
        except ValidationFailed as refused:
            errors = [refused.message]
    return render(request, "plans/draft.html", _review_context(chosen, data, errors, kept=bool(request.GET.get("kept"))))


def _row_message(row) -> str:
    return f"{row.field}, dòng {row.line}: {row.message}" if row.line else f"{row.field}: {row.message}"


def _review_context(chosen, data: dict, errors: list[str], kept: bool) -> dict:
    return {"draft": chosen, "data": data, "errors": errors, "kept": kept, **draft_review(draft=chosen, data=data)}


# --- the form back into the review dict ----------------------------------------------------------------


def form_review(post) -> dict:
    """The review form's fields (`t-<i>-<field>`, `a-<i>-<field>`, header fields) as the dict the services
    check. Numbers are read the Vietnamese way (3.095.954; 96,11); a cell that is not a number is passed
    on as written, so the service names it in its row error."""
    return {
        "number": post.get("number", ""), "title": post.get("title", ""), "issuer": post.get("issuer", ""),
        "issued_on": _day(post.get("issued_on", "")), "scope_code": post.get("scope_code", ""),
        "year": post.get("year") or None,
        "targets": [_target(post, i) for i in _indexes(post, "t")],
        "assignments": [_assignment(post, i) for i in _indexes(post, "a")],
    }


def _indexes(post, prefix: str) -> list[int]:
    found = {int(m.group(1)) for key in post for m in [re.match(rf"{prefix}-(\d+)-", key)] if m}
    return sorted(found)


def _target(post, i: int) -> dict:
    row = {name: post.get(f"t-{i}-{name}", "") for name in TARGET_FIELDS}
    return {
        **row, "include": post.get(f"t-{i}-include") == "on", "value": vn_number(row["value"]),
        "year": row["year"] or None, "deadline": _day(row["deadline"]), "group": row["group"] or None,
    }


def _assignment(post, i: int) -> dict:
    row = {name: post.get(f"a-{i}-{name}", "") for name in ASSIGNMENT_FIELDS}
    return {
        **row, "include": post.get(f"a-{i}-include") == "on", "supports": post.getlist(f"a-{i}-supports"),
        "due_on": _day(row["due_on"]), "due_day": row["due_day"] or None, "offset_months": row["offset_months"] or 0,
    }


def _day(text: str):
    """A dd/mm/yyyy cell as an ISO day; a bad one is passed on as written (the service names the row)."""
    try:
        day = form_day(text)
    except ValidationFailed:
        return text
    return day.isoformat() if day else None


def vn_number(text: str) -> str:
    """"3.095.954" → "3095954", "96,11" → "96.11", "1.234,5" → "1234.5"; anything else unchanged."""
    text = text.strip().replace(" ", "").rstrip("%")
    try:
        return decimal_text(text)
    except ValueError:
        return text
