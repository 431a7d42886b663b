"""`ansinh tasks …` in-process (CliRunner): the same services as the pages and the API."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ansinh import cli, console
from ansinh.tasks.models import Task

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setattr(console.out, "_width", 300)  # rich reads its width from here; undone after
    monkeypatch.setattr(console.err, "_width", 300)


def _tasks(*args: str):
    return runner.invoke(cli.app, ["tasks", *args])


def test_add_a_quarterly_duty_of_every_commune_list_it_and_hand_one_in(agencies, plan, tmp_path):  # plan: dated 1/1/2025
    added = _tasks("add", "--plan", "53/KH-UBND", "--lead", "ubnd-xa", "--section", "III.7", "--text", "Báo cáo quý",
                   "--every", "quarterly", "--day", "15", "--offset", "3")
    assert added.exit_code == 0, added.output
    assert "412 kỳ phải nộp" in added.output
    listed = _tasks("list", "--agency", "ubnd-31135", "--today", "01/05/2025", "--json")
    rows = json.loads(listed.stdout)
    assert [(r["due_on"], r["status"]) for r in rows][:2] == [("2025-04-15", "missing"), ("2025-07-15", "pending")]
    report = tmp_path / "bao-cao.docx"
    report.write_bytes(b"PK demo")
    handed = _tasks("submit", str(rows[0]["id"]), "--file", str(report), "--on", "16/04/2025", "--as", "xa-31135")
    assert handed.exit_code == 0 and "ngày nộp 16/04/2025" in handed.output
    rates = json.loads(_tasks("timeliness", "--plan", "53/KH-UBND", "--communes", "--today", "01/05/2025", "--json").stdout)
    ninh_kieu = next(r for r in rates if r["agency_code"] == "ubnd-31135")
    assert (ninh_kieu["due"], ninh_kieu["late"], ninh_kieu["rate"], ninh_kieu["reporting_rate"]) == (1, 1, 0.0, 100.0)


def test_bad_input_is_a_message_and_changes_nothing(agencies):
    unknown = _tasks("add", "--plan", "53/KH-UBND", "--lead", "so-khong-co", "--text", "x", "--due", "20/10/2025")
    assert unknown.exit_code == 1 and "so-khong-co" in unknown.stderr and "Traceback" not in unknown.output
    bad_day = _tasks("add", "--plan", "53/KH-UBND", "--lead", "so-y-te", "--text", "x", "--due", "32/10/2025")
    assert bad_day.exit_code == 1 and "--due" in bad_day.stderr
    no_plan = _tasks("add", "--plan", "99/KH-UBND", "--lead", "so-y-te", "--text", "x", "--due", "20/10/2025")
    assert no_plan.exit_code == 1 and "99/KH-UBND" in no_plan.stderr
    assert Task.objects.count() == 0


def test_remind_prints_what_it_sent(tax_list_task, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = _tasks("remind", "--today", "01/04/2025")
    assert result.exit_code == 0 and "Đã gửi 0 thư nhắc" in result.output and "Thuế" in result.stderr


def test_the_directory_lists_the_codes(agencies):
    rows = json.loads(_tasks("agencies", "--json").stdout)
    assert {"ubnd-31135", "so-y-te", "ubnd-xa"} <= {row["code"] for row in rows}


def test_an_agency_gets_its_address_and_members(agencies, province):
    from ansinh.accounts.models import User

    User.objects.create_user("yte-1", org_unit=province, role="editor")
    done = _tasks("agency", "so-y-te", "--email", "vanthu@soyte.cantho.gov.vn", "--member", "yte-1")
    assert done.exit_code == 0 and "vanthu@soyte.cantho.gov.vn" in done.output and "yte-1" in done.output
    assert _tasks("agency", "so-y-te", "--email", "không phải thư").exit_code == 1
    refused = _tasks("agency", "so-y-te", "--member", "yte-1", "--as", "xa-31135")
    assert refused.exit_code == 1 and "quản trị cấp tỉnh" in refused.stderr
