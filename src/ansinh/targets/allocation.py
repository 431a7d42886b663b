"""Split a parent unit's target among its child units ("giao chỉ tiêu").

A province's target (for example 3,095,954 people with health insurance) is
handed down to its communes. Targets count whole people, so every split must
give whole numbers that add up *exactly* to the parent's total: an officer
must never see a province whose communes sum to one person more or less.

Everything here is a pure function of its inputs and uses only the standard
library. Arithmetic is done with ``fractions.Fraction`` so float rounding
can never move a person from one commune to another.

Three ways to split are offered (see ``Method``), plus ``rebalance`` for when
an officer types one child's value by hand and the others must absorb the
difference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from ansinh.core.errors import ValidationFailed

__all__ = [
    "AllocationError",
    "ChildInput",
    "Method",
    "allocate",
    "largest_remainder",
    "rebalance",
]

# Decimal is accepted too: Django's DecimalField hands those out.
Weight = int | float | Fraction | Decimal
_WEIGHT_TYPES = (int, float, Fraction, Decimal)


@dataclass(frozen=True)
class ChildInput:
    """What we know about one child unit when splitting its parent's target.

    All counts are whole people at the base period. ``locked`` pins the
    child's value: an officer has already agreed that number with the unit,
    so no automatic split may change it.
    """

    key: str
    denominator: int = 0
    actual: int = 0
    last_year: int = 0
    current: int = 0
    locked: int | None = None


class Method(str, Enum):
    """How the parent's target is shared among the unlocked children."""

    # (a) Every child is asked for the same coverage rate of its denominator.
    PROPORTIONAL = "proportional"
    # (b) The remaining effort is shared by the people each child has still to enrol.
    GAP = "gap"
    # (c) Every child grows by the same factor over last year's actual.
    GROWTH = "growth"


class AllocationError(ValidationFailed, ValueError):
    """A target cannot be split as asked (a domain error: every door shows its message as is).

    The message is in Vietnamese because it is shown to officers as is.
    """


# --------------------------------------------------------------------------
# Largest remainder: the one place where fractions become whole people.
# --------------------------------------------------------------------------


def largest_remainder(*, total: int, weights: Mapping[str, Weight]) -> dict[str, int]:
    """Split ``total`` whole units in proportion to ``weights``.

    Each key first gets the floor of its exact share; the few units left over
    go one each to the keys with the largest fractional remainders. This is
    the fairest way to round while keeping the sum exact. Ties are broken by
    larger weight, then key, so the result never depends on input order.
    All-zero weights mean "no preference", so the split is equal.
    """
    _check_non_negative_int(total, "Chỉ tiêu cấp trên")
    exact_weights = {key: _to_fraction(key, weight) for key, weight in weights.items()}
    if not exact_weights:
        if total == 0:
            return {}
        raise AllocationError(f"Không có đơn vị nào để giao chỉ tiêu {_fmt(total)}.")
    if all(weight == 0 for weight in exact_weights.values()):
        exact_weights = {key: Fraction(1) for key in exact_weights}

    weight_sum = sum(exact_weights.values())
    shares = {key: total * weight / weight_sum for key, weight in exact_weights.items()}
    result = {key: int(share) for key, share in shares.items()}  # floor: shares >= 0

    leftover = total - sum(result.values())
    by_remainder = sorted(
        exact_weights,
        key=lambda key: (-(shares[key] - result[key]), -exact_weights[key], key),
    )
    for key in by_remainder[:leftover]:
        result[key] += 1
    return result


def _to_fraction(key: str, weight: Weight) -> Fraction:
    """Turn a weight into an exact, non-negative fraction (or refuse it)."""
    try:
        # Refuse strings: Fraction("1") would quietly parse them.
        if isinstance(weight, bool) or not isinstance(weight, _WEIGHT_TYPES):
            raise TypeError
        exact = Fraction(weight)
    except (TypeError, ValueError, OverflowError):
        raise AllocationError(
            f"Trọng số của đơn vị {key} không hợp lệ: {weight!r}."
        ) from None
    if exact < 0:
        raise AllocationError(f"Trọng số của đơn vị {key} bị âm: {weight}.")
    return exact


# --------------------------------------------------------------------------
# allocate: split a parent's target with one of the three methods.
# --------------------------------------------------------------------------


def allocate(
    *, total: int, children: Sequence[ChildInput], method: Method
) -> dict[str, int]:
    """Give every child a whole-number target; together they equal ``total``.

    Locked children keep their agreed value. Whatever is left is shared among
    the unlocked children by ``method``.
    """
    _check_non_negative_int(total, "Chỉ tiêu cấp trên")
    _check_children(children)
    method = _to_method(method)

    locked = {c.key: c.locked for c in children if c.locked is not None}
    unlocked = [c for c in children if c.locked is None]
    remainder = total - sum(locked.values())
    if remainder < 0:
        raise AllocationError(
            f"Tổng các đơn vị đã khóa ({_fmt(sum(locked.values()))}) "
            f"vượt chỉ tiêu cấp trên ({_fmt(total)})."
        )
    if not unlocked:
        if remainder != 0:
            raise AllocationError(
                f"Mọi đơn vị đều đã khóa nhưng tổng ({_fmt(sum(locked.values()))}) "
                f"khác chỉ tiêu cấp trên ({_fmt(total)})."
            )
        return dict(locked)

    if method is Method.PROPORTIONAL:
        shares = _split_proportional(remainder, unlocked)
    elif method is Method.GROWTH:
        shares = _split_growth(remainder, unlocked)
    else:
        shares = _split_gap(remainder, unlocked)
    return _in_input_order(children, {**locked, **shares})


