"""The auditor's page: search the audit log (read only: nothing in the app edits or deletes it)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ansinh.accounts.selectors import audit_search
from ansinh.core.views import form_day, page

PER_PAGE = 100
FILTERS = ("action", "username", "obj", "since", "until")


@require_GET
@page
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who did what, when: logins, failed logins, imports, edits, status changes, views and exports of
    personal data — filtered by action, user, object and days."""
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    found = audit_search(
        actor=request.user, action=filters["action"], username=filters["username"], obj=filters["obj"],
        since=form_day(filters["since"]), until=form_day(filters["until"]),
    )
    chosen = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "accounts/audit.html", {"events": chosen, "filters": filters, "query": query})
