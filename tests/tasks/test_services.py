"""Tasks, occurrences, handing in and reminders, on Cần Thơ's plan 53/KH-UBND and its 103 communes."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from ansinh.audit.models import AuditEvent
from ansinh.accounts.models import User
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.units.models import OrgUnit
from ansinh.tasks.models import Agency, Task, TaskOccurrence
from ansinh.tasks.services import DueRule, agencies_ensure, agency_member_add, occurrence_submit, reminders_send, task_create


def test_the_directory_has_the_departments_and_one_peoples_committee_per_commune(province, agencies):
    communes = OrgUnit.objects.filter(parent=province, kind="commune", valid_to__isnull=True).count()
    assert communes == 103
    assert Agency.objects.filter(kind="commune", org_unit__kind="commune").count() == 103
    assert Agency.objects.get(code="ubnd-31135").name == "UBND Phường Ninh Kiều"
    assert {"so-y-te", "thue", "cong-an"} <= set(agencies)
    assert agencies_ensure(province=province) == 0  # a second run adds nothing


def test_a_monthly_duty_gets_one_occurrence_per_month_due_the_5th_of_the_next(tax_list_task, admin_user):
    due = list(tax_list_task.occurrences.values_list("due_on", flat=True))
    assert len(due) == 12
    assert due[0] == date(2025, 2, 5) and due[-1] == date(2026, 1, 5)
    assert set(tax_list_task.occurrences.values_list("agency__code", flat=True)) == {"thue"}
    event = AuditEvent.objects.get(action="tasks.task.create", object_id=str(tax_list_task.pk))
    assert event.actor == admin_user and event.detail["occurrences"] == 12


def test_a_duty_of_every_commune_is_due_from_each_of_the_103(commune_report_task):
    assert commune_report_task.each_commune
    assert commune_report_task.occurrences.count() == 103 * 4
    ninh_kieu = commune_report_task.occurrences.filter(agency__code="ubnd-31135").order_by("due_on")
    assert [o.due_on for o in ninh_kieu] == [date(2025, 4, 15), date(2025, 7, 15), date(2025, 10, 15), date(2026, 1, 15)]


def test_a_one_off_duty_has_one_occurrence_and_the_rule_is_checked(student_task, admin_user, plan, agencies):
    assert list(student_task.occurrences.values_list("due_on", flat=True)) == [date(2025, 10, 20)]
    with pytest.raises(ValidationFailed, match="hạn hoàn thành"):
        task_create(actor=admin_user, plan=plan, text="x", lead=agencies["so-y-te"], rule=DueRule())
    with pytest.raises(ValidationFailed, match="1–31"):
        task_create(actor=admin_user, plan=plan, text="x", lead=agencies["so-y-te"], rule=DueRule(recurrence="monthly", day=40))
    with pytest.raises(ValidationFailed, match="Chu kỳ"):
        task_create(actor=admin_user, plan=plan, text="x", lead=agencies["so-y-te"], rule=DueRule(recurrence="weekly", day=1))
    assert Task.objects.count() == 1


def test_handing_in_on_time_then_correcting_keeps_the_first_day(tax_list_task, admin_user):
    january = tax_list_task.occurrences.get(period_start=date(2025, 1, 1))
    occurrence_submit(actor=admin_user, occurrence_id=january.pk, note="Đã gửi 1.204 doanh nghiệp", on=date(2025, 2, 4))
    occurrence_submit(actor=admin_user, occurrence_id=january.pk, note="Bổ sung 12 doanh nghiệp", file_name="ds.xlsx",
                      file_content=b"PK..", on=date(2025, 2, 20))
    january.refresh_from_db()
    assert january.submitted_on == date(2025, 2, 4) and january.status_on(date(2025, 3, 1)) == "on_time"
    assert january.note == "Bổ sung 12 doanh nghiệp" and bytes(january.file_content) == b"PK.."
    actions = list(AuditEvent.objects.filter(object_type="TaskOccurrence", object_id=str(january.pk)).order_by("pk").values_list("action", flat=True))
    assert actions == ["tasks.occurrence.submit", "tasks.occurrence.resubmit"]


def test_nothing_to_hand_in_is_refused(tax_list_task, admin_user):
    january = tax_list_task.occurrences.get(period_start=date(2025, 1, 1))
    with pytest.raises(ValidationFailed, match="nội dung hoặc đính kèm"):
        occurrence_submit(actor=admin_user, occurrence_id=january.pk, note="   ")
    january.refresh_from_db()
    assert january.submitted_on is None


def test_a_commune_hands_in_its_own_report_and_not_its_neighbours(commune_report_task, commune_editor):
    own = commune_report_task.occurrences.get(agency__code="ubnd-31135", period_start=date(2025, 1, 1))
    other = commune_report_task.occurrences.exclude(agency__code="ubnd-31135").first()
    occurrence_submit(actor=commune_editor, occurrence_id=own.pk, note="Quý I: 96,2%", on=date(2025, 4, 16))
    own.refresh_from_db()
    assert own.status_on(date(2025, 5, 1)) == "late"
    with pytest.raises(PermissionDenied):
        occurrence_submit(actor=commune_editor, occurrence_id=other.pk, note="x")


def test_an_agency_member_hands_in_for_the_agency_only(tax_list_task, student_task, admin_user, province, agencies):
    officer = User.objects.create_user("thue-1", email="thue1@example.vn", org_unit=province, role="agency")
    agency_member_add(actor=admin_user, agency=agencies["thue"], user=officer)
    mine = tax_list_task.occurrences.first()
    occurrence_submit(actor=officer, occurrence_id=mine.pk, note="Danh sách tháng 1")
    with pytest.raises(PermissionDenied):
        occurrence_submit(actor=officer, occurrence_id=student_task.occurrences.get().pk, note="x")


def test_reminders_go_once_a_day_to_the_agency_and_its_members(tax_list_task, admin_user, province, agencies, settings, operator):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    thue = agencies["thue"]
    thue.email = "vanphong@thue.cantho.gov.vn"
    thue.save()
    officer = User.objects.create_user("thue-2", email="thue2@example.vn", org_unit=province, role="editor")
    agency_member_add(actor=admin_user, agency=thue, user=officer)
    first = reminders_send(actor=operator, today=date(2025, 4, 1))
    # January to March are overdue (5/2, 5/3, 5/4 within 7 days): three occurrences in one e-mail.
    assert (first.sent, first.occurrences) == (1, 3)
    assert first.without_address == [] and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["thue2@example.vn", "vanphong@thue.cantho.gov.vn"]
    assert "QUÁ HẠN 05/02/2025" in message.body and "đến hạn 05/04/2025" in message.body
    again = reminders_send(actor=operator, today=date(2025, 4, 1))
    assert again.sent == 0 and len(mail.outbox) == 1
    assert reminders_send(actor=operator, today=date(2025, 4, 2)).sent == 1
    assert set(AuditEvent.objects.filter(action="tasks.reminders").values_list("actor__username", flat=True)) == {"system"}


def test_an_agency_nobody_can_be_written_to_is_named(student_task, settings, operator):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = reminders_send(actor=operator, today=date(2025, 10, 15))
    assert result.sent == 0 and student_task.lead.name in result.without_address
    assert TaskOccurrence.objects.filter(reminded_on__isnull=False).count() == 0
