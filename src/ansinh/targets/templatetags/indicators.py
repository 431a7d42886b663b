"""`{% load indicators %}`: an indicator's value as it reads (persons or percent). Kept in the targets app,
beside the indicator registry it reads, so the web kernel's `vn` filters know nothing of indicators."""

from __future__ import annotations

from django import template

from ansinh.core.formatting import format_int, format_percent
from ansinh.targets.indicators import Indicator, Kind

register = template.Library()


@register.filter
def vn_value(value: float | None, indicator: Indicator) -> str:
    """An indicator's value as it reads: persons for a count, percent for a rate or a growth."""
    return format_int(_number(value)) if indicator.kind is Kind.COUNT else format_percent(_number(value))


def _number(value: object) -> float | int | None:
    return None if value is None or value == "" else value  # type: ignore[return-value]
