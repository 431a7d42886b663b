"""Synthetic but plausible monthly figures for a province's communes, consistent with its plan.

Pure and deterministic for a seed: the province's totals in the plan's base month are exactly the
denominators the plan implies (Cần Thơ: 3.095.954 persons = 96,11% → population 3.221.261), each commune
gets its own size, starting level and pace, and a few communes are clearly behind.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from ansinh.core.periods import add_months, month_label
from ansinh.targets.allocation import largest_remainder


@dataclass(frozen=True)
class ProvinceShape:
    """Province totals in the base month, and where participation stands then as a share of the target."""

    population: int
    labour_force: int
    bhyt_participants: int  # the plan's target, reached by the end of the year on average
    compulsory_participants: int
    voluntary_participants: int
    compulsory_required: int
    bhtn_participants: int
    bhtn_required: int
    employers_required: int
    base_month: date  # the month whose totals are exact (the last month of data)


#: Cần Thơ 2025 (Kế hoạch 53/KH-UBND): denominators implied by the plan's targets and rates.
CAN_THO_2025 = ProvinceShape(
    population=3_221_261,  # 3.095.954 / 96,11%
    labour_force=1_083_410,  # 433.364 / 40%
    bhyt_participants=3_095_954,
    compulsory_participants=314_472,
    voluntary_participants=118_892,
    compulsory_required=322_000,
    bhtn_participants=294_046,
    bhtn_required=294_046,  # the target is 100% of those required
    employers_required=9_800,
    base_month=date(2025, 10, 1),
)


@dataclass(frozen=True)
class _Commune:
    code: str
    level: float  # share of the target reached in the base month (0.90 = clearly behind)
    pace: float  # monthly growth of participants before the base month


def _communes(codes: Sequence[str], rng: random.Random) -> list[_Commune]:
    """Most communes stand at 97–100% of their share; about one in eight is clearly behind (90–95%)."""
    result = []
    for code in codes:
        behind = rng.random() < 0.12
        level = rng.uniform(0.90, 0.95) if behind else rng.uniform(0.975, 1.0)
        result.append(_Commune(code, level, rng.uniform(0.002, 0.009)))
    return result


def _split(total: int, weights: dict[str, float]) -> dict[str, int]:
    return largest_remainder(total=total, weights={k: round(v * 1_000_000) for k, v in weights.items()})


def monthly_rows(
    *, codes: Sequence[str], shape: ProvinceShape, first_month: date, months: int, seed: int = 2025
) -> Iterator[tuple[str, str, str, int]]:
    """(unit_code, period, measure, value) for every commune, month and base measure."""
    rng = random.Random(seed)
    size = {code: rng.lognormvariate(0, 0.45) for code in codes}
    communes = _communes(codes, rng)
    population = _split(shape.population, size)
    labour = _split(shape.labour_force, {c: size[c] * rng.uniform(0.9, 1.1) for c in codes})
    shares = {
        "bhyt.participants": _split(shape.bhyt_participants, {c: population[c] for c in codes}),
        "bhxh.compulsory.participants": _split(shape.compulsory_participants, {c: labour[c] * rng.uniform(0.6, 1.4) for c in codes}),
        "bhxh.voluntary.participants": _split(shape.voluntary_participants, {c: labour[c] * rng.uniform(0.7, 1.3) for c in codes}),
        "employers.required": _split(shape.employers_required, {c: labour[c] for c in codes}),
    }
    for commune in communes:
        yield from _commune_rows(commune, shape, population, labour, shares, first_month, months, rng)


def _commune_rows(commune, shape, population, labour, shares, first_month, months, rng):
    code = commune.code
    compulsory_share = shares["bhxh.compulsory.participants"][code]
    required = min(labour[code], round(compulsory_share * shape.compulsory_required / shape.compulsory_participants))
    bhtn_required = min(required, round(compulsory_share * shape.bhtn_required / shape.compulsory_participants))
    for index in range(months):
        month = add_months(first_month, index)
        back = (shape.base_month.year - month.year) * 12 + shape.base_month.month - month.month
        growth = (1 - commune.pace) ** back  # participants were fewer in earlier months
        drift = (1 - 0.0004) ** back  # population grows slowly
        pop = round(population[code] * drift)
        lab = min(pop, round(labour[code] * drift))
        values = {
            "population": pop,
            "labour_force": lab,
            "bhyt.participants": round(shares["bhyt.participants"][code] * commune.level * growth),
            "bhxh.compulsory.required": min(lab, round(required * drift)),
            "bhxh.compulsory.participants": round(compulsory_share * commune.level * growth),
            "bhxh.voluntary.participants": round(shares["bhxh.voluntary.participants"][code] * commune.level * growth ** 1.6),
            "bhtn.required": min(lab, round(bhtn_required * drift)),
            "bhtn.participants": round(bhtn_required * commune.level * 0.985 * growth),
            "employers.required": shares["employers.required"][code],
            "employers.registered": round(shares["employers.required"][code] * rng.uniform(0.82, 0.97)),
            "benefits.paid": max(1, round(pop * rng.uniform(0.004, 0.006))),
        }
        values["bhyt.participants"] = min(values["bhyt.participants"], pop)
        values["bhtn.participants"] = min(values["bhtn.participants"], values["bhtn.required"], lab)
        values["bhxh.compulsory.participants"] = min(values["bhxh.compulsory.participants"], lab)
        values["bhxh.voluntary.participants"] = min(values["bhxh.voluntary.participants"], lab)
        values["benefits.paid_by_account"] = round(values["benefits.paid"] * rng.uniform(0.6, 0.92))
        for measure, value in values.items():
            yield code, month_label(month), measure, value
