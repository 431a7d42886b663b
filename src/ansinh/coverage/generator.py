"""A synthetic province, person by person: the three Parquet files of docs/data.md and their manifest.

Why: the coverage engine, the dashboard and every demo need person-level data that behaves like a real
extract of the population registry and the BHXH databases, without anybody's personal data. Officials
will read these lists, so the data must look real (names, households, hamlets, ID numbers) and its totals
must land where the province's plan says they stand (Cần Thơ 2025 by default, scaled to `persons`):

- BHYT coverage on `as_of` just under the year's target (98.5–99.5% of it), rising through the year;
- compulsory participants 97–98% of those required, BHTN for 93.5% of them, voluntary at the plan's level;
- communes that differ: a few clearly behind, the rest close to the target.

How: everything is drawn with numpy in whole arrays, chunk by chunk of communes (about a million persons
each), and written with a ParquetWriter while the next chunk is drawn. The same arguments give the same
files: one `numpy.random.default_rng` tree seeded from `seed`, no clock, no `hash()`.

The model, in the order it is drawn:

1. Communes get a size (lognormal), a BHYT level, an evasion rate, a voluntary and a compulsory factor,
   hamlets and a pool of employers.
2. Households are drawn as elders + core adults + children with ages tied to one another, then kept or
   dropped so that the population pyramid (by sex) matches the target; every member gets a name.
3. Labour status and BHXH spans (compulsory with employers, voluntary, the recently retired).
4. One BHYT "track" per person by what entitles them on `as_of` (a child under 6, a group-1 worker,
   a pensioner, the poor, a student, …); everybody else buys household cards, whose take-up per commune
   is solved so that the commune reaches its level.
5. ID numbers last: per (sex-century digit, birth year) a running serial, scrambled by a keyed
   permutation so that numbers look scattered yet never repeat.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ansinh.coverage import names

__all__ = ["Calibration", "CommuneSpec", "Manifest", "generate", "FILES"]

FILES = ("persons.parquet", "bhyt_cards.parquet", "bhxh_spans.parquet")

PERSONS_SCHEMA = pa.schema([
    ("person_id", pa.string()),
    ("full_name", pa.string()),
    ("gender", pa.string()),
    ("birth_date", pa.date32()),
    ("commune_code", pa.string()),
    ("village", pa.string()),
    ("household_id", pa.string()),
    ("labour_status", pa.string()),
    ("moved_in", pa.date32()),
    ("previous_commune_code", pa.string()),
])
CARDS_SCHEMA = pa.schema([
    ("person_id", pa.string()),
    ("bhyt_group", pa.int8()),
    ("valid_from", pa.date32()),
    ("valid_to", pa.date32()),
])
SPANS_SCHEMA = pa.schema([
    ("person_id", pa.string()),
    ("scheme", pa.string()),
    ("employer_code", pa.string()),
    ("bhtn", pa.bool_()),
    ("first_month", pa.date32()),
    ("last_month", pa.date32()),
])


# ----------------------------------------------------------------------------------------------------------
# Public API
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneSpec:
    """A commune of the province: phường are urban (quarters "Khu vực N"), xã and đặc khu rural ("Ấp …")."""

    code: str
    name: str
    urban: bool


@dataclass(frozen=True)
class Calibration:
    """Province totals of the plan (Cần Thơ 2025, Kế hoạch 53/KH-UBND), scaled to the number of persons."""

    population: int = 3_221_261
    bhyt_target: int = 3_095_954  # 96.11% of the population, the target for 31/12
    labour_force: int = 1_083_410  # the plan's implied denominator (433,364 = 40%)
    compulsory_required: int = 322_000
    compulsory_participants: int = 314_472
    voluntary_participants: int = 118_892
    bhtn_participants: int = 294_046


@dataclass(frozen=True)
class Manifest:
    """What an extract is: written last, so a directory with a manifest holds a whole data set."""

    province_code: str
    persons: int
    seed: int
    as_of: date
    files: dict[str, int] = field(default_factory=dict)  # rows per file

    def to_json(self) -> str:
        return json.dumps(
            {
                "province_code": self.province_code,
                "persons": self.persons,
                "seed": self.seed,
                "as_of": self.as_of.isoformat(),
                "files": dict(self.files),
            },
            ensure_ascii=False,
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        return cls(
            province_code=str(data["province_code"]),
            persons=int(data["persons"]),
            seed=int(data["seed"]),
            as_of=date.fromisoformat(data["as_of"]),
            files={str(k): int(v) for k, v in data.get("files", {}).items()},
        )


Progress = Callable[[str, float], None]


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
    province = _plan_province(
        np.random.default_rng(province_seed), persons, communes, province_code, as_of, calibration
    )
    defect_plan = _plan_defects(np.random.default_rng(defects_seed), province, defects)
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

                tables = _chunk_tables(
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
    staging = out_dir / f".manifest.json.{os.getpid()}.tmp"
    staging.write_text(manifest.to_json() + "\n", encoding="utf-8")
    os.replace(staging, out_dir / "manifest.json")


# ----------------------------------------------------------------------------------------------------------
# Figures of the model (sources: GSO census 2019 and 2024 estimates, VSS reports; see DOMAIN.md)
# ----------------------------------------------------------------------------------------------------------

#: Population pyramid in 5-year bands (0–4 … 80–84), then 85–89, 90–94, 95+; percent, normalised.
_PYRAMID = np.array([6.9, 8.0, 7.8, 7.0, 6.6, 7.3, 8.0, 8.0, 7.5, 6.9, 6.3, 5.8, 4.9, 3.9, 2.8, 1.6,
                     1.05, 0.6, 0.27, 0.08])
_PYRAMID = _PYRAMID / _PYRAMID.sum()
#: Share of men in each band: boys outnumber girls at birth (1.11), women outlive men.
_MALE_SHARE = np.array([0.527, 0.527, 0.525, 0.52, 0.512, 0.505, 0.502, 0.50, 0.498, 0.495, 0.49, 0.485,
                        0.47, 0.455, 0.435, 0.41, 0.38, 0.35, 0.31, 0.28])
#: Household sizes 1..9 (census: mean 3.5).
_HOUSEHOLD_SIZES = np.array([0.105, 0.19, 0.215, 0.245, 0.135, 0.065, 0.03, 0.01, 0.005])
#: Household make-up by size (1, 2, 3, 4+): (elders, core adults) → share; the rest are children.
#: Elders alone or with grandchildren ("skip generation") are common where parents work in the cities.
_MAKEUP = {
    1: {(0, 1): 0.55, (1, 0): 0.45},
    2: {(0, 2): 0.22, (2, 0): 0.30, (0, 1): 0.20, (1, 0): 0.13, (1, 1): 0.15},
    3: {(0, 2): 0.60, (0, 1): 0.08, (2, 0): 0.07, (1, 0): 0.04, (1, 2): 0.06, (2, 1): 0.05, (1, 1): 0.10},
    4: {(0, 2): 0.55, (0, 1): 0.05, (1, 2): 0.17, (2, 2): 0.12, (2, 0): 0.04, (1, 0): 0.02, (1, 1): 0.05},
}
_OVERSAMPLE = 1.45  # households drawn per household kept, so the pyramid can be matched by choosing

_BHYT_RISE_PER_MONTH = 0.0024  # coverage gains ~2.2 points from January to October (≈93% → ≈95%)
_BHYT_SHARE_OF_TARGET = 0.99  # on as_of the province stands just under the year's target
_VOLUNTARY_STOPPED = 0.09  # voluntary participants who stopped paying 1–12 months ago
_UNEMPLOYED_SHARE = 0.025  # of the labour force
_LABOUR = ("compulsory", "other_work", "unemployed", "outside")
_COMPULSORY, _OTHER_WORK, _UNEMPLOYED, _OUTSIDE = range(4)
_SCHEMES = ("compulsory", "voluntary", "other")
#: First two digits of enterprise tax codes by the tax department (Cần Thơ 18, Hậu Giang 63, Sóc Trăng 22).
_TAX_PREFIXES = {"092": (("18", 0.6), ("22", 0.25), ("63", 0.15)), "079": (("03", 1.0),), "001": (("01", 1.0),),
                 "031": (("02", 1.0),)}
_DEFECTS_PER_PERSON = 1 / 50_000
_DEFECT_KINDS = (
    "person.missing_id", "person.duplicate", "person.unknown_commune", "person.missing_birth_date",
    "card.unknown_person", "card.inverted", "card.unknown_group", "span.inverted", "span.unknown_scheme",
)
_SERIALS = 1_000_000  # six digits per (sex-century digit, birth year)
_RESERVED_SERIALS = 1_000  # the top of each range is kept for IDs that must not exist (bad rows)


# ----------------------------------------------------------------------------------------------------------
# Calendar in whole arrays: days since 1970-01-01 as int64
# ----------------------------------------------------------------------------------------------------------


def _day(value: date) -> int:
    return (value - date(1970, 1, 1)).days


#: Calendar lookups cover 1850–2150: numpy's datetime unit casts are slow (a calendar computation per
#: element), while a table lookup is one gather. Every date of a data set falls well inside.
_FIRST_DAY = (date(1850, 1, 1) - date(1970, 1, 1)).days
_FIRST_MONTH = (1850 - 1970) * 12


@functools.cache
def _calendar_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(month of each day, first day of each month, year of each day), built once with numpy's calendar."""
    days = np.arange(_FIRST_DAY, (date(2151, 1, 1) - date(1970, 1, 1)).days).astype("datetime64[D]")
    month_of_day = days.astype("datetime64[M]").astype(np.int64)
    months = np.arange(_FIRST_MONTH, month_of_day[-1] + 2)
    month_start = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    year_of_day = days.astype("datetime64[Y]").astype(np.int64) + 1970
    return month_of_day, month_start, year_of_day


