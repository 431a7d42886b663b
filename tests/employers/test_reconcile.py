"""Reconciliation on hand-built lists: each way a record finds its unit, and each kind of finding.

Every test runs with the names folded on DuckDB and, marked `pyspark`, on PySpark (`uv run pytest
--pyspark`): the `engine` fixture of tests/conftest.py. Only the Ibis part changes engine; matching and
findings are pandas and rapidfuzz on both."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

from ansinh.employers import storage
from ansinh.employers.reconcile import ReconcileSettings, reconcile
from ansinh.employers.schema import DATASETS

NINH_KIEU, CAI_KHE = "31135", "31120"


def unit(code, tax_code, name, commune=NINH_KIEU, workers=10, status="active"):
    return {"unit_code": code, "tax_code": tax_code, "name": name, "address": "", "commune_code": commune,
            "sector": "", "ownership": "", "workers": workers, "status": status}


def tax(tax_code, name, commune=NINH_KIEU, workers=10, status="active"):
    return {"tax_code": tax_code, "name": name, "address": "", "commune_code": commune, "status": status, "workers": workers}


def write(directory, **rows):
    for name, records in rows.items():
        schema = DATASETS[name][1]
        storage.dataset_write(name, pa.Table.from_pylist(records, schema=schema), directory)
    return directory


def run(engine, tmp_path, **kwargs):
    settings = ReconcileSettings(data_dir=tmp_path, engine=engine, **kwargs)
    return reconcile(settings)


def finding(result, kind):
    return result.findings[result.findings["kind"] == kind].set_index("key")


def links(result):
    accepted = result.matches[result.matches["accepted"]]
    return {(t, u): m for t, u, m in zip(accepted["tax_code"], accepted["unit_code"], accepted["method"])}


def test_a_record_finds_its_unit_by_code_branch_name_and_fuzzy_name(engine, tmp_path):
    write(tmp_path, units=[
        unit("TA0001A", "1800000018", "Công ty TNHH Phú Hưng"),
        unit("TA0002A", None, "CÔNG TY CỔ PHẦN XÂY DỰNG MINH PHÁT"),
        unit("TA0003A", None, "Doanh nghiep tu nhan Hoang Long", commune=CAI_KHE),
        unit("TA0004A", None, "Công ty TNHH Thương mại Dịch vụ Tây Đô Xanh"),
    ], tax=[
        tax("1800000018", "CÔNG TY TNHH PHÚ HƯNG"),
        tax("1800000018-001", "Chi nhánh Công ty TNHH Phú Hưng tại Cái Khế", commune=CAI_KHE),
        tax("1800000025", "CTCP Xây dựng Minh Phát"),
        tax("1800000032", "DNTN Hoàng Long"),  # moved: Ninh Kiều on the tax list, Cái Khế at BHXH
        tax("1800000057", "Công ty TNHH MTV Thương mại Dịch vụ Tây Đô Xan"),  # one letter missing
    ])
    found = links(run(engine, tmp_path))
    assert found == {
        ("1800000018", "TA0001A"): "code",
        ("1800000018-001", "TA0001A"): "branch",
        ("1800000025", "TA0002A"): "name_commune",
        ("1800000032", "TA0003A"): "name_province",
        ("1800000057", "TA0004A"): "fuzzy",
    }


def test_findings_unregistered_under_declared_closed_and_uncertain(engine, tmp_path):
    write(tmp_path, units=[
        unit("TA0001A", "1800000018", "Công ty TNHH Phú Hưng", workers=10),
        unit("TA0002A", "1800000025", "Công ty TNHH Minh Phát", workers=5),
        unit("TA0003A", None, "Công ty TNHH Kỹ thuật Điện Nam Long"),
    ], tax=[
        tax("1800000018", "Công ty TNHH Phú Hưng", workers=14),
        tax("1800000025", "Công ty TNHH Minh Phát", workers=5, status="dissolved"),
        tax("1800000032", "Công ty TNHH Gia Bảo", workers=7),
        tax("1800000057", "Công ty TNHH Bảo An", workers=0),  # no one on the payroll: nothing to register
        tax("1800000064", "Công ty TNHH Gia Khang", workers=3, status="suspended"),  # not operating
        tax("1800000071", "Công ty TNHH Kỹ thuật Điện Nam Lng Phát"),  # close, but not sure
    ], unions=[{"tax_code": "1800000018", "name": "Phú Hưng", "commune_code": NINH_KIEU, "members": 16}])
    result = run(engine, tmp_path)
    assert set(finding(result, "unregistered").index) == {"1800000032"}
    gap = finding(result, "under_declared").loc["TA0001A", "detail"]
    assert (gap["declared"], gap["outside"], gap["gap"]) == (10, 16, 6)  # the union shows more than the payroll
    assert finding(result, "closed_active").loc["TA0002A", "detail"]["tax_status"] == "dissolved"
    unsure = finding(result, "uncertain")
    assert list(unsure.index) == ["tax:1800000071"] and unsure.iloc[0]["unit_code"] == "TA0003A"
    assert 80 <= unsure.iloc[0]["detail"]["score"] < 95


def test_an_officers_decisions_are_final(engine, tmp_path):
    write(tmp_path, units=[unit("TA0003A", None, "Công ty TNHH Kỹ thuật Điện Nam Long")],
          tax=[tax("1800000071", "Công ty TNHH Kỹ thuật Điện Nam Lng Phát")])
    confirmed = run(engine, tmp_path, confirmed=frozenset({("tax", "1800000071", "TA0003A")}))
    assert links(confirmed) == {("1800000071", "TA0003A"): "confirmed"}
    assert finding(confirmed, "uncertain").empty
    rejected = run(engine, tmp_path, rejected=frozenset({("tax", "1800000071", "TA0003A")}))
    assert links(rejected) == {}
    assert set(finding(rejected, "unregistered").index) == {"1800000071"}


def test_a_registration_change_closes_an_enterprise_until_it_resumes(engine, tmp_path):
    write(tmp_path, units=[unit("TA0001A", "1800000018", "Công ty TNHH Phú Hưng")],
          tax=[tax("1800000018", "Công ty TNHH Phú Hưng")],
          changes=[{"tax_code": "1800000018", "name": "Phú Hưng", "commune_code": None, "change": "suspended", "changed_on": date(2025, 3, 1)}])
    assert list(finding(run(engine, tmp_path), "closed_active").index) == ["TA0001A"]
    write(tmp_path, changes=[
        {"tax_code": "1800000018", "name": "Phú Hưng", "commune_code": None, "change": "suspended", "changed_on": date(2025, 3, 1)},
        {"tax_code": "1800000018", "name": "Phú Hưng", "commune_code": None, "change": "resumed", "changed_on": date(2025, 6, 1)},
    ])
    assert finding(run(engine, tmp_path), "closed_active").empty


def test_a_fuzzy_name_finds_the_best_of_many_units_in_the_commune(engine, tmp_path):
    others = [unit(f"TB{i:04d}A", None, f"Công ty TNHH Dịch vụ Vận tải Số {i}") for i in range(30)]
    write(tmp_path, units=[*others, unit("TA0004A", None, "Công ty TNHH Chế biến Thủy sản Phúc Thanh")],
          tax=[tax("1800000057", "CÔNG TY TNHH CHẾ BIẾN THỦY SẢN PHÚC TGANH")])
    assert links(run(engine, tmp_path)) == {("1800000057", "TA0004A"): "fuzzy"}


def test_a_branch_with_its_own_unit_finds_it_by_name_and_one_without_goes_with_its_head_office(engine, tmp_path):
    write(tmp_path, units=[
        unit("TA0001A", None, "Công ty TNHH Phú Hưng"),  # head office registered without a tax code
        unit("TA0002A", None, "Chi nhánh Công ty TNHH Phú Hưng tại Cái Khế", commune=CAI_KHE),
    ], tax=[
        tax("1800000018", "Công ty TNHH Phú Hưng"),
        tax("1800000018-001", "Chi nhánh Công ty TNHH Phú Hưng tại Cái Khế", commune=CAI_KHE),
        tax("1800000018-002", "Chi nhánh Công ty TNHH Phú Hưng tại Thới Lai", commune="31288"),
    ])
    assert links(run(engine, tmp_path)) == {
        ("1800000018", "TA0001A"): "name_commune",
        ("1800000018-001", "TA0002A"): "name_commune",
        ("1800000018-002", "TA0001A"): "branch",
    }
