"""The one runner of named steps, shared by coverage, arrears and reconciliation.

A pipeline is a list of `Step`s; each builds its value from the values of the steps before it (by name).
A step that builds an Ibis expression costs nothing yet: by default the expressions chain into one, and
the engine optimises and runs it whole when a later step computes something from it (`to_pandas`). That
is the fast way, but it hides where the time goes; with `debug` every expression step is materialised
(cached and counted) as it comes and timed, so a slow step shows itself. A step read more than once by
later steps (`keep`) is materialised in any case, so that the engine does not compute it again for
each reader. A step that computes (pandas, plain Python, an Ibis expression executed) is always timed:
its time is real work.

Why one runner: the three pipelines had three ways to time a step and three timing shapes; a door that
prints timings (`--debug`, `--json`, the benchmarks) now reads one list of `Timing`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import ibis.expr.types as ir

from ansinh.engine.progress import Progress, no_progress


class Timing(NamedTuple):
    """How long one step took, in seconds (a tuple, so `for name, seconds in timings` reads it)."""

    step: str
    seconds: float


@dataclass(frozen=True)
class Step:
    """One named step: `build(done)` makes its value from `done`, the values of the earlier steps."""

    name: str
    build: Callable[[Mapping[str, Any]], Any]
    label: str | None = None  # shown in the progress bar; None keeps the previous step's label showing
    keep: bool = False  # materialise even without debug: later steps read it more than once


@dataclass
class StepsRun:
    """What a run of steps gave: each step's value by name, and the timings of the steps timed."""

    values: dict[str, Any] = field(default_factory=dict)
    timings: list[Timing] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def run_steps(steps: Sequence[Step], *, debug: bool = False, progress: Progress = no_progress, tag: str = "") -> StepsRun:
    """Run `steps` in order (see the module docstring); `tag` follows each step's name in the timings
    (a slice's "[2]").

    The tables materialised along the way are released before returning, whatever happens: a Spark
    session lives as long as the process, and its cache would otherwise keep every run's tables. The
    last steps should therefore compute: an expression returned over a released table is no use."""
    run = StepsRun()
    kept: list[ir.Table] = []
    try:
        for step in steps:
            if step.label is not None:
                progress(step.label, None)
            started = time.perf_counter()
            value = step.build(run.values)
            if isinstance(value, ir.Table) and (debug or step.keep):
                value = _materialise(value)
                kept.append(value)
                run.timings.append(Timing(step.name + tag, time.perf_counter() - started))
            elif not isinstance(value, ir.Expr):
                run.timings.append(Timing(step.name + tag, time.perf_counter() - started))
            run.values[step.name] = value
    finally:
        for table in reversed(kept):
            table.release()
    return run


def _materialise(table: ir.Table) -> ir.Table:
    """The table computed once and held by the engine (`cache` alone is lazy: counting forces it)."""
    cached = table.cache()
    cached.count().execute()
    return cached
