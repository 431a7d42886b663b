"""Reads about administrative units, and the access selectors that fetch a unit and authorise in one step
(so no door filters by org unit on its own). They read only what a user carries (`org_unit`,
`is_superuser`, `can_edit`), so units sit below accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.units.models import OrgUnit

if TYPE_CHECKING:
    from ansinh.accounts.models import User


def scope_units(*, actor: User) -> QuerySet[OrgUnit]:
    """Every unit the user may see: their own unit and everything below it."""
    if actor.is_superuser and actor.org_unit_id is None:
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(path__startswith=actor.org_unit.path)


def access_unit(*, actor: User, code: str) -> OrgUnit:
    """The current unit with this code, if the user's scope covers it."""
    unit = OrgUnit.objects.current().filter(code=code).first()
    if unit is None:
        raise NotFound(f"Không có đơn vị mã “{code}”.")
    if not scope_units(actor=actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(f"Đơn vị “{unit.name}” nằm ngoài phạm vi được phân quyền của bạn.")
    return unit


def home_unit(*, actor: User) -> OrgUnit:
    """The unit a user's pages open on: their own, or the first province for a scope-less superuser."""
    if actor.org_unit_id:
        return actor.org_unit
    unit = OrgUnit.objects.current().filter(kind=OrgUnit.Kind.PROVINCE).first()
    if unit is None:
        raise NotFound("Chưa có đơn vị hành chính nào: hãy chạy `ansinh units load`.")
    return unit


def require_editor(*, actor: User, unit: OrgUnit) -> None:
    """Raise unless the user may change data of `unit` (editor or admin, and in scope)."""
    if not actor.can_edit:
        raise PermissionDenied("Tài khoản của bạn chỉ có quyền xem.")
    if not scope_units(actor=actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(f"Đơn vị “{unit.name}” nằm ngoài phạm vi được phân quyền của bạn.")


def unit_children(*, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit's children in force, in code order."""
    return OrgUnit.objects.current().filter(parent=unit).order_by("code")


def unit_current_communes(*, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Communes in force at or below `unit` (a commune returns itself): the level steering data is kept at."""
    return OrgUnit.objects.current().filter(path__startswith=unit.path, kind=OrgUnit.Kind.COMMUNE)


def unit_ancestors(*, unit: OrgUnit) -> list[OrgUnit]:
    """From the top (province) down to the unit's parent, for breadcrumbs."""
    codes = unit.path.strip("/").split("/")[:-1]
    found = {u.path: u for u in OrgUnit.objects.filter(code__in=codes)}
    result, prefix = [], "/"
    for code in codes:
        prefix += f"{code}/"
        if prefix in found:
            result.append(found[prefix])
    return result


def unit_list(*, actor: User, parent: OrgUnit | None = None, kind: str | None = None) -> QuerySet[OrgUnit]:
    """Units in force within the user's scope, optionally only the children of `parent` or of one kind.

    `parent` must already be authorised (accounts.selectors.access_unit); the scope filter still applies.
    """
    units = scope_units(actor=actor).current()
    if parent is not None:
        units = units.filter(parent=parent)
    if kind:
        units = units.filter(kind=kind)
    return units.select_related("parent").order_by("path")
