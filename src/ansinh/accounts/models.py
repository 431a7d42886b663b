"""Users with an org-unit scope and a role, API tokens, and the audit log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """Every user works for one org unit and sees only that unit's subtree."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Quản trị cấp tỉnh"
        EDITOR = "editor", "Biên tập"
        VIEWER = "viewer", "Xem"

    org_unit = models.ForeignKey("core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(org_unit__isnull=False) | Q(is_superuser=True), name="user_has_scope_unless_superuser"
            )
        ]

    @property
    def can_edit(self) -> bool:
        return self.is_superuser or self.role in (self.Role.ADMIN, self.Role.EDITOR)

    @property
    def is_province_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN


class ApiToken(models.Model):
    """A bearer token for scripts. Only a hash is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell tokens apart in lists.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AuditEvent(models.Model):
    """Who did what, to what, when: written in the same transaction as the change it records."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"
