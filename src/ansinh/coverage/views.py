"""The commune's lists for action in the browser: who to visit, page by page, and the whole list in Excel.

Thin: the views parse the filters and call the coverage selectors (scope, masking and the engine live
there) and `exports.list_xlsx`. Domain errors are answered by `ansinh.web.views.page`, as on every page;
only "no person-level data yet" is not an error here: the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ansinh.units.selectors import unit_ancestors
from ansinh.web.views import form_day, form_whole, page
from ansinh.coverage import exports, selectors
from ansinh.coverage.engine import LAPSED_LOOKBACK_MONTHS
from ansinh.web.downloads import XLSX, download

PAGE_SIZES = (25, 50, 100, 200)


@dataclass(frozen=True)
class Filters:
    """What the form, the page links and the export link carry."""

    kind: str = "households"
    day: date | None = None  # None: the extract's day
    village: str = ""
    days: int = 30
    page: int = 1
    per_page: int = selectors.PER_PAGE

    def query(self, **changes: object) -> str:
        """These filters (with `changes`) as a query string; page 1 is left out."""
        chosen = replace(self, **changes)
        values = {
            "kind": chosen.kind, "day": chosen.day.isoformat() if chosen.day else "", "village": chosen.village,
            "days": chosen.days, "per_page": chosen.per_page if chosen.per_page != Filters.per_page else "",
            "page": chosen.page if chosen.page > 1 else "",
        }
        return urlencode({key: value for key, value in values.items() if value != ""})

    def arguments(self) -> dict:
        """The keywords the selectors and the export take."""
        return {"kind": self.kind, "day": self.day, "village": self.village or None, "days": self.days}


def _filters(request: HttpRequest) -> Filters:
    get = request.GET
    return Filters(
        kind=get.get("kind", "").strip() or Filters.kind,
        day=form_day(get.get("day", "").strip()),
        village=get.get("village", "").strip(),
        days=form_whole(get.get("days", ""), Filters.days, "Số ngày"),
        page=form_whole(get.get("page", ""), 1, "Trang"),
        per_page=form_whole(get.get("per_page", ""), Filters.per_page, "Số dòng mỗi trang"),
    )


def _table_context(request: HttpRequest, code: str) -> dict:
    """The list the filters ask for, one page of it; or, before any person-level data, just the commune."""
    commune = selectors.access_commune(actor=request.user, code=code)
    filters = _filters(request)
    extract = selectors.extract_or_none()
    context = {"commune": commune, "filters": filters, "extract": extract, "lists": list(selectors.LISTS.values())}
    if extract is None:
        return context
    result = selectors.list_page(
        actor=request.user, code=commune.code, page=filters.page, per_page=filters.per_page, **filters.arguments()
    )
    filters = replace(filters, day=result.day)  # links and the export keep the day shown, even if new data comes
    return {
        **context,
        "filters": filters,
        "result": result,
        "title": selectors.LISTS[result.kind].title,
        "until": result.day + timedelta(days=filters.days),
        "lookback_months": LAPSED_LOOKBACK_MONTHS,
        "shown_from": result.first_index + 1,
        "shown_to": result.first_index + len(result.rows),
        "query": filters.query(page=1),
        "export_query": filters.query(page=1, per_page=Filters.per_page),  # the export is the whole list
        "prev_query": filters.query(page=result.page - 1),
        "next_query": filters.query(page=result.page + 1),
    }


@require_GET
@page
def lists(request: HttpRequest, code: str) -> HttpResponse:
    """The page: the commune, the day of the data, the three lists with their filters, one page of one list."""
    context = _table_context(request, code)
    commune = context["commune"]
    villages = selectors.commune_villages(actor=request.user, code=commune.code) if context["extract"] else []
    context.update(ancestors=unit_ancestors(unit=commune), villages=villages, page_sizes=PAGE_SIZES)
    return render(request, "coverage/lists.html", context)


@require_GET
@page
def lists_table(request: HttpRequest, code: str) -> HttpResponse:
    """The table alone, what htmx swaps in; the address bar follows the filters (reload and back work)."""
    context = _table_context(request, code)
    response = render(request, "coverage/_table.html", context)
    response["HX-Push-Url"] = f"{reverse('coverage:lists', args=[context['commune'].code])}?{context['filters'].query()}"
    return response


@require_GET
@page
def lists_export(request: HttpRequest, code: str) -> HttpResponse:
    """The whole list as an Excel workbook (the export is written to the audit log)."""
    commune = selectors.access_commune(actor=request.user, code=code)
    if selectors.extract_or_none() is None:  # nothing to export yet: the page explains why
        return redirect("coverage:lists", commune.code)
    arguments = {"actor": request.user, "code": commune.code, **_filters(request).arguments()}
    return download(exports.list_xlsx(**arguments), exports.list_filename(**arguments), XLSX)