def _month_of(days: np.ndarray) -> np.ndarray:
    """Months since January 1970."""
    return _calendar_tables()[0][np.asarray(days, dtype=np.int64) - _FIRST_DAY]


def _month_start(months: np.ndarray) -> np.ndarray:
    return _calendar_tables()[1][np.asarray(months, dtype=np.int64) - _FIRST_MONTH]


def _year_of(days: np.ndarray) -> np.ndarray:
    return _calendar_tables()[2][np.asarray(days, dtype=np.int64) - _FIRST_DAY]


def _january_first(years: np.ndarray) -> np.ndarray:
    return _month_start((np.asarray(years, dtype=np.int64) - 1970) * 12)


def _add_months(days: np.ndarray, count) -> np.ndarray:
    """Same day `count` months later, clipped to the month's end (31/1 + 1 month = 28/2 or 29/2)."""
    days = np.asarray(days, dtype=np.int64)
    month = _month_of(days)
    offset = _day_of_month(days)
    target = month + count
    length = _month_start(target + 1) - _month_start(target)
    return _month_start(target) + np.minimum(offset, length - 1)


def _birthday(birth: np.ndarray, years: int) -> np.ndarray:
    """The day a person turns `years`: for those born on 29 February, 1 March in other years."""
    day = _add_months(birth, 12 * years)
    return day + (_day_of_month(day) < _day_of_month(birth))


def _day_of_month(days: np.ndarray) -> np.ndarray:
    """0 for the 1st."""
    return days - _month_start(_month_of(days))


def _months_old(birth: np.ndarray, on: int) -> np.ndarray:
    """Completed months of age on the day `on`."""
    months = _month_of(np.int64(on)) - _month_of(birth)
    return months - (_day_of_month(np.int64(on)) < _day_of_month(birth))


def _retirement_months(male: np.ndarray, year) -> np.ndarray:
    """Labour Code 2019 art. 169: 60 y 3 m (+3 m a year, 62 from 2028), 55 y 4 m (+4 m, 60 from 2035)."""
    steps = np.maximum(np.asarray(year) - 2020, 0)
    return np.where(male, 720 + np.minimum(3 * steps, 24), 660 + np.minimum(4 * steps, 60))


@dataclass(frozen=True)
class _Calendar:
    """The days that bound an extract (as day numbers)."""

    as_of: int  # the extract's day
    month: int  # first day of its month: no span starts after it
    history: int  # 1 January of the year before: cards cover history from here
    year_start: int  # 1 January of as_of's year
    year_end: int  # 31 December of as_of's year: end of the yearly cards now running
    year: int

    @classmethod
    def of(cls, as_of: date) -> _Calendar:
        return cls(
            as_of=_day(as_of),
            month=_day(as_of.replace(day=1)),
            history=_day(date(as_of.year - 1, 1, 1)),
            year_start=_day(date(as_of.year, 1, 1)),
            year_end=_day(date(as_of.year, 12, 31)),
            year=as_of.year,
        )


# ----------------------------------------------------------------------------------------------------------
# Small helpers for drawing in whole arrays
# ----------------------------------------------------------------------------------------------------------


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to `weights` that add up exactly to `total`."""
    exact = total * weights / weights.sum()
    result = np.floor(exact).astype(np.int64)
    leftover = total - int(result.sum())
    if leftover:
        result[np.argsort(-(exact - result), kind="stable")[:leftover]] += 1
    return result


def _pick(rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    """Indices drawn with the given weights."""
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.searchsorted(cumulative / cumulative[-1], rng.random(size), side="right")


def _pick_within(rng: np.random.Generator, group: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """For each row of `group`, an index drawn from that group's own weights.

    `bounds` is the concatenation, group after group, of `group + cumulative share` (each group's
    shares end at 1), so one searchsorted serves every group at once.
    """
    return np.searchsorted(bounds, group + rng.random(len(group)) * 0.999999, side="right")


def _group_bounds(groups: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The `bounds` of `_pick_within` for items listed group by group (groups ascending)."""
    totals = np.bincount(groups, weights=weights)
    cumulative = np.cumsum(weights) - np.repeat(np.cumsum(totals) - totals, np.bincount(groups))
    return groups + cumulative / totals[groups]


def _ranks_within(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, … inside each group, in row order."""
    order = np.argsort(groups, kind="stable")
    counts = np.bincount(groups)
    starts = np.cumsum(counts) - counts
    ranks = np.empty(len(groups), dtype=np.int64)
    ranks[order] = np.arange(len(groups)) - np.repeat(starts, counts)
    return ranks


def _calibrated(weights: np.ndarray, total: float, cap: float = 0.95) -> np.ndarray:
    """Probabilities proportional to `weights`, capped, summing to `total` (as far as the cap allows)."""
    probability = np.zeros(len(weights))
    if total <= 0 or weights.sum() <= 0:
        return probability
    for _ in range(6):  # capped rows free some mass for the others; a few rounds settle it
        free = probability < cap
        room = total - probability[~free].sum()
        if room <= 0 or weights[free].sum() <= 0:
            break
        probability[free] = room * weights[free] / weights[free].sum()
        probability = np.minimum(probability, cap)
    return probability


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded ASCII digits, one row of `width` bytes each."""
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = np.asarray(values, dtype=np.int64).copy()
    for position in range(width - 1, -1, -1):
        out[:, position] = 48 + rest % 10
        rest //= 10
    return out


def _strings(rows: np.ndarray) -> pa.Array:
    """Rows of ASCII bytes (from `_digits`) as a pyarrow string array."""
    rows = np.ascontiguousarray(rows)
    fixed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(rows.shape[1]), len(rows), [None, pa.py_buffer(rows)])
    return fixed.cast(pa.binary()).cast(pa.string())


