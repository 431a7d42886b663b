"""A plan document read into a draft, which an officer reviews beside the source text and saves as a plan
with its targets and tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ansinh.targets.models import Plan


class PlanDraft(models.Model):
    """What the reader made of one document (`data`, the reader's JSON as the officer corrects it), with
    the repaired text it read, kept so the review can show both side by side and the saved plan can be
    traced back to its source."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        SAVED = "saved", "Đã lưu thành kế hoạch"

    file_name = models.CharField(max_length=255)
    source_text = models.TextField()
    data = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.data.get('number') or self.file_name} ({self.get_status_display()})"
