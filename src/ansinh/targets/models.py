"""Plans, their targets and milestones, and the monthly actuals per unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ansinh.units.models import OrgUnit


class Plan(models.Model):
    """A plan document (kế hoạch), e.g. Cần Thơ's 53/KH-UBND of 27/08/2025."""

    number = models.CharField(max_length=60)
    title = models.CharField(max_length=500)
    issuer = models.CharField(max_length=200)
    issued_on = models.DateField()
    scope_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-year", "number"]
        constraints = [models.UniqueConstraint(fields=["number", "scope_unit"], name="plan_number_per_scope")]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class Target(models.Model):
    """What an indicator must reach for one unit under one plan; the values are in its milestones."""

    class Source(models.TextChoices):
        PLAN = "plan", "Theo kế hoạch"
        ALLOCATED = "allocated", "Phân bổ"
        MANUAL = "manual", "Nhập tay"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(max_length=60)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="targets")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PLAN)
    method = models.CharField(max_length=20, blank=True, help_text="Allocation method that produced it.")
    locked = models.BooleanField(default=False, help_text="Kept fixed when the parent's target is re-split.")
    base_period = models.DateField(null=True, blank=True, help_text="Month whose denominators the split used.")
    # Optimistic locking: every write bumps `version`; an edit made from a page read at an older version is
    # refused (ansinh.core.errors.Conflict) instead of silently overwriting a colleague's change.
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every change; edits send back the one they read.")
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["plan", "indicator", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "indicator", "unit"], name="target_unique")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit.code} ({self.plan.number})"


class Milestone(models.Model):
    """A target value due by a date (30/11/2025 "cơ bản hoàn thành", 20/12/2025 "đạt và vượt")."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="milestones")
    due_on = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4, help_text="Persons, or percent for rates.")
    label = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["target", "due_on"], name="milestone_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="milestone_value_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target} ≥ {self.value} by {self.due_on:%d/%m/%Y}"


class Actual(models.Model):
    """A measured count for one unit, month and base measure (kết quả thực hiện)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="actuals")
    period = models.DateField(help_text="First day of the month.")
    measure = models.CharField(max_length=60)
    value = models.BigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "measure"], name="actual_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="actual_value_non_negative"),
        ]
        indexes = [models.Index(fields=["measure", "period"])]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.period:%Y-%m} {self.measure}={self.value}"


class ImportBatch(models.Model):
    """One accepted import file: who sent it and what it changed."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    updated = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at"]


class ActualRevision(models.Model):
    """A value that a later file replaced: the history officials ask for when a figure moves."""

    actual = models.ForeignKey(Actual, on_delete=models.CASCADE, related_name="revisions")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="revisions")
    old_value = models.BigIntegerField()
    new_value = models.BigIntegerField()

    class Meta:
        ordering = ["-batch__at"]


class FiguresStamp(models.Model):
    """One row whose token changes whenever the figures a dashboard reads change.

    Database triggers (migration 0003) write a new random token on every insert, update or delete in the
    tables dashboards read: actuals, targets, milestones, plans, units and unit successions. Whoever writes,
    a service, an import, the admin or a test's fixture, the token moves, so a dashboard computed under one
    token can be reused until it does (`ansinh.targets.cache`). The token is random rather than a counter
    so that a rolled-back transaction can never hand an old token to new figures.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
