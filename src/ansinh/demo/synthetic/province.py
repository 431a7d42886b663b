"""Step 1 of a synthetic province: communes get a size, a BHYT level, an evasion rate, hamlets and a pool
of employers, and are cut into chunks of about a million persons (whole communes, so households stay whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from ansinh.demo.synthetic import names
from ansinh.demo.synthetic.arrays import digit_strings, group_bounds, largest_remainder, pick, string_column
from ansinh.demo.synthetic.calibration import BHYT_SHARE_OF_TARGET, TAX_PREFIXES
from ansinh.demo.synthetic.days import ExtractCalendar
from ansinh.demo.synthetic.ids import tax_check_digit

if TYPE_CHECKING:
    from ansinh.demo.synthetic.calibration import Calibration
    from ansinh.demo.synthetic.communes import CommuneSpec


@dataclass(frozen=True)
class Province:
    """Everything decided once for the whole data set, before any chunk is drawn."""

    communes: tuple[CommuneSpec, ...]
    province_code: str
    calendar: ExtractCalendar
    calibration: Calibration
    persons: np.ndarray  # per commune
    urban: np.ndarray
    bhyt_level: np.ndarray  # share of residents with a valid card on as_of
    evasion: np.ndarray  # share of those required whose employer does not pay
    compulsory_factor: np.ndarray
    voluntary_factor: np.ndarray
    village_names: pa.Array  # all communes' hamlets, commune after commune
    village_bounds: np.ndarray  # `pick_within` bounds (group = commune)
    employer_codes: pa.Array  # tax codes, commune after commune
    employer_bounds: np.ndarray
    id_keys: np.ndarray  # round tables of the ID permutation
    chunks: tuple[np.ndarray, ...]  # commune indices drawn together
    serials: np.ndarray = field(default_factory=lambda: np.zeros(400, dtype=np.int64))  # next serial per cell


def plan_province(
    rng: np.random.Generator,
    persons: int,
    communes: Sequence[CommuneSpec],
    province_code: str,
    as_of: date,
    calibration: Calibration,
) -> Province:
    """Communes' sizes and levels, hamlets, employers, ID keys and chunks, from the province's own stream."""
    count = len(communes)
    urban = np.array([c.urban for c in communes])
    sizes = rng.lognormal(0.0, 0.5, count) * np.where(urban, 1.25, 1.0)
    population = largest_remainder(persons, sizes)
    compulsory_factor = _standing(rng, count)
    villages, village_weights, village_of = _hamlets(rng, communes, population)
    employers = np.maximum(
        3, np.round(population * calibration.compulsory_required / calibration.population * compulsory_factor
                    / compulsory_factor.mean() / 33)
    ).astype(np.int64)
    codes, employer_weights, employer_of = _employers(rng, employers, province_code)
    return Province(
        communes=tuple(communes),
        province_code=province_code,
        calendar=ExtractCalendar.of(as_of),
        calibration=calibration,
        persons=population,
        urban=urban,
        bhyt_level=_bhyt_levels(rng, population, calibration),
        evasion=_evasion(rng, population, calibration),
        compulsory_factor=compulsory_factor,
        voluntary_factor=_standing(rng, count) ** VOLUNTARY_SPREAD,
        village_names=pa.array(villages, type=pa.string()),
        village_bounds=group_bounds(village_of, village_weights),
        employer_codes=codes,
        employer_bounds=group_bounds(employer_of, employer_weights),
        id_keys=rng.integers(0, 1000, size=(4, 1000)),
        chunks=_chunks(population),
    )


def _bhyt_levels(rng: np.random.Generator, population: np.ndarray, calibration: Calibration) -> np.ndarray:
    """Most communes at 94–98%, one in eight clearly behind (87–92%), centred on the province's level."""
    count = len(population)
    behind = np.zeros(count, dtype=bool)
    if count >= 4:
        behind[rng.choice(count, size=max(1, round(count / 8)), replace=False)] = True
    level = np.where(behind, rng.uniform(0.87, 0.92, count), rng.uniform(0.94, 0.98, count))
    target = calibration.bhyt_target / calibration.population * BHYT_SHARE_OF_TARGET
    weights = population / max(population.sum(), 1)
    for _ in range(5):  # shift every commune alike so the province lands on its level
        level = np.clip(level + target - (level * weights).sum(), 0.80, 0.995)
    return level


#: A commune's standing against the province's rate: most within a few points of it, one in eight clearly
#: behind, one in twelve clearly ahead. The targets are split at the same rate for every commune (method a,
#: on the denominators these persons give), so a commune's attainment is its rate over the province's:
#: this spread keeps every commune between about 91% and 108% of its targets, as plausible communes stand.
STANDING = {"usual": (0.97, 1.03), "behind": (0.92, 0.95), "ahead": (1.04, 1.06), "behind_share": 1 / 8, "ahead_share": 1 / 12}
#: Voluntary participants also follow the share of self-employed, which is larger where contract work is
#: rarer, and are fewer per commune (more chance spread): their own standing is drawn milder.
VOLUNTARY_SPREAD = 0.6


