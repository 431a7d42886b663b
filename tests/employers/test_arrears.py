"""The arrears engine (Ibis) gives the figures of the reference rules (interest.py) on the same ledgers:
hand-built ones whose answers are worked out in test_interest.py, and ledgers drawn by hypothesis.

Every test runs on DuckDB and, marked `pyspark`, on PySpark (`uv run pytest --pyspark`): the `engine`
fixture of tests/conftest.py. Nothing here
needs the Django database: the datasets are written to a temporary directory and read from there.
"""

from __future__ import annotations

import itertools
import zlib
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh.core.periods import add_months
from ansinh.employers import interest, storage
from ansinh.employers.arrears import ArrearsResult, ArrearsSettings, arrears_run, month_ends_until
from ansinh.employers.interest import ArrearsRules, UnitStatement, due_in_year, ledger_statements, outstanding_on
from ansinh.employers.records import EVASION, LATE, MonthOwed
from ansinh.employers.schema import LEDGER, UNITS

RULES = ArrearsRules()
_runs = itertools.count()


def due(unit: str, period: date, amount: int) -> dict:
    return {"unit_code": unit, "period": period, "amount_due": amount, "amount_paid": 0, "paid_on": None}


def pay(unit: str, day: date, amount: int, period: date | None = None) -> dict:
    return {"unit_code": unit, "period": period, "amount_due": 0, "amount_paid": amount, "paid_on": day}


def unit(code: str, commune: str, workers: int = 10, **fields) -> dict:
    row = {
        "unit_code": code, "tax_code": f"03{zlib.crc32(code.encode()) % 10**8:08d}", "name": f"Công ty {code}",
        "address": "Ninh Kiều, Cần Thơ", "commune_code": commune, "sector": "", "ownership": "Công ty TNHH",
        "workers": workers, "status": "active",
    }
    return row | fields


def run(engine: str, tmp_path: Path, rows: list[dict], *, as_of: date, units: list[dict] | None = None,
        rules: ArrearsRules = RULES, month_ends: list[date] | None = None) -> ArrearsResult:
    directory = tmp_path / f"run{next(_runs)}"
    storage.dataset_write("ledger", pa.Table.from_pylist(rows, schema=LEDGER), directory)
    if units is not None:
        storage.dataset_write("units", pa.Table.from_pylist(units, schema=UNITS), directory)
    return arrears_run(ArrearsSettings(as_of=as_of, rules=rules, data_dir=directory, engine=engine, month_ends=month_ends))


def statements(result: ArrearsResult) -> dict[str, UnitStatement]:
    return {a.unit_code: UnitStatement(a.months, a.interest_on_paid) for a in result.records()}


# --- a ledger of units that each play one hand-worked case of test_interest.py ---------------------------

JAN, FEB, MAR, APR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)

CASES = [
    # on the deadline: nothing
    due("U01", JAN, 5_000_000), pay("U01", date(2025, 2, 28), 5_000_000),
    # paid 15 days late on 15/03: 45,000 đ in March's report
    due("U02", JAN, 10_000_000), pay("U02", date(2025, 3, 15), 10_000_000),
    # partial payments: 10 M on time, 4 M 10 days late, the rest later
    due("U03", MAR, 20_000_000), pay("U03", date(2025, 4, 20), 10_000_000), pay("U03", date(2025, 5, 10), 4_000_000),
    pay("U03", date(2025, 6, 15), 6_000_000),
    # overpayment carried forward
    due("U04", JAN, 1_000_000), due("U04", FEB, 1_000_000), pay("U04", date(2025, 2, 20), 1_500_000),
    pay("U04", date(2025, 4, 5), 500_000),
    # a payment naming February pays January
    due("U05", JAN, 2_000_000), due("U05", FEB, 2_000_000), pay("U05", date(2025, 3, 25), 2_000_000, period=FEB),
    # never paid: late, then evasion after 60 days
    due("U06", JAN, 1_000_000),
    # half-up rounding: 5,000 đ, 0.0003 × 5,000 × days
    due("U07", JAN, 5_000),
    # a deadline on a Saturday (31/05/2025), paid on Monday 2/06
    due("U08", APR, 10_000_000), pay("U08", date(2025, 6, 2), 10_000_000),
    # leap year: January 2024 is due by 29/02/2024; half paid that day (on time), half never
    due("U09", date(2024, 1, 1), 1_000_000), pay("U09", date(2024, 2, 29), 500_000),
    # two due rows for one month, and a payment listed before the dues
    pay("U10", date(2025, 4, 6), 600_000), due("U10", JAN, 600_000), due("U10", JAN, 400_000),
    # a credit beyond every due
    due("U11", JAN, 1_000_000), pay("U11", date(2025, 2, 10), 3_000_000), due("U11", FEB, 1_000_000),
    due("U11", MAR, 1_000_000), due("U11", APR, 1_000_000),
    # payments only
    pay("U12", date(2025, 3, 1), 700_000),
]
CASE_UNITS = [unit(f"U{i:02d}", "31135" if i % 2 else "31120", workers=i) for i in range(1, 11)]  # U11, U12 unknown


