"""The one reader of Vietnamese numbers and days reads back what `core.formatting` writes."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.formatting import format_date, format_decimal, format_int
from ansinh.core.numbers import FILE_DAY_PATTERNS, ISO_DAY_PATTERNS, NumberTooLong, decimal_text, parse_day, parse_decimal, parse_int


@pytest.mark.parametrize("text, expected", [
    ("1.234.567", 1234567), ("1234567", 1234567), ("1 234 567", 1234567), ("1\u00a0234", 1234),
    ("-1.234", -1234), ("0", 0), (" 42 ", 42), ("007", 7),
])
def test_parse_int_reads_the_officials_spelling(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize("text", ["", "12.34", "1.2345", "1,5", "²", "١٢", "abc", "1e3", "--1", "1.234.56"])
def test_parse_int_refuses_what_is_not_a_whole_number(text):
    with pytest.raises(ValueError):
        parse_int(text)


def test_parse_int_counts_digits_before_int_does():
    with pytest.raises(NumberTooLong):
        parse_int("9" * 16, max_digits=15)
    with pytest.raises(NumberTooLong):
        parse_int("9" * 5000)  # a clear error, not int()'s own limit
    assert parse_int("9" * 15, max_digits=15) == 10**15 - 1


@pytest.mark.parametrize("text, expected", [
    ("96,11", Decimal("96.11")), ("1.234,5", Decimal("1234.5")), ("3.095.954", Decimal("3095954")),
    ("96.11", Decimal("96.11")), ("-0,5", Decimal("-0.5")), (",5", Decimal("0.5")), ("1 234,5", Decimal("1234.5")),
])
def test_parse_decimal(text, expected):
    assert parse_decimal(text) == expected


def test_without_grouping_a_dot_is_a_decimal_point():
    assert parse_decimal("1.000", grouping=False) == 1
    assert parse_decimal("0,0003", grouping=False) == Decimal("0.0003")


@pytest.mark.parametrize("text", ["", "NaN", "sNaN", "Infinity", "1e3", "abc", "1,2,3", "%"])
def test_parse_decimal_refuses_non_numbers(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_decimal_text_is_what_decimal_reads():
    assert decimal_text("1.234,50") == "1234.50"


@pytest.mark.parametrize("text", ["27/08/2025", "2025-08-27", " 27/8/2025 "])
def test_parse_day(text):
    assert parse_day(text) == date(2025, 8, 27)
    assert parse_day(text, patterns=FILE_DAY_PATTERNS) == date(2025, 8, 27)


@pytest.mark.parametrize("text", ["27-08-2025", "27.08.2025"])
def test_only_a_file_takes_other_separators(text):
    assert parse_day(text, patterns=FILE_DAY_PATTERNS) == date(2025, 8, 27)
    with pytest.raises(ValueError):
        parse_day(text)


@pytest.mark.parametrize("text", ["", "31/02/2025", "2025/08/27", "27/08/25", "hôm nay"])
def test_parse_day_refuses_other_spellings(text):
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_day(text, patterns=FILE_DAY_PATTERNS)


def test_a_command_line_day_is_iso():
    assert parse_day("2025-10-31", patterns=ISO_DAY_PATTERNS) == date(2025, 10, 31)
    with pytest.raises(ValueError):
        parse_day("31/10/2025", patterns=ISO_DAY_PATTERNS)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_format_int_reads_back(number):
    assert parse_int(format_int(number)) == number


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_format_decimal_reads_back(number):
    assert parse_decimal(format_decimal(number)) == number


@given(st.dates(min_value=date(1900, 1, 1)))
def test_format_date_reads_back(day):
    assert parse_day(format_date(day)) == day
