"""Tests for splitting a parent's target among its children (giao chỉ tiêu)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.targets.allocation import AllocationError, ChildInput, Method, allocate, largest_remainder, rebalance

CAN_THO_TOTAL_2025 = 3_095_954


# --------------------------------------------------------------------------
# largest_remainder
# --------------------------------------------------------------------------


def test_equal_weights_tie_goes_to_first_key():
    assert largest_remainder(total=10, weights={"a": 1, "b": 1, "c": 1}) == {
        "a": 4,
        "b": 3,
        "c": 3,
    }


def test_leftover_goes_to_largest_remainder():
    # Exact shares 3.5, 2.1, 1.4 -> floors 3, 2, 1; the one leftover goes to "a".
    assert largest_remainder(total=7, weights={"a": 5, "b": 3, "c": 2}) == {
        "a": 4,
        "b": 2,
        "c": 1,
    }


def test_equal_remainders_prefer_larger_weight_over_key_order():
    # Exact shares 0.5 and 1.5: same remainder, "b" wins by weight although "a" < "b".
    assert largest_remainder(total=2, weights={"a": 1, "b": 3}) == {"a": 0, "b": 2}


def test_all_zero_weights_split_equally():
    assert largest_remainder(total=5, weights={"y": 0, "x": 0}) == {"y": 2, "x": 3}


@pytest.mark.parametrize(
    "weights",
    [
        {"a": Fraction(1, 3), "b": Fraction(2, 3)},
        {"a": 1 / 3, "b": 2 / 3},
        {"a": 0.1, "b": 0.2},
        {"a": Decimal("0.1"), "b": Decimal("0.2")},
    ],
)
def test_fraction_and_float_weights(weights):
    assert largest_remainder(total=3, weights=weights) == {"a": 1, "b": 2}


def test_empty_weights():
    assert largest_remainder(total=0, weights={}) == {}
    with pytest.raises(AllocationError, match="5"):
        largest_remainder(total=5, weights={})


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        (-1, {"a": 1}),
        (10, {"a": 1, "b": -2}),
        (10, {"a": float("nan")}),
        (10, {"a": float("inf")}),
        (10, {"a": "1"}),
        (10, {"a": Decimal("NaN")}),
    ],
)
def test_largest_remainder_rejects_bad_input(total, weights):
    with pytest.raises(AllocationError):
        largest_remainder(total=total, weights=weights)


# --------------------------------------------------------------------------
# allocate: PROPORTIONAL
# --------------------------------------------------------------------------

CAN_THO_POPULATIONS = {
    "31117": 1_234_567,
    "31120": 987_654,
    "31135": 543_210,
    "31141": 456_789,
    "31150": 123_456,
    "31157": 77_777,
}


def test_proportional_can_tho_sums_exactly_and_keeps_equal_rate():
    children = [
        ChildInput(key=k, denominator=d) for k, d in CAN_THO_POPULATIONS.items()
    ]
    result = allocate(
        total=CAN_THO_TOTAL_2025, children=children, method=Method.PROPORTIONAL
    )

    assert sum(result.values()) == CAN_THO_TOTAL_2025
    population = sum(CAN_THO_POPULATIONS.values())
    for key, den in CAN_THO_POPULATIONS.items():
        exact = Fraction(CAN_THO_TOTAL_2025 * den, population)
        assert abs(result[key] - exact) < 1


def test_proportional_exact_split():
    children = [
        ChildInput(key="a", denominator=50),
        ChildInput(key="b", denominator=30),
        ChildInput(key="c", denominator=20),
    ]
    assert allocate(total=100, children=children, method=Method.PROPORTIONAL) == {
        "a": 50,
        "b": 30,
        "c": 20,
    }


def test_result_keeps_input_order_and_accepts_method_string():
    children = [ChildInput(key="z", denominator=1), ChildInput(key="a", denominator=1)]
    result = allocate(total=2, children=children, method="proportional")
    assert list(result) == ["z", "a"]


# --------------------------------------------------------------------------
# allocate: GAP
# --------------------------------------------------------------------------


def test_gap_gives_more_effort_to_child_further_behind():
    # Still to enrol: ahead 20, behind 80, far_behind 100 (sum 200). Effort = 150 - 100 = 50.
    # Shares of 50 by 20:80:100 = 5, 20 and 25 exactly.
    children = [
        ChildInput(key="ahead", denominator=100, actual=80),
        ChildInput(key="behind", denominator=100, actual=20),
        ChildInput(key="far_behind", denominator=100, actual=0),
    ]
    result = allocate(total=150, children=children, method=Method.GAP)

    assert result == {"ahead": 85, "behind": 40, "far_behind": 25}
    extra = {c.key: result[c.key] - c.actual for c in children}
    assert extra["far_behind"] > extra["behind"] > extra["ahead"] > 0


def test_gap_differs_from_proportional_even_when_every_child_is_below_the_common_rate():
    # Common rate 160/200 = 80%: both below it. Proportional asks 80 of each;
    # gap shares the 50 still to enrol by 30:60 uninsured -> 16.67 and 33.33 -> 17 and 33.
    children = [
        ChildInput(key="a", denominator=100, actual=70),
        ChildInput(key="b", denominator=100, actual=40),
    ]
    assert allocate(total=160, children=children, method=Method.PROPORTIONAL) == {"a": 80, "b": 80}
    assert allocate(total=160, children=children, method=Method.GAP) == {"a": 87, "b": 73}


def test_gap_falls_back_to_actual_when_children_already_exceed_target():
    children = [
        ChildInput(key="a", denominator=10, actual=120),
        ChildInput(key="b", denominator=1000, actual=80),
    ]
    assert allocate(total=100, children=children, method=Method.GAP) == {
        "a": 60,
        "b": 40,
    }
    # Target exactly met: nobody's number changes.
    assert allocate(total=200, children=children, method=Method.GAP) == {
        "a": 120,
        "b": 80,
    }


def test_gap_with_no_denominators_splits_equally():
    children = [ChildInput(key="a"), ChildInput(key="b")]
    assert allocate(total=5, children=children, method=Method.GAP) == {"a": 3, "b": 2}


def test_gap_with_lock_uses_remaining_target():
    # Remaining after the lock: 100; effort 100 - 40 = 60.
    # Still to enrol 70 and 90 -> 26.25 and 33.75 -> 26 and 34 extra.
    children = [
        ChildInput(key="locked", denominator=500, actual=500, locked=400),
        ChildInput(key="a", denominator=100, actual=30),
        ChildInput(key="b", denominator=100, actual=10),
    ]
    assert allocate(total=500, children=children, method=Method.GAP) == {
        "locked": 400,
        "a": 56,
        "b": 44,
    }


# --------------------------------------------------------------------------
# allocate: GROWTH
# --------------------------------------------------------------------------


def test_growth_gives_same_factor():
    children = [
        ChildInput(key="a", last_year=1000),
        ChildInput(key="b", last_year=2000),
        ChildInput(key="c", last_year=3000),
    ]
    assert allocate(total=6600, children=children, method=Method.GROWTH) == {
        "a": 1100,
        "b": 2200,
        "c": 3300,
    }


def test_growth_factor_equal_within_rounding():
    last_year = {
        "31117": 1_101_234,
        "31120": 870_001,
        "31135": 500_003,
        "31141": 399_999,
    }
    children = [ChildInput(key=k, last_year=v) for k, v in last_year.items()]
    result = allocate(total=CAN_THO_TOTAL_2025, children=children, method=Method.GROWTH)

    assert sum(result.values()) == CAN_THO_TOTAL_2025
    factor = Fraction(CAN_THO_TOTAL_2025, sum(last_year.values()))
    for key, value in last_year.items():
        assert abs(result[key] - factor * value) < 1


def test_growth_without_history_splits_equally():
    children = [ChildInput(key="b"), ChildInput(key="a"), ChildInput(key="c")]
    assert allocate(total=10, children=children, method=Method.GROWTH) == {
        "a": 4,
        "b": 3,
        "c": 3,
    }


# --------------------------------------------------------------------------
# allocate: locks and errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", list(Method))
def test_locked_child_keeps_value(method):
    children = [
        ChildInput(key="a", denominator=100, actual=10, last_year=50, locked=300),
        ChildInput(key="b", denominator=100, actual=0, last_year=100),
        ChildInput(key="c", denominator=300, actual=0, last_year=300),
    ]
    result = allocate(total=1000, children=children, method=method)
    assert result == {"a": 300, "b": 175, "c": 525}


def test_all_locked_and_matching_total_is_fine():
    children = [ChildInput(key="a", locked=6), ChildInput(key="b", locked=4)]
    assert allocate(total=10, children=children, method=Method.GAP) == {"a": 6, "b": 4}


def test_locked_sum_above_total_names_both_numbers():
    children = [
        ChildInput(key="a", locked=600),
        ChildInput(key="b", locked=500),
        ChildInput(key="c", denominator=10),
    ]
    with pytest.raises(AllocationError) as excinfo:
        allocate(total=1000, children=children, method=Method.PROPORTIONAL)
    assert str(excinfo.value) == (
        "Tổng các đơn vị đã khóa (1.100) vượt chỉ tiêu cấp trên (1.000)."
    )


def test_all_locked_with_different_total_raises():
    children = [ChildInput(key="a", locked=6), ChildInput(key="b", locked=3)]
    with pytest.raises(AllocationError, match=r"\(9\).*\(10\)"):
        allocate(total=10, children=children, method=Method.PROPORTIONAL)


def test_no_children_at_all():
    assert allocate(total=0, children=[], method=Method.GAP) == {}
    with pytest.raises(AllocationError):
        allocate(total=1, children=[], method=Method.GAP)


@pytest.mark.parametrize(
    ("total", "children"),
    [
        (-5, [ChildInput(key="a", denominator=1)]),
        (10, [ChildInput(key="a", denominator=1), ChildInput(key="a", denominator=2)]),
        (10, [ChildInput(key="a", denominator=-1)]),
        (10, [ChildInput(key="a", actual=-1)]),
        (10, [ChildInput(key="a", locked=-1), ChildInput(key="b")]),
    ],
)
def test_allocate_rejects_bad_input(total, children):
    with pytest.raises(AllocationError):
        allocate(total=total, children=children, method=Method.PROPORTIONAL)


def test_duplicate_key_message_names_key():
    children = [ChildInput(key="31135"), ChildInput(key="31135")]
    with pytest.raises(AllocationError, match="31135"):
        allocate(total=10, children=children, method=Method.PROPORTIONAL)


def test_unknown_method_raises():
    with pytest.raises(AllocationError):
        allocate(total=10, children=[ChildInput(key="a")], method="random")


# --------------------------------------------------------------------------
# rebalance
# --------------------------------------------------------------------------

THREE_CURRENT = [
    ChildInput(key="a", current=500),
    ChildInput(key="b", current=300),
    ChildInput(key="c", current=200),
]


def test_rebalance_shares_rest_by_current_values():
    result = rebalance(
        total=1000, children=THREE_CURRENT, override_key="a", override_value=600
    )
    assert result == {"a": 600, "b": 240, "c": 160}


def test_rebalance_keeps_locked_children():
    children = [
        ChildInput(key="a", current=500),
        ChildInput(key="b", current=300),
        ChildInput(key="c", current=200, locked=200),
    ]
    result = rebalance(
        total=1000, children=children, override_key="a", override_value=650
    )
    assert result == {"a": 650, "b": 150, "c": 200}


def test_rebalance_override_wins_over_own_lock():
    children = [
        ChildInput(key="a", current=5, locked=5),
        ChildInput(key="b", current=5),
    ]
    result = rebalance(total=10, children=children, override_key="a", override_value=7)
    assert result == {"a": 7, "b": 3}


def test_rebalance_with_zero_currents_splits_equally():
    children = [ChildInput(key="a"), ChildInput(key="b"), ChildInput(key="c")]
    result = rebalance(total=10, children=children, override_key="a", override_value=3)
    assert result == {"a": 3, "b": 4, "c": 3}


def test_rebalance_over_total_names_all_numbers():
    children = [
        ChildInput(key="a", current=500),
        ChildInput(key="b", current=300),
        ChildInput(key="c", current=200, locked=200),
    ]
    with pytest.raises(AllocationError) as excinfo:
        rebalance(total=1000, children=children, override_key="a", override_value=900)
    assert str(excinfo.value) == (
        "Giá trị nhập tay 900 cộng các đơn vị đã khóa 200 vượt chỉ tiêu cấp trên 1.000."
    )


def test_rebalance_without_free_child():
    children = [
        ChildInput(key="a", current=5),
        ChildInput(key="b", current=5, locked=5),
    ]
    with pytest.raises(AllocationError, match="Không còn đơn vị nào chưa khóa"):
        rebalance(total=10, children=children, override_key="a", override_value=4)
    # Nothing left to move: that is fine.
    assert rebalance(
        total=10, children=children, override_key="a", override_value=5
    ) == {
        "a": 5,
        "b": 5,
    }


def test_rebalance_unknown_key_and_negative_value():
    with pytest.raises(AllocationError, match="zzz"):
        rebalance(
            total=1000, children=THREE_CURRENT, override_key="zzz", override_value=1
        )
    with pytest.raises(AllocationError):
        rebalance(
            total=1000, children=THREE_CURRENT, override_key="a", override_value=-1
        )


# --------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=10**6)
totals = st.integers(min_value=0, max_value=10**7)


@st.composite
def child_inputs(draw, key: str) -> ChildInput:
    """One child; about a quarter of them are locked."""
    is_locked = draw(st.integers(0, 3)) == 0
    return ChildInput(
        key=key,
        denominator=draw(counts),
        actual=draw(counts),
        last_year=draw(counts),
        current=draw(counts),
        locked=draw(st.integers(0, 10**5)) if is_locked else None,
    )


@st.composite
def children_lists(draw, min_size: int = 0) -> list[ChildInput]:
    keys = draw(
        st.lists(
            st.text(alphabet="0123456789", min_size=1, max_size=5),
            min_size=min_size,
            max_size=50,
            unique=True,
        )
    )
    return [draw(child_inputs(key)) for key in keys]


def _assert_valid_split(
    result: dict[str, int], total: int, children: list[ChildInput]
) -> None:
    assert set(result) == {c.key for c in children}
    assert all(isinstance(v, int) and v >= 0 for v in result.values())
    assert sum(result.values()) == total


@settings(deadline=None)
@given(
    total=totals,
    children=children_lists(),
    method=st.sampled_from(list(Method)),
    data=st.data(),
)
def test_allocate_properties(total, children, method, data):
    locked_sum = sum(c.locked for c in children if c.locked is not None)
    has_unlocked = any(c.locked is None for c in children)
    documented_error = locked_sum > total or (not has_unlocked and locked_sum != total)
    if documented_error:
        with pytest.raises(AllocationError):
            allocate(total=total, children=children, method=method)
        return

    result = allocate(total=total, children=children, method=method)

    _assert_valid_split(result, total, children)
    for c in children:
        if c.locked is not None:
            assert result[c.key] == c.locked
    shuffled = data.draw(st.permutations(children))
    assert allocate(total=total, children=shuffled, method=method) == result


@settings(deadline=None)
@given(total=totals, children=children_lists(min_size=1))
def test_proportional_and_growth_stay_within_one_of_exact_share(total, children):
    free = [c for c in children if c.locked is None]
    remainder = total - sum(c.locked for c in children if c.locked is not None)
    if not free or remainder < 0:
        return
    for method, field in (
        (Method.PROPORTIONAL, "denominator"),
        (Method.GROWTH, "last_year"),
    ):
        result = allocate(total=total, children=children, method=method)
        weights = {c.key: getattr(c, field) for c in free}
        if sum(weights.values()) == 0:
            weights = {key: 1 for key in weights}
        for key, weight in weights.items():
            exact = Fraction(remainder * weight, sum(weights.values()))
            assert abs(result[key] - exact) < 1


@settings(deadline=None)
@given(total=totals, children=children_lists(min_size=1))
def test_gap_never_takes_from_anyone_while_effort_remains(total, children):
    free = [c for c in children if c.locked is None]
    remainder = total - sum(c.locked for c in children if c.locked is not None)
    if not free or remainder < 0:
        return
    result = allocate(total=total, children=children, method=Method.GAP)
    effort = remainder - sum(c.actual for c in free)
    for c in free:
        if effort > 0:
            assert result[c.key] >= c.actual
        else:
            assert result[c.key] <= c.actual


@settings(deadline=None)
@given(total=totals, children=children_lists(), data=st.data())
def test_largest_remainder_properties(total, children, data):
    weights = {c.key: c.denominator for c in children}
    if not weights and total > 0:
        return
    result = largest_remainder(total=total, weights=weights)
    assert sum(result.values()) == total
    if sum(weights.values()) > 0:
        for key, weight in weights.items():
            assert (
                abs(result[key] - Fraction(total * weight, sum(weights.values()))) < 1
            )
    shuffled = dict(data.draw(st.permutations(list(weights.items()))))
    assert largest_remainder(total=total, weights=shuffled) == result


@settings(deadline=None)
@given(total=totals, children=children_lists(min_size=1), data=st.data())
def test_rebalance_properties(total, children, data):
    override = data.draw(st.sampled_from(children))
    override_value = data.draw(st.integers(0, total + 10))
    others = [c for c in children if c.key != override.key]
    locked_sum = sum(c.locked for c in others if c.locked is not None)
    free = [c for c in others if c.locked is None]
    remainder = total - override_value - locked_sum
    if remainder < 0 or (not free and remainder != 0):
        with pytest.raises(AllocationError):
            rebalance(
                total=total,
                children=children,
                override_key=override.key,
                override_value=override_value,
            )
        return

    result = rebalance(
        total=total,
        children=children,
        override_key=override.key,
        override_value=override_value,
    )

    _assert_valid_split(result, total, children)
    assert result[override.key] == override_value
    for c in others:
        if c.locked is not None:
            assert result[c.key] == c.locked
    current_sum = sum(c.current for c in free)
    for c in free:
        weight, weight_sum = (c.current, current_sum) if current_sum else (1, len(free))
        assert abs(result[c.key] - Fraction(remainder * weight, weight_sum)) < 1
    shuffled = data.draw(st.permutations(children))
    assert (
        rebalance(
            total=total,
            children=shuffled,
            override_key=override.key,
            override_value=override_value,
        )
        == result
    )
