"""The synthetic extract: files as docs/data.md says, people who look real, totals where the plan says.

Every assertion reads the files back, as the coverage engine will. The data sets are small (tens of
thousands of persons) and drawn once per module, so the whole file runs in a few seconds.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ansinh.demo.synthetic.calibration import Calibration
from ansinh.demo.synthetic.communes import CommuneSpec
from ansinh.demo.synthetic.persons import Manifest, generate
from ansinh.coverage.reference import RULES, coverage_quality_pandas
from ansinh.coverage.required import EMPLOYMENT_KINDS

AS_OF = date(2025, 10, 31)
TARGET_RATE = 3_095_954 / 3_221_261  # 96.11%
COMMUNES = [
    CommuneSpec(code=f"{31117 + 3 * i:05d}", name=("Phường " if i % 3 == 0 else "Xã ") + f"Thử {i}", urban=i % 3 == 0)
    for i in range(16)
]


def _read(directory: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pq.read_table(directory / f"{name}.parquet").to_pandas()
        for name in ("persons", "bhyt_cards", "bhxh_spans")
    }


@pytest.fixture(scope="module")
def extract(tmp_path_factory) -> tuple[Manifest, dict[str, pd.DataFrame], Path]:
    """40,000 persons without bad rows: large enough for the calibration to show through the noise."""
    out = tmp_path_factory.mktemp("province")
    manifest = generate(out_dir=out, persons=40_000, communes=COMMUNES, seed=7, as_of=AS_OF, defects=False)
    return manifest, _read(out), out


@pytest.fixture(scope="module")
def flawed(tmp_path_factory) -> tuple[dict[str, pd.DataFrame], Path]:
    out = tmp_path_factory.mktemp("defects")
    generate(out_dir=out, persons=5_000, communes=COMMUNES, seed=11, as_of=AS_OF, defects=True)
    return _read(out), out


def _valid_on(cards: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Cards valid on at least one day of [first, last], as the engine counts them."""
    return cards[(cards.valid_from <= last) & (cards.valid_to >= first)]


def _day_before_6th_birthday(birth: date) -> date:
    if (birth.month, birth.day) == (2, 29):
        return date(birth.year + 6, 2, 28)  # no 29 February six years on: the card ends on the 28th
    return birth.replace(year=birth.year + 6) - timedelta(days=1)


def _ages(persons: pd.DataFrame) -> pd.Series:
    return (pd.Timestamp(AS_OF) - pd.to_datetime(persons.birth_date)).dt.days / 365.2425


# --------------------------------------------------------------------------------------------------------
# Files and types
# --------------------------------------------------------------------------------------------------------


def test_files_have_exactly_the_documented_schema(extract):
    _, _, out = extract
    expected = {
        "persons": [
            ("person_id", pa.string()), ("full_name", pa.string()), ("gender", pa.string()),
            ("birth_date", pa.date32()), ("commune_code", pa.string()), ("village", pa.string()),
            ("household_id", pa.string()), ("labour_status", pa.string()), ("moved_in", pa.date32()),
            ("previous_commune_code", pa.string()), ("employment_kind", pa.string()), ("contract_months", pa.int16()),
            ("pensioner", pa.bool_()),
        ],
        "bhyt_cards": [
            ("person_id", pa.string()), ("bhyt_group", pa.int8()), ("valid_from", pa.date32()),
            ("valid_to", pa.date32()),
        ],
        "bhxh_spans": [
            ("person_id", pa.string()), ("scheme", pa.string()), ("employer_code", pa.string()),
            ("bhtn", pa.bool_()), ("first_month", pa.date32()), ("last_month", pa.date32()),
        ],
    }
    for name, columns in expected.items():
        schema = pq.read_schema(out / f"{name}.parquet")
        assert [(f.name, f.type) for f in schema] == columns, name


