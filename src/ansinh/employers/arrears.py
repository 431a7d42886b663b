"""Contributions and arrears of every unit as pure Ibis expressions, and the one function that runs them.

The rules are those of `interest.py` (the readable specification and test oracle); this module computes
the same figures over the whole ledger at once. The expression functions take Ibis tables and return Ibis
tables and never know the backend; `arrears_run` takes one `ArrearsSettings`, gets DuckDB or PySpark from
`ansinh.engine.backends`, reads the Parquet datasets, runs the named steps (`arrears_steps`, through
`ansinh.engine.steps`) and hands back pandas frames.

How FIFO settlement becomes set arithmetic. Lay a unit's months end to end on one line of đồng, oldest
first: a due row occupies [start, end) where `end` is the running total of dues. Lay its payments on the
same line in the order paid. Settling the oldest month first is then just this: the part of a month paid
by a payment is where their two intervals overlap, and the part of the line beyond the total paid is
unpaid. So the engine needs two running sums (one sort each), one join of dues to payments on the unit
with the overlap condition, and one join to each unit's total paid.

Only late parts are kept: a part paid after its month's deadline, or still unpaid on the report day past
it (`late_parts`). Everything else (most of the ledger: months paid in full and on time) has no charge,
owes nothing, and never counts in arrears on any day up to the report day, so it is dropped at the join
and never grouped. From the late parts come the charge of each unit-month (`month_charges`), the months
owed, the charge on months paid late, and the arrears of each unit on each day of a trend (a part counts
in the arrears of every day after its deadline and before its payment).

A unit-month's charge is rounded half-up to the đồng exactly, in integer or decimal arithmetic (`_charge`).

Size: 300,000 units × 36 months (21.6 M ledger rows) take about 15–20 s on two cores with DuckDB; the
two running sums (one sort each) are most of it. `ansinh bench employers` measures it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ansinh.core.periods import month_end
from ansinh.employers import storage
from ansinh.employers.interest import ArrearsRules
from ansinh.employers.records import EVASION, LATE, MonthOwed, UnitArrears
from ansinh.employers.schema import DATASETS
from ansinh.engine.backends import Engine, connect
from ansinh.engine.progress import Progress, no_progress
from ansinh.engine.steps import Step, Timing, run_steps

__all__ = [
    "ArrearsResult", "ArrearsSettings", "CommuneKpis", "arrears_records", "arrears_run", "arrears_steps",
    "commune_dues", "commune_kpis", "commune_trend", "cutoff_of", "deadline_of", "due_rows", "interest_on_paid",
    "late_parts", "month_charges", "month_ends_until", "months_owed", "payment_rows", "unit_arrears_on",
    "unit_summary", "units_in_arrears",
]


# --- the FIFO settlement -----------------------------------------------------------------------------


def cutoff_of(period: ir.DateValue) -> ir.DateValue:
    """The first day after the deadline: the first day of the month two months after `period`'s.

    The engine compares payment days with this rather than with the deadline itself, because it is a
    plain date built from integers on every backend (DuckDB's date + interval is a timestamp, and a
    timestamp compared with dates on millions of rows is costly); late ⇔ paid on or after it."""
    month = period.month() + 1
    return ibis.date(period.year() + month // 12, month % 12 + 1, 1)


def deadline_of(period: ir.DateValue) -> ir.DateValue:
    """Last day of the month after `period`'s month (interest.deadline)."""
    return cutoff_of(period) - ibis.interval(days=1)


def _laid_out(table: ir.Table, order: str) -> ir.Table:
    """Each row's interval [start, end) on its unit's line: the running total in `order`.

    A ROWS frame, so rows tied in `order` (two payments on one day, two due rows for one month) get
    consecutive intervals; which comes first does not matter, they have the same day or month."""
    running = ibis.cumulative_window(group_by="unit_code", order_by=order)
    end = table.amount.sum().over(running)
    return table.mutate(start=end - table.amount, end=end)


