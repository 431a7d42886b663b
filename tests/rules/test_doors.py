"""The three doors of the rules registry: `ansinh params`, `/api/v1/rules` and the page "Tham số pháp lý";
and docs/rules.md, made from the data file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ansinh import cli, console
from ansinh.audit.models import AuditEvent
from ansinh.rules.docs import rules_markdown
from ansinh.rules.models import Parameter
from ansinh.rules.registry import codes

pytestmark = pytest.mark.django_db
runner = CliRunner()
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    """Output as wide as it needs: a table row is never wrapped over two lines the tests read."""
    monkeypatch.setattr(console.out, "_width", 400)
    monkeypatch.setattr(console.err, "_width", 400)


def _params(*args: str):
    return runner.invoke(cli.app, ["params", *args])


def _line(output: str, code: str) -> str:
    return next(line for line in output.splitlines() if f"│ {code} " in line)


# ----------------------------------------------------------------------------------------------- the CLI


def test_the_list_shows_the_two_regimes_of_the_reform():
    before = _params("list", "--on", "2025-04-30")
    after = _params("list", "--on", "2025-10-31")

    assert before.exit_code == after.exit_code == 0, before.output + after.output
    assert "Tham số có hiệu lực ngày 30/04/2025" in before.stdout
    assert "│ end_of_same_month " in _line(before.stdout, "deadline.monthly")
    assert "│ end_of_following_month " in _line(after.stdout, "deadline.monthly")
    assert "│ interest_2x_fund_rate " in _line(before.stdout, "charge.method")
    assert "Điều 122 khoản 3" in _line(before.stdout, "charge.method")
    assert "│ daily_rate " in _line(after.stdout, "charge.method")
    assert "│ – " in _line(before.stdout, "employers.late_daily_rate")
    assert "│ 0.0003 " in _line(after.stdout, "employers.late_daily_rate")
    assert "│ 2 " in _line(before.stdout, "charge.interest_multiple")
    assert "chưa có giá trị hiệu lực" in _line(after.stdout, "charge.interest_multiple")
    assert "│ 2340000 " in _line(after.stdout, "salary.base")


def test_the_list_as_json_is_the_api_s_answer(admin_client):
    printed = json.loads(_params("list", "--on", "2025-10-31", "--json").stdout)
    served = admin_client.get("/api/v1/rules", {"on": "2025-10-31"}).json()

    assert printed == served
    assert printed["on"] == "2025-10-31" and [r["code"] for r in printed["rules"]] == codes()


def test_set_is_audited_and_shown_from_its_date():
    result = _params("set", "salary.base", "2600000", "--from", "01/01/2026", "--basis", "Nghị định 999/2025/NĐ-CP", "--as", "tinh")
    before = _params("list", "--on", "31/12/2025")
    after = _params("list", "--on", "01/01/2026")

    assert result.exit_code == 0, result.output
    assert "Đã đặt salary.base = 2600000 từ 01/01/2026 (Nghị định 999/2025/NĐ-CP)." in result.stdout
    assert "│ 2340000 " in _line(before.stdout, "salary.base")
    assert "│ 2600000 " in _line(after.stdout, "salary.base") and "cán bộ đặt" in _line(after.stdout, "salary.base")
    event = AuditEvent.objects.get(action="parameter.set")
    assert (event.actor.username, event.object_type, event.detail) == (
        "tinh", "Parameter", {"code": "salary.base", "value": "2600000", "valid_from": "2026-01-01"})


def test_a_method_cannot_be_set_and_a_commune_cannot_set_anything():
    method = _params("set", "deadline.monthly", "1", "--from", "01/01/2026", "--basis", "x", "--as", "tinh")
    commune = _params("set", "salary.base", "1", "--from", "01/01/2026", "--basis", "x", "--as", "xa-31135")

    assert method.exit_code == commune.exit_code == 1
    assert "là một cách tính" in method.stderr
    assert "Chỉ quản trị cấp tỉnh được đặt tham số nghiệp vụ." in commune.stderr
    assert not Parameter.objects.exists() and not AuditEvent.objects.filter(action="parameter.set").exists()


# ----------------------------------------------------------------------------------------------- the API


def test_the_api_answers_by_day(admin_client):
    before = {r["code"]: r for r in admin_client.get("/api/v1/rules", {"on": "2025-04-30"}).json()["rules"]}
    after = {r["code"]: r for r in admin_client.get("/api/v1/rules", {"on": "2025-10-31"}).json()["rules"]}

    assert before["deadline.monthly"]["method"] == "end_of_same_month"
    assert after["deadline.monthly"]["method"] == "end_of_following_month"
    assert before["employers.late_daily_rate"]["in_force"] is False
    assert (after["employers.late_daily_rate"]["valid_from"], after["employers.late_daily_rate"]["basis"]) == (
        "2025-07-01", "Luật BHXH số 41/2024/QH15, Điều 40; Nghị định 274/2025/NĐ-CP")
    assert float(after["employers.late_daily_rate"]["value"]) == 0.0003
    assert before["charge.fund_rate"]["verify"] is True and before["charge.fund_rate"]["valid_to"] == "2025-06-30"


def test_the_api_refuses_a_bad_day_and_a_stranger(admin_client):
    assert admin_client.get("/api/v1/rules", {"on": "2025-13-01"}).status_code == 422
    admin_client.logout()
    assert admin_client.get("/api/v1/rules").status_code == 401


# ----------------------------------------------------------------------------------------------- the page


def test_the_page_for_an_administrator(admin_client):
    page = admin_client.get("/rules/", {"on": "2025-04-30"})
    later = admin_client.get("/rules/", {"on": "31/10/2025"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "Tham số pháp lý" in text and 'type="date" name="on" value="2025-04-30"' in text
    assert 'data-code="deadline.monthly"' in text and "end_of_same_month" in text and "Ngày cuối cùng của tháng đóng" in text
    assert "2.340.000" in text
    assert "end_of_following_month" in later.content.decode() and "0,0003" in later.content.decode()
    assert 'href="/rules/"' in text  # the administrators' navigation links it


def test_the_page_refuses_a_commune_user(editor_client):
    refused = editor_client.get("/rules/")

    assert refused.status_code == 403
    assert "Trang tham số pháp lý dành cho quản trị cấp tỉnh." in refused.content.decode()
    assert 'href="/rules/"' not in refused.content.decode()


def test_the_page_refuses_a_bad_day_kindly(admin_client):
    answer = admin_client.get("/rules/", {"on": "hôm qua"})

    assert answer.status_code == 422 and "Ngày “hôm qua” không hợp lệ" in answer.content.decode()


# ----------------------------------------------------------------------------------------------- the docs


def test_docs_rules_md_is_made_from_the_data_file():
    text = (DOCS / "rules.md").read_text()

    assert text == rules_markdown(), "docs/rules.md is stale: uv run python -m ansinh.rules.docs > docs/rules.md"
    assert all(f"`{code}`" in text for code in codes())
