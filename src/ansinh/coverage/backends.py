"""The one module that knows which engine runs the coverage expressions: DuckDB (embedded, the default)
or PySpark (`ANSINH_ENGINE=pyspark`, for data that outgrows one machine). It opens a connection, reads the
Parquet inputs, and executes what `engine.py` builds."""

from __future__ import annotations

import functools
import math
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pandas as pd

from ansinh.core.errors import ValidationFailed
from ansinh.coverage import engine
from ansinh.coverage.engine import CoverageSettings, Inputs

#: Persons per slice of the fold on DuckDB. Each slice reads every file again, which costs more time
#: than DuckDB's own spilling (ANSINH_DUCKDB_MEMORY) saves, so by default the whole province is one slice.
PERSONS_PER_SLICE = 50_000_000
INPUT_FILES = {"persons": "persons.parquet", "cards": "bhyt_cards.parquet", "spans": "bhxh_spans.parquet"}


def default_engine() -> str:
    return os.environ.get("ANSINH_ENGINE", "duckdb")


def default_slices(persons: int, engine: str) -> int:
    """Spark spreads the work itself; DuckDB folds the persons a few million at a time."""
    if engine != "duckdb":
        return 1
    return max(1, math.ceil(persons / PERSONS_PER_SLICE))


ENGINES = ("duckdb", "pyspark")


def check_engine(engine: str) -> str:
    """The engine's name, or a clear error (it may come from ANSINH_ENGINE, not only from a user)."""
    if engine not in ENGINES:
        raise ValidationFailed(f"Không có máy tính toán “{engine}” (chọn duckdb hoặc pyspark; xem ANSINH_ENGINE).")
    return engine


def connect(engine: str) -> ibis.BaseBackend:
    if engine == "duckdb":
        return _duckdb()
    if engine == "pyspark":
        return _pyspark()
    raise ValidationFailed(f"Không có máy tính toán “{engine}” (chọn duckdb hoặc pyspark).")


#: DuckDB's memory budget when ANSINH_DUCKDB_MEMORY is not set. Past it the fold of millions of persons
#: spills partitions to disk instead of growing, and on this kind of machine that is no slower: Hồ Chí
#: Minh City's 14 million persons take 4,3–4,6 GiB and 14–20 s with DuckDB's own limit (80% of the
#: machine), but 2,2 GiB and 12–13 s with 2GB (less memory to fault in and page out).
DEFAULT_DUCKDB_MEMORY = "2GB"


def _duckdb() -> ibis.BaseBackend:
    """A fresh in-memory DuckDB: cheap to open, and nothing is shared between runs or web requests.

    Its memory is capped (`DEFAULT_DUCKDB_MEMORY`, or ANSINH_DUCKDB_MEMORY) and it spills into the
    system's temporary directory, which a web server can always write, not the current one."""
    con = ibis.duckdb.connect()
    con.raw_sql(f"SET memory_limit = '{_memory_limit()}'")
    spill = Path(tempfile.gettempdir()) / "ansinh-duckdb"
    con.raw_sql(f"SET temp_directory = '{spill}'")
    con.raw_sql("SET preserve_insertion_order = false")  # results are sorted where order matters
    return con


def _memory_limit() -> str:
    value = os.environ.get("ANSINH_DUCKDB_MEMORY", "").strip() or DEFAULT_DUCKDB_MEMORY
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, flags=re.IGNORECASE):
        raise ValidationFailed(f"ANSINH_DUCKDB_MEMORY “{value}” không hợp lệ: ghi như 3GB hoặc 1500MB.")
    return value


@functools.cache
def _pyspark() -> ibis.BaseBackend:
    """One local Spark session per process (starting the JVM takes seconds)."""
    from ibis.backends.sql.compilers.pyspark import PySparkCompiler
    from pyspark.sql import SparkSession

    # Ibis 12 compiles the BIT_OR aggregate for DuckDB but not for Spark, which has had it since 3.0.
    PySparkCompiler.visit_BitOr = _spark_bit_or
    session = (
        SparkSession.builder.master(os.environ.get("ANSINH_SPARK_MASTER", "local[2]"))
        .appName("ansinh")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)


def _spark_bit_or(self, _op, *, arg, where, order_by=()):
    return self.agg.bit_or(arg, where=where, order_by=order_by)


def read_inputs(con: ibis.BaseBackend, data_dir: Path) -> Inputs:
    """The three Parquet inputs as tables; a clear message when a file is missing."""
    missing = [name for name in INPUT_FILES.values() if not (data_dir / name).exists()]
    if missing:
        raise ValidationFailed(
            f"Thư mục dữ liệu {data_dir} thiếu {', '.join(missing)}. Chạy “ansinh generate” hoặc đặt ANSINH_DATA_DIR."
        )
    tables = {key: con.read_parquet(str(data_dir / name), table_name=f"ansinh_{key}") for key, name in INPUT_FILES.items()}
    return Inputs(**tables)


