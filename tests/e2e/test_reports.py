"""A real browser: the province makes the quarterly report from the reports page (the "đang tạo" bar shows
while htmx waits), sees it on top of the history, and downloads the report that LibreOffice then reads."""

from __future__ import annotations

import os

import pytest

from tests.e2e.conftest import CHROMIUM, log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"),
]


def test_make_the_quarterly_report_and_find_it_in_the_history(browser, demo_data, tmp_path, settings):
    from ansinh.core.formatting import format_int
    from ansinh.reports.models import Report

    settings.DATA_DIR = tmp_path / "data"  # no ledger: the arrears section says so
    context, page = log_in(browser, demo_data.url, "tinh", path="/reports/", accept_downloads=True)
    page.wait_for_selector("#make-form")
    assert page.locator("nav.nav a[aria-current=page]").inner_text() == "Báo cáo"
    assert page.locator("#period").input_value() == "2025-Q3"
    assert page.locator("#no-reports").is_visible()

    page.fill("input[name=number]", "125")
    page.click("#make-button")
    page.wait_for_selector("#made")
    report = Report.objects.get()
    assert page.locator("#history-table tbody tr").count() == 1
    assert page.locator(f"#history-table tr[data-id='{report.pk}']").is_visible()
    assert "Thành phố Cần Thơ" in page.locator("#made").inner_text()

    with page.expect_download() as download_info:
        page.click(f"#made a[href='/reports/{report.pk}/report.docx']")
    download = download_info.value
    assert download.suggested_filename == "bao-cao-53-KH-UBND-92-2025-Q3.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    context.close()

    from tests.libreoffice import TEXT, soffice

    soffice(tmp_path, TEXT, saved)
    text = saved.with_suffix(".txt").read_text(encoding="utf-8-sig")
    assert "Số: 125/BC-BHXH" in text and "3.095.954" in text and "96,11%" in text
    assert saved.read_bytes() == bytes(report.docx) and format_int(report.docx_size) != "0"
