"""Who in each commune is insured, month by month, from person-level data — as pure Ibis expressions.

The functions here take Ibis tables and return Ibis tables; they never know whether DuckDB or PySpark runs
them (`pipeline.py` runs them on a connection from `ansinh.engine.backends`). What is counted is written down in `docs/data.md`.

Why bit masks: a person holds cards and spans that each cover a range of months. Expanding every card
into one row per month (a range join) multiplies the data twelve times; instead each card becomes one
integer whose bit `i` says "valid in month i of the period". All the rows about one person (their registry
row, their cards, their spans) fold into one row with a bitwise OR — so two overlapping cards count once —
in a single grouping, with no join. A commune's count for month `i` is then the sum of bit `i` over its
residents. Masks of the same kind share one 64-bit integer, 12 bits per lane (five BHYT groups fill 60
bits, so group 6 rides in a second card word), which is why a run covers at most twelve months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ansinh.coverage.required import EMPLOYMENT_KINDS, FIXED_TERM, RequiredRules, SchemeRules
from ansinh.engine.backends import Engine
from ansinh.engine.steps import Step

#: The measures the engine produces, in output order; codes of `targets.indicators.MEASURES`.
MEASURES_OUT: tuple[str, ...] = (
    "population",
    "labour_force",
    "bhxh.compulsory.required",
    "bhtn.required",
    "bhyt.participants",
    *(f"bhyt.participants.group.{g}" for g in range(1, 7)),
    "bhxh.compulsory.participants",
    "bhxh.voluntary.participants",
    "bhtn.participants",
)
LANE = 12  # bits per mask lane: one bit per month
MAX_MONTHS = LANE
LANE_FULL = (1 << LANE) - 1
LABOUR_FORCE_STATUSES = ("compulsory", "other_work", "unemployed")
SCHEMES = ("compulsory", "voluntary")
#: Groups of the Law on Health Insurance, art. 12 as amended by Law 51/2024/QH15 (six clauses).
BHYT_GROUPS = (1, 2, 3, 4, 5, 6)
CARD_WORD_GROUPS = 5  # groups per 64-bit card word: group g in word (g-1) // 5, lane (g-1) % 5
WORKING_AGE_FROM_MONTHS = 15 * 12

# Lanes of the packed masks.
# residence: lived in the commune now / in the previous one, labour force, required by BHXH / by BHTN
HERE, BEFORE, LABOUR, REQUIRED, BHTN_REQUIRED = 0, 1, 2, 3, 4
COMPULSORY, VOLUNTARY, BHTN = 0, 1, 2  # spans; cards use lane g-1 for BHYT group g
# Where a person lives: commune code now, and before they moved, in one number (32 bits each); the
# registry row's own problems ride above the commune (codes are 5 digits, below 2**24).
PLACE_SHIFT = 32
COMMUNE_BITS = 24
FLAGS_SHIFT = PLACE_SHIFT + COMMUNE_BITS

# What became of the rows about one person ID, as a small code (cheap to compare and group by); the
# first that applies wins (docs/data.md, "Bad rows").
VALID, ORPHAN = 0, 1  # counted / cards or spans of nobody
PERSON_RULES = {
    2: "person.missing_id", 3: "person.duplicate", 4: "person.unknown_commune", 5: "person.missing_birth_date",
    6: "person.unknown_employment_kind",
}
_OUTCOME = {rule: code for code, rule in PERSON_RULES.items()}
_MISSING_ID, _UNKNOWN_COMMUNE, _MISSING_BIRTH, _UNKNOWN_KIND = 1, 2, 4, 8  # flags a registry row carries into the fold


class CoverageSettings(BaseModel):
    """Everything a coverage run needs, validated once, buildable by any door (CLI, API, web, benchmark)."""

    model_config = ConfigDict(frozen=True)

    data_dir: Path
    first_month: date
    months: int = Field(default=12, ge=1, le=MAX_MONTHS)
    communes: frozenset[str] | None = None  # the province's communes; residents elsewhere are bad rows
    engine: Engine = "duckdb"
    slices: int = Field(default=1, ge=1, le=10)  # fold the persons in this many slices (bounds memory)
    debug: bool = False  # materialise and time each step
    #: Who must be insured in each month of the period (`coverage.required.required_rules`), resolved
    #: from the dated rules by the door, so the engine never reads the registry.
    required: tuple[RequiredRules, ...]

    @field_validator("first_month")
    @classmethod
    def _first_day(cls, value: date) -> date:
        return value.replace(day=1)

    @model_validator(mode="after")
    def _rules_for_every_month(self) -> CoverageSettings:
        if len(self.required) != self.months:
            raise ValueError(f"required: {len(self.required)} months of rules for a period of {self.months}")
        return self

    @property
    def month_list(self) -> list[date]:
        return [_add_months(self.first_month, i) for i in range(self.months)]


@dataclass(frozen=True)
class Inputs:
    persons: ir.Table
    cards: ir.Table
    spans: ir.Table


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def working_age_limits(year: int) -> dict[str, int]:
    """Retirement age in months by sex for a year (Labour Code 2019, art. 169: +3 months a year for men
    from 60 y 3 m in 2021 up to 62, +4 months a year for women from 55 y 4 m up to 60)."""
    steps = max(year - 2020, 0)
    return {"M": min(720 + 3 * steps, 744), "F": min(660 + 4 * steps, 720)}


# --- small expression helpers ------------------------------------------------------------------------


def month_index(value: ir.DateValue, settings: CoverageSettings) -> ir.IntegerValue:
    """Month of a date counted from the period's first month (0 = first month, negative = before)."""
    first = settings.first_month
    return (value.year() - first.year) * 12 + (value.month() - first.month)


