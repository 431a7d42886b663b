"""The late-payment rules for one unit, in plain Python: the readable specification of the arrears engine.

Why this module exists next to `arrears.py`: the engine computes the same thing as Ibis expressions over
millions of ledger rows, in a shape chosen for speed (cumulative sums, a sweep over interval boundaries).
Here each rule is a small function over one unit's rows, written the way the law states it, and the tests
hold the engine to it on the same ledgers (it is the test oracle, and what a reader should check first).

The rules (Law on Social Insurance 2024, arts. 38–41; docs in DOMAIN.md, "Late payment and evasion"):

- The contribution for month M is due by the last day of month M+1, whatever day of the week that is.
- Payments settle the oldest unpaid month first (FIFO by month), whatever month the payment names, in the
  order they were paid. Money paid beyond every month due is a credit that settles later months.
- Each part of a month is charged `daily_rate` per day late: a part paid after the deadline from the day
  after the deadline up to and including its payment day, the part still unpaid up to the report day.
  The charge of a unit-month is rounded half-up to the đồng once, after adding its parts.
- A month still unpaid after its deadline is owed: late (chậm đóng) up to `evasion_after_days` days past
  the deadline, evasion (trốn đóng) beyond.

Ledger rows are mappings with the columns of `schema.LEDGER` (`period`, `amount_due`, `amount_paid`,
`paid_on`; `unit_code` when rows of several units are mixed). A row with `amount_due > 0` and a period is a
due; a row with `amount_paid > 0` and a payment day is a payment (a row may in principle be both); rows with
neither, or with amounts of 0 or less, count for nothing. The engine reads them the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ansinh.core.periods import add_months, month_end
from ansinh.employers.records import EVASION, LATE, MonthOwed

#: Most decimal places a daily rate may have: Spark keeps at least six when it multiplies decimals, so
#: with no more than six the engine's charge is exact on every backend (0.03% is 0.0003: four).
MAX_RATE_PLACES = 6


@dataclass(frozen=True)
class ArrearsRules:
    """The rates and thresholds of the computation; the services fill them from dated parameters.

    `daily_rate` is a fraction per day (0.0003 = 0.03%/day); `evasion_after_days` is how many days past
    the deadline a month may stay unpaid before it counts as evasion rather than late payment."""

    daily_rate: Decimal = Decimal("0.0003")
    evasion_after_days: int = 60

    def __post_init__(self) -> None:
        rate = Decimal(self.daily_rate)
        if not rate.is_finite() or rate < 0 or -rate.as_tuple().exponent > MAX_RATE_PLACES:
            raise ValueError(f"daily_rate {self.daily_rate} must be ≥ 0 with at most {MAX_RATE_PLACES} decimal places")
        if self.evasion_after_days < 0:
            raise ValueError("evasion_after_days must be ≥ 0")
        object.__setattr__(self, "daily_rate", rate)


# --- the calendar ------------------------------------------------------------------------------------


def deadline(period: date) -> date:
    """Last day of the month after `period`'s month: January 2025 is due by 28/02/2025, January 2024 by
    29/02/2024. A deadline on a Saturday or Sunday is still the deadline (the law moves nothing)."""
    return month_end(add_months(period.replace(day=1), 1))


def days_late(due_by: date, day: date) -> int:
    """Days from the day after `due_by` up to and including `day`; 0 when `day` is on or before it."""
    return max(0, (day - due_by).days)


def status(late_days: int, rules: ArrearsRules) -> str:
    """EVASION once a month has stayed unpaid more than `evasion_after_days` past its deadline
    (61 days with the default 60), LATE before."""
    return EVASION if late_days > rules.evasion_after_days else LATE


def round_dong(amount: Decimal) -> int:
    """Whole đồng, half-up (0.5 đ → 1 đ): the way a charge is written on a demand letter."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def charge(dong_days: int, rules: ArrearsRules) -> int:
    """The charge on `dong_days` (Σ amount × days late of every part of one month), rounded to the đồng.

    Rounding once per unit-month, not per part, keeps a month's charge independent of how it was paid
    in instalments, and makes every total a sum of the rounded unit-month figures."""
    return round_dong(rules.daily_rate * dong_days)


# --- reading one unit's ledger -----------------------------------------------------------------------


def dues(rows: Iterable[Mapping]) -> list[tuple[date, int]]:
    """(month, amount due) oldest first; several due rows for one month add up to one month."""
    months: dict[date, int] = defaultdict(int)
    for row in rows:
        if (row.get("amount_due") or 0) > 0 and row.get("period") is not None:
            months[row["period"].replace(day=1)] += row["amount_due"]
    return sorted(months.items())


def payments(rows: Iterable[Mapping], *, as_of: date) -> list[tuple[date, int]]:
    """(payment day, amount) in the order paid; a payment made after the report day does not count yet."""
    paid = [
        (row["paid_on"], row["amount_paid"])
        for row in rows
        if (row.get("amount_paid") or 0) > 0 and row.get("paid_on") is not None and row["paid_on"] <= as_of
    ]
    return sorted(paid, key=lambda payment: payment[0])


# --- FIFO settlement ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """The share of one payment that went to one month."""

    amount: int
    paid_on: date


