"""`ansinh bench coverage`: the engine against a straightforward pandas implementation, same data, same
process, same answers required.

Peak memory is the process's resident size sampled every 10 ms while each implementation runs (DuckDB
and pandas both allocate inside this process). The data is generated in a child process, so generating
it never counts toward either peak.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ansinh.ops.measure import MIB, peak_memory
from ansinh.coverage import pipeline
from ansinh.coverage.engine import CoverageSettings
from ansinh.coverage.required import required_rules
from ansinh.rules import shipped_rule_value
from ansinh.core.periods import add_months
from ansinh.coverage.reference import coverage_counts_pandas, coverage_quality_pandas, load_inputs_pandas
from ansinh.demo.synthetic.communes import id_prefix, official_communes
from ansinh.demo.synthetic.persons import Manifest, generate

@dataclass
class BenchResult:
    persons: int
    cards: int
    spans: int
    communes: int
    months: int
    engine: str
    rows: int  # output rows: communes × months × measures
    engine_seconds: float
    engine_peak_mib: float
    pandas_seconds: float | None
    pandas_peak_mib: float | None
    speedup: float | None
    identical: bool | None
    data_dir: str

    def as_dict(self) -> dict:
        return asdict(self)


def bench_coverage(
    *, persons: int, province: str = "92", seed: int = 2025, engine: str = "duckdb", directory: Path,
    pandas: bool = True, say: Callable[[str], None] = lambda _: None,
) -> BenchResult:
    """Generate (or reuse) a province of `persons`, run the engine for twelve months, then pandas."""
    manifest = _ensure_data(directory, persons=persons, province=province, seed=seed, say=say)
    codes = frozenset(c.code for c in official_communes(province))
    first = date(manifest.as_of.year, 1, 1)
    settings = CoverageSettings(
        data_dir=directory, first_month=first, months=12, communes=codes,
        engine=engine, slices=pipeline.default_slices(persons, engine),
        # The shipped rules: the benchmark touches no database, so officers' corrections do not apply.
        required=required_rules([add_months(first, i) for i in range(12)], value=shipped_rule_value),
    )
    say(f"Chạy máy tính toán ({engine}, {settings.slices} phần)")
    with peak_memory() as engine_peak:
        started = time.perf_counter()
        result = pipeline.run(settings)
        engine_seconds = time.perf_counter() - started
    pandas_seconds = pandas_peak = identical = None
    if pandas:
        say("Chạy bản pandas để so sánh")
        with peak_memory() as pandas_peak_box:
            started = time.perf_counter()
            people, cards, spans = load_inputs_pandas(directory)
            expected = coverage_counts_pandas(persons=people, cards=cards, spans=spans, first_month=settings.first_month, months=12, required=settings.required, communes=codes)
            quality = coverage_quality_pandas(persons=people, cards=cards, spans=spans, communes=codes, first_month=settings.first_month, months=12)
            pandas_seconds = time.perf_counter() - started
            del people, cards, spans
        pandas_peak = pandas_peak_box[0]
        identical = _same_counts(result.counts, expected) and _same_problems(result.problems, quality)
    return BenchResult(
        persons=persons, cards=manifest.files.get("bhyt_cards.parquet", 0), spans=manifest.files.get("bhxh_spans.parquet", 0),
        communes=len(codes), months=12, engine=engine, rows=len(result.counts),
        engine_seconds=round(engine_seconds, 2), engine_peak_mib=round(engine_peak[0] / MIB, 1),
        pandas_seconds=None if pandas_seconds is None else round(pandas_seconds, 2),
        pandas_peak_mib=None if pandas_peak is None else round(pandas_peak / MIB, 1),
        speedup=None if pandas_seconds is None else round(pandas_seconds / engine_seconds, 1),
        identical=identical, data_dir=str(directory),
    )


def _same_counts(found: pd.DataFrame, expected: pd.DataFrame) -> bool:
    key = ["commune_code", "month", "measure"]
    left = found.sort_values(key).reset_index(drop=True)[key + ["value"]]
    right = expected.sort_values(key).reset_index(drop=True)[key + ["value"]]
    return len(left) == len(right) and bool((left.astype(str) == right.astype(str)).all().all())


def _same_problems(problems, quality: dict[str, int]) -> bool:
    return {p.rule: p.rows for p in problems} == {rule: rows for rule, rows in quality.items() if rows}


# --- data ------------------------------------------------------------------------------------------


def _ensure_data(directory: Path, *, persons: int, province: str, seed: int, say) -> Manifest:
    """Reuse the extract when it is the one asked for; otherwise generate it in a child process."""
    path = directory / "manifest.json"
    if path.exists():
        manifest = Manifest.from_json(path.read_text(encoding="utf-8"))
        if (manifest.persons, manifest.seed, manifest.province_code) == (persons, seed, id_prefix(province)):
            say(f"Dùng lại dữ liệu có sẵn trong {directory}")
            return manifest
    say(f"Sinh dữ liệu {persons:,} người (tiến trình riêng)".replace(",", "."))
    started = time.perf_counter()
    code = f"from ansinh.ops.bench_coverage import _generate; _generate({str(directory)!r}, {persons}, {province!r}, {seed})"
    finished = subprocess.run([sys.executable, "-c", code], check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"sinh dữ liệu thất bại (mã thoát {finished.returncode})")
    say(f"Đã sinh dữ liệu trong {time.perf_counter() - started:.1f} s")
    return Manifest.from_json(path.read_text(encoding="utf-8"))


def _generate(directory: str, persons: int, province: str, seed: int) -> None:
    """Twelve whole months of data: the extract is taken at the end of the year."""
    generate(
        out_dir=Path(directory), persons=persons, communes=official_communes(province), province_code=id_prefix(province),
        seed=seed, as_of=date(2025, 12, 31),
    )
