"""The tasks pages as officers use them: the to-do list, handing in (htmx and plain form), a plan's tasks."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.tasks.models import TaskOccurrence

HTMX = {"HTTP_HX_REQUEST": "true"}


def _own(task, period_start=date(2025, 1, 1)) -> TaskOccurrence:
    return task.occurrences.get(agency__code="ubnd-31135", period_start=period_start)


def test_a_commune_sees_its_overdue_and_coming_reports_and_not_its_neighbours(editor_client, commune_report_task):
    page = editor_client.get("/tasks/", {"today": "01/07/2025"}).content.decode()
    assert "UBND Phường Ninh Kiều" in page
    assert "15/04/2025" in page and "quá hạn 77 ngày" in page and "Quý II/2025" in page
    assert "UBND Phường Cái Khế" not in page


def test_handing_in_by_htmx_swaps_the_row(editor_client, commune_report_task):
    own = _own(commune_report_task)
    upload = SimpleUploadedFile("bao-cao-quy-1.xlsx", b"PK\x03\x04 demo")
    response = editor_client.post(f"/tasks/occurrences/{own.pk}/submit/", {"note": "Quý I đạt 96,2%", "file": upload}, **HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="duty-{own.pk}"') and "Quý I đạt 96,2%" in row and "bao-cao-quy-1.xlsx" in row
    own.refresh_from_db()
    assert own.submitted_on == date.today() and own.submitted_by.username == "xa-31135"
    download = editor_client.get(f"/tasks/occurrences/{own.pk}/file/")
    assert download.status_code == 200 and download.content == b"PK\x03\x04 demo"
    assert "bao-cao-quy-1.xlsx" in download["Content-Disposition"]


def test_an_empty_hand_in_is_answered_in_the_row_and_changes_nothing(editor_client, commune_report_task):
    own = _own(commune_report_task)
    response = editor_client.post(f"/tasks/occurrences/{own.pk}/submit/", {"note": " "}, **HTMX)
    assert response.status_code == 422 and "nội dung hoặc đính kèm" in response.content.decode()
    own.refresh_from_db()
    assert own.submitted_on is None


def test_a_plain_form_hands_in_and_goes_back_to_the_list(editor_client, commune_report_task):
    own = _own(commune_report_task, date(2025, 4, 1))
    response = editor_client.post(f"/tasks/occurrences/{own.pk}/submit/", {"note": "Quý II"})
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert TaskOccurrence.objects.get(pk=own.pk).note == "Quý II"


def test_another_communes_report_is_refused_and_its_file_hidden(editor_client, commune_report_task):
    other = commune_report_task.occurrences.get(agency__code="ubnd-31120", period_start=date(2025, 1, 1))
    assert editor_client.post(f"/tasks/occurrences/{other.pk}/submit/", {"note": "x"}).status_code == 403
    assert editor_client.get(f"/tasks/occurrences/{other.pk}/file/").status_code == 403
    assert TaskOccurrence.objects.get(pk=other.pk).submitted_on is None


def test_the_plans_task_page_shows_who_leads_and_the_timeliness_of_agencies_and_communes(admin_client, plan, tax_list_task, commune_report_task):
    page = admin_client.get(f"/tasks/plans/{plan.pk}/", {"today": "01/08/2025"}).content.decode()
    assert "Hằng tháng cung cấp danh sách doanh nghiệp" in page and "UBND các xã, phường" in page
    assert 'id="timeliness-agencies"' in page and 'id="timeliness-communes"' in page
    assert "UBND Phường Ninh Kiều" in page and "0,00%" in page


def test_a_bad_day_is_a_message_not_a_crash(admin_client, plan):
    response = admin_client.get(f"/tasks/plans/{plan.pk}/", {"from": "31/02/2025"})
    assert response.status_code == 422 and "31/02/2025" in response.content.decode()


def test_the_navigation_counts_what_waits_on_the_commune(editor_client, commune_report_task):
    page = editor_client.get("/tasks/").content.decode()
    # As of the figures' last day (31/10/2025) three quarters are past and nothing was handed in: three
    # reports wait; the fourth falls due on 15/01/2026, months after the figures (not on the machine's clock).
    assert '<span class="count-badge" id="waiting-duties"' in page and ">3</span>" in page