def _standing(rng: np.random.Generator, count: int) -> np.ndarray:
    """Per commune, a factor near 1 (see STANDING) with a few planted laggards and leaders."""
    draw = rng.random(count)
    behind = draw < STANDING["behind_share"]
    ahead = draw > 1 - STANDING["ahead_share"]
    return np.select(
        [behind, ahead],
        [rng.uniform(*STANDING["behind"], count), rng.uniform(*STANDING["ahead"], count)],
        rng.uniform(*STANDING["usual"], count),
    )


def _evasion(rng: np.random.Generator, population: np.ndarray, calibration: Calibration) -> np.ndarray:
    """Share of required workers whose employer does not pay: the province's 2.3%, 1–5% in most communes
    (never past 5%, so BHTN and compulsory BHXH stay within a plausible distance of the province's rate)."""
    mean = 1 - calibration.compulsory_participants / calibration.compulsory_required
    raw = rng.lognormal(0.0, 0.45, len(population))
    raw = raw / max((raw * population).sum() / max(population.sum(), 1), 1e-9)
    return np.clip(raw * mean, 0.004, 0.05)


def _hamlets(
    rng: np.random.Generator, communes: Sequence[CommuneSpec], population: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """5–15 hamlets per commune (bigger communes have more), with uneven sizes.

    Urban quarters are numbered "Khu vực 1…"; rural communes take Mekong hamlet names, a few split in two
    ("Ấp Nhơn Lộc 1", "Ấp Nhơn Lộc 2"), and some number theirs ("Ấp 1", "Ấp 2", … as in Hậu Giang).
    """
    names_out: list[str] = []
    weights: list[np.ndarray] = []
    owner: list[int] = []
    typical = max(float(np.median(population)), 1.0)
    for index, commune in enumerate(communes):  # a loop over communes (about a hundred), not persons
        count = int(np.clip(round(9 * (population[index] / typical) ** 0.35 + rng.normal(0, 1.5)), 5, 15))
        if commune.urban:
            hamlets = [f"Khu vực {n}" for n in range(1, count + 1)]
        elif rng.random() < 0.15:
            hamlets = [f"Ấp {n}" for n in range(1, count + 1)]
            if count < 15 and rng.random() < 0.5:  # a hamlet split in two: "Ấp 3A", "Ấp 3B"
                split = int(rng.integers(count))
                hamlets[split:split + 1] = [f"Ấp {split + 1}A", f"Ấp {split + 1}B"]
        else:
            hamlets = []
            for base in rng.permutation(len(names.HAMLETS)):
                if len(hamlets) >= count:
                    break
                name = names.HAMLETS[base]
                if count - len(hamlets) >= 2 and rng.random() < 0.2:
                    suffixes = ("1", "2") if rng.random() < 0.7 else ("A", "B")
                    hamlets += [f"Ấp {name} {suffix}" for suffix in suffixes]
                else:
                    hamlets.append(f"Ấp {name}")
        names_out += hamlets
        weights.append(rng.dirichlet(np.full(len(hamlets), 4.0)))
        owner += [index] * len(hamlets)
    return names_out, np.concatenate(weights), np.array(owner, dtype=np.int64)


def _employers(
    rng: np.random.Generator, per_commune: np.ndarray, province_code: str
) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Employers with valid 10-digit tax codes; sizes heavy-tailed, so each commune has a few big ones."""
    total = int(per_commune.sum())
    owner = np.repeat(np.arange(len(per_commune)), per_commune)
    weights = rng.lognormal(0.0, 1.4, total)
    prefixes = TAX_PREFIXES.get(province_code, ((province_code[1:], 1.0),))
    prefix = np.array([int(p) for p, _ in prefixes])[pick(rng, [w for _, w in prefixes], total)]
    serial = 1 + rng.choice(9_999_999, size=total * 2, replace=False)
    first_nine = prefix[np.arange(total * 2) % total] * 10_000_000 + serial
    check = tax_check_digit(first_nine)
    valid = check < 10
    first_nine, check = first_nine[valid][:total], check[valid][:total]
    codes = string_column(digit_strings(first_nine * 10 + check, 10))
    return codes, weights, owner


def _chunks(population: np.ndarray, target: int = 1_000_000) -> tuple[np.ndarray, ...]:
    """Consecutive communes grouped into chunks of about `target` persons."""
    chunks, current, size = [], [], 0
    for index, persons in enumerate(population):
        current.append(index)
        size += int(persons)
        if size >= target:
            chunks.append(np.array(current))
            current, size = [], 0
    if current:
        chunks.append(np.array(current))
    return tuple(chunks)
