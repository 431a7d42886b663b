"""A synthetic province's employers: the six employer datasets, the truth planted in them, and a manifest.

Why: the reconciliation (which tax records, zone and union lists have no BHXH unit, or more workers than
BHXH knows) and the arrears engine need data that disagrees the way real lists disagree, and a record of
exactly where, so that they can be scored. Everything is drawn with numpy in whole arrays (loops only over
months, communes or vocabularies) and is the same for the same arguments: one `SeedSequence` tree, no
clock, no `hash()`.

The world is a set of enterprises (parents) and their branches ("-001", "-002", … for ~3% of parents), all
in the tax registry: `tax_records` rows. Tax statuses: 75% active, 11% suspended, 12.5% dissolved,
1.5% bankrupt; a branch shares its parent's status (5% of active parents' branches are dissolved alone).
Of the BHXH units (`units` rows), by the truth's `variant`:
- 89.5% `same`, `case`, `legal_form`, `no_diacritics`, `punctuation`: the right tax code, the name as the
  tax registry writes it (30%), in capitals (25%), with the legal form written another way ("TNHH" ↔
  "Trách nhiệm hữu hạn", "Công ty Cổ phần" ↔ "CTCP", "MTV" ↔ "Một thành viên"; 20%), without diacritics
  (12%), or with extra spaces and punctuation (13%);
- 3% `missing_tax_code`: no tax code, the name in one of the five ways above;
- 2% `wrong_tax_code`: one digit of the tax code changed (never into another enterprise's code; the check
  digit then fails about 9 times in 10);
- 0.7% `typo`: no tax code, one character of the distinctive name mistyped (dropped, doubled, swapped, a
  neighbouring key): a fuzzy match in the commune;
- 0.3% `typo_abridged`: as `typo`, and the trade words left out ("Công ty TNHH Phú Hưnh"): a fuzzy match
  that should stay uncertain;
- 0.5% `moved`: no tax code, the unit in another commune than the tax record: only a province-wide name
  match finds it;
- 4% public bodies (schools, health stations, notaries, …) that are no enterprise and are not on the tax
  list: no truth row (manifest `units.unit_only`).

Across those kinds (only `same` … `wrong_tax_code`, so a confident match can find them):
- `closed_active` 1.5% of units: the tax record is suspended, dissolved or bankrupt (with a change row when
  that happened in the last 12 months, ~60% of them) but the unit is still active at BHXH; 60% of these
  stop paying when the enterprise closed.
- `under_declared` 8% of units: tax payroll workers exceed BHXH workers by `worker_gap` ≥ 1 (10–50%).
  Elsewhere tax workers never exceed BHXH workers (30% of units declare fewer on the payroll).
- Closed at BHXH 8% and suspended 3% of the matched units: their tax records are inactive too, or active
  with no workers, so no finding.
- Branches of a registered parent have their own unit half the time (code "…-001" at BHXH). A branch
  without its own unit whose parent has one is truth `branch_parent`, unit = the parent's, no finding
  (also when the branch alone was dissolved); while it operates its workers are in the parent's unit.

Tax records without a unit: truth `no_unit`; those active with workers > 0 are `unregistered` (one for
every four registered parents, smaller firms: median 3 workers); most others are active with no workers
declared, or inactive. Zone list: 2% of the active enterprises with workers (larger ones more often), in
the zone's commune, workers as the enterprise really has (so above BHXH's for under-declared units) and
for one in ten a few more (seasonal workers): those rows are `under_declared` too; 3% lack the tax code.
Union list: 10% of them (registered ones three times as often), members 45–100% of the workers; 15% lack
the tax code, half lack the commune. Findings of zone and union rows follow from the data by the same
rules: no unit → `unregistered`; more workers or members than the unit declares → `under_declared`.

Changes: business registration events of the last 12 months ending at `last_month`, consistent with the
tax statuses (the last event of a tax code gives its status): new registrations (8% of active enterprises),
suspensions, dissolutions and bankruptcies (40%, 25% and 30% of those statuses happened within the year),
resumptions (3% of active enterprises, half after a suspension within the year).

Ledger (an extract taken on the last day of `last_month`): every unit has one due row per month while it
is open (from its opening, until it closed or was suspended at BHXH) over the `months` months ending at
`last_month`: workers (drifting a few % a year back in time) × its contribution base (lognormal around
5.7 M VND, +6% each January) × 32%, whole đồng. Payments: one per month on a day between the 5th and the
last day of the month after. 2.6% of the unit-months whose deadline has passed are paid late (settling the
oldest month first): late episodes of 1–200 days (a quarter paid partly on time), units that stop paying for
3–12 months then pay a lump sum (65%) or never, closed-but-active units that stop; a few units overpay and
deduct the next month. `EmployerManifest.planted` counts each kind.

At the benchmark size (300,000 units, 1,000,000 tax records, 36 months, Cần Thơ's 103 communes, seed
2025): 957,000 parents and 43,000 branches; units 80,400 `same`, 67,200 `case`, 53,700 `legal_form`,
32,200 `no_diacritics`, 35,100 `punctuation`, 9,000 `missing_tax_code`, 6,000 `wrong_tax_code`,
2,100 `typo`, 900 `typo_abridged`, 1,500 `moved`, 12,000 public bodies, 5,400 branches with their own
unit, 23,600 closed and 8,600 suspended at BHXH; tax findings 64,000 `unregistered` (20% of the 316,000
active tax records with workers), 24,000 `under_declared`, 4,500 `closed_active`, and 7,300
`branch_parent` links; 6,300 zone rows (1,140 under-declared, 400 unregistered) and 31,300 union rows
(1,630 and 1,260); 171,000 changes; 16.3 M ledger rows with 2.6% of the unit-months late.

`write_source_files` writes the same data as the files the bodies really hand in (XLSX and CSV).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ansinh.coverage import names as person_names
from ansinh.coverage.generator import _dates, _digits, _largest_remainder, _month_of, _month_start, _pick, _strings, _tax_check_digit
from ansinh.employers import firm_names as fn
from ansinh.employers.schema import CHANGE_KINDS, DATASETS, TAX_STATUSES, UNIT_STATUSES
from ansinh.employers.storage import dataset_read, dataset_write

__all__ = ["EmployerManifest", "TRUTH_SCHEMA", "FINDINGS", "generate_employers", "write_source_files"]

TRUTH_SCHEMA = pa.schema([
    ("source", pa.string()),  # "tax", "zones", "unions"
    ("record", pa.int64()),  # row number (from 0) of the outside record in its dataset
    ("tax_code", pa.string()),  # as in that outside record (null when it has none)
    ("name", pa.string()),  # as in that outside record
    ("unit_code", pa.string()),  # the true BHXH unit, null when there is none
    ("finding", pa.string()),  # FINDINGS or null
    ("variant", pa.string()),  # what was planted between the record and its unit (see the module docstring)
    ("name_variant", pa.string()),  # how the name is written differently ("same", "case", …)
    ("worker_gap", pa.int32()),  # for under_declared: outside workers − unit workers
])
FINDINGS = ("unregistered", "under_declared", "closed_active")

# Tax statuses (TAX_STATUSES order) of parents in the registry.
_TAX_STATUS_SHARES = (0.75, 0.11, 0.125, 0.015)
_ACTIVE, _SUSPENDED, _DISSOLVED, _BANKRUPT = range(4)
_UNIT_ACTIVE, _UNIT_SUSPENDED, _UNIT_CLOSED = range(3)
_BRANCHING = 0.03  # parents with branches
_BRANCHES_PER_BRANCHING = 1.5
_BRANCH_OWN_UNIT = 0.5
# Units.
_UNIT_ONLY = 0.04
_MISSING = 0.03
_WRONG = 0.02
_TYPO = 0.01
_TYPO_ABRIDGED = 0.3  # of the typos
_MOVED = 0.005
_CLOSED_ACTIVE = 0.015
_CLOSED = 0.08
_SUSPENDED_AT_BHXH = 0.03
_UNDER_DECLARED = 0.08
_UNREGISTERED_PER_REGISTERED = 0.25
_ZONES = 0.02
_UNIONS = 0.10
# Names.
NAME_VARIANTS = ("same", "case", "legal_form", "no_diacritics", "punctuation")
_NAME_VARIANT_SHARES = (0.30, 0.25, 0.20, 0.12, 0.13)
_KEYS = ("code", "missing_tax_code", "wrong_tax_code", "typo", "typo_abridged", "moved", "unit_only")
_CODE, _MISSING_KEY, _WRONG_KEY, _TYPO_KEY, _ABRIDGED_KEY, _MOVED_KEY, _UNIT_ONLY_KEY = range(len(_KEYS))
# Ledger.
_CONTRIBUTION_RATE = 0.32  # employer 21.5% + employee 10.5% (DOMAIN.md)
_BASE_SALARY = 5_700_000
_YEARLY_RAISE = 0.06
_LATE_SHARE = 0.026
_STOPPERS = 0.01
_OVERPAYERS = 0.005
_PARTIAL = 0.25  # of late episodes
_NEVER = 600  # months after last_month: "never" (inside the calendar tables, which end in 2150)

Progress = Callable[[str, float], None]


# ----------------------------------------------------------------------------------------------------------
# Public API
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmployerManifest:
    """What a synthetic employer data set is; written last, so a directory with it holds a whole set."""

    province: str  # 2-digit code
    province_name: str
    units: int
    tax_records: int
    months: int
    last_month: date
    seed: int
    planted: dict[str, int] = field(default_factory=dict)  # how many of each planted kind
    rows: dict[str, int] = field(default_factory=dict)  # rows per dataset

    @property
    def as_of(self) -> date:
        """The day the extract was taken: the last day of `last_month`."""
        following = date(self.last_month.year + self.last_month.month // 12, self.last_month.month % 12 + 1, 1)
        return following - timedelta(days=1)

    def to_json(self) -> str:
        return json.dumps(
            {
                "province": self.province,
                "province_name": self.province_name,
                "units": self.units,
                "tax_records": self.tax_records,
                "months": self.months,
                "last_month": self.last_month.isoformat(),
                "seed": self.seed,
                "planted": dict(self.planted),
                "rows": dict(self.rows),
            },
            ensure_ascii=False,
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> EmployerManifest:
        data = json.loads(text)
        return cls(
            province=str(data["province"]),
            province_name=str(data["province_name"]),
            units=int(data["units"]),
            tax_records=int(data["tax_records"]),
            months=int(data["months"]),
            last_month=date.fromisoformat(data["last_month"]),
            seed=int(data["seed"]),
            planted={str(k): int(v) for k, v in data.get("planted", {}).items()},
            rows={str(k): int(v) for k, v in data.get("rows", {}).items()},
        )


def generate_employers(
    *,
    out_dir: Path,
    communes: Sequence[tuple[str, str]],
    province_name: str,
    province_code: str,
    units: int,
    tax_records: int,
    months: int = 36,
    last_month: date = date(2025, 10, 1),
    seed: int = 2025,
    progress: Progress | None = None,
) -> EmployerManifest:
    """Write units, tax, changes, zones, unions, ledger (Parquet, via `dataset_write`), truth.parquet and
    manifest.json into `out_dir`. `communes` are (5-digit code, official name) pairs; the first ones listed
    get more enterprises (put the central wards first). The old manifest goes first, the new one comes last.
    """
    if not communes:
        raise ValueError("at least one commune is needed")
    if units < 20:
        raise ValueError("units must be at least 20")
    if tax_records < 2 * units:
        raise ValueError("tax_records must be at least twice the units: most tax records have no BHXH unit")
    if not 13 <= months <= 240:
        raise ValueError("months must be between 13 and 240")
    if not (len(province_code) == 2 and province_code.isdigit()):
        raise ValueError("province_code must be 2 digits, e.g. '92'")
    say = progress or (lambda _step, _fraction: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]

    say("Chuẩn bị xã, phường và danh mục tên doanh nghiệp", 0.0)
    cal = _Calendar.of(last_month, months)
    places = _Places.of(streams[0], communes, province_name)
    say("Doanh nghiệp, chi nhánh và đơn vị BHXH", 0.05)
    world = _draw_world(streams[1], tax_records, units, places, cal, province_code)
    say("Tên doanh nghiệp và địa chỉ", 0.2)
    vocab = _Vocabulary.of(places)
    _draw_names(streams[2], world, vocab, places)
    tables, truth, planted = _tables(streams[3], world, vocab, places, cal, province_code)
    say("Sổ thu: số phải đóng và các lần nộp", 0.45)
    ledger, ledger_counts = _ledger(streams[4], world, cal)
    planted.update(ledger_counts)
    tables["ledger"] = ledger

    say("Ghi tệp Parquet", 0.8)
    (out_dir / "manifest.json").unlink(missing_ok=True)
    rows = {}
    for name in DATASETS:
        dataset_write(name, tables[name], out_dir)
        rows[name] = tables[name].num_rows
    staging = out_dir / f".truth.parquet.{os.getpid()}.tmp"
    pq.write_table(truth, staging, compression="zstd")
    os.replace(staging, out_dir / "truth.parquet")
    rows["truth"] = truth.num_rows
    manifest = EmployerManifest(
        province=province_code, province_name=province_name, units=units, tax_records=tax_records, months=months,
        last_month=last_month.replace(day=1), seed=seed, planted=planted, rows=rows,
    )
    staging = out_dir / f".manifest.json.{os.getpid()}.tmp"
    staging.write_text(manifest.to_json() + "\n", encoding="utf-8")
    os.replace(staging, out_dir / "manifest.json")
    say("Hoàn tất", 1.0)
    return manifest


# ----------------------------------------------------------------------------------------------------------
# Calendar and places
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Calendar:
    """Days are numbered from 1970-01-01, months from January 1970."""

    last: int  # month index of last_month
    first: int  # first ledger month
    as_of: int  # day: the last day of last_month, when the extract was taken
    window: int  # day: first day of the 12 months of changes

    @classmethod
    def of(cls, last_month: date, months: int) -> _Calendar:
        last = (last_month.year - 1970) * 12 + last_month.month - 1
        return cls(
            last=last,
            first=last - months + 1,
            as_of=int(_month_start(np.int64(last + 1))) - 1,
            window=int(_month_start(np.int64(last - 11))),
        )

    @property
    def months(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class _Places:
    codes: pa.Array  # commune codes
    names: tuple[str, ...]  # official names
    short: tuple[str, ...]  # "Ninh Kiều"; the province's short name appended last
    urban: np.ndarray
    weights: np.ndarray  # share of enterprises
    province_name: str

    @classmethod
    def of(cls, rng: np.random.Generator, communes: Sequence[tuple[str, str]], province_name: str) -> _Places:
        names = tuple(fn.nfc(name) for _, name in communes)
        urban = np.array([name.startswith(("Phường", "Đặc khu")) for name in names])
        index = np.arange(len(names))
        # Wards hold most firms, the central ones (listed first) most of all.
        weights = rng.lognormal(0.0, 0.6, len(names)) * np.where(urban, 3.5, 1.0) * (1 + 2.0 * np.exp(-index / 12))
        province_short = province_name
        for prefix in ("Thành phố ", "Tỉnh "):
            if province_short.startswith(prefix):
                province_short = province_short[len(prefix):]
        return cls(
            codes=pa.array([code for code, _ in communes], type=pa.string()),
            names=names,
            short=tuple(fn.commune_short(name) for name in names) + (fn.nfc(province_short),),
            urban=urban,
            weights=weights / weights.sum(),
            province_name=fn.nfc(province_name),
        )

    def other(self, rng: np.random.Generator, current: np.ndarray) -> np.ndarray:
        """A commune other than `current` for each row, by the communes' weights."""
        drawn = _pick(rng, self.weights, len(current))
        clash = drawn == current
        return np.where(clash, (drawn + rng.integers(1, len(self.names), len(current))) % len(self.names), drawn)


