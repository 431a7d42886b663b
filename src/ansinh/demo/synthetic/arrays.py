"""Small helpers for drawing in whole numpy arrays and turning them into pyarrow columns.

Shared by the persons and the employers generators: exact splits (largest remainder), weighted picks,
ranks within groups, fixed-width digit strings and date columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to `weights` that add up exactly to `total`."""
    exact = total * weights / weights.sum()
    result = np.floor(exact).astype(np.int64)
    leftover = total - int(result.sum())
    if leftover:
        result[np.argsort(-(exact - result), kind="stable")[:leftover]] += 1
    return result


def pick(rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    """Indices drawn with the given weights."""
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.searchsorted(cumulative / cumulative[-1], rng.random(size), side="right")


def pick_within(rng: np.random.Generator, group: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """For each row of `group`, an index drawn from that group's own weights.

    `bounds` is the concatenation, group after group, of `group + cumulative share` (each group's
    shares end at 1), so one searchsorted serves every group at once.
    """
    return np.searchsorted(bounds, group + rng.random(len(group)) * 0.999999, side="right")


def group_bounds(groups: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The `bounds` of `pick_within` for items listed group by group (groups ascending)."""
    totals = np.bincount(groups, weights=weights)
    cumulative = np.cumsum(weights) - np.repeat(np.cumsum(totals) - totals, np.bincount(groups))
    return groups + cumulative / totals[groups]


def ranks_within(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, … inside each group, in row order."""
    order = np.argsort(groups, kind="stable")
    counts = np.bincount(groups)
    starts = np.cumsum(counts) - counts
    ranks = np.empty(len(groups), dtype=np.int64)
    ranks[order] = np.arange(len(groups)) - np.repeat(starts, counts)
    return ranks


def calibrated(weights: np.ndarray, total: float, cap: float = 0.95) -> np.ndarray:
    """Probabilities proportional to `weights`, capped, summing to `total` (as far as the cap allows)."""
    probability = np.zeros(len(weights))
    if total <= 0 or weights.sum() <= 0:
        return probability
    for _ in range(6):  # capped rows free some mass for the others; a few rounds settle it
        free = probability < cap
        room = total - probability[~free].sum()
        if room <= 0 or weights[free].sum() <= 0:
            break
        probability[free] = room * weights[free] / weights[free].sum()
        probability = np.minimum(probability, cap)
    return probability


def calibrated_within(weights: np.ndarray, group: np.ndarray, totals: np.ndarray, cap: float = 0.95) -> np.ndarray:
    """Probabilities proportional to `weights` inside each group, summing to that group's `totals[g]`
    (capped; the cap binds only in groups asked for more than it allows)."""
    sums = np.bincount(group, weights=weights, minlength=len(totals))
    scale = np.divide(totals, sums, out=np.zeros(len(totals)), where=sums > 0)
    return np.minimum(weights * scale[group], cap)


def commune_totals(per_commune: np.ndarray, factor: np.ndarray, total: float) -> np.ndarray:
    """`per_commune × factor`, scaled so the groups add up to `total`: each commune's share of a count
    follows its own base (its labour force) and its standing."""
    raw = per_commune * factor
    return raw * (total / raw.sum()) if raw.sum() > 0 else raw


def drawn_within(rng: np.random.Generator, probability: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Which rows are drawn, each with its `probability` (at most 1), so that every group gets its expected
    number of rows to within one (systematic sampling in a random order inside each group).

    Why not `rng.random(n) < probability`: a commune of 9.000 people has about 300 voluntary participants,
    and independent draws scatter that by ±6%, enough to put a commune at 85% or 115% of its target by
    chance alone. Each person's chance is still exactly their probability.
    """
    n = len(probability)
    if n == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((rng.random(n), group))  # groups together, a random order inside each
    share, owner = probability[order], group[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    sizes = np.diff(np.r_[starts, n])
    cumulative = np.cumsum(share)
    before = np.repeat(cumulative[starts] - share[starts], sizes)  # what the earlier groups hold
    reached = cumulative - before + np.repeat(rng.random(len(starts)), sizes)  # one random start per group
    chosen = np.zeros(n, dtype=bool)
    chosen[order] = np.floor(reached) > np.floor(reached - share)
    return chosen


def digit_strings(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded ASCII digits, one row of `width` bytes each."""
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = np.asarray(values, dtype=np.int64).copy()
    for position in range(width - 1, -1, -1):
        out[:, position] = 48 + rest % 10
        rest //= 10
    return out


def string_column(rows: np.ndarray) -> pa.Array:
    """Rows of ASCII bytes (from `digit_strings`) as a pyarrow string array."""
    rows = np.ascontiguousarray(rows)
    fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(rows.shape[1]), len(rows), [None, pa.py_buffer(rows)])
    return fixed.cast(pa.binary()).cast(pa.string())


def date_column(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.int32(), mask=missing).cast(pa.date32())
