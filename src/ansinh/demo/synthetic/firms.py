"""The world of a synthetic province's employers: enterprises, branches and BHXH units, who is where, who
declares how many workers, the zone and union lists, and when each unit opened, closed or was suspended.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from ansinh.demo.synthetic import firm_names as fn
from ansinh.demo.synthetic.arrays import digit_strings, largest_remainder, pick, string_column
from ansinh.demo.synthetic.days import month_of
from ansinh.demo.synthetic.firm_world import ABRIDGED_KEY, ACTIVE, BANKRUPT, BRANCH_OWN_UNIT, BRANCHES_PER_BRANCHING, BRANCHING, CLOSED, CLOSED_ACTIVE, CODE, DISSOLVED, MISSING, MISSING_KEY, MOVED, MOVED_KEY, NAME_VARIANT_SHARES, NEVER, SUSPENDED, SUSPENDED_AT_BHXH, TAX_STATUS_SHARES, TYPO, TYPO_ABRIDGED, TYPO_KEY, UNDER_DECLARED, UNIONS, UNIT_ACTIVE, UNIT_CLOSED, UNIT_ONLY, UNIT_ONLY_KEY, UNIT_SUSPENDED, UNREGISTERED_PER_REGISTERED, World, WRONG, WRONG_KEY, ZONES
from ansinh.demo.synthetic.ids import tax_check_digit

if TYPE_CHECKING:
    from ansinh.demo.synthetic.firm_world import LedgerCalendar, Places


def draw_world(
    rng: np.random.Generator, n_tax: int, n_units: int, places: Places, cal: LedgerCalendar, province_code: str
) -> World:
    n_parents = int(round(n_tax / (1 + BRANCHING * BRANCHES_PER_BRANCHING)))
    n_branches = n_tax - n_parents
    legal = pick(rng, [f.share for f in fn.LEGAL_FORMS], n_parents)
    status = pick(rng, TAX_STATUS_SHARES, n_parents)
    commune = pick(rng, places.weights, n_parents)

    # Branches: ~3% of parents (no cooperatives), 1.5 each on average.
    eligible = np.flatnonzero(legal != fn.HTX)
    branching = np.sort(rng.choice(eligible, min(n_branches, max(1, round(BRANCHING * n_parents)), len(eligible)),
                                   replace=False)) if n_branches else np.zeros(0, np.int64)
    counts = 1 + rng.multinomial(n_branches - len(branching), np.full(len(branching), 1 / max(len(branching), 1))) \
        if len(branching) else np.zeros(0, np.int64)
    branch_parent = np.repeat(branching, counts)
    branch_k = np.arange(n_branches) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    parent = np.concatenate([np.arange(n_parents), branch_parent])
    k = np.concatenate([np.zeros(n_parents, np.int64), branch_k])
    status = status[parent]
    alone = (k > 0) & (status == ACTIVE) & (rng.random(n_tax) < 0.05)
    status[alone] = DISSOLVED
    commune = np.where((k > 0) & (rng.random(n_tax) < 0.5), pick(rng, places.weights, n_tax), commune[parent])

    # Units: slots first (codes sorted), then which records hold them.
    n_public = int(round(UNIT_ONLY * n_units))
    n_matched = n_units - n_public
    unit_codes, public_slot = _unit_codes(rng, n_matched, n_public)
    n_ca = int(round(CLOSED_ACTIVE * n_units))
    n_closed = int(round(CLOSED * n_matched))
    n_susp = int(round(SUSPENDED_AT_BHXH * n_matched))
    n_active = n_matched - n_ca - n_closed - n_susp
    taken = np.zeros(n_parents, dtype=bool)
    is_parent_status = [status[:n_parents] == s for s in range(4)]
    inactive = ~is_parent_status[ACTIVE]

    def take(pool: np.ndarray, count: int) -> np.ndarray:
        free = np.flatnonzero(pool & ~taken)
        if count > len(free):
            raise ValueError("too many units for the tax records: raise tax_records or lower units")
        chosen = rng.choice(free, count, replace=False) if count else np.zeros(0, np.int64)
        taken[chosen] = True
        return chosen

    ca = take(inactive, n_ca)
    closed_parts = largest_remainder(n_closed, np.array([0.7, 0.15, 0.15]))
    closed = np.concatenate([
        take(is_parent_status[DISSOLVED] | is_parent_status[BANKRUPT], int(closed_parts[0])),
        take(is_parent_status[SUSPENDED], int(closed_parts[1])),
        take(is_parent_status[ACTIVE], int(closed_parts[2])),
    ])
    susp_parts = largest_remainder(n_susp, np.array([0.8, 0.2]))
    suspended = np.concatenate([take(is_parent_status[SUSPENDED], int(susp_parts[0])),
                                take(is_parent_status[ACTIVE], int(susp_parts[1]))])
    # Active units: registered parents and, for half their active branches, the branch's own unit; the
    # prefix of a random order whose units add up exactly.
    branch_records = np.arange(n_parents, n_tax)
    own_unit_branch = (status[branch_records] == ACTIVE) & (rng.random(n_branches) < BRANCH_OWN_UNIT)
    own = np.bincount(branch_parent, weights=own_unit_branch, minlength=n_parents).astype(np.int64)
    free = np.flatnonzero(is_parent_status[ACTIVE] & ~taken)
    order = rng.permutation(free)
    cumulative = np.cumsum(1 + own[order])
    prefix = int(np.searchsorted(cumulative, n_active, side="right"))
    remainder = n_active - (int(cumulative[prefix - 1]) if prefix else 0)
    fill = order[prefix:][own[order[prefix:]] == 0][:remainder]
    if len(fill) < remainder:
        raise ValueError("too many units for the tax records: raise tax_records or lower units")
    registered = np.concatenate([order[:prefix], fill])
    taken[registered] = True
    own_branches = branch_records[own_unit_branch & np.isin(branch_parent, registered)]

    # Which record each enterprise slot holds; slots in random order so unit codes say nothing.
    holders = np.concatenate([registered, own_branches, ca, closed, suspended])
    holder_status = np.concatenate([
        np.full(len(registered) + len(own_branches) + len(ca), UNIT_ACTIVE),
        np.full(len(closed), UNIT_CLOSED), np.full(len(suspended), UNIT_SUSPENDED),
    ])
    enterprise_slots = rng.permutation(np.flatnonzero(~public_slot))
    unit_of = np.full(n_tax, -1, np.int64)
    unit_of[holders] = enterprise_slots
    unit_entity = np.empty(n_units, np.int64)
    unit_entity[enterprise_slots] = holders
    unit_entity[public_slot] = n_tax + np.arange(n_public)
    unit_status = np.zeros(n_units, np.int64)
    unit_status[enterprise_slots] = holder_status
    public_closed = public_slot & (rng.random(n_units) < 0.05)
    unit_status[public_closed] = UNIT_CLOSED

    # Branches of registered parents without their own unit are in the parent's unit.
    # A branch without a unit of its own belongs to its parent's unit, if the parent has one; its workers are
    # declared there while both are operating.
    covered_by = np.full(n_tax, -1, np.int64)
    belongs = (k > 0) & (unit_of == -1) & (unit_of[parent] >= 0)
    covered_by[belongs] = unit_of[parent[belongs]]
    covering = belongs & (status == ACTIVE) & np.isin(parent, registered)

    # Unregistered: one for every four registered parents, among the other active parents.
    free = np.flatnonzero(is_parent_status[ACTIVE] & ~taken)
    unregistered = rng.choice(free, min(len(free), int(round(UNREGISTERED_PER_REGISTERED * len(registered)))),
                              replace=False)
    employing = np.zeros(n_tax, dtype=bool)
    employing[unregistered] = True
    employing |= (k > 0) & employing[parent] & (status == ACTIVE)

    # Workers: a long tail (median 8 for registered enterprises, a few with thousands).
    form_factor = np.array([1.0, 0.9, 1.8, 0.5, 0.6, 4.0])[legal[parent]]
    size = np.ceil(rng.lognormal(np.log(7.4), 1.25, n_tax) * form_factor)
    size = np.where(k > 0, np.ceil(rng.lognormal(np.log(5.0), 1.0, n_tax)), size)
    size = np.where(employing, np.ceil(rng.lognormal(np.log(3.0), 0.9, n_tax) * np.where(k > 0, 0.8, 1.0)), size)
    true_workers = np.clip(size, 1, 40_000).astype(np.int64)
    has_unit = unit_of >= 0
    true_workers[~(has_unit | employing | covering)] = 0

    # Established, closed: ages skewed young; 8% of active parents registered within the year.
    as_of = cal.as_of
    young = (status == ACTIVE) & (rng.random(n_tax) < 0.08) & (k == 0)
    age = np.minimum(rng.exponential(7 * 365, n_tax), 30 * 365).astype(np.int64) + 365
    established = np.where(young, rng.integers(cal.window, as_of + 1, n_tax), as_of - age)
    established = np.where(status == ACTIVE, established, established - 365)
    branch_age = rng.random(n_tax)
    established = np.where(k > 0, established[parent] + (branch_age * (as_of - established[parent] - 30)).astype(
        np.int64), established)
    in_year_share = np.array([0.0, 0.4, 0.25, 0.3])[status]
    planted_ca = np.zeros(n_tax, dtype=bool)
    planted_ca[ca] = True
    in_year_share = np.where(planted_ca, 0.6, in_year_share)
    recent = rng.random(n_tax) < in_year_share
    earliest_recent = np.maximum(cal.window, established + 30)
    recent &= earliest_recent <= as_of
    recent_day = earliest_recent + (rng.random(n_tax) * (as_of - earliest_recent + 1)).astype(np.int64)
    earliest = established + 180
    older_day = earliest + (rng.random(n_tax) * np.maximum(cal.window - 1 - earliest, 0)).astype(np.int64)
    older_day = np.minimum(older_day, cal.window - 1)
    closed_on = np.where(status == ACTIVE, 0, np.where(recent | (older_day <= established), recent_day, older_day))
    closed_on = np.where((status != ACTIVE) & (closed_on <= established), np.maximum(established + 1, cal.window),
                         closed_on)
    closed_on = np.where((k > 0) & ~alone & (status != ACTIVE), closed_on[parent], closed_on)
    closed_on = np.where(closed_on > as_of, as_of, closed_on)
    # Resumptions within the year (3% of older active parents, half after a suspension within the year);
    # dissolutions within the year after a suspension (30% of those).
    resumed = (k == 0) & (status == ACTIVE) & ~young & (established < cal.window - 60) & (rng.random(n_tax) < 0.03)
    resumed_on = np.where(resumed, rng.integers(cal.window + 30, as_of + 1, n_tax), 0)
    suspended_before = np.where(resumed & (rng.random(n_tax) < 0.5),
                                cal.window + (rng.random(n_tax) * np.maximum(resumed_on - 15 - cal.window, 1)).astype(
                                    np.int64), 0)
    dissolved_recent = (k == 0) & (status == DISSOLVED) & (closed_on >= cal.window + 60) & (rng.random(n_tax) < 0.3)
    before_dissolving = cal.window + (rng.random(n_tax) * (closed_on - 30 - cal.window)).astype(np.int64)
    suspended_before = np.where(dissolved_recent, before_dissolving, suspended_before)
    suspended_before = np.where(suspended_before > established, suspended_before, 0)

    # Tax codes: the province's prefixes, serials in order of registration; the public units' codes come
    # from the same draw (never on the tax list, never equal to an enterprise's).
    base_codes = _tax_codes(rng, n_parents + n_public, province_code)
    parent_order = np.argsort(established[:n_parents], kind="stable")
    enterprise_codes = np.empty(n_parents, np.int64)
    enterprise_codes[parent_order] = np.sort(base_codes[:n_parents])
    public_codes = base_codes[n_parents:]
    tax_code = enterprise_codes[parent]

    world = World(
        parents=n_parents, parent=parent, branch_k=k, legal=np.concatenate([legal[parent], np.full(n_public, -1)]),
        status=status, commune=commune, established=established, closed_on=closed_on, resumed_on=resumed_on,
        suspended_before=suspended_before, tax_workers=np.zeros(n_tax, np.int64), true_workers=true_workers,
        tax_code=tax_code, unit_of=unit_of, covered_by=covered_by, zone=np.full(n_tax, -1, np.int64),
        union_members=np.zeros(n_tax, np.int64), unit_codes=unit_codes, unit_entity=unit_entity,
        unit_status=unit_status, unit_workers=np.zeros(n_units, np.int64),
        unit_history_workers=np.zeros(n_units, np.int64), unit_key=np.zeros(n_units, np.int64),
        unit_name_variant=np.zeros(n_units, np.int64), unit_commune=np.zeros(n_units, np.int64),
        unit_tax_code=np.zeros(n_units, np.int64), unit_closed_month=np.zeros(n_units, np.int64),
        unit_opened_month=np.zeros(n_units, np.int64), unit_stops_paying=np.zeros(n_units, np.int64),
        under_declared=np.zeros(n_units, dtype=bool),
    )
    _draw_public(rng, world, places, public_slot, public_codes, cal)
    _draw_unit_kinds(rng, world, places, public_slot, planted_ca)
    _draw_workers(rng, world)
    _draw_zones_and_unions(rng, world, places, province_code)
    _draw_unit_dates(rng, world, cal, planted_ca)
    return world


def _unit_codes(rng: np.random.Generator, enterprises: int, public: int) -> tuple[pa.Array, np.ndarray]:
    """Unique codes "TA0123A" (2 letters, 4 digits, 1 letter), sorted; and which ones are public bodies."""
    per_prefix = 10_000 * 26
    parts, flags = [], []
    for prefixes, count, flag in ((fn.UNIT_PREFIXES, enterprises, False), (fn.PUBLIC_UNIT_PREFIXES, public, True)):
        if count > len(prefixes) * per_prefix:
            raise ValueError("too many units for the unit code space")
        drawn = rng.choice(len(prefixes) * per_prefix, count, replace=False)
        letters = np.array([[ord(p[0]), ord(p[1])] for p in prefixes], dtype=np.int64)[drawn // per_prefix]
        rows = np.empty((count, 7), dtype=np.uint8)
        rows[:, :2] = letters
        rows[:, 2:6] = digit_strings((drawn // 26) % 10_000, 4)
        rows[:, 6] = 65 + drawn % 26
        parts.append(rows)
        flags.append(np.full(count, flag))
    rows = np.concatenate(parts)
    flag = np.concatenate(flags)
    keys = rows.astype(np.int64) @ (256 ** np.arange(6, -1, -1, dtype=np.int64))
    order = np.argsort(keys, kind="stable")
    return string_column(rows[order]), flag[order]


def _tax_codes(rng: np.random.Generator, count: int, province_code: str) -> np.ndarray:
    """`count` unique valid 10-digit tax codes (as numbers) with the province's prefixes, in random order."""
    prefixes = fn.TAX_PREFIXES.get(province_code, ((province_code, 1.0),))
    per_prefix = largest_remainder(count, np.array([share for _, share in prefixes]))
    parts = []
    for (prefix, _), need in zip(prefixes, per_prefix, strict=True):
        need = int(need)
        if not need:
            continue
        draw = min(9_999_999, int(need * 1.2) + 64)
        if need > draw * 0.85:
            raise ValueError("too many tax codes for one prefix")
        serial = 1 + rng.choice(9_999_999, draw, replace=False)
        first_nine = int(prefix) * 10_000_000 + serial
        check = tax_check_digit(first_nine)
        keep = check < 10
        parts.append((first_nine[keep] * 10 + check[keep])[:need])
    codes = np.concatenate(parts)
    return codes[rng.permutation(len(codes))]


