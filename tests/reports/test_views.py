"""The reports page: plan and period pickers, making a report through htmx (and without it), the history,
downloads, and scope."""

from __future__ import annotations

import pytest

from ansinh.accounts.models import User
from ansinh.reports.models import Report
from ansinh.reports.services import report_make
from tests.reports.conftest import MADE_ON, Q3

pytestmark = pytest.mark.django_db


def test_the_page_needs_a_login(client):
    for url in ["/reports/", "/reports/1/report.docx", "/reports/1/annex.xlsx"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_the_page_offers_plan_periods_and_units(admin_client, plan):
    page = admin_client.get("/reports/")
    html = page.content.decode()
    assert page.status_code == 200 and "Báo cáo định kỳ" in html and 'href="/reports/"' in html  # the nav link
    assert page.context["plan"] == plan and page.context["period"] == "2025-Q3"
    assert '<option value="2025-Q3" selected>Quý III/2025</option>' in html
    assert 'value="2025"' in html and "Năm 2025" in html and "Tháng 10/2025" in html
    assert len(page.context["units"]) == 104 and page.context["unit"].code == "92"
    assert "Đang tạo báo cáo" in html and 'hx-indicator="#make-progress"' in html
    assert "Chưa có báo cáo nào" in html


def test_making_a_report_with_htmx_shows_it_on_top_of_the_history(admin_client, plan):
    response = admin_client.post("/reports/make/", {"plan": plan.pk, "period": "2025-Q3", "unit": "92", "number": "125"},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200
    report = Report.objects.get()
    html = response.content.decode()
    assert 'id="history"' in html and "<html" not in html
    assert "Đã lập báo cáo Thành phố Cần Thơ, quý III năm 2025" in html and "09/2025" in html
    assert 'id="history" hx-swap-oob="true"' in html
    assert f'href="/reports/{report.pk}/report.docx"' in html and f'href="/reports/{report.pk}/annex.xlsx"' in html
    assert f'data-id="{report.pk}"' in html and "Quý III năm 2025" in html and "125" in html


def test_without_htmx_the_form_redirects_to_the_page(admin_client, plan):
    response = admin_client.post("/reports/make/", {"plan": plan.pk, "period": "2025-09"})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/?plan={plan.pk}&made={report.pk}"
    page = admin_client.get(response["Location"])
    assert page.context["made"] == report and "bao-cao-53-KH-UBND-92-2025-09.docx" in page.content.decode()


def test_downloads(admin_client, admin_user, plan):
    report = report_make(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON)
    docx = admin_client.get(f"/reports/{report.pk}/report.docx")
    assert docx.status_code == 200 and docx.content == bytes(report.docx)
    assert docx["Content-Disposition"] == f'attachment; filename="{report.docx_name}"'
    assert admin_client.get(f"/reports/{report.pk}/annex.xlsx").content == bytes(report.xlsx)


def test_errors_are_friendly(admin_client, editor_client, admin_user, plan):
    bad = admin_client.post("/reports/make/", {"plan": plan.pk, "period": "quý 3"}, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "YYYY-Qn" in bad.content.decode() and "Traceback" not in bad.content.decode()
    assert 'id="history"' not in bad.content.decode()  # the error goes under the form; the history stays
    province = editor_client.post("/reports/make/", {"plan": plan.pk, "period": "2025-Q3", "unit": "92"})
    assert province.status_code == 403 and "ngoài phạm vi" in province.content.decode()
    report = report_make(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON)
    assert editor_client.get(f"/reports/{report.pk}/report.docx").status_code == 403
    assert admin_client.get("/reports/999999/report.docx").status_code == 404


def test_a_commune_sees_its_own_reports_and_a_viewer_no_form(client, editor_client, admin_user, commune_editor, plan, province):
    report_make(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON)
    own = report_make(actor=commune_editor, plan=plan, period=Q3, made_on=MADE_ON)
    page = editor_client.get("/reports/")
    assert [u.code for u in page.context["units"]] == ["31135"] and list(page.context["reports"]) == [own]
    viewer = User.objects.create(username="lanh-dao", org_unit=province, role=User.Role.VIEWER)
    client.force_login(viewer)
    html = client.get("/reports/").content.decode()
    assert 'id="make-form"' not in html and "chỉ có quyền xem" in html and html.count("report.docx") == 2


def test_the_make_form_takes_the_number_and_the_signer(admin_client, plan):
    import io

    from docx import Document

    html = admin_client.get("/reports/").content.decode()
    form = html.split('id="make-form"')[1].split("</form>")[0]
    assert all(f'name="{name}"' in form for name in ("number", "signer_title", "signer_name"))
    admin_client.post("/reports/make/", {"plan": plan.pk, "period": "2025-Q3", "unit": "92", "number": "125",
                                         "signer_title": "KT. GIÁM ĐỐC\r\nPHÓ GIÁM ĐỐC", "signer_name": "Võ Thanh Sơn"})
    document = Document(io.BytesIO(bytes(Report.objects.get().docx)))
    assert document.tables[0].rows[1].cells[0].text == "Số: 125/BC-BHXH"
    signer = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs]
    assert signer[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and signer[-1] == "Võ Thanh Sơn"
