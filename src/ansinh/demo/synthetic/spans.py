"""Step 3 of a synthetic province: labour status, the flags that entitle to BHYT, and the BHXH spans
(compulsory with employers, voluntary, the recently retired).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ansinh.demo.synthetic.arrays import calibrated, calibrated_within, commune_totals, drawn_within, pick_within
from ansinh.demo.synthetic.calibration import COMPULSORY, OTHER_WORK, OUTSIDE, UNEMPLOYED, UNEMPLOYED_SHARE, VOLUNTARY_STOPPED
from ansinh.demo.synthetic.days import month_of, month_start, months_old, retirement_months, year_of

if TYPE_CHECKING:
    from ansinh.demo.synthetic.households import People
    from ansinh.demo.synthetic.province import Province


@dataclass
class Spans:
    """BHXH spans of a chunk, person = row of the chunk's persons."""

    person: np.ndarray
    scheme: np.ndarray  # index into SCHEMES
    employer: np.ndarray  # index into the province's employers, -1 for none
    bhtn: np.ndarray
    first: np.ndarray  # month index
    last: np.ndarray  # month index, -1 for still paying

    @classmethod
    def join(cls, parts: Sequence[Spans]) -> Spans:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                     ("person", "scheme", "employer", "bhtn", "first", "last")))


@dataclass
class Status:
    """What a person is on as_of, as far as insurance is concerned."""

    labour: np.ndarray
    working_age: np.ndarray
    student: np.ndarray
    pension_from: np.ndarray  # day the pension started; 0 for none
    poor: np.ndarray
    near_poor: np.ndarray
    farming: np.ndarray
    social: np.ndarray  # social-protection beneficiaries and people with merit (state budget)


def statuses(
    rng: np.random.Generator, province: Province, people: People, birth: np.ndarray
) -> Status:
    """Students, pensioners, poor / near-poor / farming households, and everybody's labour status.

    Pensions: a third of the retired in towns, a sixth in the countryside (few farmers ever paid in),
    plus a few early ones (disability, work accidents). Poverty is rarer in towns.
    """
    cal = province.calendar
    n = len(birth)
    months = months_old(birth, cal.as_of)
    age = people.age
    male = people.male
    urban = province.urban[people.commune]
    working_age = (months >= 180) & (months < retirement_months(male, cal.year))

    student = np.select(
        [(age >= 6) & (age < 15), (age >= 15) & (age < 18), (age >= 18) & (age < 23)],
        [rng.random(n) < 0.99, rng.random(n) < 0.85, rng.random(n) < np.where(urban, 0.42, 0.28)],
        False,
    )
    # Pensions: the birth year decides the retirement age of the year it was reached.
    reached_year = year_of(birth) + np.where(male, 61, 56)
    pension_from = month_start(month_of(birth) + retirement_months(male, reached_year) + 1)
    retired = (pension_from <= cal.as_of) & ~working_age & (age >= 50)
    pension_rate = np.where(urban, 0.34, 0.17) * np.where(male, 1.15, 0.9)
    early = working_age & (age >= 45) & (rng.random(n) < 0.004)  # disability, work accidents
    pensioner = (retired & (rng.random(n) < pension_rate)) | early
    pension_from = np.where(early, cal.history - rng.integers(30, 3000, n), pension_from)
    pension_from = np.where(pensioner, pension_from, 0)

    households = len(people.household_size)
    rural = ~province.urban[people.household_commune]
    u = rng.random(households)
    poor_h = u < np.where(rural, 0.015, 0.005)
    near_poor_h = ~poor_h & (u < np.where(rural, 0.04, 0.017))
    farming_h = rural & ~poor_h & ~near_poor_h & (rng.random(households) < 0.12)
    social = (age >= 16) & ~pensioner & (rng.random(n) < np.where(age >= 60, 0.02, 0.006))

    labour = _labour(rng, province, people, working_age, student, pensioner)
    return Status(
        labour=labour,
        working_age=working_age,
        student=student,
        pension_from=pension_from,
        poor=poor_h[people.household],
        near_poor=near_poor_h[people.household],
        farming=farming_h[people.household],
        social=social,
    )


#: Labour-force participation by 5-year band from 15 (men, women), before calibration.
_PARTICIPATION = np.array([[0.25, 0.2], [0.7, 0.6], [0.9, 0.8], [0.95, 0.82], [0.95, 0.82], [0.95, 0.82],
                           [0.95, 0.8], [0.9, 0.7], [0.8, 0.55], [0.6, 0.4]])
#: Weight of compulsory (contract) work by 5-year band from 15.
_CONTRACT_AGE = np.array([0.15, 0.75, 1.0, 1.0, 1.0, 0.8, 0.7, 0.5, 0.35, 0.2])


