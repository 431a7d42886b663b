"""The web pages: scope, Vietnamese numbers, friendly errors, import and allocation through the browser's door."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ansinh.core.periods import Period
from ansinh.targets.attainment_rows import attainment_for_children
from ansinh.targets.indicators import INDICATORS
from ansinh.targets.models import Actual, Target

pytestmark = pytest.mark.django_db

FINAL = date(2025, 12, 20)




def _csv(*rows: str) -> bytes:
    return ("unit_code,period,measure,value\n" + "\n".join(rows) + "\n").encode()


def _upload(client, content: bytes, name: str = "so-lieu.csv", htmx: bool = False, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("targets:import"), {"file": SimpleUploadedFile(name, content), **fields}, headers=headers)


def _final_values(plan, indicator: str) -> dict[str, int]:
    targets = Target.objects.filter(plan=plan, indicator=indicator, unit__parent__code="92").prefetch_related("milestones")
    return {t.unit.code: next(int(m.value) for m in t.milestones.all() if m.due_on == FINAL) for t in targets.select_related("unit")}


# ---------------------------------------------------------------------------------------------- login


def test_every_page_needs_a_login(client, plan):
    for url in ["/", "/units/92/", "/units/92/export.xlsx", "/plans/", f"/plans/{plan.pk}/", "/import/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_login_form_logs_in_and_logout_is_a_post(client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "Đăng nhập" in page.content.decode()
    response = client.post("/accounts/login/", {"username": "tinh", "password": "demo-password-123"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_shows_the_form_again(client):
    response = client.post("/accounts/login/", {"username": "tinh", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


# ------------------------------------------------------------------------------------------ dashboard


def test_dashboard_of_the_province_lists_the_103_communes_in_vietnamese_numbers(admin_client, admin_user, province):
    response = admin_client.get("/", {"indicator": "bhyt.participants"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<tr data-code="') == 103
    assert "Xã/Phường" in html and "Tải Excel" in html
    assert "3.095.954" in html  # the province's bhyt.participants target, as KPI card
    assert "96,11%" in html  # the province's coverage target
    assert "30/11/2025" in html or "20/12/2025" in html
    rows = attainment_for_children(
        actor=admin_user, unit=province, period=Period.parse("2025-10"), indicator=INDICATORS["bhyt.participants"]
    )
    best = rows[0]
    assert f"{round(best.actual):,}".replace(",", ".") in html
    assert "plotly/plotly.min.js" in html and "data-plotly=" in html


def test_children_filters_work_as_an_htmx_partial_and_as_a_plain_form(admin_client):
    partial = admin_client.get("/units/92/children/", {"q": "ninh kieu"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in html
    assert 'data-code="31135"' in html and html.count('<tr data-code="') < 103
    page = admin_client.get("/units/92/", {"status": "on_track", "indicator": "bhyt.coverage"})
    assert page.status_code == 200 and "<html" in page.content.decode()


def test_period_picker_accepts_a_year_and_rejects_nonsense_kindly(admin_client):
    assert admin_client.get("/units/92/", {"period": "2025"}).status_code == 200
    bad = admin_client.get("/units/92/", {"period": "tháng mười"})
    assert bad.status_code == 422
    assert "không hợp lệ" in bad.content.decode() and "Traceback" not in bad.content.decode()


def test_commune_editor_sees_only_their_commune(editor_client):
    home = editor_client.get("/")
    assert home.status_code == 200
    assert "Ninh Kiều" in home.content.decode()
    assert editor_client.get("/units/31135/").status_code == 200
    other = editor_client.get("/units/31120/")
    assert other.status_code == 403
    assert "ngoài phạm vi" in other.content.decode() and "Traceback" not in other.content.decode()
    assert editor_client.get("/units/92/").status_code == 403
    assert editor_client.get("/units/92/export.xlsx").status_code == 403
    assert editor_client.get("/units/00000/").status_code == 404


def test_english_switch_shows_english_text(admin_client):
    response = admin_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = admin_client.get("/").content.decode()
    assert "Overview" in html and "Download Excel" in html and "Commune/Ward" in html
    assert "Tổng quan" not in html
    assert "3.095.954" in html  # figures keep the Vietnamese way: officials copy them into Vietnamese reports


# --------------------------------------------------------------------------------------------- import


def test_import_page_shows_the_format_and_the_measure_codes(admin_client):
    html = admin_client.get("/import/").content.decode()
    assert "unit_code" in html and "YYYY-MM" in html and "bhxh.voluntary.participants" in html
    assert "Chỉ kiểm tra (không lưu)" in html


def test_import_with_one_bad_row_saves_nothing_and_names_the_line(admin_client):
    before = Actual.objects.count()
    response = _upload(admin_client, _csv(
        "31135,2025-11,population,40000",
        "31135,2025-11,bhyt.participants,39000",
        "31120,2025-11,population,nhiều",  # line 4
        "31120,2025-11,bhyt.participants,19000",
    ))
    html = response.content.decode()
    assert response.status_code == 422
    assert "<td class=\"num\">4</td>" in html and "value" in html
    assert "Không có dữ liệu nào được lưu" in html
    assert Actual.objects.count() == before


def test_import_rejection_comes_back_as_a_fragment_for_htmx(admin_client):
    response = _upload(admin_client, _csv("99999,2025-11,population,1"), htmx=True)
    assert response.status_code == 422
    assert "<html" not in response.content.decode() and "99999" in response.content.decode()


def test_import_of_a_good_file_saves_it_and_a_dry_run_does_not(admin_client):
    content = _csv("31135,2025-11,population,40000", "31135,2025-11,bhyt.participants,39000")
    before = Actual.objects.count()
    dry = _upload(admin_client, content, dry_run="1")
    assert dry.status_code == 200 and "chưa lưu gì" in dry.content.decode()
    assert Actual.objects.count() == before
    done = _upload(admin_client, content)
    assert done.status_code == 200 and "Đã nhập xong" in done.content.decode()
    assert Actual.objects.count() == before + 2


# ---------------------------------------------------------------------------------------------- plans


def test_plan_list_and_page_show_header_targets_and_the_communes(admin_client, plan):
    assert "53/KH-UBND" in admin_client.get("/plans/").content.decode()
    html = admin_client.get(f"/plans/{plan.pk}/").content.decode()
    assert "27/08/2025" in html and "3.095.954" in html and "96,11%" in html
    assert html.count('<tr data-code="') == 103
    assert "Theo khoảng cách còn thiếu" in html and "Phân bổ" in html


def test_allocate_override_and_lock_through_the_page_keep_the_sum(admin_client, plan):
    url = f"/plans/{plan.pk}/"
    response = admin_client.post(url + "allocate/", {"indicator": "bhyt.participants", "method": "gap", "unit": "92"})
    assert response.status_code == 302
    after_gap = _final_values(plan, "bhyt.participants")
    assert sum(after_gap.values()) == 3_095_954

    ninh_kieu = Target.objects.get(plan=plan, indicator="bhyt.participants", unit__code="31135")
    locked = Target.objects.get(plan=plan, indicator="bhyt.participants", unit__code="31120")
    response = admin_client.post(
        f"{url}targets/{locked.pk}/lock/", {"locked": "1", "unit": "92", "indicator": "bhyt.participants"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="allocation"' in response.content.decode()
    locked.refresh_from_db()
    assert locked.locked

    new_value = after_gap["31135"] - 100
    response = admin_client.post(
        f"{url}targets/{ninh_kieu.pk}/override/",
        {"value": str(new_value), "due_on": "2025-12-20", "unit": "92", "indicator": "bhyt.participants"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "3.095.954" in html and 'class="badge status-on_track"' in html
    values = _final_values(plan, "bhyt.participants")
    assert values["31135"] == new_value
    assert values["31120"] == after_gap["31120"]  # locked: kept
    assert sum(values.values()) == 3_095_954


def test_a_commune_editor_cannot_allocate_the_province(editor_client, plan):
    before = _final_values(plan, "bhyt.participants")
    response = editor_client.post(
        f"/plans/{plan.pk}/allocate/", {"indicator": "bhyt.participants", "method": "gap", "unit": "92"}
    )
    assert response.status_code == 403
    assert _final_values(plan, "bhyt.participants") == before


def test_bad_override_value_is_a_friendly_error(admin_client, plan):
    target = Target.objects.get(plan=plan, indicator="bhyt.participants", unit__code="31135")
    response = admin_client.post(
        f"/plans/{plan.pk}/targets/{target.pk}/override/", {"value": "-5", "unit": "92"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422 and "không phải số người" in response.content.decode()


def test_every_registry_label_has_an_english_translation():
    """Labels defined in Python (indicators, measures, statuses) are listed in templates/targets/_msgids.html."""
    from django.utils import translation

    from ansinh.targets.attainment import Status
    from ansinh.targets.indicators import MEASURES

    labels = [i.label for i in INDICATORS.values()] + [m.label for m in MEASURES.values()] + [s.label for s in Status]
    with translation.override("en"):
        untranslated = [label for label in labels if translation.gettext(label) == label]
        sources = [translation.pgettext("nguồn chỉ tiêu", label) for _, label in Target.Source.choices]
    assert untranslated == []
    assert sources == ["From the plan", "Allocated", "Set by hand"]


def test_a_viewer_sees_the_allocation_read_only(client, province, plan):
    from ansinh.accounts.models import User

    viewer = User.objects.create(username="xem-tinh", org_unit=province, role=User.Role.VIEWER)
    client.force_login(viewer)
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert html.count('<tr data-code="') == 103
    assert 'name="method"' not in html and 'type="number"' not in html
    response = client.post(f"/plans/{plan.pk}/allocate/", {"indicator": "bhyt.participants", "method": "gap", "unit": "92"})
    assert response.status_code == 403 and "chỉ có quyền xem" in response.content.decode()


def test_a_commune_editor_reads_the_province_plan_for_its_own_targets(editor_client, plan):
    assert "53/KH-UBND" in editor_client.get("/plans/").content.decode()
    html = editor_client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Phường Ninh Kiều" in html and "3.095.954" in html


def test_the_dashboard_offers_and_shows_quarters(admin_client):
    """Reports are quarterly ("báo cáo quý"): the dashboard reads a quarter at its last month."""
    page = admin_client.get("/units/92/", {"period": "2025-Q3"}).content.decode()
    assert '<option value="2025-Q3" selected>Quý III năm 2025</option>' in page
    assert '<option value="2025-Q4"' in page  # October has data
    assert "Kỳ: Quý III năm 2025" in page