def due_rows(ledger: ir.Table) -> ir.Table:
    """`unit_code, period, start, end, cutoff`: the due rows laid out oldest month first (interest.dues:
    a row with amount_due > 0 and a period; the period counts as its month; its amount is end - start)."""
    rows = ledger.filter(ledger.unit_code.notnull(), ledger.period.notnull(), ledger.amount_due > 0)
    rows = rows.select("unit_code", period=rows.period.truncate("M"), amount=rows.amount_due.cast("int64"))
    laid = _laid_out(rows, "period")
    return laid.select("unit_code", "period", "start", "end", cutoff=cutoff_of(laid.period))


def payment_rows(ledger: ir.Table, *, as_of: date) -> ir.Table:
    """`unit_code, paid_on, start, end`: the payments made up to the report day, laid out in the order
    paid (interest.payments: later payments do not count yet)."""
    rows = ledger.filter(
        ledger.unit_code.notnull(), ledger.paid_on.notnull(), ledger.paid_on <= as_of, ledger.amount_paid > 0
    )
    laid = _laid_out(rows.select("unit_code", "paid_on", amount=rows.amount_paid.cast("int64")), "paid_on")
    return laid.select("unit_code", "paid_on", "start", "end")


def late_parts(dues: ir.Table, payments: ir.Table, *, as_of: date) -> ir.Table:
    """`unit_code, period, cutoff, paid_on, amount`: every part of a month that was late on
    `as_of`, from due_rows and payment_rows (each is read twice: materialise them first on a big ledger).

    A part paid after the deadline carries its payment day; the part still unpaid on `as_of` past the
    deadline has `paid_on` NULL. Parts paid on time, and months not yet due, are left out."""
    pairs = dues.join(
        payments,
        [
            dues.unit_code == payments.unit_code,
            payments.start < dues.end,
            payments.end > dues.start,
            payments.paid_on >= dues.cutoff,
        ],
    )
    paid_late = pairs.select(
        unit_code=dues.unit_code, period=dues.period, cutoff=dues.cutoff, paid_on=payments.paid_on,
        amount=ibis.least(dues.end, payments.end) - ibis.greatest(dues.start, payments.start),
    )
    totals = payments.group_by("unit_code").aggregate(paid_total=payments.end.max())
    rest = dues.filter(dues.cutoff <= as_of)
    rest = rest.left_join(totals, rest.unit_code == totals.unit_code)
    covered = ibis.least(rest.end, rest.paid_total.fill_null(0))
    rest = rest.select(
        "unit_code", "period", "cutoff",
        paid_on=ibis.null("date"),
        amount=rest.end - ibis.greatest(rest.start, covered),
    )
    return ibis.union(paid_late, rest.filter(rest.amount > 0))