def _draw_public(
    rng: np.random.Generator, world: World, places: Places, public_slot: np.ndarray, codes: np.ndarray,
    cal: LedgerCalendar,
) -> None:
    """Schools, health stations, notaries …: BHXH units that are no enterprise on the tax list."""
    n_public = len(codes)
    kinds = pick(rng, [kind[3] for kind in fn.PUBLIC_KINDS], n_public)
    world.public_kind = kinds
    world.commune = np.concatenate([world.commune, pick(rng, places.weights, n_public)])
    world.established = np.concatenate([world.established, cal.as_of - rng.integers(3 * 365, 40 * 365, n_public)])
    slots = np.flatnonzero(public_slot)
    # Public units carry their own tax code four times in five.
    world.unit_tax_code[slots] = np.where(rng.random(n_public) < 0.8, codes, -1)


def _draw_unit_kinds(
    rng: np.random.Generator, world: World, places: Places, public_slot: np.ndarray, planted_ca: np.ndarray
) -> None:
    """How each unit is written against its tax record: the planted kinds of the docstring of employers.py."""
    n_units = len(world.unit_entity)
    world.unit_key[public_slot] = UNIT_ONLY_KEY
    records = world.unit_entity
    enterprise = ~public_slot
    record = np.where(enterprise, records, 0)
    branch = enterprise & (world.branch_k[record] > 0)
    closed_active = enterprise & planted_ca[record]
    # Typos and moves: parents' units that are not closed outside.
    pool = np.flatnonzero(enterprise & ~branch & ~closed_active)
    pool = rng.permutation(pool)
    n_typo = int(round(TYPO * n_units))
    n_abridged = int(round(TYPO_ABRIDGED * n_typo))
    n_moved = int(round(MOVED * n_units)) if len(places.names) > 1 else 0
    cut = np.cumsum([n_typo - n_abridged, n_abridged, n_moved])
    world.unit_key[pool[:cut[0]]] = TYPO_KEY
    world.unit_key[pool[cut[0]:cut[1]]] = ABRIDGED_KEY
    world.unit_key[pool[cut[1]:cut[2]]] = MOVED_KEY
    rest = rng.permutation(np.flatnonzero(enterprise & (world.unit_key == CODE)))
    n_missing = int(round(MISSING * n_units))
    n_wrong = int(round(WRONG * n_units))
    world.unit_key[rest[:n_missing]] = MISSING_KEY
    world.unit_key[rest[n_missing:n_missing + n_wrong]] = WRONG_KEY
    world.unit_name_variant[:] = pick(rng, NAME_VARIANT_SHARES, n_units)
    world.unit_name_variant[np.isin(world.unit_key, [TYPO_KEY, ABRIDGED_KEY]) | public_slot] = 0

    # Commune: the record's; moved units are still where the enterprise was.
    world.unit_commune[:] = world.commune[records]
    moved = world.unit_key == MOVED_KEY
    world.unit_commune[moved] = places.other(rng, world.unit_commune[moved])

    # Tax code as BHXH holds it.
    code = np.where(enterprise, world.tax_code[record], world.unit_tax_code)
    missing = np.isin(world.unit_key, [MISSING_KEY, TYPO_KEY, ABRIDGED_KEY, MOVED_KEY])
    code = np.where(missing, -1, code)
    wrong = np.flatnonzero(world.unit_key == WRONG_KEY)
    code[wrong] = _mistype(rng, code[wrong], np.concatenate([world.tax_code, world.unit_tax_code[public_slot]]))
    world.unit_tax_code[:] = code


