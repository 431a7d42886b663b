"""Coverage counts in plain pandas: the baseline of the benchmark and the independent check of the engine.

This is deliberately the obvious implementation of docs/data.md ("What the engine counts" and "Bad rows"):
validate the rows, then for each month of the period select the persons who live in the province that
month, the cards and spans that count that month, keep each person once, attach where they live, and count
per commune. It shares no code with `engine.py`, so when both agree the numbers are very likely right.

Choices where docs/data.md leaves room (the engine must make the same ones for the two to agree):

- a row breaking several rules is kept out once, under the first rule in the table's order;
- `person.duplicate` looks at well-formed IDs only (a malformed ID is `person.missing_id`, however often
  it appears), and takes out every row of the ID even when one of them also breaks another rule;
- a person whose `commune_code` is empty lives nowhere, so it is `person.unknown_commune` even when no list
  of communes is given; an empty `previous_commune_code` (null or "") means "outside the province";
- a card with only one of its two dates "has no dates" (`card.inverted`); span months are compared as
  months (1/3 and 31/3 are the same month, so not inverted);
- `labour_status` `compulsory`, `other_work` or `unemployed` is in the labour force when of working age
  (an unknown value is not); a gender other than `M`/`F` has no retirement age, so is never of working age;
- a null `bhtn` is False; a voluntary span with `bhtn` does not count for `bhtn.participants`;
- a registry without `employment_kind`, `contract_months` or `pensioner` reads them as empty (not known,
  not known, False); an empty `employment_kind` ("" too) is a worker on an indefinite contract, an empty
  `contract_months` long enough; each month is judged under that month's `RequiredRules`;
- the output lists every commune named as `commune_code` or non-empty `previous_commune_code` of a valid
  person, even when that person never lived there during the period.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ansinh.core.periods import add_months, month_end

# The vocabulary and the law are shared with the engine; the computation is written independently.
from ansinh.coverage.engine import BHYT_GROUPS, MEASURES_OUT, REGISTRY_DEFAULTS, SCHEMES, working_age_limits
from ansinh.coverage.required import EMPLOYMENT_KINDS, FIXED_TERM, RequiredRules, SchemeRules

RULES = (
    "person.missing_id",
    "person.duplicate",
    "person.unknown_commune",
    "person.missing_birth_date",
    "person.unknown_employment_kind",
    "card.inverted",
    "card.unknown_group",
    "card.unknown_person",
    "span.inverted",
    "span.unknown_scheme",
    "span.unknown_person",
)

OUTPUT_COLUMNS = ["commune_code", "month", "measure", "value"]

# Working age (Labour Code 2019, art. 169), in months of age.
WORKING_AGE_FROM = 15 * 12


# --------------------------------------------------------------------------------------------- inputs


def load_inputs_pandas(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read persons, BHYT cards and BHXH spans from the data directory, as they are on disk."""
    data_dir = Path(data_dir)
    persons = pd.read_parquet(data_dir / "persons.parquet")
    cards = pd.read_parquet(data_dir / "bhyt_cards.parquet")
    spans = pd.read_parquet(data_dir / "bhxh_spans.parquet")
    return persons, cards, spans


# ----------------------------------------------------------------------------------- small helpers


def _dates(column: pd.Series) -> pd.Series:
    """Any date-like column (datetime.date objects, datetime64, strings) as day-precision datetime64.

    Parquet `date` columns arrive as `datetime.date` objects or as datetime64 depending on the reader;
    comparing one representation everywhere avoids mixed-type surprises. Unreadable values become NaT,
    i.e. "no date".
    """
    return pd.to_datetime(column, errors="coerce").dt.normalize()


def _month_index(column: pd.Series) -> pd.Series:
    """Months since year 0 (year * 12 + month - 1) of a date-like column; NaN when there is no date.

    Whole-month arithmetic (ages, "from the month of moving") is then plain integer arithmetic.
    """
    dates = _dates(column)
    return (dates.dt.year * 12 + dates.dt.month - 1).astype("float64")


def _month_number(month: date) -> int:
    return month.year * 12 + month.month - 1


