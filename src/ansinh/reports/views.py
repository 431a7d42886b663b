"""The reports page: choose a plan, a period (and a unit), make the report, and find every report made.

Thin views: input is parsed here, the work is `services.report_make`; scope is checked by the access
selectors and domain errors become a friendly page or fragment in `ansinh.web.views.page`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ansinh.units.selectors import access_unit
from ansinh.core.errors import ValidationFailed
from ansinh.core.periods import Period
from ansinh.web.views import is_htmx, page
from ansinh.reports import selectors, services
from ansinh.targets.models import Plan
from ansinh.targets.selectors import access_plan, plans_visible
from ansinh.web.downloads import download

HISTORY_SHOWN = 100


def _plan(request: HttpRequest, plans: list[Plan]) -> Plan | None:
    """The plan asked for (checked), else the newest the user may read."""
    chosen = request.POST.get("plan") or request.GET.get("plan")
    if chosen:
        if not chosen.isdigit():
            raise ValidationFailed(f"Kế hoạch “{chosen}” không hợp lệ.")
        return access_plan(actor=request.user, plan_id=int(chosen))
    return plans[0] if plans else None


def _context(request: HttpRequest, made=None) -> dict:
    plans = plans_visible(actor=request.user)
    plan = _plan(request, plans)
    context = {"plans": plans, "plan": plan, "made": made, "can_make": request.user.can_edit}
    if plan is None:
        return {**context, "units": [], "periods": [], "reports": []}
    unit = selectors.report_unit(actor=request.user, plan=plan, code=None)
    context.update({
        "units": selectors.report_units(actor=request.user, plan=plan),
        "unit": unit,
        "periods": selectors.period_choices(unit=unit, year=plan.year),
        "period": selectors.default_report_period(unit=unit, year=plan.year),
        "reports": selectors.reports_visible(actor=request.user, plan=plan)[:HISTORY_SHOWN],
    })
    return context


@require_GET
@page
def report_list(request: HttpRequest) -> HttpResponse:
    made = None
    if request.GET.get("made", "").isdigit():
        made = selectors.access_report(actor=request.user, report_id=int(request.GET["made"]))
    return render(request, "reports/list.html", _context(request, made))


@require_POST
@page
def report_make(request: HttpRequest) -> HttpResponse:
    """Make a report; htmx gets the message and (out of band) the history with the new report on top, a
    plain form a redirect. An error goes under the form and leaves the history as it was."""
    plans = plans_visible(actor=request.user)
    plan = _plan(request, plans)
    if plan is None:
        raise ValidationFailed("Chưa có kế hoạch nào để lập báo cáo.")
    code = request.POST.get("unit", "").strip()
    unit = access_unit(actor=request.user, code=code) if code else None
    period = Period.parse(request.POST.get("period", ""))
    report = services.report_make(actor=request.user, plan=plan, period=period, unit=unit,
                                  number=request.POST.get("number", ""),
                                  signer_title=request.POST.get("signer_title", ""),
                                  signer_name=request.POST.get("signer_name", ""))
    if is_htmx(request):
        return render(request, "reports/_make_response.html", _context(request, made=report))
    return redirect(f"{reverse('reports:list')}?plan={plan.pk}&made={report.pk}")


@require_GET
@page
def report_download(request: HttpRequest, report_id: int, which: str) -> HttpResponse:
    file = services.report_file(actor=request.user, report_id=report_id, which=which)
    return download(file.content, file.name, file.content_type)
