"""Periods: months and years as before, and quarters ("2025-Q3") for the quarterly reports the plans ask for."""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.core.errors import ValidationFailed
from ansinh.core.periods import Period
from ansinh.targets.attainment_rows import milestone_in_force


def test_a_quarter():
    q3 = Period.parse("2025-Q3")
    assert (q3.first_month, q3.last_month, q3.end) == (date(2025, 7, 1), date(2025, 9, 1), date(2025, 9, 30))
    assert (q3.label, q3.title, q3.kind, q3.quarter, q3.months) == ("2025-Q3", "quý III năm 2025", "quarter", 3, 3)
    assert not q3.is_year and q3.is_quarter
    assert Period.parse(" 2025-q1 ").label == "2025-Q1" and Period.parse("2025-Q4").end == date(2025, 12, 31)


def test_months_and_years_are_unchanged():
    month = Period.parse("2025-10")
    assert (month.label, month.kind, month.is_year, month.is_quarter, month.title) == ("2025-10", "month", False, False, "tháng 10 năm 2025")
    year = Period.parse("2025")
    assert (year.label, year.kind, year.is_year, year.title) == ("2025", "year", True, "năm 2025")
    assert (year.first_month, year.last_month, year.end) == (date(2025, 1, 1), date(2025, 12, 1), date(2025, 12, 31))
    for label in ("2025", "2025-Q2", "2025-03"):
        assert Period.parse(Period.parse(label).label) == Period.parse(label)


@pytest.mark.parametrize("text", ["2025-Q0", "2025-Q5", "2025Q3", "Q3", "2025-13", "2025-3", "", "năm 2025"])
def test_bad_periods_say_what_is_expected(text):
    with pytest.raises(ValidationFailed, match="YYYY-Qn"):
        Period.parse(text)


def test_a_quarter_is_measured_against_the_milestone_a_month_would_be():
    class Milestone:
        def __init__(self, due_on):
            self.due_on = due_on

    milestones = [Milestone(date(2025, 11, 30)), Milestone(date(2025, 12, 20))]
    assert milestone_in_force(milestones, Period.parse("2025-Q3")).due_on == date(2025, 11, 30)
    assert milestone_in_force(milestones, Period.parse("2025-07")).due_on == date(2025, 11, 30)
    assert milestone_in_force(milestones, Period.parse("2025")).due_on == date(2025, 12, 20)
