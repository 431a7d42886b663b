"""/api/v1/employers with Django's test client, on the tiny lists of tests/employers/test_services.py.

Three BHXH units: Phú Hưng (TA0001A, Phường Ninh Kiều 31135) owes 10.000.000 đồng a month from July 2025
and paid July only; Minh Phát (TA0002A) and Gia Khang (TA0003A) are in Phường Cái Khế (31120). Reconciled,
the lists give three findings: Bảo An not registered and Phú Hưng under-declared (Ninh Kiều), Gia Khang
dissolved at the tax office but active at BHXH (Cái Khế). The commune editor is Ninh Kiều's (xa-31135).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from ansinh.audit.models import AuditEvent
from ansinh.accounts.services import token_issue
from ansinh.employers import selectors, services, storage
from ansinh.employers.models import DemandLetter, EmployerImport, MatchDecision, ReconcileRun, WorkItem
from tests.employers.conftest import csv_bytes
from tests.employers.test_services import TAX, UNITS, load

pytestmark = pytest.mark.django_db

API = "/api/v1/employers"
NINH_KIEU, CAI_KHE = "31135", "31120"
#: Minh Phát (Cái Khế) also owes August: its payment of 31/10 settles August, so September stays owed.
CAI_KHE_OWES = csv_bytes("unit_code,period,amount_due,amount_paid,paid_on", "TA0002A,2025-08,5000000,,")


def _bearer(username: str) -> dict[str, str]:
    key, _ = token_issue(username=username, password="demo-password-123")
    return {"Authorization": f"Bearer {key}"}


def _upload(client, dataset: str, content: bytes, name: str = "thue.csv", mapping: list[str] | None = None, **kwargs):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if mapping:
        data["map"] = mapping
    return client.post(f"{API}/import/{dataset}", data, **kwargs)


def _post(client, path: str, body: dict, **kwargs):
    return client.post(f"{API}{path}", body, content_type="application/json", **kwargs)


@pytest.fixture
def loaded(data_dir, operator):
    """The units, the tax office's list and the ledger imported."""
    load(operator)
    return data_dir


@pytest.fixture
def reconciled(loaded, admin_user):
    services.employers_reconcile(actor=admin_user, on=date(2025, 11, 1))
    return loaded


def _item(kind: str) -> WorkItem:
    return WorkItem.objects.get(kind=kind)


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def _xlsx_cells(content: bytes) -> list:
    return [cell for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for cell in row]


# ---------------------------------------------------------------------------------------------- import


def test_import_a_list_and_the_same_file_twice_changes_nothing(admin_client, admin_user, data_dir):
    answer = _upload(admin_client, "tax", TAX)

    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"dataset": "tax", "rows": 4, "added": 4, "changed": 0, "removed": 0, "unchanged": False, "warnings": []}
    assert storage.dataset_read("tax").column("tax_code").to_pylist() == ["1800000018", "1800000032", "1800000057", "1800000025"]
    batch = EmployerImport.objects.get()
    assert (batch.actor, batch.dataset, batch.filename, batch.rows, batch.added) == (admin_user, "tax", "thue.csv", 4, 4)
    event = AuditEvent.objects.get(action="employers.import.tax")
    assert (event.actor, event.object_id, event.detail["rows"], event.detail["added"]) == (admin_user, str(batch.pk), 4, 4)

    again = _upload(admin_client, "tax", TAX)

    assert again.status_code == 200
    assert (again.json()["unchanged"], again.json()["added"], again.json()["changed"]) == (True, 0, 0)
    assert EmployerImport.objects.count() == 1
    assert AuditEvent.objects.filter(action="employers.import.tax").count() == 1


def test_units_import_warns_of_missing_tax_codes(client, data_dir):
    answer = _upload(client, "units", UNITS, "don-vi.csv", headers=_bearer("tinh"))

    assert answer.status_code == 200
    assert (answer.json()["rows"], answer.json()["warnings"]) == (3, ["1 đơn vị chưa có mã số thuế: sẽ đối chiếu theo tên."])