def _blank(column: pd.Series) -> pd.Series:
    """True where a code is missing: null or an empty/whitespace string."""
    return column.isna() | (column.astype("string").str.strip() == "").fillna(True).astype(bool)


def _as_text(column: pd.Series) -> pd.Series:
    """A code column as nullable strings, so that comparisons and `isin` behave the same for any input dtype."""
    return column.astype("string")


# ----------------------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class ValidInputs:
    """Rows that can be counted, and how many were kept out under each rule.

    `cards` and `spans` get a `person_key` column: the row of their person in `persons`. Joining on a
    small integer instead of a 12-character ID keeps the monthly merges fast.
    """

    persons: pd.DataFrame
    cards: pd.DataFrame
    spans: pd.DataFrame
    quality: dict[str, int]


def _first_rule(rules: list[tuple[str, pd.Series]], index: pd.Index) -> pd.Series:
    """For each row, the first rule (in table order) it breaks, or NA when it breaks none.

    Assigning each row to exactly one rule makes the quality counts add up to the rows kept out.
    """
    broken = pd.Series(pd.NA, index=index, dtype="string")
    for code, mask in rules:
        broken = broken.mask(broken.isna() & mask.fillna(False).astype(bool), code)
    return broken


def _validate_persons(persons: pd.DataFrame, communes: Collection[str] | None) -> pd.Series:
    ids = _as_text(persons["person_id"])
    well_formed = ids.str.fullmatch(r"[0-9]{12}").fillna(False).astype(bool)
    # Only well-formed IDs can be duplicates; every row of such an ID is out, none is "the right one".
    duplicated = well_formed & ids.where(well_formed).duplicated(keep=False)

    commune = _as_text(persons["commune_code"])
    previous = _as_text(persons["previous_commune_code"])
    unknown_commune = _blank(persons["commune_code"])
    if communes is not None:
        known = {str(code) for code in communes}
        unknown_commune |= ~commune.isin(known).fillna(False).astype(bool)
        unknown_commune |= ~_blank(persons["previous_commune_code"]) & ~previous.isin(known).fillna(False).astype(bool)

    missing_birth = _dates(persons["birth_date"]).isna()
    kind = _employment_kind(persons)
    unknown_kind = kind.notna() & ~kind.isin(EMPLOYMENT_KINDS).fillna(False).astype(bool)
    return _first_rule(
        [
            ("person.missing_id", ~well_formed),
            ("person.duplicate", duplicated),
            ("person.unknown_commune", unknown_commune),
            ("person.missing_birth_date", missing_birth),
            ("person.unknown_employment_kind", unknown_kind),
        ],
        persons.index,
    )


def _employment_kind(persons: pd.DataFrame) -> pd.Series:
    """The kind of work as nullable text, NA when the column is absent or the value empty."""
    if "employment_kind" not in persons.columns:
        return pd.Series(pd.NA, index=persons.index, dtype="string")
    kind = _as_text(persons["employment_kind"])
    return kind.where(~_blank(persons["employment_kind"]))


def _person_keys(person_ids: pd.Series, valid_ids: pd.Index) -> pd.Series:
    """Row of each ID in the valid persons, -1 when the ID is not a valid person's."""
    return pd.Series(valid_ids.get_indexer(_as_text(person_ids)), index=person_ids.index)


def _validate_cards(cards: pd.DataFrame, keys: pd.Series) -> pd.Series:
    valid_from, valid_to = _dates(cards["valid_from"]), _dates(cards["valid_to"])
    inverted = valid_from.isna() | valid_to.isna() | (valid_to < valid_from)
    group = pd.to_numeric(cards["bhyt_group"], errors="coerce")
    return _first_rule(
        [
            ("card.inverted", inverted),
            ("card.unknown_group", ~group.isin(BHYT_GROUPS)),
            ("card.unknown_person", keys < 0),
        ],
        cards.index,
    )


def _validate_spans(spans: pd.DataFrame, keys: pd.Series) -> pd.Series:
    first, last = _month_index(spans["first_month"]), _month_index(spans["last_month"])
    inverted = first.isna() | (last < first)  # NaN < x is False: an open span is never inverted
    return _first_rule(
        [
            ("span.inverted", inverted),
            ("span.unknown_scheme", ~_as_text(spans["scheme"]).isin(SCHEMES)),
            ("span.unknown_person", keys < 0),
        ],
        spans.index,
    )


