"""Reading the audit log, for the auditor's page."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from ansinh.audit.models import AuditEvent
from ansinh.core.errors import PermissionDenied

if TYPE_CHECKING:
    from ansinh.accounts.models import User


def audit_search(
    *, actor: User, action: str = "", username: str = "", obj: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEvent]:
    """The audit log for an auditor (or the province administrator), newest first, filtered: `action` a
    prefix (`login`, `export.`), `username` the actor or the user name a failed log-in tried, `obj` a type
    or `type:id`, `since`/`until` days (inclusive)."""
    if not (actor.is_auditor or actor.is_province_admin):
        raise PermissionDenied("Chỉ người kiểm tra nhật ký hoặc quản trị cấp tỉnh mới xem được nhật ký.")
    found = AuditEvent.objects.select_related("actor")
    if action:
        found = found.filter(action__startswith=action.strip())
    if username:
        name = username.strip()
        found = found.filter(Q(actor__username=name) | Q(action="login.failed", detail__username=name))
    if obj:
        kind, _, key = obj.strip().partition(":")
        found = found.filter(object_type__iexact=kind, **({"object_id": key} if key else {}))
    zone = timezone.get_current_timezone()
    if since:
        found = found.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        found = found.filter(at__lte=datetime.combine(until, time.max, tzinfo=zone))
    return found