def range_mask(low: ir.IntegerValue, high: ir.IntegerValue, settings: CoverageSettings) -> ir.IntegerValue:
    """Bits low..high (inclusive, clipped to the period) set; 0 when the range misses the period.

    Spark types the literal 1 as a 32-bit integer, and a 32-bit mask shifted into a lane above bit 31
    wraps around; Ibis thinks the shift is already 64-bit and would drop a plain cast, so the mask goes
    through 32 bits and back to force a real widening on every backend."""
    one = ibis.literal(1, type="int64")
    low = ibis.greatest(low, 0)
    high = ibis.least(high, settings.months - 1)
    mask = ibis.ifelse(low <= high, (one << (high + 1)) - (one << low), 0).fill_null(0)
    return mask.cast("int32").cast("int64")


def in_lane(mask: ir.IntegerValue, lane: int) -> ir.IntegerValue:
    return (mask << (LANE * lane)).cast("int64")


def lane(packed: ir.IntegerValue, index: int) -> ir.IntegerValue:
    return (packed >> (LANE * index)) & LANE_FULL


def _valid_id(value: ir.StringValue) -> ir.BooleanValue:
    return value.notnull() & value.re_search(r"^[0-9]{12}$")


# --- step 1: every row about a person becomes one row of packed masks ----------------------------------


#: The columns of the registry that older extracts lack, and what their absence means (docs/data.md):
#: the kind of work not known (counted as a worker on an indefinite contract), the contract's length not
#: known (counted as long enough), not a pensioner. With them absent the counts are those of before.
REGISTRY_DEFAULTS = {"employment_kind": "string", "contract_months": "int64", "pensioner": "boolean"}


def with_registry_defaults(persons: ir.Table) -> ir.Table:
    """The registry with the columns of `REGISTRY_DEFAULTS` added (empty) where an extract lacks them."""
    missing = {name: ibis.null(kind) for name, kind in REGISTRY_DEFAULTS.items() if name not in persons.columns}
    return persons.mutate(**missing) if missing else persons


