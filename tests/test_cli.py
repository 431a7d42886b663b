"""The `ansinh` command, called in-process (typer's CliRunner) against the session's demo data."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ansinh.cli import app
from ansinh.targets.models import Actual, Target

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _json(*args: str) -> list[dict]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_attainment_of_can_tho_for_2025_reports_the_plans_targets():
    rows = {r["indicator"]: r for r in _json("attainment", "--unit", "92", "--period", "2025")}
    assert rows["bhyt.participants"]["target"] == 3095954
    assert rows["bhyt.coverage"]["target"] == 96.11
    assert rows["bhxh.participants"]["target"] == 433364
    assert rows["bhtn.participants"]["target"] == 294046
    for row in rows.values():
        assert {"unit_code", "indicator", "period", "target", "actual", "attainment_pct", "gap", "status"} <= set(row)
        assert row["unit_code"] == "92" and row["period"] == "2025"


def test_children_targets_sum_to_the_province_target():
    rows = _json("attainment", "--unit", "92", "--children", "--indicator", "bhyt.participants", "--period", "2025")
    assert len(rows) == 103
    assert sum(r["target"] for r in rows) == 3095954
    ranks = [r["rank"] for r in rows]
    assert ranks[0] == 1 and ranks == sorted(ranks) and ranks[-1] <= 103


def test_a_commune_user_sees_only_its_commune():
    result = runner.invoke(app, ["attainment", "--unit", "92", "--as", "xa-31135"])
    assert result.exit_code == 1
    assert "phạm vi" in result.output
    assert "Traceback" not in result.output
    rows = _json("attainment", "--unit", "31135", "--period", "2025-10", "--as", "xa-31135")
    assert {r["unit_code"] for r in rows} == {"31135"}


def test_import_rejects_a_file_with_one_bad_row_and_lists_it(tmp_path):
    path = tmp_path / "t11.csv"
    path.write_text("unit_code,period,measure,value\n31135,2025-11,population,40000\n31135,2025-11,population_x,5\n")
    before = Actual.objects.count()
    result = runner.invoke(app, ["import", "actuals", str(path)])
    assert result.exit_code == 1
    assert "Dòng 3, cột measure" in result.output
    assert Actual.objects.count() == before


def test_import_dry_run_then_real_then_again(tmp_path):
    path = tmp_path / "t11.csv"
    path.write_text("unit_code,period,measure,value\n31135,2025-11,population,40000\n")
    dry = runner.invoke(app, ["import", "actuals", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "1 mới" in dry.output
    assert not Actual.objects.filter(period="2025-11-01").exists()
    assert "1 mới" in runner.invoke(app, ["import", "actuals", str(path)]).output
    assert "1 không đổi" in runner.invoke(app, ["import", "actuals", str(path)]).output


def test_targets_allocate_by_gap_keeps_the_sum():
    result = runner.invoke(
        app, ["targets", "allocate", "--plan", "53/KH-UBND", "--indicator", "bhyt.participants", "--parent", "92", "--method", "gap"]
    )
    assert result.exit_code == 0, result.output
    assert "3.095.954" in result.output
    assert set(Target.objects.filter(indicator="bhyt.participants", unit__parent__code="92").values_list("method", flat=True)) == {"gap"}


def test_unknown_plan_and_method_are_clear_errors():
    result = runner.invoke(app, ["targets", "allocate", "--plan", "1/KH", "--indicator", "bhyt.participants", "--parent", "92"])
    assert result.exit_code == 1 and "1/KH" in result.output
    result = runner.invoke(
        app, ["targets", "allocate", "--plan", "53/KH-UBND", "--indicator", "bhyt.participants", "--parent", "92", "--method", "x"]
    )
    assert result.exit_code == 1 and "proportional" in result.output


def test_load_mapping_and_add_village(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("old_code,new_code,share\n31002,31135,0.5\n31002,31120,0.5\n")
    result = runner.invoke(app, ["units", "load-mapping", str(path)])
    assert result.exit_code == 0 and "1 đơn vị cũ" in result.output
    result = runner.invoke(app, ["units", "add", "--parent", "31135", "--code", "KV1", "--name", "Khu vực 1"])
    assert result.exit_code == 0 and "31135.KV1" in result.output