def touching_period(cards: pd.DataFrame, spans: pd.DataFrame, first_month: date, months: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cards and spans that touch the period (in whichever order their dates are), or lack a date.

    Rows wholly before or after the period are not read at all: neither counted nor checked."""
    start = pd.Timestamp(date(first_month.year, first_month.month, 1))
    end = pd.Timestamp(add_months(date(first_month.year, first_month.month, 1), months)) - pd.Timedelta(days=1)
    frm, to = pd.to_datetime(cards["valid_from"]), pd.to_datetime(cards["valid_to"])
    low, high = frm.where(frm <= to, to), frm.where(frm >= to, to)
    keep_cards = frm.isna() | to.isna() | ((high >= start) & (low <= end))
    first = pd.to_datetime(spans["first_month"]).dt.to_period("M").dt.to_timestamp()
    last = pd.to_datetime(spans["last_month"]).dt.to_period("M").dt.to_timestamp()
    span_high = first.where(last.isna() | (first >= last), last)
    span_high = span_high.where(last.notna(), pd.Timestamp.max)
    span_low = first.where(last.isna() | (first <= last), last)
    keep_spans = first.isna() | ((span_high >= start) & (span_low <= end))
    return cards[keep_cards.to_numpy()].reset_index(drop=True), spans[keep_spans.to_numpy()].reset_index(drop=True)


def validate_inputs(
    *, persons: pd.DataFrame, cards: pd.DataFrame, spans: pd.DataFrame, communes: Collection[str] | None = None,
    first_month: date | None = None, months: int | None = None,
) -> ValidInputs:
    """Apply the bad-row rules of docs/data.md; persons first, since cards and spans need the valid persons.
    With a period, cards and spans that do not touch it are left out first."""
    if first_month is not None and months is not None:
        cards, spans = touching_period(cards, spans, first_month, months)
    person_rule = _validate_persons(persons, communes)
    valid_persons = persons[person_rule.isna()].reset_index(drop=True)
    valid_ids = pd.Index(_as_text(valid_persons["person_id"]))  # unique: duplicates are out

    card_keys = _person_keys(cards["person_id"], valid_ids)
    span_keys = _person_keys(spans["person_id"], valid_ids)
    card_rule = _validate_cards(cards, card_keys)
    span_rule = _validate_spans(spans, span_keys)

    broken = pd.concat([person_rule, card_rule, span_rule], ignore_index=True).dropna()
    counts = broken.value_counts()
    quality = {code: int(counts.get(code, 0)) for code in RULES}
    return ValidInputs(
        persons=valid_persons,
        cards=cards.assign(person_key=card_keys)[card_rule.isna()].reset_index(drop=True),
        spans=spans.assign(person_key=span_keys)[span_rule.isna()].reset_index(drop=True),
        quality=quality,
    )


def coverage_quality_pandas(
    *, persons: pd.DataFrame, cards: pd.DataFrame, spans: pd.DataFrame, communes: Collection[str] | None = None,
    first_month: date | None = None, months: int | None = None,
) -> dict[str, int]:
    """Rows kept out, by rule code (every rule listed, zeros included)."""
    return validate_inputs(
        persons=persons, cards=cards, spans=spans, communes=communes, first_month=first_month, months=months
    ).quality


# ------------------------------------------------------------------------------------------- counting


def _prepare_persons(persons: pd.DataFrame) -> pd.DataFrame:
    """The person columns the monthly counts need, in comparable types (done once, not every month)."""
    return pd.DataFrame(
        {
            "person_key": pd.RangeIndex(len(persons)),
            "gender": _as_text(persons["gender"]),
            "labour_status": _as_text(persons["labour_status"]),
            "employment_kind": _employment_kind(persons),
            "contract_months": _optional(persons, "contract_months").astype("Float64"),
            "pensioner": _optional(persons, "pensioner").astype("boolean").fillna(False).astype(bool),
            "commune_code": _as_text(persons["commune_code"]),
            "previous_commune_code": _as_text(persons["previous_commune_code"]).where(
                ~_blank(persons["previous_commune_code"])
            ),
            "birth_month": _month_index(persons["birth_date"]),
            "moved_in_month": _month_index(persons["moved_in"]),
        }
    )


def _optional(persons: pd.DataFrame, column: str) -> pd.Series:
    """A column that older extracts lack (`REGISTRY_DEFAULTS`): all empty when absent."""
    if column in persons.columns:
        return persons[column]
    assert column in REGISTRY_DEFAULTS
    return pd.Series(pd.NA, index=persons.index, dtype="object")


def _listed(workers: pd.DataFrame, rules: SchemeRules) -> pd.Series:
    """Workers with labour status `compulsory` whom the law lists this month (docs/data.md)."""
    kind = workers["employment_kind"]
    covered = kind.isna() | kind.isin(rules.kinds).fillna(False).astype(bool)
    months = workers["contract_months"]
    short = (kind == FIXED_TERM).fillna(False).astype(bool) & months.notna() & (months < rules.min_contract_months).fillna(False).astype(bool)
    pension = pd.Series(True, index=workers.index) if rules.pensioners else ~workers["pensioner"]
    return (workers["labour_status"] == "compulsory").fillna(False).astype(bool) & covered & ~short & pension


def _residents(persons: pd.DataFrame, month: date) -> pd.DataFrame:
    """Persons living in the province in `month`, with `commune_code` set to where they live that month.

    They live in `commune_code` from the month of `moved_in` (always, when it is empty), in
    `previous_commune_code` before it (nowhere in the province when that is empty), and nowhere before
    the month of their birth.
    """
    m = _month_number(month)
    moved = persons["moved_in_month"]
    in_current = moved.isna() | (moved <= m)
    commune = persons["commune_code"].where(in_current, persons["previous_commune_code"])
    born = persons["birth_month"] <= m
    residents = persons.assign(commune_code=commune)[born & commune.notna()]
    return residents.assign(age_months=m - residents["birth_month"])


def _of_working_age(residents: pd.DataFrame, limits: dict[str, int]) -> pd.Series:
    """180 ≤ age in months < the gender's limit; unknown genders have no limit, so are not of working age."""
    limit = residents["gender"].map(limits).astype("float64")
    age = residents["age_months"]
    return ((age >= WORKING_AGE_FROM) & (age < limit)).fillna(False).astype(bool)


def _count_persons(residents: pd.DataFrame) -> pd.Series:
    """Persons per commune (residents are unique persons, so counting rows counts persons)."""
    return residents.groupby("commune_code").size()


def _count_holders(person_keys: pd.Series, residents: pd.DataFrame) -> pd.Series:
    """Persons per commune among the holders of something that counts this month, each person once.

    The holder is counted where they live this month (inner merge: a holder not living in the province
    that month, e.g. not yet born, is not counted).
    """
    holders = pd.DataFrame({"person_key": person_keys.drop_duplicates()})
    located = holders.merge(residents[["person_key", "commune_code"]], on="person_key", how="inner")
    return located.groupby("commune_code").size()


def _cards_in_month(cards: pd.DataFrame, month: date) -> pd.DataFrame:
    """Cards valid on at least one day of the month."""
    first_day, last_day = pd.Timestamp(month), pd.Timestamp(month_end(month))
    return cards[(cards["valid_from"] <= last_day) & (cards["valid_to"] >= first_day)]


def _spans_in_month(spans: pd.DataFrame, month: date) -> pd.DataFrame:
    """Spans with first month ≤ month ≤ last month (an empty last month is still open)."""
    m = _month_number(month)
    last = spans["last_month"]
    return spans[(spans["first_month"] <= m) & (last.isna() | (last >= m))]


def _month_counts(
    persons: pd.DataFrame, cards: pd.DataFrame, spans: pd.DataFrame, month: date, limits: dict[str, int],
    rules: RequiredRules,
) -> dict[str, pd.Series]:
    """Every measure for one month, as commune → count (communes with no one may be absent)."""
    residents = _residents(persons, month)
    in_force = residents["labour_status"].isin(["compulsory", "other_work", "unemployed"])
    labour_force = residents[_of_working_age(residents, limits) & in_force]

    month_cards = _cards_in_month(cards, month)
    month_spans = _spans_in_month(spans, month)
    compulsory = month_spans[month_spans["scheme"] == "compulsory"]
    voluntary = month_spans[month_spans["scheme"] == "voluntary"]

    counts = {
        "population": _count_persons(residents),
        "labour_force": _count_persons(labour_force),
        "bhxh.compulsory.required": _count_persons(labour_force[_listed(labour_force, rules.bhxh)]),
        "bhtn.required": _count_persons(labour_force[_listed(labour_force, rules.bhtn)]),
        "bhyt.participants": _count_holders(month_cards["person_key"], residents),
    }
    for group in BHYT_GROUPS:
        of_group = month_cards[month_cards["bhyt_group"] == group]
        counts[f"bhyt.participants.group.{group}"] = _count_holders(of_group["person_key"], residents)
    counts["bhxh.compulsory.participants"] = _count_holders(compulsory["person_key"], residents)
    counts["bhxh.voluntary.participants"] = _count_holders(voluntary["person_key"], residents)
    counts["bhtn.participants"] = _count_holders(compulsory[compulsory["bhtn"]]["person_key"], residents)
    return counts


def _prepare_cards(cards: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_key": cards["person_key"],
            "bhyt_group": pd.to_numeric(cards["bhyt_group"], errors="coerce"),
            "valid_from": _dates(cards["valid_from"]),
            "valid_to": _dates(cards["valid_to"]),
        }
    )


