"""The employer services: imports, reconciliation into worklists, officers' actions, paperwork, look-ups."""

from __future__ import annotations

from datetime import date

import pytest

from ansinh.audit.models import AuditEvent
from ansinh.core.errors import ImportRejected, PermissionDenied, ValidationFailed
from ansinh.employers import selectors, services, storage
from ansinh.employers.models import DemandLetter, MatchDecision, WorkItem
from tests.employers.conftest import csv_bytes

pytestmark = pytest.mark.django_db

UNITS = csv_bytes(
    "Mã đơn vị,Mã số thuế,Tên đơn vị,Địa chỉ,Mã xã,Số lao động,Trạng thái",
    "TA0001A,1800000018,Công ty TNHH Phú Hưng,12 Đường 30/4,31135,10,Đang hoạt động",
    "TA0002A,,CÔNG TY CỔ PHẦN XÂY DỰNG MINH PHÁT,5 Trần Hưng Đạo,31120,8,Đang hoạt động",
    "TA0003A,1800000025,Công ty TNHH Gia Khang,1 Nguyễn Trãi,31120,3,Đang hoạt động",
)
TAX = csv_bytes(
    "Mã số thuế;Tên người nộp thuế;Địa chỉ trụ sở;Tình trạng hoạt động;Số lao động",
    "1800000018;CÔNG TY TNHH PHÚ HƯNG;12 Đường 30/4, Phường Ninh Kiều, TP Cần Thơ;Đang hoạt động;14",
    "1800000032;CTCP Xây dựng Minh Phát;5 Trần Hưng Đạo, Phường Cái Khế, TP Cần Thơ;Đang hoạt động;8",
    "1800000057;Công ty TNHH Bảo An;9 Lê Lợi, Phường Ninh Kiều, TP Cần Thơ;Đang hoạt động;6",
    "1800000025;Công ty TNHH Gia Khang;1 Nguyễn Trãi, Phường Cái Khế, TP Cần Thơ;Đã giải thể;0",
)
# TA0001A owes 10.000.000 đồng a month from July 2025 and paid once, for July; TA0002A paid September on
# its deadline. (The 0,03%/day charge is in force from 1/7/2025: report days before it have no rate.)
LEDGER = csv_bytes(
    "unit_code,period,amount_due,amount_paid,paid_on",
    "TA0001A,2025-07,10000000,,",
    "TA0001A,2025-08,10000000,,",
    "TA0001A,2025-09,10000000,,",
    "TA0001A,,,10000000,20/08/2025",
    "TA0002A,2025-09,5000000,,",
    "TA0002A,,,5000000,31/10/2025",
)


def load(actor):
    for dataset, content, name in (("units", UNITS, "don-vi.csv"), ("tax", TAX, "thue.csv"), ("ledger", LEDGER, "so-thu.csv")):
        services.employers_import(actor=actor, dataset=dataset, content=content, filename=name)


def test_an_import_is_all_or_nothing_and_the_same_file_twice_changes_nothing(data_dir, admin_user):
    first = services.employers_import(actor=admin_user, dataset="tax", content=TAX, filename="thue.csv")
    assert (first.rows, first.added, first.unchanged) == (4, 4, False)
    assert storage.dataset_read("tax", data_dir / "employers").column("commune_code").to_pylist() == ["31135", "31120", "31135", "31120"]
    again = services.employers_import(actor=admin_user, dataset="tax", content=TAX, filename="thue.csv")
    assert again.unchanged
    assert AuditEvent.objects.filter(action="employers.import.tax").count() == 1
    bad = TAX + "1800000050;;Phường Ninh Kiều;Lạ;x\n".encode()
    with pytest.raises(ImportRejected) as rejected:
        services.employers_import(actor=admin_user, dataset="tax", content=bad, filename="thue.csv")
    assert [(e.line, e.field) for e in rejected.value.errors] == [
        (6, "Mã số thuế"), (6, "Tên doanh nghiệp"), (6, "Tình trạng hoạt động"), (6, "Số lao động")]
    assert storage.dataset_read("tax", data_dir / "employers").num_rows == 4