REPORT_DAYS = [date(2025, 3, 3), date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31), date(2025, 6, 30)]
SPARK_REPORT_DAYS = [date(2025, 3, 31), date(2025, 5, 31)]  # Spark takes seconds a run: two days will do


@pytest.mark.parametrize(
    ("engine", "as_of"),
    [("duckdb", day) for day in REPORT_DAYS]
    + [pytest.param("pyspark", day, marks=pytest.mark.pyspark) for day in SPARK_REPORT_DAYS],
)
def test_engine_equals_the_reference_on_the_hand_worked_cases(engine, tmp_path, as_of):
    result = run(engine, tmp_path, CASES, as_of=as_of, units=CASE_UNITS)
    assert statements(result) == ledger_statements(CASES, as_of=as_of, rules=RULES)


def test_engine_figures_worked_out_by_hand(engine, tmp_path):
    result = run(engine, tmp_path, CASES, as_of=date(2025, 5, 31), units=CASE_UNITS)
    found = statements(result)
    # U03: 0.0003 × (4,000,000 × 10 + 6,000,000 × 31) = 67,800 đ; U06: 92 days (31/03 … 31/05), evasion.
    assert found["U03"].months == (MonthOwed(MAR, 20_000_000, 6_000_000, date(2025, 4, 30), 31, 67_800, LATE),)
    assert found["U06"].months == (MonthOwed(JAN, 1_000_000, 1_000_000, date(2025, 2, 28), 92, 27_600, EVASION),)
    # U10: January (1,000,000 in two rows) part-paid 6/04: 600,000 × 37 days + 400,000 × 92 days.
    assert found["U10"].months == (MonthOwed(JAN, 1_000_000, 400_000, date(2025, 2, 28), 92, 17_700, EVASION),)
    # U09: January 2024 half paid on 29/02/2024, its deadline: only the other half is charged, 457 days
    # (1/03/2024 … 31/05/2025): 0.0003 × 500,000 × 457 = 68,550 đ.
    assert found["U09"].months == (MonthOwed(date(2024, 1, 1), 1_000_000, 500_000, date(2024, 2, 29), 457, 68_550, EVASION),)
    assert "U01" not in found and "U11" not in found and "U12" not in found
    # The records carry the unit's details; a unit missing from the units dataset keeps an empty name.
    by_code = {a.unit_code: a for a in result.records()}
    assert (by_code["U03"].name, by_code["U03"].commune_code, by_code["U03"].workers) == ("Công ty U03", "31135", 3)
    march = run(engine, tmp_path, CASES, as_of=date(2025, 3, 31), units=CASE_UNITS)
    assert statements(march)["U02"] == UnitStatement((), 45_000)  # settled late in March
    assert statements(march)["U05"] == UnitStatement((), 15_000)  # January paid by "February's" payment


def test_units_missing_from_the_units_dataset_are_still_listed(engine, tmp_path):
    rows = [due("TA9999Z", JAN, 1_000_000), due("U01", JAN, 1_000_000)]
    result = run(engine, tmp_path, rows, as_of=date(2025, 3, 31), units=[unit("U01", "31135")])
    (missing, known) = result.records()
    assert (missing.unit_code, missing.name, missing.address, missing.commune_code, missing.tax_code, missing.workers) == (
        "TA9999Z", "", "", "", None, 0)
    assert missing.unpaid == 1_000_000 and known.name == "Công ty U01"


