"""Web pages of the employer work: the arrears dashboard, a commune's worklist, one unit's page.

Thin: the views parse the filters, call the employer selectors and services (scope, rules and figures live
there) and render. Domain errors are answered by `ansinh.web.views.page`, as on every page; the one
exception is a refused status change sent by htmx, which comes back inside its own row so the table stays
whole (a plain form post gets the error page).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode

import plotly.graph_objects as go
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ansinh.units.selectors import access_unit, home_unit
from ansinh.core.errors import AnSinhError, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.units.selectors import unit_ancestors
from ansinh.web.views import form_day, form_whole, is_htmx, page
from ansinh.employers import selectors, services, storage
from ansinh.employers.models import WorkItem
from ansinh.web.downloads import DOCX, XLSX, download

PAGE_SIZES = (25, 50, 100, 200)

#: How the communes table of the dashboard can be ordered: key → (row key, largest first).
SORTS = {
    "rate": (lambda r: (r.rate is None, -(r.rate or 0), r.commune.code)),
    "unpaid": (lambda r: (-r.unpaid, r.commune.code)),
    "units": (lambda r: (-r.units_owing, r.commune.code)),
    "code": (lambda r: r.commune.code),
}

SORT_LABELS = {
    "rate": gettext_lazy("tỷ lệ nợ"), "unpaid": gettext_lazy("số còn nợ"), "units": gettext_lazy("số đơn vị nợ"),
    "code": gettext_lazy("mã xã"),
}

# Words for the codes the datasets and the reconciliation store (schema.py, reconcile.py).
SOURCE_LABELS = {"tax": gettext_lazy("Thuế"), "zones": gettext_lazy("Ban quản lý KKT, KCN"), "unions": gettext_lazy("Công đoàn")}
TAX_STATUS_LABELS = {
    "active": gettext_lazy("Đang hoạt động"), "suspended": gettext_lazy("Tạm ngừng kinh doanh"),
    "dissolved": gettext_lazy("Đã giải thể, ngừng hoạt động"), "bankrupt": gettext_lazy("Phá sản"),
}
CHANGE_LABELS = {
    "registered": gettext_lazy("Đăng ký mới"), "suspended": gettext_lazy("Tạm ngừng kinh doanh"),
    "dissolved": gettext_lazy("Giải thể"), "bankrupt": gettext_lazy("Phá sản"), "resumed": gettext_lazy("Hoạt động trở lại"),
}
UNIT_STATUS_LABELS = {
    "active": gettext_lazy("Đang hoạt động"), "suspended": gettext_lazy("Tạm dừng đóng"), "closed": gettext_lazy("Đã đóng mã đơn vị"),
}
METHOD_LABELS = {
    "fuzzy": gettext_lazy("tên gần giống"), "name_commune": gettext_lazy("trùng tên, cùng xã"),
    "name_province": gettext_lazy("trùng tên, khác xã"), "code": gettext_lazy("trùng mã số thuế"),
    "branch": gettext_lazy("chi nhánh"), "confirmed": gettext_lazy("đã xác nhận"),
}


# ------------------------------------------------------------------------------------------- input


def _as_of(request: HttpRequest) -> date:
    return form_day(request.GET.get("as_of", "")) or selectors.default_as_of()


# ------------------------------------------------------------------------------------- the dashboard


def trend_figure_json(points: list, national_rate) -> str:
    """Arrears month by month (bars, đồng) and the arrears rate against the national rate (lines, %)."""
    days = [p.month_end.isoformat() for p in points]
    figure = go.Figure()
    figure.add_trace(go.Bar(
        x=days, y=[p.unpaid for p in points], name=_("Số nợ (đồng)"), marker={"color": "#93c5fd"},
        hovertemplate="%{x|%d/%m/%Y}: %{y:,.0f} đồng<extra></extra>",
    ))
    figure.add_trace(go.Scatter(
        x=days, y=[None if p.rate is None else float(p.rate) for p in points], name=_("Tỷ lệ nợ"), yaxis="y2",
        mode="lines+markers", line={"color": "#b91c1c", "width": 3}, hovertemplate="%{y:,.2f}%<extra></extra>",
    ))
    if national_rate is not None and days:
        figure.add_trace(go.Scatter(
            x=[days[0], days[-1]], y=[float(national_rate)] * 2, name=_("Tỷ lệ nợ toàn quốc"), yaxis="y2",
            mode="lines", line={"color": "#6b7280", "dash": "dash"}, hovertemplate="%{y:,.2f}%<extra></extra>",
        ))
    figure.update_layout(
        separators=",.",  # Vietnamese: comma for decimals, dot for thousands
        height=340, margin={"l": 80, "r": 60, "t": 10, "b": 40},
        legend={"orientation": "h", "y": -0.18}, plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
        xaxis={"tickformat": "%m/%Y", "gridcolor": "#e5e7eb"},
        yaxis={"tickformat": ",d", "gridcolor": "#e5e7eb", "rangemode": "tozero"},
        yaxis2={"overlaying": "y", "side": "right", "ticksuffix": "%", "tickformat": ",.1f", "rangemode": "tozero", "showgrid": False},
    )
    return figure.to_json()


@require_GET
@page
def home(request: HttpRequest) -> HttpResponse:
    """The user's own unit's dashboard."""
    return redirect("employers:overview", home_unit(actor=request.user).code)


@require_GET
@page
def overview(request: HttpRequest, code: str) -> HttpResponse:
    """Arrears of a province or commune on a day: KPIs, the trend, every commune, the largest owers."""
    unit = access_unit(actor=request.user, code=code)
    as_of = _as_of(request)
    result = selectors.arrears_overview(actor=request.user, unit=unit, as_of=as_of)
    names = {row.commune.code: row.commune.name for row in result.rows}
    sort = request.GET.get("sort", "") if request.GET.get("sort", "") in SORTS else "rate"
    context = {
        "unit": unit,
        "ancestors": unit_ancestors(unit=unit),
        "overview": result,
        "total": result.total,
        "rows": sorted(result.rows, key=SORTS[sort]),
        "sort": sort,
        "as_of": result.as_of,
        "as_of_query": urlencode({"as_of": result.as_of.isoformat()}),
        "has_ledger": storage.dataset_exists("ledger"),
        "chart_json": trend_figure_json(result.trend, result.national_rate),
        "top": [(owing, names.get(owing.commune_code, owing.commune_code)) for owing in result.top],
        "sort_choices": SORT_LABELS.items(),
        "is_commune": unit.kind == OrgUnit.Kind.COMMUNE,
        "paperwork": paperwork_defaults(result.as_of),
        "can_send_letters": request.user.can_edit and unit.kind == OrgUnit.Kind.PROVINCE,
    }
    return render(request, "employers/overview.html", context)


# -------------------------------------------------------------------------------------- the worklist


@dataclass(frozen=True)
class Filters:
    """What the worklist form, its tabs and its page links carry."""

    kind: str = ""
    status: str = ""
    q: str = ""
    closed: bool = False
    page: int = 1
    per_page: int = selectors.PER_PAGE

    def query(self, **changes: object) -> str:
        """These filters (with `changes`) as a query string; defaults are left out."""
        chosen = replace(self, **changes)
        values = {
            "kind": chosen.kind, "status": chosen.status, "q": chosen.q, "closed": "1" if chosen.closed else "",
            "per_page": chosen.per_page if chosen.per_page != Filters.per_page else "",
            "page": chosen.page if chosen.page > 1 else "",
        }
        return urlencode({key: value for key, value in values.items() if value != ""})


def _filters(request: HttpRequest) -> Filters:
    get = request.GET
    kind, status = get.get("kind", "").strip(), get.get("status", "").strip()
    if kind and kind not in WorkItem.Kind.values:
        raise ValidationFailed(f"Không có loại việc “{kind}”; chọn: {', '.join(WorkItem.Kind.values)}.")
    if status and status not in WorkItem.Status.values:
        raise ValidationFailed(f"Trạng thái “{status}” không hợp lệ; dùng: {', '.join(WorkItem.Status.values)}.")
    return Filters(
        kind=kind, status=status, q=get.get("q", "").strip(), closed=get.get("closed", "") == "1",
        page=form_whole(get.get("page", ""), 1, "Trang"),
        per_page=form_whole(get.get("per_page", ""), Filters.per_page, "Số dòng mỗi trang"),
    )


@dataclass(frozen=True)
class Row:
    """One item as its row shows it: the words for its finding's codes, where it may move next, and the
    answer just given or the refusal just met, if any."""

    item: WorkItem
    moves: list[tuple[str, str]]
    sources: list[str]
    source: str = ""
    tax_status: str = ""
    change: str = ""
    changed_on: date | None = None
    method: str = ""
    error: AnSinhError | None = None
    decision: str = ""


def _row(item: WorkItem, *, error: AnSinhError | None = None, decision: str = "") -> Row:
    allowed = services.TRANSITIONS.get(WorkItem.Status(item.status), set())
    detail = item.detail or {}
    return Row(
        item=item,
        moves=[(status.value, status.label) for status in WorkItem.Status if status in allowed],
        sources=[str(SOURCE_LABELS.get(code, code)) for code in detail.get("sources", [])]
        + [str(SOURCE_LABELS.get(code, code)) for code in detail.get("by_source", {})],
        source=str(SOURCE_LABELS.get(detail.get("source", ""), detail.get("source", ""))),
        tax_status=str(TAX_STATUS_LABELS.get(detail.get("tax_status", ""), detail.get("tax_status", ""))),
        change=str(CHANGE_LABELS.get(detail.get("change", ""), detail.get("change", ""))),
        changed_on=date.fromisoformat(detail["changed_on"]) if detail.get("changed_on") else None,
        method=str(METHOD_LABELS.get(detail.get("method", ""), detail.get("method", ""))),
        error=error,
        decision=decision,
    )


def _worklist_context(request: HttpRequest, code: str) -> dict:
    unit = access_unit(actor=request.user, code=code)
    filters = _filters(request)
    summary = selectors.work_item_summary(actor=request.user, commune=unit)
    counts = {kind: sum(by_status.values()) for kind, by_status in summary.items()}
    if not filters.kind:  # the first kind with something to do
        first = next((kind for kind in WorkItem.Kind.values if counts.get(kind)), WorkItem.Kind.UNREGISTERED.value)
        filters = replace(filters, kind=first)
    items = selectors.work_items(
        actor=request.user, commune=unit, kind=filters.kind, status=filters.status or None,
        include_closed=filters.closed, query=filters.q,
    )
    result = selectors.work_items_page(items=items, page=filters.page, per_page=filters.per_page)
    here = f"{reverse('employers:worklist', args=[unit.code])}?{filters.query(page=result.number)}"
    return {
        "unit": unit,
        "filters": filters,
        "tabs": [(kind.value, kind.label, counts.get(kind.value, 0)) for kind in WorkItem.Kind],
        "open_total": sum(counts.values()),
        "statuses": list(WorkItem.Status),
        "result": result,
        "rows": [_row(item) for item in result.object_list],
        "kind_label": WorkItem.Kind(filters.kind).label,
        "can_edit": request.user.can_edit,
        "show_commune": unit.kind != OrgUnit.Kind.COMMUNE,
        "here": here,
        "query": filters.query(page=1),
        "prev_query": filters.query(page=result.number - 1),
        "next_query": filters.query(page=result.number + 1),
    }


@require_GET
@page
def worklist(request: HttpRequest, code: str) -> HttpResponse:
    """The page: tabs per kind of finding with their counts, the filters, one page of items."""
    context = _worklist_context(request, code)
    context.update(ancestors=unit_ancestors(unit=context["unit"]), page_sizes=PAGE_SIZES)
    return render(request, "employers/worklist.html", context)


@require_GET
@page
def worklist_table(request: HttpRequest, code: str) -> HttpResponse:
    """The table alone, what htmx swaps in; the address bar follows the filters (reload and back work)."""
    context = _worklist_context(request, code)
    response = render(request, "employers/_worklist_table.html", context)
    response["HX-Push-Url"] = context["here"]
    return response


def _back(request: HttpRequest, item: WorkItem) -> HttpResponse:
    """Without JavaScript: back to the worklist the form was on (post/redirect/get)."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = f"{reverse('employers:worklist', args=[item.commune.code])}?{urlencode({'kind': item.kind})}"
    return redirect(f"{target}#item-{item.pk}")