def _dates(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.int32(), mask=missing).cast(pa.date32())


# ----------------------------------------------------------------------------------------------------------
# 1. The province: communes, hamlets, employers, ID scrambling, chunks
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Province:
    """Everything decided once for the whole data set, before any chunk is drawn."""

    communes: tuple[CommuneSpec, ...]
    province_code: str
    calendar: _Calendar
    calibration: Calibration
    persons: np.ndarray  # per commune
    urban: np.ndarray
    bhyt_level: np.ndarray  # share of residents with a valid card on as_of
    evasion: np.ndarray  # share of those required whose employer does not pay
    compulsory_factor: np.ndarray
    voluntary_factor: np.ndarray
    village_names: pa.Array  # all communes' hamlets, commune after commune
    village_bounds: np.ndarray  # `_pick_within` bounds (group = commune)
    employer_codes: pa.Array  # tax codes, commune after commune
    employer_bounds: np.ndarray
    id_keys: np.ndarray  # round tables of the ID permutation
    chunks: tuple[np.ndarray, ...]  # commune indices drawn together
    serials: np.ndarray = field(default_factory=lambda: np.zeros(400, dtype=np.int64))  # next serial per cell


def _plan_province(
    rng: np.random.Generator,
    persons: int,
    communes: Sequence[CommuneSpec],
    province_code: str,
    as_of: date,
    calibration: Calibration,
) -> _Province:
    """Communes' sizes and levels, hamlets, employers, ID keys and chunks, from the province's own stream."""
    count = len(communes)
    urban = np.array([c.urban for c in communes])
    sizes = rng.lognormal(0.0, 0.5, count) * np.where(urban, 1.25, 1.0)
    population = _largest_remainder(persons, sizes)
    compulsory_factor = rng.lognormal(0.0, 0.45, count) * np.where(urban, 1.7, 1.0)
    villages, village_weights, village_of = _hamlets(rng, communes, population)
    employers = np.maximum(
        3, np.round(population * calibration.compulsory_required / calibration.population * compulsory_factor
                    / compulsory_factor.mean() / 33)
    ).astype(np.int64)
    codes, employer_weights, employer_of = _employers(rng, employers, province_code)
    return _Province(
        communes=tuple(communes),
        province_code=province_code,
        calendar=_Calendar.of(as_of),
        calibration=calibration,
        persons=population,
        urban=urban,
        bhyt_level=_bhyt_levels(rng, population, calibration),
        evasion=_evasion(rng, population, calibration),
        compulsory_factor=compulsory_factor,
        voluntary_factor=rng.lognormal(0.0, 0.35, count),
        village_names=pa.array(villages, type=pa.string()),
        village_bounds=_group_bounds(village_of, village_weights),
        employer_codes=codes,
        employer_bounds=_group_bounds(employer_of, employer_weights),
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
    target = calibration.bhyt_target / calibration.population * _BHYT_SHARE_OF_TARGET
    weights = population / max(population.sum(), 1)
    for _ in range(5):  # shift every commune alike so the province lands on its level
        level = np.clip(level + target - (level * weights).sum(), 0.80, 0.995)
    return level


def _evasion(rng: np.random.Generator, population: np.ndarray, calibration: Calibration) -> np.ndarray:
    """Share of required workers whose employer does not pay: the province's 2.3%, mostly 1–6% by commune."""
    mean = 1 - calibration.compulsory_participants / calibration.compulsory_required
    raw = rng.lognormal(0.0, 0.6, len(population))
    raw = raw / max((raw * population).sum() / max(population.sum(), 1), 1e-9)
    return np.clip(raw * mean, 0.002, 0.2)


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
    prefixes = _TAX_PREFIXES.get(province_code, ((province_code[1:], 1.0),))
    prefix = np.array([int(p) for p, _ in prefixes])[_pick(rng, [w for _, w in prefixes], total)]
    serial = 1 + rng.choice(9_999_999, size=total * 2, replace=False)
    first_nine = prefix[np.arange(total * 2) % total] * 10_000_000 + serial
    check = _tax_check_digit(first_nine)
    valid = check < 10
    first_nine, check = first_nine[valid][:total], check[valid][:total]
    codes = _strings(_digits(first_nine * 10 + check, 10))
    return codes, weights, owner


def _tax_check_digit(first_nine: np.ndarray) -> np.ndarray:
    """Check digit of a tax code (MST): 10 − (Σ weight × digit mod 11); 10 means the number is not issued."""
    digits = _digits(first_nine, 9).astype(np.int64) - 48
    total = digits @ np.array([31, 29, 23, 19, 17, 13, 7, 5, 3])
    return 10 - total % 11


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


# ----------------------------------------------------------------------------------------------------------
# 2. Households and persons
# ----------------------------------------------------------------------------------------------------------

_GRANDFATHER, _GRANDMOTHER, _FATHER, _MOTHER, _CHILD = range(5)


@dataclass
class _People:
    """Persons of a chunk, household by household (arrays of equal length), plus their households."""

    commune: np.ndarray  # index into the province's communes
    household: np.ndarray  # 0.. in this chunk
    age: np.ndarray  # years on as_of (fractional)
    male: np.ndarray
    surname: np.ndarray  # index into names.SURNAMES
    household_commune: np.ndarray
    household_size: np.ndarray


def _draw_households(rng: np.random.Generator, need: np.ndarray, commune: np.ndarray) -> _People:
    """Candidate households for each commune of the chunk, then those kept to match the pyramid."""
    candidates = np.ceil(need * _OVERSAMPLE / 3.5).astype(np.int64) + 3
    household_commune = np.repeat(commune, candidates)
    people = _compose(rng, household_commune)
    keep = _choose_for_pyramid(rng, people, need, commune)
    return _subset_people(people, keep)


def _compose(rng: np.random.Generator, household_commune: np.ndarray) -> _People:
    """Members of each household with ages tied together: children from their mother, elders from her."""
    count = len(household_commune)
    size = _pick(rng, _HOUSEHOLD_SIZES, count) + 1
    elders, core = np.zeros(count, np.int64), np.zeros(count, np.int64)
    for bucket, makeup in _MAKEUP.items():
        rows = np.flatnonzero(size == bucket if bucket < 4 else size >= 4)
        choice = _pick(rng, list(makeup.values()), len(rows))
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
    return _People(
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
    lineage = _pick(rng, names.SURNAMES[1], count)
    own = _pick(rng, names.SURNAMES[1], len(role))
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
    rng: np.random.Generator, people: _People, need: np.ndarray, communes: np.ndarray
) -> np.ndarray:
    """Persons kept: whole households, drawn with weights that pull the chunk onto the target pyramid.

    Weighted sampling without replacement (keys u^(1/w)) over the candidates of each commune, until the
    commune has exactly its number of persons (the last household loses its youngest members). The
    weights are refined a few times from what the previous draw kept.
    """
    band = np.minimum((people.age // 5).astype(np.int64), len(_PYRAMID) - 1)
    cell = band * 2 + people.male
    target = np.column_stack([_PYRAMID * (1 - _MALE_SHARE), _PYRAMID * _MALE_SHARE]).ravel()
    households = len(people.household_size)
    log_weight = np.zeros(households)
    need_of = np.zeros(communes.max() + 1, dtype=np.int64)
    need_of[communes] = need
    keep = np.ones(len(cell), dtype=bool)
    member = _ranks_within(people.household)
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


def _subset_people(people: _People, keep: np.ndarray) -> _People:
    """Kept persons, households renumbered 0.. in commune order."""
    kept_households = np.unique(people.household[keep])
    renumber = np.full(len(people.household_size), -1)
    order = np.lexsort((kept_households, people.household_commune[kept_households]))
    renumber[kept_households[order]] = np.arange(len(kept_households))
    household = renumber[people.household[keep]]
    rows = np.argsort(household, kind="stable")
    household = household[rows]
    counts = np.bincount(household, minlength=len(kept_households))
    return _People(
        commune=people.commune[keep][rows],
        household=household,
        age=people.age[keep][rows],
        male=people.male[keep][rows],
        surname=people.surname[keep][rows],
        household_commune=people.household_commune[kept_households[order]],
        household_size=counts,
    )


def _full_names(rng: np.random.Generator, male: np.ndarray, birth_year: np.ndarray, surname: np.ndarray) -> pa.Array:
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
        middle[rows] = len(middle_words) + _pick(rng, middles[1], len(rows))
        offset = len(given_words)
        given[rows] = offset + _pick(rng, givens[1], len(rows))
        # Nobody is called "Trần Thị Ngọc Ngọc": a given name that repeats the middle one is drawn again.
        repeated = np.array([m.split()[-1] for m in middle_words + list(middles[0])])
        for _ in range(4):
            clash = rows[repeated[middle[rows]] == np.array(given_words + list(givens[0]))[given[rows]]]
            if not len(clash):
                break
            given[clash] = offset + _pick(rng, givens[1], len(clash))
        middle_words += middles[0]
        given_words += givens[0]
    return pc.binary_join_element_wise(
        pc.take(pa.array(names.SURNAMES[0]), surname),
        pc.take(pa.array(middle_words), middle),
        pc.take(pa.array(given_words), given),
        " ",
    )


# ----------------------------------------------------------------------------------------------------------
# 3. Labour status, flags, and BHXH spans
# ----------------------------------------------------------------------------------------------------------


@dataclass
class _Spans:
    """BHXH spans of a chunk, person = row of the chunk's persons."""

    person: np.ndarray
    scheme: np.ndarray  # index into _SCHEMES
    employer: np.ndarray  # index into the province's employers, -1 for none
    bhtn: np.ndarray
    first: np.ndarray  # month index
    last: np.ndarray  # month index, -1 for still paying

    @classmethod
    def join(cls, parts: Sequence[_Spans]) -> _Spans:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                     ("person", "scheme", "employer", "bhtn", "first", "last")))


@dataclass
class _Cards:
    """BHYT cards of a chunk, person = row of the chunk's persons."""

    person: np.ndarray
    group: np.ndarray
    start: np.ndarray  # days
    end: np.ndarray

    @classmethod
    def join(cls, parts: Sequence[_Cards]) -> _Cards:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("person", "group", "start", "end")))

    @classmethod
    def of(cls, person, group, start, end) -> _Cards:
        return cls(np.asarray(person, np.int64), np.full(len(person), group, np.int8),
                   np.asarray(start, np.int64), np.asarray(end, np.int64))


