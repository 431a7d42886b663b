"""The settings of a synthetic province's employers: the shares of each planted kind (see `employers`), the
calendar of the ledger, the places, and the world of enterprises, branches and units the steps fill in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa

from ansinh.demo.synthetic import firm_names as fn
from ansinh.demo.synthetic.arrays import pick
from ansinh.demo.synthetic.days import month_start


TRUTH_SCHEMA = pa.schema([
    ("source", pa.string()),  # "tax", "zones", "unions"
    ("record", pa.int64()),  # row number (from 0) of the outside record in its dataset
    ("tax_code", pa.string()),  # as in that outside record (null when it has none)
    ("name", pa.string()),  # as in that outside record
    ("unit_code", pa.string()),  # the true BHXH unit, null when there is none
    ("finding", pa.string()),  # FINDINGS or null
    ("variant", pa.string()),  # what was planted between the record and its unit (see the docstring of employers.py)
    ("name_variant", pa.string()),  # how the name is written differently ("same", "case", …)
    ("worker_gap", pa.int32()),  # for under_declared: outside workers − unit workers
])
FINDINGS = ("unregistered", "under_declared", "closed_active")

# Tax statuses (TAX_STATUSES order) of parents in the registry.
TAX_STATUS_SHARES = (0.75, 0.11, 0.125, 0.015)
ACTIVE, SUSPENDED, DISSOLVED, BANKRUPT = range(4)
UNIT_ACTIVE, UNIT_SUSPENDED, UNIT_CLOSED = range(3)
BRANCHING = 0.03  # parents with branches
BRANCHES_PER_BRANCHING = 1.5
BRANCH_OWN_UNIT = 0.5
# Units.
UNIT_ONLY = 0.04
MISSING = 0.03
WRONG = 0.02
TYPO = 0.01
TYPO_ABRIDGED = 0.3  # of the typos
MOVED = 0.005
CLOSED_ACTIVE = 0.015
CLOSED = 0.08
SUSPENDED_AT_BHXH = 0.03
UNDER_DECLARED = 0.08
UNREGISTERED_PER_REGISTERED = 0.25
ZONES = 0.02
UNIONS = 0.10
# Names.
NAME_VARIANTS = ("same", "case", "legal_form", "no_diacritics", "punctuation")
NAME_VARIANT_SHARES = (0.30, 0.25, 0.20, 0.12, 0.13)
KEYS = ("code", "missing_tax_code", "wrong_tax_code", "typo", "typo_abridged", "moved", "unit_only")
CODE, MISSING_KEY, WRONG_KEY, TYPO_KEY, ABRIDGED_KEY, MOVED_KEY, UNIT_ONLY_KEY = range(len(KEYS))
# Ledger.
CONTRIBUTION_RATE = 0.32  # employer 21.5% + employee 10.5% (DOMAIN.md)
BASE_SALARY = 5_700_000
YEARLY_RAISE = 0.06
LATE_SHARE = 0.026
STOPPERS = 0.01
OVERPAYERS = 0.005
PARTIAL = 0.25  # of late episodes
NEVER = 600  # months after last_month: "never" (inside the calendar tables, which end in 2150)


@dataclass(frozen=True)
class LedgerCalendar:
    """The months of a contribution ledger and the days around them: days numbered from 1970-01-01, months
    from January 1970 (persons have their own, `days.ExtractCalendar`)."""

    last: int  # month index of last_month
    first: int  # first ledger month
    as_of: int  # day: the last day of last_month, when the extract was taken
    window: int  # day: first day of the 12 months of changes

    @classmethod
    def of(cls, last_month: date, months: int) -> LedgerCalendar:
        last = (last_month.year - 1970) * 12 + last_month.month - 1
        return cls(
            last=last,
            first=last - months + 1,
            as_of=int(month_start(np.int64(last + 1))) - 1,
            window=int(month_start(np.int64(last - 11))),
        )

    @property
    def months(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class Places:
    codes: pa.Array  # commune codes
    names: tuple[str, ...]  # official names
    short: tuple[str, ...]  # "Ninh Kiều"; the province's short name appended last
    urban: np.ndarray
    weights: np.ndarray  # share of enterprises
    province_name: str

    @classmethod
    def of(cls, rng: np.random.Generator, communes: Sequence[tuple[str, str]], province_name: str) -> Places:
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
        drawn = pick(rng, self.weights, len(current))
        clash = drawn == current
        return np.where(clash, (drawn + rng.integers(1, len(self.names), len(current))) % len(self.names), drawn)


@dataclass
class World:
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
    unit_key: np.ndarray  # index into KEYS
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
    # names (entity arrays), filled by draw_names
    trade: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    words: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.int64))  # word ids, -1 none
    typo_pick: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def records(self) -> int:
        return len(self.parent)

    @property
    def is_branch(self) -> np.ndarray:
        return self.branch_k > 0
