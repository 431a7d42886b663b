"""`ansinh plans read`: in-process (CliRunner) on the real `ansinh` app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ansinh import cli

SEED = Path(__file__).parent / "fixtures" / "seeds" / "can-tho-2025.txt"
app = cli.app
runner = CliRunner()


@pytest.fixture
def plan_file(tmp_path) -> Path:
    path = tmp_path / "53-KH-UBND.txt"
    path.write_bytes(SEED.read_bytes())
    return path


def test_read_json(plan_file):
    result = runner.invoke(app, ["plans", "read", str(plan_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["number"], data["issued_on"], data["scope_code"], data["years"]) == ("53/KH-UBND", "2025-08-27", "92", [2025])
    assert {"indicator": "bhyt.participants", "value": 3095954.0, "unit": "persons", "year": 2025} in [
        {k: t[k] for k in ("indicator", "value", "unit", "year")} for t in data["targets"]]
    assert set(data["assignments"][0]) >= {"agency", "agency_code", "section", "text", "role", "supports"}
    assert "Sở Y tế" in {a["agency"] for a in data["assignments"]}


def test_read_summary_in_vietnamese_numbers(plan_file):
    result = runner.invoke(app, ["plans", "read", str(plan_file)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "53/KH-UBND" in result.output and "27/08/2025" in result.output
    assert "3.095.954 người" in result.output and "96,11%" in result.output
    assert "Sở Giáo dục và Đào tạo" in result.output


def test_a_file_that_cannot_be_read_is_a_clean_error(tmp_path):
    junk = tmp_path / "ke-hoach.docx"
    junk.write_bytes(b"\x00\x01 not a word file")
    result = runner.invoke(app, ["plans", "read", str(junk)])
    assert result.exit_code == 1
    assert "ke-hoach.docx" in result.output and "Traceback" not in result.output
