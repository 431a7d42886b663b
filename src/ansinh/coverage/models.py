"""Steering-side record of each coverage run: what was computed, from which extract, what was kept out."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CoverageRun(models.Model):
    """One run of the engine whose counts became monthly actuals (or would have, for a dry run)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    province = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    engine = models.CharField(max_length=20)
    first_month = models.DateField()
    months = models.PositiveSmallIntegerField()
    data_as_of = models.DateField(null=True, blank=True, help_text="Day of the person-level extract.")
    persons = models.PositiveBigIntegerField(help_text="Valid persons counted.")
    seconds = models.FloatField()
    problems = models.JSONField(default=list, help_text="Rows kept out: rule, rows, masked examples.")
    batch = models.ForeignKey("targets.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dry_run = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.first_month:%m/%Y} +{self.months} ({self.engine})"
