"""Every coverage count test runs on every implementation: the pandas reference, the engine on DuckDB,
and the engine on PySpark (marked `pyspark`: `uv run pytest --pyspark`, as CI does)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ansinh.coverage import backends
from ansinh.coverage.engine import CoverageSettings
from ansinh.coverage.reference import RULES, coverage_counts_pandas, coverage_quality_pandas
from tests.coverage.factories import frames, write_parquet

IMPLEMENTATIONS = ["pandas", "duckdb", pytest.param("pyspark", marks=pytest.mark.pyspark)]
_runs = itertools.count()


@dataclass
class Counter:
    """Counts and rows kept out, computed by one implementation from hand-built rows."""

    name: str
    tmp_path: Path

    def compute(self, persons=(), cards=(), spans=(), first_month=date(2025, 1, 1), months=3, communes=None) -> pd.DataFrame:
        return self.compute_frames(*frames(persons, cards, spans), first_month=first_month, months=months, communes=communes)

    def compute_frames(self, persons, cards, spans, *, first_month, months, communes=None) -> pd.DataFrame:
        if self.name == "pandas":
            return coverage_counts_pandas(persons=persons, cards=cards, spans=spans, first_month=first_month, months=months, communes=communes)
        return self._run(persons, cards, spans, first_month=first_month, months=months, communes=communes).counts

    def quality(self, *, persons, cards, spans, communes=None) -> dict[str, int]:
        if self.name == "pandas":
            return coverage_quality_pandas(persons=persons, cards=cards, spans=spans, communes=communes)
        run = self._run(persons, cards, spans, first_month=date(2025, 1, 1), months=1, communes=communes)
        found = dict.fromkeys(RULES, 0)
        found.update({problem.rule: problem.rows for problem in run.problems})
        return found

    def _run(self, persons, cards, spans, **period) -> backends.EngineResult:
        directory = write_parquet(self.tmp_path / f"run{next(_runs)}", persons, cards, spans)
        communes = period.pop("communes")
        settings = CoverageSettings(
            data_dir=directory, engine=self.name, communes=frozenset(communes) if communes is not None else None, **period
        )
        return backends.run(settings)


@pytest.fixture(params=IMPLEMENTATIONS)
def counter(request, tmp_path) -> Counter:
    return Counter(request.param, tmp_path)