def test_a_month_paid_late_whose_charge_rounds_to_nothing_is_not_listed(engine, tmp_path):
    # 3 đ due for October 2024 (by 30/11), the last 1 đ paid 21/12, 21 days late: 0.0003 × 21 = 0.0063 → 0 đ.
    rows = [due("U01", date(2024, 10, 1), 3), pay("U01", date(2024, 10, 1), 2), pay("U01", date(2024, 12, 21), 1)]
    result = run(engine, tmp_path, rows, as_of=date(2024, 12, 23))
    assert result.records() == [] and result.units.empty
    assert ledger_statements(rows, as_of=date(2024, 12, 23), rules=RULES) == {}


def test_no_ledger_yet_gives_empty_results(engine, tmp_path):
    directory = tmp_path / "empty"
    result = arrears_run(ArrearsSettings(as_of=date(2025, 3, 31), data_dir=directory, engine=engine))
    assert result.records() == [] and result.months.empty and result.units.empty
    assert result.trend.empty and result.communes.empty


def test_the_rate_and_the_threshold_come_from_the_rules(engine, tmp_path):
    rules = ArrearsRules(daily_rate=Decimal("0.0005"), evasion_after_days=30)
    result = run(engine, tmp_path, [due("U06", JAN, 1_000_000)], as_of=date(2025, 3, 31), rules=rules)
    (record,) = result.records()
    assert (record.months[0].interest, record.months[0].status) == (15_500, EVASION)  # 0.0005 × 1 M × 31


def test_a_huge_charge_stays_exact(engine, tmp_path):
    # 3,000,000,000,001 đ unpaid for 3,000 days: 9,000,000,000,003,000 đồng-days, past the engine's integer
    # path (2^53 / 3); its decimal path gives 0.0003 × that = 2,700,000,000,000.9 → 2,700,000,000,001 đ.
    big = 3_000_000_000_001
    rows = [due("U01", date(2017, 1, 1), big)]
    as_of = date(2017, 2, 28) + timedelta(days=3_000)
    result = run(engine, tmp_path, rows, as_of=as_of)
    (record,) = result.records()
    assert record.months[0].days_late == 3_000
    assert record.months[0].interest == 2_700_000_000_001 == interest.charge(big * 3_000, RULES)


# --- commune figures and the trend ----------------------------------------------------------------------------


def expected_communes(rows, units, *, as_of, rules):
    """The commune figures of commune_kpis, from the reference rules."""
    commune = {u["unit_code"]: u["commune_code"] for u in units}
    workers = {u["unit_code"]: u["workers"] for u in units}
    figures = defaultdict(lambda: defaultdict(int))
    for u in units:
        figures[u["commune_code"]]["units"] += 1
    by_unit = defaultdict(list)
    for row in rows:
        by_unit[row["unit_code"]].append(row)
    for code, unit_rows in by_unit.items():
        year_due = due_in_year(unit_rows, day=as_of)
        if year_due:
            figures[commune.get(code)]["due_in_year"] += year_due
    for code, found in ledger_statements(rows, as_of=as_of, rules=rules).items():
        place = figures[commune.get(code)]
        place["unpaid"] += sum(m.unpaid for m in found.months)
        place["interest"] += sum(m.interest for m in found.months) + found.interest_on_paid
        if found.months:
            place["units_in_arrears"] += 1
            place["workers_in_arrears"] += workers.get(code, 0)
        place["units_evading"] += any(m.status == EVASION for m in found.months)
    return {code: {k: v for k, v in values.items() if v} for code, values in figures.items() if any(values.values())}


def found_communes(result: ArrearsResult) -> dict:
    metrics = ("units", "units_in_arrears", "units_evading", "workers_in_arrears", "unpaid", "interest", "due_in_year")
    return {
        (None if _missing(row["commune_code"]) else row["commune_code"]): {m: int(row[m]) for m in metrics if int(row[m])}
        for row in result.communes.to_dict("records")
    }


def expected_trend(rows, units, *, days):
    commune = {u["unit_code"]: u["commune_code"] for u in units}
    by_unit = defaultdict(list)
    for row in rows:
        by_unit[row["unit_code"]].append(row)
    trend = {}
    for code, unit_rows in by_unit.items():
        if not interest.dues(unit_rows):
            continue
        for day in days:
            owed = outstanding_on(unit_rows, day=day)
            key = (commune.get(code), day)
            units_in_arrears, arrears, due = trend.get(key, (0, 0, 0))
            trend[key] = (units_in_arrears + (owed > 0), arrears + owed, due + due_in_year(unit_rows, day=day))
    return trend