@dataclass
class _Status:
    """What a person is on as_of, as far as insurance is concerned."""

    labour: np.ndarray
    working_age: np.ndarray
    student: np.ndarray
    pension_from: np.ndarray  # day the pension started; 0 for none
    poor: np.ndarray
    near_poor: np.ndarray
    farming: np.ndarray
    social: np.ndarray  # social-protection beneficiaries and people with merit (state budget)


def _statuses(
    rng: np.random.Generator, province: _Province, people: _People, birth: np.ndarray
) -> _Status:
    """Students, pensioners, poor / near-poor / farming households, and everybody's labour status.

    Pensions: a third of the retired in towns, a sixth in the countryside (few farmers ever paid in),
    plus a few early ones (disability, work accidents). Poverty is rarer in towns.
    """
    cal = province.calendar
    n = len(birth)
    months = _months_old(birth, cal.as_of)
    age = people.age
    male = people.male
    urban = province.urban[people.commune]
    working_age = (months >= 180) & (months < _retirement_months(male, cal.year))

    student = np.select(
        [(age >= 6) & (age < 15), (age >= 15) & (age < 18), (age >= 18) & (age < 23)],
        [rng.random(n) < 0.99, rng.random(n) < 0.85, rng.random(n) < np.where(urban, 0.42, 0.28)],
        False,
    )
    # Pensions: the birth year decides the retirement age of the year it was reached.
    reached_year = _year_of(birth) + np.where(male, 61, 56)
    pension_from = _month_start(_month_of(birth) + _retirement_months(male, reached_year) + 1)
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
    return _Status(
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
    rng: np.random.Generator, province: _Province, people: _People, working_age: np.ndarray,
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
    in_force = rng.random(n) < _calibrated(weight, n * cal.labour_force / cal.population, cap=0.98)

    urban = province.urban[people.commune]
    contract = np.where(in_force & (people.age >= 18), _CONTRACT_AGE[band], 0.0)
    contract *= province.compulsory_factor[people.commune] * np.where(people.male, 1.05, 1.0)
    contract *= np.where(student, 0.3, 1.0)
    compulsory = rng.random(n) < _calibrated(contract, n * cal.compulsory_required / cal.population, cap=0.9)

    rest = in_force & ~compulsory
    young = np.where(people.age < 30, 2.0, 1.0) * np.where(urban, 1.2, 1.0)
    unemployed = rng.random(n) < _calibrated(np.where(rest, young, 0.0), in_force.sum() * _UNEMPLOYED_SHARE)
    status = np.select([compulsory, unemployed, in_force], [_COMPULSORY, _UNEMPLOYED, _OTHER_WORK], _OUTSIDE)
    return status.astype(np.int8)


def _employer_of(rng: np.random.Generator, province: _Province, commune: np.ndarray) -> np.ndarray:
    return _pick_within(rng, commune, province.employer_bounds)


def _compulsory_spans(
    rng: np.random.Generator, province: _Province, people: _People, birth: np.ndarray, status: _Status
) -> tuple[_Spans, np.ndarray, np.ndarray]:
    """Compulsory spans of workers, evaders, the recently retired and those who left a job.

    Returns the spans, whether each person's employer pays for them on as_of (the group-1 track) and
    the day each new entrant's first span started (for the history before it), 0 for others.
    """
    cal = province.calendar
    now = int(_month_of(np.int64(cal.month)))
    window = int(_month_of(np.int64(cal.history)))
    adult = _month_of(birth) + 18 * 12  # nobody pays before 18 here
    n = len(birth)
    worker = status.labour == _COMPULSORY
    evader = worker & (rng.random(n) < province.evasion[people.commune])
    paying = worker & ~evader

    tenure = rng.random(n)
    first = np.where(
        tenure < 0.68,
        window - 1 - rng.integers(0, 20 * 12, n),
        window + rng.integers(0, max(now - window, 0) + 1, n),
    )
    first = np.minimum(np.maximum(first, adult), now)
    changed_job = paying & (first >= window) & (rng.random(n) < 0.45)
    entrant_from = np.where(paying & (first >= window) & ~changed_job, _month_start(first), 0)

    parts: list[_Spans] = []
    bhtn_rate = province.calibration.bhtn_participants / province.calibration.compulsory_participants
    commune = people.commune

    def add(rows: np.ndarray, first_m: np.ndarray, last_m: np.ndarray) -> None:
        parts.append(_Spans(
            person=rows, scheme=np.zeros(len(rows), np.int8), employer=_employer_of(rng, province, commune[rows]),
            bhtn=rng.random(len(rows)) < bhtn_rate, first=first_m, last=last_m,
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
    last = _month_of(status.pension_from[rows]) - 1
    add(rows, np.minimum(last, np.maximum(last - rng.integers(120, 420, len(rows)), adult[rows])), last)
    # Left a contract job: many of the unemployed, a few who now work for themselves or stay home.
    left = np.select(
        [status.labour == _UNEMPLOYED, status.labour == _OTHER_WORK, (status.labour == _OUTSIDE) & status.working_age],
        [rng.random(n) < 0.35, rng.random(n) < 0.015, rng.random(n) < 0.006],
        False,
    ) & (people.age >= 19) & (status.pension_from == 0)
    rows = np.flatnonzero(left)
    recent = status.labour[rows] == _UNEMPLOYED
    last = np.where(
        recent, now - rng.integers(1, 13, len(rows)), window + rng.integers(0, max(now - window, 1), len(rows))
    )
    add(rows, np.minimum(last, np.maximum(last - rng.integers(6, 120, len(rows)), adult[rows])), last)
    return _Spans.join(parts), paying, entrant_from


def _voluntary_spans(rng: np.random.Generator, province: _Province, people: _People, status: _Status) -> _Spans:
    """Voluntary participants: mostly self-employed farmers and traders, some homemakers and older people.

    The plan's number pays on as_of; another 9% stopped paying 1–12 months ago. Many joined during the
    last two years (the campaigns), so the count rises through the year.
    """
    cal = province.calibration
    n = len(people.age)
    now = int(_month_of(np.int64(province.calendar.month)))
    window = int(_month_of(np.int64(province.calendar.history)))
    age = people.age
    weight = np.select(
        [
            status.labour == _OTHER_WORK,
            (status.labour == _OUTSIDE) & (age >= 35) & (age < 65),
            status.labour == _UNEMPLOYED,
        ],
        [np.where((age >= 30) & (age < 58), 1.0, 0.55), 0.25, 0.25],
        0.0,
    ) * np.where(status.student | (status.pension_from > 0) | (age < 18), 0.0, 1.0)
    weight *= province.voluntary_factor[people.commune]
    total = n * cal.voluntary_participants / cal.population / (1 - _VOLUNTARY_STOPPED)
    rows = np.flatnonzero(rng.random(n) < _calibrated(weight, total, cap=0.6))
    stopped = rng.random(len(rows)) < _VOLUNTARY_STOPPED
    joined_recently = rng.random(len(rows)) < 0.30
    first = np.where(
        joined_recently,
        window + (rng.beta(1.6, 1.0, len(rows)) * (now - window + 1)).astype(np.int64),
        window - 1 - rng.integers(0, 10 * 12, len(rows)),
    )
    first = np.minimum(first, now)
    last = np.where(stopped, now - rng.integers(1, 13, len(rows)), -1)
    first = np.where(stopped, np.minimum(first, last - rng.integers(0, 36, len(rows))), first)
    return _Spans(
        person=rows, scheme=np.ones(len(rows), np.int8), employer=np.full(len(rows), -1),
        bhtn=np.zeros(len(rows), bool), first=first, last=last,
    )


# ----------------------------------------------------------------------------------------------------------
# 4. BHYT cards
# ----------------------------------------------------------------------------------------------------------


def _yearly_cards(person: np.ndarray, group: int, start: np.ndarray, end: np.ndarray, cal: _Calendar) -> _Cards:
    """One card per calendar year from `start` to `end` (days, inclusive), clipped to both.

    Cards paid by an employer, the BHXH agency or the state budget follow the calendar year; only the
    part from the history start on is kept.
    """
    start = np.maximum(np.asarray(start, np.int64), cal.history)
    end = np.asarray(end, np.int64)
    first_year, last_year = _year_of(start), _year_of(end)
    count = np.where((end >= start) & (start <= cal.as_of), last_year - first_year + 1, 0)
    owner = np.repeat(np.arange(len(start)), count)
    year = first_year[owner] + _ranks_within(owner)
    return _Cards.of(
        person[owner], group,
        np.maximum(start[owner], _january_first(year)),
        np.minimum(end[owner], _january_first(year + 1) - 1),
    )


def _chain_cards(person: np.ndarray, group, last_start: np.ndarray, first_start: np.ndarray, cal: _Calendar) -> _Cards:
    """12-month cards renewed back to back, the latest starting on `last_start`, none before `first_start`.

    Household cards (and the state-supported ones bought like them) run twelve months from the day paid;
    cards ending before the history start are left out.
    """
    parts = []
    groups = np.broadcast_to(np.asarray(group, np.int8), person.shape)
    for back in range(4):  # at most 3 cards of 12 months reach into a history of up to 23 months
        start = _add_months(last_start, -12 * back)
        end = _add_months(last_start, -12 * (back - 1)) - 1
        keep = (start >= first_start) & (end >= cal.history) & (start <= cal.as_of)
        parts.append(_Cards(person[keep], groups[keep], start[keep], end[keep]))
    return _Cards.join(parts)


def _latest_anniversary(first_start: np.ndarray, cal: _Calendar) -> np.ndarray:
    """The last day, not after as_of, on which a card that started on `first_start` was renewed."""
    years = (_month_of(np.int64(cal.as_of)) - _month_of(first_start)) // 12
    candidate = _add_months(first_start, 12 * years)
    return np.where(candidate > cal.as_of, _add_months(first_start, 12 * (years - 1)), candidate)


def _day_in(rng: np.random.Generator, low, high, size: int) -> np.ndarray:
    """A day drawn uniformly in [low, high]."""
    low = np.asarray(low, np.int64)
    return low + (rng.random(size) * (np.asarray(high, np.int64) - low + 1)).astype(np.int64)


def _bhyt_cards(
    rng: np.random.Generator, province: _Province, people: _People, birth: np.ndarray, status: _Status,
    spans: _Spans, paying: np.ndarray, entrant_from: np.ndarray,
) -> _Cards:
    """Every person's cards from the history start to as_of, by what entitles them to one on as_of.

    Tracks, first match wins: a child under 6 (group 3, from birth to the day before the 6th birthday),
    a worker whose employer pays (group 1), a pensioner (group 2), the poor, social-protection
    beneficiaries and people of 80 and more (group 3), students and the near-poor (group 4). Everybody
    else buys household cards (group 5, or group 4 for farming households), and how many of them do is
    solved per commune so that the commune reaches its level on as_of.
    """
    cal = province.calendar
    n = len(birth)
    age = people.age
    parts: list[_Cards] = []
    covered_elsewhere = np.zeros(n)  # expected share of each tracked person with a card on as_of

    # Children under 6: a card from birth (newborns of the last three weeks may not have it yet).
    sixth = _birthday(birth, 6)
    child = sixth > cal.as_of
    registered = child & ~((birth > cal.as_of - 21) & (rng.random(n) < 0.7))
    rows = np.flatnonzero(registered | (~child & (sixth > cal.history)))
    parts.append(_Cards.of(rows, 3, birth[rows], sixth[rows] - 1))
    covered_elsewhere[child] = registered[child]

    # Group 1 from every compulsory span, whoever holds it now (yearly cards, cut where the span ends).
    first_day = _month_start(spans.first[spans.scheme == 0])
    last_day = np.where(spans.last < 0, cal.year_end, _month_start(spans.last + 1) - 1)[spans.scheme == 0]
    parts.append(_yearly_cards(spans.person[spans.scheme == 0], 1, first_day, last_day, cal))
    worker = ~child & paying
    covered_elsewhere[worker] = 1.0

    pensioner = ~child & ~worker & (status.pension_from > 0)
    rows = np.flatnonzero(pensioner)
    parts.append(_yearly_cards(rows, 2, status.pension_from[rows], np.full(len(rows), cal.year_end), cal))
    covered_elsewhere[pensioner] = 1.0

    # The state pays from the month after the 80th birthday.
    eighty = _month_start(_month_of(_birthday(birth, 80)) + 1)
    tracked = child | worker | pensioner
    budget = ~tracked & (status.poor | status.social | (eighty <= cal.as_of))
    tracked |= budget
    supported = ~tracked & (status.student | status.near_poor)
    tracked |= supported
    take_up = np.select(
        [budget & (status.poor | status.social), budget, supported & status.near_poor, supported & (age >= 18)],
        [0.995, 0.985, 0.97, 0.93],
        0.995,
    )
    # A state-paid track starts at the 6th or 80th birthday, else before the history.
    turned_6 = supported & status.student & (sixth > cal.history)
    turned_80 = budget & ~status.poor & ~status.social & (eighty > cal.history)
    track_start = np.select([turned_6, turned_80], [sixth, eighty], cal.history)
    for mask, group in ((budget, 3), (supported, 4)):
        keeps = mask & (rng.random(n) < take_up)
        rows = np.flatnonzero(keeps)
        parts.append(_yearly_cards(rows, group, track_start[rows], np.full(len(rows), cal.year_end), cal))
        lapsed = np.flatnonzero(mask & ~keeps & (rng.random(n) < 0.5))  # had last year's card only
        parts.append(_yearly_cards(lapsed, group, track_start[lapsed], np.full(len(lapsed), cal.year_start - 1), cal))
        covered_elsewhere[mask] = take_up[mask]

    # The unemployed on benefit: group 2 for three months after the job ended (when they had BHTN).
    benefit = (spans.scheme == 0) & spans.bhtn & (spans.last >= 0) & (status.labour[spans.person] == _UNEMPLOYED)
    benefit &= _month_of(np.int64(cal.month)) - spans.last <= 6
    start = _month_start(spans.last[benefit] + 2)
    shown = start <= cal.as_of
    parts.append(_Cards.of(spans.person[benefit][shown], 2, start[shown], _add_months(start[shown], 3) - 1))

    # Who left a job (or a benefit) during the history holds household cards only from then on.
    covered_until = np.zeros(n, dtype=np.int64)
    ended = (spans.scheme == 0) & (spans.last >= 0)
    np.maximum.at(covered_until, spans.person[ended], _month_start(spans.last[ended] + 1) - 1)
    np.maximum.at(covered_until, spans.person[benefit][shown], _add_months(start[shown], 3) - 1)

    pool = ~tracked
    parts.append(_household_cards(rng, province, people, pool, covered_elsewhere, covered_until, status))
    parts.append(_cards_before_track(rng, people, eighty, entrant_from, status, cal))
    parts.append(_duplicate_cards(rng, tracked & ~child & (age >= 18), cal))
    return _Cards.join(parts)


def _household_cards(
    rng: np.random.Generator, province: _Province, people: _People, pool: np.ndarray,
    covered_elsewhere: np.ndarray, covered_until: np.ndarray, status: _Status,
) -> _Cards:
    """Household cards of those no one else pays for, household by household.

    A household either holds cards on as_of or not (its pool members together), with a few members left
    out of an insured household. Insured households renewed all along (since a random month long ago)
    or joined during the history, some of them after a gap; uninsured ones let their cards lapse during
    the history or never had one. The shares are set so each commune reaches its level on as_of and the
    province gains about 0.24 points a month since January.
    """
    cal = province.calendar
    n = len(pool)
    communes = len(province.communes)
    residents = np.bincount(people.commune, minlength=communes)
    pool_size = np.bincount(people.commune, weights=pool, minlength=communes)
    uncovered = np.where(pool, 0.0, 1.0 - covered_elsewhere)
    uncovered_elsewhere = np.bincount(people.commune, weights=uncovered, minlength=communes)
    with np.errstate(divide="ignore", invalid="ignore"):
        lacking = (1 - province.bhyt_level) * residents - uncovered_elsewhere
        share = np.clip(np.nan_to_num(lacking / pool_size), 0.0, 0.9)  # pool members without a card on as_of
    alone = np.minimum(0.04, share / 2)  # members left out of an insured household
    household_share = (share - alone) / (1 - alone)

    lapse_rate = 0.55
    joined = _joining_share(cal, n, (pool_size * (1 - share)).sum(), (pool_size * share).sum(), lapse_rate)

    households = len(people.household_size)
    h_commune = people.household_commune
    insured_h = rng.random(households) >= household_share[h_commune]
    state = rng.random(households)
    # Insured: renewed since long ago (anniversary on a random day) or joined during the history.
    long_ago = cal.history - rng.integers(1, 3650, households)
    recent_year = rng.random(households) < 0.65
    joined_on = np.where(
        recent_year,
        _day_in(rng, cal.year_start, cal.as_of, households),
        _day_in(rng, cal.history, cal.year_start - 1, households),
    )
    joins = insured_h & (state < joined)
    first_start = np.where(joins, joined_on, long_ago)
    open_last = _latest_anniversary(first_start, cal)
    # Uninsured: the last card ended some day of the history, or there never was one.
    lapsed_h = ~insured_h & (state < lapse_rate)
    ended_on = _day_in(rng, cal.history, cal.as_of - 1, households)
    closed_last = _add_months(ended_on + 1, -12)
    # Some who joined had lapsed before: their previous cards ended 1–10 months before joining.
    resumed = joins & (rng.random(households) < 0.4)
    previous_end = joined_on - rng.integers(30, 300, households)

    members = np.flatnonzero(pool)
    h = people.household[members]
    alone_out = rng.random(len(members)) < alone[people.commune[members]]
    group = np.where(status.farming[members], 4, 5).astype(np.int8)
    # A member whose employer card ran during the history joined on the day after it ended, on a cycle
    # of their own; the household's earlier cards did not include them.
    joined_alone = covered_until[members] >= np.maximum(first_start[h], cal.history)
    own_first = np.where(joined_alone, covered_until[members] + 1, first_start[h])
    since = np.where(joined_alone, own_first, cal.history - 5000)
    parts = []
    rows = insured_h[h] & ~alone_out
    last_start = np.where(joined_alone, _latest_anniversary(own_first, cal), open_last[h])
    parts.append(_chain_cards(members[rows], group[rows], last_start[rows], own_first[rows], cal))
    rows = lapsed_h[h]
    parts.append(_chain_cards(members[rows], group[rows], closed_last[h[rows]], since[rows], cal))
    rows = resumed[h] & ~alone_out & (previous_end[h] >= cal.history)
    previous_last = _add_months(previous_end[h[rows]] + 1, -12)
    parts.append(_chain_cards(members[rows], group[rows], previous_last, since[rows], cal))
    return _Cards.join(parts)


def _joining_share(cal: _Calendar, persons: int, insured: float, uninsured: float, lapse_rate: float) -> float:
    """Share of insured households that joined during the history, so that coverage rises since January.

    Joiners (65% of them this year) add to the coverage of the months after they join; households that
    lapsed this year take away from it. Early in a year there is no rise to make: a plain 12% then.
    """
    this_year = cal.as_of - cal.year_start + 1
    gain = 0.65 * max(this_year - 31, 0) / this_year * insured  # joined after January, per unit of share
    if gain < 0.05 * insured:
        return 0.12
    loss = lapse_rate * (this_year - 1) / max(cal.as_of - cal.history, 1) * uninsured
    rise = _BHYT_RISE_PER_MONTH * (_month_of(np.int64(cal.month)) - _month_of(np.int64(cal.year_start))) * persons
    return float(np.clip((rise + loss) / gain, 0.03, 0.4))


def _cards_before_track(
    rng: np.random.Generator, people: _People, eighty: np.ndarray, entrant_from: np.ndarray, status: _Status,
    cal: _Calendar,
) -> _Cards:
    """Household cards held before a track began during the history, left to run out (so they overlap).

    New contract workers over 24 often had one (half of them); people who turned 80 nearly all did.
    Young new workers still had their student card for the year.
    """
    n = len(eighty)
    state_paid_before = (status.pension_from > 0) | status.poor | status.social
    became_80 = (eighty > cal.history) & (eighty <= cal.as_of) & ~state_paid_before
    entrant = entrant_from > 0
    switch = np.where(became_80, eighty, entrant_from)
    had_card = (became_80 & (rng.random(n) < 0.85)) | (entrant & (people.age > 24) & (rng.random(n) < 0.5))
    rows = np.flatnonzero(had_card)
    last_start = switch[rows] - rng.integers(1, 365, len(rows))
    long_ago = np.full(len(rows), cal.history - 4000)
    household = _chain_cards(rows, np.full(len(rows), 5, np.int8), last_start, long_ago, cal)
    students = np.flatnonzero(entrant & (people.age <= 24))
    year_end = _january_first(_year_of(entrant_from[students]) + 1) - 1
    school = _yearly_cards(students, 4, np.full(len(students), cal.history), year_end, cal)
    return _Cards.join([household, school])


def _duplicate_cards(rng: np.random.Generator, eligible: np.ndarray, cal: _Calendar) -> _Cards:
    """A household card bought by a person who already holds another one ("thẻ trùng", 0.4%)."""
    rows = np.flatnonzero(eligible & (rng.random(len(eligible)) < 0.004))
    start = cal.as_of - rng.integers(0, 330, len(rows))
    return _chain_cards(rows, np.full(len(rows), 5, np.int8), start, start, cal)


# ----------------------------------------------------------------------------------------------------------
# 5. ID numbers, moves, and the chunk's tables
# ----------------------------------------------------------------------------------------------------------


def _scramble(serial: np.ndarray, cell: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """A keyed permutation of 0..999,999 for each cell (a Feistel network on two 3-digit halves).

    Serials are handed out in order, so without it neighbours in the file would have neighbouring
    numbers; a permutation keeps them unique while looking scattered.
    """
    left, right = serial // 1000, serial % 1000
    for round_, table in enumerate(keys):
        left, right = right, (left + table[(right + cell * (2 * round_ + 7919)) % 1000]) % 1000
    return left * 1000 + right


def _cell(male: np.ndarray, year: np.ndarray) -> np.ndarray:
    """Sex-century digit × 100 + 2-digit year: 0 male 1900s, 1 female 1900s, 2 male 2000s, 3 female 2000s."""
    century = np.where(year >= 2000, 2, 0) + np.where(male, 0, 1)
    return century * 100 + year % 100


def _person_ids(province: _Province, male: np.ndarray, year: np.ndarray) -> np.ndarray:
    """12-digit ID numbers as ASCII rows: province code, sex-century digit, birth year, 6 digits."""
    cell = _cell(male, year)
    serial = province.serials[cell] + _ranks_within(cell)
    province.serials[:] += np.bincount(cell, minlength=len(province.serials))
    if province.serials.max() > _SERIALS - _RESERVED_SERIALS:
        raise ValueError("too many persons born in one year for 6-digit ID serials")
    number = int(province.province_code) * 10**9 + cell * 10**6 + _scramble(serial, cell, province.id_keys)
    return _digits(number, 12)


def _moves(
    rng: np.random.Generator, province: _Province, people: _People, birth: np.ndarray
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
    day_h = _day_in(rng, cal.as_of - 364, cal.as_of, households)
    old_day_h = cal.as_of - 365 - rng.integers(0, 365 * 20, households)
    day = np.where(recent_h[people.household], day_h[people.household], _day_in(rng, cal.as_of - 364, cal.as_of, n))
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
    household_previous = _pick(rng, province.persons + 1, households)
    previous = np.where(together, household_previous[people.household], _pick(rng, province.persons + 1, n))
    previous = np.where(previous == people.commune, (previous + 1) % count, previous)
    no_previous = ~moved | from_outside | (count < 2)
    return np.where(moved, day, 0), np.where(no_previous, -1, previous)  # 0 / -1: none


def _chunk_tables(
    province: _Province, chunk: np.ndarray, rng: np.random.Generator, defects: dict[str, int] | None,
    step: Callable[[str, float], None],
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Persons, cards and spans of the communes of one chunk (whole communes, so households stay whole)."""
    cal = province.calendar
    step("Dân cư và hộ gia đình", 0.05)
    people = _draw_households(rng, province.persons[chunk], chunk)
    birth = cal.as_of - np.floor(people.age * 365.2425).astype(np.int64)
    year = _year_of(birth)
    step("Lao động và quá trình đóng BHXH", 0.35)
    status = _statuses(rng, province, people, birth)
    compulsory, paying, entrant_from = _compulsory_spans(rng, province, people, birth, status)
    spans = _Spans.join([compulsory, _voluntary_spans(rng, province, people, status)])
    step("Thẻ BHYT", 0.5)
    cards = _bhyt_cards(rng, province, people, birth, status, spans, paying, entrant_from)
    step("Họ tên, số định danh, nơi ở", 0.7)
    ids = _person_ids(province, people.male, year)
    moved_in, previous = _moves(rng, province, people, birth)
    hamlet = _pick_within(rng, people.household_commune, province.village_bounds)
    # Households numbered 1.. inside their commune, hamlet after hamlet, as an extract lists them.
    household_serial = _serial_in_commune(people.household_commune, hamlet)
    village = hamlet[people.household]
    order = np.lexsort((np.arange(len(birth)), household_serial[people.household], people.commune))
    rows = _Rows(people, birth, year, status.labour, ids, moved_in, previous, village, household_serial)
    return _tables(province, rng, rows, order, cards, spans, defects or {})


def _serial_in_commune(commune: np.ndarray, hamlet: np.ndarray) -> np.ndarray:
    """1, 2, 3, … for the households of each commune, hamlet after hamlet."""
    listed = np.lexsort((np.arange(len(hamlet)), hamlet, commune))
    serial = np.empty(len(hamlet), dtype=np.int64)
    serial[listed] = _cumulative_within(commune[listed], np.ones(len(hamlet), np.int64))
    return serial


@dataclass
class _Rows:
    """The person columns of a chunk, ready to become the persons table."""

    people: _People
    birth: np.ndarray
    year: np.ndarray
    labour: np.ndarray
    ids: np.ndarray  # ASCII rows
    moved_in: np.ndarray
    previous: np.ndarray
    village: np.ndarray
    household_serial: np.ndarray


def _tables(
    province: _Province, rng: np.random.Generator, rows: _Rows, order: np.ndarray, cards: _Cards,
    spans: _Spans, defects: dict[str, int],
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The three tables of the chunk, bad rows included when asked for."""
    people = rows.people
    n = len(order)
    ids = rows.ids.copy()
    clean_ids = _strings(rows.ids)
    commune_index = people.commune.copy()
    missing_birth = np.zeros(n, dtype=bool)

    # Bad person rows: real persons whose row came out wrong in the extract.
    damaged = rng.permutation(n)
    taken = 0

    def victims(kind: str) -> np.ndarray:
        nonlocal taken
        count = min(defects.get(kind, 0), n - taken)
        picked = damaged[taken:taken + count]
        taken += count
        return picked

    mistyped = victims("person.missing_id")
    for k, row in enumerate(mistyped):
        ids[row, 11 if k % 2 else 0:] = 32  # an 11-digit number, or nothing at all (spaces, trimmed below)
    unknown = victims("person.unknown_commune")
    commune_index[unknown] = len(province.communes)
    missing_birth[victims("person.missing_birth_date")] = True
    duplicates = victims("person.duplicate")
    order = np.concatenate([order, duplicates])

    codes = pa.array([c.code for c in province.communes] + ["99999"], type=pa.string())
    person_ids = pc.utf8_trim_whitespace(_strings(ids)) if len(mistyped) else _strings(ids)
    width = max(6, len(str(int(rows.household_serial.max(initial=0)))))
    household_ids = pc.binary_join_element_wise(
        pc.take(codes, people.commune), _strings(_digits(rows.household_serial[people.household], width)), ""
    )
    full_names = _full_names(rng, people.male, rows.year, people.surname)
    previous = pa.array(rows.previous, mask=rows.previous < 0)
    persons = pa.table(
        {
            "person_id": person_ids,
            "full_name": full_names,
            "gender": pc.take(pa.array(["F", "M"]), people.male.astype(np.int8)),
            "birth_date": _dates(rows.birth, missing_birth),
            "commune_code": pc.take(codes, commune_index),
            "village": pc.take(province.village_names, rows.village),
            "household_id": household_ids,
            "labour_status": pc.take(pa.array(_LABOUR), rows.labour),
            "moved_in": _dates(rows.moved_in, rows.moved_in == 0),
            "previous_commune_code": pc.take(codes, previous),
        },
        schema=PERSONS_SCHEMA,
    ).take(pa.array(order))

    card_table = _card_table(rng, province, cards, clean_ids, defects)
    span_table = _span_table(rng, province, spans, clean_ids, defects)
    return persons, card_table, span_table


def _card_table(
    rng: np.random.Generator, province: _Province, cards: _Cards, ids: pa.Array, defects: dict[str, int]
) -> pa.Table:
    """Cards person by person, oldest first, then the bad ones asked for."""
    order = np.lexsort((cards.start, cards.person))
    person, group, start, end = cards.person[order], cards.group[order], cards.start[order], cards.end[order]
    holder = pc.take(ids, person)
    extra = []
    if len(person):  # a typing error in the dates, a group code that does not exist
        rows = rng.integers(0, len(person), defects.get("card.inverted", 0))
        extra.append((pc.take(holder, rows), group[rows], start[rows], start[rows] - rng.integers(1, 300, len(rows))))
        rows = rng.integers(0, len(person), defects.get("card.unknown_group", 0))
        extra.append((pc.take(holder, rows), np.full(len(rows), 9, np.int8), start[rows], end[rows]))
    count = defects.get("card.unknown_person", 0)
    if count:
        strangers = _strangers(rng, province, count)
        begin = province.calendar.as_of - rng.integers(30, 400, count)
        extra.append((strangers, np.full(count, 5, np.int8), begin, _add_months(begin, 12) - 1))
    holders = [holder] + [e[0] for e in extra]
    return pa.table(
        {
            "person_id": pa.chunked_array(holders, type=pa.string()),
            "bhyt_group": pa.array(np.concatenate([group] + [e[1] for e in extra]), type=pa.int8()),
            "valid_from": _dates(np.concatenate([start] + [e[2] for e in extra])),
            "valid_to": _dates(np.concatenate([end] + [e[3] for e in extra])),
        },
        schema=CARDS_SCHEMA,
    )


def _strangers(rng: np.random.Generator, province: _Province, count: int) -> pa.Array:
    """Well-formed ID numbers that belong to nobody: serials from the range kept back for them."""
    year = rng.integers(1950, 2010, count)
    male = rng.random(count) < 0.5
    cell = _cell(male, year)
    serial = _SERIALS - 1 - rng.choice(_RESERVED_SERIALS, size=count, replace=False)
    number = int(province.province_code) * 10**9 + cell * 10**6 + _scramble(serial, cell, province.id_keys)
    return _strings(_digits(number, 12))


def _span_table(
    rng: np.random.Generator, province: _Province, spans: _Spans, ids: pa.Array, defects: dict[str, int]
) -> pa.Table:
    """Spans person by person, oldest first, then copies of a few made bad (inverted, unknown scheme)."""
    order = np.lexsort((spans.first, spans.person))
    person, scheme, employer, bhtn = spans.person[order], spans.scheme[order], spans.employer[order], spans.bhtn[order]
    first, last = spans.first[order], spans.last[order]
    if len(person):
        inverted = rng.integers(0, len(person), defects.get("span.inverted", 0))
        other = rng.integers(0, len(person), defects.get("span.unknown_scheme", 0))
        rows = np.concatenate([np.arange(len(person)), inverted, other])
        scheme = np.concatenate([scheme, scheme[inverted], np.full(len(other), 2, np.int8)])
        last = np.concatenate([last, first[inverted] - rng.integers(1, 12, len(inverted)), last[other]])
        person, employer, bhtn, first = person[rows], employer[rows], bhtn[rows], first[rows]
    employer_index = pa.array(employer, mask=employer < 0)
    return pa.table(
        {
            "person_id": pc.take(ids, person),
            "scheme": pc.take(pa.array(_SCHEMES), scheme),
            "employer_code": pc.take(province.employer_codes, employer_index),
            "bhtn": pa.array(bhtn, type=pa.bool_()),
            "first_month": _dates(_month_start(first)),
            "last_month": _dates(_month_start(np.maximum(last, 0)), last < 0),
        },
        schema=SPANS_SCHEMA,
    )


# ----------------------------------------------------------------------------------------------------------
# 6. Bad rows
# ----------------------------------------------------------------------------------------------------------


def _plan_defects(rng: np.random.Generator, province: _Province, wanted: bool) -> dict[int, dict[str, int]]:
    """How many bad rows of each kind go into each chunk: about 1 in 50,000 persons, at least one of each
    kind from 1,000 persons on (two ID errors, so both an empty and an 11-digit number appear)."""
    persons = int(province.persons.sum())
    if not wanted or persons < 1_000:
        return {}
    sizes = np.array([province.persons[c].sum() for c in province.chunks], dtype=np.float64)
    plan: dict[int, dict[str, int]] = {}
    for kind in _DEFECT_KINDS:
        count = max(2 if kind == "person.missing_id" else 1, round(persons * _DEFECTS_PER_PERSON))
        for chunk in _pick(rng, sizes, count):
            plan.setdefault(int(chunk), {}).setdefault(kind, 0)
            plan[int(chunk)][kind] += 1
    return plan
