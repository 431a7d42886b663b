"""The audit log (nhật ký): who did what, to what, when. Below every app that writes, so each can record
its changes in the same transaction; it knows users only by Django's `AUTH_USER_MODEL`."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AppendOnly(models.QuerySet):
    """The audit log is never edited or deleted through the app (a restore loads rows raw, below this)."""

    def update(self, **kwargs):
        raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được xóa.")


class AuditEvent(models.Model):
    """Who did what, to what, when: written in the same transaction as the change it records.
    Append-only: a row once written is never changed or removed by the app."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AppendOnly.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        db_table = "accounts_auditevent"  # the table kept its name when the model left `accounts`

    def save(self, *args, **kwargs):
        if self.pk is not None and AuditEvent.objects.filter(pk=self.pk).exists():
            raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Nhật ký kiểm tra chỉ được ghi thêm, không được xóa.")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"