def _split_proportional(total: int, children: Sequence[ChildInput]) -> dict[str, int]:
    """Same coverage rate for everyone: share follows the denominator."""
    return largest_remainder(
        total=total, weights={c.key: c.denominator for c in children}
    )


def _split_growth(total: int, children: Sequence[ChildInput]) -> dict[str, int]:
    """Same growth factor for everyone: share follows last year's actual."""
    return largest_remainder(
        total=total, weights={c.key: c.last_year for c in children}
    )


def _split_gap(total: int, children: Sequence[ChildInput]) -> dict[str, int]:
    """Children keep what they have; the remaining effort goes where people are still uninsured.

    A child's gap is its denominator less its actual: the people it has not enrolled yet. The people
    still to be enrolled province-wide are shared in proportion to those gaps, so a commune at 80%
    carries far more of the remaining effort per inhabitant than one at 99%. (Splitting by the gap to
    the common rate instead would give exactly the proportional split whenever every child is below it.)
    """
    effort = total - sum(c.actual for c in children)
    if effort <= 0:
        return _split_when_already_exceeded(total, children)

    gaps = {c.key: Fraction(max(0, c.denominator - c.actual)) for c in children}
    if all(gap == 0 for gap in gaps.values()):
        gaps = {c.key: Fraction(c.denominator) for c in children}
    extra = largest_remainder(total=effort, weights=gaps)
    return {c.key: c.actual + extra[c.key] for c in children}


def _split_when_already_exceeded(
    total: int, children: Sequence[ChildInput]
) -> dict[str, int]:
    """Children already have more than the target: scale down what they have.

    There is no remaining effort to share, so each child is asked for a share
    of the target in line with its current actual (or its denominator when
    nobody has any actual yet).
    """
    weights = {c.key: c.actual for c in children}
    if all(weight == 0 for weight in weights.values()):
        weights = {c.key: c.denominator for c in children}
    return largest_remainder(total=total, weights=weights)


# --------------------------------------------------------------------------
# rebalance: an officer types one child's value; the others absorb the change.
# --------------------------------------------------------------------------


def rebalance(
    *,
    total: int,
    children: Sequence[ChildInput],
    override_key: str,
    override_value: int,
) -> dict[str, int]:
    """Set one child by hand and re-share the rest so the sum still holds.

    Locked children keep their value. The other unlocked children share what
    is left in proportion to their current targets, so their relative sizes
    stay as the officer last saw them.
    """
    _check_non_negative_int(total, "Chỉ tiêu cấp trên")
    _check_children(children)
    _check_non_negative_int(override_value, "Giá trị nhập tay")
    if override_key not in {c.key for c in children}:
        raise AllocationError(f"Không tìm thấy đơn vị {override_key}.")

    others = [c for c in children if c.key != override_key]
    locked = {c.key: c.locked for c in others if c.locked is not None}
    free = [c for c in others if c.locked is None]
    remainder = total - override_value - sum(locked.values())
    if remainder < 0:
        raise AllocationError(
            f"Giá trị nhập tay {_fmt(override_value)} cộng các đơn vị đã khóa "
            f"{_fmt(sum(locked.values()))} vượt chỉ tiêu cấp trên {_fmt(total)}."
        )
    if not free and remainder != 0:
        raise AllocationError("Không còn đơn vị nào chưa khóa để cân đối lại.")

    shares = largest_remainder(
        total=remainder, weights={c.key: c.current for c in free}
    )
    result = {override_key: override_value, **locked, **shares}
    return _in_input_order(children, result)


# --------------------------------------------------------------------------
# Small shared helpers.
# --------------------------------------------------------------------------


def _check_non_negative_int(value: object, label: str) -> None:
    """Refuse anything that is not a whole, non-negative number of people."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise AllocationError(f"{label} phải là số nguyên, nhận được {value!r}.")
    if value < 0:
        raise AllocationError(f"{label} không được âm: {_fmt(value)}.")


def _check_children(children: Sequence[ChildInput]) -> None:
    """Refuse duplicate keys and negative counts before doing any maths."""
    seen: set[str] = set()
    for child in children:
        if child.key in seen:
            raise AllocationError(f"Mã đơn vị bị trùng: {child.key}.")
        seen.add(child.key)
        for label, value in (
            ("mẫu số", child.denominator),
            ("số thực hiện", child.actual),
            ("số năm trước", child.last_year),
            ("chỉ tiêu hiện tại", child.current),
        ):
            _check_non_negative_int(value, f"Đơn vị {child.key}: {label}")
        if child.locked is not None:
            _check_non_negative_int(child.locked, f"Đơn vị {child.key}: số đã khóa")


def _to_method(method: Method | str) -> Method:
    """Accept the enum or its string value (as stored in forms and the DB)."""
    try:
        return Method(method)
    except ValueError:
        raise AllocationError(
            f"Phương pháp giao chỉ tiêu không hợp lệ: {method!r}."
        ) from None


def _in_input_order(
    children: Sequence[ChildInput], values: Mapping[str, int]
) -> dict[str, int]:
    """Return results in the order the children were given, for easy display."""
    return {c.key: values[c.key] for c in children}


def _fmt(number: int) -> str:
    """Write a number the Vietnamese way: 3.095.954."""
    return f"{number:,}".replace(",", ".")