def registry_rows(persons: ir.Table, settings: CoverageSettings) -> ir.Table:
    """Registry rows as fold input: where the person lived each month, labour-force months, the months
    the laws require them to be insured, and the problems of the row itself (duplicates show only after
    the fold).

    Built in stages, each a column, so the month of birth (used five times) is computed once per person."""
    persons = with_registry_defaults(persons)
    persons = persons.mutate(
        previous_commune_code=persons.previous_commune_code.nullif(""),
        employment_kind=persons.employment_kind.nullif(""),
        pensioner=persons.pensioner.fill_null(False),
    )
    persons = _with_known_communes(persons, settings)
    limits = working_age_limits(settings.first_month.year)
    staged = persons.mutate(
        born=month_index(persons.birth_date, settings),
        moved=month_index(persons.moved_in, settings),
        retire=ibis.cases((persons.gender == "M", limits["M"]), (persons.gender == "F", limits["F"]), else_=0),
        in_force=persons.labour_status.isin(LABOUR_FORCE_STATUSES),
        compulsory=(persons.labour_status == "compulsory").fill_null(False),
    )
    last = settings.months - 1
    staged = staged.mutate(
        working_age=range_mask(staged.born + WORKING_AGE_FROM_MONTHS, staged.born + staged.retire - 1, settings),
        here=range_mask(ibis.ifelse(staged.moved.isnull(), staged.born, ibis.greatest(staged.born, staged.moved)), last, settings),
        before=ibis.ifelse(staged.previous_commune_code.isnull(), 0, range_mask(staged.born, staged.moved - 1, settings)),
    )
    residence = (
        in_lane(staged.here, HERE)
        | in_lane(staged.before, BEFORE)
        | in_lane(ibis.ifelse(staged.in_force, staged.working_age, 0), LABOUR)
        | in_lane(staged.working_age & required_months(staged, settings, "bhxh"), REQUIRED)
        | in_lane(staged.working_age & required_months(staged, settings, "bhtn"), BHTN_REQUIRED)
    )
    commune, previous = _code_number(staged.commune_code), _code_number(staged.previous_commune_code)
    # A product with a 64-bit literal, not a shift: Ibis drops the cast of the small flags sum, and
    # DuckDB refuses to shift a 32-bit integer by 56.
    flags = _registry_flags(staged, settings) * ibis.literal(1 << FLAGS_SHIFT, type="int64")
    return _fold_input(staged, residence=residence.fill_null(0), place=flags | (commune << PLACE_SHIFT) | previous)


def _code_number(code: ir.StringValue) -> ir.IntegerValue:
    """A commune code as a number that fits its place (0 for what is no commune code: it is kept out anyway)."""
    number = code.try_cast("int64")
    return ibis.ifelse(number.between(0, (1 << COMMUNE_BITS) - 1), number, 0).fill_null(0)


def required_months(staged: ir.Table, settings: CoverageSettings, scheme: str) -> ir.IntegerValue:
    """The months of the period (as bits) in which the scheme's law lists the person, before working age.

    The rules may change within a period (BHTN's shortest contract, 3 months in 2025, 1 from 2026): the
    months under the same rules share one condition, so a period under one law is a single test."""
    months_by_rules: dict[SchemeRules, int] = {}
    for index, rules in enumerate(settings.required):
        key = getattr(rules, scheme)
        months_by_rules[key] = months_by_rules.get(key, 0) | (1 << index)
    mask = ibis.literal(0, type="int64")
    for rules, months in months_by_rules.items():
        mask = mask | ibis.ifelse(listed(staged, rules), ibis.literal(months, type="int64"), 0)
    return mask


