"""/api/v1/tasks: a plan's tasks, the occurrences an agency must hand in, handing in, timeliness.

Thin: each route calls the same selector or service as the web pages and the CLI. Errors are answered in
one place, ansinh.api.
"""

# No `from __future__ import annotations`: django-ninja reads the route signatures at runtime.
from datetime import date

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from ansinh.targets.selectors import access_plan
from ansinh.tasks import selectors, services
from ansinh.tasks.selectors import Duty, Timeliness  # the timeliness dataclass is its own response schema

router = Router(tags=["tasks"])


class TaskOut(Schema):
    id: int
    plan: str
    section: str
    text: str
    lead: str
    supports: list[str]
    indicator: str
    recurrence: str
    due_on: date | None
    due_day: int | None
    due_offset_months: int
    each_commune: bool


class DutyOut(Schema):
    id: int
    task: int
    plan: str
    section: str
    text: str
    agency: str
    agency_name: str
    period: str
    due_on: date
    status: str
    status_label: str
    submitted_on: date | None
    note: str
    file_name: str


def duty_out(row: Duty) -> DutyOut:
    o = row.occurrence
    return DutyOut(
        id=o.pk, task=o.task_id, plan=o.task.plan.number, section=o.task.section, text=o.task.text, agency=o.agency.code,
        agency_name=o.agency.name, period=row.period_label, due_on=o.due_on, status=row.status, status_label=row.status_label,
        submitted_on=o.submitted_on, note=o.note, file_name=o.file_name,
    )


@router.get("/plans/{plan_id}", response=list[TaskOut], summary="Các nhiệm vụ của một kế hoạch")
def plan_tasks(request: HttpRequest, plan_id: int):
    plan = access_plan(actor=request.auth, plan_id=plan_id)
    return [
        TaskOut(
            id=t.pk, plan=plan.number, section=t.section, text=t.text, lead=t.lead.code, supports=[a.code for a in t.supports.all()],
            indicator=t.indicator, recurrence=t.recurrence, due_on=t.due_on, due_day=t.due_day,
            due_offset_months=t.due_offset_months, each_commune=t.each_commune,
        )
        for t in selectors.plan_tasks(plan=plan)
    ]


@router.get("/open", response=list[DutyOut], summary="Việc quá hạn và sắp đến hạn của cơ quan bạn")
def open_duties(request: HttpRequest, today: date | None = None, period: str = "", within_days: int = Query(30, ge=0, le=366)):
    day = selectors.as_of(actor=request.auth, period=period, today=today)
    return [duty_out(row) for row in selectors.duties_open(actor=request.auth, today=day, within_days=within_days)]


@router.get("/occurrences", response=list[DutyOut], summary="Mọi kỳ phải nộp bạn được xem")
def occurrences(request: HttpRequest, plan_id: int | None = None, status: str = "", today: date | None = None, period: str = ""):
    plan = access_plan(actor=request.auth, plan_id=plan_id) if plan_id else None
    day = selectors.as_of(actor=request.auth, period=period, today=today)
    return [duty_out(row) for row in selectors.duties(actor=request.auth, today=day, plan=plan, status=status)]


@router.post("/occurrences/{occurrence_id}/submit", response=DutyOut, summary="Nộp một kỳ báo cáo")
def submit(request: HttpRequest, occurrence_id: int, note: Form[str] = "", file: File[UploadedFile] = None):
    occurrence = services.occurrence_submit(
        actor=request.auth, occurrence_id=occurrence_id, note=note,
        file_name=file.name if file else "", file_content=file.read() if file else None,
    )
    return duty_out(selectors.duty(occurrence, selectors.as_of(actor=request.auth)))


@router.get("/plans/{plan_id}/timeliness", response=list[Timeliness], summary="Tỷ lệ nộp đúng hạn theo cơ quan hoặc theo xã")
def timeliness(request: HttpRequest, plan_id: int, start: date | None = None, end: date | None = None,
               today: date | None = None, period: str = "", communes: bool = False):
    plan = access_plan(actor=request.auth, plan_id=plan_id)
    return selectors.timeliness_by_agency(
        plan=plan, start=start, end=end, today=selectors.as_of(actor=request.auth, period=period, today=today), communes=communes,
    )
