"""Steering-side records of the employer work: imports, officers' match decisions, worklist items,
reconciliation runs and demand letters (the dated rule values are `ansinh.rules`).

The registries and the ledger themselves are Parquet datasets (see `schema.py`): large, replaced whole by
each import. What officers decide and do is small and lives here, so it survives every re-import.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class EmployerImport(models.Model):
    """One accepted import of a list into a dataset (the rejected ones change nothing and leave no row)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dataset = models.CharField(max_length=20)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.dataset}: {self.filename} ({self.rows} dòng)"


class MatchDecision(models.Model):
    """An officer's answer to "is this outside record that BHXH unit?"; reconciliation honours it every month."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", "Đúng là đơn vị này"
        REJECTED = "rejected", "Không phải đơn vị này"

    source = models.CharField(max_length=10)  # tax, zones, unions
    record_key = models.CharField(max_length=300, help_text="The record's tax code, or ~ and its folded name when it has none.")
    unit_code = models.CharField(max_length=20)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "record_key", "unit_code"], name="match_decision_pair")]

    def __str__(self) -> str:
        return f"{self.source}:{self.record_key} ↔ {self.unit_code}: {self.decision}"


class WorkItem(models.Model):
    """One finding of the reconciliation that a commune must follow up, with where it stands.

    The same finding found again next month is the same item (kind + key), so its status and notes stay.
    An item no longer found is closed (`open` false) but kept, with its history in the audit log.
    """

    class Kind(models.TextChoices):
        UNREGISTERED = "unregistered", "Chưa đăng ký tham gia BHXH"
        UNDER_DECLARED = "under_declared", "Đóng thiếu số lao động"
        CLOSED_ACTIVE = "closed_active", "Đã giải thể/tạm ngừng nhưng còn hoạt động tại BHXH"
        UNCERTAIN = "uncertain", "Cần xác nhận đối chiếu"

    class Status(models.TextChoices):
        NEW = "new", "Mới"
        CONTACTED = "contacted", "Đã liên hệ"
        REGISTERED = "registered", "Đã đăng ký/điều chỉnh"
        NOT_REQUIRED = "not_required", "Không thuộc diện"
        REFERRED = "referred", "Đã chuyển cơ quan chức năng"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=300, help_text="The outside record's key (tax code, or ~ and folded name), or unit code.")
    commune = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    tax_code = models.CharField(max_length=14, blank=True)
    unit_code = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NEW)
    note = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    first_found = models.DateField()
    last_found = models.DateField()
    open = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="work_item_kind_key")]
        indexes = [models.Index(fields=["commune", "open", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class ReconcileRun(models.Model):
    """One reconciliation: how many records of each kind were found, how long it took."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    counts = models.JSONField(default=dict)
    seconds = models.FloatField()

    class Meta:
        ordering = ["-at"]


class DemandLetter(models.Model):
    """The number given to a unit's demand letter for a month: generating the month again reuses it."""

    unit_code = models.CharField(max_length=20)
    month = models.DateField(help_text="First day of the month the letter is sent in.")
    number = models.PositiveIntegerField(help_text="Running number within the year of `month`.")
    symbol = models.CharField(max_length=30)
    dated = models.DateField()
    as_of = models.DateField()
    unpaid = models.BigIntegerField()
    interest = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit_code", "month"], name="letter_unit_month"),
            models.CheckConstraint(condition=Q(number__gt=0), name="letter_number_positive"),
        ]

    @property
    def reference(self) -> str:
        """"125/TB-BHXH", as printed after "Số:"."""
        return f"{self.number}/{self.symbol}"
