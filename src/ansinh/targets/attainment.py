"""Pure rules for attainment: an indicator's value, the gap in persons, projections and the status.

No database here: selectors gather the counts and call these, so the rules are tested on their own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from ansinh.core.periods import months_between
from ansinh.targets.indicators import Indicator, Kind

#: Projected at or above this share of what the milestone needs (in persons) still counts as "at risk",
#: not "off track": a gap of 2% can be closed by a campaign month, a larger one rarely is.
AT_RISK_SHARE = 0.98
#: Months of history the trend is fitted on: long enough to smooth a noisy month, short enough to follow
#: a campaign that changed the pace.
TREND_MONTHS = 6


class Status(str, Enum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.ON_TRACK: "Đạt tiến độ",
    Status.AT_RISK: "Có nguy cơ",
    Status.OFF_TRACK: "Chậm tiến độ",
    Status.NO_TARGET: "Chưa giao chỉ tiêu",
    Status.NO_DATA: "Chưa có số liệu",
}


@dataclass(frozen=True)
class Point:
    """Counts of one month: the indicator's numerator and denominator (denominator 0 for counts)."""

    month: date
    numerator: float
    denominator: float


def value_of(indicator: Indicator, numerator: float, denominator: float) -> float | None:
    """Persons for a count, percent for a rate, percent change for growth; None when undefined."""
    if indicator.kind is Kind.COUNT:
        return numerator
    if denominator <= 0:
        return None
    if indicator.kind is Kind.RATE:
        return 100.0 * numerator / denominator
    return 100.0 * (numerator / denominator - 1.0)


def persons_needed(indicator: Indicator, target: float, denominator: float) -> float:
    """How many persons the numerator must reach for the target, given the denominator."""
    if indicator.kind is Kind.COUNT:
        return target
    if indicator.kind is Kind.RATE:
        return target / 100.0 * denominator
    return (1.0 + target / 100.0) * denominator


def gap_persons(indicator: Indicator, target: float, numerator: float, denominator: float) -> int:
    """Persons still to enrol to reach the target (0 when reached); a fraction of a person is a whole one."""
    missing = persons_needed(indicator, target, denominator) - numerator
    return max(0, math.ceil(round(missing, 6)))


def attainment_pct(indicator: Indicator, target: float, numerator: float, denominator: float) -> float | None:
    """Actual as % of target; for growth, the persons reached as % of the persons the growth needs."""
    if indicator.kind is Kind.GROWTH:
        needed = persons_needed(indicator, target, denominator)
        return None if needed <= 0 else 100.0 * numerator / needed
    value = value_of(indicator, numerator, denominator)
    if value is None or target <= 0:
        return None
    return 100.0 * value / target


def _fit(months: Sequence[int], values: Sequence[float]) -> tuple[float, float]:
    """Least-squares line (intercept, slope) through the points; flat when there is one point."""
    n = len(values)
    if n == 1:
        return values[0], 0.0
    mean_x, mean_y = sum(months) / n, sum(values) / n
    spread = sum((x - mean_x) ** 2 for x in months)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(months, values)) / spread
    return mean_y - slope * mean_x, slope


def project(points: Sequence[Point], to_month: date) -> Point | None:
    """Numerator and denominator at `to_month`, each from the straight line through the recent months."""
    recent = sorted(points, key=lambda p: p.month)[-TREND_MONTHS:]
    if not recent:
        return None
    base = recent[0].month
    xs = [months_between(base, p.month) for p in recent]
    x = months_between(base, to_month)
    num_a, num_b = _fit(xs, [p.numerator for p in recent])
    den_a, den_b = _fit(xs, [p.denominator for p in recent])
    return Point(to_month, max(0.0, num_a + num_b * x), max(0.0, den_a + den_b * x))


def status_for(indicator: Indicator, target: float | None, reached: Point | None) -> Status:
    """On track when the (projected) numerator reaches what the target needs; at risk just below."""
    if target is None:
        return Status.NO_TARGET
    if reached is None:
        return Status.NO_DATA
    needed = persons_needed(indicator, target, reached.denominator)
    if needed <= 0 or reached.numerator >= needed - 1e-9:
        return Status.ON_TRACK
    if reached.numerator >= AT_RISK_SHARE * needed:
        return Status.AT_RISK
    return Status.OFF_TRACK
