"""Everything that reads tasks: who may see and hand in what, the in-app reminder list, and timeliness
rates per agency and per commune (DHIS2's "reporting rate" and "reporting rate on time")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from ansinh.accounts.models import User
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.core.periods import Period
from ansinh.targets.figures import reporting_day
from ansinh.targets.models import Plan
from ansinh.tasks import schedule
from ansinh.tasks.models import Agency, Task, TaskOccurrence, occurrence_status


def as_of(*, actor: User, period: str = "", today: date | None = None) -> date:
    """The day every task status is computed as of, for every door: a day asked for (`today`, to review a
    past quarter as it stood), else the end of the period asked for, else the end of the last month with
    data under the user's unit, as the dashboard. The figures stop there, so the duties must too; only
    reminders and audit times go by the machine's clock."""
    if today is not None:
        return today
    unit = actor.org_unit if actor.org_unit_id else None
    return reporting_day(period=Period.parse(period) if period.strip() else None, unit=unit)


def is_province_staff(*, actor: User) -> bool:
    """Province staff see every agency's tasks: a scope-less superuser, the province's administrators, and
    the province's editors and viewers who are not members of an agency. An agency officer (role
    `agency`, given a province scope for the dashboards) and an auditor act for no agency but their own."""
    if actor.is_superuser and actor.org_unit_id is None:
        return True
    if actor.org_unit_id is None or actor.org_unit.kind != "province" or actor.role in (User.Role.AGENCY, User.Role.AUDITOR):
        return False
    return actor.is_province_admin or not actor.agencies.exists()


def agencies_of(*, actor: User) -> QuerySet[Agency]:
    """The agencies whose tasks the user works on: those they are a member of, and their commune's
    People's Committee for a commune user. Province staff act for all."""
    if is_province_staff(actor=actor):
        return Agency.objects.all()
    mine = Q(members=actor)
    if actor.org_unit_id and actor.org_unit.kind != "province" and actor.sees_personal_data:
        mine |= Q(kind="commune", org_unit__path__startswith=actor.org_unit.path)  # a commune's own staff
    return Agency.objects.filter(mine).distinct()


def can_submit(*, actor: User, agency: Agency) -> bool:
    """Editors hand in for the agencies they act for (all of them at the province); an agency's officer
    for their own agencies."""
    if not (actor.can_edit or actor.is_agency_user):
        return False
    return is_province_staff(actor=actor) or agencies_of(actor=actor).filter(pk=agency.pk).exists()


def occurrences_visible(*, actor: User) -> QuerySet[TaskOccurrence]:
    """Occurrences of the user's agencies (all of them for the province), with what a list shows."""
    found = TaskOccurrence.objects.select_related("task", "task__plan", "task__lead", "agency")
    if is_province_staff(actor=actor):
        return found
    return found.filter(agency__in=agencies_of(actor=actor))


def access_occurrence(*, actor: User, occurrence_id: int) -> TaskOccurrence:
    occurrence = TaskOccurrence.objects.select_related("task", "task__plan", "agency").filter(pk=occurrence_id).first()
    if occurrence is None:
        raise NotFound(f"Không có kỳ báo cáo số {occurrence_id}.")
    if not occurrences_visible(actor=actor).filter(pk=occurrence.pk).exists():
        raise PermissionDenied("Nhiệm vụ này không thuộc cơ quan của bạn.")
    return occurrence


def access_task(*, actor: User, task_id: int) -> Task:
    task = Task.objects.select_related("plan", "lead").filter(pk=task_id).first()
    if task is None:
        raise NotFound(f"Không có nhiệm vụ số {task_id}.")
    if not is_province_staff(actor=actor) and not occurrences_visible(actor=actor).filter(task=task).exists():
        raise PermissionDenied("Nhiệm vụ này không thuộc cơ quan của bạn.")
    return task


def plan_tasks(*, plan: Plan) -> QuerySet[Task]:
    return plan.tasks.select_related("lead").prefetch_related("supports")


@dataclass(frozen=True)
class Duty:
    """One line of a to-do list: an occurrence and where it stands today."""

    occurrence: TaskOccurrence
    status: str
    status_label: str
    period_label: str
    days_left: int  # negative when overdue

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)


