"""Numbers and dates the way Vietnamese officials write them: 3.095.954 persons, 96,11%, 27/08/2025."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def format_int(value: int | float | Decimal | None) -> str:
    """3095954 → "3.095.954" (dot groups thousands)."""
    if value is None:
        return "–"
    rounded = int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if rounded < 0 else ""
    return sign + f"{abs(rounded):,}".replace(",", ".")


def format_decimal(value: float | Decimal | None, places: int = 2) -> str:
    """96.11 → "96,11" (comma is the decimal mark, dots group thousands)."""
    if value is None:
        return "–"
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    sign = "-" if number < 0 else ""
    return sign + grouped + ("," + fraction if fraction else "")


def format_percent(value: float | Decimal | None, places: int = 2) -> str:
    """96.11 → "96,11%"."""
    return "–" if value is None else format_decimal(value, places) + "%"


def format_date(value: date | None) -> str:
    return "–" if value is None else value.strftime("%d/%m/%Y")
