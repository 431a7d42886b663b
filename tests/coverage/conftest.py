"""Every coverage count test runs on every implementation: the pandas reference, the engine on DuckDB,
and the engine on PySpark (marked `pyspark`: `uv run pytest --pyspark`, as CI does)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ansinh.coverage import pipeline
from ansinh.coverage.engine import CoverageSettings
from ansinh.coverage.reference import RULES, coverage_counts_pandas, coverage_quality_pandas
from tests.coverage.factories import frames, rules_for, write_parquet

IMPLEMENTATIONS = ["pandas", "duckdb", pytest.param("pyspark", marks=pytest.mark.pyspark)]
_runs = itertools.count()
#: Rows kept out are counted among the cards and spans a run reads: those touching its period.
QUALITY_PERIOD = {"first_month": date(2025, 1, 1), "months": 12}


@dataclass
class Counter:
    """Counts and rows kept out, computed by one implementation from hand-built rows."""

    name: str
    tmp_path: Path

    def compute(self, persons=(), cards=(), spans=(), first_month=date(2025, 1, 1), months=3, communes=None) -> pd.DataFrame:
        return self.compute_frames(*frames(persons, cards, spans), first_month=first_month, months=months, communes=communes)

    def compute_frames(self, persons, cards, spans, *, first_month, months, communes=None) -> pd.DataFrame:
        if self.name == "pandas":
            return coverage_counts_pandas(
                persons=persons, cards=cards, spans=spans, first_month=first_month, months=months,
                required=rules_for(first_month, months), communes=communes,
            )
        return self._run(persons, cards, spans, first_month=first_month, months=months, communes=communes).counts

    def quality(self, *, persons, cards, spans, communes=None) -> dict[str, int]:
        if self.name == "pandas":
            return coverage_quality_pandas(persons=persons, cards=cards, spans=spans, communes=communes, **QUALITY_PERIOD)
        run = self._run(persons, cards, spans, communes=communes, **QUALITY_PERIOD)
        found = dict.fromkeys(RULES, 0)
        found.update({problem.rule: problem.rows for problem in run.problems})
        return found

    def _run(self, persons, cards, spans, **period) -> pipeline.EngineResult:
        directory = write_parquet(self.tmp_path / f"run{next(_runs)}", persons, cards, spans)
        communes = period.pop("communes")
        settings = CoverageSettings(
            data_dir=directory, engine=self.name, communes=frozenset(communes) if communes is not None else None,
            required=rules_for(period["first_month"], period["months"]), **period,
        )
        return pipeline.run(settings)


@pytest.fixture(params=IMPLEMENTATIONS)
def counter(request, tmp_path) -> Counter:
    return Counter(request.param, tmp_path)


# --- a tiny extract of Phường Ninh Kiều (31135) for the lists, the pages, the API and the CLI -----------

NINH_KIEU = "31135"
AS_OF = date(2025, 10, 31)


def _ninh_kieu_rows():
    """Three households of Ninh Kiều and one person elsewhere, as of 31/10/2025:

    - H1 (Khu vực 1): person 1 insured, person 2's card ended 30/09/2025 (uninsured), person 3 (a child) insured;
    - H2 (Khu vực 2): person 4's card ends 15/11/2025 and is not renewed (expiring), person 5's card ends
      20/11/2025 but a new one starts the next day (renewed, not expiring);
    - H3 (Khu vực 2): person 6 never had a card and stopped paying voluntary BHXH after June 2025;
    - person 7 lives in another commune (Cái Khế, 31120) and is uninsured: never in Ninh Kiều's lists.
    """
    from tests.coverage.factories import card, person, span

    home = {"commune_code": NINH_KIEU}
    persons = [
        person(1, full_name="Nguyễn Văn An", household_id="H1", village="Khu vực 1", **home),
        person(2, full_name="Trần Thị Bình", gender="F", birth_date=date(1992, 3, 4), household_id="H1", village="Khu vực 1", **home),
        person(3, full_name="Nguyễn Minh Châu", birth_date=date(2021, 8, 9), labour_status="outside", household_id="H1", village="Khu vực 1", **home),
        person(4, full_name="Lê Văn Dũng", household_id="H2", village="Khu vực 2", **home),
        person(5, full_name="Lê Thị Hoa", gender="F", household_id="H2", village="Khu vực 2", **home),
        person(6, full_name="Phạm Văn Giang", labour_status="other_work", household_id="H3", village="Khu vực 2", **home),
        person(7, full_name="Võ Văn Khoa", household_id="H9", village="Ấp 1", commune_code="31120"),
    ]
    cards = [
        card(1, date(2025, 1, 1), date(2025, 12, 31), group=1),
        card(2, date(2024, 10, 1), date(2025, 9, 30), group=5),
        card(3, date(2021, 8, 9), date(2027, 8, 8), group=3),
        card(4, date(2024, 11, 16), date(2025, 11, 15), group=5),
        card(5, date(2024, 11, 21), date(2025, 11, 20), group=5),
        card(5, date(2025, 11, 21), date(2026, 11, 20), group=5),
    ]
    spans = [
        span(1, date(2020, 1, 1), bhtn=True),
        span(6, date(2023, 1, 1), date(2025, 6, 1), scheme="voluntary"),
    ]
    return persons, cards, spans


@pytest.fixture(scope="session")
def _ninh_kieu_dir(tmp_path_factory) -> Path:
    return write_parquet(tmp_path_factory.mktemp("ninh-kieu"), *frames(*_ninh_kieu_rows()), as_of=AS_OF)


@pytest.fixture
def person_data(settings, _ninh_kieu_dir) -> Path:
    """ANSINH_DATA_DIR pointed at the tiny Ninh Kiều extract for the length of a test."""
    settings.DATA_DIR = _ninh_kieu_dir
    return _ninh_kieu_dir