@dataclass(frozen=True)
class Problem:
    rule: str
    rows: int
    examples: tuple[str, ...]  # person IDs, unmasked: the door masks them


@dataclass
class EngineResult:
    """What a run produced: the counts, the rows kept out, and how long each step took."""

    settings: CoverageSettings
    counts: pd.DataFrame  # commune_code, month, measure, value
    problems: list[Problem]
    persons: int  # valid persons counted
    timings: list[tuple[str, float]] = field(default_factory=list)


def run(settings: CoverageSettings, progress: Callable[[str], None] | None = None) -> EngineResult:
    """Run the engine on the data directory: the persons in slices, then the row-level checks."""
    con = connect(settings.engine)
    inputs = read_inputs(con, settings.data_dir)
    timings: list[tuple[str, float]] = []
    parts = []
    for index in range(settings.slices):
        parts.append(_run_slice(inputs, settings, index, timings, progress))
    sums = pd.concat(parts, ignore_index=True)
    counts = _counts(sums, settings)
    started = time.perf_counter()
    problems = _fold_problems(sums) + _row_problems(inputs, settings)
    timings.append(("problems", time.perf_counter() - started))
    persons = int(sums.loc[sums.outcome == engine.VALID, "rows"].sum())
    return EngineResult(settings, counts, problems, persons, timings)


def _run_slice(inputs, settings, index, timings, progress) -> pd.DataFrame:
    """The named steps of one slice: as one expression, or (debug) each materialised and timed."""
    table = None
    steps = engine.steps(inputs, settings, index)
    for position, step in enumerate(steps):
        if progress:
            progress(f"{step.label} ({index + 1}/{settings.slices})" if settings.slices > 1 else step.label)
        table = step.build() if table is None else step.build(table)
        if settings.debug and position < len(steps) - 1:
            started = time.perf_counter()
            table = table.cache()
            table.count().execute()
            timings.append((f"{step.name}[{index}]", time.perf_counter() - started))
    started = time.perf_counter()
    result = table.to_pandas()
    timings.append((f"{steps[-1].name if settings.debug else 'slice'}[{index}]", time.perf_counter() - started))
    return result


def _counts(sums: pd.DataFrame, settings: CoverageSettings) -> pd.DataFrame:
    """The slices' sums added up, as the long table `commune_code, month, measure, value`, sorted.

    A reshaping of a few hundred rows, done in pandas: nothing person-level is left at this point."""
    valid = sums[sums.outcome == engine.VALID]
    columns = {
        engine.value_column(k, i): (measure, month)
        for k, measure in enumerate(engine.MEASURES_OUT)
        for i, month in enumerate(settings.month_list)
    }
    by_commune = valid.groupby("commune")[list(columns)].sum()
    long = by_commune.melt(ignore_index=False, var_name="column", value_name="value").reset_index()
    long["commune_code"] = long["commune"].map(lambda code: f"{int(code):05d}")
    long["measure"] = long["column"].map(lambda column: columns[column][0])
    long["month"] = long["column"].map(lambda column: columns[column][1])
    long["value"] = long["value"].astype("int64")
    ordered = long.sort_values(["commune_code", "month", "measure"], kind="stable")
    return ordered[["commune_code", "month", "measure", "value"]].reset_index(drop=True)


def _fold_problems(sums: pd.DataFrame) -> list[Problem]:
    """Rows kept out that only show once every row about a person is together: duplicates, bad registry
    rows, and cards or spans of nobody (a bad person's cards and spans count as of nobody too)."""
    bad = sums[sums.outcome != engine.VALID]
    problems = []
    for code, rule in engine.PERSON_RULES.items():
        rows = bad[bad.outcome == code]
        if rows.rows.sum():
            problems.append(Problem(rule, int(rows.rows.sum()), _examples(rows)))
    for kind in ("cards", "spans"):
        rows = bad[bad[kind] > 0]
        if len(rows):
            rule = "card.unknown_person" if kind == "cards" else "span.unknown_person"
            problems.append(Problem(rule, int(rows[kind].sum()), _examples(rows)))
    return problems


def _row_problems(inputs: Inputs, settings: CoverageSettings) -> list[Problem]:
    """Cards and spans that break a rule by themselves."""
    found = []
    for problems in (engine.card_problems(inputs.cards, settings), engine.span_problems(inputs.spans, settings)):
        for row in engine.problem_counts(problems).to_pandas().itertuples():
            found.append(Problem(row.rule, int(row.rows), _examples(pd.DataFrame([row._asdict()]))))
    return found


def _examples(rows: pd.DataFrame, limit: int = 3) -> tuple[str, ...]:
    values = pd.concat([rows.example_low, rows.example_high]).dropna().astype(str)
    return tuple(sorted(set(values))[:limit])
