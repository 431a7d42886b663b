"""The figures a synthetic province is drawn to: the plan's totals (Calibration) and the model's
shares (population pyramid, household sizes, participation), with their sources.

Kept apart from the drawing so a reader can check every number against DOMAIN.md in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calibration:
    """Province totals of the plan (Cần Thơ 2025, Kế hoạch 53/KH-UBND), scaled to the number of persons."""

    population: int = 3_221_261
    bhyt_target: int = 3_095_954  # 96.11% of the population, the target for 31/12
    labour_force: int = 1_083_410  # the plan's implied denominator (433,364 = 40%)
    compulsory_required: int = 322_000
    compulsory_participants: int = 314_472
    voluntary_participants: int = 118_892
    bhtn_participants: int = 294_046


#: Population pyramid in 5-year bands (0–4 … 80–84), then 85–89, 90–94, 95+; percent, normalised.
PYRAMID = np.array([6.9, 8.0, 7.8, 7.0, 6.6, 7.3, 8.0, 8.0, 7.5, 6.9, 6.3, 5.8, 4.9, 3.9, 2.8, 1.6,
                     1.05, 0.6, 0.27, 0.08])
PYRAMID = PYRAMID / PYRAMID.sum()
#: Share of men in each band: boys outnumber girls at birth (1.11), women outlive men.
MALE_SHARE = np.array([0.527, 0.527, 0.525, 0.52, 0.512, 0.505, 0.502, 0.50, 0.498, 0.495, 0.49, 0.485,
                        0.47, 0.455, 0.435, 0.41, 0.38, 0.35, 0.31, 0.28])
#: Household sizes 1..9 (census: mean 3.5).
HOUSEHOLD_SIZES = np.array([0.105, 0.19, 0.215, 0.245, 0.135, 0.065, 0.03, 0.01, 0.005])
#: Household make-up by size (1, 2, 3, 4+): (elders, core adults) → share; the rest are children.
#: Elders alone or with grandchildren ("skip generation") are common where parents work in the cities.
MAKEUP = {
    1: {(0, 1): 0.55, (1, 0): 0.45},
    2: {(0, 2): 0.22, (2, 0): 0.30, (0, 1): 0.20, (1, 0): 0.13, (1, 1): 0.15},
    3: {(0, 2): 0.60, (0, 1): 0.08, (2, 0): 0.07, (1, 0): 0.04, (1, 2): 0.06, (2, 1): 0.05, (1, 1): 0.10},
    4: {(0, 2): 0.55, (0, 1): 0.05, (1, 2): 0.17, (2, 2): 0.12, (2, 0): 0.04, (1, 0): 0.02, (1, 1): 0.05},
}
OVERSAMPLE = 1.45  # households drawn per household kept, so the pyramid can be matched by choosing

BHYT_RISE_PER_MONTH = 0.0024  # coverage gains ~2.2 points from January to October (≈93% → ≈95%)
BHYT_SHARE_OF_TARGET = 0.99  # on as_of the province stands just under the year's target
VOLUNTARY_STOPPED = 0.09  # voluntary participants who stopped paying 1–12 months ago
UNEMPLOYED_SHARE = 0.025  # of the labour force
#: Kinds of work among contract workers (docs/data.md `employment_kind`). Public-sector staff: about one
#: worker in seven on a payroll (viên chức most, cán bộ công chức fewer); shares chosen so the BHTN
#: required population is about 93% of the compulsory one, as the plan's BHTN / compulsory figures.
KIND_SHARES = {
    "contract_indefinite": 0.462, "contract_fixed": 0.38, "official": 0.11, "civil_servant": 0.03,
    "armed_forces": 0.003, "household_business": 0.01, "domestic_worker": 0.005,
}
#: Length of fixed-term contracts (months → share): 0 is a contract of less than a month.
FIXED_TERM_MONTHS = {0: 0.005, 1: 0.01, 2: 0.015, 6: 0.07, 12: 0.45, 24: 0.2, 36: 0.25}
WORKING_PENSIONERS = 0.012  # of contract workers of 45 and more
BHTN_ENROL_MIN_MONTHS = 3  # employers enrol fixed-term contracts of 3 months or more in BHTN (as in 2025)
GROUP_6_SHARE = 0.01  # workers whose card of the year their employer alone pays (group 6)
LABOUR = ("compulsory", "other_work", "unemployed", "outside")
COMPULSORY, OTHER_WORK, UNEMPLOYED, OUTSIDE = range(4)
SCHEMES = ("compulsory", "voluntary", "other")
#: First two digits of enterprise tax codes by the tax department (Cần Thơ 18, Hậu Giang 63, Sóc Trăng 22).
TAX_PREFIXES = {"092": (("18", 0.6), ("22", 0.25), ("63", 0.15)), "079": (("03", 1.0),), "001": (("01", 1.0),),
                 "031": (("02", 1.0),)}
DEFECTS_PER_PERSON = 1 / 50_000
DEFECT_KINDS = (
    "person.missing_id", "person.duplicate", "person.unknown_commune", "person.missing_birth_date",
    "card.unknown_person", "card.inverted", "card.unknown_group", "span.inverted", "span.unknown_scheme",
    "person.unknown_employment_kind",
)
SERIALS = 1_000_000  # six digits per (sex-century digit, birth year)
RESERVED_SERIALS = 1_000  # the top of each range is kept for IDs that must not exist (bad rows)
