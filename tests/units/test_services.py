"""The official 2025 units, units below a commune, and formatting the way officials write numbers."""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.audit.models import AuditEvent
from ansinh.core.errors import ValidationFailed
from ansinh.core.formatting import format_date, format_int, format_percent
from ansinh.units.models import OrgUnit
from ansinh.core.periods import Period
from ansinh.units.services import unit_add, units_load_official


@pytest.mark.django_db
def test_official_units_are_loaded_once(operator):
    current = OrgUnit.objects.filter(valid_to__isnull=True)
    assert current.filter(kind="province").count() == 34
    assert current.filter(kind="commune").count() == 3321
    assert current.filter(kind="commune", parent__code="92").count() == 103
    assert OrgUnit.objects.get(code="31135").name == "Phường Ninh Kiều"
    assert units_load_official(actor=operator) == {"provinces": 0, "communes": 0}
    assert current.count() == 34 + 3321
    assert AuditEvent.objects.filter(action="units.load_official").latest("pk").actor == operator


@pytest.mark.django_db
def test_units_below_a_commune(admin_user):
    commune = OrgUnit.objects.get(code="31135")
    org = unit_add(actor=admin_user, parent=commune, code="TDV01", name="Bưu điện Ninh Kiều", kind="collection_org")
    agent = unit_add(actor=admin_user, parent=org, code="NV01", name="Nhân viên thu 1", kind="agent")
    assert agent.is_within(commune) and agent.path.startswith("/92/31135/")
    with pytest.raises(ValidationFailed):
        unit_add(actor=admin_user, parent=commune, code="X", name="Huyện?", kind="district")
    with pytest.raises(ValidationFailed, match="đã tồn tại"):
        unit_add(actor=admin_user, parent=commune, code="TDV01", name="Trùng", kind="collection_org")
    with pytest.raises(ValidationFailed, match="không hợp lệ"):
        unit_add(actor=admin_user, parent=commune, code="Y", name="?", kind="hamlet")


@pytest.mark.django_db
def test_only_editors_in_scope_add_units(commune_editor):
    from ansinh.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        unit_add(actor=commune_editor, parent=OrgUnit.objects.get(code="31120"), code="KV1", name="Khu vực 1", kind="village")
    village = unit_add(actor=commune_editor, parent=OrgUnit.objects.get(code="31135"), code="KV1", name="Khu vực 1", kind="village")
    assert village.parent.code == "31135"


def test_numbers_dates_and_periods_as_officials_write_them():
    assert format_int(3095954) == "3.095.954"
    assert format_percent(96.11) == "96,11%"
    assert format_percent(100) == "100,00%"
    assert format_date(date(2025, 8, 27)) == "27/08/2025"
    assert Period.parse("2025").is_year and Period.parse("2025").end == date(2025, 12, 31)
    assert Period.parse("2025-02").end == date(2025, 2, 28)
    with pytest.raises(ValidationFailed):
        Period.parse("2025-13")


def test_the_interface_is_vietnamese_whatever_the_browser_asks(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200
    assert "Tổng quan" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Overview" in client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
