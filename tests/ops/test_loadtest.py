"""`ansinh bench web`'s arithmetic: what counts toward the steady figures and what the whole run shows."""

from __future__ import annotations

from ansinh.ops.loadtest import _figures, _percentile


def test_the_warm_up_is_reported_apart_but_never_hidden():
    warm_up = [(1.0, 900.0, False), (2.0, 800.0, False), (3.0, 0.0, True)]  # a cold start, and one error
    steady = [(10.0 + i, float(ms), False) for i, ms in enumerate(range(10, 110, 5))]  # 20 answers, 10–105 ms
    figures = _figures("dashboard", warm_up + steady, warm_from=5.0)
    assert (figures.requests, figures.errors) == (23, 1)
    assert figures.p95_ms == 100.0 and figures.max_ms == 105.0 and figures.p50_ms == 57.5
    assert figures.p95_whole_run_ms == 800.0, "the cold answers stay in the whole run's figure"


def test_percentile_is_nearest_rank_and_empty_is_zero():
    assert _percentile([], 0.95) == 0.0
    assert _percentile([5.0], 0.95) == 5.0
    assert _percentile([float(v) for v in range(1, 101)], 0.95) == 95.0
