"""A synthetic province, person by person: the three Parquet files of docs/data.md and their manifest.

Why: the coverage engine, the dashboard and every demo need person-level data that behaves like a real
extract of the population registry and the BHXH databases, without anybody's personal data. Officials
will read these lists, so the data must look real (names, households, hamlets, ID numbers) and its totals
must land where the province's plan says they stand (Cần Thơ 2025 by default, scaled to `persons`):

- BHYT coverage on `as_of` just under the year's target (98.5–99.5% of it), rising through the year;
- compulsory participants 97–98% of those required, BHTN for 93.5% of them, voluntary at the plan's level;
- communes that differ, yet stay plausible once the targets are split on their own figures: most within a
  few points of the province's rates, about one in eight clearly behind, one in twelve clearly ahead.

How: everything is drawn with numpy in whole arrays, chunk by chunk of communes (about a million persons
each), and written with a ParquetWriter while the next chunk is drawn. The same arguments give the same
files: one `numpy.random.default_rng` tree seeded from `seed`, no clock, no `hash()`.

The model, in the order it is drawn:

1. Communes get a size (lognormal), a BHYT level, an evasion rate, a voluntary and a compulsory standing
   (their rate over the province's), hamlets and a pool of employers.
2. Households are drawn as elders + core adults + children with ages tied to one another, then kept or
   dropped so that the population pyramid (by sex) matches the target; every member gets a name.
3. Labour status and BHXH spans (compulsory with employers, voluntary, the recently retired); contract
   workers, evaders, voluntary participants and BHTN are drawn with exact counts per commune, so a small
   commune's rates are not moved by chance.
4. One BHYT "track" per person by what entitles them on `as_of` (a child under 6, a group-1 worker,
   a pensioner, the poor, a student, …); everybody else buys household cards, whose take-up per commune
   is solved so that the commune reaches its level.
5. ID numbers last: per (sex-century digit, birth year) a running serial, scrambled by a keyed
   permutation so that numbers look scattered yet never repeat.

Each step has its module (`province`, `households`, `spans`, `cards`, `ids`), `tables` turns a chunk into the
three tables with the bad rows of `defects` in them, and the figures come from `calibration`. This module
only drives them and writes the files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ansinh.demo.synthetic.calibration import Calibration
from ansinh.demo.synthetic.defects import plan_defects
from ansinh.demo.synthetic.manifests import Progress, manifest_from_json, manifest_json, manifest_write
from ansinh.demo.synthetic.province import plan_province
from ansinh.demo.synthetic.tables import CARDS_SCHEMA, PERSONS_SCHEMA, SPANS_SCHEMA, chunk_tables

if TYPE_CHECKING:
    from ansinh.demo.synthetic.communes import CommuneSpec


FILES = ("persons.parquet", "bhyt_cards.parquet", "bhxh_spans.parquet")


@dataclass(frozen=True)
class Manifest:
    """What an extract is: written last, so a directory with a manifest holds a whole data set."""

    province_code: str
    persons: int
    seed: int
    as_of: date
    files: dict[str, int] = field(default_factory=dict)  # rows per file

    def to_json(self) -> str:
        return manifest_json(self)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        return manifest_from_json(cls, text)



def generate(
    *,
    out_dir: Path,
    persons: int,
    communes: Sequence[CommuneSpec],
    province_code: str = "092",
    seed: int = 2025,
    as_of: date = date(2025, 10, 31),
    calibration: Calibration = Calibration(),
    defects: bool = True,
    progress: Progress | None = None,
) -> Manifest:
    """Write persons.parquet, bhyt_cards.parquet, bhxh_spans.parquet and manifest.json into `out_dir`.

    Files are written under temporary names and renamed at the end, the manifest last (and any old
    manifest is removed before the data files are replaced), so a crash never leaves a half data set that
    looks whole. `progress(step, fraction)` is called as the work goes, with the step in Vietnamese.
    """
    if persons < 1:
        raise ValueError("persons must be at least 1")
    if not communes:
        raise ValueError("at least one commune is needed")
    if not (len(province_code) == 3 and province_code.isdigit()):
        raise ValueError("province_code must be 3 digits, e.g. '092'")
    if not 1990 <= as_of.year <= 2130:
        raise ValueError("as_of must be between 1990 and 2130")
    say = progress or (lambda _step, _fraction: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    say("Chuẩn bị xã, phường, ấp và đơn vị sử dụng lao động", 0.0)
    seeds = np.random.SeedSequence(seed)
    province_seed, defects_seed = seeds.spawn(2)
    province = plan_province(
        np.random.default_rng(province_seed), persons, communes, province_code, as_of, calibration
    )
    defect_plan = plan_defects(np.random.default_rng(defects_seed), province, defects)
    chunk_seeds = seeds.spawn(len(province.chunks))

    temporary = {name: out_dir / f".{name}.{os.getpid()}.tmp" for name in FILES}
    rows = dict.fromkeys(FILES, 0)
    writers = {
        name: pq.ParquetWriter(temporary[name], schema, compression="zstd", compression_level=1)
        for name, schema in zip(FILES, (PERSONS_SCHEMA, CARDS_SCHEMA, SPANS_SCHEMA), strict=True)
    }
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: Future | None = None
            done_persons = 0
            for index, (chunk, chunk_seed) in enumerate(zip(province.chunks, chunk_seeds, strict=True)):
                weight = province.persons[chunk].sum() / persons

                def step(label: str, part: float, done=done_persons / persons, weight=weight) -> None:
                    say(label, min(0.99, done + weight * part))

                tables = chunk_tables(
                    province, chunk, np.random.default_rng(chunk_seed), defect_plan.get(index), step
                )
                if pending is not None:
                    pending.result()  # keep at most one chunk waiting to be written
                for name, table in zip(FILES, tables, strict=True):
                    rows[name] += table.num_rows
                pending = pool.submit(_write, writers, tables)
                done_persons += int(province.persons[chunk].sum())
                step("Ghi tệp Parquet", 1.0)
            if pending is not None:
                pending.result()
        for writer in writers.values():
            writer.close()
        manifest = Manifest(province_code, persons, seed, as_of, rows)
        _commit(out_dir, temporary, manifest)
    except BaseException:
        for writer in writers.values():
            try:
                writer.close()
            except Exception:  # noqa: BLE001 - closing after a failure must not hide it
                pass
        for path in temporary.values():
            path.unlink(missing_ok=True)
        raise
    say("Hoàn tất", 1.0)
    return manifest


def _write(writers: dict[str, pq.ParquetWriter], tables: Sequence[pa.Table]) -> None:
    """Runs on the writer thread: pyarrow compresses and writes without holding the GIL."""
    for name, table in zip(FILES, tables, strict=True):
        writers[name].write_table(table, row_group_size=1_000_000)


def _commit(out_dir: Path, temporary: dict[str, Path], manifest: Manifest) -> None:
    """Replace the data set: the old manifest goes first and the new one comes last."""
    (out_dir / "manifest.json").unlink(missing_ok=True)
    for name, path in temporary.items():
        os.replace(path, out_dir / name)
    manifest_write(out_dir, manifest)
