"""Writes about administrative units: the official 2025 list, units below a commune, old→new mappings."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from typing import TYPE_CHECKING

from django.db import transaction

from ansinh.audit.services import audit_record
from ansinh.core.errors import ImportRejected, RowError, ValidationFailed
from ansinh.core.numbers import parse_decimal
from ansinh.units.models import OrgUnit, UnitSuccession
from ansinh.core.tabular import read_rows

if TYPE_CHECKING:
    from ansinh.accounts.models import User

#: The day the 34-province, 3,321-commune structure took effect (Resolution 202/2025/QH15).
REFORM_DATE = date(2025, 7, 1)

#: Units a commune may hold below it, and units those may hold.
_BELOW = {
    OrgUnit.Kind.PROVINCE: {OrgUnit.Kind.DISTRICT, OrgUnit.Kind.COMMUNE},
    OrgUnit.Kind.DISTRICT: {OrgUnit.Kind.COMMUNE},
    OrgUnit.Kind.COMMUNE: {OrgUnit.Kind.VILLAGE, OrgUnit.Kind.COLLECTION_ORG},
    OrgUnit.Kind.COLLECTION_ORG: {OrgUnit.Kind.AGENT},
}


def units_load_official(*, actor: User, province_codes: set[str] | None = None) -> dict[str, int]:
    """Load (or refresh) the official 2025 provinces and communes from the vietnam-provinces package.

    Safe to run again: existing units are updated in place, nothing is duplicated.
    Returns how many provinces and communes were created.
    """
    from vietnam_provinces import Province, Ward

    provinces = [p for p in Province.iter_all() if province_codes is None or f"{int(p.code):02d}" in province_codes]
    wanted = {int(p.code) for p in provinces}
    wards = [w for w in Ward.iter_all() if int(w.province_code) in wanted]
    created = {"provinces": 0, "communes": 0}
    with transaction.atomic():
        existing = {u.code: u for u in OrgUnit.objects.current().filter(kind__in=["province", "commune"])}
        by_code: dict[str, OrgUnit] = {}
        for province in provinces:
            code = f"{int(province.code):02d}"
            unit = existing.get(code) or OrgUnit(code=code, kind=OrgUnit.Kind.PROVINCE, valid_from=REFORM_DATE)
            unit.name, unit.division_type, unit.path = province.name, province.division_type.value, f"/{code}/"
            if unit.pk is None:
                created["provinces"] += 1
            unit.save()
            by_code[code] = unit
        new_wards = []
        for ward in wards:
            code, parent = f"{int(ward.code):05d}", by_code[f"{int(ward.province_code):02d}"]
            unit = existing.get(code)
            if unit is None:
                new_wards.append(
                    OrgUnit(
                        code=code, name=ward.name, kind=OrgUnit.Kind.COMMUNE, division_type=ward.division_type.value,
                        parent=parent, path=f"{parent.path}{code}/", valid_from=REFORM_DATE,
                    )
                )
            elif unit.name != ward.name or unit.parent_id != parent.pk:
                unit.name, unit.parent, unit.path = ward.name, parent, f"{parent.path}{code}/"
                unit.save(update_fields=["name", "parent", "path"])
        OrgUnit.objects.bulk_create(new_wards, batch_size=1000)
        created["communes"] = len(new_wards)
        audit_record(actor=actor, action="units.load_official", **created)
    return created


def unit_add(*, actor: User, parent: OrgUnit, code: str, name: str, kind: str) -> OrgUnit:
    """Add a unit below a commune (village, collection organization, agent) so targets can reach it."""
    from ansinh.units.selectors import require_editor

    require_editor(actor=actor, unit=parent)
    try:
        kind = OrgUnit.Kind(kind)
    except ValueError:
        raise ValidationFailed(f"Loại đơn vị “{kind}” không hợp lệ: village, collection_org hoặc agent.") from None
    if kind not in _BELOW.get(parent.kind, set()):
        raise ValidationFailed(f"Không thể tạo {kind.label.lower()} trực thuộc {parent.get_kind_display().lower()}.")
    full_code = code if code.startswith(parent.code) else f"{parent.code}.{code}"
    if OrgUnit.objects.current().filter(code=full_code).exists():
        raise ValidationFailed(f"Mã đơn vị “{full_code}” đã tồn tại.")
    with transaction.atomic():
        unit = OrgUnit.objects.create(
            code=full_code, name=name, kind=kind, parent=parent, path=f"{parent.path}{full_code}/"
        )
        audit_record(actor=actor, action="unit.add", obj=unit, parent=parent.code)
    return unit


_CODE_LENGTH = OrgUnit._meta.get_field("code").max_length
_NAME_LENGTH = OrgUnit._meta.get_field("name").max_length


def units_load_mapping(
    *, actor: User, content: bytes, filename: str, effective: date = REFORM_DATE
) -> dict[str, int]:
    """Read `old_code, new_code, share[, old_name]`: how each old unit's people went to the new ones.

    An old code not yet known becomes a retired unit (valid until `effective`) under the successor's province,
    so last year's actuals can be imported for it and shown on this year's communes. All-or-nothing; rerunning
    the same file changes nothing. The shares of one old unit must add up to 1.
    """
    rows = read_rows(content=content, filename=filename, required=("old_code", "new_code", "share"))
    current = {u.code: u for u in OrgUnit.objects.current()}
    errors: list[RowError] = []
    parsed: list[tuple[int, str, OrgUnit, Decimal, str]] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        old_code, new_code = row.values["old_code"], row.values["new_code"]
        successor = current.get(new_code)
        if successor is None:
            errors.append(RowError(row.line, "new_code", f"không có đơn vị hiện hành mã “{new_code}”"))
            continue
        if not old_code:
            errors.append(RowError(row.line, "old_code", "bỏ trống"))
            continue
        if len(old_code) > _CODE_LENGTH:  # the columns' own limits: PostgreSQL would refuse the row with a 500
            errors.append(RowError(row.line, "old_code", f"dài quá {_CODE_LENGTH} ký tự"))
            continue
        if len(row.values.get("old_name", "")) > _NAME_LENGTH:
            errors.append(RowError(row.line, "old_name", f"dài quá {_NAME_LENGTH} ký tự"))
            continue
        if (old_code, new_code) in seen:
            errors.append(RowError(row.line, "old_code", f"cặp {old_code} → {new_code} bị lặp"))
            continue
        seen.add((old_code, new_code))
        try:
            share = parse_decimal(row.values["share"], grouping=False)
        except ValueError:
            errors.append(RowError(row.line, "share", f"“{row.values['share']}” không phải là số"))
            continue
        if not share.is_finite() or not (0 < share <= 1):  # NaN cannot even be compared
            errors.append(RowError(row.line, "share", "tỷ lệ phải lớn hơn 0 và không quá 1"))
            continue
        parsed.append((row.line, old_code, successor, share, row.values.get("old_name", "")))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    last_line: dict[str, int] = {}
    for line, old_code, _, share, _ in parsed:
        totals[old_code] += share
        last_line[old_code] = line
    for old_code, total in totals.items():
        if abs(total - 1) > Decimal("0.0001"):
            errors.append(RowError(last_line[old_code], "share", f"tổng tỷ lệ của đơn vị cũ {old_code} là {total}, phải bằng 1"))
    if errors:
        raise ImportRejected(errors=sorted(errors, key=lambda e: e.line))
    return _save_mapping(actor=actor, parsed=parsed, effective=effective, filename=filename)


def _save_mapping(*, actor: User, parsed, effective: date, filename: str) -> dict[str, int]:
    counts = {"old_units_created": 0, "links_created": 0, "links_updated": 0}
    with transaction.atomic():
        for _, old_code, successor, share, old_name in parsed:
            old = OrgUnit.objects.filter(code=old_code, valid_to=effective).first()
            if old is None:
                province = successor.path.strip("/").split("/")[0]
                parent = OrgUnit.objects.current().get(code=province)
                old = OrgUnit.objects.create(
                    code=old_code, name=old_name or f"Đơn vị cũ {old_code}", kind=OrgUnit.Kind.COMMUNE,
                    parent=parent, path=f"{parent.path}~{old_code}/", valid_to=effective,
                )
                counts["old_units_created"] += 1
            link, created = UnitSuccession.objects.get_or_create(
                predecessor=old, successor=successor, defaults={"share": share}
            )
            if created:
                counts["links_created"] += 1
            elif link.share != share:
                link.share = share
                link.save(update_fields=["share"])
                counts["links_updated"] += 1
        audit_record(actor=actor, action="units.load_mapping", file=filename, **counts)
    return counts
