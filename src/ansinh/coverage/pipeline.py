"""The coverage pipeline: read the Parquet inputs, run the named steps of `engine.py` on each slice of
the persons, and hand back the counts and the rows kept out (`run`).

The connection comes from `ansinh.engine.backends` (DuckDB or PySpark) and the steps run through
`ansinh.engine.steps`, like every other pipeline; what is coverage's own is here: which files, how the
persons are sliced, and how the slices' sums become the long table of counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pandas as pd

from ansinh.core.errors import ValidationFailed
from ansinh.coverage import engine
from ansinh.coverage.engine import CoverageSettings, Inputs
from ansinh.engine.backends import connect
from ansinh.engine.progress import Progress, no_progress, suffixed
from ansinh.engine.steps import Step, Timing, run_steps

#: Persons per slice of the fold on DuckDB. Each slice reads every file again, which costs more time
#: than DuckDB's own spilling (ANSINH_DUCKDB_MEMORY) saves, so by default the whole province is one slice.
PERSONS_PER_SLICE = 50_000_000
INPUT_FILES = {"persons": "persons.parquet", "cards": "bhyt_cards.parquet", "spans": "bhxh_spans.parquet"}


def default_slices(persons: int, engine: str) -> int:
    """Spark spreads the work itself; DuckDB folds the persons a few million at a time."""
    if engine != "duckdb":
        return 1
    return max(1, math.ceil(persons / PERSONS_PER_SLICE))


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
    timings: list[Timing] = field(default_factory=list)


def run(settings: CoverageSettings, progress: Progress = no_progress) -> EngineResult:
    """Run the engine on the data directory: the persons in slices, then the row-level checks."""
    inputs = read_inputs(connect(settings.engine), settings.data_dir)
    timings: list[Timing] = []
    parts = []
    for index in range(settings.slices):
        parts.append(_run_slice(inputs, settings, index, timings, progress))
    sums = pd.concat(parts, ignore_index=True)
    counts = _counts(sums, settings)
    checked = run_steps([Step("problems", lambda done: _fold_problems(sums) + _row_problems(inputs, settings))])
    timings.extend(checked.timings)
    problems = checked["problems"]
    persons = int(sums.loc[sums.outcome == engine.VALID, "rows"].sum())
    return EngineResult(settings, counts, problems, persons, timings)


def _run_slice(inputs, settings, index, timings, progress) -> pd.DataFrame:
    """One slice: the named steps of `engine.steps`, then their last table as pandas ("slice", which
    under debug is the last step read back, the steps before it having each been timed)."""
    if settings.slices > 1:
        progress = suffixed(progress, f" ({index + 1}/{settings.slices})")
    steps = engine.steps(inputs, settings, index)
    last = steps[-1].name
    collect = Step("slice", lambda done: done[last].to_pandas())
    ran = run_steps([*steps, collect], debug=settings.debug, progress=progress, tag=f"[{index}]")
    timings.extend(ran.timings)
    return ran["slice"]


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
