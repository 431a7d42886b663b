"""Step 2 of a synthetic province: households drawn as elders + core adults + children with ages tied to
one another, kept or dropped so the population pyramid (by sex) matches, every member named; and who
moved into their commune, when and from where.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ansinh.demo.synthetic import names
from ansinh.demo.synthetic.arrays import pick, ranks_within
from ansinh.demo.synthetic.calibration import HOUSEHOLD_SIZES, MAKEUP, MALE_SHARE, OVERSAMPLE, PYRAMID
from ansinh.demo.synthetic.days import day_in

if TYPE_CHECKING:
    from ansinh.demo.synthetic.province import Province


_GRANDFATHER, _GRANDMOTHER, _FATHER, _MOTHER, _CHILD = range(5)


@dataclass
class People:
    """Persons of a chunk, household by household (arrays of equal length), plus their households."""

    commune: np.ndarray  # index into the province's communes
    household: np.ndarray  # 0.. in this chunk
    age: np.ndarray  # years on as_of (fractional)
    male: np.ndarray
    surname: np.ndarray  # index into names.SURNAMES
    household_commune: np.ndarray
    household_size: np.ndarray


def draw_households(rng: np.random.Generator, need: np.ndarray, commune: np.ndarray) -> People:
    """Candidate households for each commune of the chunk, then those kept to match the pyramid."""
    candidates = np.ceil(need * OVERSAMPLE / 3.5).astype(np.int64) + 3
    household_commune = np.repeat(commune, candidates)
    people = _compose(rng, household_commune)
    keep = _choose_for_pyramid(rng, people, need, commune)
    return _subset_people(people, keep)


def _compose(rng: np.random.Generator, household_commune: np.ndarray) -> People:
    """Members of each household with ages tied together: children from their mother, elders from her."""
    count = len(household_commune)
    size = pick(rng, HOUSEHOLD_SIZES, count) + 1
    elders, core = np.zeros(count, np.int64), np.zeros(count, np.int64)
    for bucket, makeup in MAKEUP.items():
        rows = np.flatnonzero(size == bucket if bucket < 4 else size >= 4)
        choice = pick(rng, list(makeup.values()), len(rows))
        elders[rows] = np.array([e for e, _ in makeup])[choice]
        core[rows] = np.array([c for _, c in makeup])[choice]
    children = size - elders - core

    total = int(size.sum())
    household = np.repeat(np.arange(count), size)
    start = np.cumsum(size) - size
    slot = np.arange(total) - start[household]
    is_elder = slot < elders[household]
    is_core = ~is_elder & (slot < (elders + core)[household])
    is_child = ~is_elder & ~is_core

    # Children: the youngest one's age, then 1–8 years between siblings.
    youngest = np.where(
        core > 0,
        np.where(rng.random(count) < 0.62, 15 * rng.beta(1, 1.2, count), rng.uniform(15, 32, count)),
        16 * rng.beta(1, 1.1, count),
    )
    gap = np.where(is_child & (slot > (elders + core)[household]), 1 + rng.gamma(2.0, 1.2, total), 0.0)
    running = np.cumsum(gap)
    first_child = np.minimum(start + elders + core, total - 1)
    child_age = youngest[household] + running - running[first_child][household]
    oldest = np.where(children > 0, child_age[start + size - 1], 0.0)

    # The core mother's age (or the age the absent mother would have), then everybody else's.
    first_birth = np.clip(rng.normal(25.5, 4.5, count), 17, 42)
    u = rng.random(count)
    mother = np.select(
        [children > 0, core == 0, elders > 0, core == 2],
        [oldest + first_birth, rng.uniform(30, 64, count), rng.uniform(22, 55, count),
         np.where(u < 0.6, rng.uniform(19, 33, count), rng.uniform(40, 60, count))],
        np.where(u < 0.7, rng.uniform(18, 45, count), rng.uniform(45, 60, count)),
    )
    older_husband = np.clip(rng.normal(3.5, 3.0, total), -4, 15)
    generation = np.clip(rng.normal(27.5, 4.5, count), 17, 45)
    core_slot = slot - elders[household]
    age = np.where(is_child, child_age, 0.0)
    husband = (core[household] == 2) & (core_slot == 0)
    age = np.where(is_core, mother[household] + np.where(husband, older_husband, 0), age)
    age = np.where(
        is_elder,
        mother[household] + generation[household] + np.where((elders[household] == 2) & (slot == 0), older_husband, 0),
        age,
    )
    age = np.where(age > 100, 95 + 5 * rng.random(total), age)

    # Sexes and roles: couples are a man and a woman; widowed elders and single parents mostly women.
    single_elder_male = rng.random(count) < 0.36
    single_core_male = np.where(children > 0, rng.random(count) < 0.28, rng.random(count) < 0.6)
    male = np.select(
        [is_child, is_elder & (elders[household] == 2), is_elder, is_core & (core[household] == 2)],
        [rng.random(total) < 0.527, slot == 0, single_elder_male[household], core_slot == 0],
        single_core_male[household],
    )
    role = np.select(
        [is_child, is_elder, is_core],
        [_CHILD, np.where(male, _GRANDFATHER, _GRANDMOTHER), np.where(male, _FATHER, _MOTHER)],
    ).astype(np.int8)
    surname = _surnames(rng, household, role, core, children)
    head_first = _head_order(rng, household, slot, elders, core)
    order = np.lexsort((head_first, household))
    return People(
        commune=household_commune[household][order],
        household=household[order],
        age=age[order],
        male=male[order],
        surname=surname[order],
        household_commune=household_commune,
        household_size=size,
    )


def _surnames(
    rng: np.random.Generator, household: np.ndarray, role: np.ndarray, core: np.ndarray, children: np.ndarray
) -> np.ndarray:
    """Children take the father's surname; wives keep their own; the head's father shares it too.

    A single mother's children carry her surname in a third of households; elders living with a couple
    are the husband's parents in 70% of households, otherwise the wife's (her father shares her surname).
    """
    count = len(core)
    lineage = pick(rng, names.SURNAMES[1], count)
    own = pick(rng, names.SURNAMES[1], len(role))
    mother_keeps_lineage = (core == 1) & (children > 0) & (rng.random(count) < 0.35)
    own = np.where((role == _MOTHER) & mother_keeps_lineage[household], lineage[household], own)
    mothers = np.flatnonzero(role == _MOTHER)
    mother_surname = np.full(count, -1)
    mother_surname[household[mothers]] = own[mothers]
    paternal = rng.random(count) < 0.7
    grandfather = np.where(
        paternal[household] | (mother_surname[household] < 0), lineage[household], mother_surname[household]
    )
    return np.select(
        [(role == _CHILD) | (role == _FATHER), role == _GRANDFATHER], [lineage[household], grandfather], own
    )


def _head_order(
    rng: np.random.Generator, household: np.ndarray, slot: np.ndarray, elders: np.ndarray, core: np.ndarray
) -> np.ndarray:
    """0 for the head of household, then the others in slot order.

    Elders head the household when there is no couple, and in 45% of three-generation households;
    otherwise the husband does (18% of couples register the wife).
    """
    count = len(core)
    core_head = np.where((core == 2) & (rng.random(count) < 0.18), elders + 1, elders)
    head = np.where((core == 0) | ((elders > 0) & (rng.random(count) < 0.45)), 0, core_head)
    return np.where(slot == head[household], 0, slot + 1)


def _choose_for_pyramid(
    rng: np.random.Generator, people: People, need: np.ndarray, communes: np.ndarray
) -> np.ndarray:
    """Persons kept: whole households, drawn with weights that pull the chunk onto the target pyramid.

    Weighted sampling without replacement (keys u^(1/w)) over the candidates of each commune, until the
    commune has exactly its number of persons (the last household loses its youngest members). The
    weights are refined a few times from what the previous draw kept.
    """
    band = np.minimum((people.age // 5).astype(np.int64), len(PYRAMID) - 1)
    cell = band * 2 + people.male
    target = np.column_stack([PYRAMID * (1 - MALE_SHARE), PYRAMID * MALE_SHARE]).ravel()
    households = len(people.household_size)
    log_weight = np.zeros(households)
    need_of = np.zeros(communes.max() + 1, dtype=np.int64)
    need_of[communes] = need
    keep = np.ones(len(cell), dtype=bool)
    member = ranks_within(people.household)
    for _ in range(5):
        share = np.bincount(cell[keep], minlength=len(target)) / max(keep.sum(), 1)
        ratio = np.log(np.maximum(target, 1e-6) / np.maximum(share, 1e-6))
        log_weight += 2.0 * np.bincount(people.household, weights=ratio[cell], minlength=households) / np.maximum(
            people.household_size, 1
        )
        key = np.log(rng.random(households)) / np.exp(log_weight - log_weight.max())
        order = np.lexsort((-key, people.household_commune))
        size = people.household_size[order]
        commune = people.household_commune[order]
        before = _cumulative_within(commune, size) - size  # persons of the commune drawn before this household
        room = np.zeros(households, dtype=np.int64)
        room[order] = np.clip(need_of[commune] - before, 0, size)
        keep = member < room[people.household]
    return keep


def _cumulative_within(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running totals of `values` that restart where `groups` (sorted) changes."""
    running = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    offset = (running - values)[starts]
    return running - np.repeat(offset, np.diff(np.r_[starts, len(groups)]))


