"""/api/v1/coverage on the tiny Ninh Kiều extract (tests/coverage/conftest.py) over the Cần Thơ demo.

The extract has six residents of Phường Ninh Kiều (31135) and one of Phường Cái Khế (31120), as of
31/10/2025. Counted by hand for October 2025 in Ninh Kiều: 6 residents; cards valid some day of the month
for An, Châu, Dũng and Hoa (Bình's ended 30/09) = 4 (group 1: An, group 3: Châu, group 5: Dũng and Hoa);
labour force = everyone but the child Châu = 5, of whom An, Bình, Dũng and Hoa work in compulsory jobs = 4;
one compulsory span with BHTN (An); Giang's voluntary span ended in June.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from ansinh.audit.models import AuditEvent
from ansinh.accounts.services import token_issue
from ansinh.coverage.engine import MEASURES_OUT
from ansinh.coverage.models import CoverageRun
from ansinh.targets.models import Actual, ImportBatch
from tests.coverage.conftest import NINH_KIEU
from tests.coverage.factories import card, frames, person, span, write_parquet

pytestmark = pytest.mark.django_db

CAI_KHE = "31120"
COMPUTE = "/api/v1/coverage/compute"
LATEST = "/api/v1/coverage/runs/latest"
MONTHS = [date(2025, m, 1) for m in range(1, 11)]
ROWS = 2 * 10 * len(MEASURES_OUT)  # two communes with residents, January–October, every measure


def _bearer(username: str) -> dict[str, str]:
    key, _ = token_issue(username=username, password="demo-password-123")
    return {"Authorization": f"Bearer {key}"}


def _post(client, body: dict | None = None, **kwargs):
    return client.post(COMPUTE, body or {}, content_type="application/json", **kwargs)


def _actual(code: str, month: date, measure: str) -> int:
    return Actual.objects.get(unit__code=code, period=month, measure=measure).value


def _existing() -> int:
    """Actuals the demo already holds for what the extract's run writes (they are replaced, not added)."""
    return Actual.objects.filter(unit__code__in=[NINH_KIEU, CAI_KHE], period__in=MONTHS, measure__in=MEASURES_OUT).count()


def _lists(client, kind: str, code: str = NINH_KIEU, **query):
    return client.get(f"/api/v1/coverage/communes/{code}/lists/{kind}", query)


# --------------------------------------------------------------------------------------------- compute


def test_compute_writes_the_communes_actuals_from_the_extract(admin_client, admin_user, person_data):
    existing = _existing()
    neighbour = Actual.objects.filter(unit__parent__code="92", period=date(2025, 10, 1), measure="population").exclude(
        unit__code__in=[NINH_KIEU, CAI_KHE]
    ).first()

    answer = _post(admin_client)

    body = answer.json()
    assert answer.status_code == 200, body
    assert (body["first_month"], body["months"], body["data_as_of"]) == ("2025-01-01", 10, "2025-10-31")
    assert (body["persons"], body["engine"], body["dry_run"], body["kept_out"]) == (7, "duckdb", False, [])
    assert body["actuals"] == {
        "rows": ROWS, "created": ROWS - existing, "updated": existing, "unchanged": 0, "batch_id": body["actuals"]["batch_id"],
    }
    october = date(2025, 10, 1)
    assert {m: _actual(NINH_KIEU, october, m) for m in MEASURES_OUT} == {
        "population": 6, "labour_force": 5, "bhxh.compulsory.required": 4, "bhtn.required": 4,
        "bhyt.participants": 4, "bhyt.participants.group.1": 1, "bhyt.participants.group.2": 0,
        "bhyt.participants.group.3": 1, "bhyt.participants.group.4": 0, "bhyt.participants.group.5": 2, "bhyt.participants.group.6": 0,
        "bhxh.compulsory.participants": 1, "bhxh.voluntary.participants": 0, "bhtn.participants": 1,
    }
    assert _actual(NINH_KIEU, date(2025, 9, 1), "bhyt.participants") == 5  # Bình's card still counts in September
    assert [_actual(NINH_KIEU, date(2025, m, 1), "bhxh.voluntary.participants") for m in (6, 7)] == [1, 0]
    assert (_actual(CAI_KHE, october, "population"), _actual(CAI_KHE, october, "bhyt.participants")) == (1, 0)
    assert _actual(neighbour.unit.code, october, "population") == neighbour.value  # communes without residents keep theirs

    run = CoverageRun.objects.get(pk=body["id"])
    assert (run.actor, run.persons, run.months, run.dry_run, run.batch_id) == (admin_user, 7, 10, False, body["actuals"]["batch_id"])
    event = AuditEvent.objects.get(action="coverage.compute", object_id=str(run.pk))
    assert event.actor == admin_user
    assert event.detail == {"engine": "duckdb", "months": "01/2025+10", "persons": 7, "kept_out": 0, "dry_run": False}
    assert AuditEvent.objects.filter(action="actuals.import", object_id=str(run.batch_id), actor=admin_user).exists()


