"""Template filters that write numbers and dates the Vietnamese way, whatever the interface language.

Officials copy these figures into reports written in Vietnamese, so "3.095.954" and "96,11%" stay the
same in the English interface too (Django's own localisation would switch them to 3,095,954).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template

from ansinh.core.formatting import format_date, format_decimal, format_int, format_percent

register = template.Library()


@register.filter
def vn_int(value: int | float | None) -> str:
    """3095954 → "3.095.954"."""
    return format_int(_number(value))


@register.filter
def vn_dec(value: float | None, places: int = 2) -> str:
    """96.1 → "96,10"."""
    return format_decimal(_number(value), int(places))


@register.filter
def vn_pct(value: float | None, places: int = 2) -> str:
    """96.11 → "96,11%"."""
    return format_percent(_number(value), int(places))


@register.filter
def vn_date(value: date | datetime | None) -> str:
    """date(2025, 8, 27) → "27/08/2025"."""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value or None)


@register.filter
def vn_month(value: date | None) -> str:
    """date(2025, 10, 1) → "10/2025"."""
    return "–" if not value else value.strftime("%m/%Y")


def _number(value: object) -> float | int | None:
    if value is None or value == "":
        return None
    return value  # type: ignore[return-value]


@register.filter
def vn_iso_date(value: str | date | None) -> str:
    """"2025-08-27" (as JSON keeps days) → "27/08/2025"; a text that is not an ISO day is shown as written,
    so a form sent back with a bad day shows what the officer typed."""
    if isinstance(value, date):
        return format_date(value)
    try:
        return format_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


@register.filter
def vn_plain(value: object) -> str:
    """A number as an officer types it back: 3095954 → "3.095.954", 96.11 → "96,11", 85.0 → "85"; a text
    that is not a number is shown as written."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value or "")
    if number == number.to_integral_value():
        return format_int(int(number))
    return format(number.normalize(), "f").replace(".", ",")