def listed(persons: ir.Table, rules: SchemeRules) -> ir.BooleanValue:
    """Does the law (`rules`) list this worker? Workers with labour status `compulsory` whose kind of work
    it covers (not known: yes), on a fixed term of at least its shortest contract (length not known: yes),
    and not drawing a pension unless it lists pensioners."""
    kind = persons.employment_kind
    covered = kind.isnull() | kind.isin(sorted(rules.kinds))
    short = (kind == FIXED_TERM) & persons.contract_months.notnull() & (persons.contract_months < rules.min_contract_months)
    pension = ibis.literal(True) if rules.pensioners else ~persons.pensioner
    return (persons.compulsory & covered.fill_null(False) & ~short.fill_null(False) & pension).fill_null(False)


def _with_known_communes(persons: ir.Table, settings: CoverageSettings) -> ir.Table:
    """Add `commune_known` and `previous_known`: is each code one of the province's communes?

    A join with the small list, not `isin`: inside a projection an IN list of a hundred codes is
    evaluated as a chain of comparisons on every row, dozens of times slower on millions of persons."""
    if settings.communes is None:
        return persons.mutate(commune_known=ibis.literal(True), previous_known=ibis.literal(True))
    codes = sorted(settings.communes)
    known = ibis.memtable({"known_code": codes})
    known_before = ibis.memtable({"known_before": codes})
    joined = persons.left_join(known, persons.commune_code == known.known_code).left_join(
        known_before, persons.previous_commune_code == known_before.known_before
    )
    return joined.mutate(
        commune_known=joined.known_code.notnull(),
        previous_known=joined.previous_commune_code.isnull() | joined.known_before.notnull(),
    )


def _registry_flags(persons: ir.Table, settings: CoverageSettings) -> ir.IntegerValue:
    unknown = persons.commune_code.isnull() | (persons.commune_code == "") | ~persons.commune_known | ~persons.previous_known
    return (
        ibis.ifelse(_valid_id(persons.person_id), 0, _MISSING_ID)
        + ibis.ifelse(unknown, _UNKNOWN_COMMUNE, 0)
        + ibis.ifelse(persons.birth_date.isnull(), _MISSING_BIRTH, 0)
        + ibis.ifelse(persons.employment_kind.notnull() & ~persons.employment_kind.isin(EMPLOYMENT_KINDS), _UNKNOWN_KIND, 0)
    )


def card_problem(cards: ir.Table) -> ir.StringValue:
    """The rule a card breaks by itself, or NULL."""
    return ibis.cases(
        (cards.valid_from.isnull() | cards.valid_to.isnull() | (cards.valid_to < cards.valid_from), "card.inverted"),
        (~cards.bhyt_group.cast("int64").isin(BHYT_GROUPS).fill_null(False), "card.unknown_group"),
        else_=ibis.null("string"),
    )


def span_problem(spans: ir.Table) -> ir.StringValue:
    """The rule a span breaks by itself, or NULL."""
    first, last = spans.first_month, spans.last_month
    inverted = first.isnull() | (last.notnull() & ((last.year() * 12 + last.month()) < (first.year() * 12 + first.month())))
    return ibis.cases(
        (inverted, "span.inverted"),
        (~spans.scheme.isin(SCHEMES).fill_null(False), "span.unknown_scheme"),
        else_=ibis.null("string"),
    )


def period_end(settings: CoverageSettings) -> date:
    return _add_months(settings.first_month, settings.months) - timedelta(days=1)


def cards_read(cards: ir.Table, settings: CoverageSettings) -> ir.Table:
    """Cards that touch the period (in whichever order their dates are), or lack a date: the others lie
    wholly before or after it and are neither counted nor checked. Most of a long history drops here."""
    low = ibis.least(cards.valid_from, cards.valid_to)
    high = ibis.greatest(cards.valid_from, cards.valid_to)
    return cards.filter(
        cards.valid_from.isnull() | cards.valid_to.isnull() | ((high >= settings.first_month) & (low <= period_end(settings)))
    )