def duty(occurrence: TaskOccurrence, today: date) -> Duty:
    status = occurrence.status_on(today)
    return Duty(
        occurrence, status, TaskOccurrence.Status(status).label,
        schedule.period_label(recurrence=occurrence.task.recurrence, period_start=occurrence.period_start),
        (occurrence.due_on - today).days,
    )


def duties_open(*, actor: User, today: date, within_days: int = 30) -> list[Duty]:
    """The in-app reminder list: what the user's agencies have not handed in and is overdue or due within
    `within_days`, the most urgent first."""
    found = occurrences_visible(actor=actor).filter(submitted_on__isnull=True, due_on__lte=today + timedelta(days=within_days))
    return [duty(occurrence, today) for occurrence in found.order_by("due_on", "agency__name")]


def duties(*, actor: User, today: date, plan: Plan | None = None, agency: Agency | None = None, status: str = "") -> list[Duty]:
    """Every occurrence the user may see, filtered; the status is computed as of `today`."""
    found = occurrences_visible(actor=actor)
    if plan is not None:
        found = found.filter(task__plan=plan)
    if agency is not None:
        found = found.filter(agency=agency)
    rows = [duty(occurrence, today) for occurrence in found.order_by("due_on", "agency__name")]
    return [row for row in rows if row.status == status] if status else rows


# --- timeliness ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    """How one agency (or commune) handed in what fell due in a window. `due` counts occurrences whose
    due day has come; `pending` those not yet due. `rate` is the on-time share of `due`, in percent, and
    `reporting_rate` the handed-in share (on time or late), as DHIS2 reports them."""

    agency_code: str
    agency_name: str
    due: int
    on_time: int
    late: int
    missing: int
    pending: int
    rate: float | None
    reporting_rate: float | None

    @classmethod
    def of(cls, code: str, name: str, *, on_time: int, late: int, missing: int, pending: int) -> Timeliness:
        """The row from its counts: what fell due, and the two rates, are derived."""
        due = on_time + late + missing
        return cls(
            code, name, due, on_time, late, missing, pending,
            round(100 * on_time / due, 2) if due else None,
            round(100 * (on_time + late) / due, 2) if due else None,
        )


@dataclass(frozen=True)
class Submission:
    agency_name: str
    task_text: str
    section: str
    due_on: date
    submitted_on: date | None
    status: str  # "on_time" | "late" | "missing" | "pending"
    status_label: str
    note: str


def _window(plan: Plan, start: date | None, end: date | None) -> QuerySet[TaskOccurrence]:
    """The plan's occurrences due in [start, end] (either end open: a plan's Q4 report falls due the
    next January, and still belongs to the plan)."""
    found = TaskOccurrence.objects.filter(task__plan=plan).select_related("agency", "task")
    if start is not None:
        found = found.filter(due_on__gte=start)
    if end is not None:
        found = found.filter(due_on__lte=end)
    return found


def timeliness_by_agency(
    *, plan: Plan, start: date | None, end: date | None, today: date, communes: bool = False
) -> list[Timeliness]:
    """One row per agency with something due in [start, end]: departments by default, or (`communes`) the
    communes' People's Committees. Sorted best first, then by name."""
    counts: dict[Agency, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for occurrence in _window(plan, start, end):
        if (occurrence.agency.kind == "commune") == communes:
            counts[occurrence.agency][occurrence_status(due_on=occurrence.due_on, submitted_on=occurrence.submitted_on, today=today)] += 1
    rows = [_timeliness(agency, tally) for agency, tally in counts.items()]
    return sorted(rows, key=lambda row: (-(row.rate if row.rate is not None else -1), row.agency_name))


def _timeliness(agency: Agency, tally: dict[str, int]) -> Timeliness:
    counts = {status: tally[status] for status in ("on_time", "late", "missing", "pending")}
    return Timeliness.of(agency.code, agency.name, **counts)


def submissions(*, plan: Plan, start: date | None, end: date | None, today: date | None = None) -> list[Submission]:
    """Every occurrence due in [start, end] and what became of it, by due day and agency."""
    today = today or reporting_day()
    rows = []
    for occurrence in _window(plan, start, end).order_by("due_on", "agency__name"):
        status = occurrence.status_on(today)
        rows.append(Submission(
            occurrence.agency.name, occurrence.task.text, occurrence.task.section, occurrence.due_on,
            occurrence.submitted_on, status, TaskOccurrence.Status(status).label, occurrence.note,
        ))
    return rows
