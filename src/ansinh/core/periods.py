"""Periods: a month ("2025-10"), a quarter ("2025-Q3") or a year ("2025"), as the plans and their monthly,
quarterly and annual reports use them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ansinh.core.errors import ValidationFailed

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
ROMAN_QUARTERS = ("I", "II", "III", "IV")


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
    """A month, a quarter or a whole year; `last_month` is the month whose stock counts stand for the period.

    `is_year` means the twelve months of a year, so a quarter is neither a month nor a year: code that asks
    `is_year` (the milestone in force, the dashboard's picker) treats a quarter as it treats a month, by its
    first month, and a year's figures stay those of the year's last deadline.
    """

    first_month: date
    last_month: date

    @property
    def months(self) -> int:
        return months_between(self.first_month, self.last_month) + 1

    @property
    def is_year(self) -> bool:
        return self.months == 12 and self.first_month.month == 1

    @property
    def is_quarter(self) -> bool:
        return self.months == 3 and self.first_month.month % 3 == 1

    @property
    def kind(self) -> str:
        """"month", "quarter" or "year" (the report kinds the plans ask for)."""
        return "year" if self.is_year else "quarter" if self.is_quarter else "month"

    @property
    def quarter(self) -> int:
        return (self.first_month.month - 1) // 3 + 1

    @property
    def end(self) -> date:
        return month_end(self.last_month)

    @property
    def label(self) -> str:
        """What the CLI, the API and links carry: "2025", "2025-Q3", "2025-10"."""
        if self.is_year:
            return str(self.first_month.year)
        if self.is_quarter:
            return f"{self.first_month.year:04d}-Q{self.quarter}"
        return month_label(self.first_month)

    @property
    def title(self) -> str:
        """How a report names it: "tháng 10 năm 2025", "quý III năm 2025", "năm 2025"."""
        year = self.first_month.year
        if self.is_year:
            return f"năm {year}"
        if self.is_quarter:
            return f"quý {ROMAN_QUARTERS[self.quarter - 1]} năm {year}"
        return f"tháng {self.first_month.month} năm {year}"

    @classmethod
    def parse(cls, text: str) -> Period:
        text = text.strip()
        if month := parse_month(text):
            return cls(month, month)
        if match := _QUARTER.match(text):
            year, quarter = int(match[1]), int(match[2])
            if 1900 <= year <= 2200:
                first = date(year, 3 * quarter - 2, 1)
                return cls(first, add_months(first, 2))
        if _YEAR.match(text):
            year = int(text)
            return cls(date(year, 1, 1), date(year, 12, 1))
        raise ValidationFailed(
            f"Kỳ báo cáo “{text}” không hợp lệ: dùng YYYY (năm), YYYY-Qn (quý, ví dụ 2025-Q3) hoặc YYYY-MM (tháng)."
        )
