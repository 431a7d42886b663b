"""The report read back as an official (and LibreOffice) would: the Decree 30 parts, the charts, and the
province's figures written the Vietnamese way — the very numbers the dashboard shows for the quarter."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from ansinh.core.formatting import format_date, format_int, format_percent
from ansinh.reports import documents
from ansinh.reports.selectors import report_figures
from tests.libreoffice import TEXT, pdf_pages, soffice
from tests.reports.conftest import MADE_ON, Q3

pytestmark = pytest.mark.django_db


def _libreoffice_text(tmp_path: Path, content: bytes, name: str = "bao-cao.docx") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    soffice(tmp_path, "pdf", path)
    assert pdf_pages(path.with_suffix(".pdf")) >= 3
    soffice(tmp_path, TEXT, path)
    return path.with_suffix(".txt").read_text(encoding="utf-8-sig")


def test_the_quarterly_report_opens_in_libreoffice_with_the_dashboards_figures(admin_client, figures, tmp_path):
    figures.number = "125"
    text = _libreoffice_text(tmp_path, documents.report_docx(figures))
    for part in ("BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI THÀNH PHỐ CẦN THƠ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: 125/BC-BHXH", "Cần Thơ, ngày 10 tháng 10 năm 2025", "BÁO CÁO",
                 "Kết quả thực hiện Kế hoạch số 53/KH-UBND ngày 27/08/2025", "quý III năm 2025",
                 "Kính gửi: Ủy ban nhân dân thành phố Cần Thơ", "số liệu đến tháng 09/2025", "Nơi nhận:", "GIÁM ĐỐC",
                 "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "II. TÌNH HÌNH CHẬM ĐÓNG", "III. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ",
                 "IV. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ", "Biểu đồ 1.", "Biểu đồ 2."):
        assert part in text, part
    # The dashboard's KPI cards for the same quarter, as the page writes them.
    page = admin_client.get("/units/92/", {"period": "2025-Q3"})
    for row in page.context["kpis"]:
        shown = format_int(row.actual) if row.indicator.kind.value == "count" else format_percent(row.actual)
        assert f"{row.indicator.label}: {shown}" in text, row.indicator.code
        if row.attainment_pct is not None:
            assert format_percent(row.attainment_pct) in text
    assert "3.095.954" in text and "96,11%" in text  # 53/KH-UBND's BHYT target: persons and coverage
    bhyt = next(r for r in page.context["kpis"] if r.indicator.code == "bhyt.participants")
    assert f"còn thiếu {format_int(bhyt.gap)} người" in text
    # The ranking: first and last commune, and the communes behind, with the dashboard's figures.
    ranked = [r for r in figures.main_table.rows if r.rank]
    for row in (ranked[0], ranked[-1], *figures.behind):
        assert row.unit_name in text and format_percent(row.attainment_pct) in text
    assert f"Có {len(figures.behind)} xã, phường chậm tiến độ" in text
    assert "Chưa có số liệu sổ thu" in text and "Không có nhiệm vụ nào của Kế hoạch đến hạn" in text


def test_the_docx_has_its_charts_and_page_set_up(figures):
    document = Document(io.BytesIO(documents.report_docx(figures)))
    assert len(document.inline_shapes) == 2  # the monthly trend and the communes' attainment
    blips = [rel for rel in document.part.rels.values() if "image" in rel.reltype]
    assert all(rel.target_part.content_type == "image/png" for rel in blips)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm), round(section.left_margin.mm)) == (210, 297, 30)
    assert document.core_properties.language == "vi-VN"
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.text.strip()}
    assert fonts == {"Times New Roman"}


def test_without_a_number_the_vanthu_fills_it_in(figures):
    document = Document(io.BytesIO(documents.report_docx(figures)))
    header = document.tables[0]
    assert header.rows[1].cells[0].text == "Số: ......../BC-BHXH"  # a visible blank: spaces collapse on paper


def test_arrears_and_tasks_sections_with_data(admin_user, plan, ledger, quarter_tasks, tmp_path):
    figures = report_figures(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON)
    text = _libreoffice_text(tmp_path, documents.report_docx(figures))
    arrears = figures.arrears
    assert f"Tính đến ngày {format_date(arrears.as_of)}, có {arrears.units_owing} đơn vị nợ đóng quá hạn" in text
    assert f"số tiền còn nợ {format_int(arrears.unpaid)} đồng" in text and "45.360.000" in text
    assert "Công ty TNHH Thủy sản Mekong Xanh" in text and "Phường Ninh Kiều" in text
    assert "Thuế thành phố" in text and "UBND các xã, phường (3 đơn vị)" in text
    assert "Trễ hạn" in text and "Chưa nộp (quá hạn)" in text and "05/07/2025" in text


def test_a_communes_report_is_the_communes(commune_editor, plan, tmp_path):
    figures = report_figures(actor=commune_editor, plan=plan, period=Q3, made_on=MADE_ON)
    text = _libreoffice_text(tmp_path, documents.report_docx(figures))
    assert "ỦY BAN NHÂN DÂN" in text and "PHƯỜNG NINH KIỀU" in text and "/BC-UBND" in text
    assert "Ninh Kiều, ngày 10 tháng 10 năm 2025" in text and "TM. ỦY BAN NHÂN DÂN" in text
    assert "1. Kết quả chung của Phường Ninh Kiều" in text and "Xếp hạng" not in text
    bhyt = next(r for r in figures.headline if r.indicator.code == "bhyt.participants")
    assert f"Số người tham gia BHYT: {format_int(bhyt.actual)} người" in text
    assert "Phường Cái Khế" not in text


def test_the_annex_has_every_table_in_full(figures):
    book = load_workbook(io.BytesIO(documents.annex_xlsx(figures)))
    assert book.sheetnames[:4] == ["Tổng hợp", "BHYT", "Tỷ lệ bao phủ BHYT", "BHXH"]
    summary = book["Tổng hợp"]
    assert summary["A1"].value == "BẢO HIỂM XÃ HỘI THÀNH PHỐ CẦN THƠ" and "quý III năm 2025" in summary["A3"].value
    headers = [c.value for c in summary[documents.HEADER_ROW]]
    assert headers[:4] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch"]
    first = [c.value for c in summary[documents.HEADER_ROW + 1]]
    bhyt = figures.headline[0]
    assert first[1:4] == ["Số người tham gia BHYT", "người", 3_095_954] and first[5] == round(bhyt.actual)
    assert first[6] == round(bhyt.attainment_pct, 2) and first[7] == bhyt.gap
    communes = book["BHYT"]
    rows = list(communes.iter_rows(min_row=documents.HEADER_ROW + 1, values_only=True))
    assert len(rows) == 103
    expected = [(r.rank, r.unit_code, r.unit_name, round(r.actual), round(r.target), round(r.attainment_pct, 2), r.gap)
                for r in figures.main_table.rows]
    assert [row[:7] for row in rows] == expected
    assert communes.print_title_rows == f"${documents.HEADER_ROW}:${documents.HEADER_ROW}"
    assert communes.cell(documents.HEADER_ROW + 1, 4).number_format == "#,##0"


def test_the_annex_with_arrears_and_tasks(admin_user, plan, ledger, quarter_tasks):
    figures = report_figures(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON)
    book = load_workbook(io.BytesIO(documents.annex_xlsx(figures)))
    assert {"Nợ đóng", "Đơn vị nợ lớn nhất", "Nhiệm vụ", "Văn bản gửi"} <= set(book.sheetnames)
    arrears = list(book["Nợ đóng"].iter_rows(min_row=documents.HEADER_ROW + 1, values_only=True))
    assert arrears == [(1, "31135", "Phường Ninh Kiều", 1, 0, 48, 45_360_000, figures.arrears.interest,
                        round(float(figures.arrears.communes[0].rate), 2))]
    submissions = list(book["Văn bản gửi"].iter_rows(min_row=documents.HEADER_ROW + 1, values_only=True))
    assert len(submissions) == len(figures.tasks.submissions) == 6


def test_file_names_are_plain_ascii(figures):
    assert documents.report_filenames(figures) == ("bao-cao-53-KH-UBND-92-2025-Q3.docx", "phu-luc-53-KH-UBND-92-2025-Q3.xlsx")
    assert documents.report_title(figures).startswith("Kết quả thực hiện Kế hoạch số 53/KH-UBND")


LONG_TASK = ("Chủ trì, phối hợp với các sở, ngành tăng cường tuyên truyền phương thức đóng BHYT hộ gia đình, BHXH tự "
             "nguyện qua các tổ chức dịch vụ thu, phương tiện thông tin đại chúng và mạng xã hội trên địa bàn")
SIGNER_TITLE = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
SIGNER_NAME = "Nguyễn Thị Thu Hà"


def _signed_figures(admin_user, plan):
    """A report with every table that has an STT column, a long task text, a number and a named signer."""
    from dataclasses import replace

    figures = report_figures(actor=admin_user, plan=plan, period=Q3, made_on=MADE_ON, number="125",
                             signer_title=SIGNER_TITLE, signer_name=SIGNER_NAME)
    figures.tasks.submissions = [replace(s, task_text=LONG_TASK) if s.status in ("late", "missing") else s
                                 for s in figures.tasks.submissions]
    return figures


def test_the_paper_scheme_names_number_and_signer_in_the_docx(admin_user, plan, ledger, quarter_tasks):
    from ansinh.core.text import shorten

    figures = _signed_figures(admin_user, plan)
    document = Document(io.BytesIO(documents.report_docx(figures)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "bhyt" not in text + cells and "bhxh" not in text + cells and "bhtn" not in text + cells
    behind = [r for r in figures.headline if r.target is not None and r.status.value != "on_track"]
    assert behind, "the quarter has indicators behind schedule: the conclusion names them"
    conclusion = next(p.text for p in document.paragraphs if "Các chỉ tiêu chưa đạt tiến độ" in p.text)
    assert "BHYT" in conclusion or "BHXH" in conclusion
    assert document.tables[0].rows[1].cells[0].text == "Số: 125/BC-BHXH"
    signer = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs]
    assert signer[0:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and signer[-1] == SIGNER_NAME
    assert signer[2:-1] == [""] * (len(signer) - 3) and len(signer) - 3 >= 3  # room for the signature and seal
    short = shorten(LONG_TASK, 120)
    assert short in cells and short.endswith("…") and LONG_TASK.startswith(short[:-1])
    assert LONG_TASK[len(short) - 1] == " "  # cut between two words, never inside one


def test_the_paper_read_back_from_the_pdf(admin_user, plan, ledger, quarter_tasks, tmp_path):
    """LibreOffice prints it: "STT" on one line in every table, the signer's name, BHYT in capitals."""
    import re

    from tests.libreoffice import docx_pdf_text

    figures = _signed_figures(admin_user, plan)
    content = documents.report_docx(figures)
    text = docx_pdf_text(tmp_path, content, "bao-cao.docx")
    headers = sum(1 for t in Document(io.BytesIO(content)).tables if t.rows[0].cells[0].text == "STT")
    assert headers >= 5  # headline, arrears by commune, debtors, timeliness, submissions
    assert text.count("STT") >= headers
    assert not re.search(r"\bST\b", text), "an STT header broke across lines"
    assert SIGNER_NAME in text and "PHÓ GIÁM ĐỐC" in text and "Số: 125/BC-BHXH" in text
    assert "BHYT" in text and not re.search(r"\bbh(yt|xh|tn)\b", text)
    assert "phươn…" not in text


def test_the_paper_without_a_number_leaves_visible_dots(figures, tmp_path):
    from tests.libreoffice import docx_pdf_text

    text = docx_pdf_text(tmp_path, documents.report_docx(figures), "bao-cao.docx")
    assert "Số: ......../BC-BHXH" in text
