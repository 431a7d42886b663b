"""Access selectors: fetch and authorise in one step, so no door filters by org unit on its own."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from ansinh.accounts.models import AuditEvent, User
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.core.models import OrgUnit


def scope_units(*, actor: User) -> QuerySet[OrgUnit]:
    """Every unit the user may see: their own unit and everything below it."""
    if actor.is_superuser and actor.org_unit_id is None:
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(path__startswith=actor.org_unit.path)


def access_unit(*, actor: User, code: str) -> OrgUnit:
    """The current unit with this code, if the user's scope covers it."""
    unit = OrgUnit.objects.filter(code=code, valid_to__isnull=True).first()
    if unit is None:
        raise NotFound(f"Không có đơn vị mã “{code}”.")
    if not scope_units(actor=actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(f"Đơn vị “{unit.name}” nằm ngoài phạm vi được phân quyền của bạn.")
    return unit


def home_unit(*, actor: User) -> OrgUnit:
    """The unit a user's pages open on: their own, or the first province for a scope-less superuser."""
    if actor.org_unit_id:
        return actor.org_unit
    unit = OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, valid_to__isnull=True).first()
    if unit is None:
        raise NotFound("Chưa có đơn vị hành chính nào: hãy chạy `ansinh units load`.")
    return unit


def require_editor(*, actor: User, unit: OrgUnit) -> None:
    """Raise unless the user may change data of `unit` (editor or admin, and in scope)."""
    if not actor.can_edit:
        raise PermissionDenied("Tài khoản của bạn chỉ có quyền xem.")
    if not scope_units(actor=actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(f"Đơn vị “{unit.name}” nằm ngoài phạm vi được phân quyền của bạn.")


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
