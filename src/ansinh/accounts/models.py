"""Users with an org-unit scope and a role, API tokens, and failed log-ins (the audit log is `ansinh.audit`)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models, transaction
from django.db.models import Q

SYSTEM_USERNAME = "system"


class UserManager(DjangoUserManager):
    """Django's manager (it creates users, as `create_superuser` does) plus the operator's own account."""

    def system(self) -> "User":
        """The account that stands for the server's operator (the CLI without `--as`, scheduled jobs).

        A superuser without a password (nobody can log in as it). Its creation is audited like any
        account's, so every write in the log has an actor, the operator's included. Reached through
        `get_user_model()`, so the command line's toolkit needs nothing of this app but the model."""
        from ansinh.audit.services import audit_record

        with transaction.atomic():
            user, created = self.get_or_create(username=SYSTEM_USERNAME, defaults={"is_superuser": True, "is_staff": False})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                audit_record(actor=user, action="user.create", obj=user, role="system", org_unit="")
        return user


class User(AbstractUser):
    """Every user works for one org unit and sees only that unit's subtree."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Quản trị cấp tỉnh"
        EDITOR = "editor", "Biên tập"
        VIEWER = "viewer", "Xem"
        AUDITOR = "auditor", "Kiểm tra nhật ký"
        AGENCY = "agency", "Cán bộ sở, ngành"

    org_unit = models.ForeignKey("core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    # Optional second factor for administrators (`accounts.twofactor`): an RFC 6238 secret, in force once a
    # code from it has been confirmed; the last time step accepted, so a code cannot be used twice.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.BigIntegerField(null=True, blank=True)

    objects = UserManager()

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

    @property
    def is_agency_user(self) -> bool:
        """Works for a department or body the plan gives tasks to: sees the dashboards of their scope and
        hands in their agencies' duties, nothing more (no targets, no lists of people)."""
        return self.role == self.Role.AGENCY

    @property
    def sees_personal_data(self) -> bool:
        """Need to know: the province's and the communes' own staff; not an auditor, not an agency."""
        return self.is_superuser or self.role in (self.Role.ADMIN, self.Role.EDITOR, self.Role.VIEWER)

    @property
    def has_second_factor(self) -> bool:
        return bool(self.totp_secret) and self.totp_confirmed_at is not None

    @property
    def is_auditor(self) -> bool:
        """Reads the audit log (and nothing personal): a role of its own, so the one who checks is not
        the one who is checked."""
        return self.is_superuser or self.role == self.Role.AUDITOR


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


class LoginFailure(models.Model):
    """A failed log-in, kept to throttle guessing (per user name and per address); the audit log keeps
    the record, this table only the recent window and is cleared for a user name on success."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