def test_computing_twice_changes_nothing(admin_client, person_data):
    _post(admin_client)
    revisions = Actual.objects.filter(unit__code=NINH_KIEU, revisions__isnull=False).count()

    again = _post(admin_client).json()

    assert (again["actuals"]["created"], again["actuals"]["updated"], again["actuals"]["unchanged"]) == (0, 0, ROWS)
    assert Actual.objects.filter(unit__code=NINH_KIEU, revisions__isnull=False).count() == revisions
    assert CoverageRun.objects.count() == 2


def test_dry_run_counts_but_writes_no_actual(admin_client, person_data):
    before = _actual(NINH_KIEU, date(2025, 10, 1), "population")
    actuals, batches = Actual.objects.count(), ImportBatch.objects.count()

    body = _post(admin_client, {"dry_run": True}).json()

    assert body["dry_run"] is True
    assert body["actuals"]["batch_id"] is None and body["actuals"]["rows"] == ROWS
    assert (Actual.objects.count(), ImportBatch.objects.count()) == (actuals, batches)
    assert _actual(NINH_KIEU, date(2025, 10, 1), "population") == before
    assert CoverageRun.objects.get(pk=body["id"]).dry_run
    assert AuditEvent.objects.get(action="coverage.compute", object_id=str(body["id"])).detail["dry_run"] is True
    assert admin_client.get(LATEST).status_code == 404  # a dry run is not the latest run


def test_a_commune_editor_may_not_compute(editor_client, person_data):
    actuals = Actual.objects.count()

    answer = _post(editor_client)

    assert answer.status_code == 403
    assert "quản trị cấp tỉnh mới tính lại" in answer.json()["detail"]
    assert Actual.objects.count() == actuals
    assert not CoverageRun.objects.exists()
    assert not AuditEvent.objects.filter(action="coverage.compute").exists()


def test_compute_with_a_bearer_token(client, person_data):
    answer = _post(client, {"year": 2025, "engine": "duckdb"}, headers=_bearer("tinh"))

    assert answer.status_code == 200
    assert CoverageRun.objects.get(pk=answer.json()["id"]).actor.username == "tinh"
    assert _post(client).status_code == 401


def test_bad_compute_input(admin_client, person_data):
    future = _post(admin_client, {"year": 2026})
    engine = _post(admin_client, {"engine": "oracle"})

    assert future.status_code == 422
    assert "2026" in future.json()["detail"]
    assert engine.status_code == 422
    assert not CoverageRun.objects.exists()


def test_compute_without_data_says_how_to_get_some(admin_client, settings, tmp_path):
    settings.DATA_DIR = tmp_path

    answer = _post(admin_client)

    assert answer.status_code == 404
    assert "ansinh generate" in answer.json()["detail"]


def test_rows_kept_out_are_listed_with_masked_examples(admin_client, settings, tmp_path):
    persons = [person(1, commune_code=NINH_KIEU), person(8, commune_code=NINH_KIEU), person(8, commune_code=NINH_KIEU)]
    cards = [card(1, date(2025, 1, 1), date(2025, 12, 31), group=9), card(9, date(2025, 1, 1), date(2025, 12, 31))]
    spans = [span(1, date(2024, 1, 1), scheme="other")]
    settings.DATA_DIR = write_parquet(tmp_path, *frames(persons, cards, spans), as_of=date(2025, 10, 31))

    body = _post(admin_client, {"dry_run": True}).json()

    assert body["persons"] == 1
    assert sorted(body["kept_out"], key=lambda p: p["rule"]) == [
        {"rule": "card.unknown_group", "label": "Thẻ BHYT có nhóm đối tượng ngoài 1–6", "rows": 1, "examples": ["0920******01"]},
        {"rule": "card.unknown_person", "label": "Thẻ BHYT của người không có (hợp lệ) trong dữ liệu dân cư", "rows": 1, "examples": ["0920******09"]},
        {"rule": "person.duplicate", "label": "Số định danh cá nhân xuất hiện nhiều lần", "rows": 2, "examples": ["0920******08"]},
        {"rule": "span.unknown_scheme", "label": "Quá trình đóng BHXH không phải bắt buộc hay tự nguyện", "rows": 1, "examples": ["0920******01"]},
    ]