def test_a_file_with_bad_rows_is_refused_whole_with_every_bad_cell(admin_client, data_dir):
    bad = TAX + "1800000050;;Phường Ninh Kiều;Lạ;x\n".encode() + "1800000018;Trùng mã;;Đang hoạt động;3\n".encode()

    answer = _upload(admin_client, "tax", bad)

    body = answer.json()
    assert answer.status_code == 422
    assert body["detail"] == "Tệp bị từ chối: 5 dòng lỗi, không có dữ liệu nào được lưu."
    assert [(e["line"], e["field"]) for e in body["errors"]] == [
        (6, "Mã số thuế"), (6, "Tên doanh nghiệp"), (6, "Tình trạng hoạt động"), (6, "Số lao động"), (7, "Mã số thuế"),
    ]
    messages = {(e["line"], e["field"]): e["message"] for e in body["errors"]}
    assert messages[(6, "Mã số thuế")] == "mã số thuế “1800000050” sai chữ số kiểm tra"
    assert messages[(6, "Tên doanh nghiệp")] == "thiếu tên doanh nghiệp"
    assert messages[(6, "Số lao động")] == "số lao động “x” phải là số nguyên không âm"
    assert messages[(7, "Mã số thuế")] == "trùng với dòng 2"
    assert not storage.dataset_exists("tax")
    assert not EmployerImport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="employers.import").exists()


def test_a_header_named_otherwise_is_mapped(admin_client, data_dir):
    renamed = TAX.replace("Tên người nộp thuế".encode(), "Người nộp thuế".encode())

    unmapped = _upload(admin_client, "tax", renamed)
    mapped = _upload(admin_client, "tax", renamed, mapping=["Người nộp thuế=name"])

    assert unmapped.status_code == 422 and "thiếu cột Tên doanh nghiệp" in unmapped.json()["detail"]
    assert mapped.status_code == 200, mapped.json()
    assert mapped.json()["rows"] == 4
    assert storage.dataset_read("tax").column("name").to_pylist()[2] == "Công ty TNHH Bảo An"


def test_a_commune_editor_may_not_import_the_province_lists(editor_client, data_dir):
    answer = _upload(editor_client, "tax", TAX)

    assert answer.status_code == 403
    assert "ngoài phạm vi" in answer.json()["detail"]
    assert not storage.dataset_exists("tax")
    assert not EmployerImport.objects.exists()


def test_an_unknown_list_or_no_login(admin_client, data_dir):
    assert _upload(admin_client, "people", TAX).status_code == 422
    assert _upload(Client(), "tax", TAX).status_code == 401
    assert not storage.dataset_exists("tax")


# ------------------------------------------------------------------------------------------- reconcile


def test_reconcile_counts_the_findings_and_fills_the_worklists(admin_client, admin_user, loaded):
    answer = admin_client.post(f"{API}/reconcile")

    body = answer.json()
    assert answer.status_code == 200, body
    assert body["counts"] == {
        "records": 4, "units": 3, "matched": 3, "unregistered": 1, "under_declared": 1, "closed_active": 1, "uncertain": 0,
    }
    assert (body["created"], body["reopened"], body["closed"]) == (3, 0, 0)
    assert body["seconds"] >= 0
    assert sorted(WorkItem.objects.values_list("kind", "commune__code")) == [
        ("closed_active", CAI_KHE), ("under_declared", NINH_KIEU), ("unregistered", NINH_KIEU)]
    run = ReconcileRun.objects.get()
    assert run.actor == admin_user and run.counts == body["counts"]
    assert AuditEvent.objects.get(action="employers.reconcile").detail["created"] == 3

    again = admin_client.post(f"{API}/reconcile").json()
    assert (again["created"], again["reopened"], again["closed"]) == (0, 0, 0)


def test_reconcile_needs_the_units_and_the_province(admin_client, data_dir, operator):
    missing = admin_client.post(f"{API}/reconcile")
    assert missing.status_code == 404 and "ansinh employers import units" in missing.json()["detail"]

    load(operator)
    assert Client().post(f"{API}/reconcile", headers=_bearer("xa-31135")).status_code == 403
    assert not ReconcileRun.objects.exists()


# ------------------------------------------------------------------------------------------- worklists


