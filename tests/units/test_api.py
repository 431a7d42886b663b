"""/api/v1/units: every answer is limited to the caller's scope (the 2025 units, as loaded by the demo)."""

from __future__ import annotations

import pytest

from ansinh.accounts.models import User
from ansinh.units.models import OrgUnit




@pytest.mark.django_db
def test_province_admin_lists_its_province_and_103_communes(admin_client):
    answer = admin_client.get("/api/v1/units", {"limit": 500})

    body = answer.json()
    assert answer.status_code == 200
    assert body["count"] == 104
    assert body["items"][0] == {
        "code": "92", "name": "Thành phố Cần Thơ", "kind": "province", "division_type": body["items"][0]["division_type"],
        "parent": None, "path": "/92/", "valid_from": "2025-07-01", "valid_to": None,
    }
    assert {u["parent"] for u in body["items"][1:]} == {"92"}


@pytest.mark.django_db
def test_filters_by_parent_and_kind_with_limit_and_offset(admin_client):
    first = admin_client.get("/api/v1/units", {"parent": "92", "kind": "commune", "limit": 10}).json()
    second = admin_client.get("/api/v1/units", {"parent": "92", "kind": "commune", "limit": 10, "offset": 10}).json()

    assert first["count"] == second["count"] == 103
    assert len(first["items"]) == len(second["items"]) == 10
    assert not {u["code"] for u in first["items"]} & {u["code"] for u in second["items"]}
    assert admin_client.get("/api/v1/units", {"kind": "province"}).json()["count"] == 1


@pytest.mark.django_db
def test_unknown_kind_is_422(admin_client):
    assert admin_client.get("/api/v1/units", {"kind": "planet"}).status_code == 422


@pytest.mark.django_db
def test_superuser_without_unit_sees_the_whole_country(client):
    root = User.objects.create_superuser("quan-tri", password="another-password-1")
    client.force_login(root)

    assert client.get("/api/v1/units", {"kind": "province"}).json()["count"] == 34
    assert client.get("/api/v1/units", {"kind": "commune", "limit": 1}).json()["count"] == 3321


@pytest.mark.django_db
def test_commune_editor_sees_only_their_commune(editor_client):
    body = editor_client.get("/api/v1/units").json()

    assert [u["code"] for u in body["items"]] == ["31135"]
    assert body["items"][0]["parent"] == "92"


@pytest.mark.django_db
def test_unit_detail_and_children(admin_client):
    unit = admin_client.get("/api/v1/units/31135")
    children = admin_client.get("/api/v1/units/92/children")

    assert unit.status_code == 200
    assert unit.json()["kind"] == "commune"
    assert unit.json()["parent"] == "92"
    assert children.status_code == 200
    assert len(children.json()) == 103
    assert "31135" in {u["code"] for u in children.json()}


@pytest.mark.django_db
def test_units_outside_the_scope_are_403_and_unknown_ones_404(admin_client, editor_client):
    hanoi = admin_client.get("/api/v1/units/01")
    assert hanoi.status_code == 403
    assert "ngoài phạm vi" in hanoi.json()["detail"]
    assert admin_client.get("/api/v1/units/01/children").status_code == 403
    assert admin_client.get("/api/v1/units", {"parent": "01"}).status_code == 403
    missing = admin_client.get("/api/v1/units/99999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Không có đơn vị mã “99999”.", "errors": []}


@pytest.mark.django_db
def test_commune_editor_cannot_read_the_province_or_another_commune(editor_client):
    neighbour = OrgUnit.objects.filter(parent__code="92", kind="commune").exclude(code="31135").first()

    assert editor_client.get("/api/v1/units/92").status_code == 403
    assert editor_client.get("/api/v1/units/92/children").status_code == 403
    assert editor_client.get(f"/api/v1/units/{neighbour.code}").status_code == 403
    assert editor_client.get("/api/v1/units/31135").status_code == 200
