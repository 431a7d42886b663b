"""The late-payment rules of interest.py on one unit's ledger, each case worked out by hand.

The charge is 0.03% a day (0.0003 × amount × days late); the arithmetic is written next to each case.
Days late run from the day after the deadline up to and including the payment day (or the report day).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ansinh.employers.interest import ArrearsRules, charge, days_late, deadline, due_in_year, ledger_statements, outstanding_on, round_dong, settle, dues, payments, status, unit_statement
from ansinh.employers.records import EVASION, LATE, MonthOwed, UnitArrears

RULES = ArrearsRules()


def due(period: date, amount: int, unit: str = "TA0001A") -> dict:
    return {"unit_code": unit, "period": period, "amount_due": amount, "amount_paid": 0, "paid_on": None}


def pay(day: date, amount: int, period: date | None = None, unit: str = "TA0001A") -> dict:
    return {"unit_code": unit, "period": period, "amount_due": 0, "amount_paid": amount, "paid_on": day}


def statement(rows, as_of: date, rules: ArrearsRules = RULES):
    return unit_statement(rows, as_of=as_of, rules=rules)


# ------------------------------------------------------------------------------------------ the calendar


def test_deadline_is_the_last_day_of_the_following_month():
    assert deadline(date(2025, 1, 1)) == date(2025, 2, 28)
    assert deadline(date(2025, 3, 1)) == date(2025, 4, 30)
    assert deadline(date(2025, 11, 1)) == date(2025, 12, 31)
    assert deadline(date(2025, 12, 1)) == date(2026, 1, 31)  # across the year
    assert deadline(date(2025, 1, 15)) == date(2025, 2, 28)  # any day names its month


def test_leap_years():
    assert deadline(date(2024, 1, 1)) == date(2024, 2, 29)
    assert deadline(date(2025, 1, 1)) == date(2025, 2, 28)
    assert deadline(date(2000, 1, 1)) == date(2000, 2, 29)
    assert deadline(date(2100, 1, 1)) == date(2100, 2, 28)


def test_a_deadline_on_a_weekend_is_still_the_deadline():
    # April 2025 is due by Saturday 31/05/2025; paid on Monday 02/06/2025 it is 2 days late (1/6 and 2/6):
    # 10,000,000 × 2 × 0.0003 = 6,000 đ, shown in the June report as the charge on a month paid late.
    assert deadline(date(2025, 4, 1)) == date(2025, 5, 31)
    assert date(2025, 5, 31).weekday() == 5
    result = statement([due(date(2025, 4, 1), 10_000_000), pay(date(2025, 6, 2), 10_000_000)], date(2025, 6, 30))
    assert result.months == ()
    assert result.interest_on_paid == 6_000


def test_days_late_count_from_the_day_after_the_deadline_up_to_and_including_the_day():
    assert days_late(date(2025, 2, 28), date(2025, 2, 28)) == 0
    assert days_late(date(2025, 2, 28), date(2025, 3, 1)) == 1
    assert days_late(date(2025, 2, 28), date(2025, 3, 15)) == 15
    assert days_late(date(2025, 2, 28), date(2025, 1, 20)) == 0  # paid early


# ---------------------------------------------------------------------------------------- the charge


def test_a_payment_on_the_deadline_costs_nothing():
    rows = [due(date(2025, 1, 1), 5_000_000), pay(date(2025, 2, 28), 5_000_000)]
    for as_of in (date(2025, 2, 28), date(2025, 3, 31)):
        result = statement(rows, as_of)
        assert result.months == () and result.interest_on_paid == 0


def test_a_payment_that_arrives_late():
    # January 2025, 10,000,000 đ due 28/02, paid 15/03: 15 days × 10,000,000 × 0.0003 = 45,000 đ.
    rows = [due(date(2025, 1, 1), 10_000_000), pay(date(2025, 3, 15), 10_000_000)]
    # Before it is paid (report on 10/03): owed, 10 days late, 10 × 10,000,000 × 0.0003 = 30,000 đ.
    before = statement(rows, date(2025, 3, 10))
    assert before.months == (
        MonthOwed(date(2025, 1, 1), 10_000_000, 10_000_000, date(2025, 2, 28), 10, 30_000, LATE),
    )
    # The March report: nothing owed, the charge shows once, as the charge on a month paid late.
    assert statement(rows, date(2025, 3, 31)).interest_on_paid == 45_000
    assert statement(rows, date(2025, 3, 31)).months == ()
    # The April report no longer shows it (it was settled in March).
    assert statement(rows, date(2025, 4, 30)).interest_on_paid == 0


def test_partial_payments_are_charged_part_by_part():
    # March 2025, 20,000,000 đ due 30/04/2025:
    #   10,000,000 paid 20/04 (on time: 0 days),
    #    4,000,000 paid 10/05 (10 days late: 1/5 … 10/5),
    #    6,000,000 still unpaid on 31/05 (31 days late: 1/5 … 31/5).
    # Charge: 0.0003 × (4,000,000 × 10 + 6,000,000 × 31) = 0.0003 × 226,000,000 = 67,800 đ.
    rows = [
        due(date(2025, 3, 1), 20_000_000),
        pay(date(2025, 4, 20), 10_000_000),
        pay(date(2025, 5, 10), 4_000_000),
    ]
    result = statement(rows, date(2025, 5, 31))
    assert result.months == (MonthOwed(date(2025, 3, 1), 20_000_000, 6_000_000, date(2025, 4, 30), 31, 67_800, LATE),)
    assert result.interest_on_paid == 0
    # The rest, 6,000,000, paid 15/06 (46 days late: 31 in May + 15 in June). The June report:
    # 0.0003 × (4,000,000 × 10 + 6,000,000 × 46) = 0.0003 × 316,000,000 = 94,800 đ on a month paid late.
    settled = statement([*rows, pay(date(2025, 6, 15), 6_000_000)], date(2025, 6, 30))
    assert settled.months == ()
    assert settled.interest_on_paid == 94_800


def test_the_charge_runs_on_each_days_unpaid_amount_only():
    # Settling the parts splits the month exactly: the parts and the rest add up to the amount due.
    months = settle(
        dues([due(date(2025, 3, 1), 20_000_000)]),
        payments([pay(date(2025, 4, 20), 10_000_000), pay(date(2025, 5, 10), 4_000_000)], as_of=date(2025, 5, 31)),
    )
    (march,) = months
    assert [(p.amount, p.paid_on) for p in march.parts] == [(10_000_000, date(2025, 4, 20)), (4_000_000, date(2025, 5, 10))]
    assert march.unpaid == 6_000_000
    assert march.settled_on is None


def test_payments_after_the_report_day_do_not_count_yet():
    # January 2025, 1,000,000 đ, paid 10/04/2025; the report of 31/03 still sees it owed, 31 days late:
    # 0.0003 × 1,000,000 × 31 = 9,300 đ.
    rows = [due(date(2025, 1, 1), 1_000_000), pay(date(2025, 4, 10), 1_000_000)]
    assert statement(rows, date(2025, 3, 31)).months == (
        MonthOwed(date(2025, 1, 1), 1_000_000, 1_000_000, date(2025, 2, 28), 31, 9_300, LATE),
    )


def test_a_month_not_yet_due_is_not_owed():
    # February 2025 is due by 31/03: unpaid on 31/03 it is not late yet; on 1/04 it is, 1 day.
    rows = [due(date(2025, 2, 1), 1_000_000)]
    assert statement(rows, date(2025, 3, 31)).months == ()
    assert statement(rows, date(2025, 4, 1)).months == (
        MonthOwed(date(2025, 2, 1), 1_000_000, 1_000_000, date(2025, 3, 31), 1, 300, LATE),
    )


# ------------------------------------------------------------------------------------------------- FIFO


def test_overpayment_is_carried_forward_to_the_next_months():
    # January and February 2025, 1,000,000 đ each. 1,500,000 paid 20/02 settles January and half of
    # February, on time; the other 500,000 of February paid 05/04 is 5 days late (1/4 … 5/4):
    # 0.0003 × 500,000 × 5 = 750 đ, charged in the April report.
    rows = [
        due(date(2025, 1, 1), 1_000_000),
        due(date(2025, 2, 1), 1_000_000),
        pay(date(2025, 2, 20), 1_500_000),
        pay(date(2025, 4, 5), 500_000),
    ]
    assert statement(rows, date(2025, 3, 31)) == statement(rows[:3], date(2025, 3, 31))  # nothing owed yet
    assert statement(rows, date(2025, 3, 31)).months == ()
    april = statement(rows, date(2025, 4, 30))
    assert april.months == () and april.interest_on_paid == 750


def test_a_credit_beyond_every_month_due_settles_months_as_they_come():
    # 3,000,000 paid 10/02/2025 against 1,000,000 due for January: the 2,000,000 credit pays February and
    # March when they fall due. April is not paid: on 30/06 it is 30 days late (1/6 … 30/6):
    # 0.0003 × 1,000,000 × 30 = 9,000 đ.
    rows = [
        due(date(2025, 1, 1), 1_000_000),
        pay(date(2025, 2, 10), 3_000_000),
        due(date(2025, 2, 1), 1_000_000),
        due(date(2025, 3, 1), 1_000_000),
    ]
    assert statement(rows, date(2025, 5, 31)).months == ()
    later = statement([*rows, due(date(2025, 4, 1), 1_000_000)], date(2025, 6, 30))
    assert later.months == (MonthOwed(date(2025, 4, 1), 1_000_000, 1_000_000, date(2025, 5, 31), 30, 9_000, LATE),)
    assert later.interest_on_paid == 0


def test_a_payment_naming_a_later_month_still_settles_the_oldest():
    # January and February 2025, 2,000,000 đ each; 2,000,000 paid 25/03 "for February" pays January
    # (25 days late: 0.0003 × 2,000,000 × 25 = 15,000 đ, in the March report). February stays owed:
    # on 30/04 it is 30 days late, 0.0003 × 2,000,000 × 30 = 18,000 đ.
    rows = [
        due(date(2025, 1, 1), 2_000_000),
        due(date(2025, 2, 1), 2_000_000),
        pay(date(2025, 3, 25), 2_000_000, period=date(2025, 2, 1)),
    ]
    march = statement(rows, date(2025, 3, 31))
    assert march.months == () and march.interest_on_paid == 15_000
    april = statement(rows, date(2025, 4, 30))
    assert april.months == (MonthOwed(date(2025, 2, 1), 2_000_000, 2_000_000, date(2025, 3, 31), 30, 18_000, LATE),)
    assert april.interest_on_paid == 0


def test_payments_apply_in_the_order_paid_not_the_order_listed():
    # Listed backwards, the payments still settle January with the earlier one (on time) and February
    # with the later one (6 days late: 0.0003 × 1,000,000 × 6 = 1,800 đ).
    rows = [
        pay(date(2025, 4, 6), 1_000_000),
        pay(date(2025, 2, 25), 1_000_000),
        due(date(2025, 2, 1), 1_000_000),
        due(date(2025, 1, 1), 1_000_000),
    ]
    assert statement(rows, date(2025, 4, 30)).interest_on_paid == 1_800


def test_several_due_rows_for_one_month_add_up():
    # January 2025 due in two rows (600,000 + 400,000 adjustment), unpaid on 31/03, 31 days late:
    # one month of 1,000,000, 0.0003 × 1,000,000 × 31 = 9,300 đ.
    rows = [due(date(2025, 1, 1), 600_000), due(date(2025, 1, 1), 400_000)]
    assert statement(rows, date(2025, 3, 31)).months == (
        MonthOwed(date(2025, 1, 1), 1_000_000, 1_000_000, date(2025, 2, 28), 31, 9_300, LATE),
    )


def test_rows_with_nothing_to_count_count_for_nothing():
    rows = [
        due(date(2025, 1, 1), 0),
        due(date(2025, 1, 1), -5),
        {"unit_code": "TA0001A", "period": None, "amount_due": 1_000, "amount_paid": 0, "paid_on": None},
        {"unit_code": "TA0001A", "period": date(2025, 1, 1), "amount_due": 0, "amount_paid": 500, "paid_on": None},
        pay(date(2025, 2, 1), 0),
    ]
    assert statement(rows, date(2025, 6, 30)).months == ()
    assert statement(rows, date(2025, 6, 30)).interest_on_paid == 0


# -------------------------------------------------------------------------------------- late or evasion


def test_evasion_after_sixty_days():
    # January 2025 unpaid, due 28/02: on 29/04 it is 60 days late (31 in March + 29 in April): late,
    # 0.0003 × 1,000,000 × 60 = 18,000 đ; on 30/04 it is 61 days late: evasion, 18,300 đ.
    rows = [due(date(2025, 1, 1), 1_000_000)]
    (sixty,) = statement(rows, date(2025, 4, 29)).months
    assert (sixty.days_late, sixty.status, sixty.interest) == (60, LATE, 18_000)
    (sixty_one,) = statement(rows, date(2025, 4, 30)).months
    assert (sixty_one.days_late, sixty_one.status, sixty_one.interest) == (61, EVASION, 18_300)


def test_the_threshold_and_the_rate_are_parameters():
    rows = [due(date(2025, 1, 1), 1_000_000)]
    strict = ArrearsRules(daily_rate=Decimal("0.0005"), evasion_after_days=30)
    (month,) = statement(rows, date(2025, 3, 31), strict).months  # 31 days: 0.0005 × 1,000,000 × 31
    assert (month.status, month.interest) == (EVASION, 15_500)
    assert status(30, strict) == LATE and status(31, strict) == EVASION


def test_rules_refuse_a_float_or_an_inexact_rate():
    with pytest.raises(ValueError):
        ArrearsRules(daily_rate=0.0003)  # type: ignore[arg-type]  # a float is not 0.0003
    with pytest.raises(ValueError):
        ArrearsRules(daily_rate=Decimal("0.0000001"))
    with pytest.raises(ValueError):
        ArrearsRules(daily_rate=Decimal("-0.0003"))
    assert ArrearsRules(daily_rate="0.0003").daily_rate == Decimal("0.0003")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- rounding


def test_rounding_is_half_up_to_the_dong():
    assert round_dong(Decimal("2.5")) == 3
    assert round_dong(Decimal("4.5")) == 5  # banker's rounding would give 4
    assert round_dong(Decimal("4.4999")) == 4
    assert round_dong(Decimal("0.5")) == 1
    # 5,000 đ unpaid 3 days: 0.0003 × 5,000 × 3 = 4.5 → 5 đ.
    (month,) = statement([due(date(2025, 1, 1), 5_000)], date(2025, 3, 3)).months
    assert month.interest == 5
    assert charge(15_000, RULES) == 5 and charge(14_999, RULES) == 4  # 4.4997 → 4


def test_each_unit_month_is_rounded_once_and_totals_add_the_rounded_months():
    # January 2025, 2,000 đ, paid in two halves on 1/03 (1 day late each): 0.0003 × (1,000 + 1,000) = 0.6
    # → 1 đ for the month (rounding each part, 0.3 → 0, would give 0). February the same, a month later:
    # another 1 đ. The unit's charge is 1 + 1 = 2 đ, not round(1.2) = 1.
    rows = [
        due(date(2025, 1, 1), 2_000),
        due(date(2025, 2, 1), 2_000),
        pay(date(2025, 3, 1), 1_000),
        pay(date(2025, 3, 1), 1_000),
    ]
    (feb,) = statement(rows, date(2025, 4, 1)).months  # February: 2,000 unpaid 1 day: 0.6 → 1
    assert feb.interest == 1
    settled = statement([*rows, pay(date(2025, 4, 1), 2_000)], date(2025, 4, 30))
    assert settled.interest_on_paid == 1  # February settled in April; January's 1 đ was in March's report
    march = statement(rows, date(2025, 3, 31))
    assert march.interest_on_paid == 1 and march.months == ()
    # Two months owed on 1/04/2025: January 1,000 đ for 32 days, 0.0003 × 32,000 = 9.6 → 10 đ; February
    # 2,000 đ for 1 day, 0.6 → 1 đ. The unit's charge is 10 + 1 = 11 đ (rounding the sum, 10.2, gives 10).
    owed = statement([due(date(2025, 1, 1), 1_000), due(date(2025, 2, 1), 2_000)], date(2025, 4, 1))
    assert [m.interest for m in owed.months] == [10, 1]
    unit = UnitArrears("TA0001A", None, "", "", "", 0, date(2025, 4, 1), owed.months, owed.interest_on_paid)
    assert unit.interest == 11 and unit.unpaid == 3_000 and unit.total == 3_011


# ------------------------------------------------------------------------------------ several units


def test_ledger_statements_list_only_units_with_something_to_show():
    rows = [
        due(date(2025, 1, 1), 1_000_000, unit="TA0002B"),
        pay(date(2025, 2, 20), 1_000_000, unit="TA0002B"),  # on time: nothing to show
        due(date(2025, 1, 1), 1_000_000, unit="TA0003C"),  # owed
        due(date(2025, 1, 1), 1_000_000, unit="TA0004D"),
        pay(date(2025, 3, 5), 1_000_000, unit="TA0004D"),  # paid late this month
    ]
    found = ledger_statements(rows, as_of=date(2025, 3, 31), rules=RULES)
    assert list(found) == ["TA0003C", "TA0004D"]
    assert found["TA0003C"].months[0].interest == 9_300  # 31 days
    assert found["TA0004D"].interest_on_paid == 1_500  # 5 days: 0.0003 × 1,000,000 × 5


# --------------------------------------------------------------------------------- balances on a day


def test_outstanding_on_a_day_counts_months_past_their_deadline_less_everything_paid():
    rows = [
        due(date(2025, 1, 1), 1_000_000),
        due(date(2025, 2, 1), 1_000_000),
        due(date(2025, 3, 1), 1_000_000),
        pay(date(2025, 2, 20), 500_000),
        pay(date(2025, 4, 10), 700_000),
    ]
    assert outstanding_on(rows, day=date(2025, 2, 28)) == 0  # nothing past its deadline yet
    assert outstanding_on(rows, day=date(2025, 3, 1)) == 500_000  # January past due, half paid
    assert outstanding_on(rows, day=date(2025, 4, 1)) == 1_500_000  # + February
    assert outstanding_on(rows, day=date(2025, 4, 10)) == 800_000  # the payment of that day counts
    assert outstanding_on(rows, day=date(2025, 5, 1)) == 1_800_000  # + March


def test_outstanding_on_a_day_never_goes_below_zero():
    rows = [due(date(2025, 1, 1), 1_000_000), pay(date(2025, 1, 20), 5_000_000)]
    assert outstanding_on(rows, day=date(2025, 6, 30)) == 0


def test_due_in_year_counts_the_months_begun_in_the_days_year():
    rows = [due(date(2024, 12, 1), 7), due(date(2025, 1, 1), 10), due(date(2025, 2, 1), 20), due(date(2025, 3, 1), 40)]
    assert due_in_year(rows, day=date(2025, 2, 28)) == 30  # January and February; not December 2024
    assert due_in_year(rows, day=date(2025, 2, 1)) == 30
    assert due_in_year(rows, day=date(2025, 1, 31)) == 10
    assert due_in_year(rows, day=date(2024, 12, 31)) == 7
