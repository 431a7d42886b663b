"""The commune's lists for action in the browser (tiny Ninh Kiều extract, tests/coverage/conftest.py).

Who is listed (real names, masked IDs, never a full ID), the filters as a plain form and as an htmx partial,
scope, friendly errors, the page before any person-level data, and the audited Excel download.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ansinh.audit.models import AuditEvent
from ansinh.coverage.exports import HEADER_ROW
from tests.coverage.conftest import NINH_KIEU
from tests.coverage.factories import pid

pytestmark = pytest.mark.django_db

PAGE = f"/coverage/{NINH_KIEU}/"
TABLE = f"/coverage/{NINH_KIEU}/table/"
EXPORT = f"/coverage/{NINH_KIEU}/export.xlsx"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _html(client, url: str = PAGE, status: int = 200, **params) -> str:
    response = client.get(url, params, **params.pop("headers", {}))
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def _households(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-household="')[1:]]


def _no_full_id(html: str) -> None:
    assert [pid(n) for n in range(1, 8) if pid(n) in html] == []


def test_the_pages_need_a_login(client):
    for url in [PAGE, TABLE, EXPORT]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_households_list_names_who_is_missing_with_masked_ids(person_data, editor_client):
    html = _html(editor_client)
    assert "Phường Ninh Kiều" in html and "Danh sách cần vận động" in html
    assert "Dữ liệu cá nhân đến ngày <strong>31/10/2025</strong>" in html
    assert 'name="day" value="31/10/2025"' in html  # the day field starts on the extract's day
    assert '<strong class="count">2 hộ</strong>' in html
    assert _households(html) == ["H1", "H3"]
    assert "Trần Thị Bình" in html and "0920******02" in html and "1992" in html
    assert "Phạm Văn Giang" in html and "0920******06" in html
    assert "1/3 người chưa có thẻ BHYT" in html
    for insured_or_elsewhere in ("Nguyễn Văn An", "Nguyễn Minh Châu", "Lê Thị Hoa", "Võ Văn Khoa"):
        assert insured_or_elsewhere not in html
    _no_full_id(html)
    assert '<option value="Khu vực 1">' in html and '<option value="Khu vực 2">' in html  # the village filter
    assert f'href="{EXPORT}?kind=households&amp;day=2025-10-31&amp;days=30"' in html


def test_village_filter(person_data, editor_client):
    html = _html(editor_client, kind="households", village="Khu vực 2")
    assert _households(html) == ["H3"]
    assert '<option value="Khu vực 2" selected>' in html and '<strong class="count">1 hộ</strong>' in html
    assert "Trần Thị Bình" not in html and "village=Khu+v%E1%BB%B1c+2" in html  # the export keeps the village


def test_pagination_with_plain_links_and_htmx(person_data, editor_client):
    first = _html(editor_client, per_page="1")
    assert _households(first) == ["H1"] and "Trang 1/2" in first and "Hiển thị 1–1 / 2" in first
    next_query = "kind=households&amp;day=2025-10-31&amp;days=30&amp;per_page=1&amp;page=2"
    assert f'href="{PAGE}?{next_query}"' in first and f'hx-get="{TABLE}?{next_query}"' in first
    second = _html(editor_client, per_page="1", page="2")
    assert _households(second) == ["H3"] and "Trang 2/2" in second and 'rel="prev"' in second
    partial = _html(editor_client, TABLE, per_page="1", page="2", headers=HTMX)
    assert "<html" not in partial and _households(partial) == ["H3"]
    beyond = _html(editor_client, page="9")
    assert "Trang 9 không có dòng nào" in beyond


def test_expiring_cards_within_the_chosen_days(person_data, editor_client):
    html = _html(editor_client, kind="expiring")
    assert "Lê Văn Dũng" in html and "0920******04" in html and "15/11/2025" in html
    assert "Lê Thị Hoa" not in html  # her card was renewed
    assert "hết hạn trong 30 ngày tới (đến 30/11/2025)" in html and '<strong class="count">1 người</strong>' in html
    assert '<input type="radio" name="kind" value="expiring" checked>' in html
    _no_full_id(html)
    none = _html(editor_client, kind="expiring", days="10")
    assert "Lê Văn Dũng" not in none
    assert "Không có thẻ BHYT nào hết hạn từ 31/10/2025 đến 10/11/2025 mà chưa có thẻ nối tiếp." in none
    assert 'id="export-xlsx"' not in none  # nothing to export


def test_lapsed_voluntary_and_a_later_day(person_data, editor_client):
    lapsed = _html(editor_client, kind="lapsed")
    assert "Phạm Văn Giang" in lapsed and "06/2025" in lapsed
    later = _html(editor_client, day="16/11/2025")  # typed the Vietnamese way
    assert _households(later) == ["H1", "H2", "H3"] and "Lê Văn Dũng" in later
    assert _households(_html(editor_client, day="2025-11-16")) == ["H1", "H2", "H3"]


def test_the_htmx_partial_swaps_the_table_and_moves_the_address_bar(person_data, editor_client):
    response = editor_client.get(TABLE, {"kind": "expiring", "village": "Khu vực 2"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and html.lstrip().startswith('<div id="lists"')
    assert "Lê Văn Dũng" in html
    assert response["HX-Push-Url"] == f"{PAGE}?kind=expiring&day=2025-10-31&village=Khu+v%E1%BB%B1c+2&days=30"
    page = _html(editor_client)
    assert f'hx-get="{TABLE}"' in page and 'hx-target="#lists-region"' in page
    assert f'<form id="list-filters" class="list-filters" method="get" action="{PAGE}"' in page  # works without JS


def test_another_commune_is_forbidden_to_the_commune_editor(person_data, editor_client):
    for url in ["/coverage/31120/", "/coverage/31120/table/", "/coverage/31120/export.xlsx"]:
        html = _html(editor_client, url, status=403)
        assert "ngoài phạm vi" in html and "Võ Văn Khoa" not in html and "Traceback" not in html
    fragment = _html(editor_client, "/coverage/31120/table/", status=403, headers=HTMX)
    assert "<html" not in fragment and "Không có quyền truy cập" in fragment


def test_the_province_sees_every_commune_but_a_province_itself_is_refused_with_a_message(person_data, admin_client):
    assert "Võ Văn Khoa" in _html(admin_client, "/coverage/31120/")
    province = _html(admin_client, "/coverage/92/", status=422)
    assert "không phải cấp xã" in province and "Traceback" not in province
    assert "Không có đơn vị mã" in _html(admin_client, "/coverage/00000/", status=404)


def test_bad_filters_are_explained(person_data, editor_client):
    assert "Số ngày phải từ 1 đến 366" in _html(editor_client, kind="expiring", days="0", status=422)
    assert "không phải số nguyên dương" in _html(editor_client, days="ba mươi", status=422)
    assert "không hợp lệ" in _html(editor_client, day="31-10-2025", status=422)
    assert "Không có danh sách" in _html(editor_client, kind="tat-ca", status=422)


def test_before_any_person_level_data_the_page_says_so(settings, tmp_path, editor_client):
    settings.DATA_DIR = tmp_path  # an empty data directory: no manifest.json
    html = _html(editor_client)
    assert "Chưa có dữ liệu cá nhân để lập danh sách." in html and "Phường Ninh Kiều" in html
    assert 'id="export-xlsx"' not in html and "Traceback" not in html and str(tmp_path) not in html
    assert "Chưa có dữ liệu cá nhân" in _html(editor_client, TABLE, headers=HTMX)
    export = editor_client.get(EXPORT)
    assert export.status_code == 302 and export["Location"] == PAGE
    assert _html(editor_client, "/coverage/31120/", status=403)  # scope first, even without data


def test_export_is_the_whole_list_as_xlsx_with_masked_ids_and_is_audited(person_data, editor_client, commune_editor):
    before = AuditEvent.objects.filter(action="export.coverage_list").count()
    response = editor_client.get(EXPORT, {"kind": "households", "day": "2025-10-31", "days": "30"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="ds-ho-chua-bhyt-31135-2025-10-31.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row[:7] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert rows == [
        (1, "H1", "Khu vực 1", 3, 1, "Trần Thị Bình", "0920******02"),
        (2, "H3", "Khu vực 2", 1, 1, "Phạm Văn Giang", "0920******06"),
    ]
    cells = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    _no_full_id(cells)
    event = AuditEvent.objects.filter(action="export.coverage_list").first()
    assert AuditEvent.objects.filter(action="export.coverage_list").count() == before + 1
    assert event.actor == commune_editor and event.object_id == str(commune_editor.org_unit.pk)
    assert event.detail == {"kind": "households", "day": "2025-10-31", "village": None, "rows": 2}


def test_export_of_a_village_of_the_expiring_list(person_data, editor_client):
    response = editor_client.get(EXPORT, {"kind": "expiring", "village": "Khu vực 2", "days": "20"})
    assert response["Content-Disposition"] == 'attachment; filename="ds-the-bhyt-sap-het-han-20-ngay-31135-khu-vuc-2-2025-10-31.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1:3] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)] == [("Lê Văn Dũng", "0920******04")]


def test_the_commune_dashboard_links_to_the_lists(editor_client):
    commune = _html(editor_client, "/units/31135/")
    assert f'id="coverage-lists-link" href="{PAGE}"' in commune


def test_each_commune_of_the_province_table_links_to_its_lists(admin_client):
    province = _html(admin_client, "/units/92/")
    assert 'id="coverage-lists-link"' not in province  # a province has no list of its own …
    assert f'href="{PAGE}"' in province  # … but each commune row of its table links to the commune's
    assert province.count('href="/coverage/') == 103


def test_the_page_in_english_keeps_vietnamese_numbers_and_dates(person_data, editor_client):
    editor_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = _html(editor_client)
    assert "Lists for action" in html and "Households with members lacking health insurance (BHYT)" in html
    assert "Female" in html and "2 households" in html and "31/10/2025" in html
    assert "Danh sách cần vận động" not in html


def test_every_list_label_has_an_english_translation():
    """Labels from Python (list titles, genders, BHYT groups) are listed in templates/coverage/_msgids.html."""
    from django.utils import translation

    from ansinh.coverage.selectors import LISTS
    from ansinh.targets.indicators import BHYT_GROUPS

    labels = [spec.title for spec in LISTS.values()] + list(BHYT_GROUPS.values()) + ["Nam", "Nữ"]
    with translation.override("en"):
        assert [label for label in labels if translation.gettext(label) == label] == []