def _row_response(request: HttpRequest, row: Row, status: int = 200) -> HttpResponse:
    context = {"row": row, "can_edit": request.user.can_edit, "show_commune": request.POST.get("show_commune") == "1",
               "here": request.POST.get("next", "")}
    return render(request, "employers/_item_row.html", context, status=status)


@require_POST
@page
def item_status(request: HttpRequest, item_id: int) -> HttpResponse:
    """Move an item to another status with a note; htmx gets the row back, a plain form the worklist."""
    item = selectors.access_work_item(actor=request.user, item_id=item_id)
    try:
        item = services.work_item_set_status(
            actor=request.user, item_id=item.pk, status=request.POST.get("status", ""), note=request.POST.get("note", "")
        )
    except AnSinhError as error:
        if not is_htmx(request):
            raise
        item.refresh_from_db()
        return _row_response(request, _row(item, error=error), status=error.status_code)
    return _row_response(request, _row(item)) if is_htmx(request) else _back(request, item)


@require_POST
@page
def item_match(request: HttpRequest, item_id: int) -> HttpResponse:
    """An officer's answer to an uncertain pair: "this is the unit" or "it is not"."""
    item = selectors.access_work_item(actor=request.user, item_id=item_id)
    answer = request.POST.get("decision", "")
    if answer not in ("confirmed", "rejected"):
        raise ValidationFailed("Hãy chọn “Đúng là đơn vị này” hoặc “Không phải đơn vị này”.")
    try:
        decision = services.match_decide(
            actor=request.user, item_id=item.pk, confirmed=answer == "confirmed", note=request.POST.get("note", "")
        )
    except AnSinhError as error:
        if not is_htmx(request):
            raise
        return _row_response(request, _row(item, error=error), status=error.status_code)
    item.refresh_from_db()
    return _row_response(request, _row(item, decision=decision.get_decision_display())) if is_htmx(request) else _back(request, item)