def spans_read(spans: ir.Table, settings: CoverageSettings) -> ir.Table:
    """Spans that touch the period (an open span reaches forever), or lack a first month.

    Months are compared as numbers (`month_index`), never as truncated dates against a constant: DuckDB
    1.4 rewrote `date_trunc('month', x) <= DATE …` into a wrong filter (duckdb/duckdb#19635)."""
    first = month_index(spans.first_month, settings)
    last = month_index(spans.last_month, settings)
    high = ibis.ifelse(last.isnull(), settings.months, ibis.greatest(first, last))
    low = ibis.ifelse(last.isnull(), first, ibis.least(first, last))
    return spans.filter(first.isnull() | ((high >= 0) & (low <= settings.months - 1)))


def card_rows(cards: ir.Table, settings: CoverageSettings) -> ir.Table:
    """Good cards as fold input: the months each is valid, in its group's lane."""
    cards = cards_read(cards, settings)
    good = cards.filter(card_problem(cards).isnull())
    mask = range_mask(month_index(good.valid_from, settings), month_index(good.valid_to, settings), settings)
    group = good.bhyt_group.cast("int64")
    first_word = group <= CARD_WORD_GROUPS
    return _fold_input(
        good,
        cardbits=ibis.ifelse(first_word, mask << (LANE * (group - 1)), 0),
        cardbits2=ibis.ifelse(first_word, ibis.null("int64"), mask << (LANE * (group - 1 - CARD_WORD_GROUPS))),
    )


def span_rows(spans: ir.Table, settings: CoverageSettings) -> ir.Table:
    """Good spans as fold input: months paid, in the scheme's lane (and the BHTN lane)."""
    spans = spans_read(spans, settings)
    good = spans.filter(span_problem(spans).isnull())
    high = ibis.ifelse(good.last_month.isnull(), settings.months - 1, month_index(good.last_month, settings))
    mask = range_mask(month_index(good.first_month, settings), high, settings)
    compulsory = good.scheme == "compulsory"
    bits = ibis.ifelse(compulsory, in_lane(mask, COMPULSORY), in_lane(mask, VOLUNTARY)) | ibis.ifelse(
        compulsory & good.bhtn.fill_null(False), in_lane(mask, BHTN), 0
    )
    return _fold_input(good, spanbits=bits)


#: The five numbers a fold input row may carry: a registry row its residence and place, a card its
#: cardbits (and for group 6 its cardbits2), a span its spanbits; the others are NULL, so counting
#: non-NULL values counts the rows of each kind (a cheap COUNT rather than a wide SUM) and the bitwise
#: ORs skip them.
FOLD_INPUT = ("residence", "place", "cardbits", "cardbits2", "spanbits")


def _fold_input(table: ir.Table, **values) -> ir.Table:
    """One fold input row per table row: the given values, NULL for the rest."""
    columns = {name: values[name].cast("int64") if name in values else ibis.null("int64") for name in FOLD_INPUT}
    return table.select("person_id", **columns)


