"""When a duty falls due: the periods a recurrence covers and each period's due day. Pure functions,
tested alone (and with hypothesis), so the services only store what these say."""

from __future__ import annotations

import calendar
from datetime import date

from ansinh.core.periods import add_months

#: How many months one period of each recurrence spans.
SPAN_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def period_starts(*, recurrence: str, starts_on: date, ends_on: date) -> list[date]:
    """The first day of every period of the recurrence that begins within [starts_on, ends_on].

    Periods are calendar periods (quarters start in January, April, July, October; half-years in January
    and July), as the plans mean them: "báo cáo quý" is about a calendar quarter, whenever the plan starts."""
    span = SPAN_MONTHS[recurrence]
    month0 = (starts_on.month - 1) // span * span + 1
    current = date(starts_on.year, month0, 1)
    if current < starts_on:  # a period already under way when the plan starts is not the plan's
        current = add_months(current, span)
    found = []
    while current <= ends_on:
        found.append(current)
        current = add_months(current, span)
    return found


def due_date(*, period_start: date, offset_months: int, day: int) -> date:
    """Day `day` of the month `offset_months` after the period's first month; a day the month lacks
    (31 in a 30-day month, 30 in February) becomes its last day."""
    month = add_months(period_start, offset_months)
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(day, last))


def period_label(*, recurrence: str, period_start: date) -> str:
    """How officials name the period: "Tháng 3/2025", "Quý I/2025", "6 tháng đầu năm 2025", "Năm 2025"."""
    if recurrence == "monthly":
        return f"Tháng {period_start.month}/{period_start.year}"
    if recurrence == "quarterly":
        return f"Quý {ROMAN[(period_start.month - 1) // 3]}/{period_start.year}"
    if recurrence == "half_yearly":
        half = "đầu năm" if period_start.month <= 6 else "cuối năm"
        return f"6 tháng {half} {period_start.year}"
    if recurrence == "yearly":
        return f"Năm {period_start.year}"
    return ""


ROMAN = ("I", "II", "III", "IV")
