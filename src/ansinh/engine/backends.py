"""The one module that opens an engine: DuckDB (embedded, the default) or PySpark (`ANSINH_ENGINE=pyspark`,
for data that outgrows one machine).

Every pipeline (coverage, arrears, reconciliation) gets its connection here, so the memory budget, the
spill directory and the Spark session are set in one place and the Ibis expressions never learn which
backend runs them. What a pipeline reads and how it runs stays in its own app.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from pathlib import Path
from typing import Literal

import ibis

from ansinh.core.errors import ValidationFailed

#: The engines a settings object may name (`Engine`), in the order a door lists them.
ENGINES = ("duckdb", "pyspark")
Engine = Literal["duckdb", "pyspark"]

#: DuckDB's memory budget when ANSINH_DUCKDB_MEMORY is not set. Past it the fold of millions of persons
#: spills partitions to disk instead of growing, and on this kind of machine that is no slower: Hồ Chí
#: Minh City's 14 million persons take 4,3–4,6 GiB and 14–20 s with DuckDB's own limit (80% of the
#: machine), but 2,2 GiB and 12–13 s with 2GB (less memory to fault in and page out).
DEFAULT_DUCKDB_MEMORY = "2GB"


def default_engine() -> str:
    """The engine ANSINH_ENGINE names (a deployment's choice), or DuckDB; not checked: see check_engine."""
    return os.environ.get("ANSINH_ENGINE", "duckdb")


def check_engine(engine: str) -> str:
    """The engine's name, or a clear error (it may come from ANSINH_ENGINE, not only from a user)."""
    if engine not in ENGINES:
        raise ValidationFailed(f"Không có máy tính toán “{engine}” (chọn duckdb hoặc pyspark; xem ANSINH_ENGINE).")
    return engine


def connect(engine: str, *, keep_order: bool = False) -> ibis.BaseBackend:
    """A connection to `engine`.

    `keep_order`: DuckDB keeps the rows of a file in file order (its own default). Pipelines that sort
    where order matters leave it off, which saves DuckDB memory and time; one that numbers rows as they
    stand in the file (reconciliation's `record`) needs it. Spark has no such setting: its numbering
    follows the file while a file is read as one split, which holds for small files only."""
    if engine == "duckdb":
        return _duckdb(keep_order=keep_order)
    if engine == "pyspark":
        return _pyspark()
    raise ValidationFailed(f"Không có máy tính toán “{engine}” (chọn duckdb hoặc pyspark).")


def _duckdb(*, keep_order: bool) -> ibis.BaseBackend:
    """A fresh in-memory DuckDB: cheap to open, and nothing is shared between runs or web requests.

    Its memory is capped (`DEFAULT_DUCKDB_MEMORY`, or ANSINH_DUCKDB_MEMORY) and it spills into the
    system's temporary directory, which a web server can always write, not the current one."""
    con = ibis.duckdb.connect()
    con.raw_sql(f"SET memory_limit = '{_memory_limit()}'")
    spill = Path(tempfile.gettempdir()) / "ansinh-duckdb"
    con.raw_sql(f"SET temp_directory = '{spill}'")
    if not keep_order:
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
