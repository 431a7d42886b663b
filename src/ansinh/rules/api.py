"""/api/v1/rules: the legal figures in force on a day, with their dates and legal basis."""

# No `from __future__ import annotations`: django-ninja reads the route signatures at runtime.
from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from ansinh.rules.selectors import RuleRow, rules_on

router = Router(tags=["rules"])


class RuleOut(Schema):
    code: str
    label: str
    unit: str
    in_force: bool = Field(..., description="false: không có giá trị hiệu lực vào ngày này")
    value: Decimal | None = Field(None, description="con số (null cho một cách tính)")
    method: str | None = Field(None, description="tên cách tính (hạn đóng, cách tính lãi…)")
    method_label: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    basis: str = ""
    source: str = Field("", description="shipped (kèm An Sinh) hoặc officer (cán bộ đặt)")
    verify: bool = Field(False, description="true: số liệu cần kiểm tra lại với văn bản gốc")


class RulesOut(Schema):
    on: date
    rules: list[RuleOut]


def rule_out(row: RuleRow) -> RuleOut:
    rule = row.in_force
    if rule is None:
        return RuleOut(code=row.code, label=row.label, unit=row.unit, in_force=False)
    return RuleOut(
        code=row.code, label=row.label, unit=row.unit, in_force=True, value=rule.value, method=rule.method,
        method_label=rule.method_label, valid_from=rule.valid_from, valid_to=rule.valid_to, basis=rule.basis,
        source=rule.source, verify=rule.verify,
    )


def rules_out(on: date, rows: list[RuleRow]) -> RulesOut:
    return RulesOut(on=on, rules=[rule_out(row) for row in rows])


@router.get("", response=RulesOut)
def rules_list(request: HttpRequest, on: date | None = None):
    """Every rule and what it says on `on` (YYYY-MM-DD; default today)."""
    day = on or timezone.localdate()
    return rules_out(day, rules_on(day))