def test_the_province_sees_every_communes_items_a_page_at_a_time(admin_client, reconciled):
    first = admin_client.get(f"{API}/worklists/92", {"per_page": 2}).json()
    second = admin_client.get(f"{API}/worklists/92", {"per_page": 2, "page": 2}).json()

    assert (first["count"], first["page"], first["pages"], len(first["items"])) == (3, 1, 2, 2)
    assert (second["page"], len(second["items"])) == (2, 1)
    assert [i["kind"] for i in first["items"] + second["items"]] == ["closed_active", "under_declared", "unregistered"]
    closed = first["items"][0]
    assert {k: closed[k] for k in ("kind_label", "commune_code", "tax_code", "unit_code", "name", "status", "status_label", "open")} == {
        "kind_label": "Đã giải thể/tạm ngừng nhưng còn hoạt động tại BHXH", "commune_code": CAI_KHE, "tax_code": "1800000025",
        "unit_code": "TA0003A", "name": "Công ty TNHH Gia Khang", "status": "new", "status_label": "Mới", "open": True,
    }
    assert (closed["first_found"], closed["last_found"]) == ("2025-11-01", "2025-11-01")


def test_a_commune_editor_sees_only_their_commune(client, reconciled):
    headers = _bearer("xa-31135")

    own = client.get(f"{API}/worklists/{NINH_KIEU}", headers=headers)
    other = client.get(f"{API}/worklists/{CAI_KHE}", headers=headers)
    province = client.get(f"{API}/worklists/92", headers=headers)

    assert own.status_code == 200
    assert [(i["kind"], i["commune_code"]) for i in own.json()["items"]] == [("under_declared", NINH_KIEU), ("unregistered", NINH_KIEU)]
    unregistered = own.json()["items"][1]
    assert (unregistered["tax_code"], unregistered["name"], unregistered["detail"]["workers"]) == ("1800000057", "Công ty TNHH Bảo An", 6)
    assert own.json()["items"][0]["detail"]["gap"] == 4
    assert other.status_code == 403 and "ngoài phạm vi" in other.json()["detail"]
    assert province.status_code == 403


def test_worklist_filters_by_kind_status_and_text(admin_client, reconciled):
    def names(**query) -> list[str]:
        return [i["name"] for i in admin_client.get(f"{API}/worklists/92", query).json()["items"]]

    WorkItem.objects.filter(kind="unregistered").update(status="contacted")

    assert names(kind="unregistered") == ["Công ty TNHH Bảo An"]
    assert names(status="contacted") == ["Công ty TNHH Bảo An"]
    assert names(status="new") == ["Công ty TNHH Gia Khang", "Công ty TNHH Phú Hưng"]
    assert names(kind="closed_active", status="contacted") == []
    assert names(q="TA0003A") == ["Công ty TNHH Gia Khang"]
    assert names(q="18000000") == ["Công ty TNHH Gia Khang", "Công ty TNHH Phú Hưng", "Công ty TNHH Bảo An"]
    assert admin_client.get(f"{API}/worklists/92", {"per_page": 0}).status_code == 422
    assert admin_client.get(f"{API}/worklists/99999").status_code == 404


def test_closed_items_show_only_when_asked(admin_client, reconciled):
    WorkItem.objects.filter(kind="closed_active").update(open=False)

    assert admin_client.get(f"{API}/worklists/{CAI_KHE}").json()["count"] == 0
    shown = admin_client.get(f"{API}/worklists/{CAI_KHE}", {"include_closed": True}).json()
    assert [(i["kind"], i["open"]) for i in shown["items"]] == [("closed_active", False)]


# ----------------------------------------------------------------------------------- officers' actions


def test_an_editor_moves_their_communes_item_on_and_it_is_audited(editor_client, commune_editor, reconciled):
    item = _item("unregistered")

    answer = _post(editor_client, f"/worklist/{item.pk}/status", {"status": "contacted", "note": " Đã gọi điện "})

    body = answer.json()
    assert answer.status_code == 200, body
    assert (body["id"], body["status"], body["status_label"], body["note"]) == (item.pk, "contacted", "Đã liên hệ", "Đã gọi điện")
    item.refresh_from_db()
    assert (item.status, item.note) == ("contacted", "Đã gọi điện") and item.status_changed_at is not None
    event = AuditEvent.objects.get(action="employers.work_item.status", object_id=str(item.pk))
    assert event.actor == commune_editor
    assert event.detail == {"before": "new", "after": "contacted", "note": "Đã gọi điện"}

    done = _post(editor_client, f"/worklist/{item.pk}/status", {"status": "registered"})
    assert done.status_code == 200 and done.json()["status"] == "registered"
    assert AuditEvent.objects.filter(action="employers.work_item.status", object_id=str(item.pk)).count() == 2