def found_trend(result: ArrearsResult) -> dict:
    return {
        (None if _missing(row["commune_code"]) else row["commune_code"], row["day"]):
            (int(row["units_in_arrears"]), int(row["arrears"]), int(row["due_in_year"]))
        for row in result.trend.to_dict("records")
    }


def _missing(value) -> bool:
    return value is None or value != value


def test_commune_figures_and_trend_equal_the_reference(engine, tmp_path):
    as_of = date(2025, 5, 31)
    result = run(engine, tmp_path, CASES, as_of=as_of, units=CASE_UNITS)
    assert found_communes(result) == expected_communes(CASES, CASE_UNITS, as_of=as_of, rules=RULES)
    days = month_ends_until(as_of)
    assert sorted({row["day"] for row in result.trend.to_dict("records")}) == days
    assert found_trend(result) == expected_trend(CASES, CASE_UNITS, days=days)
    # On the report day, the trend's arrears are the units' unpaid months: FIFO and balances agree.
    on_the_day = result.trend[result.trend["day"] == as_of]
    assert int(on_the_day["arrears"].sum()) == int(result.units["unpaid"].sum())


def test_month_ends_must_not_pass_the_report_day(engine, tmp_path):
    with pytest.raises(ValueError):
        run(engine, tmp_path, CASES, as_of=date(2025, 3, 31), month_ends=[date(2025, 4, 30)])
    assert run(engine, tmp_path, CASES, as_of=date(2025, 3, 31), month_ends=[]).trend.empty


def test_month_ends_until_the_report_day():
    assert month_ends_until(date(2025, 3, 31)) == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)]
    assert month_ends_until(date(2025, 3, 15)) == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 15)]
    assert month_ends_until(date(2025, 1, 1)) == [date(2025, 1, 1)]


# --- drawn ledgers ----------------------------------------------------------------------------------------------

FIRST = date(2024, 10, 1)
DAYS = 400  # payments fall between FIRST and FIRST + DAYS
AMOUNTS = st.one_of(st.integers(1, 3_000_000), st.sampled_from([1_000, 5_000, 500_000, 1_000_000]))


@st.composite
def ledgers(draw) -> tuple[list[dict], list[dict], date]:
    """A report day; a few units with a few months due (some repeated, some on a day other than the
    1st), payments on any day (half of them close to the report day, so months get settled late in its
    month), naming a month or none, and now and then a row that counts for nothing."""
    report = draw(st.integers(60, DAYS))
    as_of = FIRST + timedelta(days=report)
    rows, units = [], []
    for index in range(draw(st.integers(1, 5))):
        code = f"TA{index:04d}"
        if draw(st.integers(0, 4)):  # one unit in five is missing from the units dataset
            units.append(unit(code, draw(st.sampled_from(["31135", "31120"])), workers=draw(st.integers(0, 50))))
        for month in draw(st.lists(st.integers(0, 9), max_size=8)):
            period = add_months(FIRST, month).replace(day=draw(st.sampled_from([1, 1, 1, 15])))
            rows.append(due(code, period, draw(AMOUNTS)))
        offsets = st.one_of(st.integers(0, DAYS), st.integers(report - 40, report))
        for offset, amount, named in draw(st.lists(st.tuples(offsets, AMOUNTS, st.booleans()), max_size=8)):
            period = add_months(FIRST, draw(st.integers(0, 9))) if named else None
            rows.append(pay(code, FIRST + timedelta(days=offset), amount, period=period))
        if draw(st.integers(0, 5)) == 0:
            rows.append(due(code, add_months(FIRST, 1), 0))
            rows.append({"unit_code": code, "period": None, "amount_due": 9, "amount_paid": 0, "paid_on": None})
    return rows, units, as_of


@pytest.mark.parametrize("rules", [RULES, ArrearsRules(daily_rate=Decimal("0.000333"), evasion_after_days=0)], ids=["law", "odd"])
def test_engine_equals_the_reference_on_drawn_ledgers(engine, tmp_path, rules):
    examples = 3 if engine == "pyspark" else 25

    @settings(max_examples=examples, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(ledgers())
    def check(drawn):
        rows, units, as_of = drawn
        days = month_ends_until(as_of)
        result = run(engine, tmp_path, rows, as_of=as_of, units=units, rules=rules, month_ends=days)
        assert statements(result) == ledger_statements(rows, as_of=as_of, rules=rules)
        assert found_communes(result) == expected_communes(rows, units, as_of=as_of, rules=rules)
        assert found_trend(result) == expected_trend(rows, units, days=days)

    check()
