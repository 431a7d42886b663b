"""Access selectors: fetch and authorise in one step, so no door filters by org unit on its own."""

from __future__ import annotations

from django.db.models import QuerySet

from ansinh.accounts.models import User
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
