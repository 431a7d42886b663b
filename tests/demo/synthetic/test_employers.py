"""The synthetic employers: files as schema.py says, names and codes that look real, and a truth file that
says exactly what was planted, checked against the data itself.

One province of 6,000 units and 20,000 tax records is drawn once per module (about two seconds); every
assertion reads the files back, as the reconciliation and the arrears engine will.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from rapidfuzz import fuzz
from stdnum.vn import mst

from ansinh.demo.synthetic.employers import EmployerManifest, generate_employers
from ansinh.demo.synthetic.firm_names import normalise_name
from ansinh.demo.synthetic.firm_world import TRUTH_SCHEMA
from ansinh.demo.synthetic.source_files import SOURCE_FILES, write_source_files
from ansinh.employers.schema import CHANGE_KINDS, DATASETS, TAX_STATUSES, UNIT_STATUSES

UNITS, TAX = 6_000, 20_000
LAST_MONTH = date(2025, 10, 1)
AS_OF = pd.Timestamp(2025, 10, 31)
COMMUNES = [
    (f"{31117 + 3 * i:05d}", ("Phường " if i % 3 == 0 else "Xã ") + name)
    for i, name in enumerate(("Ninh Kiều", "Thới Lai", "Cờ Đỏ", "Cái Răng", "Phong Điền", "Vĩnh Thạnh", "Ô Môn",
                              "Thạnh An", "Trung Hưng", "Bình Thủy", "Thới Hưng", "Đông Hiệp"))
]
NAME_VARIANTS = {"same", "case", "legal_form", "no_diacritics", "punctuation"}


def _generate(out: Path, *, units=UNITS, tax=TAX, seed=7, months=36) -> EmployerManifest:
    return generate_employers(
        out_dir=out, communes=COMMUNES, province_name="Thành phố Cần Thơ", province_code="92", units=units,
        tax_records=tax, months=months, last_month=LAST_MONTH, seed=seed,
    )


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    out = tmp_path_factory.mktemp("employers")
    manifest = _generate(out)
    frames = {name: pq.read_table(out / file).to_pandas() for name, (file, _) in DATASETS.items()}
    frames["truth"] = pq.read_table(out / "truth.parquet").to_pandas()
    return manifest, frames, out


@pytest.fixture(scope="module")
def tax_truth(province):
    """Each tax record beside its truth row and the unit the truth names."""
    _, f, _ = province
    truth = f["truth"][f["truth"].source == "tax"].set_index("record").sort_index()
    tax = f["tax"].reset_index(drop=True)
    assert (truth.index == tax.index).all()
    joined = tax.join(truth[["unit_code", "finding", "variant", "name_variant", "worker_gap"]].rename(
        columns={"unit_code": "true_unit"}))
    units = f["units"].add_prefix("unit_")
    return joined.merge(units, left_on="true_unit", right_on="unit_unit_code", how="left")


# --------------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------------


def test_every_dataset_has_exactly_its_schema(province):
    _, _, out = province
    for name, (file, schema) in DATASETS.items():
        assert pq.read_schema(out / file).remove_metadata() == schema, name
    assert pq.read_schema(out / "truth.parquet").remove_metadata() == TRUTH_SCHEMA


def test_manifest_round_trips_and_counts_the_rows(province):
    manifest, f, out = province
    again = EmployerManifest.from_json((out / "manifest.json").read_text(encoding="utf-8"))
    assert again == manifest
    assert (manifest.units, manifest.tax_records, manifest.months, manifest.last_month) == (UNITS, TAX, 36, LAST_MONTH)
    assert manifest.as_of == date(2025, 10, 31)
    for name in DATASETS:
        assert manifest.rows[name] == len(f[name]), name
    assert len(f["units"]) == UNITS and len(f["tax"]) == TAX


def test_the_same_seed_gives_the_same_files_and_another_seed_others(tmp_path):
    first, second, third = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((first, 3), (second, 3), (third, 4)):
        _generate(out, units=400, tax=1_200, seed=seed, months=14)
    for file in [file for file, _ in DATASETS.values()] + ["truth.parquet"]:
        assert pq.read_table(first / file).equals(pq.read_table(second / file)), file
    assert not pq.read_table(first / "units.parquet").equals(pq.read_table(third / "units.parquet"))
    assert (first / "manifest.json").read_text() == (second / "manifest.json").read_text()


def test_arguments_are_checked(tmp_path):
    with pytest.raises(ValueError):
        _generate(tmp_path, units=1_000, tax=1_500)  # most tax records must have no unit
    with pytest.raises(ValueError):
        generate_employers(out_dir=tmp_path, communes=[], province_name="X", province_code="92", units=100,
                           tax_records=1_000)


# --------------------------------------------------------------------------------------------------------
# Codes and names
# --------------------------------------------------------------------------------------------------------


def test_tax_codes_are_valid_unique_and_carry_the_province_prefixes(province):
    _, f, _ = province
    tax = f["tax"]
    assert tax.tax_code.is_unique
    assert tax.tax_code.str.fullmatch(r"\d{10}(-\d{3})?").all()
    assert all(mst.is_valid(code) for code in tax.tax_code)
    prefixes = tax.tax_code.str[:2].value_counts(normalize=True)
    assert set(prefixes.index) == {"18", "22", "63"} and prefixes["18"] > 0.5
    branches = tax.tax_code.str.contains("-")
    parents = set(tax.tax_code[~branches])
    assert set(tax.tax_code[branches].str[:10]) <= parents  # every branch has its parent on the list
    assert 0.02 < tax.tax_code[branches].str[:10].nunique() / len(parents) < 0.04


def test_unit_tax_codes_are_valid_except_the_planted_typos(province, tax_truth):
    _, f, _ = province
    units = f["units"]
    wrong = set(tax_truth.loc[tax_truth.variant == "wrong_tax_code", "true_unit"])
    coded = units.dropna(subset=["tax_code"])
    valid = coded.tax_code.map(mst.is_valid)
    assert valid[~coded.unit_code.isin(wrong)].all()
    mistyped = coded[coded.unit_code.isin(wrong)]
    assert len(mistyped) == len(wrong) > 0
    assert (~valid[coded.unit_code.isin(wrong)]).mean() > 0.75  # the check digit usually gives them away
    assert not mistyped.tax_code.isin(f["tax"].tax_code).any()  # and never another enterprise's code
    assert coded.tax_code.is_unique


def test_unit_codes_are_unique_and_shaped_as_bhxh_writes_them(province):
    _, f, _ = province
    codes = f["units"].unit_code
    assert codes.is_unique
    assert codes.str.fullmatch(r"[A-Z]{2}\d{4}[A-Z]").all()
    assert codes.is_monotonic_increasing


def test_enterprise_names_are_unique_once_normalised(province):
    _, f, _ = province
    normalised = f["tax"].name.map(normalise_name)
    assert normalised.is_unique
    public = f["units"][f["units"].ownership.isin(["Đơn vị sự nghiệp công lập", "Tổ chức hành nghề",
                                                     "Tổ chức tín dụng", "Cơ sở tư thục"])]
    assert not public.name.map(normalise_name).isin(normalised).any()


def test_names_look_like_vietnamese_enterprise_names(province):
    _, f, _ = province
    tax = f["tax"]
    parents = tax[~tax.tax_code.str.contains("-")]
    pattern = r"^(Công ty TNHH MTV|Công ty TNHH|Công ty Cổ phần|Doanh nghiệp tư nhân|Hợp tác xã)"
    forms = parents.name.str.extract(pattern)[0]
    shares = forms.value_counts(normalize=True)
    assert forms.notna().all()
    assert 0.5 < shares["Công ty TNHH"] < 0.6 and 0.13 < shares["Công ty TNHH MTV"] < 0.19
    assert 0.17 < shares["Công ty Cổ phần"] < 0.23 and 0.04 < shares["Doanh nghiệp tư nhân"] < 0.08
    branches = tax[tax.tax_code.str.contains("-")]
    assert branches.name.str.match(r"^Chi nhánh (số \d+ )?(Công ty|Doanh nghiệp)").all()
    assert tax.address.str.fullmatch(r".+, (Phường|Xã) .+, Thành phố Cần Thơ").all()
    assert f["units"].name.str.len().between(12, 160).all()


def test_wards_and_the_first_communes_hold_more_enterprises(province):
    _, f, _ = province
    per_commune = f["tax"].commune_code.value_counts()
    wards = [code for code, name in COMMUNES if name.startswith("Phường")]
    assert per_commune[per_commune.index.isin(wards)].mean() > 1.5 * per_commune[~per_commune.index.isin(wards)].mean()
    assert set(per_commune.index) <= {code for code, _ in COMMUNES}


def test_sizes_have_a_long_tail(province):
    _, f, _ = province
    workers = f["units"].query("status == 'active'").workers
    assert 6 <= workers.median() <= 12
    assert workers.max() >= 300 and workers.min() >= 1
    assert (f["units"].query("status == 'closed'").workers == 0).all()


# --------------------------------------------------------------------------------------------------------
# What was planted
# --------------------------------------------------------------------------------------------------------


def test_planted_shares_are_the_documented_ones(province, tax_truth):
    manifest, f, _ = province
    truth = tax_truth.dropna(subset=["true_unit"])
    own = truth[truth.variant != "branch_parent"]
    share = own.variant.value_counts() / UNITS
    assert share["missing_tax_code"] == pytest.approx(0.03, abs=0.002)
    assert share["wrong_tax_code"] == pytest.approx(0.02, abs=0.002)
    assert share["typo"] + share["typo_abridged"] == pytest.approx(0.01, abs=0.002)
    assert share["moved"] == pytest.approx(0.005, abs=0.001)
    assert share[list(NAME_VARIANTS)].sum() == pytest.approx(0.895, abs=0.01)
    names = own[own.variant.isin(NAME_VARIANTS)].variant.value_counts(normalize=True)
    assert names["same"] == pytest.approx(0.30, abs=0.03) and names["case"] == pytest.approx(0.25, abs=0.03)
    findings = tax_truth.finding.value_counts()
    assert findings["under_declared"] / UNITS == pytest.approx(0.08, abs=0.005)
    assert findings["closed_active"] / UNITS == pytest.approx(0.015, abs=0.002)
    # Each unit stands for one tax record, besides branches whose workers are in their parent's unit.
    assert own.true_unit.is_unique
    keyed = ("missing_tax_code", "wrong_tax_code", "typo", "typo_abridged", "moved")
    assert len(own) == manifest.planted["units.code"] + sum(manifest.planted[f"units.{k}"] for k in keyed)
    assert manifest.planted["tax.under_declared"] == findings["under_declared"]
    public = f["units"][~f["units"].unit_code.isin(own.true_unit)]
    assert len(public) == manifest.planted["units.unit_only"] == pytest.approx(0.04 * UNITS, abs=2)


def test_most_tax_records_have_no_unit_and_many_active_employers_are_unregistered(tax_truth):
    no_unit = tax_truth.true_unit.isna()
    assert no_unit.mean() > 0.6
    employing = (tax_truth.status == "active") & (tax_truth.workers > 0)
    unregistered = (tax_truth.finding == "unregistered")
    assert 0.1 < unregistered.sum() / employing.sum() < 0.35


def test_each_unit_is_written_as_its_variant_says(tax_truth):
    linked = tax_truth.dropna(subset=["true_unit"])
    own = linked[linked.variant != "branch_parent"]
    same_name = own[own.variant.isin(NAME_VARIANTS | {"missing_tax_code", "wrong_tax_code", "moved"})]
    assert (same_name.name.map(normalise_name) == same_name.unit_name.map(normalise_name)).all()
    assert (own[own.variant == "same"].name == own[own.variant == "same"].unit_name).all()
    case = own[own.variant == "case"]
    assert (case.unit_name == case.name.str.upper()).all()
    assert (own[own.variant == "legal_form"].name != own[own.variant == "legal_form"].unit_name).all()
    assert own[own.variant == "no_diacritics"].unit_name.str.isascii().all()
    coded = own[own.variant.isin(NAME_VARIANTS)]
    assert (coded.tax_code == coded.unit_tax_code).all()
    assert own[own.variant.isin(["missing_tax_code", "typo", "typo_abridged", "moved"])].unit_tax_code.isna().all()
    wrong = own[own.variant == "wrong_tax_code"]
    differs = [sum(a != b for a, b in zip(x, y, strict=True)) for x, y in zip(wrong.tax_code, wrong.unit_tax_code,
                                                                               strict=True)]
    assert set(differs) == {1}
    moved = own[own.variant == "moved"]
    assert (moved.commune_code != moved.unit_commune_code).all()
    stayed = own[own.variant != "moved"]
    assert (stayed.commune_code == stayed.unit_commune_code).all()


def test_typos_need_a_fuzzy_match_and_some_stay_uncertain(tax_truth):
    own = tax_truth[tax_truth.variant.isin(["typo", "typo_abridged"])]
    folded_tax = own.name.map(normalise_name)
    folded_unit = own.unit_name.map(normalise_name)
    assert (folded_tax != folded_unit).all()
    score = [fuzz.token_sort_ratio(a, b) for a, b in zip(folded_tax, folded_unit, strict=True)]
    score = pd.Series(score, index=own.index)
    assert (score[own.variant == "typo"] >= 75).all() and score[own.variant == "typo"].median() >= 90
    assert (score[own.variant == "typo_abridged"] < 85).mean() > 0.8


def test_findings_agree_with_the_data(tax_truth):
    t = tax_truth
    under = t[t.finding == "under_declared"]
    assert (under.worker_gap == under.workers - under.unit_workers).all()
    assert (under.worker_gap >= 1).all() and (under.status == "active").all() and (under.unit_status == "active").all()
    assert t.worker_gap[t.finding != "under_declared"].isna().all()
    unregistered = t[t.finding == "unregistered"]
    assert (unregistered.status == "active").all() and (unregistered.workers > 0).all()
    assert unregistered.true_unit.isna().all()
    closed = t[t.finding == "closed_active"]
    assert closed.status.isin(["suspended", "dissolved", "bankrupt"]).all() and (closed.unit_status == "active").all()
    # And nothing beyond what the truth says: every record the rules would flag is flagged.
    linked = t.true_unit.notna() & (t.variant != "branch_parent")
    quiet = t[linked & t.finding.isna()]
    active_both = quiet[(quiet.status == "active") & (quiet.unit_status == "active")]
    assert (active_both.workers <= active_both.unit_workers).all()
    assert not (quiet.status.isin(["suspended", "dissolved", "bankrupt"]) & (quiet.unit_status == "active")).any()
    assert not ((t.true_unit.isna()) & (t.status == "active") & (t.workers > 0) & t.finding.isna()).any()
    branch = t[t.variant == "branch_parent"]
    assert branch.tax_code.str.contains("-").all()
    parent_unit = t.set_index("tax_code").true_unit
    assert (branch.true_unit.to_numpy() == parent_unit[branch.tax_code.str[:10]].to_numpy()).all()
    assert branch.finding.isna().all()


def test_zone_and_union_rows_are_in_the_truth_with_their_findings(province):
    _, f, _ = province
    units = f["units"].set_index("unit_code")
    for source, value in (("zones", "workers"), ("unions", "members")):
        table = f[source]
        truth = f["truth"][f["truth"].source == source].set_index("record").sort_index()
        assert len(truth) == len(table) > 0
        assert (truth.name.to_numpy() == table.name.to_numpy()).all()
        assert (truth.tax_code.fillna("").to_numpy() == table.tax_code.fillna("").to_numpy()).all()
        joined = table.join(truth[["unit_code", "finding", "worker_gap"]])
        declared = joined.unit_code.map(units.workers)
        expected = np.where(joined.unit_code.isna(), "unregistered",
                            np.where(joined[value] > declared, "under_declared", None))
        assert list(joined.finding.fillna("-")) == [e or "-" for e in expected]
        gap = joined[joined.finding == "under_declared"]
        assert (gap.worker_gap == gap[value] - declared[gap.index]).all()
    assert f["zones"].zone.str.startswith("Khu công nghiệp").all()
    active_employers = ((f["tax"].status == "active") & (f["tax"].workers > 0) & ~f["tax"].tax_code.str.contains("-"))
    assert len(f["zones"]) / active_employers.sum() == pytest.approx(0.02, abs=0.005)
    assert len(f["unions"]) / active_employers.sum() == pytest.approx(0.10, abs=0.01)
    assert (f["unions"].members >= 1).all()


def test_changes_agree_with_the_tax_statuses(province):
    _, f, _ = province
    changes, tax = f["changes"], f["tax"].set_index("tax_code")
    assert set(changes.change) == set(CHANGE_KINDS)
    assert changes.tax_code.isin(tax.index).all()
    days = pd.to_datetime(changes.changed_on)
    assert days.min() >= pd.Timestamp(2024, 11, 1) and days.max() <= AS_OF
    assert days.is_monotonic_increasing
    last = changes.assign(day=days).sort_values("day", kind="stable").drop_duplicates("tax_code", keep="last")
    status = {"registered": "active", "resumed": "active", "suspended": "suspended", "dissolved": "dissolved",
              "bankrupt": "bankrupt"}
    assert (last.change.map(status).to_numpy() == tax.loc[last.tax_code, "status"].to_numpy()).all()
    assert set(tax.status) == set(TAX_STATUSES) and set(f["units"].status) == set(UNIT_STATUSES)
    assert (changes.name.to_numpy() == tax.loc[changes.tax_code, "name"].to_numpy()).all()


# --------------------------------------------------------------------------------------------------------
# Ledger
# --------------------------------------------------------------------------------------------------------


def test_every_unit_owes_once_a_month_while_open(province):
    _, f, _ = province
    ledger, units = f["ledger"], f["units"].set_index("unit_code")
    dues = ledger[ledger.amount_due > 0]
    payments = ledger[ledger.amount_paid > 0]
    assert len(dues) + len(payments) == len(ledger)  # a row is a due or a payment, never both
    assert dues.paid_on.isna().all() and payments.paid_on.notna().all()
    assert not dues.duplicated(["unit_code", "period"]).any()
    months = pd.to_datetime(dues.period).dt.to_period("M")
    span = months.groupby(dues.unit_code).agg(["min", "max", "count"])
    assert ((span["max"] - span["min"]).map(lambda d: d.n) + 1 == span["count"]).all()  # no gaps
    status = units.loc[span.index, "status"]
    last = pd.Period("2025-10", "M")
    assert (span["max"][status == "active"] == last).all()
    assert (span["max"][status != "active"] < last).all()
    first = pd.Period("2022-11", "M")
    assert span["min"].min() == first
    active = units[units.status == "active"]
    assert active.index.isin(span.index).all()
    # Most active units were open the whole 36 months; the last month's due is workers × base × 32%.
    assert (span.loc[active.index, "count"] == 36).mean() > 0.6
    latest = dues[pd.to_datetime(dues.period) == pd.Timestamp(2025, 10, 1)].set_index("unit_code")
    base = latest.amount_due / (units.loc[latest.index, "workers"] * 0.32)
    assert 4_199_000 <= base.min() and 5_000_000 < base.median() < 6_500_000
    assert (pd.to_datetime(payments.paid_on) <= AS_OF).all()
    assert ledger.unit_code.is_monotonic_increasing


def _late_share(ledger: pd.DataFrame) -> float:
    """Unit-months whose deadline has passed and that were not fully paid by it, payments settling the
    oldest month first (whatever period they name)."""
    dues = ledger[ledger.amount_due > 0].sort_values(["unit_code", "period"]).drop(columns=["paid_on"])
    payments = ledger[ledger.amount_paid > 0].sort_values(["unit_code", "paid_on"])
    dues = dues.assign(cum=dues.groupby("unit_code").amount_due.cumsum().astype("float64"),
                       deadline=pd.to_datetime(dues.period) + pd.offsets.MonthEnd(2))
    payments = payments.assign(cum=payments.groupby("unit_code").amount_paid.cumsum().astype("float64"))
    settled = pd.merge_asof(dues.sort_values("cum"), payments[["unit_code", "cum", "paid_on"]].sort_values("cum"),
                            on="cum", by="unit_code", direction="forward")
    due = settled.deadline <= AS_OF
    late = due & (settled.paid_on.isna() | (pd.to_datetime(settled.paid_on) > settled.deadline))
    return late.sum() / due.sum()


def test_about_one_unit_month_in_forty_is_paid_late(province):
    manifest, f, _ = province
    assert _late_share(f["ledger"]) == pytest.approx(0.026, abs=0.004)
    assert manifest.planted["ledger.stoppers_never"] > 0 and manifest.planted["ledger.overpayers"] > 0


def test_most_payments_come_between_the_5th_and_the_deadline(province):
    _, f, _ = province
    payments = f["ledger"][f["ledger"].amount_paid > 0].dropna(subset=["period"])
    paid = pd.to_datetime(payments.paid_on)
    period = pd.to_datetime(payments.period)
    after_the_5th = paid >= period + pd.offsets.MonthBegin(1) + pd.Timedelta(days=4)
    on_time = after_the_5th & (paid <= period + pd.offsets.MonthEnd(2))
    assert on_time.mean() > 0.95


# --------------------------------------------------------------------------------------------------------
# The files the bodies hand in
# --------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def source_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    _generate(out, units=300, tax=900, months=14, seed=5)
    return out, write_source_files(out, out / "files")


def _sheet_rows(path: Path) -> list[tuple]:
    book = load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return rows


def test_source_files_read_back_with_their_headers_and_all_rows(source_files):
    out, paths = source_files
    assert set(paths) == set(SOURCE_FILES)
    sizes = {"dang_ky_thue.xlsx": "tax", "don_vi_bhxh.xlsx": "units", "kcn.xlsx": "zones", "cong_doan.xlsx": "unions",
             "thay_doi_dkkd.csv": "changes", "so_thu.csv": "ledger"}
    for file, (header_row, header) in SOURCE_FILES.items():
        dataset = pq.read_table(out / DATASETS[sizes[file]][0])
        if file.endswith(".xlsx"):
            rows = _sheet_rows(paths[file])
            assert tuple(rows[header_row - 1][:len(header)]) == header, file
            data = [r for r in rows[header_row:] if any(v is not None for v in r)]
        else:
            delimiter = ";" if file == "thay_doi_dkkd.csv" else ","
            lines = paths[file].read_text(encoding="utf-8-sig").splitlines()
            assert tuple(lines[0].split(delimiter)) == header, file
            data = lines[1:]
        assert len(data) == dataset.num_rows, file


def test_the_tax_list_looks_like_the_tax_office_s(source_files):
    out, paths = source_files
    rows = _sheet_rows(paths["dang_ky_thue.xlsx"])
    assert rows[0][0] == "CỤC THUẾ THÀNH PHỐ CẦN THƠ" and rows[1][0] == "DANH SÁCH NGƯỜI NỘP THUẾ ĐANG QUẢN LÝ"
    assert all(v is None for v in rows[3])
    statuses = {r[4] for r in rows[5:]}
    assert statuses <= {"Đang hoạt động", "Tạm ngừng kinh doanh", "Đã giải thể", "Phá sản"}
    assert all(isinstance(r[1], str) and re.fullmatch(r"\d{10}(-\d{3})?", r[1]) for r in rows[5:])
    book = load_workbook(paths["dang_ky_thue.xlsx"])
    assert "A1:F1" in {str(m) for m in book.worksheets[0].merged_cells.ranges}
    units = _sheet_rows(paths["don_vi_bhxh.xlsx"])
    assert {r[8] for r in units[1:]} <= {"Đang hoạt động", "Tạm dừng", "Đã đóng"}


def test_the_changes_and_the_ledger_csv_use_the_documented_formats(source_files):
    _, paths = source_files
    changes = paths["thay_doi_dkkd.csv"].read_text(encoding="utf-8-sig").splitlines()[1:]
    kinds = {"Thành lập mới", "Tạm ngừng kinh doanh", "Giải thể", "Phá sản", "Hoạt động trở lại"}
    for line in changes:
        code, _, kind, day = line.rsplit(";", 3) if line.count(";") > 3 else line.split(";")
        assert kind in kinds and re.fullmatch(r"\d{2}/\d{2}/\d{4}", day)
    ledger = pd.read_csv(paths["so_thu.csv"], dtype=str, keep_default_na=False)
    assert ledger.period[ledger.period != ""].str.fullmatch(r"\d{4}-\d{2}").all()
    paid = ledger[ledger.amount_paid != "0"]
    assert paid.paid_on.str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
    assert (ledger[ledger.amount_paid == "0"].paid_on == "").all()
    assert list(ledger.columns) == ["unit_code", "period", "amount_due", "amount_paid", "paid_on"]


def test_truth_schema_is_what_the_reconciliation_scores_against():
    assert {"source", "tax_code", "unit_code", "finding", "variant", "worker_gap"} <= set(TRUTH_SCHEMA.names)
    assert TRUTH_SCHEMA.field("worker_gap").type == pa.int32()
