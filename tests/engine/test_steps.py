"""The named-steps runner every pipeline uses: one expression by default, each step timed with debug."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ansinh.engine.backends import connect
from ansinh.engine.progress import no_progress, suffixed
from ansinh.engine.steps import Step, Timing, run_steps


def _steps(table, *, keep: bool = False) -> list[Step]:
    return [
        Step("even", lambda done: table.filter(table.n % 2 == 0), "Lọc số chẵn", keep=keep),
        Step("doubled", lambda done: done["even"].mutate(n=done["even"].n * 2)),
        Step("total", lambda done: int(done["doubled"].n.sum().execute()), "Cộng"),
    ]


@pytest.fixture
def numbers(engine, tmp_path):
    """The numbers 0–9 read from Parquet on the engine, as every pipeline reads its input (a managed
    table would land in Spark's warehouse in the current directory)."""
    path = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"n": list(range(10))}), path)
    return connect(engine).read_parquet(str(path))


def test_the_steps_run_as_one_expression_and_only_what_computes_is_timed(numbers):
    ran = run_steps(_steps(numbers))
    assert ran["total"] == 40
    assert [t.step for t in ran.timings] == ["total"]


def test_debug_materialises_and_times_each_step(numbers):
    ran = run_steps(_steps(numbers), debug=True, tag="[0]")
    assert ran["total"] == 40
    assert [name for name, _ in ran.timings] == ["even[0]", "doubled[0]", "total[0]"]
    assert all(isinstance(t, Timing) and t.seconds >= 0 for t in ran.timings)


def test_a_step_read_more_than_once_is_materialised_without_debug(numbers):
    ran = run_steps(_steps(numbers, keep=True))
    assert [t.step for t in ran.timings] == ["even", "total"]


def test_progress_gets_each_label_without_a_fraction():
    calls = []
    report = suffixed(lambda label, fraction=None: calls.append((label, fraction)), " (1/2)")
    run_steps([Step("a", lambda done: 1, "Bước một"), Step("b", lambda done: 2), Step("c", lambda done: 3, "Bước ba")],
              progress=report)
    assert calls == [("Bước một (1/2)", None), ("Bước ba (1/2)", None)]
    no_progress("nothing happens", 0.5)