def _prepare_spans(spans: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_key": spans["person_key"],
            "scheme": _as_text(spans["scheme"]),
            "bhtn": spans["bhtn"].astype("boolean").fillna(False).astype(bool),
            "first_month": _month_index(spans["first_month"]),
            "last_month": _month_index(spans["last_month"]),
        }
    )


def _output_communes(persons: pd.DataFrame) -> list[str]:
    """Every commune that is a residence (current or previous) of a valid person, sorted."""
    codes = pd.concat([persons["commune_code"], persons["previous_commune_code"]]).dropna()
    return sorted(str(code) for code in codes.unique())


def coverage_counts_pandas(
    *,
    persons: pd.DataFrame,
    cards: pd.DataFrame,
    spans: pd.DataFrame,
    first_month: date,
    months: int,
    required: tuple[RequiredRules, ...],
    communes: Collection[str] | None = None,
) -> pd.DataFrame:
    """The 14 measures of MEASURES_OUT for every commune and month of the period, zeros included;
    `required` holds the rules of each month (`coverage.required.required_rules`).

    Columns `commune_code` (str), `month` (date, first day), `measure` (str), `value` (int64), one row
    for every residence commune of a valid person × month × measure, sorted by commune, month, measure.
    """
    if months < 0:
        raise ValueError("months must be >= 0")
    if len(required) != months:
        raise ValueError(f"required: {len(required)} months of rules for a period of {months}")
    first_month = date(first_month.year, first_month.month, 1)
    period = [add_months(first_month, offset) for offset in range(months)]

    valid = validate_inputs(persons=persons, cards=cards, spans=spans, communes=communes, first_month=first_month, months=months)
    people = _prepare_persons(valid.persons)
    month_cards, month_spans = _prepare_cards(valid.cards), _prepare_spans(valid.spans)
    limits = working_age_limits(first_month.year)

    pieces = []
    for month, rules in zip(period, required):
        for measure, per_commune in _month_counts(people, month_cards, month_spans, month, limits, rules).items():
            piece = per_commune.rename("value").rename_axis("commune_code").reset_index()
            pieces.append(piece.assign(month=month, measure=measure))

    grid = pd.MultiIndex.from_product(
        [_output_communes(people), period, sorted(MEASURES_OUT)], names=["commune_code", "month", "measure"]
    )
    if pieces:
        found = pd.concat(pieces, ignore_index=True).set_index(["commune_code", "month", "measure"])["value"]
        values = found.reindex(grid, fill_value=0)
    else:
        values = pd.Series(0, index=grid, name="value")
    result = values.astype("int64").rename("value").reset_index()
    result["commune_code"] = result["commune_code"].astype(str)
    return result[OUTPUT_COLUMNS]
