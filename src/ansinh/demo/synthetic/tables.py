"""The three Parquet tables of one chunk (persons, bhyt_cards, bhxh_spans) as docs/data.md describes them,
with the chunk's bad rows planted in them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ansinh.demo.synthetic.arrays import date_column, digit_strings, pick_within, string_column
from ansinh.demo.synthetic.calibration import LABOUR, RESERVED_SERIALS, SCHEMES, SERIALS
from ansinh.demo.synthetic.cards import bhyt_cards
from ansinh.demo.synthetic.days import add_months, month_start, year_of
from ansinh.demo.synthetic.employment import Employment, employment
from ansinh.demo.synthetic.households import draw_full_names, draw_households, moves, serial_in_commune
from ansinh.demo.synthetic.ids import draw_person_ids, id_cell, scramble
from ansinh.demo.synthetic.spans import Spans, compulsory_spans, statuses, voluntary_spans

if TYPE_CHECKING:
    from ansinh.demo.synthetic.cards import Cards
    from ansinh.demo.synthetic.households import People
    from ansinh.demo.synthetic.province import Province


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
    ("employment_kind", pa.string()),
    ("contract_months", pa.int16()),
    ("pensioner", pa.bool_()),
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


def chunk_tables(
    province: Province, chunk: np.ndarray, rng: np.random.Generator, defects: dict[str, int] | None,
    step: Callable[[str, float], None],
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Persons, cards and spans of the communes of one chunk (whole communes, so households stay whole)."""
    cal = province.calendar
    step("Dân cư và hộ gia đình", 0.05)
    people = draw_households(rng, province.persons[chunk], chunk)
    birth = cal.as_of - np.floor(people.age * 365.2425).astype(np.int64)
    year = year_of(birth)
    step("Lao động và quá trình đóng BHXH", 0.35)
    status = statuses(rng, province, people, birth)
    work = employment(rng.spawn(1)[0], people, status)
    compulsory, paying, entrant_from = compulsory_spans(rng, province, people, birth, status, work.bhtn_enrolled)
    spans = Spans.join([compulsory, voluntary_spans(rng, province, people, status)])
    step("Thẻ BHYT", 0.5)
    cards = bhyt_cards(rng, province, people, birth, status, spans, paying, entrant_from)
    step("Họ tên, số định danh, nơi ở", 0.7)
    ids = draw_person_ids(province, people.male, year)
    moved_in, previous = moves(rng, province, people, birth)
    hamlet = pick_within(rng, people.household_commune, province.village_bounds)
    # Households numbered 1.. inside their commune, hamlet after hamlet, as an extract lists them.
    household_serial = serial_in_commune(people.household_commune, hamlet)
    village = hamlet[people.household]
    order = np.lexsort((np.arange(len(birth)), household_serial[people.household], people.commune))
    rows = _Rows(people, birth, year, status.labour, ids, moved_in, previous, village, household_serial, work)
    return _tables(province, rng, rows, order, cards, spans, defects or {})


@dataclass
class _Rows:
    """The person columns of a chunk, ready to become the persons table."""

    people: People
    birth: np.ndarray
    year: np.ndarray
    labour: np.ndarray
    ids: np.ndarray  # ASCII rows
    moved_in: np.ndarray
    previous: np.ndarray
    village: np.ndarray
    household_serial: np.ndarray
    work: Employment


def _tables(
    province: Province, rng: np.random.Generator, rows: _Rows, order: np.ndarray, cards: Cards,
    spans: Spans, defects: dict[str, int],
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The three tables of the chunk, bad rows included when asked for."""
    people = rows.people
    n = len(order)
    ids = rows.ids.copy()
    clean_ids = string_column(rows.ids)
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
    odd_kind = victims("person.unknown_employment_kind")  # a word typed in, not a code of the list
    order = np.concatenate([order, duplicates])

    codes = pa.array([c.code for c in province.communes] + ["99999"], type=pa.string())
    person_ids = pc.utf8_trim_whitespace(string_column(ids)) if len(mistyped) else string_column(ids)
    width = max(6, len(str(int(rows.household_serial.max(initial=0)))))
    household_ids = pc.binary_join_element_wise(
        pc.take(codes, people.commune), string_column(digit_strings(rows.household_serial[people.household], width)), ""
    )
    full_names = draw_full_names(rng, people.male, rows.year, people.surname)
    previous = pa.array(rows.previous, mask=rows.previous < 0)
    persons = pa.table(
        {
            "person_id": person_ids,
            "full_name": full_names,
            "gender": pc.take(pa.array(["F", "M"]), people.male.astype(np.int8)),
            "birth_date": date_column(rows.birth, missing_birth),
            "commune_code": pc.take(codes, commune_index),
            "village": pc.take(province.village_names, rows.village),
            "household_id": household_ids,
            "labour_status": pc.take(pa.array(LABOUR), rows.labour),
            "moved_in": date_column(rows.moved_in, rows.moved_in == 0),
            "previous_commune_code": pc.take(codes, previous),
            **rows.work.columns(odd_kind),
        },
        schema=PERSONS_SCHEMA,
    ).take(pa.array(order))

    card_table = _card_table(rng, province, cards, clean_ids, defects)
    span_table = _span_table(rng, province, spans, clean_ids, defects)
    return persons, card_table, span_table


def _card_table(
    rng: np.random.Generator, province: Province, cards: Cards, ids: pa.Array, defects: dict[str, int]
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
        extra.append((strangers, np.full(count, 5, np.int8), begin, add_months(begin, 12) - 1))
    holders = [holder] + [e[0] for e in extra]
    return pa.table(
        {
            "person_id": pa.chunked_array(holders, type=pa.string()),
            "bhyt_group": pa.array(np.concatenate([group] + [e[1] for e in extra]), type=pa.int8()),
            "valid_from": date_column(np.concatenate([start] + [e[2] for e in extra])),
            "valid_to": date_column(np.concatenate([end] + [e[3] for e in extra])),
        },
        schema=CARDS_SCHEMA,
    )


def _strangers(rng: np.random.Generator, province: Province, count: int) -> pa.Array:
    """Well-formed ID numbers that belong to nobody: serials from the range kept back for them."""
    year = rng.integers(1950, 2010, count)
    male = rng.random(count) < 0.5
    cell = id_cell(male, year)
    serial = SERIALS - 1 - rng.choice(RESERVED_SERIALS, size=count, replace=False)
    number = int(province.province_code) * 10**9 + cell * 10**6 + scramble(serial, cell, province.id_keys)
    return string_column(digit_strings(number, 12))


def _span_table(
    rng: np.random.Generator, province: Province, spans: Spans, ids: pa.Array, defects: dict[str, int]
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
            "scheme": pc.take(pa.array(SCHEMES), scheme),
            "employer_code": pc.take(province.employer_codes, employer_index),
            "bhtn": pa.array(bhtn, type=pa.bool_()),
            "first_month": date_column(month_start(first)),
            "last_month": date_column(month_start(np.maximum(last, 0)), last < 0),
        },
        schema=SPANS_SCHEMA,
    )
