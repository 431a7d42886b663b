"""The coverage counts on tiny hand-built inputs whose answers are known by hand, computed by every
implementation: the pandas reference, the engine on DuckDB and (with --pyspark) the engine on PySpark.

Periods are in 2025 unless said otherwise, where working age is 15 y to below 61 y 3 m (735 months) for
men and below 56 y 8 m (680 months) for women.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ansinh.coverage.engine import CoverageSettings

from ansinh.coverage.reference import MEASURES_OUT, RULES, coverage_counts_pandas, load_inputs_pandas, working_age_limits
from tests.coverage.factories import CARD_COLUMNS, HOME, OTHER, JAN, FEB, MAR, card, frames, person, pid, rules_for, span  # noqa: F401


def series(result: pd.DataFrame, measure: str, commune: str = HOME) -> list[int]:
    """The values of one measure in one commune, month by month."""
    rows = result[(result["commune_code"] == commune) & (result["measure"] == measure)].sort_values("month")
    return rows["value"].tolist()


# ------------------------------------------------------------------------------------------- output


def test_output_has_every_commune_month_and_measure_with_zeros_sorted(counter):
    result = counter.compute(
        persons=[person(1), person(2, commune_code=OTHER, moved_in=date(2024, 6, 1), previous_commune_code=HOME)],
        months=2,
    )
    assert list(result.columns) == ["commune_code", "month", "measure", "value"]
    assert len(MEASURES_OUT) == 14 and len(set(MEASURES_OUT)) == 14
    assert len(result) == 2 * 2 * 14
    assert result["value"].dtype == "int64"
    assert all(type(m) is date for m in result["month"])
    assert all(isinstance(c, str) for c in result["commune_code"])
    assert set(result["measure"]) == set(MEASURES_OUT)
    assert set(result["month"]) == {JAN, FEB}
    assert result.index.tolist() == list(range(len(result)))
    ordered = result.sort_values(["commune_code", "month", "measure"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(result, ordered)
    # Zeros are rows too: no cards at all, yet every BHYT measure is there.
    assert series(result, "bhyt.participants") == [0, 0]
    # Person 2 left HOME before the period: HOME still has person 1 only.
    assert series(result, "population") == [1, 1]
    assert series(result, "population", OTHER) == [1, 1]


def test_first_month_may_be_any_day_of_the_month_and_periods_cross_years(counter):
    result = counter.compute(persons=[person(1)], first_month=date(2024, 12, 17), months=2)
    assert sorted(set(result["month"])) == [date(2024, 12, 1), JAN]


def test_no_valid_person_gives_an_empty_frame_with_the_columns(counter):
    result = counter.compute(persons=[person(1, person_id="123")])
    assert result.empty
    assert list(result.columns) == ["commune_code", "month", "measure", "value"]


# ---------------------------------------------------------------------------------------------- cards


def test_two_overlapping_cards_count_once(counter):
    result = counter.compute(
        persons=[person(1)],
        cards=[
            card(1, date(2024, 7, 1), date(2025, 6, 30), group=1),
            card(1, date(2025, 1, 15), date(2025, 12, 31), group=1),
            card(1, date(2025, 2, 1), date(2025, 2, 28), group=4),
        ],
    )
    assert series(result, "bhyt.participants") == [1, 1, 1]
    assert series(result, "bhyt.participants.group.1") == [1, 1, 1]
    assert series(result, "bhyt.participants.group.4") == [0, 1, 0]


def test_a_card_counts_when_valid_on_at_least_one_day_of_the_month(counter):
    result = counter.compute(
        persons=[person(1), person(2), person(3), person(4)],
        cards=[
            card(1, date(2024, 1, 1), date(2025, 1, 31)),  # ended the day before February
            card(2, date(2025, 2, 28), date(2025, 12, 31)),  # starts on the last day of February
            card(3, date(2025, 3, 1), date(2025, 3, 1)),  # a single day
            card(4, date(2024, 1, 1), date(2024, 12, 31)),  # ended the day before the period
        ],
    )
    assert series(result, "bhyt.participants") == [1, 1, 2]


def test_a_card_counts_where_the_holder_lives_that_month(counter):
    moved = person(1, commune_code=OTHER, moved_in=date(2025, 2, 20), previous_commune_code=HOME)
    result = counter.compute(persons=[moved], cards=[card(1, date(2024, 1, 1), date(2025, 12, 31), group=3)])
    assert series(result, "bhyt.participants.group.3", HOME) == [1, 0, 0]
    assert series(result, "bhyt.participants.group.3", OTHER) == [0, 1, 1]


def test_group_counts(counter):
    year = (date(2025, 1, 1), date(2025, 12, 31))
    result = counter.compute(
        persons=[person(n) for n in range(1, 7)],
        cards=[
            card(1, *year, group=1),
            card(2, *year, group=2),
            card(3, *year, group=3),
            card(4, *year, group=3),
            card(5, *year, group=5),
            card(5, date(2025, 3, 1), date(2025, 3, 31), group=4),  # also group 4 in March
            card(6, date(2025, 2, 1), date(2025, 12, 31), group=6),  # group 6 (Law 51/2024) from February
            card(1, date(2025, 1, 1), date(2025, 12, 31), group=6),  # person 1 also holds group 6: counted once
        ],
    )
    # Persons 1–5 all year, person 6 from February: 5, 6, 6.
    assert series(result, "bhyt.participants") == [5, 6, 6]
    assert series(result, "bhyt.participants.group.6") == [1, 2, 2]
    assert series(result, "bhyt.participants.group.1") == [1, 1, 1]
    assert series(result, "bhyt.participants.group.2") == [1, 1, 1]
    assert series(result, "bhyt.participants.group.3") == [2, 2, 2]
    assert series(result, "bhyt.participants.group.4") == [0, 0, 1]
    assert series(result, "bhyt.participants.group.5") == [1, 1, 1]


# ---------------------------------------------------------------------------------------------- spans


def test_a_span_counts_from_its_first_month_to_its_last_month_whatever_the_day(counter):
    result = counter.compute(
        persons=[person(1), person(2), person(3), person(4)],
        spans=[
            span(1, date(2025, 2, 15)),  # starts in the middle of February, still paying
            span(2, date(2024, 1, 1), date(2025, 2, 10)),  # last month February, given by its 10th
            span(3, date(2024, 1, 1), date(2024, 12, 1)),  # ended before the period
            span(4, date(2025, 3, 31), date(2025, 3, 1)),  # same month written two ways: not inverted
        ],
    )
    assert series(result, "bhxh.compulsory.participants") == [1, 2, 2]


def test_spans_of_one_person_count_once_and_by_scheme(counter):
    result = counter.compute(
        persons=[person(1), person(2)],
        spans=[
            span(1, date(2024, 1, 1), date(2025, 1, 1)),
            span(1, date(2025, 1, 1)),  # overlaps in January: still one person
            span(2, date(2024, 1, 1), scheme="voluntary"),
            span(2, date(2025, 3, 1), scheme="compulsory"),  # both schemes in March
        ],
    )
    assert series(result, "bhxh.compulsory.participants") == [1, 1, 2]
    assert series(result, "bhxh.voluntary.participants") == [1, 1, 1]


def test_bhtn_only_with_a_compulsory_span_with_bhtn(counter):
    result = counter.compute(
        persons=[person(1), person(2), person(3), person(4)],
        spans=[
            span(1, date(2024, 1, 1), bhtn=True),
            span(2, date(2024, 1, 1), bhtn=False),
            span(3, date(2024, 1, 1), scheme="voluntary", bhtn=True),
            span(4, date(2024, 1, 1), bhtn=False),
            span(4, date(2025, 2, 1), date(2025, 2, 1), bhtn=True),  # BHTN in February only
        ],
    )
    assert series(result, "bhtn.participants") == [1, 2, 1]
    assert series(result, "bhxh.compulsory.participants") == [3, 3, 3]
    assert series(result, "bhxh.voluntary.participants") == [1, 1, 1]


# ------------------------------------------------------------------------------------------ residence


def test_a_person_who_moved_counts_in_the_new_commune_from_the_month_of_moving(counter):
    moved = person(1, commune_code=OTHER, moved_in=date(2025, 2, 20), previous_commune_code=HOME)
    result = counter.compute(persons=[moved], spans=[span(1, date(2024, 1, 1), bhtn=True)])
    for measure in ("population", "labour_force", "bhxh.compulsory.required", "bhtn.participants"):
        assert series(result, measure, HOME) == [1, 0, 0], measure
        assert series(result, measure, OTHER) == [0, 1, 1], measure


def test_a_person_who_came_from_outside_the_province_counts_from_the_month_of_moving(counter):
    result = counter.compute(persons=[person(1, moved_in=date(2025, 3, 31)), person(2, previous_commune_code="")])
    assert series(result, "population") == [1, 1, 2]
    assert sorted(set(result["commune_code"])) == [HOME]


def test_a_person_born_in_the_period_counts_from_the_month_of_birth(counter):
    baby = person(1, birth_date=date(2025, 2, 14), labour_status="outside")
    result = counter.compute(persons=[baby], cards=[card(1, date(2025, 1, 1), date(2030, 12, 31), group=3)])
    assert series(result, "population") == [0, 1, 1]
    assert series(result, "bhyt.participants") == [0, 1, 1]
    assert series(result, "bhyt.participants.group.3") == [0, 1, 1]


# ---------------------------------------------------------------------------------------- working age


def test_working_age_limits_follow_the_roadmap():
    assert working_age_limits(2025) == {"M": 735, "F": 680}  # 61 y 3 m, 56 y 8 m
    assert working_age_limits(2028) == {"M": 744, "F": 692}
    assert working_age_limits(2035) == {"M": 744, "F": 720}
    assert working_age_limits(2040) == {"M": 744, "F": 720}
    assert working_age_limits(2020) == {"M": 720, "F": 660}


def test_working_age_edges(counter):
    result = counter.compute(
        persons=[
            person(1, birth_date=date(2010, 2, 28)),  # man turning 15 in February
            person(2, gender="F", birth_date=date(1968, 5, 1)),  # woman at 56 y 8 m in January
            person(3, gender="F", birth_date=date(1968, 6, 30)),  # 56 y 7 m in January, 56 y 8 m in February
            person(4, birth_date=date(1963, 11, 1)),  # man at 61 y 2 m in January, 61 y 3 m in February
        ],
    )
    assert series(result, "population") == [4, 4, 4]
    assert series(result, "labour_force") == [2, 1, 1]
    assert series(result, "bhxh.compulsory.required") == [2, 1, 1]


def test_working_age_uses_the_year_of_the_first_month(counter):
    # 61 y 0 m in December 2024 (limit 61 y in 2024) and 61 y 1 m in January 2025 (still 61 y from a 2024 start).
    man = person(1, birth_date=date(1963, 12, 5))
    assert series(counter.compute(persons=[man], first_month=date(2024, 12, 1), months=2), "labour_force") == [0, 0]
    assert series(counter.compute(persons=[man], first_month=JAN, months=1), "labour_force") == [1]


def test_labour_force_and_required_by_labour_status(counter):
    result = counter.compute(
        persons=[
            person(1, labour_status="compulsory"),
            person(2, labour_status="other_work"),
            person(3, labour_status="unemployed"),
            person(4, labour_status="outside"),
            person(5, labour_status="compulsory", birth_date=date(1950, 1, 1)),  # retired age
        ],
        months=1,
    )
    assert series(result, "population") == [5]
    assert series(result, "labour_force") == [3]
    assert series(result, "bhxh.compulsory.required") == [1]
    assert series(result, "bhtn.required") == [1]


def required_inputs():
    """Workers (labour status `compulsory`, of working age) of every kind the laws treat apart."""
    return [
        person(1, employment_kind="contract_indefinite"),
        person(2, employment_kind="contract_fixed", contract_months=2),  # BHTN from 2026 only (3 → 1 month)
        person(3, employment_kind="contract_fixed", contract_months=0),  # under a month: neither
        person(4, employment_kind="civil_servant"),  # BHXH, not BHTN
        person(5, employment_kind="official"),  # viên chức: both
        person(6, employment_kind="contract_indefinite", pensioner=True),  # working pensioner: neither
        person(7, employment_kind="domestic_worker"),  # neither
        person(8, employment_kind="household_business"),  # BHXH from 01/07/2025, never BHTN
        person(9),  # kind and length not known: both, as before the columns existed
        person(10, employment_kind="contract_fixed"),  # length not known: long enough
        person(11, employment_kind="contract_indefinite", labour_status="other_work"),  # not a compulsory job
        person(12, employment_kind="armed_forces"),  # BHXH, not BHTN
        person(13, employment_kind="none"),  # no job: neither
        person(14, employment_kind="", contract_months=12),  # an empty kind is not known: both
    ]


def test_required_follows_the_law_of_each_month(counter):
    result = counter.compute(persons=required_inputs(), first_month=date(2025, 6, 1), months=8)  # June 2025 – January 2026
    # BHXH: 1, 2, 4, 5, 9, 10, 12, 14 = 8; from July also the household business (8) = 9.
    assert series(result, "bhxh.compulsory.required") == [8, 9, 9, 9, 9, 9, 9, 9]
    # BHTN: 1, 5, 9, 10, 14 = 5 in 2025; from January 2026 also the 2-month contract (2) = 6.
    assert series(result, "bhtn.required") == [5, 5, 5, 5, 5, 5, 5, 6]
    assert series(result, "labour_force") == [14] * 8  # everyone is in the labour force


def test_required_rules_change_with_the_law():
    (june,), (january,) = rules_for(date(2025, 6, 1), 1), rules_for(date(2026, 1, 1), 1)
    assert (june.bhtn.min_contract_months, january.bhtn.min_contract_months) == (3, 1)
    assert "household_business" not in june.bhxh.kinds and "household_business" in rules_for(date(2025, 7, 1), 1)[0].bhxh.kinds
    assert "civil_servant" in june.bhxh.kinds and "civil_servant" not in june.bhtn.kinds
    assert not june.bhtn.pensioners and not june.bhxh.pensioners


def test_settings_need_the_rules_of_every_month(tmp_path):
    with pytest.raises(ValueError, match="1 months of rules for a period of 2"):
        CoverageSettings(data_dir=tmp_path, first_month=JAN, months=2, required=rules_for(JAN, 1))


# ------------------------------------------------------------------------------------------- bad rows

COMMUNES = {HOME, OTHER}


def bad_rows_inputs():
    """Two good persons (1, 2) with a card and a span each, and one bad row for every rule."""
    persons = [
        person(1),
        person(2, commune_code=OTHER),
        person(3, person_id="09209000003"),  # 11 digits
        person(4, person_id=None),
        person(5),  # duplicate: both rows out
        person(5, commune_code=OTHER),
        person(6, commune_code="99999"),
        person(7, previous_commune_code="99999", moved_in=date(2025, 2, 1)),
        person(8, birth_date=None),
        person(9, employment_kind="freelance"),  # not a kind of docs/data.md
    ]
    cards = [
        card(1, date(2025, 1, 1), date(2025, 12, 31), group=1),
        card(2, date(2025, 1, 1), date(2025, 12, 31), group=5),
        card(5, date(2025, 1, 1), date(2025, 12, 31)),  # holder is a duplicate: unknown person
        card(99, date(2025, 1, 1), date(2025, 12, 31)),  # nobody
        card(1, date(2025, 12, 31), date(2025, 1, 1)),  # inverted
        card(2, None, date(2025, 12, 31)),  # no start date
        card(1, date(2025, 1, 1), date(2025, 12, 31), group=7),  # the law has six groups
        card(2, date(2025, 1, 1), date(2025, 12, 31), group=None),
    ]
    spans = [
        span(1, date(2024, 1, 1), bhtn=True),
        span(2, date(2024, 1, 1), scheme="voluntary"),
        span(8, date(2024, 1, 1)),  # participant has no birth date: unknown person
        span(1, date(2025, 3, 1), date(2025, 2, 1), scheme="voluntary"),  # inverted
        span(2, None, date(2025, 2, 1)),  # no first month
        span(1, date(2024, 1, 1), scheme="optional"),
        span(2, date(2024, 1, 1), scheme=None),
    ]
    return frames(persons, cards, spans)


def test_each_bad_row_rule_keeps_its_rows_out(counter):
    p, c, s = bad_rows_inputs()
    assert counter.quality(persons=p, cards=c, spans=s, communes=COMMUNES) == {
        "person.missing_id": 2,
        "person.duplicate": 2,
        "person.unknown_commune": 2,
        "person.missing_birth_date": 1,
        "person.unknown_employment_kind": 1,
        "card.unknown_person": 2,
        "card.inverted": 2,
        "card.unknown_group": 2,
        "span.unknown_person": 1,
        "span.inverted": 2,
        "span.unknown_scheme": 2,
    }


def test_the_rest_is_still_counted(counter):
    p, c, s = bad_rows_inputs()
    result = counter.compute_frames(p, c, s, first_month=JAN, months=3, communes=COMMUNES)
    assert sorted(set(result["commune_code"])) == [HOME, OTHER]
    for commune, group in ((HOME, 1), (OTHER, 5)):
        assert series(result, "population", commune) == [1, 1, 1]
        assert series(result, "labour_force", commune) == [1, 1, 1]
        assert series(result, "bhyt.participants", commune) == [1, 1, 1]
        assert series(result, f"bhyt.participants.group.{group}", commune) == [1, 1, 1]
    assert series(result, "bhxh.compulsory.participants", HOME) == [1, 1, 1]
    assert series(result, "bhtn.participants", HOME) == [1, 1, 1]
    assert series(result, "bhxh.voluntary.participants", HOME) == [0, 0, 0]
    assert series(result, "bhxh.voluntary.participants", OTHER) == [1, 1, 1]
    assert series(result, "bhxh.compulsory.participants", OTHER) == [0, 0, 0]


def test_without_a_list_of_communes_any_commune_is_accepted(counter):
    p, c, s = bad_rows_inputs()
    quality = counter.quality(persons=p, cards=c, spans=s)
    assert quality["person.unknown_commune"] == 0
    result = counter.compute_frames(p, c, s, first_month=JAN, months=3)
    assert series(result, "population", "99999") == [2, 1, 1]  # person 6, and person 7 before moving
    assert series(result, "population", HOME) == [1, 2, 2]  # person 1, and person 7 from February
    assert series(result, "population", OTHER) == [1, 1, 1]


def test_an_empty_commune_code_is_an_unknown_commune_even_without_a_list(counter):
    p, c, s = frames([person(1, commune_code=""), person(2, commune_code=None), person(3)])
    assert counter.quality(persons=p, cards=c, spans=s)["person.unknown_commune"] == 2


def test_a_row_breaking_several_rules_is_kept_out_once_under_the_first_rule(counter):
    p, c, s = frames(
        persons=[person(1, person_id="x", birth_date=None), person(2), person(2, birth_date=None), person(3)],
        cards=[card(9, None, None, group=7), card(3, None, None, group=7)],
        spans=[span(9, None, scheme="x"), span(3, None, scheme="x")],
    )
    quality = counter.quality(persons=p, cards=c, spans=s, communes=COMMUNES)
    assert quality == {
        **dict.fromkeys(RULES, 0),
        "person.missing_id": 1,
        "person.duplicate": 2,
        "card.inverted": 2,  # a card's own faults come before its holder's
        "span.inverted": 2,
    }


def test_malformed_ids_are_missing_ids_not_duplicates(counter):
    p, c, s = frames([person(1, person_id=""), person(2, person_id=""), person(3, person_id="0920900000a1")])
    quality = counter.quality(persons=p, cards=c, spans=s)
    assert quality["person.missing_id"] == 3
    assert quality["person.duplicate"] == 0


# --------------------------------------------------------------------------------------------- inputs


def test_load_inputs_reads_the_three_parquet_files(tmp_path):
    p, c, s = frames([person(1)], [card(1, JAN, date(2025, 12, 31))], [span(1, JAN)])
    p.to_parquet(tmp_path / "persons.parquet")
    c.to_parquet(tmp_path / "bhyt_cards.parquet")
    s.to_parquet(tmp_path / "bhxh_spans.parquet")
    persons, cards, spans = load_inputs_pandas(tmp_path)
    assert (len(persons), len(cards), len(spans)) == (1, 1, 1)
    result = coverage_counts_pandas(persons=persons, cards=cards, spans=spans, first_month=JAN, months=1, required=rules_for(JAN, 1))
    assert series(result, "bhyt.participants") == [1]
    assert series(result, "bhxh.compulsory.participants") == [1]