# ----------------------------------------------------------------------------------------------------------
# The world: enterprises, branches, units, who is where and who declares what
# ----------------------------------------------------------------------------------------------------------


@dataclass
class _World:
    """Tax records r (parents first, then branches); entities = tax records, then the public units;
    units u in unit-code order."""

    parents: int
    parent: np.ndarray  # record → its parent record (itself for a parent)
    branch_k: np.ndarray  # 0 for a parent
    legal: np.ndarray  # index into fn.LEGAL_FORMS (public entities: -1)
    status: np.ndarray  # TAX_STATUSES index (records)
    commune: np.ndarray  # entity commune
    established: np.ndarray  # entity day
    closed_on: np.ndarray  # record day the status changed to inactive (0 when active)
    resumed_on: np.ndarray  # record: day of a resumption within the year (0 none)
    suspended_before: np.ndarray  # record: day of a suspension within the year before resumption/dissolution (0)
    tax_workers: np.ndarray  # record
    true_workers: np.ndarray  # record
    tax_code: np.ndarray  # record, 10-digit number
    unit_of: np.ndarray  # record → its own unit (-1)
    covered_by: np.ndarray  # branch record without a unit of its own → its parent's unit (-1: none)
    zone: np.ndarray  # record → zone index (-1)
    union_members: np.ndarray  # record → members (0: no union)
    # units
    unit_codes: pa.Array
    unit_entity: np.ndarray
    unit_status: np.ndarray
    unit_workers: np.ndarray
    unit_history_workers: np.ndarray  # workers in the last month with dues (closed units included)
    unit_key: np.ndarray  # index into _KEYS
    unit_name_variant: np.ndarray  # index into NAME_VARIANTS
    unit_commune: np.ndarray
    unit_tax_code: np.ndarray  # 10-digit number or -1 (missing)
    unit_closed_month: np.ndarray  # month index from which no dues (large: never)
    unit_opened_month: np.ndarray
    unit_stops_paying: np.ndarray  # month index from which a closed-but-active unit pays nothing (large: never)
    under_declared: np.ndarray  # unit bool
    zone_names: tuple[str, ...] = ()
    zone_communes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    zone_extra: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # record: zone list says more
    public_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # public entity → PUBLIC_KINDS
    # names (entity arrays), filled by _draw_names
    trade: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    words: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.int64))  # word ids, -1 none
    typo_pick: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def records(self) -> int:
        return len(self.parent)

    @property
    def is_branch(self) -> np.ndarray:
        return self.branch_k > 0


