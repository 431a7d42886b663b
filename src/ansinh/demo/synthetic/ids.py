"""ID numbers that look real: personal identification numbers (province, sex-century digit, birth year, a
scrambled serial that never repeats) and the check digit of tax codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ansinh.demo.synthetic.arrays import digit_strings, ranks_within
from ansinh.demo.synthetic.calibration import RESERVED_SERIALS, SERIALS

if TYPE_CHECKING:
    from ansinh.demo.synthetic.province import Province


def tax_check_digit(first_nine: np.ndarray) -> np.ndarray:
    """Check digit of a tax code (MST): 10 − (Σ weight × digit mod 11); 10 means the number is not issued."""
    digits = digit_strings(first_nine, 9).astype(np.int64) - 48
    total = digits @ np.array([31, 29, 23, 19, 17, 13, 7, 5, 3])
    return 10 - total % 11


def scramble(serial: np.ndarray, cell: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """A keyed permutation of 0..999,999 for each cell (a Feistel network on two 3-digit halves).

    Serials are handed out in order, so without it neighbours in the file would have neighbouring
    numbers; a permutation keeps them unique while looking scattered.
    """
    left, right = serial // 1000, serial % 1000
    for round_, table in enumerate(keys):
        left, right = right, (left + table[(right + cell * (2 * round_ + 7919)) % 1000]) % 1000
    return left * 1000 + right


def id_cell(male: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Sex-century digit × 100 + 2-digit year: 0 male 1900s, 1 female 1900s, 2 male 2000s, 3 female 2000s."""
    century = np.where(year >= 2000, 2, 0) + np.where(male, 0, 1)
    return century * 100 + year % 100


def draw_person_ids(province: Province, male: np.ndarray, year: np.ndarray) -> np.ndarray:
    """12-digit ID numbers as ASCII rows: province code, sex-century digit, birth year, 6 digits."""
    cell = id_cell(male, year)
    serial = province.serials[cell] + ranks_within(cell)
    province.serials[:] += np.bincount(cell, minlength=len(province.serials))
    if province.serials.max() > SERIALS - RESERVED_SERIALS:
        raise ValueError("too many persons born in one year for 6-digit ID serials")
    number = int(province.province_code) * 10**9 + cell * 10**6 + scramble(serial, cell, province.id_keys)
    return digit_strings(number, 12)