# ------------------------------------------------------------------------------------------ one unit


@require_GET
@page
def unit(request: HttpRequest, unit_code: str) -> HttpResponse:
    """A unit: its registry facts, what it owes on the day, month by month, the findings and the letters."""
    history = selectors.unit_history(actor=request.user, unit_code=unit_code, as_of=_as_of(request))
    try:
        commune = access_unit(actor=request.user, code=history.unit.commune_code)
    except AnSinhError:  # a registry row with a commune code no longer in force: show the code alone
        commune = None
    context = {
        "history": history,
        "employer": history.unit,
        "arrears": history.arrears,
        "as_of": history.arrears.as_of,
        "commune": commune,
        "ancestors": unit_ancestors(unit=commune) + [commune] if commune else [],
        "unit_status_label": UNIT_STATUS_LABELS.get(history.unit.status, history.unit.status),
        "months": history.months,
        "items": [_row(item) for item in history.items],
    }
    return render(request, "employers/unit.html", context)


# ------------------------------------------------------------------------------------------ paperwork


def paperwork_defaults(as_of: date) -> dict[str, str]:
    """What the dashboard offers for a report day: the next month's letters and that month's quarter lists."""
    following = date(as_of.year + as_of.month // 12, as_of.month % 12 + 1, 1)
    return {"month": f"{following:%Y-%m}", "quarter": f"{following.year}-Q{(following.month - 1) // 3 + 1}"}


@require_GET
@page
def letters(request: HttpRequest) -> HttpResponse:
    """The month's demand letters in one DOCX (the service numbers, audits and computes them)."""
    from ansinh.employers.importers import CellError
    from ansinh.employers.importers import month as read_month

    try:
        month = read_month(request.GET.get("month", ""))
    except CellError as error:
        raise ValidationFailed(f"Tháng: {error}.") from None
    number = request.GET.get("number", "").strip()
    if number and not number.isdigit():
        raise ValidationFailed(f"Số thông báo “{number}” không phải là số nguyên dương.")
    batch = services.letters_generate(actor=request.user, month=month, merged=True, number=int(number) if number else None,
                                      signer_title=request.GET.get("signer_title", ""),
                                      signer_name=request.GET.get("signer_name", ""))
    name, content = batch.files[0]
    return download(content, name, DOCX)


@require_GET
@page
def offenders(request: HttpRequest) -> HttpResponse:
    """The quarter's offenders list for the inspection bodies, or (public=1) the list to publish."""
    name, content = services.offenders_export(
        actor=request.user, quarter=request.GET.get("quarter", ""), public=request.GET.get("public") == "1"
    )
    return download(content, name, XLSX)


@require_GET
@page
def inspection(request: HttpRequest) -> HttpResponse:
    """Units owing three months or more, proposed for inspection, with their history."""
    name, content, _count = services.inspection_export(actor=request.user, as_of=_as_of(request))
    return download(content, name, XLSX)


@require_GET
@page
def check(request: HttpRequest) -> HttpResponse:
    """The compliance look-up by tax code (xác nhận tình hình chấp hành pháp luật về BHXH); each is logged."""
    tax_code = request.GET.get("tax_code", "").strip()
    on = form_day(request.GET.get("on", ""))
    answer, error = None, None
    if tax_code:
        try:
            answer = services.compliance_check(actor=request.user, tax_code=tax_code, on=on)
        except ValidationFailed as refused:
            error = refused.message
    return render(request, "employers/check.html", {"tax_code": tax_code, "on": on, "answer": answer, "error": error})
