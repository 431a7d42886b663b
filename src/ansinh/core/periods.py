"""Periods: a month ("2025-10") or a year ("2025"), as the plans and the monthly reports use them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ansinh.core.errors import ValidationFailed

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_month(text: str) -> date | None:
    """`"2025-10"` → 1/10/2025; None when the text is not a real month."""
    match = _MONTH.match(text.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return None
    return date(year, month, 1)


def month_end(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Whole months from `first` to `last` (both first days of a month)."""
    return (last.year - first.year) * 12 + last.month - first.month


def month_label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


@dataclass(frozen=True)
class Period:
    """A month or a whole year; `last_month` is the month whose stock counts stand for the period."""

    first_month: date
    last_month: date

    @property
    def is_year(self) -> bool:
        return self.first_month != self.last_month

    @property
    def end(self) -> date:
        return month_end(self.last_month)

    @property
    def label(self) -> str:
        return str(self.first_month.year) if self.is_year else month_label(self.first_month)

    @classmethod
    def parse(cls, text: str) -> "Period":
        if month := parse_month(text):
            return cls(month, month)
        if _YEAR.match(text.strip()):
            year = int(text)
            return cls(date(year, 1, 1), date(year, 12, 1))
        raise ValidationFailed(f"Kỳ báo cáo “{text}” không hợp lệ: dùng YYYY (năm) hoặc YYYY-MM (tháng).")
