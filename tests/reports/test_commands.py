"""`ansinh reports make` and `ansinh reports list`, in-process (CliRunner): the same service as the page."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ansinh import cli, console
from ansinh.reports.models import Report

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setattr(console.out, "_width", 300)  # rich reads its width from here; undone after
    monkeypatch.setattr(console.err, "_width", 300)


def _reports(*args: str):
    return runner.invoke(cli.app, ["reports", *args])


def test_make_writes_both_files_and_prints_their_paths(plan, tmp_path):
    out = tmp_path / "bao-cao"
    result = _reports("make", "--plan", "53/KH-UBND", "--period", "2025-Q3", "--out", str(out), "--as", "tinh", "--number", "7")
    assert result.exit_code == 0, result.output
    docx, xlsx = out / "bao-cao-53-KH-UBND-92-2025-Q3.docx", out / "phu-luc-53-KH-UBND-92-2025-Q3.xlsx"
    assert str(docx) in result.output and str(xlsx) in result.output
    report = Report.objects.get()
    assert docx.read_bytes() == bytes(report.docx) and xlsx.read_bytes() == bytes(report.xlsx)
    assert (report.number, report.actor.username) == ("7", "tinh")
    listed = _reports("list", "--json", "--as", "tinh")
    assert [(r["id"], r["period"], r["unit"]) for r in json.loads(listed.output)] == [(report.pk, "2025-Q3", "92")]
    table = _reports("list", "--plan", "53/KH-UBND")
    assert table.exit_code == 0 and "bao-cao-53-KH-UBND-92-2025-Q3.docx" in table.output


def test_a_commune_and_its_unit(plan, tmp_path):
    own = _reports("make", "--plan", "53/KH-UBND", "--period", "2025-09", "--out", str(tmp_path), "--as", "xa-31135")
    assert own.exit_code == 0, own.output
    assert (tmp_path / "bao-cao-53-KH-UBND-31135-2025-09.docx").exists()
    refused = _reports("make", "--plan", "53/KH-UBND", "--period", "2025-Q3", "--out", str(tmp_path), "--as", "xa-31135", "--unit", "92")
    assert refused.exit_code == 1 and "ngoài phạm vi" in refused.output
    by_province = _reports("make", "--plan", "53/KH-UBND", "--period", "2025", "--out", str(tmp_path), "--unit", "31120")
    assert by_province.exit_code == 0 and (tmp_path / "bao-cao-53-KH-UBND-31120-2025.docx").exists()


def test_errors_are_messages_not_traces(plan, tmp_path):
    bad = _reports("make", "--plan", "53/KH-UBND", "--period", "Q3", "--out", str(tmp_path))
    assert bad.exit_code == 1 and "YYYY-Qn" in bad.output and "Traceback" not in bad.output
    unknown = _reports("make", "--plan", "99/KH-UBND", "--period", "2025-Q3", "--out", str(tmp_path))
    assert unknown.exit_code == 1 and "Không có kế hoạch" in unknown.output
    afile = tmp_path / "tep"
    afile.write_text("x")
    notdir = _reports("make", "--plan", "53/KH-UBND", "--period", "2025-Q3", "--out", str(afile))
    assert notdir.exit_code == 1 and "không phải là thư mục" in notdir.output
    assert not Report.objects.exists()


def test_make_with_the_signer(plan, tmp_path):
    import io

    from docx import Document

    result = _reports("make", "--plan", "53/KH-UBND", "--period", "2025-Q3", "--out", str(tmp_path), "--as", "tinh",
                      "--number", "125", "--signer-title", "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC", "--signer-name", "Võ Thanh Sơn")
    assert result.exit_code == 0, result.output
    document = Document(io.BytesIO(bytes(Report.objects.get().docx)))
    assert document.tables[0].rows[1].cells[0].text == "Số: 125/BC-BHXH"
    signer = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs]
    assert signer[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and signer[-1] == "Võ Thanh Sơn"
