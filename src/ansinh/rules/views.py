"""The page "Tham số pháp lý": the province administrator sees every rule in force on a chosen day."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ansinh.core.errors import PermissionDenied
from ansinh.rules.selectors import rules_on
from ansinh.web.views import form_day, page


@page
def params(request: HttpRequest) -> HttpResponse:
    """The rules on a day (today unless the date picker says otherwise), with values, dates and basis."""
    if not request.user.is_province_admin:
        raise PermissionDenied("Trang tham số pháp lý dành cho quản trị cấp tỉnh.")
    day = form_day(request.GET.get("on", "")) or timezone.localdate()
    return render(request, "rules/params.html", {"day": day, "rows": rules_on(day)})