def _subset_people(people: People, keep: np.ndarray) -> People:
    """Kept persons, households renumbered 0.. in commune order."""
    kept_households = np.unique(people.household[keep])
    renumber = np.full(len(people.household_size), -1)
    order = np.lexsort((kept_households, people.household_commune[kept_households]))
    renumber[kept_households[order]] = np.arange(len(kept_households))
    household = renumber[people.household[keep]]
    rows = np.argsort(household, kind="stable")
    household = household[rows]
    counts = np.bincount(household, minlength=len(kept_households))
    return People(
        commune=people.commune[keep][rows],
        household=household,
        age=people.age[keep][rows],
        male=people.male[keep][rows],
        surname=people.surname[keep][rows],
        household_commune=people.household_commune[kept_households[order]],
        household_size=counts,
    )


def draw_full_names(rng: np.random.Generator, male: np.ndarray, birth_year: np.ndarray, surname: np.ndarray) -> pa.Array:
    """Surname + middle + given name; the older the person, the likelier a traditional name."""
    modern = rng.random(len(male)) < np.clip((birth_year - 1975) / 35, 0.0, 1.0)
    pools = (
        (male & ~modern, names.MIDDLE_MALE_TRADITIONAL, names.GIVEN_MALE_TRADITIONAL),
        (male & modern, names.MIDDLE_MALE_MODERN, names.GIVEN_MALE_MODERN),
        (~male & ~modern, names.MIDDLE_FEMALE_TRADITIONAL, names.GIVEN_FEMALE_TRADITIONAL),
        (~male & modern, names.MIDDLE_FEMALE_MODERN, names.GIVEN_FEMALE_MODERN),
    )
    middle_words: list[str] = []
    given_words: list[str] = []
    middle = np.empty(len(male), dtype=np.int64)
    given = np.empty(len(male), dtype=np.int64)
    for mask, middles, givens in pools:
        rows = np.flatnonzero(mask)
        middle[rows] = len(middle_words) + pick(rng, middles[1], len(rows))
        offset = len(given_words)
        given[rows] = offset + pick(rng, givens[1], len(rows))
        # Nobody is called "Trần Thị Ngọc Ngọc": a given name that repeats the middle one is drawn again.
        repeated = np.array([m.split()[-1] for m in middle_words + list(middles[0])])
        for _ in range(4):
            clash = rows[repeated[middle[rows]] == np.array(given_words + list(givens[0]))[given[rows]]]
            if not len(clash):
                break
            given[clash] = offset + pick(rng, givens[1], len(clash))
        middle_words += middles[0]
        given_words += givens[0]
    return pc.binary_join_element_wise(
        pc.take(pa.array(names.SURNAMES[0]), surname),
        pc.take(pa.array(middle_words), middle),
        pc.take(pa.array(given_words), given),
        " ",
    )