def test_a_move_the_workflow_refuses_changes_nothing(editor_client, reconciled):
    item = _item("unregistered")
    _post(editor_client, f"/worklist/{item.pk}/status", {"status": "contacted"})

    back = _post(editor_client, f"/worklist/{item.pk}/status", {"status": "new"})
    unknown = _post(editor_client, f"/worklist/{item.pk}/status", {"status": "done"})

    assert back.status_code == 422
    assert back.json()["detail"] == "Không chuyển được từ “Đã liên hệ” sang “Mới”."
    assert unknown.status_code == 422
    item.refresh_from_db()
    assert item.status == "contacted"
    assert AuditEvent.objects.filter(action="employers.work_item.status", object_id=str(item.pk)).count() == 1


def test_another_communes_item_is_out_of_reach(editor_client, reconciled):
    item = _item("closed_active")  # Cái Khế's

    answer = _post(editor_client, f"/worklist/{item.pk}/status", {"status": "contacted"})

    assert answer.status_code == 403 and "ngoài phạm vi" in answer.json()["detail"]
    assert _post(editor_client, "/worklist/999999/status", {"status": "contacted"}).status_code == 404
    item.refresh_from_db()
    assert item.status == "new"
    assert not AuditEvent.objects.filter(action="employers.work_item.status").exists()


@pytest.fixture
def uncertain(data_dir, admin_user, operator) -> WorkItem:
    """A unit without tax code whose name is close to, not the same as, a taxpayer's in Ninh Kiều."""
    units = UNITS + "TA0005A,,Công ty TNHH Kỹ thuật Điện Nam Long,,31135,4,\n".encode()
    tax = TAX + "1800000064;Công ty TNHH Kỹ thuật Điện Nam Lng Phát;Phường Ninh Kiều;Đang hoạt động;4\n".encode()
    services.employers_import(actor=operator, dataset="units", content=units, filename="u.csv")
    services.employers_import(actor=operator, dataset="tax", content=tax, filename="t.csv")
    services.employers_reconcile(actor=admin_user)
    return _item("uncertain")


def test_an_officer_answers_an_uncertain_match(editor_client, commune_editor, uncertain):
    refused = _post(editor_client, f"/worklist/{uncertain.pk}/status", {"status": "contacted"})
    assert refused.status_code == 422 and "Đúng là đơn vị này" in refused.json()["detail"]

    answer = _post(editor_client, f"/worklist/{uncertain.pk}/decision", {"confirmed": False, "note": "Khác doanh nghiệp"})

    body = answer.json()
    assert answer.status_code == 200, body
    assert (body["id"], body["kind"], body["open"], body["note"]) == (uncertain.pk, "uncertain", False, "Khác doanh nghiệp")
    decision = MatchDecision.objects.get()
    assert (decision.source, decision.record_key, decision.unit_code, decision.decision, decision.decided_by) == (
        "tax", "1800000064", "TA0005A", "rejected", commune_editor)
    event = AuditEvent.objects.get(action="employers.match.decide")
    assert (event.actor, event.detail) == (commune_editor, {"decision": "rejected", "record_key": "1800000064", "unit_code": "TA0005A"})


def test_a_decision_is_for_uncertain_pairs_only(editor_client, reconciled):
    item = _item("unregistered")

    answer = _post(editor_client, f"/worklist/{item.pk}/decision", {"confirmed": True})
    other = _post(editor_client, f"/worklist/{_item('closed_active').pk}/decision", {"confirmed": True})

    assert answer.status_code == 422 and "cần xác nhận" in answer.json()["detail"]
    assert other.status_code == 403
    assert not MatchDecision.objects.exists()