def _mistype(rng: np.random.Generator, codes: np.ndarray, existing: np.ndarray) -> np.ndarray:
    """Each code with one digit changed, never into a code that exists."""
    out = codes.copy()
    todo = np.arange(len(codes))
    powers = 10 ** np.arange(9, -1, -1, dtype=np.int64)
    while len(todo):
        position = rng.integers(0, 10, len(todo))
        power = powers[position]
        digit = (codes[todo] // power) % 10
        new_digit = (digit + rng.integers(1, 10, len(todo))) % 10
        out[todo] = codes[todo] + (new_digit - digit) * power
        todo = todo[np.isin(out[todo], existing)]
    return out


def _draw_workers(rng: np.random.Generator, world: World) -> None:
    """Workers at BHXH and on the payroll declarations; the under-declared units."""
    n_units = len(world.unit_entity)
    enterprise = world.unit_key != UNIT_ONLY_KEY
    record = np.where(enterprise, world.unit_entity, 0)
    true_w = np.where(enterprise, world.true_workers[record], 0)
    public = ~enterprise
    true_w = np.where(public, np.clip(np.ceil(rng.lognormal(np.log(12.0), 0.8, n_units)), 1, 3000), true_w).astype(
        np.int64)
    # A parent's unit also declares the workers of its branches that have no unit of their own.
    covered = np.flatnonzero(world.covered_by >= 0)
    extra = np.bincount(world.covered_by[covered], weights=world.true_workers[covered], minlength=n_units).astype(
        np.int64)
    active = world.unit_status == UNIT_ACTIVE
    history = true_w + extra
    world.unit_history_workers[:] = history
    world.unit_workers[:] = np.where(world.unit_status == UNIT_CLOSED, 0, history)

    # Tax payroll workers: the same or fewer, never more, except for the under-declared.
    record_status = world.status[record]
    tax_w = np.where(rng.random(n_units) < 0.3, np.floor(true_w * rng.uniform(0.3, 1.0, n_units)), true_w).astype(
        np.int64)
    tax_w = np.where(active & (record_status == ACTIVE), tax_w, 0)
    eligible = np.flatnonzero(
        active & enterprise & (record_status == ACTIVE) & np.isin(world.unit_key, [CODE, MISSING_KEY, WRONG_KEY])
        & (extra == 0) & (true_w >= 2)
    )
    chosen = rng.choice(eligible, min(len(eligible), int(round(UNDER_DECLARED * n_units))), replace=False)
    gap = np.maximum(1, np.round(true_w[chosen] * rng.uniform(0.1, 0.5, len(chosen)))).astype(np.int64)
    gap = np.minimum(gap, true_w[chosen] - 1)
    world.unit_workers[chosen] = true_w[chosen] - gap
    world.unit_history_workers[chosen] = true_w[chosen] - gap
    tax_w[chosen] = true_w[chosen]
    world.under_declared[chosen] = True
    world.tax_workers[record[enterprise]] = tax_w[enterprise]
    # Records without a unit: unregistered firms and branches declare their payroll; others none.
    no_unit = world.unit_of < 0
    world.tax_workers[no_unit] = np.where(world.status[no_unit] == ACTIVE, world.true_workers[no_unit], 0)


def _draw_zones_and_unions(rng: np.random.Generator, world: World, places: Places, province_code: str) -> None:
    """2% of active employing enterprises are in a zone (moved there), 10% have a union."""
    n = world.records
    parent = world.branch_k == 0
    unit = world.unit_of
    unit_safe = np.maximum(unit, 0)
    registered = (unit >= 0) & (world.unit_status[unit_safe] == UNIT_ACTIVE)
    candidates = parent & (world.status == ACTIVE) & (world.true_workers > 0)
    # Typo'd and moved units stay out of the zones, whose commune is the zone's.
    keyed = np.isin(world.unit_key[unit_safe], [TYPO_KEY, ABRIDGED_KEY, MOVED_KEY]) & (unit >= 0)
    pool = np.flatnonzero(candidates & ~keyed)
    weights = np.sqrt(world.true_workers[pool]) * np.where(registered[pool], 2.0, 1.0)
    count = min(len(pool), int(round(ZONES * candidates.sum())))
    zoned = pool[_weighted_sample(rng, weights, count)]
    zones = fn.ZONES.get(province_code)
    if zones:
        names = tuple(name for name, _ in zones)
        communes = np.array([_commune_like(places, hint, i) for i, (_, hint) in enumerate(zones)])
    else:
        top = np.argsort(-places.weights, kind="stable")[:6]
        names = tuple(f"Khu công nghiệp {places.short[c]}" for c in top)
        communes = top
    zone = pick(rng, np.linspace(2.0, 1.0, len(names)), len(zoned))
    world.zone[zoned] = zone
    world.zone_names = names
    world.zone_communes = communes
    world.commune[zoned] = communes[zone]
    has = unit[zoned] >= 0
    world.unit_commune[unit[zoned[has]]] = communes[zone[has]]
    # One zone row in ten counts a few more workers (seasonal ones) than the enterprise has on its books.
    plain_unit = (unit >= 0) & ~world.under_declared[unit_safe]
    world.zone_extra = np.where((world.zone >= 0) & plain_unit & (rng.random(n) < 0.1), rng.integers(1, 30, n), 0)

    pool = np.flatnonzero(candidates)
    weights = world.true_workers[pool] ** 0.7 * np.where(registered[pool], 3.0, 1.0)
    count = min(len(pool), int(round(UNIONS * candidates.sum())))
    unions = pool[_weighted_sample(rng, weights, count)]
    world.union_members[unions] = np.maximum(
        1, np.round(world.true_workers[unions] * rng.uniform(0.45, 1.0, len(unions)))).astype(np.int64)


def _weighted_sample(rng: np.random.Generator, weights: np.ndarray, count: int) -> np.ndarray:
    """`count` distinct indices, heavier ones first more often (Efraimidis–Spirakis keys)."""
    if count <= 0:
        return np.zeros(0, np.int64)
    keys = np.log(rng.random(len(weights))) / np.maximum(weights, 1e-12)
    return np.argpartition(-keys, count - 1)[:count]


def _commune_like(places: Places, hint: str, fallback: int) -> int:
    for index, short in enumerate(places.short[:-1]):
        if fn.folded(hint) in fn.folded(short):
            return index
    return int(np.argsort(-places.weights, kind="stable")[fallback % len(places.names)])


def _draw_unit_dates(rng: np.random.Generator, world: World, cal: LedgerCalendar, planted_ca: np.ndarray) -> None:
    """When each unit opened at BHXH, when it closed or was suspended, and when a closed-outside one stopped
    paying (all as month indices)."""
    n_units = len(world.unit_entity)
    never = cal.last + NEVER
    established = world.established[world.unit_entity]
    lag = np.floor(rng.exponential(5.0, n_units)).astype(np.int64)
    opened = np.minimum(month_of(established) + lag, cal.last)
    enterprise = world.unit_key != UNIT_ONLY_KEY
    record = np.where(enterprise, world.unit_entity, 0)
    closed_on = np.where(enterprise, world.closed_on[record], 0)
    active = world.unit_status == UNIT_ACTIVE
    stopped = ~active
    # Closed or suspended at BHXH a month or two after the tax record; those still active on the tax list
    # (with nobody on the payroll) or public stopped at some point in the last six years.
    stop = np.where(closed_on > 0, month_of(np.maximum(closed_on, 1)) + rng.integers(0, 3, n_units),
                    cal.last - rng.integers(0, 72, n_units))
    stop = np.minimum(stop, cal.last)
    opened = np.where(stopped, np.minimum(opened, stop - 1), opened)
    world.unit_opened_month[:] = opened
    world.unit_closed_month[:] = np.where(stopped, stop, never)
    ca = enterprise & planted_ca[record] & active
    stops = ca & (rng.random(n_units) < 0.6)
    world.unit_stops_paying[:] = np.where(stops, np.maximum(month_of(np.maximum(closed_on, 1)) + 1, opened), never)