def _charge(dong_days: ir.IntegerValue, rules: ArrearsRules) -> ir.IntegerValue:
    """`daily_rate × dong_days` rounded half-up to the đồng, exactly (interest.charge).

    With the rate as n / 10^s, the charge is (dong_days × n + 10^s / 2) with its last s digits dropped.
    Below 2^53 that is integer arithmetic: the one division divides a multiple of 10^s by 10^s, which
    is exact even though Ibis divides in double precision (both numbers and the quotient are integers
    a double holds exactly). Above, decimal arithmetic takes over, exact too but a hundred times slower
    on DuckDB's 128-bit decimals; with 0.03% that is past 3·10^15 đồng-days (3 trillion đồng a thousand
    days late), which no unit-month reaches. Both backends evaluate only the branch a row takes."""
    places = max(0, -rules.daily_rate.as_tuple().exponent)
    scale = 10**places
    numerator = int(rules.daily_rate * scale)
    if numerator == 0:
        return (dong_days * 0).cast("int64")
    shifted = dong_days * numerator + scale // 2
    by_integers = ((shifted - shifted % scale) / scale).cast("int64")
    by_decimals = (dong_days * ibis.literal(rules.daily_rate, type=dt.Decimal(18, places))).round(0).cast("int64")
    return ibis.ifelse(dong_days < (2**53 - scale) // numerator, by_integers, by_decimals)


def month_charges(parts: ir.Table, *, as_of: date, rules: ArrearsRules) -> ir.Table:
    """`unit_code, period, deadline, unpaid, dong_days, interest, last_paid_on` for every unit-month
    with a late part: `dong_days` is Σ amount × days late (interest.dong_days), `interest` its rounded
    charge, `last_paid_on` the latest late payment to it (its settlement day when nothing is unpaid)."""
    day = parts.paid_on.fill_null(as_of)
    late = parts.mutate(dong_days=parts.amount * (day.delta(parts.cutoff, unit="day") + 1))
    months = late.group_by("unit_code", "period").aggregate(
        unpaid=late.amount.sum(where=late.paid_on.isnull()).fill_null(0),
        dong_days=late.dong_days.sum(),
        last_paid_on=late.paid_on.max(),
    )
    return months.mutate(deadline=deadline_of(months.period), interest=_charge(months.dong_days, rules))


# --- what the reports show ---------------------------------------------------------------------------


def months_owed(charges: ir.Table, dues: ir.Table, *, as_of: date, rules: ArrearsRules) -> ir.Table:
    """`unit_code, period, amount_due, unpaid, deadline, days_late, interest, status` (records.MonthOwed)
    for the months still unpaid past their deadline; `amount_due` adds up the month's due_rows (only
    the few owed months are looked up)."""
    owed = charges.filter(charges.unpaid > 0)
    dues = dues.semi_join(owed, [dues.unit_code == owed.unit_code, dues.period == owed.period])
    amounts = dues.group_by("unit_code", "period").aggregate(amount_due=(dues.end - dues.start).sum())
    joined = owed.join(amounts, ["unit_code", "period"])
    days = ibis.literal(as_of).delta(joined.deadline, unit="day")
    return joined.select(
        "unit_code", "period", "amount_due", "unpaid", "deadline",
        days_late=days,
        interest=joined.interest,
        status=ibis.ifelse(days > rules.evasion_after_days, EVASION, LATE),
    )


def interest_on_paid(charges: ir.Table, *, as_of: date) -> ir.Table:
    """`unit_code, interest_on_paid`: the charge on months fully paid, late, with the final payment in the
    calendar month of `as_of` (interest.settled_late_this_month says why only then). A charge that rounds
    to 0 đ is nothing to show: such a unit has no row."""
    settled = charges.filter(charges.unpaid == 0, charges.last_paid_on >= as_of.replace(day=1), charges.interest > 0)
    return settled.group_by("unit_code").aggregate(interest_on_paid=settled.interest.sum())


def unit_summary(owed: ir.Table, on_paid: ir.Table) -> ir.Table:
    """One row per unit with a month owed or a charge on a month paid late: `unit_code, months_owed,
    unpaid, interest, interest_on_paid, max_days_late, status` (as the UnitArrears properties; status
    is NULL for a unit that owes nothing but the charge on months paid late)."""
    zero = ibis.literal(0, "int64")
    rows = ibis.union(
        owed.select(
            "unit_code", months=ibis.literal(1, "int64"), unpaid=owed.unpaid, interest=owed.interest,
            on_paid=zero, days=owed.days_late.cast("int64"), evasion=(owed.status == EVASION).cast("int64"),
        ),
        on_paid.select(
            "unit_code", months=zero, unpaid=zero, interest=zero, on_paid=on_paid.interest_on_paid,
            days=zero, evasion=zero,
        ),
    )
    units = rows.group_by("unit_code").aggregate(
        months_owed=rows.months.sum(),
        unpaid=rows.unpaid.sum(),
        interest_owed=rows.interest.sum(),
        interest_on_paid=rows.on_paid.sum(),
        max_days_late=rows.days.max(),
        evasions=rows.evasion.sum(),
    )
    status = ibis.cases((units.evasions > 0, EVASION), (units.months_owed > 0, LATE), else_=ibis.null("string"))
    return units.select(
        "unit_code", "months_owed", "unpaid",
        interest=units.interest_owed + units.interest_on_paid,
        interest_on_paid=units.interest_on_paid,
        max_days_late=units.max_days_late,
        status=status,
    )


def units_in_arrears(summary: ir.Table, units: ir.Table) -> ir.Table:
    """The summary with each unit's `tax_code, name, address, commune_code, workers` from the units
    dataset; a unit the dataset lacks keeps its row, with those columns NULL."""
    details = units.select("unit_code", "tax_code", "name", "address", "commune_code", "workers")
    joined = summary.left_join(details, summary.unit_code == details.unit_code)
    return joined.select(*summary.columns, "tax_code", "name", "address", "commune_code", "workers")


# --- by commune, on the report day and on each day of a trend --------------------------------------------


def _column(prefix: str, day: date) -> str:
    return f"{prefix}_{day:%Y%m%d}"


def unit_arrears_on(parts: ir.Table, *, days: Sequence[date]) -> ir.Table:
    """`unit_code, arrears_<day>…`: what each unit owed on each day (interest.outstanding_on), for
    units with a late part; every other unit owed nothing on any of these days.

    A part counts on a day after its deadline and before it was paid (paid that very day, it no longer
    counts). This holds for days up to the report day the parts were computed for: later payments are
    not in them."""
    sums = {}
    for day in days:
        open_on_day = (parts.cutoff <= day) & (parts.paid_on.isnull() | (parts.paid_on > day))
        sums[_column("arrears", day)] = parts.amount.sum(where=open_on_day).fill_null(0)
    return parts.group_by("unit_code").aggregate(**sums)


def commune_dues(dues: ir.Table, units: ir.Table) -> ir.Table:
    """`commune_code, period, amount`: the due_rows of each month by commune (NULL for units not in the
    units dataset). Small (communes × months), the base of every `due_in_year`."""
    placed = _communes_of(dues.select("unit_code", "period", amount=dues.end - dues.start), units)
    return placed.group_by("commune_code", "period").aggregate(amount=placed.amount.sum())


def _due_in_year(dues: ir.Table, day: date) -> ir.BooleanValue:
    """Months of the day's year up to the day's month (interest.due_in_year), compared as year and month
    numbers, never as a truncated date against a constant (duckdb/duckdb#19635)."""
    return (dues.period.year() == day.year) & (dues.period.month() <= day.month)


def _communes_of(table: ir.Table, units: ir.Table) -> ir.Table:
    """`table` with each unit's `commune_code` and `workers` (NULL commune for a unit not in the dataset)."""
    details = units.select("unit_code", "commune_code", "workers")
    joined = table.left_join(details, table.unit_code == details.unit_code)
    return joined.select(*table.columns, "commune_code", workers=joined.workers.cast("int64").fill_null(0))


def _long(wide: ir.Table, days: Sequence[date], measures: Sequence[str]) -> ir.Table:
    """`commune_code, day, <measure>…` from one column per measure and day (a few hundred rows)."""
    long = wide.mutate(i=ibis.literal(list(range(len(days))), type="array<int16>").unnest())
    values = {
        measure: ibis.cases(*((long.i == i, long[_column(measure, day)]) for i, day in enumerate(days))).cast("int64")
        for measure in measures
    }
    when = ibis.cases(*((long.i == i, ibis.literal(day)) for i, day in enumerate(days)))
    return long.select("commune_code", day=when, **values)


def commune_trend(parts: ir.Table, dues: ir.Table, units: ir.Table, *, days: Sequence[date]) -> ir.Table:
    """`commune_code, day, units_in_arrears, arrears, due_in_year` for each of `days` (up to the report
    day of `parts`), from late_parts (`parts`) and commune_dues (`dues`); a commune's arrears rate on a
    day is arrears / due_in_year. Every commune with a due has a row for every day."""
    zero = ibis.literal(0, "int64")
    if not days:
        nothing = dues.select("commune_code", day=ibis.null("date"), units_in_arrears=zero, arrears=zero, due_in_year=zero)
        return nothing.filter(ibis.literal(False))
    owing = _communes_of(unit_arrears_on(parts, days=days), units)
    arrears = owing.group_by("commune_code").aggregate(**{
        name: value
        for day in days
        for name, value in (
            (_column("units_in_arrears", day), (owing[_column("arrears", day)] > 0).cast("int64").sum()),
            (_column("arrears", day), owing[_column("arrears", day)].sum()),
        )
    })
    due = dues.group_by("commune_code").aggregate(**{
        _column("due_in_year", day): dues.amount.sum(where=_due_in_year(dues, day)).fill_null(0) for day in days
    })
    rows = ibis.union(
        _long(arrears, days, ["units_in_arrears", "arrears"]).mutate(due_in_year=zero),
        _long(due, days, ["due_in_year"]).mutate(units_in_arrears=zero, arrears=zero)
        .select("commune_code", "day", "units_in_arrears", "arrears", "due_in_year"),
    )
    trend = rows.group_by("commune_code", "day").aggregate(
        units_in_arrears=rows.units_in_arrears.sum(), arrears=rows.arrears.sum(), due_in_year=rows.due_in_year.sum()
    )
    return trend.order_by("commune_code", "day")


@dataclass(frozen=True)
class CommuneKpis:
    """Per commune on the report day (`current`), and its arrears on each trend day (`trend`)."""

    current: ir.Table
    trend: ir.Table


def commune_kpis(
    dues: ir.Table, parts: ir.Table, summary: ir.Table, units: ir.Table, *, as_of: date, month_ends: Sequence[date]
) -> CommuneKpis:
    """The dashboard's figures per commune, from late_parts and unit_summary on `as_of`.

    `dues` are due_rows, `parts` late_parts.
    `current`: `commune_code, units, units_in_arrears, units_evading, workers_in_arrears, unpaid, interest,
    due_in_year`, where `units` counts the units dataset's units in the commune, a unit in
    arrears owes a month past its deadline, `interest` is the whole charge (months owed and months paid
    late this month), and `due_in_year` the dues of the months of as_of's year up to as_of's month
    (interest.due_in_year says why); the caller divides unpaid by due_in_year for the arrears rate, in
    decimals. Every commune with a unit or a due has a row.
    `trend`: commune_trend over `month_ends`, which must not be after `as_of`.
    Units missing from the units dataset count under a NULL commune_code, so the province's totals stay
    whole."""
    if any(day > as_of for day in month_ends):
        raise ValueError("trend days after the report day need payments the report does not read")
    by_commune = commune_dues(dues, units)
    in_year = by_commune.filter(_due_in_year(by_commune, as_of))
    placed = _communes_of(summary, units)
    in_arrears = placed.months_owed > 0
    zero = ibis.literal(0, "int64")
    metrics = ("units", "units_in_arrears", "units_evading", "workers_in_arrears", "unpaid", "interest", "due_in_year")

    def row(table: ir.Table, **values) -> ir.Table:
        return table.select("commune_code", **{name: values.get(name, zero) for name in metrics})

    rows = ibis.union(
        row(units, units=ibis.literal(1, "int64")),
        row(
            placed,
            units_in_arrears=in_arrears.cast("int64"),
            units_evading=(placed.status == EVASION).fill_null(False).cast("int64"),
            workers_in_arrears=ibis.ifelse(in_arrears, placed.workers, 0),
            unpaid=placed.unpaid,
            interest=placed.interest,
        ),
        row(in_year, due_in_year=in_year.amount),
    )
    current = rows.group_by("commune_code").aggregate(**{name: rows[name].sum() for name in metrics})
    current = current.order_by("commune_code")
    return CommuneKpis(current=current, trend=commune_trend(parts, by_commune, units, days=sorted(set(month_ends))))


def month_ends_until(as_of: date) -> list[date]:
    """The trend days of a report: each month-end of as_of's year before as_of, then as_of itself."""
    ends = [month_end(date(as_of.year, m, 1)) for m in range(1, as_of.month + 1)]
    return [end for end in ends if end < as_of] + [as_of]


# --- running it ----------------------------------------------------------------------------------------


@dataclass
class ArrearsResult:
    """What a run produced, as pandas frames (dates as `datetime.date`), and how long each step took."""

    as_of: date
    rules: ArrearsRules
    months: pd.DataFrame  # months_owed, sorted by unit_code and period
    units: pd.DataFrame  # units_in_arrears (unit_summary + the unit's details), sorted by unit_code
    communes: pd.DataFrame  # CommuneKpis.current, sorted by commune_code
    trend: pd.DataFrame  # CommuneKpis.trend, sorted by commune_code and day
    timings: list[Timing] = field(default_factory=list)

    def records(self, unit_codes: Sequence[str] | None = None) -> list[UnitArrears]:
        """`UnitArrears` of every unit in the result, or of those of `unit_codes` that are in it."""
        if unit_codes is None:
            return arrears_records(months=self.months, units=self.units, as_of=self.as_of)
        wanted = list(unit_codes)
        units = self.units[self.units["unit_code"].isin(wanted)]
        months = self.months[self.months["unit_code"].isin(wanted)]
        return arrears_records(months=months, units=units, as_of=self.as_of)


def arrears_records(*, months: pd.DataFrame, units: pd.DataFrame, as_of: date) -> list[UnitArrears]:
    """`UnitArrears` for each row of `units` (a units_in_arrears frame) with its rows of `months` (a
    months_owed frame), in unit_code order, months oldest first. A unit missing from the units dataset
    gets an empty name, address and commune, no tax code and 0 workers: it is still listed, to be
    looked into."""
    owed: dict[str, list[MonthOwed]] = {}
    for m in months.sort_values(["unit_code", "period"]).itertuples(index=False):
        owed.setdefault(m.unit_code, []).append(MonthOwed(
            period=_day(m.period), amount_due=int(m.amount_due), unpaid=int(m.unpaid), deadline=_day(m.deadline),
            days_late=int(m.days_late), interest=int(m.interest), status=m.status,
        ))
    return [
        UnitArrears(
            unit_code=unit.unit_code, tax_code=_text(unit.tax_code) or None, name=_text(unit.name),
            address=_text(unit.address), commune_code=_text(unit.commune_code),
            workers=0 if pd.isna(unit.workers) else int(unit.workers), as_of=as_of,
            months=tuple(owed.get(unit.unit_code, ())), interest_on_paid=int(unit.interest_on_paid),
        )
        for unit in units.sort_values("unit_code").itertuples(index=False)
    ]


def _day(value) -> date:
    return value if type(value) is date else pd.Timestamp(value).date()


def _text(value) -> str:
    """Text from a frame cell; "" for a missing value (None, NaN or pd.NA, as the backend gave it)."""
    return "" if value is None or pd.isna(value) else str(value)


def _with_dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Date columns as `datetime.date` (backends hand back dates, timestamps or datetime64)."""
    for column in columns:
        frame[column] = [None if pd.isna(value) else _day(value) for value in frame[column]]
    return frame


_reads = itertools.count()


def _read(con: ibis.BaseBackend, name: str, directory: Path | None) -> ir.Table:
    """A dataset as a table on `con`; an empty table of its schema when nothing was imported yet.

    Each read gets its own name: a Spark session is shared by the whole process, and two runs on
    different directories must not swap each other's views."""
    path = storage.dataset_path(name, directory)
    if path.exists():
        return con.read_parquet(str(path), table_name=f"ansinh_employers_{name}_{next(_reads)}")
    return ibis.memtable(DATASETS[name][1].empty_table())


class ArrearsSettings(BaseModel):
    """Everything an arrears run needs, validated once, buildable by any door (pages, reports, benchmark);
    it meets a backend only when `arrears_run` runs it.

    `month_ends` are the trend days (default month_ends_until(as_of)); none may be after `as_of`, whose
    payments are all a run reads. `data_dir` None is `<ANSINH_DATA_DIR>/employers/`."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    rules: ArrearsRules = Field(default_factory=ArrearsRules)
    data_dir: Path | None = None
    engine: Engine = "duckdb"
    month_ends: tuple[date, ...] | None = None
    debug: bool = False  # also materialise and time the steps read once

    @field_validator("month_ends")
    @classmethod
    def _sorted(cls, value: tuple[date, ...] | None) -> tuple[date, ...] | None:
        return None if value is None else tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _not_after_the_report_day(self) -> ArrearsSettings:
        if any(day > self.as_of for day in self.trend_days):
            raise ValueError("trend days after the report day need payments the report does not read")
        return self

    @property
    def trend_days(self) -> list[date]:
        return list(self.month_ends) if self.month_ends is not None else month_ends_until(self.as_of)


def arrears_run(settings: ArrearsSettings, *, progress: Progress = no_progress) -> ArrearsResult:
    """The arrears of every unit on the report day, with the commune figures and their trend, from the
    ledger and units datasets, on DuckDB or PySpark.

    The steps that later steps read more than once (the FIFO settlement: due_rows to month_charges) are
    materialised as they go, and timed; the caches are dropped before returning."""
    con = connect(settings.engine)
    ledger, units = _read(con, "ledger", settings.data_dir), _read(con, "units", settings.data_dir)
    # An empty ledger (nothing imported yet) is an in-memory table with nothing worth caching.
    imported = storage.dataset_exists("ledger", settings.data_dir)
    steps = arrears_steps(con, ledger, units, settings, keep=imported)
    ran = run_steps(steps, debug=settings.debug and imported, progress=progress)
    months, detailed = ran["units"]
    communes, trend = ran["communes"]
    return ArrearsResult(settings.as_of, settings.rules, months, detailed, communes, trend, ran.timings)


def arrears_steps(
    con: ibis.BaseBackend, ledger: ir.Table, units: ir.Table, settings: ArrearsSettings, *, keep: bool
) -> list[Step]:
    """The named steps of a run on `con`; `keep` materialises the FIFO settlement's steps, each read by
    several later ones. The last two compute on `con` (which also runs the in-memory tables that stand
    for datasets not imported yet)."""
    as_of, rules = settings.as_of, settings.rules

    def owed_units(done) -> tuple[pd.DataFrame, pd.DataFrame]:
        months = con.to_pandas(done["owed"].order_by("unit_code", "period"))
        detailed = con.to_pandas(units_in_arrears(done["summary"], units).order_by("unit_code"))
        return _with_dates(months, "period", "deadline"), detailed

    def commune_figures(done) -> tuple[pd.DataFrame, pd.DataFrame]:
        kpis = commune_kpis(
            done["due_rows"], done["late_parts"], done["summary"], units, as_of=as_of, month_ends=settings.trend_days
        )
        return con.to_pandas(kpis.current), _with_dates(con.to_pandas(kpis.trend), "day")

    return [
        Step("due_rows", lambda done: due_rows(ledger), "Xếp các tháng phải đóng của từng đơn vị", keep=keep),
        Step("payment_rows", lambda done: payment_rows(ledger, as_of=as_of), "Xếp các lần nộp tiền", keep=keep),
        Step("late_parts", lambda done: late_parts(done["due_rows"], done["payment_rows"], as_of=as_of),
             "Đối trừ tiền nộp vào tháng cũ nhất trước", keep=keep),
        Step("month_charges", lambda done: month_charges(done["late_parts"], as_of=as_of, rules=rules),
             "Tính lãi chậm đóng từng tháng", keep=keep),
        Step("owed", lambda done: months_owed(done["month_charges"], done["due_rows"], as_of=as_of, rules=rules)),
        Step("summary", lambda done: unit_summary(done["owed"], interest_on_paid(done["month_charges"], as_of=as_of))),
        Step("units", owed_units, "Tổng hợp nợ của từng đơn vị"),
        Step("communes", commune_figures, "Tổng hợp theo xã, phường"),
    ]