def test_the_ledger_adds_months_and_payments_without_doubling_them(data_dir, operator):
    services.employers_import(actor=operator, dataset="units", content=UNITS, filename="don-vi.csv")
    services.employers_import(actor=operator, dataset="ledger", content=LEDGER, filename="so-thu.csv")
    more = csv_bytes("unit_code,period,amount_due,amount_paid,paid_on", "TA0001A,2025-10,10000000,,", "TA0001A,,,10000000,15/10/2025")
    outcome = services.employers_import(actor=operator, dataset="ledger", content=more, filename="thang-4.csv")
    assert (outcome.added, outcome.changed, outcome.removed) == (2, 0, 0)
    assert services.employers_import(actor=operator, dataset="ledger", content=LEDGER, filename="so-thu.csv").unchanged
    assert storage.dataset_read("ledger").num_rows == 8


def test_units_keep_a_wrong_tax_code_and_say_so(data_dir, operator):
    units = UNITS + "TA0004A,1800000013,Công ty TNHH Sai Mã,,31135,2,\n".encode()
    outcome = services.employers_import(actor=operator, dataset="units", content=units, filename="don-vi.csv")
    assert outcome.warnings == ["1 đơn vị chưa có mã số thuế: sẽ đối chiếu theo tên.",
                                "1 đơn vị có mã số thuế sai chữ số kiểm tra: sẽ đối chiếu theo tên."]


def test_a_commune_account_cannot_import_the_province_lists(data_dir, commune_editor):
    with pytest.raises(PermissionDenied):
        services.employers_import(actor=commune_editor, dataset="tax", content=TAX, filename="thue.csv")


def test_reconcile_fills_each_communes_worklist_and_keeps_statuses_next_month(data_dir, admin_user, commune_editor, operator):
    load(operator)
    outcome = services.employers_reconcile(actor=admin_user, on=date(2025, 11, 1))
    assert outcome.counts["unregistered"] == 1 and outcome.counts["under_declared"] == 1 and outcome.counts["closed_active"] == 1
    unregistered = WorkItem.objects.get(kind="unregistered")
    assert (unregistered.tax_code, unregistered.commune.code, unregistered.detail["workers"]) == ("1800000057", "31135", 6)
    assert WorkItem.objects.get(kind="under_declared").detail["gap"] == 4
    assert WorkItem.objects.get(kind="closed_active").unit_code == "TA0003A"

    services.work_item_set_status(actor=commune_editor, item_id=unregistered.pk, status="contacted", note="Đã gọi điện")
    assert AuditEvent.objects.filter(action="employers.work_item.status", object_id=str(unregistered.pk)).exists()
    with pytest.raises(ValidationFailed, match="Không chuyển được"):
        services.work_item_set_status(actor=commune_editor, item_id=unregistered.pk, status="new")
    closed = WorkItem.objects.get(kind="closed_active")  # Cái Khế's: not the Ninh Kiều editor's to touch
    with pytest.raises(PermissionDenied):
        services.work_item_set_status(actor=commune_editor, item_id=closed.pk, status="contacted")

    again = services.employers_reconcile(actor=admin_user, on=date(2025, 12, 1))
    assert (again.created, again.closed) == (0, 0)
    unregistered.refresh_from_db()
    assert (unregistered.status, unregistered.first_found, unregistered.last_found) == ("contacted", date(2025, 11, 1), date(2025, 12, 1))


def test_a_finding_that_goes_away_closes_its_item(data_dir, admin_user, operator):
    load(operator)
    services.employers_reconcile(actor=admin_user)
    registered = UNITS + "TA0009A,1800000057,Công ty TNHH Bảo An,,31135,6,\n".encode()
    services.employers_import(actor=admin_user, dataset="units", content=registered, filename="don-vi-2.csv")
    outcome = services.employers_reconcile(actor=admin_user)
    assert outcome.closed == 1
    assert not WorkItem.objects.get(kind="unregistered", tax_code="1800000057").open


