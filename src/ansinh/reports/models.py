"""The history of periodic reports: each one made, by whom, for which plan, unit and period, and its files.

The two files (the DOCX report and its XLSX annex) are kept in the row itself. A report is a few hundred
kilobytes and a province makes a few dozen a year, so the database holds them easily; in return the row,
its files and the audit row are written in one transaction, a backup of the database is a backup of every
report sent, and several web servers need no shared disk (files under `VAR_DIR` could go missing or be
left without a row).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ansinh.units.models import OrgUnit
from ansinh.targets.models import Plan

#: What a list of reports reads: everything but the files themselves.
FILE_FIELDS = ("docx", "xlsx")


class Report(models.Model):
    """One periodic report on a plan (báo cáo định kỳ): a month, a quarter or a year, for a province or a commune."""

    class Kind(models.TextChoices):
        MONTH = "month", "Tháng"
        QUARTER = "quarter", "Quý"
        YEAR = "year", "Năm"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(max_length=10, help_text='"2025-10", "2025-Q3" or "2025".')
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.CharField(max_length=60, blank=True, help_text="Số/ký hiệu, when given (else left for the văn thư).")
    data_month = models.DateField(null=True, blank=True, help_text="Latest month with figures in the period.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    seconds = models.FloatField(default=0, help_text="How long making it took.")
    docx_name = models.CharField(max_length=200)
    docx_size = models.PositiveIntegerField()
    docx = models.BinaryField()
    xlsx_name = models.CharField(max_length=200)
    xlsx_size = models.PositiveIntegerField()
    xlsx = models.BinaryField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["plan", "unit", "period"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["month", "quarter", "year"]), name="report_kind_known"),
        ]

    def __str__(self) -> str:
        return f"Báo cáo {self.period} {self.unit.code} ({self.plan.number})"

    @property
    def period_title(self) -> str:
        """"quý III năm 2025": the period as the report's title names it."""
        from ansinh.core.periods import Period

        return Period.parse(self.period).title