def moves(
    rng: np.random.Generator, province: Province, people: People, birth: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Who came to live in their commune, when, and from where.

    In the year before as_of about 1.5% of persons came from another commune of the province (whole
    households and single young adults), 0.3% from another province; 7% moved years ago.
    """
    cal = province.calendar
    n = len(birth)
    households = len(people.household_size)
    recent_h = rng.random(households) < 0.008
    older_h = rng.random(households) < 0.05
    young_adult = (people.age >= 18) & (people.age < 40)
    recent = recent_h[people.household] | (young_adult & (rng.random(n) < 0.027))
    older = ~recent & (older_h[people.household] | (rng.random(n) < 0.02))
    day_h = day_in(rng, cal.as_of - 364, cal.as_of, households)
    old_day_h = cal.as_of - 365 - rng.integers(0, 365 * 20, households)
    day = np.where(recent_h[people.household], day_h[people.household], day_in(rng, cal.as_of - 364, cal.as_of, n))
    old_day = cal.as_of - 365 - rng.integers(0, 365 * 20, n)
    old_day = np.where(older_h[people.household], old_day_h[people.household], old_day)
    day = np.where(recent, day, old_day)
    moved = (recent | older) & (day > birth)
    # A household that moved together came from one place.
    together = (recent_h | older_h)[people.household]
    from_outside = np.where(recent, rng.random(n) < 0.17, rng.random(n) < 0.5)
    household_from_outside = rng.random(households) < np.where(recent_h, 0.17, 0.5)
    from_outside = np.where(together, household_from_outside[people.household], from_outside)
    count = len(province.communes)
    household_previous = pick(rng, province.persons + 1, households)
    previous = np.where(together, household_previous[people.household], pick(rng, province.persons + 1, n))
    previous = np.where(previous == people.commune, (previous + 1) % count, previous)
    no_previous = ~moved | from_outside | (count < 2)
    return np.where(moved, day, 0), np.where(no_previous, -1, previous)  # 0 / -1: none


def serial_in_commune(commune: np.ndarray, hamlet: np.ndarray) -> np.ndarray:
    """1, 2, 3, … for the households of each commune, hamlet after hamlet."""
    listed = np.lexsort((np.arange(len(hamlet)), hamlet, commune))
    serial = np.empty(len(hamlet), dtype=np.int64)
    serial[listed] = _cumulative_within(commune[listed], np.ones(len(hamlet), np.int64))
    return serial