def test_an_officers_decision_on_an_uncertain_match_holds_next_month(data_dir, admin_user, operator):
    units = UNITS + "TA0005A,,Công ty TNHH Kỹ thuật Điện Nam Long,,31135,4,\n".encode()
    tax = TAX + "1800000064;Công ty TNHH Kỹ thuật Điện Nam Lng Phát;Phường Ninh Kiều;Đang hoạt động;4\n".encode()
    services.employers_import(actor=operator, dataset="units", content=units, filename="u.csv")
    services.employers_import(actor=operator, dataset="tax", content=tax, filename="t.csv")
    services.employers_reconcile(actor=admin_user)
    item = WorkItem.objects.get(kind="uncertain")
    assert (item.tax_code, item.unit_code) == ("1800000064", "TA0005A")
    services.match_decide(actor=admin_user, item_id=item.pk, confirmed=False, note="Khác doanh nghiệp")
    assert (MatchDecision.objects.get().record_key, MatchDecision.objects.get().decision) == ("1800000064", "rejected")
    outcome = services.employers_reconcile(actor=admin_user)
    assert outcome.counts["uncertain"] == 0
    assert WorkItem.objects.filter(kind="unregistered", tax_code="1800000064", open=True).exists()


def test_letters_keep_their_numbers_and_carry_the_reports_amounts(data_dir, admin_user, operator):
    load(operator)
    batch = services.letters_generate(actor=admin_user, month=date(2025, 11, 1))
    assert batch.as_of == date(2025, 10, 31) and batch.letters == 1  # TA0002A paid September on its deadline
    report = selectors.arrears_in_scope(actor=admin_user, as_of=date(2025, 10, 31))
    assert [a.unit_code for a in report] == ["TA0001A"]
    assert (batch.unpaid, batch.interest) == (report[0].unpaid, report[0].interest)
    # August is owed from 30/09: 31 days × 10.000.000 × 0,03% = 93.000; September is due only on 31/10.
    assert [(m.period, m.days_late, m.interest) for m in report[0].months] == [(date(2025, 8, 1), 31, 93_000)]
    first = DemandLetter.objects.get(unit_code="TA0001A")
    services.letters_generate(actor=admin_user, month=date(2025, 11, 1), merged=True)
    assert DemandLetter.objects.get(unit_code="TA0001A").number == first.number
    assert AuditEvent.objects.filter(action="employers.letters").count() == 2


def test_the_compliance_look_up_answers_with_facts_and_is_logged(data_dir, admin_user, operator):
    load(operator)
    owing = services.compliance_check(actor=admin_user, tax_code="1800000018", on=date(2025, 10, 31))
    assert not owing.compliant and "chậm đóng 1 tháng, số tiền 10.000.000 đồng, lãi 93.000 đồng" in owing.facts[0]
    paid = services.compliance_check(actor=admin_user, tax_code="1800000018", on=date(2025, 9, 1))
    assert paid.compliant
    with pytest.raises(ValidationFailed):
        services.compliance_check(actor=admin_user, tax_code="1800000013")
    assert AuditEvent.objects.filter(action="employers.compliance_check").count() == 2


def test_the_quarterly_lists_are_audited_exports(data_dir, admin_user, operator):
    load(operator)
    name, content = services.offenders_export(actor=admin_user, quarter="2026-Q1")
    assert name == "danh-sach-vi-pham-2026-q1.xlsx" and content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="export.employers.offenders").exists()
    with pytest.raises(ValidationFailed, match="YYYY-Qn"):
        services.offenders_export(actor=admin_user, quarter="2025-5")


def test_an_unknown_tax_code_cannot_be_vouched_for(data_dir, admin_user, operator):
    load(operator)
    answer = services.compliance_check(actor=admin_user, tax_code="1800000025-001", on=date(2025, 10, 31))
    assert [a.unit_code for a in answer.units] == ["TA0003A"] and answer.compliant  # the head office's unit answers
    nobody = services.compliance_check(actor=admin_user, tax_code="1800000089", on=date(2025, 10, 31))
    assert not nobody.compliant and "không có cơ sở xác nhận" in nobody.facts[0]


def test_a_letter_libreoffice_opens_carries_the_arrears_reports_figures_to_the_dong(data_dir, admin_user, tmp_path, operator):
    from tests.libreoffice import TEXT, soffice

    load(operator)
    batch = services.letters_generate(actor=admin_user, month=date(2025, 11, 1))
    (name, content), = batch.files
    letter = tmp_path / name
    letter.write_bytes(content)
    soffice(tmp_path, TEXT, letter)
    read = letter.with_suffix(".txt").read_text(encoding="utf-8")
    report, = selectors.arrears_in_scope(actor=admin_user, as_of=batch.as_of)
    for figure in (report.unpaid, report.interest, report.total):
        assert f"{figure:,} đồng".replace(",", ".") in read
    assert "Kính gửi: Công ty TNHH Phú Hưng" in read
