"""Calendar arithmetic in whole numpy arrays: days since 1970-01-01 and months since January 1970 as int64.

Why: millions of birth days, card dates and span months are computed at once; `datetime` per row would
take minutes. Both generators (persons and employers) count days and months this way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import numpy as np


def _day(value: date) -> int:
    return (value - date(1970, 1, 1)).days


#: Calendar lookups cover 1850–2150: numpy's datetime unit casts are slow (a calendar computation per
#: element), while a table lookup is one gather. Every date of a data set falls well inside.
_FIRST_DAY = (date(1850, 1, 1) - date(1970, 1, 1)).days
_FIRST_MONTH = (1850 - 1970) * 12


@functools.cache
def _calendar_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(month of each day, first day of each month, year of each day), built once with numpy's calendar."""
    days = np.arange(_FIRST_DAY, (date(2151, 1, 1) - date(1970, 1, 1)).days).astype("datetime64[D]")
    month_of_day = days.astype("datetime64[M]").astype(np.int64)
    months = np.arange(_FIRST_MONTH, month_of_day[-1] + 2)
    month_start = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    year_of_day = days.astype("datetime64[Y]").astype(np.int64) + 1970
    return month_of_day, month_start, year_of_day


def month_of(days: np.ndarray) -> np.ndarray:
    """Months since January 1970."""
    return _calendar_tables()[0][np.asarray(days, dtype=np.int64) - _FIRST_DAY]


def month_start(months: np.ndarray) -> np.ndarray:
    return _calendar_tables()[1][np.asarray(months, dtype=np.int64) - _FIRST_MONTH]


def year_of(days: np.ndarray) -> np.ndarray:
    return _calendar_tables()[2][np.asarray(days, dtype=np.int64) - _FIRST_DAY]


def january_first(years: np.ndarray) -> np.ndarray:
    return month_start((np.asarray(years, dtype=np.int64) - 1970) * 12)


def add_months(days: np.ndarray, count) -> np.ndarray:
    """Same day `count` months later, clipped to the month's end (31/1 + 1 month = 28/2 or 29/2)."""
    days = np.asarray(days, dtype=np.int64)
    month = month_of(days)
    offset = _day_of_month(days)
    target = month + count
    length = month_start(target + 1) - month_start(target)
    return month_start(target) + np.minimum(offset, length - 1)


def birthday(birth: np.ndarray, years: int) -> np.ndarray:
    """The day a person turns `years`: for those born on 29 February, 1 March in other years."""
    day = add_months(birth, 12 * years)
    return day + (_day_of_month(day) < _day_of_month(birth))


def _day_of_month(days: np.ndarray) -> np.ndarray:
    """0 for the 1st."""
    return days - month_start(month_of(days))


def months_old(birth: np.ndarray, on: int) -> np.ndarray:
    """Completed months of age on the day `on`."""
    months = month_of(np.int64(on)) - month_of(birth)
    return months - (_day_of_month(np.int64(on)) < _day_of_month(birth))


def retirement_months(male: np.ndarray, year) -> np.ndarray:
    """Labour Code 2019 art. 169: 60 y 3 m (+3 m a year, 62 from 2028), 55 y 4 m (+4 m, 60 from 2035)."""
    steps = np.maximum(np.asarray(year) - 2020, 0)
    return np.where(male, 720 + np.minimum(3 * steps, 24), 660 + np.minimum(4 * steps, 60))


@dataclass(frozen=True)
class ExtractCalendar:
    """The days that bound a person-level extract (as day numbers); the ledger has its own (`firm_world.LedgerCalendar`)."""

    as_of: int  # the extract's day
    month: int  # first day of its month: no span starts after it
    history: int  # 1 January of the year before: cards cover history from here
    year_start: int  # 1 January of as_of's year
    year_end: int  # 31 December of as_of's year: end of the yearly cards now running
    year: int

    @classmethod
    def of(cls, as_of: date) -> ExtractCalendar:
        return cls(
            as_of=_day(as_of),
            month=_day(as_of.replace(day=1)),
            history=_day(date(as_of.year - 1, 1, 1)),
            year_start=_day(date(as_of.year, 1, 1)),
            year_end=_day(date(as_of.year, 12, 31)),
            year=as_of.year,
        )


def day_in(rng: np.random.Generator, low, high, size: int) -> np.ndarray:
    """A day drawn uniformly in [low, high]."""
    low = np.asarray(low, np.int64)
    return low + (rng.random(size) * (np.asarray(high, np.int64) - low + 1)).astype(np.int64)
