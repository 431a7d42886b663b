"""The paperwork from the dashboard: letters, the quarter's lists, the inspection list, the compliance look-up."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from ansinh.audit.models import AuditEvent
from tests.employers.test_services import load

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(data_dir, operator):
    load(operator)


def test_the_province_dashboard_offers_the_next_months_letters_and_the_quarters_lists(admin_client, ledger):
    page = admin_client.get("/employers/92/?as_of=2025-10-31").content.decode()
    assert 'href="/employers/letters.docx?month=2025-11"' in page
    assert 'href="/employers/offenders.xlsx?quarter=2025-Q4"' in page


def test_letters_download_as_one_docx_with_the_units_amounts(admin_client, ledger):
    response = admin_client.get("/employers/letters.docx?month=2025-11")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="thong-bao-don-doc-2025-11.docx"'
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Kính gửi: Công ty TNHH Phú Hưng" in text and "10.000.000" in text


def test_a_commune_account_cannot_send_the_provinces_letters(editor_client, ledger):
    response = editor_client.get("/employers/letters.docx?month=2025-11")
    assert response.status_code == 403
    assert "quyền" in response.content.decode()


def test_the_quarters_offenders_list_is_a_workbook_and_an_audited_export(admin_client, ledger):
    response = admin_client.get("/employers/offenders.xlsx?quarter=2025-Q4")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value  # the agency's title row
    assert AuditEvent.objects.filter(action="export.employers.offenders").count() == 1
    assert admin_client.get("/employers/offenders.xlsx?quarter=quy-4").status_code == 422


def test_the_compliance_look_up_page_answers_and_logs(admin_client, ledger):
    page = admin_client.get("/employers/check/?tax_code=1800000018&on=31/10/2025").content.decode()
    assert "Chưa chấp hành đúng" in page and "10.000.000 đồng" in page
    bad = admin_client.get("/employers/check/?tax_code=123").content.decode()
    assert "10 chữ số" in bad
    assert AuditEvent.objects.filter(action="employers.compliance_check").count() == 1


def _signer_cell(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).tables[-1].rows[0].cells[1].paragraphs]


def test_the_letters_form_sets_the_first_number_and_the_signer(admin_client, ledger):
    from ansinh.employers.models import DemandLetter

    page = admin_client.get("/employers/92/?as_of=2025-10-31").content.decode()
    form = page.split('id="letters-form"')[1].split("</form>")[0]
    assert all(f'name="{name}"' in form for name in ("month", "number", "signer_title", "signer_name"))
    response = admin_client.get("/employers/letters.docx", {
        "month": "2025-11", "number": "240", "signer_title": "KT. GIÁM ĐỐC\r\nPHÓ GIÁM ĐỐC", "signer_name": "Trần Văn Bình"})
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert document.tables[0].rows[1].cells[0].text == "Số: 240/TB-BHXH"
    signer = _signer_cell(response.content)
    assert signer[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and signer[-1] == "Trần Văn Bình"
    assert DemandLetter.objects.get().number == 240
    event = AuditEvent.objects.get(action="employers.letters")
    assert (event.detail["first_number"], event.detail["signer"]) == (240, "Trần Văn Bình")
    # The month again keeps the letter's number; a number already used that year is refused.
    again = admin_client.get("/employers/letters.docx", {"month": "2025-11"})
    assert Document(io.BytesIO(again.content)).tables[0].rows[1].cells[0].text == "Số: 240/TB-BHXH"
    taken = admin_client.get("/employers/letters.docx", {"month": "2025-12", "number": "240"})
    assert taken.status_code == 422 and "240/TB-BHXH" in taken.content.decode()
    assert admin_client.get("/employers/letters.docx", {"month": "2025-12", "number": "x"}).status_code == 422