def _draw_world(
    rng: np.random.Generator, n_tax: int, n_units: int, places: _Places, cal: _Calendar, province_code: str
) -> _World:
    n_parents = int(round(n_tax / (1 + _BRANCHING * _BRANCHES_PER_BRANCHING)))
    n_branches = n_tax - n_parents
    legal = _pick(rng, [f.share for f in fn.LEGAL_FORMS], n_parents)
    status = _pick(rng, _TAX_STATUS_SHARES, n_parents)
    commune = _pick(rng, places.weights, n_parents)

    # Branches: ~3% of parents (no cooperatives), 1.5 each on average.
    eligible = np.flatnonzero(legal != fn.HTX)
    branching = np.sort(rng.choice(eligible, min(n_branches, max(1, round(_BRANCHING * n_parents)), len(eligible)),
                                   replace=False)) if n_branches else np.zeros(0, np.int64)
    counts = 1 + rng.multinomial(n_branches - len(branching), np.full(len(branching), 1 / max(len(branching), 1))) \
        if len(branching) else np.zeros(0, np.int64)
    branch_parent = np.repeat(branching, counts)
    branch_k = np.arange(n_branches) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    parent = np.concatenate([np.arange(n_parents), branch_parent])
    k = np.concatenate([np.zeros(n_parents, np.int64), branch_k])
    status = status[parent]
    alone = (k > 0) & (status == _ACTIVE) & (rng.random(n_tax) < 0.05)
    status[alone] = _DISSOLVED
    commune = np.where((k > 0) & (rng.random(n_tax) < 0.5), _pick(rng, places.weights, n_tax), commune[parent])

    # Units: slots first (codes sorted), then which records hold them.
    n_public = int(round(_UNIT_ONLY * n_units))
    n_matched = n_units - n_public
    unit_codes, public_slot = _unit_codes(rng, n_matched, n_public)
    n_ca = int(round(_CLOSED_ACTIVE * n_units))
    n_closed = int(round(_CLOSED * n_matched))
    n_susp = int(round(_SUSPENDED_AT_BHXH * n_matched))
    n_active = n_matched - n_ca - n_closed - n_susp
    taken = np.zeros(n_parents, dtype=bool)
    is_parent_status = [status[:n_parents] == s for s in range(4)]
    inactive = ~is_parent_status[_ACTIVE]

    def take(pool: np.ndarray, count: int) -> np.ndarray:
        free = np.flatnonzero(pool & ~taken)
        if count > len(free):
            raise ValueError("too many units for the tax records: raise tax_records or lower units")
        chosen = rng.choice(free, count, replace=False) if count else np.zeros(0, np.int64)
        taken[chosen] = True
        return chosen

    ca = take(inactive, n_ca)
    closed_parts = _largest_remainder(n_closed, np.array([0.7, 0.15, 0.15]))
    closed = np.concatenate([
        take(is_parent_status[_DISSOLVED] | is_parent_status[_BANKRUPT], int(closed_parts[0])),
        take(is_parent_status[_SUSPENDED], int(closed_parts[1])),
        take(is_parent_status[_ACTIVE], int(closed_parts[2])),
    ])
    susp_parts = _largest_remainder(n_susp, np.array([0.8, 0.2]))
    suspended = np.concatenate([take(is_parent_status[_SUSPENDED], int(susp_parts[0])),
                                take(is_parent_status[_ACTIVE], int(susp_parts[1]))])
    # Active units: registered parents and, for half their active branches, the branch's own unit; the
    # prefix of a random order whose units add up exactly.
    branch_records = np.arange(n_parents, n_tax)
    own_unit_branch = (status[branch_records] == _ACTIVE) & (rng.random(n_branches) < _BRANCH_OWN_UNIT)
    own = np.bincount(branch_parent, weights=own_unit_branch, minlength=n_parents).astype(np.int64)
    free = np.flatnonzero(is_parent_status[_ACTIVE] & ~taken)
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
        np.full(len(registered) + len(own_branches) + len(ca), _UNIT_ACTIVE),
        np.full(len(closed), _UNIT_CLOSED), np.full(len(suspended), _UNIT_SUSPENDED),
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
    unit_status[public_closed] = _UNIT_CLOSED

    # Branches of registered parents without their own unit are in the parent's unit.
    # A branch without a unit of its own belongs to its parent's unit, if the parent has one; its workers are
    # declared there while both are operating.
    covered_by = np.full(n_tax, -1, np.int64)
    belongs = (k > 0) & (unit_of == -1) & (unit_of[parent] >= 0)
    covered_by[belongs] = unit_of[parent[belongs]]
    covering = belongs & (status == _ACTIVE) & np.isin(parent, registered)

    # Unregistered: one for every four registered parents, among the other active parents.
    free = np.flatnonzero(is_parent_status[_ACTIVE] & ~taken)
    unregistered = rng.choice(free, min(len(free), int(round(_UNREGISTERED_PER_REGISTERED * len(registered)))),
                              replace=False)
    employing = np.zeros(n_tax, dtype=bool)
    employing[unregistered] = True
    employing |= (k > 0) & employing[parent] & (status == _ACTIVE)

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
    young = (status == _ACTIVE) & (rng.random(n_tax) < 0.08) & (k == 0)
    age = np.minimum(rng.exponential(7 * 365, n_tax), 30 * 365).astype(np.int64) + 365
    established = np.where(young, rng.integers(cal.window, as_of + 1, n_tax), as_of - age)
    established = np.where(status == _ACTIVE, established, established - 365)
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
    closed_on = np.where(status == _ACTIVE, 0, np.where(recent | (older_day <= established), recent_day, older_day))
    closed_on = np.where((status != _ACTIVE) & (closed_on <= established), np.maximum(established + 1, cal.window),
                         closed_on)
    closed_on = np.where((k > 0) & ~alone & (status != _ACTIVE), closed_on[parent], closed_on)
    closed_on = np.where(closed_on > as_of, as_of, closed_on)
    # Resumptions within the year (3% of older active parents, half after a suspension within the year);
    # dissolutions within the year after a suspension (30% of those).
    resumed = (k == 0) & (status == _ACTIVE) & ~young & (established < cal.window - 60) & (rng.random(n_tax) < 0.03)
    resumed_on = np.where(resumed, rng.integers(cal.window + 30, as_of + 1, n_tax), 0)
    suspended_before = np.where(resumed & (rng.random(n_tax) < 0.5),
                                cal.window + (rng.random(n_tax) * np.maximum(resumed_on - 15 - cal.window, 1)).astype(
                                    np.int64), 0)
    dissolved_recent = (k == 0) & (status == _DISSOLVED) & (closed_on >= cal.window + 60) & (rng.random(n_tax) < 0.3)
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

    world = _World(
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
        rows[:, 2:6] = _digits((drawn // 26) % 10_000, 4)
        rows[:, 6] = 65 + drawn % 26
        parts.append(rows)
        flags.append(np.full(count, flag))
    rows = np.concatenate(parts)
    flag = np.concatenate(flags)
    keys = rows.astype(np.int64) @ (256 ** np.arange(6, -1, -1, dtype=np.int64))
    order = np.argsort(keys, kind="stable")
    return _strings(rows[order]), flag[order]


def _tax_codes(rng: np.random.Generator, count: int, province_code: str) -> np.ndarray:
    """`count` unique valid 10-digit tax codes (as numbers) with the province's prefixes, in random order."""
    prefixes = fn.TAX_PREFIXES.get(province_code, ((province_code, 1.0),))
    per_prefix = _largest_remainder(count, np.array([share for _, share in prefixes]))
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
        check = _tax_check_digit(first_nine)
        keep = check < 10
        parts.append((first_nine[keep] * 10 + check[keep])[:need])
    codes = np.concatenate(parts)
    return codes[rng.permutation(len(codes))]


def _draw_public(
    rng: np.random.Generator, world: _World, places: _Places, public_slot: np.ndarray, codes: np.ndarray,
    cal: _Calendar,
) -> None:
    """Schools, health stations, notaries …: BHXH units that are no enterprise on the tax list."""
    n_public = len(codes)
    kinds = _pick(rng, [kind[3] for kind in fn.PUBLIC_KINDS], n_public)
    world.public_kind = kinds
    world.commune = np.concatenate([world.commune, _pick(rng, places.weights, n_public)])
    world.established = np.concatenate([world.established, cal.as_of - rng.integers(3 * 365, 40 * 365, n_public)])
    slots = np.flatnonzero(public_slot)
    # Public units carry their own tax code four times in five.
    world.unit_tax_code[slots] = np.where(rng.random(n_public) < 0.8, codes, -1)


def _draw_unit_kinds(
    rng: np.random.Generator, world: _World, places: _Places, public_slot: np.ndarray, planted_ca: np.ndarray
) -> None:
    """How each unit is written against its tax record: the planted kinds of the module docstring."""
    n_units = len(world.unit_entity)
    world.unit_key[public_slot] = _UNIT_ONLY_KEY
    records = world.unit_entity
    enterprise = ~public_slot
    record = np.where(enterprise, records, 0)
    branch = enterprise & (world.branch_k[record] > 0)
    closed_active = enterprise & planted_ca[record]
    # Typos and moves: parents' units that are not closed outside.
    pool = np.flatnonzero(enterprise & ~branch & ~closed_active)
    pool = rng.permutation(pool)
    n_typo = int(round(_TYPO * n_units))
    n_abridged = int(round(_TYPO_ABRIDGED * n_typo))
    n_moved = int(round(_MOVED * n_units)) if len(places.names) > 1 else 0
    cut = np.cumsum([n_typo - n_abridged, n_abridged, n_moved])
    world.unit_key[pool[:cut[0]]] = _TYPO_KEY
    world.unit_key[pool[cut[0]:cut[1]]] = _ABRIDGED_KEY
    world.unit_key[pool[cut[1]:cut[2]]] = _MOVED_KEY
    rest = rng.permutation(np.flatnonzero(enterprise & (world.unit_key == _CODE)))
    n_missing = int(round(_MISSING * n_units))
    n_wrong = int(round(_WRONG * n_units))
    world.unit_key[rest[:n_missing]] = _MISSING_KEY
    world.unit_key[rest[n_missing:n_missing + n_wrong]] = _WRONG_KEY
    world.unit_name_variant[:] = _pick(rng, _NAME_VARIANT_SHARES, n_units)
    world.unit_name_variant[np.isin(world.unit_key, [_TYPO_KEY, _ABRIDGED_KEY]) | public_slot] = 0

    # Commune: the record's; moved units are still where the enterprise was.
    world.unit_commune[:] = world.commune[records]
    moved = world.unit_key == _MOVED_KEY
    world.unit_commune[moved] = places.other(rng, world.unit_commune[moved])

    # Tax code as BHXH holds it.
    code = np.where(enterprise, world.tax_code[record], world.unit_tax_code)
    missing = np.isin(world.unit_key, [_MISSING_KEY, _TYPO_KEY, _ABRIDGED_KEY, _MOVED_KEY])
    code = np.where(missing, -1, code)
    wrong = np.flatnonzero(world.unit_key == _WRONG_KEY)
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


def _draw_workers(rng: np.random.Generator, world: _World) -> None:
    """Workers at BHXH and on the payroll declarations; the under-declared units."""
    n_units = len(world.unit_entity)
    enterprise = world.unit_key != _UNIT_ONLY_KEY
    record = np.where(enterprise, world.unit_entity, 0)
    true_w = np.where(enterprise, world.true_workers[record], 0)
    public = ~enterprise
    true_w = np.where(public, np.clip(np.ceil(rng.lognormal(np.log(12.0), 0.8, n_units)), 1, 3000), true_w).astype(
        np.int64)
    # A parent's unit also declares the workers of its branches that have no unit of their own.
    covered = np.flatnonzero(world.covered_by >= 0)
    extra = np.bincount(world.covered_by[covered], weights=world.true_workers[covered], minlength=n_units).astype(
        np.int64)
    active = world.unit_status == _UNIT_ACTIVE
    history = true_w + extra
    world.unit_history_workers[:] = history
    world.unit_workers[:] = np.where(world.unit_status == _UNIT_CLOSED, 0, history)

    # Tax payroll workers: the same or fewer, never more, except for the under-declared.
    record_status = world.status[record]
    tax_w = np.where(rng.random(n_units) < 0.3, np.floor(true_w * rng.uniform(0.3, 1.0, n_units)), true_w).astype(
        np.int64)
    tax_w = np.where(active & (record_status == _ACTIVE), tax_w, 0)
    eligible = np.flatnonzero(
        active & enterprise & (record_status == _ACTIVE) & np.isin(world.unit_key, [_CODE, _MISSING_KEY, _WRONG_KEY])
        & (extra == 0) & (true_w >= 2)
    )
    chosen = rng.choice(eligible, min(len(eligible), int(round(_UNDER_DECLARED * n_units))), replace=False)
    gap = np.maximum(1, np.round(true_w[chosen] * rng.uniform(0.1, 0.5, len(chosen)))).astype(np.int64)
    gap = np.minimum(gap, true_w[chosen] - 1)
    world.unit_workers[chosen] = true_w[chosen] - gap
    world.unit_history_workers[chosen] = true_w[chosen] - gap
    tax_w[chosen] = true_w[chosen]
    world.under_declared[chosen] = True
    world.tax_workers[record[enterprise]] = tax_w[enterprise]
    # Records without a unit: unregistered firms and branches declare their payroll; others none.
    no_unit = world.unit_of < 0
    world.tax_workers[no_unit] = np.where(world.status[no_unit] == _ACTIVE, world.true_workers[no_unit], 0)


def _draw_zones_and_unions(rng: np.random.Generator, world: _World, places: _Places, province_code: str) -> None:
    """2% of active employing enterprises are in a zone (moved there), 10% have a union."""
    n = world.records
    parent = world.branch_k == 0
    unit = world.unit_of
    unit_safe = np.maximum(unit, 0)
    registered = (unit >= 0) & (world.unit_status[unit_safe] == _UNIT_ACTIVE)
    candidates = parent & (world.status == _ACTIVE) & (world.true_workers > 0)
    # Typo'd and moved units stay out of the zones, whose commune is the zone's.
    keyed = np.isin(world.unit_key[unit_safe], [_TYPO_KEY, _ABRIDGED_KEY, _MOVED_KEY]) & (unit >= 0)
    pool = np.flatnonzero(candidates & ~keyed)
    weights = np.sqrt(world.true_workers[pool]) * np.where(registered[pool], 2.0, 1.0)
    count = min(len(pool), int(round(_ZONES * candidates.sum())))
    zoned = pool[_weighted_sample(rng, weights, count)]
    zones = fn.ZONES.get(province_code)
    if zones:
        names = tuple(name for name, _ in zones)
        communes = np.array([_commune_like(places, hint, i) for i, (_, hint) in enumerate(zones)])
    else:
        top = np.argsort(-places.weights, kind="stable")[:6]
        names = tuple(f"Khu công nghiệp {places.short[c]}" for c in top)
        communes = top
    zone = _pick(rng, np.linspace(2.0, 1.0, len(names)), len(zoned))
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
    count = min(len(pool), int(round(_UNIONS * candidates.sum())))
    unions = pool[_weighted_sample(rng, weights, count)]
    world.union_members[unions] = np.maximum(
        1, np.round(world.true_workers[unions] * rng.uniform(0.45, 1.0, len(unions)))).astype(np.int64)


def _weighted_sample(rng: np.random.Generator, weights: np.ndarray, count: int) -> np.ndarray:
    """`count` distinct indices, heavier ones first more often (Efraimidis–Spirakis keys)."""
    if count <= 0:
        return np.zeros(0, np.int64)
    keys = np.log(rng.random(len(weights))) / np.maximum(weights, 1e-12)
    return np.argpartition(-keys, count - 1)[:count]


def _commune_like(places: _Places, hint: str, fallback: int) -> int:
    for index, short in enumerate(places.short[:-1]):
        if fn.folded(hint) in fn.folded(short):
            return index
    return int(np.argsort(-places.weights, kind="stable")[fallback % len(places.names)])


def _draw_unit_dates(rng: np.random.Generator, world: _World, cal: _Calendar, planted_ca: np.ndarray) -> None:
    """When each unit opened at BHXH, when it closed or was suspended, and when a closed-outside one stopped
    paying (all as month indices)."""
    n_units = len(world.unit_entity)
    never = cal.last + _NEVER
    established = world.established[world.unit_entity]
    lag = np.floor(rng.exponential(5.0, n_units)).astype(np.int64)
    opened = np.minimum(_month_of(established) + lag, cal.last)
    enterprise = world.unit_key != _UNIT_ONLY_KEY
    record = np.where(enterprise, world.unit_entity, 0)
    closed_on = np.where(enterprise, world.closed_on[record], 0)
    active = world.unit_status == _UNIT_ACTIVE
    stopped = ~active
    # Closed or suspended at BHXH a month or two after the tax record; those still active on the tax list
    # (with nobody on the payroll) or public stopped at some point in the last six years.
    stop = np.where(closed_on > 0, _month_of(np.maximum(closed_on, 1)) + rng.integers(0, 3, n_units),
                    cal.last - rng.integers(0, 72, n_units))
    stop = np.minimum(stop, cal.last)
    opened = np.where(stopped, np.minimum(opened, stop - 1), opened)
    world.unit_opened_month[:] = opened
    world.unit_closed_month[:] = np.where(stopped, stop, never)
    ca = enterprise & planted_ca[record] & active
    stops = ca & (rng.random(n_units) < 0.6)
    world.unit_stops_paying[:] = np.where(stops, np.maximum(_month_of(np.maximum(closed_on, 1)) + 1, opened), never)


# ----------------------------------------------------------------------------------------------------------
# Names
# ----------------------------------------------------------------------------------------------------------

# Word-table forms: canonical, capitals, no diacritics, then four typos.
_CANON, _UPPER, _PLAIN = 0, 1, 2
_TYPO_FORMS = 4


@dataclass(frozen=True)
class _Vocabulary:
    """Every piece of a name, in every way it can be written, as flat pyarrow tables (form × id)."""

    legal: pa.Array  # forms: canon, upper, plain, "…,", alternative 1–3
    trade: pa.Array  # forms: canon, upper, plain, dashed ("Thương mại - Dịch vụ"), folded
    words: pa.Array  # syllables then places; forms: canon, upper, plain, typo 1–4, folded
    n_legal: int
    n_trade: int
    n_words: int
    n_syllables: int
    syllable_weights: np.ndarray
    trade_empty: np.ndarray
    sectors: pa.Array  # by trade id: VSIC label
    public_kind_of_trade: np.ndarray

    @classmethod
    def of(cls, places: _Places) -> _Vocabulary:
        legal_rows = []
        for form in fn.LEGAL_FORMS:
            alternatives = list(form.alternatives) * 3
            legal_rows.append([form.canonical, form.canonical.upper(), fn.plain(form.canonical), form.canonical + ",",
                               *alternatives[:3]])
        trades = fn.TRADES
        trade_rows = [[" ".join(p), " ".join(p).upper(), fn.plain(" ".join(p)), " - ".join(p), fn.folded(" ".join(p))]
                      for p in trades.phrases]
        syllables = [s for s, _ in fn.SYLLABLES]
        word_list = syllables + list(places.short)
        forbidden = {fn.folded(w) for w in word_list}
        word_rows = []
        for word in word_list:
            mistyped = fn.typos(word, forbidden, _TYPO_FORMS) or (word,) * _TYPO_FORMS  # none: never with these tables
            word_rows.append([word, word.upper(), fn.plain(word), *mistyped, fn.folded(word)])
        return cls(
            legal=_flat(legal_rows),
            trade=_flat(trade_rows),
            words=_flat(word_rows),
            n_legal=len(legal_rows),
            n_trade=len(trade_rows),
            n_words=len(word_rows),
            n_syllables=len(syllables),
            syllable_weights=np.array([w for _, w in fn.SYLLABLES], dtype=np.float64),
            trade_empty=np.array([len(p) == 0 for p in trades.phrases]),
            sectors=pa.array([fn.SECTORS[s] for s in trades.sectors], type=pa.string()),
            public_kind_of_trade=np.array(trades.public_kind),
        )


def _flat(rows: list[list[str]]) -> pa.Array:
    """Rows of forms → one array indexed form * len(rows) + id."""
    forms = len(rows[0])
    return pa.array([fn.nfc(rows[i][f]) for f in range(forms) for i in range(len(rows))], type=pa.string())


def _draw_names(rng: np.random.Generator, world: _World, vocab: _Vocabulary, places: _Places) -> None:
    """Trade words and distinctive words for every parent and public body, unique in folded form."""
    n_tax = world.records
    n_public = len(world.public_kind)
    parents = np.arange(world.parents)
    trades = fn.TRADES
    legal = world.legal[parents]
    trade = np.zeros(world.parents, np.int64)
    groups = {fn.TNHH: trades.company, fn.TNHH_MTV: trades.company, fn.CP: trades.company, fn.DNTN: trades.dntn,
              fn.HTX: trades.htx, fn.STATE: trades.state}
    for form, weights in groups.items():  # a loop over six legal forms
        rows = np.flatnonzero(legal == form)
        trade[rows] = _pick(rng, weights, len(rows))
    kind_trade = {kind: i for i, kind in enumerate(trades.public_kind) if kind >= 0}
    public_trade = np.array([kind_trade[int(k)] for k in range(len(fn.PUBLIC_KINDS))])[world.public_kind]
    # Cooperatives, state companies and some public bodies are named after their place.
    place = np.full(world.parents + n_public, -1, np.int64)
    place[:world.parents] = np.where(legal == fn.HTX, world.commune[parents],
                                     np.where(legal == fn.STATE, len(places.short) - 1, -1))
    by_commune = np.array([kind[4] for kind in fn.PUBLIC_KINDS])[world.public_kind]
    place[world.parents:] = np.where(by_commune | (rng.random(n_public) < 0.2), world.commune[n_tax:], -1)
    named_trade = np.concatenate([trade, public_trade])
    words = _unique_words(rng, vocab, named_trade, place)
    # Branches carry their parent's name; public entities follow the records.
    entity_trade = np.concatenate([trade[world.parent], public_trade])
    entity_words = np.concatenate([words[:world.parents][world.parent], words[world.parents:]])
    world.trade = entity_trade
    world.words = entity_words
    world.typo_pick = rng.integers(0, _TYPO_FORMS, n_tax + n_public)


def _unique_words(rng: np.random.Generator, vocab: _Vocabulary, trade: np.ndarray, place: np.ndarray) -> np.ndarray:
    """Distinctive words (up to three word ids) so that trade words + distinctive name never repeat in folded
    form: two syllables (or the place) first; a name already taken gets three syllables, as registrars make
    founders do ("Phú Hưng Thịnh")."""
    n = len(trade)
    words = np.full((n, 3), -1, np.int64)
    has_place = place >= 0
    words[:, 0] = np.where(has_place, vocab.n_syllables + np.maximum(place, 0), _syllables(rng, vocab, n))
    second = _syllables(rng, vocab, n)
    second = np.where(second == words[:, 0], (second + rng.integers(1, vocab.n_syllables, n)) % vocab.n_syllables,
                      second)
    words[:, 1] = np.where(has_place, -1, second)
    todo = np.arange(n)
    for _ in range(20):
        keys = _folded_keys(vocab, trade, words)
        encoded = keys.dictionary_encode().indices.to_numpy(zero_copy_only=False)
        _, first = np.unique(encoded, return_index=True)
        duplicate = np.ones(n, dtype=bool)
        duplicate[first] = False
        todo = np.flatnonzero(duplicate)
        if not len(todo):
            return words
        m = len(todo)
        picked = np.stack([_syllables(rng, vocab, m) for _ in range(3)], axis=1)
        picked[:, 1] = np.where(picked[:, 1] == picked[:, 0], (picked[:, 1] + 1) % vocab.n_syllables, picked[:, 1])
        clash = (picked[:, 2] == picked[:, 0]) | (picked[:, 2] == picked[:, 1])
        picked[:, 2] = np.where(clash, (picked[:, 2] + 2) % vocab.n_syllables, picked[:, 2])
        picked[:, 2] = np.where((picked[:, 2] == picked[:, 0]) | (picked[:, 2] == picked[:, 1]),
                                (picked[:, 2] + 3) % vocab.n_syllables, picked[:, 2])
        words[todo] = picked
    raise RuntimeError("could not make enterprise names unique")  # pragma: no cover


def _syllables(rng: np.random.Generator, vocab: _Vocabulary, count: int) -> np.ndarray:
    return _pick(rng, vocab.syllable_weights, count)


def _folded_keys(vocab: _Vocabulary, trade: np.ndarray, words: np.ndarray) -> pa.Array:
    folded_trade = 4
    folded_word = 3 + _TYPO_FORMS
    pieces = [_take(vocab.trade, folded_trade * vocab.n_trade + trade, vocab.trade_empty[trade])]
    for column in range(3):
        ids = words[:, column]
        pieces.append(_take(vocab.words, folded_word * vocab.n_words + np.maximum(ids, 0), ids < 0))
    return pc.binary_join_element_wise(*pieces, " ", null_handling="skip")


def _take(table: pa.Array, index: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return table.take(pa.array(np.asarray(index, dtype=np.int64), mask=missing))


def _names(
    rng: np.random.Generator, world: _World, vocab: _Vocabulary, places: _Places, entities: np.ndarray,
    variant: np.ndarray, typo: np.ndarray | None = None, abridged: np.ndarray | None = None,
) -> pa.Array:
    """The names of `entities` written in the given NAME_VARIANTS way; typos in the last distinctive word,
    trade words left out when abridged. Branches: "Chi nhánh [số k] <parent's name> tại <commune>"."""
    n = len(entities)
    typo = np.zeros(n, dtype=bool) if typo is None else typo
    abridged = np.zeros(n, dtype=bool) if abridged is None else abridged
    same, case, legal_form, no_diacritics, punctuation = range(len(NAME_VARIANTS))
    word_form = np.select([variant == case, variant == no_diacritics], [_UPPER, _PLAIN], _CANON)

    legal = world.legal[entities]
    legal_form_index = np.select(
        [variant == case, variant == no_diacritics, variant == punctuation, variant == legal_form],
        [1, 2, 3, 4 + rng.integers(0, 3, n)], 0,
    )
    legal_piece = _take(vocab.legal, legal_form_index * vocab.n_legal + np.maximum(legal, 0), legal < 0)
    trade = world.trade[entities]
    trade_form = np.select([variant == case, variant == no_diacritics, variant == punctuation], [1, 2, 3], 0)
    trade_piece = _take(vocab.trade, trade_form * vocab.n_trade + trade, vocab.trade_empty[trade] | abridged)
    words = world.words[entities]
    last = np.where(words[:, 2] >= 0, 2, np.where(words[:, 1] >= 0, 1, 0))
    word_pieces = []
    for column in range(3):
        ids = words[:, column]
        form = np.where(typo & (last == column), 3 + world.typo_pick[entities], word_form)
        word_pieces.append(_take(vocab.words, form * vocab.n_words + np.maximum(ids, 0), ids < 0))

    branch_k = np.zeros(n, np.int64)
    is_record = entities < world.records
    branch_k[is_record] = world.branch_k[entities[is_record]]
    branch = branch_k > 0
    fixed = pa.array(["Chi nhánh", "CHI NHÁNH", "Chi nhanh", "số", "SỐ", "so", "tại", "TẠI", "tai", "."])
    style = np.select([variant == case, variant == no_diacritics], [1, 2], 0)
    pre = _take(fixed, style, ~branch)
    number = pc.binary_join_element_wise(
        _take(fixed, 3 + style, ~branch | (branch_k < 2)), pc.cast(pa.array(branch_k), pa.string()), " ")
    commune = world.commune[np.where(is_record, entities, 0)]
    at = _take(fixed, 6 + style, ~branch)
    where = _take(vocab.words, word_form * vocab.n_words + vocab.n_syllables + commune, ~branch)
    tail = _take(fixed, np.full(n, 9), variant != punctuation)
    return pc.binary_join_element_wise(pre, number, legal_piece, trade_piece, *word_pieces, at, where, tail, " ",
                                       null_handling="skip")


def _addresses(rng: np.random.Generator, world: _World, places: _Places, commune: np.ndarray,
               zone: np.ndarray) -> pa.Array:
    """"<số> <đường>, <xã/phường>, <tỉnh/thành phố>": streets in wards, roads and hamlets in rural communes,
    lots in the zones."""
    n = len(commune)
    urban = places.urban[commune]
    number = np.minimum(np.ceil(rng.lognormal(np.log(60), 1.1, n)), 999).astype(np.int64)
    alley = np.minimum(np.ceil(rng.lognormal(np.log(12), 0.8, n)), 199).astype(np.int64)
    streets = pa.array(fn.STREETS)
    roads = pa.array(fn.ROADS)
    hamlets = pa.array([f"Ấp {h}" for h in person_names.HAMLETS])
    number_text = pc.cast(pa.array(number), pa.string())
    with_alley = pc.binary_join_element_wise(number_text, pc.cast(pa.array(alley), pa.string()), "/")
    mode = np.where(urban, np.where(rng.random(n) < 0.3, 1, 0), np.where(rng.random(n) < 0.55, 2, 3))
    mode = np.where(zone >= 0, 4, mode)
    street = streets.take(pa.array(rng.integers(0, len(streets), n)))
    road = roads.take(pa.array(rng.integers(0, len(roads), n)))
    hamlet = hamlets.take(pa.array(rng.integers(0, len(hamlets), n)))
    lot = pc.binary_join_element_wise(
        pa.array(np.full(n, "Lô")), pc.binary_join_element_wise(
            pa.array(np.array(list("ABCDEFGH"))[rng.integers(0, 8, n)]),
            pc.cast(pa.array(rng.integers(1, 40, n)), pa.string()), ""), " ")
    zone_name = pa.array(list(world.zone_names) + [""]).take(pa.array(np.where(zone >= 0, zone, len(world.zone_names))))
    first = pc.case_when(
        pc.make_struct(pa.array(mode == 0), pa.array(mode == 1), pa.array(mode == 2), pa.array(mode == 3),
                       field_names=["a", "b", "c", "d"]),
        pc.binary_join_element_wise(number_text, street, " "),
        pc.binary_join_element_wise(with_alley, street, " "),
        pc.binary_join_element_wise(road, hamlet, ", "),
        pc.binary_join_element_wise(number_text, road, " "),
        pc.binary_join_element_wise(lot, zone_name, ", "),
    )
    commune_names = pa.array(places.names).take(pa.array(commune))
    return pc.binary_join_element_wise(first, commune_names, pa.array(np.full(n, places.province_name)), ", ")


# ----------------------------------------------------------------------------------------------------------
# Tables and truth
# ----------------------------------------------------------------------------------------------------------


def _code_strings(number: np.ndarray, branch_k: np.ndarray) -> pa.Array:
    """10-digit tax codes, "-00k" appended for branches; null where number < 0."""
    rows = np.full((len(number), 14), 32, dtype=np.uint8)
    rows[:, :10] = _digits(np.maximum(number, 0), 10)
    branch = branch_k > 0
    rows[branch, 10] = ord("-")
    rows[branch, 11:] = _digits(branch_k[branch], 3)
    text = pc.utf8_rtrim_whitespace(_strings(rows))
    return pc.if_else(pa.array(number < 0), pa.scalar(None, pa.string()), text)


def _tables(
    rng: np.random.Generator, world: _World, vocab: _Vocabulary, places: _Places, cal: _Calendar, province_code: str
) -> tuple[dict[str, pa.Table], pa.Table, dict[str, int]]:
    n_tax = world.records
    n_units = len(world.unit_entity)
    records = np.arange(n_tax)
    unit_safe = np.maximum(world.unit_of, 0)
    has_unit = world.unit_of >= 0

    # Tax registry: canonical names, ordered by tax code.
    tax_names = _names(rng, world, vocab, places, records, np.zeros(n_tax, np.int64))
    tax_codes = _code_strings(world.tax_code, world.branch_k)
    zone_of = world.zone
    tax_address = _addresses(rng, world, places, world.commune[:n_tax], zone_of)
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
    unit_names = _names(rng, world, vocab, places, entity, world.unit_name_variant,
                        typo=np.isin(key, [_TYPO_KEY, _ABRIDGED_KEY]), abridged=key == _ABRIDGED_KEY)
    moved = key == _MOVED_KEY
    unit_address = tax_address.take(pa.array(np.where(key == _UNIT_ONLY_KEY, 0, entity)))
    other = np.flatnonzero(moved | (key == _UNIT_ONLY_KEY))
    if len(other):
        fresh = _addresses(rng, world, places, world.unit_commune[other], np.full(len(other), -1))
        mask = np.zeros(n_units, dtype=bool)
        mask[other] = True
        scatter = np.zeros(n_units, np.int64)
        scatter[other] = np.arange(len(other))
        unit_address = pc.if_else(pa.array(mask), fresh.take(pa.array(scatter)), unit_address)
    enterprise = key != _UNIT_ONLY_KEY
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
    unit_active = has_unit & (world.unit_status[unit_safe] == _UNIT_ACTIVE)
    tax_active = world.status == _ACTIVE
    covered = world.covered_by >= 0
    finding = np.full(n_tax, -1, np.int64)
    finding[~has_unit & ~covered & tax_active & (world.tax_workers > 0)] = 0
    unit_w = world.unit_workers[unit_safe]
    under = unit_active & tax_active & (world.tax_workers > unit_w)
    finding[under] = 1
    finding[unit_active & ~tax_active] = 2
    gap = np.where(under, world.tax_workers - unit_w, -1)
    variant_labels = list(NAME_VARIANTS) + list(_KEYS[1:]) + ["branch_parent", "no_unit"]
    unit_key = key[unit_safe]
    variant = np.where(unit_key == _CODE, world.unit_name_variant[unit_safe], len(NAME_VARIANTS) + unit_key - 1)
    variant = np.where(has_unit, variant, np.where(covered, len(variant_labels) - 2, len(variant_labels) - 1))
    name_variant = np.where(has_unit, world.unit_name_variant[unit_safe], -1)
    true_unit = np.where(has_unit, world.unit_of, world.covered_by)
    truth_tax = _truth_rows("tax", position, tax_codes, tax_names, world.unit_codes, true_unit, finding, variant,
                            variant_labels, name_variant, gap)

    # Zones and unions: each with its own way of writing names and codes.
    zoned = np.flatnonzero(world.zone >= 0)
    zone_variant = _pick(rng, _NAME_VARIANT_SHARES, len(zoned))
    zone_workers = world.true_workers[zoned] + world.zone_extra[zoned]
    zone_missing = rng.random(len(zoned)) < 0.03
    zones_table, truth_zones = _outside_list(
        rng, world, vocab, places, "zones", zoned, zone_variant, zone_missing, zone_workers, variant_labels,
        np.zeros(len(zoned), dtype=bool),
        extra={"zone": pa.array(list(world.zone_names)).take(pa.array(world.zone[zoned]))}, value_name="workers",
    )
    unionised = np.flatnonzero(world.union_members > 0)
    union_variant = _pick(rng, _NAME_VARIANT_SHARES, len(unionised))
    union_missing = rng.random(len(unionised)) < 0.15
    unions_table, truth_unions = _outside_list(
        rng, world, vocab, places, "unions", unionised, union_variant, union_missing,
        world.union_members[unionised], variant_labels, rng.random(len(unionised)) < 0.5, extra={},
        value_name="members",
    )

    changes = _changes(world, cal, tax_codes, tax_names, commune_codes)
    truth = pa.concat_tables([truth_tax, truth_zones, truth_unions])

    planted: dict[str, int] = {}
    for index, label in enumerate(_KEYS):
        planted[f"units.{label}"] = int((key == index).sum())
    for index, label in enumerate(NAME_VARIANTS):
        planted[f"units.{label}"] = int(((key == _CODE) & (world.unit_name_variant == index)).sum())
    planted["units.branch_unit"] = int((enterprise & (branch_k > 0)).sum())
    planted["units.closed"] = int((world.unit_status == _UNIT_CLOSED).sum())
    planted["units.suspended"] = int((world.unit_status == _UNIT_SUSPENDED).sum())
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
    rng: np.random.Generator, world: _World, vocab: _Vocabulary, places: _Places, source: str, rows: np.ndarray,
    name_variant: np.ndarray, missing_code: np.ndarray, value: np.ndarray, variant_labels: list[str],
    missing_commune: np.ndarray, extra: dict[str, pa.Array], value_name: str,
) -> tuple[pa.Table, pa.Table]:
    """A zone or union list: one row per enterprise, ordered by name; and its truth rows."""
    names = _names(rng, world, vocab, places, rows, name_variant)
    codes = _code_strings(np.where(missing_code, -1, world.tax_code[rows]), world.branch_k[rows])
    commune = world.commune[rows]
    unit = world.unit_of[rows]
    unit_safe = np.maximum(unit, 0)
    has_unit = unit >= 0
    unit_w = world.unit_workers[unit_safe]
    finding = np.where(~has_unit, 0, np.where(value > unit_w, 1, -1))
    gap = np.where(has_unit & (value > unit_w), value - unit_w, -1)
    unit_key = world.unit_key[unit_safe]
    variant = np.where(unit_key == _CODE, name_variant, len(NAME_VARIANTS) + unit_key - 1)
    variant = np.where(missing_code & (unit_key == _CODE), len(NAME_VARIANTS) + _MISSING_KEY - 1, variant)
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


def _changes(world: _World, cal: _Calendar, codes: pa.Array, names: pa.Array, commune_codes: pa.Array) -> pa.Table:
    """Business registration events of the last 12 months, consistent with the tax statuses."""
    record, kind, day = _changes_rows(world, cal)
    return pa.table({
        "tax_code": codes.take(pa.array(record)),
        "name": names.take(pa.array(record)),
        "commune_code": commune_codes.take(pa.array(world.commune[record])),
        "change": pa.array(CHANGE_KINDS).take(pa.array(kind)),
        "changed_on": _dates(day),
    })


def _changes_rows(world: _World, cal: _Calendar) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    add(parent & (world.status == _SUSPENDED) & in_year, suspended, world.closed_on)
    add(parent & (world.status == _DISSOLVED) & in_year, dissolved, world.closed_on)
    add(parent & (world.status == _BANKRUPT) & in_year, bankrupt, world.closed_on)
    record = np.concatenate(records)
    kind = np.concatenate(kinds)
    day = np.concatenate(days)
    order = np.lexsort((kind, record, day))
    return record[order], kind[order], day[order]


# ----------------------------------------------------------------------------------------------------------
# Ledger
# ----------------------------------------------------------------------------------------------------------


def _delays(rng: np.random.Generator, count: int) -> np.ndarray:
    """Days a late payment comes after the deadline: mostly days, sometimes months (1–200)."""
    kind = rng.random(count)
    short = 1 + np.minimum(np.floor(rng.exponential(8.0, count)), 29)
    medium = rng.integers(31, 91, count)
    long = rng.integers(91, 201, count)
    return np.where(kind < 0.72, short, np.where(kind < 0.94, medium, long)).astype(np.int64)


def _ledger(rng: np.random.Generator, world: _World, cal: _Calendar) -> tuple[pa.Table, dict[str, int]]:
    """Due rows month by month, and the payments: on time, late episodes, stoppers, overpayments."""
    n = len(world.unit_entity)
    never = cal.last + _NEVER
    infinite = np.iinfo(np.int64).max // 4
    opened = np.maximum(world.unit_opened_month, cal.first)
    last_due = np.minimum(world.unit_closed_month - 1, cal.last)
    end_ref = np.minimum(world.unit_closed_month - 1, cal.last)
    workers = world.unit_history_workers.astype(np.float64)
    growth = rng.normal(0.03, 0.1, n)
    base = np.maximum(np.round(_BASE_SALARY * rng.lognormal(-0.03, 0.25, n), -3), 4_200_000)
    last_year = (cal.last // 12)

    # Stoppers: 1% of active units stop 3–12 months and pay a lump sum (65%) or never; closed-outside units
    # that stopped. Months they leave unpaid are late months the random episodes need not make.
    active_now = world.unit_status == _UNIT_ACTIVE
    stopper = active_now & (world.unit_stops_paying >= never) & (rng.random(n) < _STOPPERS)
    length = rng.integers(3, 13, n)
    lump = rng.random(n) < 0.65
    latest_start = cal.last - length - 1
    early = cal.first + (rng.random(n) * np.maximum(latest_start - cal.first, 0)).astype(np.int64)
    streak_start = np.where(lump, early, cal.last - length + 1)
    streak_start = np.maximum(streak_start, opened)
    stopper &= streak_start <= cal.last - 1
    streak_start = np.where(stopper, streak_start, never)
    lump_day = _month_start(np.minimum(streak_start + length + 1, never)) + rng.integers(4, 27, n)
    streak_catch = np.where(lump, lump_day, infinite)
    stops_paying = np.where(world.unit_stops_paying < never, np.maximum(world.unit_stops_paying, opened), never)

    # Late months the stoppers make (deadline passed on as_of): the rest comes from random episodes.
    eligible = np.maximum(0, np.minimum(last_due, cal.last - 1) - opened + 1)
    forced_lump = np.where(stopper & lump, np.minimum(length, np.maximum(0, cal.last - streak_start)), 0)
    forced_never = np.where(stopper & ~lump, np.maximum(0, cal.last - streak_start), 0)
    forced_ca = np.where(stops_paying < never, np.maximum(0, np.minimum(last_due, cal.last - 1) - stops_paying + 1), 0)
    forced = forced_lump + forced_never + forced_ca
    free = np.maximum(eligible - forced, 0).astype(np.float64)
    propensity = np.array([0.1, 1.0, 5.0])[_pick(rng, (0.78, 0.17, 0.05), n)]
    sample = _delays(np.random.default_rng(0), 20_000)
    per_episode = float(np.mean(1 + np.floor(sample / 30.44)))
    # Episodes cut short by the end of the extract, and months lost to blocking, fall ~3% short: made up here.
    wanted = 1.03 * _LATE_SHARE * eligible.sum() - forced.sum()
    probability = _solve_episode_rate(propensity, free, per_episode, max(wanted, 0.0))
    overpayer = rng.random(n) < _OVERPAYERS

    catch = np.zeros(n, np.int64)  # day the running episode's arrears are paid (0: none)
    owed = np.zeros(n, np.int64)
    owed_from = np.full(n, -1, np.int64)
    credit = np.zeros(n, np.int64)
    partial = np.zeros(n, dtype=bool)
    fraction = np.zeros(n)
    due_parts: list[tuple[np.ndarray, ...]] = []
    pay_parts: list[tuple[np.ndarray, ...]] = []
    episodes = 0

    def pay(rows: np.ndarray, period: np.ndarray, amount: np.ndarray, day: np.ndarray) -> None:
        keep = (amount > 0) & (day <= cal.as_of)  # the extract knows nothing after its day
        pay_parts.append((rows[keep].astype(np.int32), period[keep].astype(np.int32), amount[keep],
                          day[keep].astype(np.int32)))

    for month in range(cal.first, cal.last + 1):  # a loop over months, whole arrays of units inside
        open_now = (opened <= month) & (month <= last_due)
        rows = np.flatnonzero(open_now)
        since = (np.minimum(month, end_ref[rows]) - end_ref[rows]) / 12.0
        headcount = np.maximum(1, np.round(workers[rows] * np.exp(growth[rows] * since)))
        salary = np.round(base[rows] * (1 + _YEARLY_RAISE) ** (month // 12 - last_year), -3)
        due_amount = np.round(headcount * salary * _CONTRIBUTION_RATE).astype(np.int64)
        due = np.zeros(n, np.int64)
        due[rows] = due_amount
        due_parts.append((rows.astype(np.int32), np.full(len(rows), month, np.int32), due_amount))

        next_start = int(_month_start(np.int64(month + 1)))
        deadline = int(_month_start(np.int64(month + 2))) - 1
        length_next = deadline - next_start + 1
        regular = next_start + 4 + np.floor(rng.beta(1.6, 1.1, n) * (length_next - 4)).astype(np.int64)
        # Episodes whose arrears are paid before this month's payment day end now.
        ending = np.flatnonzero((catch > 0) & (catch <= regular))
        period = np.where(rng.random(len(ending)) < 0.5, owed_from[ending], -1)
        pay(ending, period, owed[ending], catch[ending])
        catch[ending] = 0
        owed[ending] = 0
        busy = catch > 0
        # New episodes: streaks, closed-outside units that stop, random late months.
        starting = open_now & ~busy & (rng.random(n) < probability)
        catch[starting] = deadline + _delays(rng, int(starting.sum()))
        partial[starting] = rng.random(int(starting.sum())) < _PARTIAL
        fraction[starting] = rng.uniform(0.3, 0.8, int(starting.sum()))
        episodes += int(starting.sum())
        streak = open_now & (streak_start == month)
        catch[streak] = streak_catch[streak]
        partial[streak] = False
        stop = open_now & (stops_paying == month)
        catch[stop] = infinite
        partial[stop] = False
        new = starting | streak | stop
        owed_from[new & ~busy] = month
        busy = catch > 0
        # This month's dues: paid on the regular day, or (partly) carried into the episode's arrears.
        in_episode = open_now & busy
        part = np.where(partial & in_episode, np.floor(due * fraction), 0).astype(np.int64)
        owed[in_episode] += due[in_episode] - part[in_episode]
        episode_rows = np.flatnonzero(in_episode & (part > 0))
        pay(episode_rows, np.full(len(episode_rows), month), part[episode_rows], regular[episode_rows])
        normal = np.flatnonzero(open_now & ~busy)
        amount = np.maximum(due[normal] - credit[normal], 0)
        credit[normal] = np.maximum(credit[normal] - due[normal], 0)
        over = overpayer[normal] & (rng.random(len(normal)) < 0.1)
        extra = np.where(over, np.round(due[normal] * rng.uniform(0.05, 0.6, len(normal)), -3), 0).astype(np.int64)
        credit[normal] += extra
        pay(normal, np.full(len(normal), month), amount + extra, regular[normal])

    finishing = np.flatnonzero((catch > 0) & (catch < infinite))
    pay(finishing, np.where(rng.random(len(finishing)) < 0.5, owed_from[finishing], -1), owed[finishing],
        catch[finishing])

    # Rows unit by unit, each month's due row before the payments of its day; the columns are gathered one by
    # one so that a province's twenty million rows never sit in memory twice over.
    n_due = sum(len(p[0]) for p in due_parts)
    unit = np.concatenate([p[0] for p in due_parts] + [p[0] for p in pay_parts])
    period = np.concatenate([p[1] for p in due_parts] + [p[1] for p in pay_parts])
    amount = np.concatenate([p[2] for p in due_parts] + [p[2] for p in pay_parts])
    day = np.concatenate([p[3] for p in pay_parts]) if pay_parts else np.zeros(0, np.int32)
    due_parts.clear()
    pay_parts.clear()
    day = np.concatenate([_month_start(period[:n_due]).astype(np.int32), day])
    origin = int(_month_start(np.int64(cal.first))) - 1
    key = (unit.astype(np.int64) << 20) | ((day - origin).astype(np.int64) << 1)
    key[n_due:] |= 1
    order = np.argsort(key)
    del key
    payment = order >= n_due
    unit_codes = world.unit_codes.take(pa.array(unit[order]))
    del unit
    period = period[order]
    period_dates = _dates(_month_start(np.maximum(period, cal.first)), period < 0)
    del period
    amount = amount[order]
    amount_due = pa.array(np.where(payment, 0, amount))
    amount_paid = pa.array(np.where(payment, amount, 0))
    del amount
    paid_on = _dates(np.where(payment, day[order], 0), ~payment)
    del day, order
    table = pa.table({"unit_code": unit_codes, "period": period_dates, "amount_due": amount_due,
                      "amount_paid": amount_paid, "paid_on": paid_on})
    counts = {
        "ledger.late_episodes": episodes,
        "ledger.stoppers_lump_sum": int((stopper & lump).sum()),
        "ledger.stoppers_never": int((stopper & ~lump).sum()),
        "ledger.closed_active_stopped": int((world.unit_stops_paying < never).sum()),
        "ledger.overpayers": int(overpayer.sum()),
    }
    return table, counts


def _solve_episode_rate(propensity: np.ndarray, free: np.ndarray, per_episode: float, wanted: float) -> np.ndarray:
    """Monthly chance of a late episode per unit, ∝ its propensity, so that the expected late months are
    `wanted`; a running episode blocks new ones, so each unit starts p / (1 + p (L − 1)) a month."""
    def late_months(scale: float) -> float:
        p = np.minimum(scale * propensity, 0.9)
        return float((free * per_episode * p / (1 + p * (per_episode - 1))).sum())

    low, high = 0.0, 1.0
    while late_months(high) < wanted and high < 1e3:
        high *= 2
    for _ in range(50):
        middle = (low + high) / 2
        if late_months(middle) < wanted:
            low = middle
        else:
            high = middle
    return np.minimum(high * propensity, 0.9)


# ----------------------------------------------------------------------------------------------------------
# The files the bodies hand in
# ----------------------------------------------------------------------------------------------------------

_TAX_STATUS_TEXT = {"active": "Đang hoạt động", "suspended": "Tạm ngừng kinh doanh", "dissolved": "Đã giải thể",
                    "bankrupt": "Phá sản"}
_UNIT_STATUS_TEXT = {"active": "Đang hoạt động", "suspended": "Tạm dừng", "closed": "Đã đóng"}
_CHANGE_TEXT = {"registered": "Thành lập mới", "suspended": "Tạm ngừng kinh doanh", "dissolved": "Giải thể",
                "bankrupt": "Phá sản", "resumed": "Hoạt động trở lại"}
#: File name → (row of the header, 1-based, as Excel numbers it; column names).
SOURCE_FILES = {
    "dang_ky_thue.xlsx": (5, ("STT", "Mã số thuế", "Tên người nộp thuế", "Địa chỉ trụ sở", "Tình trạng hoạt động",
                              "Số lao động")),
    "don_vi_bhxh.xlsx": (1, ("Mã đơn vị", "Mã số thuế", "Tên đơn vị", "Địa chỉ", "Mã xã", "Ngành nghề", "Loại hình",
                             "Số lao động", "Trạng thái")),
    "thay_doi_dkkd.csv": (1, ("MST", "Tên doanh nghiệp", "Nội dung thay đổi", "Ngày hiệu lực")),
    "kcn.xlsx": (1, ("Mã số thuế", "Tên doanh nghiệp", "Khu công nghiệp", "Số lao động")),
    "cong_doan.xlsx": (1, ("Mã số thuế", "Tên doanh nghiệp", "Số đoàn viên")),
    "so_thu.csv": (1, ("unit_code", "period", "amount_due", "amount_paid", "paid_on")),
}


def write_source_files(out_dir: Path, dest: Path) -> dict[str, Path]:
    """The datasets of `out_dir` as the files other bodies really hand in (for the imports and the demo).

    Meant for demo sizes (thousands of units): rows go through Python one by one.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    out_dir, dest = Path(out_dir), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    manifest = EmployerManifest.from_json((out_dir / "manifest.json").read_text(encoding="utf-8"))
    data = {name: dataset_read(name, out_dir).to_pylist() for name in ("tax", "units", "changes", "zones", "unions")}
    paths: dict[str, Path] = {}

    def workbook(file_name: str, title: str, rows, titles: Sequence[str] = ()) -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title)
        header_row, header = SOURCE_FILES[file_name]
        bold = Font(bold=True)
        for line, text in enumerate(titles, start=1):
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            cell.alignment = Alignment(horizontal="center")
            sheet.merged_cells.add(f"A{line}:{chr(64 + len(header))}{line}")
            sheet.append([cell])
        for _ in range(len(titles) + 1, header_row):
            sheet.append([])
        header_cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(row)
        path = dest / file_name
        book.save(path)
        paths[file_name] = path

    as_of = manifest.as_of
    workbook(
        "dang_ky_thue.xlsx", "NNT",
        ([i, r["tax_code"], r["name"], r["address"], _TAX_STATUS_TEXT[r["status"]], r["workers"]]
         for i, r in enumerate(data["tax"], start=1)),
        titles=(f"CỤC THUẾ {manifest.province_name.upper()}", "DANH SÁCH NGƯỜI NỘP THUẾ ĐANG QUẢN LÝ",
                f"(Đến ngày {as_of:%d/%m/%Y})"),
    )
    workbook(
        "don_vi_bhxh.xlsx", "DonVi",
        ([r["unit_code"], r["tax_code"], r["name"], r["address"], r["commune_code"], r["sector"], r["ownership"],
          r["workers"], _UNIT_STATUS_TEXT[r["status"]]] for r in data["units"]),
    )
    workbook("kcn.xlsx", "KCN", ([r["tax_code"], r["name"], r["zone"], r["workers"]] for r in data["zones"]))
    workbook("cong_doan.xlsx", "CongDoan", ([r["tax_code"], r["name"], r["members"]] for r in data["unions"]))

    path = dest / "thay_doi_dkkd.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(SOURCE_FILES["thay_doi_dkkd.csv"][1])
        for r in data["changes"]:
            writer.writerow([r["tax_code"], r["name"], _CHANGE_TEXT[r["change"]], f"{r['changed_on']:%d/%m/%Y}"])
    paths["thay_doi_dkkd.csv"] = path

    ledger = dataset_read("ledger", out_dir)
    path = dest / "so_thu.csv"
    text = pa.table({
        "unit_code": ledger["unit_code"],
        "period": pc.fill_null(pc.strftime(ledger["period"], format="%Y-%m"), ""),
        "amount_due": ledger["amount_due"],
        "amount_paid": ledger["amount_paid"],
        "paid_on": pc.fill_null(pc.strftime(ledger["paid_on"], format="%d/%m/%Y"), ""),
    })
    with path.open("wb") as handle:  # the header unquoted, as the documented shape has it
        handle.write((",".join(SOURCE_FILES["so_thu.csv"][1]) + "\n").encode())
        pa_csv.write_csv(text, handle, pa_csv.WriteOptions(include_header=False, quoting_style="none"))
    paths["so_thu.csv"] = path
    return paths