# --------------------------------------------------------------------------------------------- arrears


def test_arrears_are_the_selectors_figures(admin_client, admin_user, loaded):
    answer = admin_client.get(f"{API}/arrears", {"as_of": "2025-10-31"})

    body = answer.json()
    assert answer.status_code == 200
    expected = selectors.arrears_in_scope(actor=admin_user, as_of=date(2025, 10, 31))
    assert [(r["unit_code"], r["months_owed"], r["unpaid"], r["interest"], r["status"]) for r in body] == [
        (a.unit_code, a.months_owed, a.unpaid, a.interest, a.status) for a in expected]
    # July was paid on 20/08; August owed from 30/09: 31 days × 10.000.000 × 0,03% = 93.000; September is due on 31/10.
    (phu_hung,) = body
    assert {k: phu_hung[k] for k in ("unit_code", "tax_code", "name", "commune_code", "workers", "as_of", "months_owed",
                                      "unpaid", "interest", "interest_on_paid", "max_days_late", "status", "status_label")} == {
        "unit_code": "TA0001A", "tax_code": "1800000018", "name": "Công ty TNHH Phú Hưng", "commune_code": NINH_KIEU,
        "workers": 10, "as_of": "2025-10-31", "months_owed": 1, "unpaid": 10_000_000, "interest": 93_000, "interest_on_paid": 0,
        "max_days_late": 31, "status": "late", "status_label": "Chậm đóng",
    }
    assert phu_hung["months"] == [{
        "period": "2025-08-01", "amount_due": 10_000_000, "unpaid": 10_000_000, "deadline": "2025-09-30", "days_late": 31,
        "interest": 93_000, "status": "late",
    }]


def test_arrears_default_to_the_ledgers_last_day(admin_client, loaded):
    body = admin_client.get(f"{API}/arrears").json()

    assert [(r["unit_code"], r["as_of"], r["unpaid"]) for r in body] == [("TA0001A", "2025-10-31", 10_000_000)]


def test_a_commune_editor_sees_the_arrears_of_their_commune_only(admin_client, admin_user, loaded, operator):
    services.employers_import(actor=operator, dataset="ledger", content=CAI_KHE_OWES, filename="bo-sung.csv")
    day = {"as_of": "2025-11-30"}

    province = admin_client.get(f"{API}/arrears", day).json()
    commune = Client().get(f"{API}/arrears", day, headers=_bearer("xa-31135")).json()
    several = admin_client.get(f"{API}/arrears", {**day, "min_months": 2}).json()

    # Phú Hưng: August 61 days past its deadline (evasion) and September 30 days; Minh Phát: September 30 days.
    assert [(r["unit_code"], r["months_owed"], r["unpaid"], r["interest"], r["status"]) for r in province] == [
        ("TA0001A", 2, 20_000_000, 61 * 3_000 + 30 * 3_000, "evasion"), ("TA0002A", 1, 5_000_000, 30 * 1_500, "late")]
    expected = selectors.arrears_in_scope(actor=admin_user, as_of=date(2025, 11, 30))
    assert [(r["unit_code"], r["unpaid"], r["interest"]) for r in province] == [(a.unit_code, a.unpaid, a.interest) for a in expected]
    assert [r["unit_code"] for r in commune] == ["TA0001A"]
    assert commune[0] == province[0]
    assert [r["unit_code"] for r in several] == ["TA0001A"]


def test_one_units_arrears_in_scope(client, loaded, operator):
    services.employers_import(actor=operator, dataset="ledger", content=CAI_KHE_OWES, filename="bo-sung.csv")
    headers = _bearer("xa-31135")

    own = client.get(f"{API}/units/TA0001A/arrears", {"as_of": "2025-10-31"}, headers=headers)
    other = client.get(f"{API}/units/TA0002A/arrears", {"as_of": "2025-11-30"}, headers=headers)
    unknown = client.get(f"{API}/units/ZZ9999Z/arrears", headers=headers)

    assert own.status_code == 200
    assert (own.json()["unit_code"], own.json()["unpaid"], own.json()["interest"]) == ("TA0001A", 10_000_000, 93_000)
    assert other.status_code == 403 and "ngoài phạm vi" in other.json()["detail"]
    assert unknown.status_code == 404
    province = _bearer("tinh")
    assert client.get(f"{API}/units/TA0002A/arrears", {"as_of": "2025-11-30"}, headers=province).json()["unpaid"] == 5_000_000
    none = client.get(f"{API}/units/TA0003A/arrears", {"as_of": "2025-11-30"}, headers=province).json()  # no ledger rows
    assert (none["months_owed"], none["unpaid"], none["interest"], none["status"], none["status_label"], none["months"]) == (
        0, 0, 0, None, None, [])