def test_manifest_says_what_was_written_and_nothing_is_left_behind(extract):
    manifest, tables, out = extract
    on_disk = Manifest.from_json((out / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest
    assert (on_disk.province_code, on_disk.persons, on_disk.seed, on_disk.as_of) == ("092", 40_000, 7, AS_OF)
    assert on_disk.files == {
        "persons.parquet": len(tables["persons"]),
        "bhyt_cards.parquet": len(tables["bhyt_cards"]),
        "bhxh_spans.parquet": len(tables["bhxh_spans"]),
    }
    assert json.loads(manifest.to_json())["as_of"] == "2025-10-31"
    assert sorted(p.name for p in out.iterdir()) == [
        "bhxh_spans.parquet", "bhyt_cards.parquet", "manifest.json", "persons.parquet"
    ]


def test_values_are_in_their_documented_domains(extract):
    _, tables, _ = extract
    persons, cards, spans = tables["persons"], tables["bhyt_cards"], tables["bhxh_spans"]
    assert len(persons) == 40_000
    assert set(persons.gender) == {"M", "F"}
    assert set(persons.labour_status) == {"compulsory", "other_work", "unemployed", "outside"}
    assert set(persons.commune_code) == {c.code for c in COMMUNES}
    assert set(cards.bhyt_group) == {1, 2, 3, 4, 5, 6}
    assert set(persons.employment_kind) == set(EMPLOYMENT_KINDS)
    assert persons.employment_kind.eq("none").eq(persons.labour_status.ne("compulsory")).all()
    assert persons.contract_months.notna().eq(persons.employment_kind.eq("contract_fixed")).all()
    assert set(spans.scheme) == {"compulsory", "voluntary"}
    assert (cards.valid_to >= cards.valid_from).all()
    assert (spans.last_month.isna() | (spans.last_month >= spans.first_month)).all()
    assert spans.employer_code.isna().eq(spans.scheme == "voluntary").all()
    assert spans.employer_code.dropna().str.fullmatch(r"\d{10}").all()
    assert not spans[spans.scheme == "voluntary"].bhtn.any()
    assert set(cards.person_id) <= set(persons.person_id)
    assert set(spans.person_id) <= set(persons.person_id)


def test_same_seed_same_files_other_seed_other_files(tmp_path, flawed):
    first, again, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((first, 11), (again, 11), (other, 12)):
        generate(out_dir=out, persons=5_000, communes=COMMUNES, seed=seed, as_of=AS_OF)
    for name in ("persons", "bhyt_cards", "bhxh_spans"):
        assert pq.read_table(first / f"{name}.parquet").equals(pq.read_table(again / f"{name}.parquet"))
        assert not pq.read_table(first / f"{name}.parquet").equals(pq.read_table(other / f"{name}.parquet"))
    # The module's defect data set used the same arguments: the same files again.
    tables, _ = flawed
    assert tables["persons"].equals(pq.read_table(first / "persons.parquet").to_pandas())


def test_progress_is_reported_in_vietnamese_up_to_done(tmp_path):
    calls: list[tuple[str, float]] = []
    generate(out_dir=tmp_path, persons=2_000, communes=COMMUNES, progress=lambda step, done: calls.append((step, done)))
    fractions = [done for _, done in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any("BHYT" in step for step, _ in calls) and calls[-1][0] == "Hoàn tất"


# --------------------------------------------------------------------------------------------------------
# People who look real
# --------------------------------------------------------------------------------------------------------


def test_id_numbers_follow_the_national_rule_and_never_repeat(extract):
    _, tables, _ = extract
    persons = tables["persons"]
    ids = persons.person_id
    assert ids.str.fullmatch(r"092\d{9}").all()
    assert ids.is_unique
    year = pd.to_datetime(persons.birth_date).dt.year
    digit = ids.str[3].astype(int)
    expected = (year >= 2000) * 2 + (persons.gender == "F")
    assert (digit == expected).all()
    assert (ids.str[4:6].astype(int) == year % 100).all()
    # Scattered, not handed out in order: neighbours in the file are far apart.
    serial = ids.str[6:].astype(int)
    assert serial.diff().abs().median() > 10_000


def test_names_are_vietnamese_with_the_real_surname_shares(extract):
    _, tables, _ = extract
    names = tables["persons"].full_name
    assert names.map(lambda n: unicodedata.normalize("NFC", n) == n).all()
    assert names.str.split().str.len().between(3, 5).all()
    surname = names.str.split().str[0]
    assert 0.35 <= (surname == "Nguyễn").mean() <= 0.41
    assert 0.09 <= (surname == "Trần").mean() <= 0.13
    assert (surname == "Huỳnh").mean() > 3 * (surname == "Hoàng").mean()  # the Mekong delta's spelling
    women = tables["persons"][tables["persons"].gender == "F"]
    old_women = women[pd.to_datetime(women.birth_date).dt.year < 1970]
    assert old_women.full_name.str.split().str[1].eq("Thị").mean() > 0.8
    assert not names.str.split().map(lambda words: words[-1] == words[-2]).any()


def test_households_are_of_realistic_size_and_live_in_one_hamlet(extract):
    _, tables, _ = extract
    persons = tables["persons"]
    sizes = persons.groupby("household_id").size()
    assert 3.2 <= sizes.mean() <= 3.8
    assert sizes.min() == 1 and sizes.max() >= 8
    assert (persons.groupby("household_id")[["commune_code", "village"]].nunique() == 1).all().all()
    assert (persons.household_id.str[:5] == persons.commune_code).all()
    # Children (under 15) nearly always live with an adult.
    adults = persons[_ages(persons) >= 18].household_id
    children = persons[_ages(persons) < 15]
    assert children.household_id.isin(adults).mean() > 0.9


def test_hamlets_are_named_as_in_the_mekong_delta(extract):
    _, tables, _ = extract
    persons = tables["persons"]
    per_commune = persons.groupby("commune_code").village.unique()
    for commune in COMMUNES:
        hamlets = per_commune[commune.code]
        assert 5 <= len(hamlets) <= 15
        prefix = "Khu vực " if commune.urban else "Ấp "
        assert all(h.startswith(prefix) for h in hamlets), (commune, hamlets)
        assert all(unicodedata.normalize("NFC", h) == h for h in hamlets)


def test_employers_have_valid_tax_codes_and_a_few_are_big(extract):
    _, tables, _ = extract
    spans = tables["bhxh_spans"]
    codes = spans.employer_code.dropna()

    def check_digit(code: str) -> str:  # the MST rule (python-stdnum's vn.mst)
        total = sum(w * int(d) for w, d in zip((31, 29, 23, 19, 17, 13, 7, 5, 3), code[:9], strict=True))
        return str(10 - total % 11)

    assert codes.map(lambda code: code[9] == check_digit(code)).all()
    assert codes.str[:2].isin(["18", "22", "63"]).all()  # Cần Thơ, Sóc Trăng, Hậu Giang tax departments
    workers = spans[spans.last_month.isna() & spans.employer_code.notna()].groupby("employer_code").size()
    assert workers.max() >= 10 * workers.median()


def test_population_pyramid_and_sex_ratio(extract):
    _, tables, _ = extract
    persons = tables["persons"]
    age = _ages(persons)
    assert 0.20 <= (age < 15).mean() <= 0.25
    assert 0.13 <= (age >= 60).mean() <= 0.17
    assert 0.015 <= (age >= 80).mean() <= 0.025
    men, women = persons.gender.eq("M"), persons.gender.eq("F")
    assert 0.95 <= men.sum() / women.sum() <= 1.01
    assert (men & (age >= 70)).sum() < 0.85 * (women & (age >= 70)).sum()  # women outlive men


def test_a_few_moved_in_from_another_commune_during_the_last_year(extract):
    _, tables, _ = extract
    persons = tables["persons"]
    moved = pd.to_datetime(persons.moved_in)
    recent = moved > pd.Timestamp(AS_OF) - pd.Timedelta(days=365)
    from_commune = recent & persons.previous_commune_code.notna()
    assert 0.01 <= from_commune.mean() <= 0.02
    assert (persons.previous_commune_code[from_commune] != persons.commune_code[from_commune]).all()
    assert persons.previous_commune_code.dropna().isin({c.code for c in COMMUNES}).all()
    assert (moved.dropna() <= pd.Timestamp(AS_OF)).all()
    assert (moved.dropna() >= pd.to_datetime(persons.birth_date[moved.notna()])).all()


# --------------------------------------------------------------------------------------------------------
# Calibration to the plan
# --------------------------------------------------------------------------------------------------------


def _working_age(persons: pd.DataFrame) -> pd.Series:
    """2025: men below 61 y 3 m, women below 56 y 8 m, from 15."""
    birth = pd.to_datetime(persons.birth_date)
    months = (AS_OF.year - birth.dt.year) * 12 + AS_OF.month - birth.dt.month - (AS_OF.day < birth.dt.day)
    limit = persons.gender.map({"M": 735, "F": 680})
    return (months >= 180) & (months < limit)


def test_bhyt_coverage_on_as_of_is_just_under_the_target_and_rose_since_january(extract):
    _, tables, _ = extract
    persons, cards = tables["persons"], tables["bhyt_cards"]
    insured = persons.person_id.isin(_valid_on(cards, AS_OF, AS_OF).person_id)
    assert 0.985 <= insured.mean() / TARGET_RATE <= 0.995
    born = persons[persons.birth_date <= date(2025, 1, 31)]
    january = born.person_id.isin(_valid_on(cards, date(2025, 1, 1), date(2025, 1, 31)).person_id).mean()
    assert 0.92 <= january <= 0.94
    assert insured.mean() - january >= 0.01


def test_communes_differ_and_about_one_in_eight_is_behind(extract):
    _, tables, _ = extract
    persons, cards = tables["persons"], tables["bhyt_cards"]
    insured = persons.person_id.isin(_valid_on(cards, AS_OF, AS_OF).person_id)
    by_commune = insured.groupby(persons.commune_code).mean()
    assert by_commune.max() - by_commune.min() >= 0.04
    assert 1 <= (by_commune < 0.925).sum() <= 4
    assert (by_commune > 0.93).mean() >= 0.7


def test_labour_force_and_compulsory_insurance_match_the_plan(extract):
    _, tables, _ = extract
    persons, spans = tables["persons"], tables["bhxh_spans"]
    plan = Calibration()
    in_force = _working_age(persons) & persons.labour_status.ne("outside")
    assert abs(in_force.mean() - plan.labour_force / plan.population) < 0.01
    required = persons[in_force & persons.labour_status.eq("compulsory")]
    assert abs(len(required) / len(persons) - plan.compulsory_required / plan.population) < 0.006
    unemployed = (in_force & persons.labour_status.eq("unemployed")).sum() / in_force.sum()
    assert 0.015 <= unemployed <= 0.035

    month = date(2025, 10, 1)
    running = spans[(spans.first_month <= month) & (spans.last_month.isna() | (spans.last_month >= month))]
    compulsory = running[running.scheme == "compulsory"]
    assert 0.965 <= compulsory.person_id.nunique() / len(required) <= 0.985
    assert set(compulsory.person_id) <= set(required.person_id)
    assert 0.92 <= compulsory[compulsory.bhtn].person_id.nunique() / compulsory.person_id.nunique() <= 0.95
    voluntary = running[running.scheme == "voluntary"].person_id.nunique()
    expected = len(persons) * plan.voluntary_participants / plan.population
    assert abs(voluntary / expected - 1) < 0.08


def test_voluntary_participants_who_stopped_paying_recently(extract):
    _, tables, _ = extract
    voluntary = tables["bhxh_spans"][lambda s: s.scheme == "voluntary"]
    stopped = voluntary[voluntary.last_month.notna()]
    assert 0.07 <= stopped.person_id.nunique() / voluntary.person_id.nunique() <= 0.11
    assert stopped.last_month.between(date(2024, 10, 1), date(2025, 9, 1)).all()


def test_cards_by_group_follow_who_is_entitled(extract):
    _, tables, _ = extract
    persons, cards, spans = tables["persons"], tables["bhyt_cards"], tables["bhxh_spans"]
    on = _valid_on(cards, AS_OF, AS_OF)
    age = _ages(persons).set_axis(persons.person_id)
    children = age[age < 5.9].index
    assert pd.Index(children).isin(on[on.bhyt_group == 3].person_id).mean() > 0.98
    # A child's card ends the day before the 6th birthday.
    birth = persons.set_index("person_id").birth_date
    child_cards = cards[(cards.bhyt_group == 3) & cards.person_id.isin(children)]
    assert (child_cards.valid_from == child_cards.person_id.map(birth)).all()
    assert (child_cards.valid_to == child_cards.person_id.map(birth).map(_day_before_6th_birthday)).all()
    paying = spans[(spans.scheme == "compulsory") & spans.last_month.isna()].person_id
    assert paying.isin(on[on.bhyt_group.isin([1, 6])].person_id).all()  # group 6: the employer alone pays
    shares = on.groupby("bhyt_group").person_id.nunique() / len(persons)
    assert shares[5] == shares.max()
    assert 0.08 <= shares[1] <= 0.11 and 0.02 <= shares[2] <= 0.06
    assert 0.0003 <= shares[6] <= 0.003  # 1% of the workers' cards of the year


def test_kinds_of_work_put_bhtn_below_compulsory_bhxh(extract):
    _, tables, _ = extract
    persons, spans = tables["persons"], tables["bhxh_spans"]
    workers = persons[_working_age(persons) & persons.labour_status.eq("compulsory")]
    kinds = workers.employment_kind.value_counts(normalize=True)
    assert 0.02 <= kinds["civil_servant"] <= 0.045 and 0.08 <= kinds["official"] <= 0.14
    assert 0.3 <= kinds["contract_fixed"] <= 0.45
    short = workers[workers.employment_kind.eq("contract_fixed") & (workers.contract_months < 3)]
    assert 0.005 <= len(short) / len(workers) <= 0.03
    assert 0.001 <= workers.pensioner.mean() <= 0.02  # working pensioners
    # Employers enrol in BHTN only whom the 2025 law lists: no civil servant, pensioner or short contract.
    month = date(2025, 10, 1)
    running = spans[(spans.scheme == "compulsory") & spans.bhtn & (spans.first_month <= month)
                    & (spans.last_month.isna() | (spans.last_month >= month))]
    enrolled = persons[persons.person_id.isin(running.person_id)]
    assert not enrolled.employment_kind.isin(["civil_servant", "armed_forces", "household_business", "domestic_worker"]).any()
    assert not enrolled.pensioner.any()
    assert not (enrolled.employment_kind.eq("contract_fixed") & (enrolled.contract_months < 3)).any()


def test_nothing_starts_after_the_extract(extract):
    _, tables, _ = extract
    assert (tables["bhyt_cards"].valid_from <= AS_OF).all()
    assert (tables["bhxh_spans"].first_month <= date(2025, 10, 1)).all()
    assert (tables["bhyt_cards"].valid_to >= date(2024, 1, 1)).all()


def test_renewals_not_yet_in_the_extract_and_a_few_double_cards(extract):
    _, tables, _ = extract
    persons, cards = tables["persons"], tables["bhyt_cards"]
    household = _valid_on(cards[cards.bhyt_group == 5], AS_OF, AS_OF)
    expiring = household.valid_to <= AS_OF + timedelta(days=30)
    assert 0.05 <= expiring.mean() <= 0.12
    ordered = cards.sort_values(["person_id", "valid_from"])
    previous_end = ordered.groupby("person_id").valid_to.shift()
    overlapping = ordered[ordered.valid_from <= previous_end].person_id.nunique() / len(persons)
    assert 0.005 <= overlapping <= 0.02


# --------------------------------------------------------------------------------------------------------
# Bad rows
# --------------------------------------------------------------------------------------------------------


def test_defects_yield_every_kind_of_bad_row(flawed):
    tables, _ = flawed
    persons, cards, spans = tables["persons"], tables["bhyt_cards"], tables["bhxh_spans"]
    ids = persons.person_id
    assert (ids == "").any()
    assert ids.str.fullmatch(r"\d{11}").any()
    assert ids[ids != ""].duplicated().any()
    assert (persons.commune_code == "99999").any()
    assert persons.birth_date.isna().any()
    assert (cards.valid_to < cards.valid_from).any()
    assert (cards.bhyt_group == 9).any()
    assert (~cards.person_id.isin(ids)).any()
    assert (spans.last_month < spans.first_month).any()
    assert (spans.scheme == "other").any()
    # Few of them: about one of each kind per 50,000 persons, at least one.
    assert len(persons) - 5_000 <= 2 and (cards.bhyt_group == 9).sum() <= 2


def test_the_engine_keeps_out_exactly_the_bad_rows_made(extract, flawed):
    """The coverage engine's own rules (the pandas reference) find each kind, and nothing without defects."""
    codes = [c.code for c in COMMUNES]
    tables, _ = flawed
    found = coverage_quality_pandas(
        persons=tables["persons"], cards=tables["bhyt_cards"], spans=tables["bhxh_spans"], communes=codes
    )
    made = [rule for rule in RULES if rule != "span.unknown_person"]  # that one only follows from a bad person
    assert all(found[rule] >= 1 for rule in made), found
    _, tables, _ = extract
    clean = coverage_quality_pandas(
        persons=tables["persons"], cards=tables["bhyt_cards"], spans=tables["bhxh_spans"], communes=codes
    )
    assert not any(clean.values()), clean


def test_without_defects_every_row_can_be_counted(extract):
    _, tables, _ = extract
    persons, cards, spans = tables["persons"], tables["bhyt_cards"], tables["bhxh_spans"]
    assert persons.person_id.str.fullmatch(r"\d{12}").all() and persons.person_id.is_unique
    assert persons.birth_date.notna().all()
    assert cards.person_id.isin(persons.person_id).all() and cards.bhyt_group.between(1, 6).all()
    assert spans.scheme.isin(["compulsory", "voluntary"]).all()
