"""Writes to the rules registry: an officer records a rule's value from a day on, audited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from ansinh.audit.services import audit_record
from ansinh.core.numbers import parse_decimal
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.rules.models import Parameter
from ansinh.rules.registry import rule

if TYPE_CHECKING:
    from ansinh.accounts.models import User


def rule_set(*, actor: User, code: str, value: str, valid_from: date, basis: str) -> Parameter:
    """Record a rule value from a day on (a new decree); earlier days keep their value. Province only.

    A method rule (a deadline regime, a charge method) changes with a release, not a number typed in."""
    if not actor.is_province_admin:
        raise PermissionDenied("Chỉ quản trị cấp tỉnh được đặt tham số nghiệp vụ.")
    found = rule(code)
    if found.is_method:
        raise ValidationFailed(f"Tham số “{code}” là một cách tính, không đặt bằng một con số; cần bản cập nhật An Sinh.")
    try:
        number = parse_decimal(value, grouping=False)
    except ValueError:
        raise ValidationFailed(f"Giá trị “{value}” không phải là số.") from None
    if number < 0:
        raise ValidationFailed("Giá trị tham số không được âm.")
    if not basis.strip():
        raise ValidationFailed("Cần ghi căn cứ pháp lý (văn bản, điều khoản).")
    with transaction.atomic():
        row, _ = Parameter.objects.update_or_create(code=code, valid_from=valid_from, defaults={"value": number, "basis": basis.strip()[:300]})
        audit_record(actor=actor, action="parameter.set", obj=row, code=code, value=str(number), valid_from=valid_from.isoformat())
    return row