def test_a_bad_day_is_refused(admin_client, loaded):
    assert admin_client.get(f"{API}/arrears", {"as_of": "31/10/2025"}).status_code == 422
    assert admin_client.get(f"{API}/arrears", {"min_months": 0}).status_code == 422


# ---------------------------------------------------------------------------------------- compliance


def test_the_compliance_look_up_answers_and_is_logged(client, commune_editor, loaded):
    headers = _bearer("xa-31135")

    owing = client.get(f"{API}/check/1800000018", {"on": "2025-10-31"}, headers=headers)
    paid = client.get(f"{API}/check/1800 000 018", {"on": "2025-09-01"}, headers=headers)

    assert owing.status_code == 200
    body = owing.json()
    assert (body["tax_code"], body["on"], body["compliant"], body["open_findings"]) == ("1800000018", "2025-10-31", False, [])
    assert body["facts"] == [
        "Đơn vị TA0001A (Công ty TNHH Phú Hưng) chậm đóng 1 tháng, số tiền 10.000.000 đồng, lãi 93.000 đồng, tính đến 31/10/2025."]
    assert [(u["unit_code"], u["unpaid"], u["interest"]) for u in body["units"]] == [("TA0001A", 10_000_000, 93_000)]
    assert (paid.json()["tax_code"], paid.json()["compliant"]) == ("1800000018", True)
    events = AuditEvent.objects.filter(action="employers.compliance_check").order_by("id")
    assert [(e.actor, e.detail) for e in events] == [
        (commune_editor, {"tax_code": "1800000018", "on": "2025-10-31", "compliant": False}),
        (commune_editor, {"tax_code": "1800000018", "on": "2025-09-01", "compliant": True}),
    ]


def test_an_open_finding_or_no_unit_is_not_compliant(admin_client, reconciled):
    under = admin_client.get(f"{API}/check/1800000018", {"on": "2025-09-01"}).json()
    nobody = admin_client.get(f"{API}/check/1800000057", {"on": "2025-09-01"}).json()
    bad = admin_client.get(f"{API}/check/1800000013")

    assert under["compliant"] is False
    assert under["open_findings"] == ["Đóng thiếu số lao động: Công ty TNHH Phú Hưng"]
    assert nobody["compliant"] is False and nobody["units"] == []
    assert "không có cơ sở xác nhận đã chấp hành" in nobody["facts"][0]
    assert nobody["open_findings"] == ["Chưa đăng ký tham gia BHXH: Công ty TNHH Bảo An"]
    assert bad.status_code == 422 and bad.json()["detail"] == "Mã số thuế: mã số thuế “1800000013” sai chữ số kiểm tra."
    assert AuditEvent.objects.filter(action="employers.compliance_check").count() == 2


# ------------------------------------------------------------------------------------------ paperwork


def test_the_months_letters_are_one_docx_with_the_reports_amounts(admin_client, admin_user, loaded):
    answer = admin_client.get(f"{API}/letters/2025-11.docx")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert answer["Content-Disposition"] == 'attachment; filename="thong-bao-don-doc-2025-11.docx"'
    text = _docx_text(answer.content)
    assert "Kính gửi: Công ty TNHH Phú Hưng" in text
    assert "tổng số tiền chưa đóng là 10.000.000 đồng" in text
    assert "93.000 đồng" in text and "10.093.000 đồng" in text
    assert "Công ty TNHH Gia Khang" not in text
    letter = DemandLetter.objects.get()
    assert (letter.unit_code, letter.month, letter.as_of, letter.unpaid, letter.interest) == (
        "TA0001A", date(2025, 11, 1), date(2025, 10, 31), 10_000_000, 93_000)
    assert f"Số: {letter.number}/TB-BHXH" in text
    event = AuditEvent.objects.get(action="employers.letters")
    assert (event.actor, event.detail) == (admin_user, {"month": "2025-11-01", "letters": 1, "unpaid": 10_000_000, "interest": 93_000})


