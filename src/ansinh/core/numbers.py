"""Read numbers and days the way Vietnamese officials write them: 3.095.954 persons, 96,11%, 27/08/2025.

The reverse of `core.formatting`: what `format_int`, `format_decimal` and `format_date` write, these read
back. Every door (form fields, imported cells, CLI options) reads through here, so "1.234.567" means the
same thing everywhere. Each function raises `ValueError` with a Vietnamese message; a door that wants
its own wording (naming the field or the cell) catches it and says so.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

#: Dots grouping thousands, as officials write a whole number: "1.234.567" (not "12.34", not "1.2345").
_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+", re.ASCII)
_INTEGER = re.compile(r"-?\d+", re.ASCII)
_DECIMAL = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_SPACES = re.compile(r"[\s\u00a0]")

#: The day spellings a person types in a form or a link carries: dd/mm/yyyy as `format_date` writes it,
#: and ISO. A form keeps to the two it shows, so that "31-10-2025" in a filter is questioned, not guessed.
DAY_PATTERNS = ("%d/%m/%Y", "%Y-%m-%d")
#: What an imported file may hold besides: other systems export dd-mm-yyyy and dd.mm.yyyy.
FILE_DAY_PATTERNS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
#: A command-line option is ISO only (a script's argument should not depend on who wrote it).
ISO_DAY_PATTERNS = ("%Y-%m-%d",)


class NumberTooLong(ValueError):
    """More digits than the caller allows (a cell of 5,000 nines is a typo, and `int` would refuse it)."""


def parse_int(text: str, *, max_digits: int = 4000) -> int:
    """"1.234.567", "1234567", "1 234 567", "-1.234" → the whole number; anything else is a `ValueError`.

    Only ASCII digits count ("²" is not a digit), and more than `max_digits` digits (leading zeros
    included) is `NumberTooLong`."""
    value = _SPACES.sub("", text)
    if _GROUPED.fullmatch(value):
        value = value.replace(".", "")
    if not _INTEGER.fullmatch(value):
        raise ValueError(f"“{text}” không phải số nguyên.")
    if len(value.lstrip("-")) > max_digits:
        raise NumberTooLong(f"“{text}” lớn quá (quá {max_digits} chữ số).")
    return int(value)


def decimal_text(text: str, *, grouping: bool = True) -> str:
    """The number in `text` written the way `Decimal` reads it: "96,11" → "96.11", "1.234,5" → "1234.5",
    "3.095.954" → "3095954"; a `ValueError` if it is no number.

    With `grouping` (the officials' way) a dot groups thousands when a comma is the decimal mark or the
    groups are whole ("1.234"), and is a decimal point otherwise ("96.11"). Without it, for small
    fractions such as shares and rates, a dot and a comma are both the decimal mark ("1.000" is one)."""
    value = _SPACES.sub("", text)
    if not grouping:
        candidate = value.replace(",", ".")
    elif "," in value:
        candidate = value.replace(".", "").replace(",", ".")
    elif _GROUPED.fullmatch(value):
        candidate = value.replace(".", "")
    else:
        candidate = value
    if not _DECIMAL.fullmatch(candidate):
        raise ValueError(f"“{text}” không phải là số.")
    return candidate


def parse_decimal(text: str, *, grouping: bool = True) -> Decimal:
    """"96,11" → Decimal("96.11"), "1.234,5" → Decimal("1234.5"); see `decimal_text` for `grouping`.
    Never NaN or infinite: those are refused like any other text."""
    return Decimal(decimal_text(text, grouping=grouping))


def parse_day(text: str, *, patterns: tuple[str, ...] = DAY_PATTERNS) -> date:
    """"27/08/2025" (also 7/8/2025) or ISO "2025-08-27" → the day; else `ValueError`.

    `patterns` names the spellings a door takes: `DAY_PATTERNS` (forms, links), `FILE_DAY_PATTERNS`
    (imported files), `ISO_DAY_PATTERNS` (command-line options)."""
    value = text.strip()
    for pattern in patterns:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"Ngày “{value}” không hợp lệ: viết theo dạng dd/mm/yyyy, ví dụ 31/10/2025.")
