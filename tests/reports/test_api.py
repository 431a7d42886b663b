"""/api/v1/reports: make, list, read and download, with the same scope and figures as the page and the CLI."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from ansinh.accounts.services import token_issue
from ansinh.reports.models import Report

pytestmark = pytest.mark.django_db


def _bearer(username: str) -> dict[str, str]:
    key, _ = token_issue(username=username, password="demo-password-123")
    return {"Authorization": f"Bearer {key}"}


def test_make_list_read_and_download(client, plan):
    headers = _bearer("tinh")
    made = client.post("/api/v1/reports", {"plan_id": plan.pk, "period": "2025-Q3", "number": "125"},
                       content_type="application/json", headers=headers)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["unit"], body["period"], body["kind"], body["kind_label"], body["number"], body["data_month"]) == (
        "92", "2025-Q3", "quarter", "Quý", "125", "2025-09-01")
    assert body["docx_url"] == f"/api/v1/reports/{body['id']}/report.docx"
    listed = client.get("/api/v1/reports", {"plan_id": plan.pk}, headers=headers).json()
    assert [r["id"] for r in listed] == [body["id"]]
    assert client.get(f"/api/v1/reports/{body['id']}", headers=headers).json() == body
    docx = client.get(body["docx_url"], headers=headers)
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    assert docx["Content-Disposition"] == 'attachment; filename="bao-cao-53-KH-UBND-92-2025-Q3.docx"'
    assert "Số: 125/BC-BHXH" in Document(io.BytesIO(docx.content)).tables[0].rows[1].cells[0].text
    xlsx = client.get(body["xlsx_url"], headers=headers)
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Tổng hợp"


def test_a_commune_makes_its_own_and_is_refused_the_province(client, plan):
    headers = _bearer("xa-31135")
    own = client.post("/api/v1/reports", {"plan_id": plan.pk, "period": "2025-10"}, content_type="application/json", headers=headers)
    assert own.status_code == 201 and own.json()["unit"] == "31135" and own.json()["kind"] == "month"
    province = client.post("/api/v1/reports", {"plan_id": plan.pk, "period": "2025-Q3", "unit": "92"},
                           content_type="application/json", headers=headers)
    assert province.status_code == 403 and "ngoài phạm vi" in province.json()["detail"]
    made = client.post("/api/v1/reports", {"plan_id": plan.pk, "period": "2025-Q3"}, content_type="application/json",
                       headers=_bearer("tinh")).json()
    assert client.get(f"/api/v1/reports/{made['id']}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/reports/{made['id']}/report.docx", headers=headers).status_code == 403
    assert [r["unit"] for r in client.get("/api/v1/reports", headers=headers).json()] == ["31135"]


def test_errors(client, plan):
    headers = _bearer("tinh")
    bad = client.post("/api/v1/reports", {"plan_id": plan.pk, "period": "2025-Q5"}, content_type="application/json", headers=headers)
    assert bad.status_code == 422 and "YYYY-Qn" in bad.json()["detail"]
    empty = client.post("/api/v1/reports", {"plan_id": plan.pk, "period": "2025-12"}, content_type="application/json", headers=headers)
    assert empty.status_code == 422 and "Chưa có số liệu" in empty.json()["detail"]
    assert client.get("/api/v1/reports/999999", headers=headers).status_code == 404
    assert client.post("/api/v1/reports", {"plan_id": 999999, "period": "2025"}, content_type="application/json",
                       headers=headers).status_code == 404
    assert client.get("/api/v1/reports").status_code == 401
    assert not Report.objects.exists()


def test_make_with_the_signer(client, plan):
    headers = _bearer("tinh")
    made = client.post("/api/v1/reports", {"plan_id": plan.pk, "period": "2025-Q3", "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
                                           "signer_name": "Võ Thanh Sơn"}, content_type="application/json", headers=headers)
    assert made.status_code == 201, made.content
    docx = client.get(made.json()["docx_url"], headers=headers)
    document = Document(io.BytesIO(docx.content))
    signer = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs]
    assert signer[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and signer[-1] == "Võ Thanh Sơn"
    assert document.tables[0].rows[1].cells[0].text == "Số: ......../BC-BHXH"
    too_long = client.post("/api/v1/reports", {"plan_id": plan.pk, "period": "2025-Q3", "signer_name": "x" * 61},
                           content_type="application/json", headers=headers)
    assert too_long.status_code == 422
