"""Tiny hand-built person-level data, and Parquet files of it with the exact types of docs/data.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ansinh.core.periods import add_months
from ansinh.coverage.required import RequiredRules, required_rules
from ansinh.rules import shipped_rule_value

HOME = "31117"
OTHER = "31120"
JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)

PERSONS_SCHEMA = pa.schema([
    ("person_id", pa.string()), ("full_name", pa.string()), ("gender", pa.string()), ("birth_date", pa.date32()),
    ("commune_code", pa.string()), ("village", pa.string()), ("household_id", pa.string()),
    ("labour_status", pa.string()), ("moved_in", pa.date32()), ("previous_commune_code", pa.string()),
])
#: The columns of the registry that older extracts lack (docs/data.md): written only when a test gives them.
PERSON_EXTRA_FIELDS = [("employment_kind", pa.string()), ("contract_months", pa.int16()), ("pensioner", pa.bool_())]
CARDS_SCHEMA = pa.schema([
    ("person_id", pa.string()), ("bhyt_group", pa.int8()), ("valid_from", pa.date32()), ("valid_to", pa.date32()),
])
SPANS_SCHEMA = pa.schema([
    ("person_id", pa.string()), ("scheme", pa.string()), ("employer_code", pa.string()), ("bhtn", pa.bool_()),
    ("first_month", pa.date32()), ("last_month", pa.date32()),
])


def pid(n: int) -> str:
    return f"0920900{n:05d}"


def person(n: int, **overrides) -> dict:
    """A man of 34 living in HOME all along, working a job that requires compulsory insurance."""
    row = {
        "person_id": pid(n),
        "full_name": f"Nguyễn Văn {n}",
        "gender": "M",
        "birth_date": date(1990, 5, 10),
        "commune_code": HOME,
        "village": "Ấp 1",
        "household_id": f"H{n}",
        "labour_status": "compulsory",
        "moved_in": None,
        "previous_commune_code": None,
    }
    row.update(overrides)
    return row


def card(n: int, valid_from: date | None, valid_to: date | None, group: int | None = 1) -> dict:
    return {"person_id": pid(n), "bhyt_group": group, "valid_from": valid_from, "valid_to": valid_to}


def span(n: int, first: date | None, last: date | None = None, scheme: str | None = "compulsory", bhtn: bool = False) -> dict:
    return {
        "person_id": pid(n),
        "scheme": scheme,
        "employer_code": "1800000001" if scheme == "compulsory" else None,
        "bhtn": bhtn,
        "first_month": first,
        "last_month": last,
    }


PERSON_COLUMNS = list(person(0))
CARD_COLUMNS = list(card(0, JAN, JAN))
SPAN_COLUMNS = list(span(0, JAN))


def rules_for(first_month: date, months: int) -> tuple[RequiredRules, ...]:
    """The shipped rules of who must be insured, for each month of a period."""
    first = first_month.replace(day=1)
    return required_rules([add_months(first, i) for i in range(months)], value=shipped_rule_value)  # no database needed


def frames(persons=(), cards=(), spans=()) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    persons = list(persons)
    extra = [name for name, _ in PERSON_EXTRA_FIELDS if any(name in row for row in persons)]
    return (
        pd.DataFrame(persons, columns=PERSON_COLUMNS + extra),
        pd.DataFrame(list(cards), columns=CARD_COLUMNS),
        pd.DataFrame(list(spans), columns=SPAN_COLUMNS),
    )


def write_parquet(directory: Path, persons: pd.DataFrame, cards: pd.DataFrame, spans: pd.DataFrame, as_of: date | None = None) -> Path:
    """The three input files (and a manifest when `as_of` is given), typed as docs/data.md says."""
    directory.mkdir(parents=True, exist_ok=True)
    for frame, schema, name in (
        (persons, _persons_schema(persons), "persons"), (cards, CARDS_SCHEMA, "bhyt_cards"), (spans, SPANS_SCHEMA, "bhxh_spans"),
    ):
        columns = {field.name: pa.array(_cells(frame[field.name]), type=field.type) for field in schema}
        pq.write_table(pa.table(columns, schema=schema), directory / f"{name}.parquet")
    if as_of is not None:
        (directory / "manifest.json").write_text(
            f'{{"province_code": "092", "as_of": "{as_of.isoformat()}", "persons": {len(persons)}, "seed": 0, "files": {{}}}}'
        )
    return directory


def _persons_schema(persons: pd.DataFrame) -> pa.Schema:
    extra = [field for field in PERSON_EXTRA_FIELDS if field[0] in persons.columns]
    return pa.schema([*PERSONS_SCHEMA, *(pa.field(name, kind) for name, kind in extra)])


def _cells(column: pd.Series) -> list:
    return [None if (value is None or (not isinstance(value, str) and pd.isna(value))) else value for value in column]
