"""A real browser: the province officer uploads a plan document (DOCX), reviews the draft beside its text,
corrects a value, leaves a row out, and saves it as a plan with its targets and tasks."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from tests.e2e.conftest import CHROMIUM, log_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # playwright's sync API runs an event loop

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium"),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-plan-review.png"

PLAN_LINES = [
    "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
    "Số: 12/KH-UBND",
    "Cần Thơ, ngày 15 tháng 01 năm 2026",
    "KẾ HOẠCH",
    "Thực hiện chỉ tiêu phát triển người tham gia BHXH, BHYT năm 2026 trên địa bàn thành phố Cần Thơ",
    "I. MỤC TIÊU",
    "1. Tỷ lệ bao phủ BHYT đạt 96,5% dân số.",
    "2. Tỷ lệ người tham gia BHXH đạt 42% lực lượng lao động trong độ tuổi.",
    "II. TỔ CHỨC THỰC HIỆN",
    "1. Sở Y tế: Chủ trì, phối hợp với BHXH thành phố kiểm tra, giám sát việc khám, chữa bệnh BHYT tại các cơ sở y tế.",
    "2. Sở Tài chính: Bố trí kinh phí hỗ trợ đóng BHYT cho các đối tượng, hoàn thành trước ngày 15/12/2026.",
    "3. UBND các xã, phường: Báo cáo kết quả thực hiện về BHXH thành phố định kỳ hằng quý.",
]


@pytest.fixture
def plan_docx(tmp_path) -> Path:
    document = Document()
    for line in PLAN_LINES:
        document.add_paragraph(line)
    path = tmp_path / "ke-hoach-12-KH-UBND.docx"
    document.save(path)
    return path


def test_an_officer_reads_reviews_and_saves_a_plan(browser, demo_data, plan_docx):
    from ansinh.plans.models import PlanDraft
    from ansinh.targets.models import Plan, Target
    from ansinh.tasks.models import Task

    context, page = log_in(browser, demo_data.url, "tinh", viewport={"width": 1500, "height": 950})

    # From the plans list to the reader; upload the document.
    page.click("nav.nav >> text=Kế hoạch")
    page.click("#read-plan")
    page.set_input_files("#read-form input[type=file]", str(plan_docx))
    page.click("#read-form button[type=submit]")
    page.wait_for_selector("#review-form")

    # The draft beside its source text: header, two targets, three assignments.
    assert page.input_value("input[name=number]") == "12/KH-UBND"
    assert page.input_value("input[name=issued_on]") == "15/01/2026"
    assert page.input_value("select[name=scope_code]") == "92"
    assert page.locator("tr.target-row").count() == 2
    assert page.locator("tr.assignment-row").count() == 3
    assert "Sở Y tế: Chủ trì" in page.inner_text("#source")
    coverage = page.locator("tr.target-row:has(option[value='bhyt.coverage']:checked)")
    assert coverage.locator("input[name$=-value]").input_value() == "96,5"
    link = coverage.locator("td.source-ref a")
    link.click()  # the row's sentence is highlighted in the source text
    assert page.url.endswith(link.get_attribute("href"))

    # Correct a value, leave the finance row out, save the draft, then save it as a plan.
    coverage.locator("input[name$=-value]").fill("96,6")
    finance = page.locator("tr.assignment-row:has(option[value='so-tai-chinh']:checked)")
    finance.locator("input[type=checkbox]").uncheck()
    page.click("button[value=keep]")
    page.wait_for_selector("#draft-kept")
    assert page.locator("tr.target-row:has(option[value='bhyt.coverage']:checked) input[name$=-value]").input_value() == "96,6"
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.click("#save-plan")
    page.wait_for_selector("#task-table")
    assert "12/KH-UBND" in page.inner_text("h1")
    assert "Sở Y tế" in page.inner_text("#task-table") and "Sở Tài chính" not in page.inner_text("#task-table")

    plan = Plan.objects.get(number="12/KH-UBND", scope_unit__code="92")
    assert (plan.year, plan.issued_on) == (2026, date(2026, 1, 15))
    milestones = Target.objects.get(plan=plan, indicator="bhyt.coverage", unit__code="92").milestones.all()
    assert [m.value for m in milestones] == [Decimal("96.6")]
    assert set(Task.objects.filter(plan=plan).values_list("lead__code", flat=True)) == {"so-y-te", "ubnd-xa"}
    assert PlanDraft.objects.get(plan=plan).status == "saved"
    context.close()
