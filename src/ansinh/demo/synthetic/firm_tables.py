"""The employer datasets of schema.py (units, tax, changes, zones, unions) built from the world, and the
truth table that says what was planted in each outside record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ansinh.demo.synthetic import firm_names as fn
from ansinh.demo.synthetic.arrays import date_column, digit_strings, pick, string_column
from ansinh.demo.synthetic.firm_naming import addresses, written_names
from ansinh.demo.synthetic.firm_world import ABRIDGED_KEY, ACTIVE, BANKRUPT, CODE, DISSOLVED, FINDINGS, KEYS, MISSING_KEY, MOVED_KEY, NAME_VARIANT_SHARES, NAME_VARIANTS, SUSPENDED, TRUTH_SCHEMA, TYPO_KEY, UNIT_ACTIVE, UNIT_CLOSED, UNIT_ONLY_KEY, UNIT_SUSPENDED
from ansinh.employers.schema import CHANGE_KINDS, TAX_STATUSES, UNIT_STATUSES

if TYPE_CHECKING:
    from ansinh.demo.synthetic.firm_naming import Vocabulary
    from ansinh.demo.synthetic.firm_world import LedgerCalendar, Places, World


def _code_strings(number: np.ndarray, branch_k: np.ndarray) -> pa.Array:
    """10-digit tax codes, "-00k" appended for branches; null where number < 0."""
    rows = np.full((len(number), 14), 32, dtype=np.uint8)
    rows[:, :10] = digit_strings(np.maximum(number, 0), 10)
    branch = branch_k > 0
    rows[branch, 10] = ord("-")
    rows[branch, 11:] = digit_strings(branch_k[branch], 3)
    text = pc.utf8_rtrim_whitespace(string_column(rows))
    return pc.if_else(pa.array(number < 0), pa.scalar(None, pa.string()), text)


def draw_tables(
    rng: np.random.Generator, world: World, vocab: Vocabulary, places: Places, cal: LedgerCalendar, province_code: str
) -> tuple[dict[str, pa.Table], pa.Table, dict[str, int]]:
    n_tax = world.records
    n_units = len(world.unit_entity)
    records = np.arange(n_tax)
    unit_safe = np.maximum(world.unit_of, 0)
    has_unit = world.unit_of >= 0

    # Tax registry: canonical names, ordered by tax code.
    tax_names = written_names(rng, world, vocab, places, records, np.zeros(n_tax, np.int64))
    tax_codes = _code_strings(world.tax_code, world.branch_k)
    zone_of = world.zone
    tax_address = addresses(rng, world, places, world.commune[:n_tax], zone_of)
    tax_order = np.lexsort((world.branch_k, world.tax_code))
    position = np.empty(n_tax, np.int64)
    position[tax_order] = np.arange(n_tax)
    commune_codes = places.codes
    tax = pa.table({
        "tax_code": tax_codes,
        "name": tax_names,
        "address": tax_address,
        "commune_code": commune_codes.take(pa.array(world.commune[:n_tax])),
        "status": pa.array(TAX_STATUSES).take(pa.array(world.status)),
        "workers": pa.array(world.tax_workers.astype(np.int32)),
    }).take(pa.array(tax_order))

    # Units.
    entity = world.unit_entity
    key = world.unit_key
    unit_names = written_names(rng, world, vocab, places, entity, world.unit_name_variant,
                        typo=np.isin(key, [TYPO_KEY, ABRIDGED_KEY]), abridged=key == ABRIDGED_KEY)
    moved = key == MOVED_KEY
    unit_address = tax_address.take(pa.array(np.where(key == UNIT_ONLY_KEY, 0, entity)))
    other = np.flatnonzero(moved | (key == UNIT_ONLY_KEY))
    if len(other):
        fresh = addresses(rng, world, places, world.unit_commune[other], np.full(len(other), -1))
        mask = np.zeros(n_units, dtype=bool)
        mask[other] = True
        scatter = np.zeros(n_units, np.int64)
        scatter[other] = np.arange(len(other))
        unit_address = pc.if_else(pa.array(mask), fresh.take(pa.array(scatter)), unit_address)
    enterprise = key != UNIT_ONLY_KEY
    record = np.where(enterprise, entity, 0)
    branch_k = np.where(enterprise, world.branch_k[record], 0)
    trade = world.trade[entity]
    public_kind = vocab.public_kind_of_trade[trade]
    ownership_labels = [f.ownership for f in fn.LEGAL_FORMS] + [k[2] for k in fn.PUBLIC_KINDS]
    ownership = np.where(enterprise, world.legal[entity], len(fn.LEGAL_FORMS) + np.maximum(public_kind, 0))
    units = pa.table({
        "unit_code": world.unit_codes,
        "tax_code": _code_strings(world.unit_tax_code, branch_k),
        "name": unit_names,
        "address": unit_address,
        "commune_code": commune_codes.take(pa.array(world.unit_commune)),
        "sector": vocab.sectors.take(pa.array(trade)),
        "ownership": pa.array(ownership_labels).take(pa.array(ownership)),
        "workers": pa.array(world.unit_workers.astype(np.int32)),
        "status": pa.array(UNIT_STATUSES).take(pa.array(world.unit_status)),
    })

    # Truth for the tax records.
    unit_active = has_unit & (world.unit_status[unit_safe] == UNIT_ACTIVE)
    tax_active = world.status == ACTIVE
    covered = world.covered_by >= 0
    finding = np.full(n_tax, -1, np.int64)
    finding[~has_unit & ~covered & tax_active & (world.tax_workers > 0)] = 0
    unit_w = world.unit_workers[unit_safe]
    under = unit_active & tax_active & (world.tax_workers > unit_w)
    finding[under] = 1
    finding[unit_active & ~tax_active] = 2
    gap = np.where(under, world.tax_workers - unit_w, -1)
    variant_labels = list(NAME_VARIANTS) + list(KEYS[1:]) + ["branch_parent", "no_unit"]
    unit_key = key[unit_safe]
    variant = np.where(unit_key == CODE, world.unit_name_variant[unit_safe], len(NAME_VARIANTS) + unit_key - 1)
    variant = np.where(has_unit, variant, np.where(covered, len(variant_labels) - 2, len(variant_labels) - 1))
    name_variant = np.where(has_unit, world.unit_name_variant[unit_safe], -1)
    true_unit = np.where(has_unit, world.unit_of, world.covered_by)
    truth_tax = _truth_rows("tax", position, tax_codes, tax_names, world.unit_codes, true_unit, finding, variant,
                            variant_labels, name_variant, gap)

    # Zones and unions: each with its own way of writing names and codes.
    zoned = np.flatnonzero(world.zone >= 0)
    zone_variant = pick(rng, NAME_VARIANT_SHARES, len(zoned))
    zone_workers = world.true_workers[zoned] + world.zone_extra[zoned]
    zone_missing = rng.random(len(zoned)) < 0.03
    zones_table, truth_zones = _outside_list(
        rng, world, vocab, places, "zones", zoned, zone_variant, zone_missing, zone_workers, variant_labels,
        np.zeros(len(zoned), dtype=bool),
        extra={"zone": pa.array(list(world.zone_names)).take(pa.array(world.zone[zoned]))}, value_name="workers",
    )
    unionised = np.flatnonzero(world.union_members > 0)
    union_variant = pick(rng, NAME_VARIANT_SHARES, len(unionised))
    union_missing = rng.random(len(unionised)) < 0.15
    unions_table, truth_unions = _outside_list(
        rng, world, vocab, places, "unions", unionised, union_variant, union_missing,
        world.union_members[unionised], variant_labels, rng.random(len(unionised)) < 0.5, extra={},
        value_name="members",
    )

    changes = _changes(world, cal, tax_codes, tax_names, commune_codes)
    truth = pa.concat_tables([truth_tax, truth_zones, truth_unions])

    planted: dict[str, int] = {}
    for index, label in enumerate(KEYS):
        planted[f"units.{label}"] = int((key == index).sum())
    for index, label in enumerate(NAME_VARIANTS):
        planted[f"units.{label}"] = int(((key == CODE) & (world.unit_name_variant == index)).sum())
    planted["units.branch_unit"] = int((enterprise & (branch_k > 0)).sum())
    planted["units.closed"] = int((world.unit_status == UNIT_CLOSED).sum())
    planted["units.suspended"] = int((world.unit_status == UNIT_SUSPENDED).sum())
    planted["tax.branch_parent"] = int(covered.sum())
    planted["tax.branches"] = int((world.branch_k > 0).sum())
    for label in FINDINGS:
        for source, table in (("tax", truth_tax), ("zones", truth_zones), ("unions", truth_unions)):
            planted[f"{source}.{label}"] = int(pc.sum(pc.equal(table["finding"], label)).as_py() or 0)
    tables = {"tax": tax, "units": units, "changes": changes, "zones": zones_table, "unions": unions_table}
    return tables, truth, planted


def _truth_rows(
    source: str, record: np.ndarray, codes: pa.Array, names: pa.Array, unit_codes: pa.Array, unit: np.ndarray,
    finding: np.ndarray, variant: np.ndarray, variant_labels: list[str], name_variant: np.ndarray, gap: np.ndarray,
) -> pa.Table:
    order = np.argsort(record, kind="stable")
    table = pa.table({
        "source": pa.array(np.full(len(record), source)),
        "record": pa.array(record.astype(np.int64)),
        "tax_code": codes,
        "name": names,
        "unit_code": unit_codes.take(pa.array(np.maximum(unit, 0), mask=unit < 0)),
        "finding": pa.array(FINDINGS).take(pa.array(np.maximum(finding, 0), mask=finding < 0)),
        "variant": pa.array(variant_labels).take(pa.array(variant)),
        "name_variant": pa.array(NAME_VARIANTS).take(pa.array(np.maximum(name_variant, 0), mask=name_variant < 0)),
        "worker_gap": pa.array(gap.astype(np.int32), mask=gap < 0),
    }, schema=TRUTH_SCHEMA)
    return table.take(pa.array(order))


def _outside_list(
    rng: np.random.Generator, world: World, vocab: Vocabulary, places: Places, source: str, rows: np.ndarray,
    name_variant: np.ndarray, missing_code: np.ndarray, value: np.ndarray, variant_labels: list[str],
    missing_commune: np.ndarray, extra: dict[str, pa.Array], value_name: str,
) -> tuple[pa.Table, pa.Table]:
    """A zone or union list: one row per enterprise, ordered by name; and its truth rows."""
    names = written_names(rng, world, vocab, places, rows, name_variant)
    codes = _code_strings(np.where(missing_code, -1, world.tax_code[rows]), world.branch_k[rows])
    commune = world.commune[rows]
    unit = world.unit_of[rows]
    unit_safe = np.maximum(unit, 0)
    has_unit = unit >= 0
    unit_w = world.unit_workers[unit_safe]
    finding = np.where(~has_unit, 0, np.where(value > unit_w, 1, -1))
    gap = np.where(has_unit & (value > unit_w), value - unit_w, -1)
    unit_key = world.unit_key[unit_safe]
    variant = np.where(unit_key == CODE, name_variant, len(NAME_VARIANTS) + unit_key - 1)
    variant = np.where(missing_code & (unit_key == CODE), len(NAME_VARIANTS) + MISSING_KEY - 1, variant)
    variant = np.where(has_unit, variant, len(variant_labels) - 1)
    columns = {
        "tax_code": codes,
        "name": names,
        **extra,
        "commune_code": places.codes.take(pa.array(commune, mask=missing_commune)),
        value_name: pa.array(value.astype(np.int32)),
    }
    order = np.lexsort((world.tax_code[rows], _folded_order(names)))
    table = pa.table(columns).take(pa.array(order))
    record = np.empty(len(rows), np.int64)
    record[order] = np.arange(len(rows))
    truth = _truth_rows(source, record, codes, names, world.unit_codes, unit, finding, variant, variant_labels,
                        name_variant, gap)
    return table, truth


def _folded_order(names: pa.Array) -> np.ndarray:
    """Rank of each name in plain alphabetical order (as the lists come, sorted by name)."""
    if not len(names):
        return np.zeros(0, np.int64)
    indices = pc.sort_indices(pc.utf8_lower(names)).to_numpy()
    rank = np.empty(len(names), np.int64)
    rank[indices] = np.arange(len(names))
    return rank


def _changes(world: World, cal: LedgerCalendar, codes: pa.Array, names: pa.Array, commune_codes: pa.Array) -> pa.Table:
    """Business registration events of the last 12 months, consistent with the tax statuses."""
    record, kind, day = _changes_rows(world, cal)
    return pa.table({
        "tax_code": codes.take(pa.array(record)),
        "name": names.take(pa.array(record)),
        "commune_code": commune_codes.take(pa.array(world.commune[record])),
        "change": pa.array(CHANGE_KINDS).take(pa.array(kind)),
        "changed_on": date_column(day),
    })


def _changes_rows(world: World, cal: LedgerCalendar) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(record, change kind, day) of every event of the 12 months ending on cal.as_of, in day order."""
    parent = world.branch_k == 0
    records, kinds, days = [], [], []

    def add(mask: np.ndarray, kind: int, day: np.ndarray) -> None:
        rows = np.flatnonzero(mask)
        records.append(rows)
        kinds.append(np.full(len(rows), kind))
        days.append(day[rows])

    registered, suspended, dissolved, bankrupt, resumed = range(len(CHANGE_KINDS))
    in_year = (world.closed_on >= cal.window) & (world.closed_on <= cal.as_of)
    add(parent & (world.established[:world.records] >= cal.window), registered, world.established[:world.records])
    add(parent & (world.suspended_before > 0), suspended, world.suspended_before)
    add(parent & (world.resumed_on > 0), resumed, world.resumed_on)
    add(parent & (world.status == SUSPENDED) & in_year, suspended, world.closed_on)
    add(parent & (world.status == DISSOLVED) & in_year, dissolved, world.closed_on)
    add(parent & (world.status == BANKRUPT) & in_year, bankrupt, world.closed_on)
    record = np.concatenate(records)
    kind = np.concatenate(kinds)
    day = np.concatenate(days)
    order = np.lexsort((kind, record, day))
    return record[order], kind[order], day[order]