def slice_digits(settings: CoverageSettings, index: int) -> list[str]:
    """The last digits of the IDs in slice `index` (the last slice also takes every malformed ID)."""
    return [str(d) for d in range(10) if d * settings.slices // 10 == index]


def in_slice(table: ir.Table, settings: CoverageSettings, index: int) -> ir.Table:
    """Rows whose person falls in slice `index`, by the ID's last digit (cheaper than a hash, and the
    serial part of an ID number spreads evenly): the same person lands in the same slice in every table."""
    if settings.slices == 1:
        return table
    last = table.person_id.right(1)
    if index < settings.slices - 1:
        return table.filter(last.isin(slice_digits(settings, index)))
    earlier = [d for i in range(settings.slices - 1) for d in slice_digits(settings, i)]
    return table.filter(last.isnull() | ~last.isin(earlier))


def fold(inputs: Inputs, settings: CoverageSettings, index: int = 0) -> ir.Table:
    """One row per person ID: its registry rows, cards and spans OR-ed together, and what it became.

    One grouping over every row of the three tables: the biggest cost of a run, which is why the fold
    input is packed into five numbers and the aggregates are counts, ORs and a max."""
    rows = ibis.union(
        registry_rows(in_slice(inputs.persons, settings, index), settings),
        card_rows(in_slice(cards_read(inputs.cards, settings), settings, index), settings),
        span_rows(in_slice(spans_read(inputs.spans, settings), settings, index), settings),
    )
    folded = rows.group_by("person_id").aggregate(
        copies=rows.place.count(),
        cards=rows.cardbits.count(),
        spans=rows.spanbits.count(),
        residence=rows.residence.bit_or(),
        place=rows.place.max(),  # a valid person has one registry row, so max is that row's
        cardbits=rows.cardbits.bit_or().fill_null(0),
        cardbits2=rows.cardbits2.bit_or().fill_null(0),
        spanbits=rows.spanbits.bit_or().fill_null(0),
    )
    copies = folded.copies
    flags = folded.place >> FLAGS_SHIFT
    outcome = ibis.cases(
        (copies == 0, ORPHAN),
        ((flags & _MISSING_ID) != 0, _OUTCOME["person.missing_id"]),
        (copies > 1, _OUTCOME["person.duplicate"]),
        ((flags & _UNKNOWN_COMMUNE) != 0, _OUTCOME["person.unknown_commune"]),
        ((flags & _MISSING_BIRTH) != 0, _OUTCOME["person.missing_birth_date"]),
        ((flags & _UNKNOWN_KIND) != 0, _OUTCOME["person.unknown_employment_kind"]),
        else_=VALID,
    ).cast("int8")
    return folded.select(
        "person_id", "residence", "cardbits", "cardbits2", "spanbits",
        outcome=outcome,
        copies=copies,
        cards=folded.cards,
        spans=folded.spans,
        commune=(folded.place >> PLACE_SHIFT) & ((1 << COMMUNE_BITS) - 1),
        previous=(folded.place & ((1 << PLACE_SHIFT) - 1)).nullif(0),
    )


# --- step 2: count per commune and month --------------------------------------------------------------


def patterns(folded: ir.Table) -> ir.Table:
    """Persons with the same outcome, communes and packed months collapse into one row with how many
    they are. Most people share a few patterns (insured all year on one card, …), so millions of persons
    become a few thousand rows per commune before any month is counted."""
    bad = folded.outcome != VALID
    return folded.group_by("outcome", "commune", "previous", "residence", "cardbits", "cardbits2", "spanbits").aggregate(
        persons=folded.count().cast("int64"),
        rows=folded.copies.sum().cast("int64"),
        cards=folded.cards.sum().cast("int64"),
        spans=folded.spans.sum().cast("int64"),
        example_low=folded.person_id.min(where=bad),
        example_high=folded.person_id.max(where=bad),
    )


def where_lived(shared: ir.Table) -> ir.Table:
    """Each pattern where its persons lived: their commune now, and for those who moved also the commune
    before, each with its own months. Other outcomes pass through unchanged (one row each)."""
    both = shared.mutate(side=ibis.literal([HERE, BEFORE], type="array<int8>").unnest())
    both = both.filter((both.side == HERE) | ((both.outcome == VALID) & both.previous.notnull()))
    here = both.side == HERE
    return both.mutate(
        commune=ibis.ifelse(here, both.commune, both.previous),
        lived=ibis.ifelse(here, lane(both.residence, HERE), lane(both.residence, BEFORE)),
        rows=ibis.ifelse(here, both.rows, 0),  # a mover's rows, cards and spans are reported once
        cards=ibis.ifelse(here, both.cards, 0),
        spans=ibis.ifelse(here, both.spans, 0),
    )


def measure_masks(placed: ir.Table) -> dict[str, ir.IntegerValue]:
    """For each output measure, the months a row counts toward it where it lived."""
    lived, residence, spans = placed.lived, placed.residence, placed.spanbits
    groups = {g: _card_lane(placed, g) for g in BHYT_GROUPS}
    any_card = ibis.literal(0, type="int64")
    for months in groups.values():
        any_card = any_card | months
    return {
        "population": lived,
        "labour_force": lived & lane(residence, LABOUR),
        "bhxh.compulsory.required": lived & lane(residence, REQUIRED),
        "bhtn.required": lived & lane(residence, BHTN_REQUIRED),
        "bhyt.participants": lived & any_card,
        **{f"bhyt.participants.group.{g}": lived & months for g, months in groups.items()},
        "bhxh.compulsory.participants": lived & lane(spans, COMPULSORY),
        "bhxh.voluntary.participants": lived & lane(spans, VOLUNTARY),
        "bhtn.participants": lived & lane(spans, BHTN),
    }


def _card_lane(placed: ir.Table, group: int) -> ir.IntegerValue:
    word = placed.cardbits if group <= CARD_WORD_GROUPS else placed.cardbits2
    return lane(word, (group - 1) % CARD_WORD_GROUPS)


def commune_sums(shared: ir.Table, settings: CoverageSettings) -> ir.Table:
    """One row per (outcome, commune): for valid persons the count of each measure in each month
    (`v_<measure>_<month>`), and for every outcome how many registry rows, cards and spans it holds,
    with two example IDs."""
    placed = where_lived(shared)
    sums = {
        value_column(k, i): (((mask >> i) & 1) * placed.persons).sum().cast("int64")
        for k, mask in enumerate(measure_masks(placed).values())
        for i in range(settings.months)
    }
    return placed.group_by("outcome", "commune").aggregate(
        rows=placed.rows.sum().cast("int64"),
        cards=placed.cards.sum().cast("int64"),
        spans=placed.spans.sum().cast("int64"),
        example_low=placed.example_low.min(),
        example_high=placed.example_high.max(),
        **sums,
    )


def value_column(measure_index: int, month_index: int) -> str:
    return f"v_{measure_index}_{month_index}"


# --- rows kept out ------------------------------------------------------------------------------------


def card_problems(cards: ir.Table, settings: CoverageSettings) -> ir.Table:
    """Cards read for the period that break a rule by themselves: `rule, person_id`."""
    cards = cards_read(cards, settings)
    checked = cards.select("person_id", rule=card_problem(cards))
    return checked.filter(checked.rule.notnull())


def span_problems(spans: ir.Table, settings: CoverageSettings) -> ir.Table:
    spans = spans_read(spans, settings)
    checked = spans.select("person_id", rule=span_problem(spans))
    return checked.filter(checked.rule.notnull())


def problem_counts(problems: ir.Table) -> ir.Table:
    """`rule, rows, example_low, example_high` from a table of `rule, person_id`."""
    return problems.group_by("rule").aggregate(
        rows=problems.count().cast("int64"), example_low=problems.person_id.min(), example_high=problems.person_id.max()
    )


# --- the pipeline -------------------------------------------------------------------------------------


def steps(inputs: Inputs, settings: CoverageSettings, index: int) -> Sequence[Step]:
    """The named steps of one slice (run by `ansinh.engine.steps`); each builds on the previous step's table."""
    return (
        Step("fold", lambda done: fold(inputs, settings, index), "Gộp thẻ, quá trình đóng và nơi ở theo người"),
        Step("patterns", lambda done: patterns(done["fold"]), "Gộp những người giống nhau"),
        Step("commune_sums", lambda done: commune_sums(done["patterns"], settings), "Đếm theo xã và tháng"),
    )


# --- lists for action (one commune, one day) -----------------------------------------------------------

LAPSED_LOOKBACK_MONTHS = 24


def residents(persons: ir.Table, commune_code: str, village: str | None = None) -> ir.Table:
    """People living in the commune now (their current `commune_code`), with a well-formed ID."""
    found = persons.filter(persons.commune_code == commune_code, _valid_id(persons.person_id))
    if village:
        found = found.filter(found.village == village)
    return found


def _cards_of(cards: ir.Table, people: ir.Table) -> ir.Table:
    good = cards.filter(card_problem(cards).isnull())
    return good.semi_join(people, "person_id")


def uninsured_members(persons: ir.Table, cards: ir.Table, *, commune_code: str, day: date, village: str | None = None) -> ir.Table:
    """Residents of the commune who hold no card valid on `day`, with their household."""
    people = residents(persons, commune_code, village)
    own = _cards_of(cards, people)
    covered = own.filter(own.valid_from <= day, own.valid_to >= day).select("person_id")
    return people.anti_join(covered, "person_id")


def uninsured_households(persons: ir.Table, cards: ir.Table, *, commune_code: str, day: date, village: str | None = None) -> ir.Table:
    """Households with at least one uninsured member: `household_id, village, members, uninsured`,
    ordered by village and household (the order a commune officer walks them)."""
    people = residents(persons, commune_code, village)
    missing = uninsured_members(persons, cards, commune_code=commune_code, day=day, village=village)
    wanted = missing.group_by("household_id").aggregate(uninsured=missing.count().cast("int64"))
    sizes = people.semi_join(wanted, "household_id").group_by("household_id").aggregate(
        village=ibis._.village.max(), members=ibis._.count().cast("int64")
    )
    return sizes.join(wanted, "household_id").order_by("village", "household_id")


def expiring_cards(persons: ir.Table, cards: ir.Table, *, commune_code: str, day: date, until: date, village: str | None = None) -> ir.Table:
    """Residents whose card ends between `day` and `until` with no other card valid the day after it ends:
    `person_id, bhyt_group, valid_to` (their latest such card), ordered by end date."""
    people = residents(persons, commune_code, village)
    own = _cards_of(cards, people)
    ending = own.filter(own.valid_to >= day, own.valid_to <= until)
    later = own.view()
    renewed = ending.semi_join(
        later, [ending.person_id == later.person_id, later.valid_from <= ending.valid_to + ibis.interval(days=1), later.valid_to > ending.valid_to]
    )
    lapsing = ending.anti_join(renewed, ["person_id", "valid_to", "bhyt_group", "valid_from"])
    latest = lapsing.group_by("person_id").aggregate(valid_to=lapsing.valid_to.max())
    chosen = lapsing.join(latest, ["person_id", "valid_to"]).group_by("person_id", "valid_to").aggregate(
        bhyt_group=ibis._.bhyt_group.min()
    )
    return chosen.join(people, "person_id").order_by("valid_to", "village", "household_id", "person_id")


def lapsed_voluntary(persons: ir.Table, spans: ir.Table, *, commune_code: str, day: date, village: str | None = None) -> ir.Table:
    """Residents whose voluntary BHXH stopped before `day`'s month (within the last 24 months) and who
    pay nothing that month: `person_id, last_month` with the person's columns, latest stop first."""
    people = residents(persons, commune_code, village)
    good = spans.filter(span_problem(spans).isnull()).semi_join(people, "person_id")
    month = day.replace(day=1)
    covering = good.filter(good.first_month <= _month_end(day), good.last_month.isnull() | (good.last_month >= month))
    voluntary = good.filter(good.scheme == "voluntary", good.last_month.notnull())
    stopped = voluntary.anti_join(covering, "person_id")
    since = _add_months(month, -LAPSED_LOOKBACK_MONTHS)
    last = stopped.group_by("person_id").aggregate(last_month=stopped.last_month.max())
    last = last.filter(last.last_month >= since, last.last_month < month)
    return last.join(people, "person_id").order_by(ibis.desc("last_month"), "village", "household_id", "person_id")


def _month_end(day: date) -> date:
    return _add_months(day.replace(day=1), 1) - timedelta(days=1)


def villages(persons: ir.Table, commune_code: str) -> ir.Table:
    found = persons.filter(persons.commune_code == commune_code)
    return found.select("village").distinct().order_by("village")
