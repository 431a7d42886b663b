"""When duties fall due, on the recurring duties the seed plans actually set."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ansinh.tasks.models import occurrence_status
from ansinh.tasks.schedule import SPAN_MONTHS, due_date, period_label, period_starts


def test_a_quarterly_report_is_due_before_the_15th_of_the_next_quarters_first_month():
    """Cần Thơ 2025: "định kỳ hằng quý … trước ngày 15 tháng đầu quý sau"."""
    starts = period_starts(recurrence="quarterly", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    assert starts == [date(2025, 1, 1), date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]
    assert [due_date(period_start=s, offset_months=3, day=15) for s in starts] == [
        date(2025, 4, 15), date(2025, 7, 15), date(2025, 10, 15), date(2026, 1, 15),
    ]


def test_an_annual_report_due_10_12_and_a_monthly_list_due_the_5th_of_the_next_month():
    assert due_date(period_start=date(2025, 1, 1), offset_months=11, day=10) == date(2025, 12, 10)
    months = period_starts(recurrence="monthly", starts_on=date(2025, 8, 27), ends_on=date(2025, 12, 31))
    assert months == [date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)]
    assert due_date(period_start=months[-1], offset_months=1, day=5) == date(2026, 1, 5)


def test_a_day_the_month_lacks_is_its_last_day():
    assert due_date(period_start=date(2024, 1, 1), offset_months=1, day=31) == date(2024, 2, 29)
    assert due_date(period_start=date(2025, 3, 1), offset_months=1, day=31) == date(2025, 4, 30)


def test_a_plan_starting_mid_quarter_counts_the_next_full_quarter_first():
    assert period_starts(recurrence="quarterly", starts_on=date(2025, 8, 27), ends_on=date(2025, 12, 31)) == [date(2025, 10, 1)]
    assert period_starts(recurrence="half_yearly", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)) == [
        date(2025, 1, 1), date(2025, 7, 1),
    ]


def test_period_labels_as_officials_write_them():
    assert period_label(recurrence="quarterly", period_start=date(2025, 7, 1)) == "Quý III/2025"
    assert period_label(recurrence="monthly", period_start=date(2025, 3, 1)) == "Tháng 3/2025"
    assert period_label(recurrence="half_yearly", period_start=date(2025, 1, 1)) == "6 tháng đầu năm 2025"
    assert period_label(recurrence="yearly", period_start=date(2025, 1, 1)) == "Năm 2025"


@given(
    recurrence=st.sampled_from(sorted(SPAN_MONTHS)),
    start=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=800),
)
def test_periods_are_calendar_aligned_inside_the_window_and_none_is_skipped(recurrence, start, length):
    end = date.fromordinal(start.toordinal() + length)
    starts = period_starts(recurrence=recurrence, starts_on=start, ends_on=end)
    span = SPAN_MONTHS[recurrence]
    for first in starts:
        assert first.day == 1 and (first.month - 1) % span == 0
        assert start.replace(day=1) <= first <= end
    gaps = {(b.year - a.year) * 12 + b.month - a.month for a, b in zip(starts, starts[1:])}
    assert gaps <= {span}


@given(st.dates(), st.dates(), st.one_of(st.none(), st.dates()))
def test_an_occurrence_is_on_time_late_missing_or_pending_and_nothing_else(due, today, submitted):
    status = occurrence_status(due_on=due, submitted_on=submitted, today=today)
    if submitted is None:
        assert status == ("missing" if today > due else "pending")
    else:
        assert status == ("on_time" if submitted <= due else "late")
