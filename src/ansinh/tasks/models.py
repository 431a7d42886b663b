"""Agencies, the tasks a plan gives them, and each occurrence of a recurring duty.

A plan says "Cục Thuế chủ trì, hằng tháng cung cấp danh sách doanh nghiệp …" or "UBND các xã báo cáo
định kỳ hằng quý trước ngày 15 tháng đầu quý sau". That is a `Task` (text, section, lead and supporting
agencies, a due rule); each month or quarter it is due once more, and each of those is a `TaskOccurrence`
that is handed in on time, late, or not at all. A task given to every commune's People's Committee has
one occurrence per commune and period, so timeliness can be ranked by commune as well as by agency.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from ansinh.units.models import OrgUnit
from ansinh.targets.models import Plan


class Agency(models.Model):
    """A body the plan gives work to: a department, a mass organisation, or one commune's People's
    Committee (`org_unit` is then that commune)."""

    code = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    org_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="agencies")
    email = models.EmailField(blank=True, help_text="Where reminders go, besides the members' own addresses.")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="agencies")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """One duty of a plan. Its due date is either fixed (`due_on`) or repeats with the recurrence:
    the occurrence for the period starting on the 1st of month M is due on day `due_day` of month
    M + `due_offset_months` (a quarterly report due "before the 15th of the next quarter's first month"
    is offset 3, day 15; an annual one due 10/12 is offset 11, day 10)."""

    class Recurrence(models.TextChoices):
        ONCE = "once", "Một lần"
        MONTHLY = "monthly", "Hằng tháng"
        QUARTERLY = "quarterly", "Hằng quý"
        HALF_YEARLY = "half_yearly", "6 tháng"
        YEARLY = "yearly", "Hằng năm"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.CharField(max_length=30, blank=True, help_text="Where the plan says it, e.g. III.3.2.")
    text = models.TextField()
    lead = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="led_tasks")
    supports = models.ManyToManyField(Agency, blank=True, related_name="supported_tasks")
    indicator = models.CharField(max_length=60, blank=True, help_text="The indicator the task serves, if any.")
    recurrence = models.CharField(max_length=12, choices=Recurrence.choices, default=Recurrence.ONCE)
    due_on = models.DateField(null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(null=True, blank=True)
    due_offset_months = models.PositiveSmallIntegerField(default=0)
    starts_on = models.DateField(help_text="First day of the first period the duty covers.")
    ends_on = models.DateField(help_text="Last day of the last period it covers.")
    each_commune = models.BooleanField(default=False, help_text="Due from every commune's People's Committee.")

    class Meta:
        ordering = ["plan", "section", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recurrence="once", due_on__isnull=False) | (~Q(recurrence="once") & Q(due_day__gte=1, due_day__lte=31)),
                name="task_due_rule",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="task_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.section} {self.text[:60]}".strip()


class TaskOccurrence(models.Model):
    """One time a duty is due from one agency, and what was handed in."""

    class Status(models.TextChoices):
        ON_TIME = "on_time", "Đúng hạn"
        LATE = "late", "Trễ hạn"
        MISSING = "missing", "Chưa nộp (quá hạn)"
        PENDING = "pending", "Chưa đến hạn"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="occurrences")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="occurrences")
    period_start = models.DateField()
    due_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_content = models.BinaryField(null=True, blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, help_text="Last reminder sent, so one is sent once.")

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "agency", "period_start"], name="occurrence_once")]
        indexes = [models.Index(fields=["agency", "due_on"])]

    def status_on(self, today: date) -> str:
        """On time, late, missing or pending, as of `today`."""
        return occurrence_status(due_on=self.due_on, submitted_on=self.submitted_on, today=today)


def occurrence_status(*, due_on: date, submitted_on: date | None, today: date) -> str:
    """A rule of its own (and tested alone): handed in by the due day is on time, after it late; nothing
    handed in is missing once the due day has passed, pending until then."""
    if submitted_on is not None:
        return TaskOccurrence.Status.ON_TIME if submitted_on <= due_on else TaskOccurrence.Status.LATE
    return TaskOccurrence.Status.MISSING if today > due_on else TaskOccurrence.Status.PENDING