@dataclass(frozen=True)
class Settlement:
    """One month after every payment up to the report day has been applied: which parts paid it and
    what is still unpaid."""

    period: date
    amount_due: int
    parts: tuple[Part, ...]
    unpaid: int

    @property
    def deadline(self) -> date:
        return deadline(self.period)

    @property
    def settled_on(self) -> date | None:
        """The day the last part was paid, when nothing is left unpaid."""
        if self.unpaid or not self.parts:
            return None
        return self.parts[-1].paid_on


def settle(months: list[tuple[date, int]], paid: list[tuple[date, int]]) -> list[Settlement]:
    """Apply the payments, in order, to the oldest month not yet fully paid.

    One payment may finish one month and start the next; what is left after the last month due is a
    credit and is simply not used (a later report, with more months due, will apply it)."""
    queue = [[amount, day] for day, amount in paid]
    settlements = []
    for period, amount in months:
        left, parts = amount, []
        while left and queue:
            take = min(left, queue[0][0])
            parts.append(Part(take, queue[0][1]))
            left -= take
            queue[0][0] -= take
            if not queue[0][0]:
                queue.pop(0)
        settlements.append(Settlement(period, amount, tuple(parts), left))
    return settlements


def dong_days(month: Settlement, *, as_of: date) -> int:
    """Σ amount × days late over the month's parts: paid parts up to their payment day, the unpaid rest
    up to the report day. Parts paid on or before the deadline add nothing."""
    due_by = month.deadline
    paid = sum(part.amount * days_late(due_by, part.paid_on) for part in month.parts)
    return paid + month.unpaid * days_late(due_by, as_of)


def month_charge(month: Settlement, *, as_of: date, rules: ArrearsRules) -> int:
    return charge(dong_days(month, as_of=as_of), rules)


# --- what the reports show ---------------------------------------------------------------------------


def is_owed(month: Settlement, *, as_of: date) -> bool:
    """Something is unpaid and the deadline has passed (a month not yet due is not owed)."""
    return month.unpaid > 0 and as_of > month.deadline


def month_owed(month: Settlement, *, as_of: date, rules: ArrearsRules) -> MonthOwed:
    late_days = days_late(month.deadline, as_of)
    return MonthOwed(
        period=month.period,
        amount_due=month.amount_due,
        unpaid=month.unpaid,
        deadline=month.deadline,
        days_late=late_days,
        interest=month_charge(month, as_of=as_of, rules=rules),
        status=status(late_days, rules),
    )


def settled_late_this_month(month: Settlement, *, as_of: date) -> bool:
    """Fully paid, the last part after the deadline, in the calendar month of the report day.

    Why only this month: the charge on a month paid late is still owed after the arrears are paid, but
    a monthly report must show it once. While the month is owed its charge is in `MonthOwed.interest`;
    in the report of the month it is finally paid, it moves to `interest_on_paid`; later reports no
    longer show it (recovering it is then a matter for the collection records, not the arrears list)."""
    settled = month.settled_on
    return (
        settled is not None
        and settled > month.deadline
        and (settled.year, settled.month) == (as_of.year, as_of.month)
    )


@dataclass(frozen=True)
class UnitStatement:
    """What one unit owes on the report day: the months owed and the charge on months paid late."""

    months: tuple[MonthOwed, ...]
    interest_on_paid: int


def unit_statement(rows: Iterable[Mapping], *, as_of: date, rules: ArrearsRules) -> UnitStatement:
    """One unit's ledger rows → its months owed (oldest first) and the charge on months paid late."""
    rows = list(rows)
    settled = settle(dues(rows), payments(rows, as_of=as_of))
    owed = tuple(month_owed(m, as_of=as_of, rules=rules) for m in settled if is_owed(m, as_of=as_of))
    on_paid = sum(month_charge(m, as_of=as_of, rules=rules) for m in settled if settled_late_this_month(m, as_of=as_of))
    return UnitStatement(owed, on_paid)


def ledger_statements(rows: Iterable[Mapping], *, as_of: date, rules: ArrearsRules) -> dict[str, UnitStatement]:
    """Statements of every unit with something to show (a month owed or a charge on a month paid late)."""
    by_unit: dict[str, list[Mapping]] = defaultdict(list)
    for row in rows:
        if row.get("unit_code") is not None:
            by_unit[row["unit_code"]].append(row)
    statements = {code: unit_statement(unit_rows, as_of=as_of, rules=rules) for code, unit_rows in by_unit.items()}
    return {code: s for code, s in sorted(statements.items()) if s.months or s.interest_on_paid}


# --- balances on a day (the trend) -------------------------------------------------------------------


def outstanding_on(rows: Iterable[Mapping], *, day: date) -> int:
    """Arrears on `day`: dues of months whose deadline has passed, less everything paid by then.

    This equals the FIFO result without replaying it: payments go to the oldest months first, and the
    months past their deadline are the oldest, so only their total and the total paid matter."""
    rows = list(rows)
    due = sum(amount for period, amount in dues(rows) if deadline(period) < day)
    paid = sum(amount for _, amount in payments(rows, as_of=day))
    return max(0, due - paid)


def due_in_year(rows: Iterable[Mapping], *, day: date) -> int:
    """Dues of the months of `day`'s year up to `day`'s month: the denominator of the arrears rate.

    Why months begun rather than months past their deadline: the rate the VSS publishes divides the
    arrears by the amount due for the year, so at the end of December all twelve months count (the
    December contribution is not late until the end of January); months ahead of `day` do not."""
    first = date(day.year, 1, 1)
    return sum(amount for period, amount in dues(rows) if first <= period <= day)
