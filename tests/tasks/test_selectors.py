"""Who sees which duties, the in-app reminder list, and timeliness rates per agency and per commune."""

from __future__ import annotations

from datetime import date

from ansinh.tasks.selectors import duties, duties_open, submissions, timeliness_by_agency
from ansinh.tasks.services import occurrence_submit


def _hand_in(task, agency_code, period_start, on, actor, note="Đã nộp"):
    occurrence = task.occurrences.get(agency__code=agency_code, period_start=period_start)
    occurrence_submit(actor=actor, occurrence_id=occurrence.pk, note=note, on=on)


def test_timeliness_per_agency_counts_on_time_late_missing_and_pending(tax_list_task, student_task, admin_user, plan):
    _hand_in(tax_list_task, "thue", date(2025, 1, 1), date(2025, 2, 5), admin_user)  # on the day: on time
    _hand_in(tax_list_task, "thue", date(2025, 2, 1), date(2025, 3, 9), admin_user)  # late
    _hand_in(tax_list_task, "thue", date(2025, 4, 1), date(2025, 5, 2), admin_user)  # on time; March missing
    rows = {row.agency_code: row for row in timeliness_by_agency(plan=plan, start=date(2025, 1, 1), end=date(2025, 6, 30), today=date(2025, 6, 1))}
    thue = rows["thue"]
    # Due by 1/6: 5/2, 5/3, 5/4, 5/5 (four); 5/6 is pending.
    assert (thue.due, thue.on_time, thue.late, thue.missing, thue.pending) == (4, 2, 1, 1, 1)
    assert thue.rate == 50.0 and thue.reporting_rate == 75.0
    assert "so-gddt" not in rows  # its one duty falls due on 20/10, outside the window
    whole_year = timeliness_by_agency(plan=plan, start=date(2025, 1, 1), end=date(2025, 12, 31), today=date(2025, 10, 21))
    gddt = next(row for row in whole_year if row.agency_code == "so-gddt")
    assert (gddt.due, gddt.missing, gddt.rate) == (1, 1, 0.0)


def test_timeliness_per_commune_ranks_the_communes(commune_report_task, admin_user, plan):
    _hand_in(commune_report_task, "ubnd-31135", date(2025, 1, 1), date(2025, 4, 10), admin_user)
    _hand_in(commune_report_task, "ubnd-31135", date(2025, 4, 1), date(2025, 7, 15), admin_user)
    rows = timeliness_by_agency(plan=plan, start=date(2025, 1, 1), end=date(2025, 7, 31), today=date(2025, 8, 1), communes=True)
    assert len(rows) == 103
    assert rows[0].agency_code == "ubnd-31135" and rows[0].rate == 100.0
    assert all(row.rate == 0.0 and row.missing == 2 for row in rows[1:])
    assert timeliness_by_agency(plan=plan, start=date(2025, 1, 1), end=date(2025, 7, 31), today=date(2025, 8, 1)) == []


def test_submissions_list_what_each_agency_handed_in(tax_list_task, admin_user, plan):
    _hand_in(tax_list_task, "thue", date(2025, 1, 1), date(2025, 2, 3), admin_user, note="1.204 doanh nghiệp")
    rows = submissions(plan=plan, start=date(2025, 2, 1), end=date(2025, 3, 31), today=date(2025, 4, 1))
    assert [(r.due_on, r.status, r.note) for r in rows] == [
        (date(2025, 2, 5), "on_time", "1.204 doanh nghiệp"), (date(2025, 3, 5), "missing", ""),
    ]
    assert rows[0].status_label == "Đúng hạn"


def test_a_commune_user_sees_only_its_own_duties(commune_report_task, tax_list_task, commune_editor, admin_user):
    mine = duties(actor=commune_editor, today=date(2025, 5, 1))
    assert {row.occurrence.agency.code for row in mine} == {"ubnd-31135"}
    assert len(duties(actor=admin_user, today=date(2025, 5, 1))) == 103 * 4 + 12


def test_the_in_app_list_shows_overdue_and_soon_due_most_urgent_first(commune_report_task, commune_editor):
    rows = duties_open(actor=commune_editor, today=date(2025, 7, 1), within_days=30)
    assert [(row.occurrence.due_on, row.status) for row in rows] == [(date(2025, 4, 15), "missing"), (date(2025, 7, 15), "pending")]
    assert rows[0].days_overdue == 77 and rows[1].days_left == 14
    assert rows[1].period_label == "Quý II/2025"
