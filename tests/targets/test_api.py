"""/api/v1 targets routes on the Cần Thơ 2025 demo: plan 53/KH-UBND, its 103 communes, actuals Jan–Oct 2025."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.audit.models import AuditEvent
from ansinh.accounts.models import User
from ansinh.accounts.services import token_issue
from ansinh.units.models import OrgUnit
from ansinh.targets import selectors
from ansinh.targets.models import Actual, ImportBatch, Plan, Target

PROVINCE_PERSONS = 3_095_954
DEADLINES = ("2025-11-30", "2025-12-20")


def _bearer(username: str, password: str = "demo-password-123") -> dict[str, str]:
    key, _ = token_issue(username=username, password=password)
    return {"Authorization": f"Bearer {key}"}



@pytest.fixture
def viewer(province):
    user = User.objects.create_user("xem-tinh", password="viewer-password-1", org_unit=province, role=User.Role.VIEWER)
    return user


def _sums(targets: list[dict]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for target in targets:
        for milestone in target["milestones"]:
            totals[milestone["due_on"]] += milestone["value"]
    return dict(totals)


def _milestone(target: dict, due_on: str) -> float:
    return next(m["value"] for m in target["milestones"] if m["due_on"] == due_on)


# ------------------------------------------------------------------------------------------ registries


@pytest.mark.django_db
def test_indicators_and_measures(admin_client):
    indicators = {i["code"]: i for i in admin_client.get("/api/v1/indicators").json()}
    measures = {m["code"]: m for m in admin_client.get("/api/v1/measures").json()}

    assert indicators["bhyt.coverage"] == {
        "code": "bhyt.coverage", "label": "Tỷ lệ bao phủ BHYT", "kind": "rate", "unit": "%",
        "numerator": ["bhyt.participants"], "denominator": ["population"], "headline": True,
    }
    assert indicators["bhyt.participants"]["kind"] == "count"
    assert measures["bhyt.participants"]["bounded_by"] == "population"


# --------------------------------------------------------------------------------------------- plans


@pytest.mark.django_db
def test_plans_are_listed_for_the_province_and_its_communes(client, plan, commune_editor):
    for user in ("tinh", "xa-31135"):
        answer = client.get("/api/v1/plans", headers=_bearer(user))
        assert [p["number"] for p in answer.json()] == ["53/KH-UBND"]
    detail = client.get(f"/api/v1/plans/{plan.pk}", headers=_bearer("xa-31135")).json()
    assert detail["scope_unit"] == "92"
    assert detail["year"] == 2025


@pytest.mark.django_db
def test_plan_of_another_province_is_hidden_and_403(admin_client):
    hanoi = OrgUnit.objects.get(code="01", valid_to__isnull=True)
    other = Plan.objects.create(number="1/KH-UBND", title="Hà Nội", issuer="UBND", issued_on="2025-01-02", scope_unit=hanoi, year=2025)

    assert "1/KH-UBND" not in {p["number"] for p in admin_client.get("/api/v1/plans").json()}
    assert admin_client.get(f"/api/v1/plans/{other.pk}").status_code == 403
    assert admin_client.get(f"/api/v1/plans/{other.pk}/targets").status_code == 403
    assert admin_client.get("/api/v1/plans/999999").status_code == 404


@pytest.mark.django_db
def test_province_targets_with_milestones(admin_client, plan):
    answer = admin_client.get(f"/api/v1/plans/{plan.pk}/targets", {"unit": "92", "indicator": "bhyt.participants"})

    body = answer.json()
    assert body["count"] == 1
    target = body["items"][0]
    assert (target["unit"], target["indicator"], target["source"]) == ("92", "bhyt.participants", "plan")
    assert [(m["due_on"], m["value"]) for m in target["milestones"]] == [(d, PROVINCE_PERSONS) for d in DEADLINES]


@pytest.mark.django_db
def test_commune_editor_sees_only_their_own_targets(client, plan):
    answer = client.get(f"/api/v1/plans/{plan.pk}/targets", headers=_bearer("xa-31135")).json()

    assert answer["count"] == 8
    assert {t["unit"] for t in answer["items"]} == {"31135"}
    assert client.get(f"/api/v1/plans/{plan.pk}/targets", {"unit": "92"}, headers=_bearer("xa-31135")).status_code == 403


# ---------------------------------------------------------------------------------------- attainment


@pytest.mark.django_db
def test_province_attainment_for_2025(admin_client):
    answer = admin_client.get("/api/v1/attainment", {"unit": "92", "period": "2025"})

    rows = {r["indicator"]: r for r in answer.json()}
    assert answer.status_code == 200
    assert rows["bhyt.participants"]["target"] == PROVINCE_PERSONS
    assert isinstance(rows["bhyt.participants"]["target"], int)  # persons are whole numbers in the JSON too
    assert rows["bhyt.participants"]["milestone"] == "2025-12-20"
    assert rows["bhyt.participants"]["data_month"] == "2025-10"
    assert rows["bhyt.participants"]["actual"] == rows["bhyt.participants"]["numerator"] > 0
    assert rows["bhyt.coverage"]["target"] == 96.11
    assert rows["bhyt.coverage"]["unit"] == "%"
    assert {p["due_on"] for p in rows["bhyt.coverage"]["projections"]} == set(DEADLINES)


@pytest.mark.django_db
def test_children_attainment_splits_the_province_target(admin_client):
    answer = admin_client.get(
        "/api/v1/attainment", {"unit": "92", "period": "2025", "indicator": "bhyt.participants", "children": "true"}
    )

    rows = answer.json()
    assert len(rows) == 103
    assert sum(r["target"] for r in rows) == PROVINCE_PERSONS
    assert {r["rank_of"] for r in rows if r["rank"]} == {103}
    assert rows[0]["rank"] == 1


@pytest.mark.django_db
def test_monthly_attainment_of_a_commune(client):
    rows = client.get("/api/v1/attainment", {"period": "2025-10"}, headers=_bearer("xa-31135")).json()

    assert {r["unit_code"] for r in rows} == {"31135"}  # the caller's own unit by default
    assert {r["period"] for r in rows} == {"2025-10"}
    assert "bhyt.coverage" in {r["indicator"] for r in rows}


@pytest.mark.django_db
def test_commune_editor_gets_403_for_the_province_and_another_commune(client):
    neighbour = OrgUnit.objects.filter(parent__code="92").exclude(code="31135").first()
    headers = _bearer("xa-31135")

    for code in ("92", neighbour.code):
        answer = client.get("/api/v1/attainment", {"unit": code, "period": "2025"}, headers=headers)
        assert answer.status_code == 403
        assert "ngoài phạm vi" in answer.json()["detail"]


@pytest.mark.django_db
def test_bad_period_and_unknown_indicator(admin_client):
    period = admin_client.get("/api/v1/attainment", {"unit": "92", "period": "2025-13"})
    indicator = admin_client.get("/api/v1/attainment", {"unit": "92", "indicator": "bhyt.nothing"})

    assert period.status_code == 422
    assert "YYYY-MM" in period.json()["detail"]
    assert indicator.status_code == 404


# --------------------------------------------------------------------------------- allocate, override


@pytest.mark.django_db
def test_allocate_keeps_the_province_total(admin_client, plan, admin_user):
    body = {"indicator": "bhyt.participants", "parent": "92", "method": "gap"}

    answer = admin_client.post(f"/api/v1/plans/{plan.pk}/allocate", body, content_type="application/json")

    targets = answer.json()
    assert answer.status_code == 200
    assert len(targets) == 103
    assert {t["method"] for t in targets} == {"gap"}
    assert _sums(targets) == {d: PROVINCE_PERSONS for d in DEADLINES}
    assert AuditEvent.objects.filter(action="target.allocate", actor=admin_user, detail__method="gap").exists()


@pytest.mark.django_db
def test_allocate_with_a_bad_method_is_422(admin_client, plan):
    body = {"indicator": "bhyt.participants", "parent": "92", "method": "lottery"}

    assert admin_client.post(f"/api/v1/plans/{plan.pk}/allocate", body, content_type="application/json").status_code == 422


@pytest.mark.django_db
def test_override_rebalances_the_siblings(admin_client, plan, admin_user):
    target = plan.targets.get(unit__code="31135", indicator="bhyt.participants")
    before = {m.due_on.isoformat(): int(m.value) for m in target.milestones.all()}

    answer = admin_client.post(
        f"/api/v1/targets/{target.pk}/override", {"value": before["2025-12-20"] + 500, "due_on": "2025-12-20"},
        content_type="application/json",
    )

    targets = answer.json()
    mine = next(t for t in targets if t["unit"] == "31135")
    assert answer.status_code == 200
    assert len(targets) == 103
    assert _milestone(mine, "2025-12-20") == before["2025-12-20"] + 500
    assert _milestone(mine, "2025-11-30") == before["2025-11-30"]
    assert _sums(targets) == {d: PROVINCE_PERSONS for d in DEADLINES}
    assert AuditEvent.objects.filter(action="target.override", actor=admin_user, object_id=str(target.pk)).exists()


@pytest.mark.django_db
def test_locked_target_survives_a_new_split(admin_client, plan):
    target = plan.targets.get(unit__code="31135", indicator="bhyt.participants")
    kept = {m.due_on.isoformat(): float(m.value) for m in target.milestones.all()}

    locked = admin_client.post(f"/api/v1/targets/{target.pk}/lock", {"locked": True}, content_type="application/json")
    split = admin_client.post(
        f"/api/v1/plans/{plan.pk}/allocate", {"indicator": "bhyt.participants", "parent": "92", "method": "growth"},
        content_type="application/json",
    ).json()

    assert locked.status_code == 200
    assert locked.json()["locked"] is True
    assert AuditEvent.objects.filter(action="target.lock", object_id=str(target.pk)).exists()
    mine = next(t for t in split if t["unit"] == "31135")
    assert {d: _milestone(mine, d) for d in DEADLINES} == kept
    assert _sums(split) == {d: PROVINCE_PERSONS for d in DEADLINES}


@pytest.mark.django_db
def test_commune_editor_cannot_touch_another_communes_target(client, plan):
    other = plan.targets.exclude(unit__code="31135").filter(indicator="bhyt.participants", unit__parent__code="92").first()
    headers = _bearer("xa-31135")

    override = client.post(f"/api/v1/targets/{other.pk}/override", {"value": 1}, content_type="application/json", headers=headers)
    lock = client.post(f"/api/v1/targets/{other.pk}/lock", {"locked": True}, content_type="application/json", headers=headers)

    assert (override.status_code, lock.status_code) == (403, 403)
    assert client.post("/api/v1/targets/99999999/lock", {"locked": True}, content_type="application/json", headers=headers).status_code == 404


@pytest.mark.django_db
def test_viewer_cannot_write(client, plan, viewer):
    client.force_login(viewer)
    target = plan.targets.get(unit__code="31135", indicator="bhyt.participants")
    actuals = Actual.objects.count()
    audit_rows = AuditEvent.objects.count()

    allocate = client.post(
        f"/api/v1/plans/{plan.pk}/allocate", {"indicator": "bhyt.participants", "parent": "92", "method": "gap"},
        content_type="application/json",
    )
    override = client.post(f"/api/v1/targets/{target.pk}/override", {"value": 1}, content_type="application/json")
    lock = client.post(f"/api/v1/targets/{target.pk}/lock", {"locked": True}, content_type="application/json")
    upload = client.post("/api/v1/actuals/import", {"file": _csv("31135,2025-11,population,28500\n")})

    assert (allocate.status_code, override.status_code, lock.status_code) == (403, 403, 403)
    assert allocate.json()["detail"] == "Tài khoản của bạn chỉ có quyền xem."
    assert upload.status_code == 403 and "chỉ có quyền xem" in upload.json()["detail"]  # refused before reading
    assert Actual.objects.count() == actuals
    assert AuditEvent.objects.count() == audit_rows
    assert not Target.objects.filter(pk=target.pk, locked=True).exists()
    assert client.get("/api/v1/attainment", {"unit": "92", "period": "2025"}).status_code == 200  # reading is fine


# ------------------------------------------------------------------------------------------- imports


def _csv(rows: str, name: str = "thang11.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("unit_code,period,measure,value\n" + rows).encode(), content_type="text/csv")


GOOD_ROWS = "31135,2025-11,population,28500\n31135,2025-11,bhyt.participants,27000\n"


@pytest.mark.django_db
def test_import_with_one_bad_row_saves_nothing(client):
    actuals, batches = Actual.objects.count(), ImportBatch.objects.count()

    answer = client.post(
        "/api/v1/actuals/import", {"file": _csv(GOOD_ROWS + "31135,2025-11,bhyt.unknown,5\n")}, headers=_bearer("tinh")
    )

    assert answer.status_code == 422
    body = answer.json()
    assert "không có dữ liệu nào được lưu" in body["detail"]
    assert body["errors"] == [{"line": 4, "field": "measure", "message": "không có chỉ số cơ sở “bhyt.unknown”"}]
    assert Actual.objects.count() == actuals
    assert ImportBatch.objects.count() == batches


@pytest.mark.django_db
def test_import_lists_every_bad_row(client):
    rows = "31135,2025-11,population,-3\n92,2025-11,population,5\n31135,2025-11,bhyt.participants,27000\n"

    body = client.post("/api/v1/actuals/import", {"file": _csv(rows)}, headers=_bearer("tinh")).json()

    assert [(e["line"], e["field"]) for e in body["errors"]] == [(2, "value"), (3, "unit_code")]


@pytest.mark.django_db
def test_dry_run_saves_nothing(client):
    actuals = Actual.objects.count()

    answer = client.post("/api/v1/actuals/import", {"file": _csv(GOOD_ROWS), "dry_run": "true"}, headers=_bearer("tinh"))

    assert answer.status_code == 200
    assert answer.json() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "dry_run": True, "batch_id": None}
    assert Actual.objects.count() == actuals


@pytest.mark.django_db
def test_import_saves_and_a_second_time_changes_nothing(client, admin_user):
    actuals = Actual.objects.count()
    headers = _bearer("xa-31135")

    first = client.post("/api/v1/actuals/import", {"file": _csv(GOOD_ROWS)}, headers=headers).json()
    again = client.post("/api/v1/actuals/import", {"file": _csv(GOOD_ROWS)}, headers=headers).json()

    assert (first["created"], first["dry_run"]) == (2, False)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert Actual.objects.count() == actuals + 2
    assert Actual.objects.get(unit__code="31135", period="2025-11-01", measure="bhyt.participants").value == 27000
    assert AuditEvent.objects.filter(action="actuals.import", actor__username="xa-31135", object_id=str(first["batch_id"])).exists()


@pytest.mark.django_db
def test_commune_editor_cannot_import_for_another_commune(client):
    neighbour = OrgUnit.objects.filter(parent__code="92").exclude(code="31135").first()
    actuals = Actual.objects.count()

    answer = client.post(
        "/api/v1/actuals/import", {"file": _csv(f"{neighbour.code},2025-11,population,100\n")}, headers=_bearer("xa-31135")
    )

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "unit_code"
    assert Actual.objects.count() == actuals


# -------------------------------------------------------------------------------------------- errors


@pytest.mark.django_db
def test_unexpected_error_is_a_500_without_trace(admin_client, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "plans_visible", broken)

    answer = admin_client.get("/api/v1/plans")

    assert answer.status_code == 500
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    assert "secret" not in answer.content.decode()
    assert "Traceback" not in answer.content.decode()
    assert "secret internals" in caplog.text  # logged for us
