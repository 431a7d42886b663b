"""`ansinh coverage compute` and `ansinh coverage list`, in-process (CliRunner), on the tiny Ninh Kiều extract.

The counts are those of tests/coverage/test_api.py (the same service behind both doors).
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ansinh import cli, console
from ansinh.audit.models import AuditEvent
from ansinh.coverage.engine import MEASURES_OUT
from ansinh.coverage.models import CoverageRun
from ansinh.targets.models import Actual
from tests.coverage.conftest import NINH_KIEU
from tests.coverage.factories import card, frames, person, write_parquet

pytestmark = pytest.mark.django_db
runner = CliRunner()
ROWS = 2 * 10 * len(MEASURES_OUT)
OCTOBER = date(2025, 10, 1)


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    """Tables as wide as they need: a name is never wrapped over two lines in the output tests read."""
    monkeypatch.setattr(console.out, "_width", 200)  # rich reads its width from here; undone after


def _run(*args: str):
    return runner.invoke(cli.app, ["coverage", *args])


def _json(*args: str) -> dict:
    result = _run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _actual(code: str, measure: str, month: date = OCTOBER) -> int:
    return Actual.objects.get(unit__code=code, period=month, measure=measure).value


# --------------------------------------------------------------------------------------------- compute


def test_compute_writes_the_actuals_and_says_what_it_did(person_data):
    result = _run("compute")

    assert result.exit_code == 0, result.output
    assert "Bao phủ 01/2025–10/2025" in result.stdout and "7 người được tính" in result.stdout
    assert "Số liệu thực hiện đã ghi: 280 dòng" in result.stdout
    assert "Không có dòng nào bị loại." in result.stdout
    assert "✓ Đếm theo xã và tháng" in result.stderr  # the progress goes to standard error
    assert (_actual(NINH_KIEU, "population"), _actual(NINH_KIEU, "bhyt.participants")) == (6, 4)
    assert _actual(NINH_KIEU, "bhyt.participants", date(2025, 9, 1)) == 5
    run = CoverageRun.objects.get()
    assert run.actor.username == "system"
    assert AuditEvent.objects.filter(action="coverage.compute", object_id=str(run.pk), actor__username="system").exists()


def test_compute_twice_changes_nothing(person_data):
    first = _json("compute", "--year", "2025")
    again = _json("compute", "--year", "2025")

    assert first["actuals"]["rows"] == ROWS
    assert (again["actuals"]["created"], again["actuals"]["updated"], again["actuals"]["unchanged"]) == (0, 0, ROWS)
    assert "0 mới, 0 thay đổi, 280 không đổi" in _run("compute").stdout


def test_json_is_the_api_answer_plus_timings(person_data, admin_client):
    body = _json("compute", "--as", "tinh")

    timings = body.pop("timings")
    assert admin_client.get("/api/v1/coverage/runs/latest").json() == body
    assert [t["step"] for t in timings][-1] == "problems" and all(t["seconds"] >= 0 for t in timings)
    assert CoverageRun.objects.get(pk=body["id"]).actor.username == "tinh"


def test_debug_times_each_step(person_data):
    result = _run("compute", "--debug")

    assert result.exit_code == 0, result.output
    assert "Thời gian từng bước" in result.stdout
    assert "fold[0]" in result.stdout and "problems" in result.stdout


def test_dry_run_writes_no_actual(person_data):
    before, count = _actual(NINH_KIEU, "population"), Actual.objects.count()

    result = _run("compute", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Chạy thử (chưa lưu): 280 dòng" in result.stdout
    assert (Actual.objects.count(), _actual(NINH_KIEU, "population")) == (count, before)
    assert CoverageRun.objects.get().dry_run


def test_a_commune_editor_may_not_compute(person_data):
    result = _run("compute", "--as", "xa-31135")

    assert result.exit_code == 1
    assert "tính lại số liệu" in result.output and "Traceback" not in result.output
    assert not CoverageRun.objects.exists()


def test_rows_kept_out_are_shown_masked(settings, tmp_path):
    persons = [person(1, commune_code=NINH_KIEU), person(8, commune_code=NINH_KIEU), person(8, commune_code=NINH_KIEU)]
    cards = [card(1, date(2025, 1, 1), date(2025, 12, 31), group=9)]
    settings.DATA_DIR = write_parquet(tmp_path, *frames(persons, cards), as_of=date(2025, 10, 31))

    result = _run("compute", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Số định danh cá nhân xuất hiện nhiều lần" in result.stdout and "0920******08" in result.stdout
    assert "Thẻ BHYT có nhóm đối tượng ngoài 1–6" in result.stdout and "0920******01" in result.stdout
    assert "092090000008" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "oracle"], "--engine “oracle”"),
        (["--year", "2026"], "chưa tính được năm 2026"),
        (["--as", "nobody"], "Không có tài khoản “nobody”"),
    ],
)
def test_bad_compute_options_are_clear_errors(person_data, args, message):
    result = _run("compute", *args)

    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_compute_without_data_says_how_to_get_some(settings, tmp_path):
    settings.DATA_DIR = tmp_path

    result = _run("compute")

    assert result.exit_code == 1
    assert "Chưa có dữ liệu cá nhân" in result.output


# ----------------------------------------------------------------------------------------------- lists


def test_households_table_has_a_line_per_missing_person(person_data):
    result = _run("list", "households", "--commune", NINH_KIEU, "--day", "2025-11-16", "--as", "xa-31135")

    assert result.exit_code == 0, result.output
    assert "Hộ gia đình có người chưa tham gia BHYT — Phường Ninh Kiều (31135), ngày 16/11/2025" in result.stdout
    for name, masked in (("Trần Thị Bình", "0920******02"), ("Lê Văn Dũng", "0920******04"), ("Phạm Văn Giang", "0920******06")):
        assert name in result.stdout and masked in result.stdout
    assert "Lê Thị Hoa" not in result.stdout  # her card was renewed
    assert "092090000002" not in result.stdout
    assert "Trang 1/1 — tổng 3 hộ." in result.stdout


def test_expiring_and_lapsed_tables(person_data):
    expiring = _run("list", "expiring", "--commune", NINH_KIEU, "--days", "30")
    lapsed = _run("list", "lapsed", "--commune", NINH_KIEU, "--village", "Khu vực 2")

    assert "Lê Văn Dũng" in expiring.stdout and "15/11/2025" in expiring.stdout and "tổng 1 người" in expiring.stdout
    assert "Phạm Văn Giang" in lapsed.stdout and "06/2025" in lapsed.stdout and "Khu vực 2" in lapsed.stdout


def test_list_json_is_the_api_page(person_data, editor_client):
    body = _json("list", "households", "--commune", NINH_KIEU, "--per-page", "1", "--page", "2", "--as", "xa-31135")

    api = editor_client.get(f"/api/v1/coverage/communes/{NINH_KIEU}/lists/households", {"per_page": 1, "page": 2}).json()
    assert body == api
    assert (body["total"], body["pages"], [h["household_id"] for h in body["rows"]]) == (2, 2, ["H3"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["everyone", "--commune", NINH_KIEU], "KIND “everyone”"),
        (["households", "--commune", NINH_KIEU, "--day", "31/10/2025"], "--day “31/10/2025”"),
        (["expiring", "--commune", NINH_KIEU, "--days", "0"], "Số ngày"),
        (["households", "--commune", "31120", "--as", "xa-31135"], "ngoài phạm vi"),
        (["households", "--commune", "92"], "không phải cấp xã"),
    ],
)
def test_bad_list_options_are_clear_errors(person_data, args, message):
    result = _run("list", *args)

    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def _cells(path) -> list:
    return [c for row in load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True) for c in row]


def test_list_to_xlsx(person_data, tmp_path):
    path = tmp_path / "ho-chua-co-the.xlsx"

    result = _run("list", "households", "--commune", NINH_KIEU, "--xlsx", str(path), "--as", "xa-31135")

    assert result.exit_code == 0, result.output
    assert "Đã ghi danh sách vào" in result.stdout
    assert "Trần Thị Bình" in _cells(path) and "0920******02" in _cells(path)
    assert "092090000002" not in _cells(path)
    assert AuditEvent.objects.filter(action="export.coverage_list", actor__username="xa-31135").exists()


def test_list_to_xlsx_in_a_folder_is_named_after_the_list(person_data, tmp_path):
    result = _run("list", "expiring", "--commune", NINH_KIEU, "--days", "30", "--xlsx", str(tmp_path))

    assert result.exit_code == 0, result.output
    path = tmp_path / "ds-the-bhyt-sap-het-han-30-ngay-31135-2025-10-31.xlsx"
    assert "Lê Văn Dũng" in _cells(path)


def test_json_and_xlsx_together_is_an_error(person_data, tmp_path):
    result = _run("list", "households", "--commune", NINH_KIEU, "--json", "--xlsx", str(tmp_path))

    assert result.exit_code == 1 and "--json" in result.output
    assert not list(tmp_path.iterdir())
