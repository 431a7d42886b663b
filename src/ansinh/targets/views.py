"""The web pages: thin views that parse input, call selectors and services, and render.

Scope is always checked by the access selectors (`access_unit`, `access_plan`, `access_target`); domain
errors are turned into a friendly page (or, for htmx, a fragment) in one place: `ansinh.web.views.page`.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ansinh.units.selectors import access_unit, home_unit
from ansinh.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ansinh.core.numbers import parse_day, parse_int
from ansinh.units.models import OrgUnit
from ansinh.core.periods import Period
from ansinh.units.selectors import unit_ancestors
from ansinh.web.views import is_htmx, page
from ansinh.targets import attainment_rows, figures, selectors, services
from ansinh.targets.allocation import Method
from ansinh.targets.attainment import Status
from ansinh.targets.cache import remember
from ansinh.targets.charts import trend_figure_json
from ansinh.targets.exports import attainment_filename, attainment_xlsx
from ansinh.targets.indicators import INDICATORS, MEASURES, Kind, indicator_get
from ansinh.targets.models import Plan, Target
from ansinh.web.downloads import XLSX, download

METHOD_LABELS = {
    Method.PROPORTIONAL.value: _("Theo mẫu số (cùng tỷ lệ)"),
    Method.GAP.value: _("Theo khoảng cách còn thiếu"),
    Method.GROWTH.value: _("Tăng trưởng đều so với năm trước"),
}


# ------------------------------------------------------------------------------------------- dashboard


def _period(request: HttpRequest, unit: OrgUnit) -> Period:
    text = request.GET.get("period", "").strip()
    return Period.parse(text) if text else figures.default_period(unit=unit)


def _children_context(request: HttpRequest, unit: OrgUnit, period: Period) -> dict:
    """The children table: its rows, its filters, and its HTML rendered once per state of the figures.

    A hundred ranked rows take longer to render than everything else on the page, and every officer of
    the province sees the same table: the HTML is kept (`targets.cache`) under what decides it, the
    children the user may see, the period, the indicator and the status filter. It holds no per-user
    content (no CSRF token). The rows themselves come from the attainment cache.
    """
    indicator = selectors.indicator_or_default(request.GET.get("indicator"))
    status, query = request.GET.get("status", ""), request.GET.get("q", "")
    children = selectors.visible_children(actor=request.user, unit=unit)
    rows = attainment_rows.attainment_for_children(actor=request.user, unit=unit, period=period, indicator=indicator, children=children)
    context = {
        "unit": unit, "period": period, "indicator": indicator, "status": status, "q": query,
        "child_rows": attainment_rows.attainment_rows_filter(rows, status=status, query=query), "child_total": len(rows),
    }
    if query:  # a search as it is typed: a few rows, quick to render, and not worth a place in the cache
        html = render_to_string("targets/_children.html", context)
    else:
        parts = (unit.pk, tuple(c.pk for c in children), period.label, indicator.code, status, get_language())
        html = remember("children.html", parts, lambda: render_to_string("targets/_children.html", context))
    return {**context, "statuses": list(Status), "children_html": html}


def _dashboard(request: HttpRequest, unit: OrgUnit) -> HttpResponse:
    period = _period(request, unit)
    chart_indicator = selectors.indicator_or_default(request.GET.get("chart"))
    rows = attainment_rows.dashboard_rows(actor=request.user, unit=unit, period=period, chart=chart_indicator)
    picker = figures.period_picker(unit=unit, period=period)
    context = {
        "unit": unit,
        "ancestors": unit_ancestors(unit=unit),
        "period": period,
        "months": picker.months,
        "years": picker.years,
        "quarters": picker.quarters,
        "kpis": rows.kpis,
        "chart_indicator": chart_indicator,
        "chart_row": rows.chart,
        "chart_json": trend_figure_json(rows.chart),
        "indicators": list(INDICATORS.values()),
        **_children_context(request, unit, period),
    }
    return render(request, "targets/dashboard.html", context)


@require_GET
@page
def dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, home_unit(actor=request.user))


@require_GET
@page
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    return _dashboard(request, access_unit(actor=request.user, code=code))


@require_GET
@page
def unit_children(request: HttpRequest, code: str) -> HttpResponse:
    """The children table alone: what the htmx filters swap in."""
    unit = access_unit(actor=request.user, code=code)
    context = _children_context(request, unit, _period(request, unit))
    return render(request, "targets/_children_cached.html", context)


@require_GET
@page
def unit_export(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(actor=request.user, code=code)
    indicator = selectors.indicator_or_default(request.GET.get("indicator"))
    period = _period(request, unit)
    content = attainment_xlsx(actor=request.user, unit=unit, indicator=indicator, period=period)
    return download(content, attainment_filename(unit=unit, indicator=indicator, period=period), XLSX)


# ----------------------------------------------------------------------------------------------- plans


@require_GET
@page
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "targets/plans.html", {"plans": selectors.plans_visible(actor=request.user)})


def _allocation_context(request: HttpRequest, plan: Plan, parent: OrgUnit, indicator_code: str | None) -> dict:
    """The allocation editor: the parent's targets to choose from, and the children's persons for one of them."""
    choices = [indicator_get(t.indicator) for t in selectors.plan_unit_targets(plan=plan, unit=parent)]
    default = next((i for i in choices if i.kind is Kind.COUNT), choices[0] if choices else INDICATORS["bhyt.participants"])
    indicator = indicator_get(indicator_code) if indicator_code else default
    table = selectors.allocation_table(plan=plan, indicator=indicator, parent=parent)
    return {
        "plan": plan, "parent": parent, "choices": choices, "table": table, "indicator": indicator, "count": table.count,
        "final_due": table.due_dates[-1] if table.due_dates else None,
        "methods": METHOD_LABELS, "can_edit": request.user.can_edit,
    }


def _plan_parent(request: HttpRequest, plan: Plan) -> OrgUnit:
    """The unit whose children the editor splits among: the plan's scope, or the user's unit inside it."""
    home = home_unit(actor=request.user)
    default = plan.scope_unit if plan.scope_unit.is_within(home) else home
    return access_unit(actor=request.user, code=request.POST.get("unit") or request.GET.get("unit") or default.code)


@require_GET
@page
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.access_plan(actor=request.user, plan_id=plan_id)
    parent = _plan_parent(request, plan)
    context = {
        "scope_targets": [
            (indicator_get(t.indicator), t) for t in selectors.plan_unit_targets(plan=plan, unit=plan.scope_unit)
        ],
        **_allocation_context(request, plan, parent, request.GET.get("indicator")),
    }
    template = "targets/_allocation.html" if is_htmx(request) else "targets/plan_detail.html"
    return render(request, template, context)


def _after_edit(request: HttpRequest, plan: Plan, parent: OrgUnit, indicator_code: str) -> HttpResponse:
    """htmx gets the refreshed editor; a plain form post goes back to the plan page (post/redirect/get)."""
    if is_htmx(request):
        return render(request, "targets/_allocation.html", _allocation_context(request, plan, parent, indicator_code))
    url = reverse("targets:plan", args=[plan.pk])
    return redirect(f"{url}?unit={parent.code}&indicator={indicator_code}#allocation")


def _conflict_answer(request: HttpRequest, plan: Plan, parent: OrgUnit, indicator_code: str, error: Conflict) -> HttpResponse:
    """A save refused because a colleague saved first: the message above the editor as it is now (409)."""
    context = {**_allocation_context(request, plan, parent, indicator_code), "conflict": error.message}
    if is_htmx(request):
        return render(request, "targets/_allocation.html", context, status=error.status_code)
    scope_targets = [(indicator_get(t.indicator), t) for t in selectors.plan_unit_targets(plan=plan, unit=plan.scope_unit)]
    return render(request, "targets/plan_detail.html", {**context, "scope_targets": scope_targets}, status=error.status_code)


def _posted_version(request: HttpRequest, name: str = "version") -> int | None:
    """The version the editor was read at (hidden field); missing means no check (an old page or a script)."""
    text = request.POST.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationFailed(f"Phiên bản “{text}” không hợp lệ: hãy tải lại trang.")
    return int(text)


@require_POST
@page
def plan_allocate(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.access_plan(actor=request.user, plan_id=plan_id)
    parent = _plan_parent(request, plan)
    indicator = request.POST.get("indicator", "")
    try:
        services.target_allocate(
            actor=request.user, plan=plan, indicator=indicator, parent=parent, method=request.POST.get("method", ""),
            expected_stamp=request.POST.get("stamp") or None,
        )
    except Conflict as error:
        return _conflict_answer(request, plan, parent, indicator, error)
    return _after_edit(request, plan, parent, indicator)


def _plan_target(request: HttpRequest, plan: Plan, target_id: int) -> Target:
    target = selectors.access_target(actor=request.user, target_id=target_id)
    if target.plan_id != plan.pk:
        raise NotFound(f"Không có chỉ tiêu số {target_id} trong kế hoạch {plan.number}.")
    return target


@require_POST
@page
def target_override(request: HttpRequest, plan_id: int, target_id: int) -> HttpResponse:
    plan = selectors.access_plan(actor=request.user, plan_id=plan_id)
    target = _plan_target(request, plan, target_id)
    try:
        value = parse_int(request.POST.get("value", ""))
    except ValueError:
        value = -1
    if value < 0:
        raise ValidationFailed(f"“{request.POST.get('value', '')}” không phải số người (số nguyên không âm).")
    due_on = _due_on(request.POST.get("due_on", ""))
    parent, indicator = _plan_parent(request, plan), request.POST.get("indicator") or target.indicator
    try:
        services.target_override(
            actor=request.user, target=target, value=value, due_on=due_on, expected_version=_posted_version(request)
        )
    except Conflict as error:
        return _conflict_answer(request, plan, parent, indicator, error)
    return _after_edit(request, plan, parent, indicator)


def _due_on(text: str) -> date | None:
    """The milestone date posted by the editor (ISO), or None for every milestone."""
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        raise ValidationFailed(f"Ngày mốc “{text}” không hợp lệ.") from None


@require_POST
@page
def target_lock(request: HttpRequest, plan_id: int, target_id: int) -> HttpResponse:
    plan = selectors.access_plan(actor=request.user, plan_id=plan_id)
    target = _plan_target(request, plan, target_id)
    parent, indicator = _plan_parent(request, plan), request.POST.get("indicator") or target.indicator
    try:
        services.target_lock(
            actor=request.user, target=target, locked=request.POST.get("locked") == "1",
            expected_version=_posted_version(request),
        )
    except Conflict as error:
        return _conflict_answer(request, plan, parent, indicator, error)
    return _after_edit(request, plan, parent, indicator)


# ---------------------------------------------------------------------------------------------- import


@require_http_methods(["GET", "POST"])
@page
def actuals_import(request: HttpRequest) -> HttpResponse:
    """Upload monthly figures; a file with any bad row is rejected whole (see `ansinh.web.views.friendly_errors`).
    Only editors may import, so only they see the form."""
    if not request.user.can_edit:
        raise PermissionDenied("Tài khoản của bạn chỉ có quyền xem: không nhập số liệu được.")
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed("Hãy chọn một tệp .csv hoặc .xlsx để nhập.")
        result = services.actuals_import(
            actor=request.user, content=upload.read(), filename=upload.name, dry_run=request.POST.get("dry_run") == "1"
        )
        if is_htmx(request):
            return render(request, "targets/_import_result.html", {"result": result, "filename": upload.name})
    context = {"result": result, "measures": list(MEASURES.values()), "filename": getattr(request.FILES.get("file"), "name", "")}
    return render(request, "targets/import.html", context)
