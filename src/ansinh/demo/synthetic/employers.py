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

The steps have their modules: `firm_world` (the shares above, the calendar, the places), `firms` (the world),
`firm_naming` (names and addresses), `firm_tables` (datasets and truth) and `ledger`; this module drives them
and writes the files. `source_files.write_source_files` writes the same data as the files the bodies really
hand in (XLSX and CSV).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from ansinh.demo.synthetic.firm_naming import Vocabulary, draw_names
from ansinh.demo.synthetic.firm_tables import draw_tables
from ansinh.demo.synthetic.firm_world import LedgerCalendar, Places
from ansinh.demo.synthetic.firms import draw_world
from ansinh.demo.synthetic.ledger import draw_ledger
from ansinh.demo.synthetic.manifests import Progress, manifest_from_json, manifest_json, manifest_write
from ansinh.employers.schema import DATASETS
from ansinh.employers.storage import dataset_write



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
        return manifest_json(self)

    @classmethod
    def from_json(cls, text: str) -> EmployerManifest:
        return manifest_from_json(cls, text)


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
    cal = LedgerCalendar.of(last_month, months)
    places = Places.of(streams[0], communes, province_name)
    say("Doanh nghiệp, chi nhánh và đơn vị BHXH", 0.05)
    world = draw_world(streams[1], tax_records, units, places, cal, province_code)
    say("Tên doanh nghiệp và địa chỉ", 0.2)
    vocab = Vocabulary.of(places)
    draw_names(streams[2], world, vocab, places)
    tables, truth, planted = draw_tables(streams[3], world, vocab, places, cal, province_code)
    say("Sổ thu: số phải đóng và các lần nộp", 0.45)
    ledger, ledger_counts = draw_ledger(streams[4], world, cal)
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
    manifest_write(out_dir, manifest)
    say("Hoàn tất", 1.0)
    return manifest