def test_letters_for_a_month_nobody_owes_or_a_bad_month(admin_client, loaded):
    nobody = admin_client.get(f"{API}/letters/2025-09.docx")  # as of 31/08 July was paid, August not yet due
    bad = admin_client.get(f"{API}/letters/2025-13.docx")
    words = admin_client.get(f"{API}/letters/thang-11.docx")
    commune = Client().get(f"{API}/letters/2025-11.docx", headers=_bearer("xa-31135"))

    assert nobody.status_code == 404 and "31/08/2025" in nobody.json()["detail"]
    assert bad.status_code == 422 and bad.json()["detail"] == "Tháng: kỳ “2025-13” không đúng dạng YYYY-MM."
    assert words.status_code == 422
    assert commune.status_code == 403
    assert not DemandLetter.objects.exists()


def test_the_quarters_offenders_list_is_an_audited_xlsx_in_scope(admin_client, admin_user, commune_editor, loaded, operator):
    services.employers_import(actor=operator, dataset="ledger", content=CAI_KHE_OWES, filename="bo-sung.csv")

    province = admin_client.get(f"{API}/offenders/2026-Q1.xlsx")
    commune = Client().get(f"{API}/offenders/2026-Q1.xlsx", headers=_bearer("xa-31135"))

    assert province.status_code == 200
    assert province["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert province["Content-Disposition"] == 'attachment; filename="danh-sach-vi-pham-2026-q1.xlsx"'
    cells = _xlsx_cells(province.content)
    # As of 31/12/2025: Phú Hưng owes August–September (20.000.000), Minh Phát September (5.000.000).
    assert "Công ty TNHH Phú Hưng" in cells and "CÔNG TY CỔ PHẦN XÂY DỰNG MINH PHÁT" in cells
    assert 20_000_000 in cells and 5_000_000 in cells
    assert "Trốn đóng" in cells
    own = _xlsx_cells(commune.content)
    assert "Công ty TNHH Phú Hưng" in own and "CÔNG TY CỔ PHẦN XÂY DỰNG MINH PHÁT" not in own
    events = AuditEvent.objects.filter(action="export.employers.offenders").order_by("id")
    assert [(e.actor, e.detail) for e in events] == [
        (admin_user, {"quarter": "2026-Q1", "public": False, "units": 2}),
        (commune_editor, {"quarter": "2026-Q1", "public": False, "units": 1}),
    ]


def test_the_public_list_and_a_bad_quarter(admin_client, loaded):
    public = admin_client.get(f"{API}/offenders/2026-Q1.xlsx", {"public": True})
    bad = admin_client.get(f"{API}/offenders/2025-Q5.xlsx")

    assert public.status_code == 200
    assert public["Content-Disposition"] == 'attachment; filename="cong-khai-don-vi-cham-dong-2026-q1.xlsx"'
    cells = _xlsx_cells(public.content)
    assert "Công ty TNHH Phú Hưng" in cells and "TA0001A" not in cells  # organisation data only, no unit codes
    assert AuditEvent.objects.get(action="export.employers.offenders").detail["public"] is True
    assert bad.status_code == 422 and "YYYY-Qn" in bad.json()["detail"]
    assert AuditEvent.objects.filter(action="export.employers.offenders").count() == 1


def test_the_months_letters_with_a_first_number_and_the_signer(admin_client, loaded):
    answer = admin_client.get(f"{API}/letters/2025-11.docx", {
        "number": 310, "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "signer_name": "Phạm Minh Tâm"})

    assert answer.status_code == 200
    text = _docx_text(answer.content)
    assert "Số: 310/TB-BHXH" in text and "PHÓ GIÁM ĐỐC" in text and "Phạm Minh Tâm" in text
    assert DemandLetter.objects.get().number == 310
    assert admin_client.get(f"{API}/letters/2025-12.docx", {"number": 310}).status_code == 422
