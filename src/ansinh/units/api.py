"""/api/v1/units: the administrative units the caller may see."""

# No `from __future__ import annotations`: django-ninja reads the route signatures at runtime.
from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from ansinh.units.models import OrgUnit
from ansinh.units.selectors import access_unit, unit_list

router = Router(tags=["units"])


class Pages(LimitOffsetPagination):
    """django-ninja's `limit`/`offset` pages with upper bounds: the databases take 64-bit numbers only, and
    a larger `offset` or `limit` was a 500 (found by schemathesis); now it is a 422 like any bad parameter.
    Every paginated route of the API uses this class."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=10_000)
        offset: int = Field(0, ge=0, le=1_000_000_000)


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    division_type: str
    parent: str | None
    path: str
    valid_from: date | None
    valid_to: date | None

    @staticmethod
    def resolve_parent(obj: OrgUnit) -> str | None:
        return obj.parent.code if obj.parent_id else None


class UnitFilters(Schema):
    parent: str | None = None
    kind: OrgUnit.Kind | None = None


@router.get("", response=list[UnitOut])
@paginate(Pages)
def units_list(request: HttpRequest, filters: Query[UnitFilters]):
    """Units in force within the caller's scope; `parent` (a unit code) keeps only its children."""
    parent = access_unit(actor=request.auth, code=filters.parent) if filters.parent else None
    return unit_list(actor=request.auth, parent=parent, kind=filters.kind)


@router.get("/{code}", response=UnitOut)
def unit_detail(request: HttpRequest, code: str):
    return access_unit(actor=request.auth, code=code)


@router.get("/{code}/children", response=list[UnitOut])
def unit_children_list(request: HttpRequest, code: str):
    return unit_list(actor=request.auth, parent=access_unit(actor=request.auth, code=code))
