"""The lists for action on the tiny Ninh Kiều extract (tests/coverage/conftest.py): who, masked, scoped."""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.coverage.selectors import commune_villages, list_all, list_page
from tests.coverage.conftest import AS_OF, NINH_KIEU


def test_households_with_uninsured_members_name_who_is_missing(person_data, commune_editor):
    page = list_page(actor=commune_editor, kind="households", code=NINH_KIEU)
    assert page.day == AS_OF
    assert page.total == 2
    h1, h3 = page.rows
    assert (h1["household_id"], h1["village"], h1["members"], h1["uninsured"]) == ("H1", "Khu vực 1", 3, 1)
    assert [m["full_name"] for m in h1["missing"]] == ["Trần Thị Bình"]
    assert h1["missing"][0]["id_masked"] == "0920******02"
    assert h1["missing"][0]["gender"] == "Nữ" and h1["missing"][0]["age"] == 33
    assert (h3["household_id"], h3["members"], h3["uninsured"]) == ("H3", 1, 1)


def test_a_later_day_finds_the_cards_that_lapsed_meanwhile(person_data, commune_editor):
    page = list_page(actor=commune_editor, kind="households", code=NINH_KIEU, day=date(2025, 11, 16))
    assert [h["household_id"] for h in page.rows] == ["H1", "H2", "H3"]
    assert [m["full_name"] for m in page.rows[1]["missing"]] == ["Lê Văn Dũng"]  # Hoa's card was renewed


def test_village_filter_and_pagination(person_data, commune_editor):
    page = list_page(actor=commune_editor, kind="households", code=NINH_KIEU, village="Khu vực 2")
    assert [h["household_id"] for h in page.rows] == ["H3"]
    first = list_page(actor=commune_editor, kind="households", code=NINH_KIEU, per_page=1)
    second = list_page(actor=commune_editor, kind="households", code=NINH_KIEU, per_page=1, page=2)
    assert (first.pages, first.rows[0]["household_id"], second.rows[0]["household_id"]) == (2, "H1", "H3")
    assert commune_villages(actor=commune_editor, code=NINH_KIEU) == ["Khu vực 1", "Khu vực 2"]


def test_cards_expiring_leave_out_renewed_ones(person_data, commune_editor):
    page = list_page(actor=commune_editor, kind="expiring", code=NINH_KIEU, days=30)
    assert [(r["full_name"], r["valid_to"], r["days_left"], r["bhyt_group"]) for r in page.rows] == [
        ("Lê Văn Dũng", date(2025, 11, 15), 15, "5"),
    ]
    assert list_page(actor=commune_editor, kind="expiring", code=NINH_KIEU, days=10).total == 0


def test_voluntary_participants_who_stopped_paying(person_data, commune_editor):
    page = list_page(actor=commune_editor, kind="lapsed", code=NINH_KIEU)
    assert [(r["full_name"], r["last_month"], r["months_since"]) for r in page.rows] == [
        ("Phạm Văn Giang", date(2025, 6, 1), 4),
    ]


def test_lists_stay_inside_the_users_scope(person_data, commune_editor, admin_user):
    with pytest.raises(PermissionDenied):
        list_page(actor=commune_editor, kind="households", code="31120")
    assert list_page(actor=admin_user, kind="households", code="31120").total == 1
    with pytest.raises(ValidationFailed):
        list_page(actor=admin_user, kind="households", code="92")  # a province is not a commune


def test_list_all_gathers_every_page(person_data, commune_editor):
    assert [h["household_id"] for h in list_all(actor=commune_editor, kind="households", code=NINH_KIEU).rows] == ["H1", "H3"]
