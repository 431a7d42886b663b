"""A real browser: the Ninh Kiều editor works the commune's employer worklist (tabs, a status moved by htmx,
an uncertain pair confirmed), and the province reads the arrears dashboard (Plotly trend, communes table,
a unit's page). The tiny employer dataset of tests/employers/test_views.py is written to a temporary
data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ansinh.employers import storage
from tests.e2e.conftest import CHROMIUM, log_in
from tests.employers.test_views import CAI_KHE, NINH_KIEU, _item, _ledger, _units

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-employers-worklist.png"


@pytest.fixture
def employer_site(demo_data, settings, tmp_path):
    """The live server with the demo units, the tiny employer dataset, and a few worklist items."""
    settings.DATA_DIR = tmp_path
    storage.dataset_write("units", _units())
    storage.dataset_write("ledger", _ledger())
    items = {
        "unregistered": _item(NINH_KIEU, "unregistered", "1801111111", "Công ty TNHH Gạo Ngon", tax_code="1801111111",
                              detail={"workers": 25, "sources": ["tax", "unions"]}),
        "under_declared": _item(NINH_KIEU, "under_declared", "TA0001A", "Công ty TNHH Thủy sản Mekong Xanh",
                                tax_code="1801234567", unit_code="TA0001A",
                                detail={"declared": 48, "outside": 60, "gap": 12, "by_source": {"tax": 60}}),
        "registered": _item(NINH_KIEU, "under_declared", "TC0003C", "Công ty Phú Cường", tax_code="1800987654",
                            unit_code="TC0003C", status="registered", note="Đã khai bổ sung 2 lao động",
                            detail={"declared": 20, "outside": 22, "gap": 2, "by_source": {"unions": 22}}),
        "brewery": _item(NINH_KIEU, "under_declared", "TE0005E", "Công ty Cổ phần Bia Tây Đô", tax_code="1801357913",
                         unit_code="TE0005E", status="contacted",
                         detail={"declared": 310, "outside": 342, "gap": 32, "by_source": {"tax": 342, "zones": 330}}),
        "uncertain": _item(NINH_KIEU, "uncertain", "tax:1809999999", "Cty Phu Cuong", tax_code="1809999999",
                           unit_code="TC0003C", detail={"source": "tax", "score": 87.0, "method": "fuzzy",
                                                        "unit_name": "Công ty Phú Cường", "unit_tax_code": ""}),
        "elsewhere": _item(CAI_KHE, "unregistered", "1802222222", "Công ty Cái Khế Xanh", tax_code="1802222222",
                           detail={"workers": 7, "sources": ["tax"]}),
    }
    return demo_data, items


def test_a_commune_editor_works_the_worklist(browser, employer_site):
    from ansinh.audit.models import AuditEvent
    from ansinh.employers.models import MatchDecision, WorkItem

    server, items = employer_site
    context, page = log_in(browser, server.url, "xa-31135")

    # From the navigation to the commune's arrears, then to its worklist.
    page.click("nav.nav >> text=Đơn vị sử dụng lao động")
    page.wait_for_selector("#arrears-kpis")
    assert page.url.endswith(f"/employers/{NINH_KIEU}/")
    page.click("#worklist-link")
    page.wait_for_selector("#worklist-table")
    assert page.inner_text("h1").startswith("Danh sách việc cần làm: Phường Ninh Kiều")
    assert "Công ty TNHH Gạo Ngon" in page.inner_text("#worklist-table")
    assert "Công ty Cái Khế Xanh" not in page.inner_text("main")

    # Another tab: htmx swaps the table only, the address bar follows.
    page.click("#worklist-filters label.tab:has(input[value=under_declared])")
    page.wait_for_selector("#worklist[data-kind=under_declared]")
    assert "kind=under_declared" in page.url
    row = f"#item-{items['under_declared'].pk}"
    assert "thiếu 12" in page.inner_text(row) and page.get_attribute(row, "data-status") == "new"

    # Move the item on with a note: the row is swapped in place.
    page.select_option(f"{row} select[name=status]", "contacted")
    page.fill(f"{row} input[name=note]", "Đã gọi điện cho kế toán")
    page.click(f"{row} button[type=submit]")
    page.wait_for_selector(f"{row}[data-status=contacted]")
    assert "Đã liên hệ" in page.inner_text(f"{row} td.status") and "Đã gọi điện cho kế toán" in page.inner_text(row)
    assert page.locator(f"{row} select[name=status] option[value=contacted]").count() == 0  # no move to where it is
    item = WorkItem.objects.get(pk=items["under_declared"].pk)
    assert item.status == "contacted" and item.note == "Đã gọi điện cho kế toán"
    assert AuditEvent.objects.filter(action="employers.work_item.status", object_id=str(item.pk)).count() == 1
    page.reload()  # the pushed address is a real page, and the change stayed
    page.wait_for_selector(f"{row}[data-status=contacted]")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # An uncertain pair: confirm that it is the unit.
    page.click("#worklist-filters label.tab:has(input[value=uncertain])")
    pair = f"#item-{items['uncertain'].pk}"
    page.wait_for_selector(pair)
    assert "87/100" in page.inner_text(pair)
    page.click(f"{pair} button[value=confirmed]")
    page.wait_for_selector(f"{pair} .decision")
    assert page.inner_text(f"{pair} .decision") == "Đúng là đơn vị này"
    assert MatchDecision.objects.get(record_key="1809999999").decision == "confirmed"
    context.close()


def test_the_province_reads_the_arrears_dashboard(browser, employer_site):
    server, _ = employer_site
    context, page = log_in(browser, server.url, "tinh")
    page.goto(f"{server.url}/employers/")
    page.wait_for_selector("#communes-table")
    page.fill("#as-of-form input[name=as_of]", "31/10/2025")
    page.click("#as-of-form button[type=submit]")
    page.wait_for_selector("#trend .main-svg")  # Plotly drew the trend from the bundled JS
    assert "as_of=31%2F10%2F2025" in page.url
    assert page.locator("#communes-table tbody tr").count() == 103
    assert page.inner_text("#kpi-unpaid .kpi-value") == "99.360.000"
    assert "2,59%" in page.inner_text("#kpi-rate")
    first = page.locator("#communes-table tbody tr").first
    assert first.get_attribute("data-code") == CAI_KHE  # highest rate first

    # Sort by the amount owed, then open the largest ower.
    page.click("#communes-table th >> text=Số còn nợ (đồng)")
    page.wait_for_selector("#communes-table[data-sort=unpaid]")
    assert page.locator("#communes-table tbody tr").first.get_attribute("data-code") == NINH_KIEU
    page.click("#top-table a[href*='TA0001A']")
    page.wait_for_selector("#months-owed-table")
    assert page.inner_text("h1").startswith("Công ty TNHH Thủy sản Mekong Xanh")
    assert page.locator("#months-owed-table tbody tr").count() == 2
    assert "Trốn đóng" in page.inner_text("#months-owed-table") and "45.360.000" in page.inner_text("#months-owed-table")
    context.close()
