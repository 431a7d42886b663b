"""A real browser: log in, read the dashboard, download the communes table and check it against the database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import CHROMIUM, DEMO_PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-dashboard.png"


def test_log_in_read_the_dashboard_and_download_the_communes(browser, demo_data, tmp_path):
    from ansinh.accounts.models import User
    from ansinh.units.models import OrgUnit
    from ansinh.core.periods import Period
    from ansinh.targets.attainment_rows import attainment_for_children
    from ansinh.targets.figures import default_period
    from ansinh.targets.indicators import INDICATORS

    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{demo_data.url}/")
    assert "/accounts/login/" in page.url  # login required
    page.fill("input[name=username]", "tinh")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_selector("#children-table")
    assert page.locator("#children-table tbody tr").count() == 103
    assert page.locator(".kpi").count() >= 4
    page.wait_for_selector("#trend .main-svg")  # Plotly drew the trend from the bundled JS

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    # Choose the persons indicator with the filter (htmx swaps the table), then download it.
    page.select_option("#child-filters select[name=indicator]", "bhyt.participants")
    page.wait_for_selector("#export-xlsx[href*='indicator=bhyt.participants']")
    assert page.locator("#children-table tbody tr").count() == 103
    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    download = download_info.value
    assert download.suggested_filename.startswith("chi-tieu-92-bhyt.participants-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    context.close()

    sheet = load_workbook(saved).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert len(rows) == 103
    assert sum(row[4] for row in rows.values()) == 3_095_954
    province = OrgUnit.objects.get(code="92", valid_to__isnull=True)
    period = default_period(unit=province)
    assert period.label in download.suggested_filename
    expected = attainment_for_children(
        actor=User.objects.get(username="tinh"), unit=province, period=Period.parse(period.label),
        indicator=INDICATORS["bhyt.participants"],
    )
    for row in [r for r in expected if r.unit_code in ("31135", expected[0].unit_code)]:
        assert rows[row.unit_code][3] == round(row.actual)
        assert rows[row.unit_code][4] == round(row.target)
