"""Web pages of the tasks: an agency's to-do list (the in-app reminders) with the hand-in form, and a
plan's tasks with each agency's and commune's timeliness. Thin: scope and rules live in the selectors
and services."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ansinh.core.errors import AnSinhError
from ansinh.web.views import form_day, is_htmx, page
from ansinh.targets.selectors import access_plan, plans_visible
from ansinh.tasks import selectors, services
from ansinh.tasks.models import TaskOccurrence
from ansinh.web.downloads import download

#: Rows a to-do list shows (the province sees every agency's: hundreds); the full list is filtered on /tasks/all/.
SHOWN = 200
STATUS_CHOICES = [("", "Tất cả")] + [(s.value, s.label) for s in TaskOccurrence.Status]


def _today(request: HttpRequest) -> date:
    """The reporting day: the day asked about (`?today=`, to review a past quarter as it stood), else the
    end of `?period=` (as the dashboard), else the end of the last month with data."""
    day = form_day(request.GET.get("today", ""))
    return selectors.as_of(actor=request.user, period=request.GET.get("period", ""), today=day)


@require_GET
@page
def mine(request: HttpRequest) -> HttpResponse:
    """What the user's agencies must hand in soon or are late with, most urgent first."""
    today = _today(request)
    waiting = selectors.duties_open(actor=request.user, today=today)
    context = {
        "today": today,
        "duties": waiting[:SHOWN], "total": len(waiting), "shown": SHOWN,
        "agencies": None if selectors.is_province_staff(actor=request.user) else selectors.agencies_of(actor=request.user),
        "plans": plans_visible(actor=request.user),
    }
    return render(request, "tasks/mine.html", context)


@require_GET
@page
def all_duties(request: HttpRequest) -> HttpResponse:
    """Every occurrence the user may see, filtered by plan and status."""
    today = _today(request)
    plan = access_plan(actor=request.user, plan_id=int(request.GET["plan"])) if request.GET.get("plan", "").isdigit() else None
    status = request.GET.get("status", "")
    rows = selectors.duties(actor=request.user, today=today, plan=plan, status=status if status in TaskOccurrence.Status.values else "")
    context = {"today": today, "duties": rows[:SHOWN], "total": len(rows), "shown": SHOWN, "plan": plan, "status": status,
               "statuses": STATUS_CHOICES, "plans": plans_visible(actor=request.user)}
    return render(request, "tasks/duties.html", context)


@require_POST
@page
def submit(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    """Hand in one occurrence; htmx swaps the row, a plain form goes back to the list."""
    upload = request.FILES.get("file")
    try:
        services.occurrence_submit(
            actor=request.user, occurrence_id=occurrence_id, note=request.POST.get("note", ""),
            file_name=upload.name if upload else "", file_content=upload.read() if upload else None,
        )
    except AnSinhError as error:
        if not is_htmx(request):
            raise
        occurrence = selectors.access_occurrence(actor=request.user, occurrence_id=occurrence_id)
        row = selectors.duty(occurrence, selectors.as_of(actor=request.user))
        return render(request, "tasks/_duty_row.html", {"row": row, "error": error.message}, status=error.status_code)
    occurrence = selectors.access_occurrence(actor=request.user, occurrence_id=occurrence_id)
    if is_htmx(request):
        return render(request, "tasks/_duty_row.html", {"row": selectors.duty(occurrence, selectors.as_of(actor=request.user))})
    return redirect(reverse("tasks:mine"))


@require_GET
@page
def attachment(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    """The file an agency handed in, to those who may see the occurrence."""
    occurrence = selectors.access_occurrence(actor=request.user, occurrence_id=occurrence_id)
    if not occurrence.file_content:
        return HttpResponse("Kỳ này không có tệp đính kèm.", status=404, content_type="text/plain; charset=utf-8")
    return download(bytes(occurrence.file_content), occurrence.file_name, "application/octet-stream")


@require_GET
@page
def plan_tasks(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A plan's tasks (who leads, who helps, when due) and how each agency and commune hands them in."""
    plan = access_plan(actor=request.user, plan_id=plan_id)
    today = _today(request)
    start = form_day(request.GET.get("from", ""))
    end = form_day(request.GET.get("to", ""))
    context = {
        "plan": plan, "today": today, "start": start, "end": end,
        "tasks": selectors.plan_tasks(plan=plan),
        "by_agency": selectors.timeliness_by_agency(plan=plan, start=start, end=end, today=today),
        "by_commune": selectors.timeliness_by_agency(plan=plan, start=start, end=end, today=today, communes=True),
    }
    return render(request, "tasks/plan.html", context)
