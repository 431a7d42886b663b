"""Reads about administrative units."""

from __future__ import annotations

from django.db.models import QuerySet

from ansinh.accounts.models import User
from ansinh.accounts.selectors import scope_units
from ansinh.core.models import OrgUnit


def unit_children(*, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit's children in force, in code order."""
    return OrgUnit.objects.filter(parent=unit, valid_to__isnull=True).order_by("code")


def unit_current_communes(*, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Communes in force at or below `unit` (a commune returns itself): the level steering data is kept at."""
    return OrgUnit.objects.filter(path__startswith=unit.path, kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True)


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
    units = scope_units(actor=actor).filter(valid_to__isnull=True)
    if parent is not None:
        units = units.filter(parent=parent)
    if kind:
        units = units.filter(kind=kind)
    return units.select_related("parent").order_by("path")
