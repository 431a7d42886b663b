"""A real browser: the Ninh Kiều editor opens the commune's lists for action, switches lists, filters by
village (htmx swaps the table) and downloads the list in Excel (tiny extract, tests/coverage/conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.coverage.conftest import _ninh_kieu_dir, person_data  # noqa: F401 - the tiny extract's fixtures
from tests.coverage.factories import pid
from tests.e2e.conftest import CHROMIUM, DEMO_PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-coverage-lists.png"


def _households(page) -> list[str]:
    return page.eval_on_selector_all("#list-table tbody.household", "rows => rows.map(r => r.dataset.household)")


def test_a_commune_officer_reads_the_lists_filters_them_and_downloads_one(browser, demo_data, person_data, tmp_path):
    from ansinh.audit.models import AuditEvent

    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{demo_data.url}/")
    page.fill("input[name=username]", "xa-31135")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit].primary")  # not the VI/EN buttons: they submit too

    # From the commune's dashboard to its lists: households with members lacking a card come first.
    page.click("#coverage-lists-link")
    page.wait_for_selector("#list-table")
    assert page.url.endswith("/coverage/31135/")
    assert page.inner_text("h1").startswith("Danh sách cần vận động: Phường Ninh Kiều")
    assert "31/10/2025" in page.inner_text("#data-day")
    assert _households(page) == ["H1", "H3"]
    assert page.inner_text("#list-summary .count") == "2 hộ"
    table = page.inner_text("#list-table")
    assert "Trần Thị Bình" in table and "0920******02" in table and "Phạm Văn Giang" in table
    assert not page.is_visible("#list-filters .days-filter")  # the days only matter for expiring cards
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    # Another day: by 16/11/2025 Lê Văn Dũng's card has ended too (his household H2 joins the list).
    assert page.input_value("#list-filters input[name=day]") == "31/10/2025"
    page.fill("#list-filters input[name=day]", "16/11/2025")
    page.press("#list-filters input[name=day]", "Enter")
    page.wait_for_selector("#list-table tbody.household[data-household=H2]")
    assert _households(page) == ["H1", "H2", "H3"] and "day=2025-11-16" in page.url
    page.fill("#list-filters input[name=day]", "31/10/2025")
    page.press("#list-filters input[name=day]", "Enter")
    page.wait_for_selector("#list-table tbody.household[data-household=H2]", state="detached")
    assert _households(page) == ["H1", "H3"]

    # Switch to the expiring cards: htmx swaps the table only, the address bar follows.
    page.click("#list-filters label.tab:has(input[value=expiring])")
    page.wait_for_selector("#lists[data-kind=expiring]")
    assert "Lê Văn Dũng" in page.inner_text("#list-table") and "15/11/2025" in page.inner_text("#list-table")
    assert "Lê Thị Hoa" not in page.inner_text("#lists")  # renewed
    assert page.is_visible("#list-filters .days-filter")
    assert "kind=expiring" in page.url

    # Village filter: nobody's card ends in Khu vực 1; a shorter window empties Khu vực 2's list too.
    page.select_option("#list-filters select[name=village]", "Khu vực 1")
    page.wait_for_selector("#list-empty")
    assert "Không có thẻ BHYT nào hết hạn" in page.inner_text("#list-empty")
    page.select_option("#list-filters select[name=village]", "Khu vực 2")
    page.wait_for_selector("#list-table")
    assert "Lê Văn Dũng" in page.inner_text("#list-table")
    page.fill("#list-filters input[name=days]", "10")
    page.click("#list-filters button[type=submit]")
    page.wait_for_selector("#list-empty")
    assert "đến 10/11/2025" in page.inner_text("#list-empty")

    # Back to the households of Khu vực 2, and the whole list in Excel.
    page.click("#list-filters label.tab:has(input[value=households])")
    page.wait_for_selector("#lists[data-kind=households] #list-table")
    assert _households(page) == ["H3"]
    assert "village=Khu+v%E1%BB%B1c+2" in page.url
    page.reload()  # the pushed address is a real page
    assert _households(page) == ["H3"]
    before = AuditEvent.objects.filter(action="export.coverage_list").count()
    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    download = download_info.value
    assert download.suggested_filename == "ds-ho-chua-bhyt-31135-khu-vuc-2-2025-10-31.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    context.close()

    sheet = load_workbook(saved).active
    assert "Khu vực 2" in sheet["A1"].value and "31/10/2025" in sheet["A1"].value
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert [row[1:7] for row in rows] == [("H3", "Khu vực 2", 1, 1, "Phạm Văn Giang", "0920******06")]
    assert pid(6) not in str(rows)
    assert AuditEvent.objects.filter(action="export.coverage_list").count() == before + 1