# ------------------------------------------------------------------------------------------ latest run


def test_latest_run_is_the_last_real_run_of_the_users_province(admin_client, client, person_data):
    missing = admin_client.get(LATEST)
    assert missing.status_code == 404
    assert "ansinh coverage compute" in missing.json()["detail"]

    computed = _post(admin_client).json()
    _post(admin_client, {"dry_run": True})

    assert admin_client.get(LATEST).json() == computed
    assert client.get(LATEST, headers=_bearer("xa-31135")).json()["id"] == computed["id"]  # a commune sees its province's run


# ----------------------------------------------------------------------------------------------- lists


def test_households_list_names_who_is_missing(editor_client, person_data):
    answer = _lists(editor_client, "households")

    body = answer.json()
    assert answer.status_code == 200
    assert {k: body[k] for k in ("kind", "commune_code", "day", "village", "total", "page", "pages", "per_page")} == {
        "kind": "households", "commune_code": NINH_KIEU, "day": "2025-10-31", "village": None,
        "total": 2, "page": 1, "pages": 1, "per_page": 25,
    }
    assert body["commune_name"] == "Phường Ninh Kiều"
    assert body["title"] == "Hộ gia đình có người chưa tham gia BHYT"
    h1, h3 = body["rows"]
    assert (h1["household_id"], h1["village"], h1["members"], h1["uninsured"]) == ("H1", "Khu vực 1", 3, 1)
    assert h1["missing"] == [{
        "full_name": "Trần Thị Bình", "id_masked": "0920******02", "gender": "Nữ", "birth_year": 1992, "age": 33,
        "village": "Khu vực 1", "household_id": "H1",
    }]
    assert [m["full_name"] for m in h3["missing"]] == ["Phạm Văn Giang"]


def test_lists_filter_by_day_village_and_page(editor_client, person_data):
    later = _lists(editor_client, "households", day="2025-11-16").json()
    village = _lists(editor_client, "households", village="Khu vực 2").json()
    second = _lists(editor_client, "households", per_page=1, page=2).json()

    assert [h["household_id"] for h in later["rows"]] == ["H1", "H2", "H3"]
    assert [h["household_id"] for h in village["rows"]] == ["H3"] and village["village"] == "Khu vực 2"
    assert (second["pages"], [h["household_id"] for h in second["rows"]]) == (2, ["H3"])


def test_expiring_and_lapsed_lists(editor_client, person_data):
    expiring = _lists(editor_client, "expiring", days=30).json()
    lapsed = _lists(editor_client, "lapsed").json()

    assert [(r["full_name"], r["id_masked"], r["valid_to"], r["days_left"], r["bhyt_group"]) for r in expiring["rows"]] == [
        ("Lê Văn Dũng", "0920******04", "2025-11-15", 15, "5"),
    ]
    assert _lists(editor_client, "expiring", days=10).json()["total"] == 0
    assert [(r["full_name"], r["last_month"], r["months_since"]) for r in lapsed["rows"]] == [("Phạm Văn Giang", "2025-06-01", 4)]


def test_lists_stay_in_scope_and_check_their_input(editor_client, person_data):
    other = _lists(editor_client, "households", code=CAI_KHE)
    kind = _lists(editor_client, "everyone")
    day = _lists(editor_client, "households", day="2025-13-01")
    days = _lists(editor_client, "expiring", days=0)

    assert other.status_code == 403 and "ngoài phạm vi" in other.json()["detail"]
    assert kind.status_code == 422 and "households" in kind.json()["detail"]
    assert day.status_code == 422
    assert days.status_code == 422 and "Số ngày" in days.json()["detail"]


def test_list_download_is_an_xlsx_of_the_whole_list(editor_client, commune_editor, person_data):
    answer = editor_client.get(f"/api/v1/coverage/communes/{NINH_KIEU}/lists/households.xlsx", {"village": "Khu vực 1"})

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert answer["Content-Disposition"] == 'attachment; filename="ds-ho-chua-bhyt-31135-khu-vuc-1-2025-10-31.xlsx"'
    cells = [c for row in load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True) for c in row]
    assert "Trần Thị Bình" in cells and "0920******02" in cells
    assert "Phạm Văn Giang" not in cells  # Khu vực 2
    event = AuditEvent.objects.get(action="export.coverage_list")
    assert (event.actor, event.detail["kind"], event.detail["village"]) == (commune_editor, "households", "Khu vực 1")
    assert editor_client.get(f"/api/v1/coverage/communes/{CAI_KHE}/lists/households.xlsx").status_code == 403
