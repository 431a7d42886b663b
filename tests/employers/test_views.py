"""The employer pages in the browser's place (Django's test client): the arrears dashboard, a commune's
worklist and its status changes, one unit's page.

Scope (a commune editor sees their commune only), the audit row of every status change, refused changes
explained in Vietnamese and changing nothing, htmx partials and plain forms, numbers written 1.234.567.
A tiny employer dataset (three units, a few ledger rows) is written to a temporary data directory.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest
from django.urls import reverse

from ansinh.audit.models import AuditEvent
from ansinh.accounts.models import User
from ansinh.core.formatting import format_int, format_percent
from ansinh.units.models import OrgUnit
from ansinh.core.periods import add_months, month_end
from ansinh.employers import selectors, storage
from ansinh.employers.models import DemandLetter, MatchDecision, WorkItem

pytestmark = pytest.mark.django_db

NINH_KIEU, CAI_KHE = "31135", "31120"
AS_OF = date(2025, 10, 31)
HTMX = {"HTTP_HX_REQUEST": "true"}
MEKONG_DUE = 45_360_000  # a month's contributions of Mekong Xanh's 48 workers


# ------------------------------------------------------------------------------------------- fixtures


def _units() -> pa.Table:
    rows = [
        ("TA0001A", "1801234567", "Công ty TNHH Thủy sản Mekong Xanh", "45 Trần Hưng Đạo", NINH_KIEU, "Thủy sản", "Công ty TNHH", 48, "active"),
        ("TB0002B", None, "Hộ kinh doanh Nhà hàng Sông Hậu", "12 Hai Bà Trưng", CAI_KHE, "Ăn uống", "Hộ kinh doanh", 9, "active"),
        ("TC0003C", "1800987654", "Công ty Phú Cường", "8 Ngô Quyền", NINH_KIEU, "Xây dựng", "Công ty cổ phần", 20, "active"),
    ]
    names = ["unit_code", "tax_code", "name", "address", "commune_code", "sector", "ownership", "workers", "status"]
    return pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})


def _ledger() -> pa.Table:
    """Mekong Xanh owes July (evasion by 31/10/2025), August (late) and September (not yet due);
    Sông Hậu owes August and September; Phú Cường pays every month on its deadline."""
    rows = []

    def due(unit: str, month: int, amount: int) -> None:
        rows.append((unit, date(2025, month, 1), amount, 0, None))

    def paid(unit: str, month: int, amount: int) -> None:  # on the month's deadline
        rows.append((unit, date(2025, month, 1), 0, amount, month_end(add_months(date(2025, month, 1), 1))))

    for month in range(1, 10):
        due("TA0001A", month, MEKONG_DUE)
        due("TC0003C", month, 10_000_000)
        paid("TC0003C", month, 10_000_000)
        if month <= 6:
            paid("TA0001A", month, MEKONG_DUE)
    for month in (8, 9):
        due("TB0002B", month, 8_640_000)
    names = ["unit_code", "period", "amount_due", "amount_paid", "paid_on"]
    return pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})


@pytest.fixture
def employer_data(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    storage.dataset_write("units", _units())
    storage.dataset_write("ledger", _ledger())
    return tmp_path


def _item(commune: str, kind: str, key: str, name: str, **fields) -> WorkItem:
    return WorkItem.objects.create(
        commune=OrgUnit.objects.get(code=commune, valid_to__isnull=True), kind=kind, key=key, name=name,
        first_found=date(2025, 10, 5), last_found=date(2025, 11, 5), **fields,
    )


@pytest.fixture
def items() -> dict[str, WorkItem]:
    return {
        "unregistered": _item(NINH_KIEU, "unregistered", "1801111111", "Công ty TNHH Gạo Ngon", tax_code="1801111111",
                              detail={"workers": 1_250, "sources": ["tax", "unions"]}),
        "under_declared": _item(NINH_KIEU, "under_declared", "TA0001A", "Công ty TNHH Thủy sản Mekong Xanh",
                                tax_code="1801234567", unit_code="TA0001A",
                                detail={"declared": 48, "outside": 60, "gap": 12, "by_source": {"tax": 60}}),
        "registered": _item(NINH_KIEU, "under_declared", "TC0003C", "Công ty Phú Cường", tax_code="1800987654",
                            unit_code="TC0003C", status=WorkItem.Status.REGISTERED, detail={"declared": 20, "outside": 22, "gap": 2}),
        "closed_active": _item(NINH_KIEU, "closed_active", "TD0004D", "Công ty Đã Giải Thể", tax_code="1805555555",
                               unit_code="TD0004D", detail={"tax_status": "dissolved", "tax_code": "1805555555"}),
        "uncertain": _item(NINH_KIEU, "uncertain", "tax:1809999999", "Cty Phu Cuong", tax_code="1809999999", unit_code="TC0003C",
                           detail={"source": "tax", "score": 87.0, "method": "fuzzy", "unit_name": "Công ty Phú Cường", "unit_tax_code": ""}),
        "elsewhere": _item(CAI_KHE, "unregistered", "1802222222", "Công ty Cái Khế Xanh", tax_code="1802222222",
                           detail={"workers": 7, "sources": ["tax"]}),
    }


def _html(client, url: str, expect: int = 200, **params) -> str:
    headers = params.pop("headers", {})
    response = client.get(url, params, **headers)
    assert response.status_code == expect, response.content.decode()[:3000]
    return response.content.decode()


def _worklist(code: str = NINH_KIEU) -> str:
    return reverse("employers:worklist", args=[code])


def _status_url(item: WorkItem) -> str:
    return reverse("employers:item_status", args=[item.pk])


# ------------------------------------------------------------------------------------- login and scope


def test_the_pages_need_a_login(client, items):
    for url in ["/employers/", "/employers/92/", _worklist(), "/employers/units/TA0001A/",
                _status_url(items["unregistered"])]:
        response = client.get(url) if "status" not in url else client.post(url, {"status": "contacted"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_employers_opens_on_the_users_own_unit(editor_client):
    response = editor_client.get("/employers/")
    assert response.status_code == 302 and response["Location"] == f"/employers/{NINH_KIEU}/"


def test_the_province_opens_on_the_province(admin_client):
    response = admin_client.get("/employers/")
    assert response.status_code == 302 and response["Location"] == "/employers/92/"


def test_the_navigation_links_to_the_employers(editor_client):
    html = _html(editor_client, "/")
    assert 'href="/employers/"' in html and "Đơn vị sử dụng lao động" in html


def test_a_commune_editor_is_refused_another_commune_and_its_units(editor_client, employer_data, items):
    for url in [f"/employers/{CAI_KHE}/", _worklist(CAI_KHE), f"{_worklist(CAI_KHE)}table/", "/employers/92/",
                "/employers/units/TB0002B/"]:
        html = _html(editor_client, url, expect=403)
        assert "ngoài phạm vi" in html and "Traceback" not in html, url
        assert "Công ty Cái Khế Xanh" not in html and "8.640.000" not in html
    fragment = _html(editor_client, f"{_worklist(CAI_KHE)}table/", expect=403, headers=HTMX)
    assert "<html" not in fragment and "Không có quyền truy cập" in fragment


def test_a_commune_editor_cannot_move_another_communes_item(editor_client, items):
    elsewhere = items["elsewhere"]
    response = editor_client.post(_status_url(elsewhere), {"status": "contacted"})
    assert response.status_code == 403 and "ngoài phạm vi" in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.status == WorkItem.Status.NEW
    assert not AuditEvent.objects.filter(action="employers.work_item.status", object_id=str(elsewhere.pk)).exists()


def test_unknown_units_are_not_found(admin_client, employer_data):
    assert "Không có đơn vị mã" in _html(admin_client, "/employers/00000/", expect=404)
    assert "Không có đơn vị mã “XX9999”" in _html(admin_client, "/employers/units/XX9999/", expect=404)


# ----------------------------------------------------------------------------------------- worklist


def test_the_editor_sees_the_communes_items_in_tabs_with_counts(editor_client, items):
    html = _html(editor_client, _worklist())
    assert "Danh sách việc cần làm: Phường Ninh Kiều" in html
    assert "5 việc đang mở" in html
    for kind, count in [("unregistered", 1), ("under_declared", 2), ("closed_active", 1), ("uncertain", 1)]:
        assert f'<b class="tab-count" data-kind="{kind}">{count}</b>' in html
    # The first kind with something to do is open: the unregistered enterprise, 1.250 workers on two lists.
    assert '<input type="radio" name="kind" value="unregistered" checked>' in html
    assert "Công ty TNHH Gạo Ngon" in html and "1.250 lao động, chưa có mã đơn vị tại BHXH" in html
    assert "Nguồn: Thuế, Công đoàn" in html
    assert "Công ty Cái Khế Xanh" not in html  # another commune's
    assert "Mekong Xanh" not in html  # another tab
    assert f'<form id="worklist-filters" class="list-filters" method="get" action="{_worklist()}"' in html  # works without JS


def test_each_kind_shows_what_was_found(editor_client, items):
    under = _html(editor_client, _worklist(), kind="under_declared")
    assert "Khai 48 lao động, danh sách ngoài có 60: <strong>thiếu 12</strong>" in under
    assert 'href="/employers/units/TA0001A/"' in under and "Công ty Phú Cường" in under
    closed = _html(editor_client, _worklist(), kind="closed_active")
    assert "Thuế: <strong>Đã giải thể, ngừng hoạt động</strong>" in closed
    uncertain = _html(editor_client, _worklist(), kind="uncertain")
    assert "Cty Phu Cuong" in uncertain and "<strong>Công ty Phú Cường</strong> (<code>TC0003C</code>)" in uncertain
    assert '<strong class="score">87</strong>/100 · tên gần giống · nguồn: Thuế' in uncertain
    assert "Đúng là đơn vị này" in uncertain and "Không phải đơn vị này" in uncertain
    assert 'name="status"' not in uncertain.split('id="worklist-region"')[1]  # no status form for a pair to confirm


def test_the_status_form_offers_only_the_allowed_moves(editor_client, items):
    html = _html(editor_client, _worklist(), kind="under_declared")
    row = html.split(f'id="item-{items["registered"].pk}"')[1].split("</tr>")[0]
    assert '<option value="contacted">Đã liên hệ</option>' in row  # registered → contacted only
    assert 'value="referred"' not in row and 'value="not_required"' not in row
    new_row = html.split(f'id="item-{items["under_declared"].pk}"')[1].split("</tr>")[0]
    assert [v for v in ("contacted", "registered", "not_required", "referred") if f'<option value="{v}">' in new_row] == [
        "contacted", "registered", "not_required", "referred"]
    assert 'name="csrfmiddlewaretoken"' in new_row


def test_status_filter_search_and_closed_items(editor_client, items):
    html = _html(editor_client, _worklist(), kind="under_declared", status="registered")
    assert "Công ty Phú Cường" in html and "Mekong Xanh" not in html
    assert '<option value="registered" selected>' in html
    found = _html(editor_client, _worklist(), kind="under_declared", q="1801234")
    assert "Mekong Xanh" in found and "Công ty Phú Cường" not in found
    assert "Không có việc nào khớp bộ lọc." in _html(editor_client, _worklist(), kind="under_declared", q="không có")
    WorkItem.objects.filter(pk=items["unregistered"].pk).update(open=False)
    assert "Gạo Ngon" not in _html(editor_client, _worklist(), kind="unregistered")
    closed = _html(editor_client, _worklist(), kind="unregistered", closed="1")
    assert "Gạo Ngon" in closed and "không còn phát hiện" in closed


def test_pagination_with_plain_links_and_htmx(editor_client, items):
    first = _html(editor_client, _worklist(), kind="under_declared", per_page="1")
    assert "Trang 1/2" in first and "Hiển thị 1–1 / 2" in first
    next_query = "kind=under_declared&amp;per_page=1&amp;page=2"
    assert f'href="{_worklist()}?{next_query}"' in first and f'hx-get="{_worklist()}table/?{next_query}"' in first
    response = editor_client.get(f"{_worklist()}table/", {"kind": "under_declared", "per_page": "1", "page": "2"}, **HTMX)
    partial = response.content.decode()
    assert response.status_code == 200 and "<html" not in partial and partial.lstrip().startswith('<div id="worklist"')
    assert "Trang 2/2" in partial and 'rel="prev"' in partial
    assert response["HX-Push-Url"] == f"{_worklist()}?kind=under_declared&per_page=1&page=2"


def test_bad_filters_are_explained(editor_client, items):
    assert "Không có loại việc “tat-ca”" in _html(editor_client, _worklist(), kind="tat-ca", expect=422)
    assert "Trạng thái “xong” không hợp lệ" in _html(editor_client, _worklist(), 422, status="xong")
    assert "không phải số nguyên dương" in _html(editor_client, _worklist(), 422, page="hai")


def test_the_province_sees_every_communes_items_with_their_commune(admin_client, items):
    html = _html(admin_client, _worklist("92"), kind="unregistered")
    assert "Công ty TNHH Gạo Ngon" in html and "Công ty Cái Khế Xanh" in html
    assert "<th>Xã/Phường</th>" in html and "Phường Cái Khế" in html


# ------------------------------------------------------------------------------------- status changes


def test_a_status_change_by_plain_form_is_saved_audited_and_goes_back(editor_client, commune_editor, items):
    item = items["under_declared"]
    back = f"{_worklist()}?kind=under_declared&status=new"
    response = editor_client.post(_status_url(item), {"status": "contacted", "note": "Đã gọi điện cho kế toán", "next": back})
    assert response.status_code == 302 and response["Location"] == f"{back}#item-{item.pk}"
    item.refresh_from_db()
    assert item.status == WorkItem.Status.CONTACTED and item.note == "Đã gọi điện cho kế toán"
    event = AuditEvent.objects.get(action="employers.work_item.status", object_id=str(item.pk))
    assert event.actor == commune_editor
    assert event.detail["before"] == "new" and event.detail["after"] == "contacted"


def test_a_status_change_never_redirects_off_site(editor_client, items):
    item = items["under_declared"]
    response = editor_client.post(_status_url(item), {"status": "contacted", "next": "https://example.com/"})
    assert response["Location"] == f"{_worklist()}?kind=under_declared#item-{item.pk}"


def test_a_status_change_by_htmx_swaps_the_row(editor_client, items):
    item = items["unregistered"]
    response = editor_client.post(_status_url(item), {"status": "referred", "note": "Chuyển Thanh tra", "next": _worklist()}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.strip().startswith(f'<tr id="item-{item.pk}"') and 'data-status="referred"' in html
    assert '<span class="badge work-referred">Đã chuyển cơ quan chức năng</span>' in html and "Chuyển Thanh tra" in html
    assert '<option value="registered">' in html and '<option value="contacted">' not in html  # referred's moves
    assert AuditEvent.objects.filter(action="employers.work_item.status", object_id=str(item.pk)).count() == 1


def test_a_disallowed_move_is_explained_and_changes_nothing(editor_client, items):
    item = items["registered"]
    before = AuditEvent.objects.filter(action="employers.work_item.status").count()
    response = editor_client.post(_status_url(item), {"status": "referred", "note": "thử"})
    html = response.content.decode()
    assert response.status_code == 422 and "Traceback" not in html
    assert "Không chuyển được từ “Đã đăng ký/điều chỉnh” sang “Đã chuyển cơ quan chức năng”." in html
    fragment = editor_client.post(_status_url(item), {"status": "referred"}, **HTMX)
    row = fragment.content.decode()
    assert fragment.status_code == 422 and row.strip().startswith(f'<tr id="item-{item.pk}"')
    assert '<p class="row-error" role="alert">Không chuyển được từ' in row and 'data-status="registered"' in row
    assert "Trạng thái “xong” không hợp lệ" in editor_client.post(_status_url(item), {"status": "xong"}).content.decode()
    item.refresh_from_db()
    assert item.status == WorkItem.Status.REGISTERED and item.note == ""
    assert AuditEvent.objects.filter(action="employers.work_item.status").count() == before


def test_a_viewer_reads_the_worklist_without_forms_and_cannot_post(client, items):
    viewer = User.objects.create(username="xem-31135", org_unit=items["unregistered"].commune, role=User.Role.VIEWER)
    client.force_login(viewer)
    html = _html(client, _worklist())
    assert "Công ty TNHH Gạo Ngon" in html and "<th>Xử lý</th>" not in html and "hx-post" not in html
    response = client.post(_status_url(items["unregistered"]), {"status": "contacted"})
    assert response.status_code == 403 and "chỉ có quyền xem" in response.content.decode()


def test_an_uncertain_pair_is_confirmed_by_its_button(editor_client, commune_editor, items):
    item = items["uncertain"]
    url = reverse("employers:item_match", args=[item.pk])
    response = editor_client.post(url, {"decision": "confirmed", "note": "Cùng địa chỉ"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.strip().startswith(f'<tr id="item-{item.pk}"')
    assert "Đã trả lời" in html and '<strong class="decision">Đúng là đơn vị này</strong>' in html
    assert "Không phải đơn vị này" not in html  # no buttons on an answered pair
    decision = MatchDecision.objects.get(record_key="1809999999", unit_code="TC0003C")
    assert decision.decision == MatchDecision.Decision.CONFIRMED and decision.decided_by == commune_editor
    item.refresh_from_db()
    assert not item.open
    assert AuditEvent.objects.filter(action="employers.match.decide", actor=commune_editor).exists()


def test_an_uncertain_pair_rejected_without_javascript(editor_client, items):
    item = items["uncertain"]
    back = f"{_worklist()}?kind=uncertain"
    response = editor_client.post(reverse("employers:item_match", args=[item.pk]), {"decision": "rejected", "next": back})
    assert response.status_code == 302 and response["Location"] == f"{back}#item-{item.pk}"
    assert MatchDecision.objects.get(record_key="1809999999").decision == MatchDecision.Decision.REJECTED
    assert "Hãy chọn" in editor_client.post(reverse("employers:item_match", args=[item.pk]), {}).content.decode()
    refused = editor_client.post(_status_url(items["uncertain"]), {"status": "contacted"})
    assert refused.status_code == 422 and "Cặp cần xác nhận" in refused.content.decode()


# ------------------------------------------------------------------------------------------ dashboard


def test_the_province_dashboard_shows_kpis_communes_trend_and_top_units(admin_client, admin_user, employer_data):
    html = _html(admin_client, "/employers/92/", as_of="31/10/2025")
    province = OrgUnit.objects.get(code="92", valid_to__isnull=True)
    overview = selectors.arrears_overview(actor=admin_user, unit=province, as_of=AS_OF)
    total = overview.total
    assert "Nợ đóng BHXH, BHYT, BHTN: Thành phố Cần Thơ" in html
    assert 'name="as_of" value="31/10/2025"' in html and "Tính đến ngày <strong>31/10/2025</strong>" in html
    # Mekong Xanh owes July and August (September is not yet late); Sông Hậu owes August.
    assert total.unpaid == 2 * MEKONG_DUE + 8_640_000 and total.units_owing == 2 and total.evasion_units == 1
    kpis = html.split('id="arrears-kpis"')[1].split("</section>")[0]
    assert f'<span class="kpi-value">{format_int(total.unpaid)}</span>' in kpis and "99.360.000" in kpis
    assert format_int(total.interest) in kpis and format_int(total.unpaid + total.interest) in kpis
    assert f'<span class="kpi-value">{format_percent(total.rate)}</span>' in kpis
    assert "Toàn quốc: <strong>2,59%</strong>" in kpis and "Cao hơn toàn quốc" in kpis
    assert '<span class="kpi-value">57</span>' in kpis  # 48 + 9 workers
    # The trend, drawn by the bundled Plotly, month by month.
    assert 'id="trend" class="chart" data-plotly="' in html and "plotly/plotly.min.js" in html
    assert len(overview.trend) == 10
    # Every commune, the two owing first (by rate), each linking to its dashboard and worklist.
    table = html.split('id="communes-table"')[1].split("</table>")[0]
    assert table.count("<tr data-code=") == 103
    codes = [part.split('"', 1)[0] for part in table.split('<tr data-code="')[1:]]
    assert set(codes[:2]) == {NINH_KIEU, CAI_KHE} and codes.index(CAI_KHE) < codes.index(NINH_KIEU)  # 50% before 18%
    assert f'href="/employers/{NINH_KIEU}/?as_of=2025-10-31"' in table and f'href="{_worklist()}"' in table
    assert "498.240.000" in table  # Ninh Kiều's dues Jan–Sep: Mekong Xanh's and Phú Cường's
    # The largest owers link to their pages.
    top = html.split('id="top-table"')[1].split("</table>")[0]
    assert top.index("TA0001A") < top.index("TB0002B")
    assert 'href="/employers/units/TA0001A/?as_of=2025-10-31"' in top and "Phường Ninh Kiều" in top
    assert '<span class="badge arrears-evasion">Trốn đóng</span>' in top and '<span class="badge arrears-late">Chậm đóng</span>' in top


def test_the_communes_table_sorts_by_its_headers(admin_client, employer_data):
    by_code = _html(admin_client, "/employers/92/", as_of="2025-10-31", sort="code")
    table = by_code.split('id="communes-table"')[1]
    codes = [part.split('"', 1)[0] for part in table.split('<tr data-code="')[1:]]
    assert codes == sorted(codes) and 'data-sort="code"' in by_code
    by_unpaid = _html(admin_client, "/employers/92/", as_of="2025-10-31", sort="unpaid")
    codes = [part.split('"', 1)[0] for part in by_unpaid.split('<tr data-code="')[1:]]
    assert codes[:2] == [NINH_KIEU, CAI_KHE]
    assert 'href="?as_of=2025-10-31&amp;sort=rate#communes-card"' in by_unpaid


def test_a_commune_dashboard_shows_only_the_commune(editor_client, employer_data):
    html = _html(editor_client, f"/employers/{NINH_KIEU}/", as_of="31/10/2025")
    assert "Nợ đóng BHXH, BHYT, BHTN: Phường Ninh Kiều" in html
    assert f'id="worklist-link" href="{_worklist()}"' in html
    assert html.count("<tr data-code=") == 1 and "Sông Hậu" not in html and "TB0002B" not in html
    assert '<span class="kpi-value">90.720.000</span>' in html
    assert '<span class="kpi-value">18,21%</span>' in html  # 90.720.000 / 498.240.000


def test_a_day_when_nobody_owes(editor_client, employer_data):
    html = _html(editor_client, f"/employers/{NINH_KIEU}/", as_of="15/07/2025")
    assert "Không có đơn vị nào nợ quá hạn vào ngày 15/07/2025." in html


def test_a_bad_day_is_explained(admin_client, employer_data):
    html = _html(admin_client, "/employers/92/", 422, as_of="31-10-2025")
    assert "Ngày “31-10-2025” không hợp lệ" in html and "Traceback" not in html


def test_before_any_ledger_the_dashboard_says_so(admin_client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    html = _html(admin_client, "/employers/92/")
    assert "Chưa có sổ thu để tính nợ đóng." in html and "Traceback" not in html and str(tmp_path) not in html


# ------------------------------------------------------------------------------------------- one unit


def test_the_unit_page_shows_registry_arrears_history_findings_and_letters(editor_client, commune_editor, employer_data, items):
    DemandLetter.objects.create(unit_code="TA0001A", month=date(2025, 10, 1), number=125, symbol="TB-BHXH",
                                dated=date(2025, 10, 5), as_of=date(2025, 10, 5), unpaid=45_360_000, interest=81_648)
    html = _html(editor_client, "/employers/units/TA0001A/", as_of="31/10/2025")
    history = selectors.unit_history(actor=commune_editor, unit_code="TA0001A", as_of=AS_OF)
    arrears = history.arrears
    assert "Công ty TNHH Thủy sản Mekong Xanh" in html and "1801234567" in html and "Thủy sản" in html
    assert '<a href="/employers/31135/">Phường Ninh Kiều</a>' in html and "<dd>48</dd>" in html
    assert "<dd>Đang hoạt động</dd>" in html
    # Months owed: July (evasion, 61 days) and August (late, 31 days), 45.360.000 each.
    owed = html.split('id="months-owed-table"')[1].split("</table>")[0]
    assert [m.period for m in arrears.months] == [date(2025, 7, 1), date(2025, 8, 1)]
    assert owed.count("45.360.000") == 4 and "31/08/2025" in owed and "30/09/2025" in owed
    assert "<td class=\"num\">61</td>" in owed and "<td class=\"num\">31</td>" in owed
    assert "Trốn đóng" in owed and "Chậm đóng" in owed
    assert format_int(arrears.months[0].interest) in owed and format_int(arrears.interest) in owed
    assert f'<span class="kpi-value">{format_int(arrears.total)}</span>' in html and "90.720.000" in html
    # History, newest first: at September's end July was past its deadline, at October's end August too.
    table = html.split('id="history-table"')[1].split("</table>")[0]
    assert table.index('data-period="2025-10"') < table.index('data-period="2025-09"')
    september = table.split('data-period="2025-09"')[1].split("</tr>")[0]
    assert september.count("45.360.000") == 2 and '<td class="num">0</td>' in september
    october = table.split('data-period="2025-10"')[1].split("</tr>")[0]
    assert '<td class="num owing">90.720.000</td>' in october
    assert 'data-period="2025-01"' in table and 'data-period="2024-12"' not in table  # nothing before January
    assert history.months[-1].period == date(2025, 1, 1)  # the selector trims so, not the page
    june = table.split('data-period="2025-06"')[1].split("</tr>")[0]
    assert june.count("45.360.000") == 2  # due in June, May's contribution paid in June
    # Findings and letters.
    findings = html.split('id="findings-table"')[1].split("</table>")[0]
    assert "Đóng thiếu số lao động" in findings and "thiếu 12 lao động" in findings and "Mới" in findings
    assert f'href="{_worklist()}?kind=under_declared#item-{items["under_declared"].pk}"' in findings
    letters = html.split('id="letters-table"')[1].split("</table>")[0]
    assert "125/TB-BHXH" in letters and "05/10/2025" in letters and "81.648" in letters


def test_a_unit_that_owes_nothing(editor_client, employer_data):
    html = _html(editor_client, "/employers/units/TC0003C/", as_of="31/10/2025")
    assert "Đơn vị không nợ tháng nào quá hạn vào ngày 31/10/2025." in html
    assert "Chưa lập thông báo đôn đốc nào" in html and "Chưa có phát hiện nào" in html
