"""Everything that writes tasks: the agency directory, a plan's tasks and their occurrences, what an
agency hands in, and reminders. Each write is audited in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from ansinh.accounts.models import User
from ansinh.audit.services import audit_record
from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.core.formatting import format_date
from ansinh.units.models import OrgUnit
from ansinh.targets.models import Plan
from ansinh.tasks import schedule
from ansinh.tasks.agencies import AGENCIES, COMMUNES_CODE
from ansinh.tasks.models import Agency, Task, TaskOccurrence

#: A file handed in is kept in the database with its occurrence; past this size it belongs elsewhere.
MAX_FILE_BYTES = 10 * 1024 * 1024
#: Days before the due day on which a reminder goes out (and the in-app list starts showing the duty).
REMIND_DAYS = 7


# --- the agency directory ----------------------------------------------------------------------------


def agencies_ensure(*, province: OrgUnit) -> int:
    """The standard agencies, and one People's Committee per commune of the province; returns how many
    were created (0 the second time: names already there are left as an officer may have edited them)."""
    created = 0
    for standard in AGENCIES:
        _, made = Agency.objects.get_or_create(
            code=standard.code, defaults={"name": standard.name, "kind": standard.kind, "org_unit": province}
        )
        created += made
    communes = OrgUnit.objects.current().filter(path__startswith=province.path, kind=OrgUnit.Kind.COMMUNE)
    for commune in communes:
        _, made = Agency.objects.get_or_create(
            code=commune_agency_code(commune), defaults={"name": f"UBND {commune.name}", "kind": "commune", "org_unit": commune}
        )
        created += made
    return created


def commune_agency_code(commune: OrgUnit) -> str:
    return f"ubnd-{commune.code}"


def agency_get(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise NotFound(f"Không có cơ quan mã “{code}”. Xem danh sách: ansinh tasks agencies.")
    return agency


def agency_set_email(*, actor: User, agency: Agency, email: str) -> Agency:
    """Where the agency's reminders go (besides its members' own addresses)."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.core.validators import validate_email

    email = email.strip()
    try:
        if email:
            validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed(f"Địa chỉ thư “{email}” không hợp lệ.") from None
    with transaction.atomic():
        agency.email = email
        agency.save(update_fields=["email"])
        audit_record(actor=actor, action="tasks.agency.email", obj=agency, email=email)
    return agency


def agency_member_add(*, actor: User, agency: Agency, user: User) -> None:
    """Let `user` see and hand in the agency's tasks."""
    with transaction.atomic():
        agency.members.add(user)
        audit_record(actor=actor, action="tasks.agency.member_add", obj=agency, user=user.username)


# --- tasks and their occurrences ---------------------------------------------------------------------


@dataclass(frozen=True)
class DueRule:
    """When a task falls due: a fixed day, or a recurrence with its day and month offset."""

    recurrence: str = Task.Recurrence.ONCE
    due_on: date | None = None
    day: int | None = None
    offset_months: int = 0

    def check(self) -> None:
        if self.recurrence not in Task.Recurrence.values:
            raise ValidationFailed(f"Chu kỳ “{self.recurrence}” không hợp lệ; dùng: {', '.join(Task.Recurrence.values)}.")
        if self.recurrence == Task.Recurrence.ONCE and self.due_on is None:
            raise ValidationFailed("Nhiệm vụ một lần cần hạn hoàn thành (ngày).")
        if self.recurrence != Task.Recurrence.ONCE and not (self.day and 1 <= self.day <= 31):
            raise ValidationFailed("Nhiệm vụ định kỳ cần ngày đến hạn trong tháng (1–31).")
        if self.offset_months > 24:
            raise ValidationFailed("Hạn nộp không thể xa hơn 24 tháng sau đầu kỳ.")


def task_create(
    *, actor: User, plan: Plan, text: str, lead: Agency, rule: DueRule, section: str = "",
    supports: Sequence[Agency] = (), indicator: str = "", starts_on: date | None = None, ends_on: date | None = None,
) -> Task:
    """A task of the plan, with every occurrence it will have (one per period, and per commune when the
    lead is "every commune's People's Committee"). The schedule starts on the plan's own date: a plan
    issued on 27/08 asks nothing of January, and a one-off deadline before that date has no occurrence."""
    rule.check()
    if not text.strip():
        raise ValidationFailed("Nội dung nhiệm vụ không được để trống.")
    starts_on = max(starts_on or plan.issued_on, plan.issued_on)  # nothing is due under a plan not yet issued
    ends_on = ends_on or date(plan.year, 12, 31)
    if ends_on < starts_on:
        raise ValidationFailed("Ngày kết thúc phải sau ngày bắt đầu.")
    with transaction.atomic():
        task = Task.objects.create(
            plan=plan, section=section.strip()[:30], text=text.strip(), lead=lead, indicator=indicator,
            recurrence=rule.recurrence, due_on=rule.due_on, due_day=rule.day, due_offset_months=rule.offset_months,
            starts_on=starts_on, ends_on=ends_on, each_commune=lead.code == COMMUNES_CODE,
        )
        task.supports.set([agency for agency in supports if agency.pk != lead.pk])
        count = occurrences_sync(task=task)
        audit_record(actor=actor, action="tasks.task.create", obj=task, plan=plan.number, lead=lead.code, occurrences=count)
    return task


def occurrences_sync(*, task: Task) -> int:
    """Create the occurrences the task's rule calls for and that do not exist yet; returns how many."""
    wanted = [(agency, start, due) for agency in _owers(task) for start, due in _due_days(task)]
    existing = set(task.occurrences.values_list("agency_id", "period_start"))
    new = [
        TaskOccurrence(task=task, agency=agency, period_start=start, due_on=due)
        for agency, start, due in wanted
        if (agency.pk, start) not in existing
    ]
    TaskOccurrence.objects.bulk_create(new)
    return len(new)