def _labour(
    rng: np.random.Generator, province: Province, people: People, working_age: np.ndarray,
    student: np.ndarray, pensioner: np.ndarray,
) -> np.ndarray:
    """Labour force, then contract workers within it, then the unemployed; the rest is outside.

    Shares follow the plan's denominators (labour force 33.6% of the population, compulsory 10%),
    applied to this chunk's persons.
    """
    cal = province.calibration
    n = len(people.age)
    band = np.clip(((people.age - 15) // 5).astype(np.int64), 0, len(_PARTICIPATION) - 1)
    eligible = working_age & ~pensioner
    weight = np.where(eligible, _PARTICIPATION[band, np.where(people.male, 0, 1)], 0.0) * np.where(student, 0.12, 1.0)
    in_force = rng.random(n) < calibrated(weight, n * cal.labour_force / cal.population, cap=0.98)

    urban = province.urban[people.commune]
    contract = np.where(in_force & (people.age >= 18), _CONTRACT_AGE[band], 0.0)
    contract *= np.where(people.male, 1.05, 1.0) * np.where(student, 0.3, 1.0)
    # Each commune's contract workers: its labour force times its standing, so its rate is the plan's rate
    # times that standing however few persons are drawn (the targets are split at one rate for all).
    labour_force = np.bincount(people.commune, weights=in_force, minlength=len(province.persons))
    totals = commune_totals(labour_force, province.compulsory_factor, n * cal.compulsory_required / cal.population)
    compulsory = drawn_within(rng, calibrated_within(contract, people.commune, totals, cap=0.9), people.commune)

    rest = in_force & ~compulsory
    young = np.where(people.age < 30, 2.0, 1.0) * np.where(urban, 1.2, 1.0)
    unemployed = rng.random(n) < calibrated(np.where(rest, young, 0.0), in_force.sum() * UNEMPLOYED_SHARE)
    status = np.select([compulsory, unemployed, in_force], [COMPULSORY, UNEMPLOYED, OTHER_WORK], OUTSIDE)
    return status.astype(np.int8)


def _employer_of(rng: np.random.Generator, province: Province, commune: np.ndarray) -> np.ndarray:
    return pick_within(rng, commune, province.employer_bounds)


def _bhtn_of(rng: np.random.Generator, rate: float, enrolled: np.ndarray, commune: np.ndarray) -> np.ndarray:
    """Which of these spans carry BHTN: only workers of a kind BHTN covers (`enrolled`), and among them
    `rate` of each commune's, drawn to within one person (arrays.drawn_within) so a small commune's
    BHTN figures are not moved by chance alone."""
    bhtn = np.zeros(len(enrolled), bool)
    bhtn[enrolled] = drawn_within(rng, np.full(int(enrolled.sum()), rate), commune[enrolled])
    return bhtn


def compulsory_spans(
    rng: np.random.Generator, province: Province, people: People, birth: np.ndarray, status: Status,
    enrolled: np.ndarray,
) -> tuple[Spans, np.ndarray, np.ndarray]:
    """Compulsory spans of workers, evaders, the recently retired and those who left a job; only those
    whose kind of work employers enrol in BHTN (`enrolled`) have it, at the plan's overall share.

    Returns the spans, whether each person's employer pays for them on as_of (the group-1 track) and
    the day each new entrant's first span started (for the history before it), 0 for others.
    """
    cal = province.calendar
    now = int(month_of(np.int64(cal.month)))
    window = int(month_of(np.int64(cal.history)))
    adult = month_of(birth) + 18 * 12  # nobody pays before 18 here
    n = len(birth)
    worker = status.labour == COMPULSORY
    evader = worker & drawn_within(rng, np.where(worker, province.evasion[people.commune], 0.0), people.commune)
    paying = worker & ~evader

    tenure = rng.random(n)
    first = np.where(
        tenure < 0.68,
        window - 1 - rng.integers(0, 20 * 12, n),
        window + rng.integers(0, max(now - window, 0) + 1, n),
    )
    first = np.minimum(np.maximum(first, adult), now)
    changed_job = paying & (first >= window) & (rng.random(n) < 0.45)
    entrant_from = np.where(paying & (first >= window) & ~changed_job, month_start(first), 0)

    parts: list[Spans] = []
    bhtn_rate = province.calibration.bhtn_participants / province.calibration.compulsory_participants
    enrolled_share = enrolled[paying].mean() if paying.any() else 1.0
    bhtn_rate = min(1.0, bhtn_rate / max(enrolled_share, 1e-9))
    commune = people.commune

    def add(rows: np.ndarray, first_m: np.ndarray, last_m: np.ndarray) -> None:
        parts.append(Spans(
            person=rows, scheme=np.zeros(len(rows), np.int8), employer=_employer_of(rng, province, commune[rows]),
            bhtn=_bhtn_of(rng, bhtn_rate, enrolled[rows], commune[rows]), first=first_m, last=last_m,
        ))

    rows = np.flatnonzero(paying)
    add(rows, first[rows], np.full(len(rows), -1))
    # The job before: ended the month before, or with a few months' gap.
    rows = np.flatnonzero(changed_job)
    last = first[rows] - 1 - np.where(rng.random(len(rows)) < 0.6, 0, rng.integers(1, 6, len(rows)))
    add(rows, np.minimum(last, np.maximum(last - rng.integers(6, 120, len(rows)), adult[rows])), last)
    # Half of the evaders' employers stopped paying a few months ago; the others never registered them.
    rows = np.flatnonzero(evader & (rng.random(n) < 0.5))
    last = now - rng.integers(1, 9, len(rows))
    add(rows, np.minimum(last, np.maximum(last - rng.integers(3, 60, len(rows)), adult[rows])), last)
    # Retired during the history: paid until the month before the pension.
    retired = (status.pension_from >= cal.history) & (status.pension_from <= cal.as_of)
    rows = np.flatnonzero(retired)
    last = month_of(status.pension_from[rows]) - 1
    add(rows, np.minimum(last, np.maximum(last - rng.integers(120, 420, len(rows)), adult[rows])), last)
    # Left a contract job: many of the unemployed, a few who now work for themselves or stay home.
    left = np.select(
        [status.labour == UNEMPLOYED, status.labour == OTHER_WORK, (status.labour == OUTSIDE) & status.working_age],
        [rng.random(n) < 0.35, rng.random(n) < 0.015, rng.random(n) < 0.006],
        False,
    ) & (people.age >= 19) & (status.pension_from == 0)
    rows = np.flatnonzero(left)
    recent = status.labour[rows] == UNEMPLOYED
    last = np.where(
        recent, now - rng.integers(1, 13, len(rows)), window + rng.integers(0, max(now - window, 1), len(rows))
    )
    add(rows, np.minimum(last, np.maximum(last - rng.integers(6, 120, len(rows)), adult[rows])), last)
    return Spans.join(parts), paying, entrant_from


def voluntary_spans(rng: np.random.Generator, province: Province, people: People, status: Status) -> Spans:
    """Voluntary participants: mostly self-employed farmers and traders, some homemakers and older people.

    The plan's number pays on as_of; another 9% stopped paying 1–12 months ago. Many joined during the
    last two years (the campaigns), so the count rises through the year.
    """
    cal = province.calibration
    n = len(people.age)
    now = int(month_of(np.int64(province.calendar.month)))
    window = int(month_of(np.int64(province.calendar.history)))
    age = people.age
    weight = np.select(
        [
            status.labour == OTHER_WORK,
            (status.labour == OUTSIDE) & (age >= 35) & (age < 65),
            status.labour == UNEMPLOYED,
        ],
        [np.where((age >= 30) & (age < 58), 1.0, 0.55), 0.25, 0.25],
        0.0,
    ) * np.where(status.student | (status.pension_from > 0) | (age < 18), 0.0, 1.0)
    total = n * cal.voluntary_participants / cal.population / (1 - VOLUNTARY_STOPPED)
    in_force = status.labour != OUTSIDE
    labour_force = np.bincount(people.commune, weights=in_force & status.working_age, minlength=len(province.persons))
    totals = commune_totals(labour_force, province.voluntary_factor, total)
    rows = np.flatnonzero(drawn_within(rng, calibrated_within(weight, people.commune, totals, cap=0.6), people.commune))
    stopped = drawn_within(rng, np.full(len(rows), VOLUNTARY_STOPPED), people.commune[rows])
    joined_recently = rng.random(len(rows)) < 0.30
    first = np.where(
        joined_recently,
        window + (rng.beta(1.6, 1.0, len(rows)) * (now - window + 1)).astype(np.int64),
        window - 1 - rng.integers(0, 10 * 12, len(rows)),
    )
    first = np.minimum(first, now)
    last = np.where(stopped, now - rng.integers(1, 13, len(rows)), -1)
    first = np.where(stopped, np.minimum(first, last - rng.integers(0, 36, len(rows))), first)
    return Spans(
        person=rows, scheme=np.ones(len(rows), np.int8), employer=np.full(len(rows), -1),
        bhtn=np.zeros(len(rows), bool), first=first, last=last,
    )
