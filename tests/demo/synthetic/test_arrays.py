"""The whole-array draws that keep each commune's counts where its rates say, whatever its size."""

from __future__ import annotations

import numpy as np

from ansinh.demo.synthetic.arrays import calibrated_within, commune_totals, drawn_within


def test_each_group_gets_its_expected_count_to_within_one():
    rng = np.random.default_rng(7)
    group = np.repeat(np.array([2, 0, 1, 4]), [1_000, 2_000, 10, 500])  # group 3 has nobody, rows unsorted
    probability = rng.uniform(0.0, 0.6, len(group))
    expected = np.bincount(group, weights=probability, minlength=5)
    for _ in range(50):
        counts = np.bincount(group[drawn_within(rng, probability, group)], minlength=5)
        assert np.all(np.abs(counts - expected) < 1), (counts, expected)
    assert counts[3] == 0


def test_each_row_is_still_drawn_with_its_own_probability():
    """Systematic sampling keeps every row's chance: over 4.000 draws each row's share is its probability
    (the largest of 1.510 deviations stays under 4 standard errors, sqrt(0,25 / 4.000) = 0,0079 each)."""
    rng = np.random.default_rng(11)
    group = np.repeat(np.arange(3), [1_000, 500, 10])
    probability = rng.uniform(0.0, 0.9, len(group))
    hits = sum(drawn_within(rng, probability, group).astype(np.int64) for _ in range(4_000))
    assert np.abs(hits / 4_000 - probability).max() < 4 * 0.0079


def test_calibrated_within_fills_each_group_to_its_own_total():
    group = np.array([0, 0, 0, 1, 1, 2])
    weights = np.array([1.0, 1.0, 2.0, 3.0, 1.0, 0.0])
    probability = calibrated_within(weights, group, np.array([2.0, 1.0, 0.5]), cap=0.9)
    # group 0: 2 × (1, 1, 2) / 4 = 0,5 0,5 1,0 → the third capped at 0,9; group 1: 1 × (3, 1) / 4; group 2
    # has no weight, so nobody.
    assert np.allclose(probability, [0.5, 0.5, 0.9, 0.75, 0.25, 0.0])


def test_commune_totals_follow_the_base_times_the_standing_and_add_up():
    totals = commune_totals(np.array([100.0, 300.0, 0.0]), np.array([1.1, 0.9, 1.0]), total=74.0)
    # raw 110 and 270 (sum 380), scaled to 74: 110 × 74 / 380 = 21,42…; 270 × 74 / 380 = 52,57…
    assert np.allclose(totals, [110 * 74 / 380, 270 * 74 / 380, 0.0]) and np.isclose(totals.sum(), 74.0)