def _owers(task: Task) -> list[Agency]:
    """Who hands the task in: the lead, or every commune's People's Committee in the plan's scope."""
    if not task.each_commune:
        return [task.lead]
    scope = task.plan.scope_unit
    return list(Agency.objects.filter(kind="commune", org_unit__path__startswith=scope.path, org_unit__valid_to__isnull=True))


def _due_days(task: Task) -> list[tuple[date, date]]:
    """(period start, due day) of each occurrence; none falls due before the plan's own date."""
    if task.recurrence == Task.Recurrence.ONCE:
        found = [(task.starts_on, task.due_on)]
    else:
        starts = schedule.period_starts(recurrence=task.recurrence, starts_on=task.starts_on, ends_on=task.ends_on)
        found = [
            (start, schedule.due_date(period_start=start, offset_months=task.due_offset_months, day=task.due_day))
            for start in starts
        ]
    return [(start, due) for start, due in found if due >= task.plan.issued_on]


# --- handing in ----------------------------------------------------------------------------------------


def occurrence_submit(
    *, actor: User, occurrence_id: int, note: str = "", file_name: str = "", file_content: bytes | None = None,
    on: date | None = None,
) -> TaskOccurrence:
    """An agency hands in one occurrence (a note, a file, or both). Handing in again replaces what was
    handed in but keeps the first day, so a late correction does not turn an on-time report late."""
    from ansinh.tasks.selectors import access_occurrence, can_submit

    occurrence = access_occurrence(actor=actor, occurrence_id=occurrence_id)
    if not can_submit(actor=actor, agency=occurrence.agency):
        raise PermissionDenied(f"Chỉ {occurrence.agency.name} hoặc cấp tỉnh mới nộp được báo cáo này.")
    note = note.strip()
    if not note and not file_content:
        raise ValidationFailed("Hãy ghi nội dung hoặc đính kèm tệp trước khi nộp.")
    if file_content is not None and len(file_content) > MAX_FILE_BYTES:
        raise ValidationFailed(f"Tệp “{file_name}” lớn quá 10 MB; hãy nén hoặc chia nhỏ.")
    with transaction.atomic():
        first = occurrence.submitted_on is None
        occurrence.submitted_on = occurrence.submitted_on or on or date.today()
        occurrence.submitted_by, occurrence.note = actor, note[:4000]
        fields = ["submitted_on", "submitted_by", "note"]
        if file_content:
            occurrence.file_name, occurrence.file_content = file_name[:255] or "tep-dinh-kem", file_content
            fields += ["file_name", "file_content"]
        occurrence.save(update_fields=fields)
        audit_record(
            actor=actor, action="tasks.occurrence.submit" if first else "tasks.occurrence.resubmit", obj=occurrence,
            task=occurrence.task_id, agency=occurrence.agency.code, file=occurrence.file_name, on=occurrence.submitted_on,
        )
    return occurrence


# --- reminders ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderResult:
    sent: int  # e-mails sent
    occurrences: int  # occurrences reminded
    without_address: list[str]  # agencies with nobody to write to


def reminders_send(*, actor: User, today: date, days: int = REMIND_DAYS) -> ReminderResult:
    """E-mail each agency about what it has not handed in and is due within `days` (or overdue), once per
    occurrence and day: run it daily (cron) and nobody gets the same reminder twice in a day."""
    due = (
        TaskOccurrence.objects.filter(submitted_on__isnull=True, due_on__lte=today + timedelta(days=days))
        .exclude(reminded_on=today)
        .select_related("agency", "task", "task__plan")
        .order_by("agency__name", "due_on")
    )
    by_agency: dict[Agency, list[TaskOccurrence]] = {}
    for occurrence in due:
        by_agency.setdefault(occurrence.agency, []).append(occurrence)
    sent, reminded, nobody = 0, 0, []
    for agency, items in by_agency.items():
        addresses = _addresses(agency)
        if not addresses:
            nobody.append(agency.name)
            continue
        sent += send_mail(
            subject=f"[An Sinh] {agency.name}: {len(items)} nhiệm vụ sắp đến hạn hoặc quá hạn",
            message=_reminder_text(agency, items, today),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=addresses,
        )
        TaskOccurrence.objects.filter(pk__in=[item.pk for item in items]).update(reminded_on=today)
        reminded += len(items)
    audit_record(actor=actor, action="tasks.reminders", sent=sent, occurrences=reminded, on=today)
    return ReminderResult(sent, reminded, nobody)


def _addresses(agency: Agency) -> list[str]:
    found = [agency.email] if agency.email else []
    found += [user.email for user in agency.members.filter(is_active=True) if user.email]
    if agency.org_unit_id and agency.kind == "commune":
        found += [user.email for user in User.objects.filter(org_unit=agency.org_unit, is_active=True) if user.email]
    return sorted(set(found))


def _reminder_text(agency: Agency, items: list[TaskOccurrence], today: date) -> str:
    lines = [f"Kính gửi {agency.name},", "", "Theo kế hoạch, đơn vị có các nhiệm vụ sau chưa nộp:", ""]
    for item in items:
        when = "QUÁ HẠN" if item.due_on < today else "đến hạn"
        label = schedule.period_label(recurrence=item.task.recurrence, period_start=item.period_start)
        lines.append(
            f"- [{when} {format_date(item.due_on)}] {item.task.plan.number} mục {item.task.section or '–'}"
            f"{' — ' + label if label else ''}: {item.task.text[:200]}"
        )
    lines += ["", "Vui lòng nộp trên An Sinh (mục Nhiệm vụ).", "", "An Sinh — thư tự động, xin đừng trả lời."]
    return "\n".join(lines)
