"""The enforcement paperwork read back as an officer (and LibreOffice) would: no database needed.

Every amount is checked against the record it came from, written the Vietnamese way (110.800.000 đồng).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from ansinh.core.errors import ValidationFailed
from tests.libreoffice import TEXT, pdf_pages, soffice
from ansinh.employers.documents import DISCLOSURE_TITLE, HEADER_ROW, HISTORY_SHEET, LETTER_COLUMNS, MOTTO, MOTTO_SUBTITLE, demand_letter_docx, demand_letters_docx, disclosure_xlsx, inspection_xlsx, letter_filename, offenders_xlsx, place_date
from ansinh.employers.records import EVASION, LATE, Issuer, MonthOwed, UnitArrears

AS_OF = date(2025, 11, 5)
DATED = date(2025, 11, 5)
ISSUER = Issuer(signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer_name="Nguyễn Văn Minh")


def _mekong() -> UnitArrears:
    """Three months owed, July already evasion, and a charge left on months paid late."""
    return UnitArrears(
        unit_code="TA0123A", tax_code="1801234567", name="Công ty TNHH Thủy sản Mekong Xanh",
        address="Số 45 đường Trần Hưng Đạo, phường Ninh Kiều, thành phố Cần Thơ", commune_code="31135", workers=48,
        as_of=AS_OF, interest_on_paid=123_456, months=(
            MonthOwed(date(2025, 7, 1), 45_360_000, 45_360_000, date(2025, 8, 31), 66, 1_231_800, EVASION),
            MonthOwed(date(2025, 8, 1), 45_360_000, 45_360_000, date(2025, 9, 30), 36, 489_888, LATE),
            MonthOwed(date(2025, 9, 1), 46_080_000, 20_080_000, date(2025, 10, 31), 5, 30_024, LATE),
        ),
    )


def _song_hau() -> UnitArrears:
    """Two months late, no tax code on file, nothing paid late before."""
    return UnitArrears(
        unit_code="TB0456C", tax_code=None, name="Hộ kinh doanh Nhà hàng Sông Hậu",
        address="Số 12 đường Hai Bà Trưng, phường Ninh Kiều, thành phố Cần Thơ", commune_code="31135", workers=9,
        as_of=AS_OF, months=(
            MonthOwed(date(2025, 8, 1), 8_640_000, 8_640_000, date(2025, 9, 30), 36, 93_312, LATE),
            MonthOwed(date(2025, 9, 1), 8_640_000, 3_000_000, date(2025, 10, 31), 5, 4_500, LATE),
        ),
    )


def _cai_rang() -> UnitArrears:
    """Four months owed, two of them evasion."""
    months = tuple(
        MonthOwed(date(2025, m, 1), 21_600_000, 21_600_000, end, days, interest, EVASION if days > 60 else LATE)
        for m, end, days, interest in (
            (5, date(2025, 6, 30), 128, 829_440), (6, date(2025, 7, 31), 97, 628_560),
            (7, date(2025, 8, 31), 66, 427_680), (8, date(2025, 9, 30), 36, 233_280),
        )
    )
    return UnitArrears(
        unit_code="TC0789B", tax_code="1800987654", name="Công ty Cổ phần Xây dựng Cái Răng",
        address="Số 8 đường Võ Nguyên Giáp, phường Cái Răng, thành phố Cần Thơ", commune_code="31186", workers=22,
        as_of=AS_OF, months=months,
    )


def _docx(content: bytes):
    return Document(io.BytesIO(content))


def _all_paragraphs(document):
    """Body paragraphs and those inside tables, in document order."""
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            yield from (p for p in document.paragraphs if p._p is block)
        elif block.tag == qn("w:tbl"):
            table = next(t for t in document.tables if t._tbl is block)
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def _text(document) -> str:
    return "\n".join(p.text for p in _all_paragraphs(document))


def _mm_between(length, low: float, high: float) -> bool:
    """Within [low, high] mm, give or take the rounding to twentieths of a point (0,01 mm)."""
    return Mm(low - 0.05) <= length <= Mm(high + 0.05)


def _month_rows(document) -> list[tuple[str, ...]]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


# --- the letter ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 11, 5), "Cần Thơ, ngày 05 tháng 11 năm 2025"),
    (date(2025, 2, 5), "Cần Thơ, ngày 05 tháng 02 năm 2025"),
    (date(2025, 1, 15), "Cần Thơ, ngày 15 tháng 01 năm 2025"),
    (date(2025, 3, 9), "Cần Thơ, ngày 09 tháng 3 năm 2025"),
    (date(2025, 12, 25), "Cần Thơ, ngày 25 tháng 12 năm 2025"),
])
def test_place_date_leading_zero_for_days_under_10_and_months_1_and_2(day, expected):
    assert place_date("Cần Thơ", day) == expected


def test_letter_header_issuing_body_number_motto_and_place_date():
    document = _docx(demand_letter_docx(arrears=_mekong(), issuer=ISSUER, number="125", dated=DATED))
    header = document.tables[0]
    agency, motto = header.rows[0].cells
    assert [p.text for p in agency.paragraphs] == ["BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI THÀNH PHỐ CẦN THƠ", ""]
    assert not agency.paragraphs[0].runs[0].bold and agency.paragraphs[1].runs[0].bold
    assert agency.paragraphs[2]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None  # the line
    assert [p.text for p in motto.paragraphs] == [MOTTO, MOTTO_SUBTITLE, ""]
    assert MOTTO == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and MOTTO_SUBTITLE == "Độc lập - Tự do - Hạnh phúc"
    assert all(p.runs[0].bold for p in motto.paragraphs[:2])
    assert motto.paragraphs[1].runs[0].font.size.pt in (13, 14)
    assert motto.paragraphs[2]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    number, when = header.rows[1].cells
    assert number.text == "Số: 125/TB-BHXH"
    assert when.text == "Cần Thơ, ngày 05 tháng 11 năm 2025"
    assert when.paragraphs[0].runs[0].italic
    # The header table has no borders.
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_letter_number_that_already_carries_its_symbol_is_kept():
    document = _docx(demand_letter_docx(arrears=_mekong(), issuer=ISSUER, number="125/TB-BHXH", dated=DATED))
    assert document.tables[0].rows[1].cells[0].text == "Số: 125/TB-BHXH"


def test_letter_title_addressee_and_unit_details():
    document = _docx(demand_letter_docx(arrears=_mekong(), issuer=ISSUER, number="125", dated=DATED))
    body = [p for p in document.paragraphs if p.text]
    assert body[0].text == "THÔNG BÁO" and body[0].runs[0].bold and body[0].alignment == 1  # centred
    assert body[1].text == "Về việc đôn đốc đóng BHXH, BHYT, BHTN, BHTNLĐ-BNN" and body[1].runs[0].bold
    assert body[2].text == "Kính gửi: Công ty TNHH Thủy sản Mekong Xanh" and body[2].alignment == 1
    text = _text(document)
    assert "Mã đơn vị: TA0123A; Mã số thuế: 1801234567; Số lao động tham gia: 48 người." in text
    assert "Địa chỉ: Số 45 đường Trần Hưng Đạo, phường Ninh Kiều, thành phố Cần Thơ." in text


def test_letter_amounts_are_the_record_s_fields_to_the_dong():
    arrears = _mekong()
    assert (arrears.unpaid, arrears.interest, arrears.total) == (110_800_000, 1_875_168, 112_675_168)
    document = _docx(demand_letter_docx(arrears=arrears, issuer=ISSUER, number="125", dated=DATED))
    text = _text(document)
    assert (
        "Tính đến ngày 05/11/2025, đơn vị còn nợ 3 tháng (trong đó 1 tháng đã quá 60 ngày kể từ hạn đóng, bị xác định "
        "là trốn đóng), tổng số tiền chưa đóng là 110.800.000 đồng; tiền lãi chậm đóng tính bằng 0,03%/ngày"
    ) in text
    assert "là 1.875.168 đồng. Tổng số tiền đơn vị phải nộp là 112.675.168 đồng." in text
    assert _month_rows(document) == [
        LETTER_COLUMNS,
        ("1", "07/2025", "45.360.000", "45.360.000", "31/08/2025", "66", "1.231.800", "Trốn đóng"),
        ("2", "08/2025", "45.360.000", "45.360.000", "30/09/2025", "36", "489.888", "Chậm đóng"),
        ("3", "09/2025", "46.080.000", "20.080.000", "31/10/2025", "5", "30.024", "Chậm đóng"),
        ("", "Cộng", "136.800.000", "110.800.000", "", "", "1.751.712", ""),
    ]
    # The interest on the months paid late closes the gap between the table and the whole charge.
    assert 1_751_712 + arrears.interest_on_paid == arrears.interest
    assert "đóng quá hạn: 123.456 đồng (đã tính trong tổng tiền lãi chậm đóng nêu trên)." in text
    assert "trong tháng 11/2025, chậm nhất ngày 30/11/2025." in text
    assert "xác định là trốn đóng" in text and "Điều 216 Bộ luật Hình sự" in text


def test_letter_without_late_paid_months_or_evasion_says_neither():
    arrears = _song_hau()
    document = _docx(demand_letter_docx(arrears=arrears, issuer=Issuer(), number="127", dated=DATED))
    text = _text(document)
    assert "đóng quá hạn:" not in text and "trong đó" not in text
    assert "Mã số thuế: –" in text
    assert _month_rows(document)[-1] == ("", "Cộng", "17.280.000", "11.640.000", "", "", "97.812", "")
    assert "chưa đóng là 11.640.000 đồng" in text
    assert "là 97.812 đồng. Tổng số tiền đơn vị phải nộp là 11.737.812 đồng" in text
    assert arrears.total == 11_737_812


def test_letter_recipients_and_signature_block():
    document = _docx(demand_letter_docx(arrears=_mekong(), issuer=ISSUER, number="125", dated=DATED))
    recipients, signer = document.tables[-1].rows[0].cells
    lines = recipients.paragraphs
    assert lines[0].text == "Nơi nhận:"
    assert lines[0].runs[0].bold and lines[0].runs[0].italic and lines[0].runs[0].font.size.pt == 12
    assert [p.text for p in lines[1:]] == ["- Như trên;", "- Giám đốc (để b/c);", "- Lưu: VT, QLT."]
    assert {p.runs[0].font.size.pt for p in lines[1:]} == {11}
    signed = [p for p in signer.paragraphs if p.text]
    assert [p.text for p in signed] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Minh"]
    assert all(p.runs[0].bold for p in signed)
    assert len(signer.paragraphs) - len(signed) >= 3  # room for the signature and the seal


def test_letter_page_setup_a4_decree_30_margins_and_times_new_roman():
    document = _docx(demand_letter_docx(arrears=_mekong(), issuer=ISSUER, number="125", dated=DATED))
    (section,) = document.sections
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    assert _mm_between(section.top_margin, 20, 25) and _mm_between(section.bottom_margin, 20, 25)
    assert _mm_between(section.left_margin, 30, 35) and _mm_between(section.right_margin, 15, 20)
    runs = [run for p in _all_paragraphs(document) for run in p.runs]
    assert runs and {run.font.name for run in runs} == {"Times New Roman"}
    assert {run._r.rPr.rFonts.get(qn("w:eastAsia")) for run in runs} == {"Times New Roman"}
    body_sizes = {run.font.size.pt for p in document.paragraphs for run in p.runs if p.text.startswith("Tính đến")}
    assert body_sizes <= {13, 14}
    assert document.styles["Normal"].font.name == "Times New Roman"
    # Page numbers from page 2, centred in the top margin.
    assert section.different_first_page_header_footer
    assert section.header._element.find(f".//{qn('w:fldSimple')}").get(qn("w:instr")) == "PAGE"


def test_letters_merged_each_on_a_new_page_with_its_own_numbering():
    letters = [(_mekong(), "125", DATED), (_song_hau(), "126", DATED), (_cai_rang(), "127", DATED)]
    document = _docx(demand_letters_docx(letters=letters, issuer=ISSUER))
    titles = [p.text for p in document.paragraphs if p.text == "THÔNG BÁO"]
    assert len(titles) == 3
    assert [p.text for p in document.paragraphs if p.text.startswith("Kính gửi:")] == [
        "Kính gửi: Công ty TNHH Thủy sản Mekong Xanh", "Kính gửi: Hộ kinh doanh Nhà hàng Sông Hậu",
        "Kính gửi: Công ty Cổ phần Xây dựng Cái Răng",
    ]
    numbers = [t.rows[1].cells[0].text for t in document.tables if t.rows[0].cells[1].text.startswith(MOTTO)]
    assert numbers == ["Số: 125/TB-BHXH", "Số: 126/TB-BHXH", "Số: 127/TB-BHXH"]
    # One break between letters: a next-page section break, so each letter restarts its page numbers at 1.
    assert len(document.sections) == 3
    assert all(section.start_type == WD_SECTION.NEW_PAGE for section in document.sections[1:])
    breaks = document.element.body.findall(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:sectPr')}")
    assert len(breaks) == 2
    for section in document.sections:
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
        assert abs(section.page_width - Mm(210)) < Mm(0.5) and _mm_between(section.left_margin, 30, 35)
    assert not document.element.body.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")
    # Each letter's table carries its own record's figures.
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    assert [t.rows[-1].cells[3].text for t in tables] == ["110.800.000", "11.640.000", "86.400.000"]


def test_letters_need_at_least_one():
    with pytest.raises(ValidationFailed):
        demand_letters_docx(letters=[], issuer=ISSUER)


def test_letter_filename_is_ascii_safe():
    assert letter_filename(_mekong(), date(2025, 11, 1)) == "thong-bao-TA0123A-2025-11.docx"
    odd = UnitArrears(
        unit_code="TĐ 01/2", tax_code=None, name="x", address="y", commune_code="31135", workers=1, as_of=AS_OF
    )
    assert letter_filename(odd, date(2026, 2, 1)) == "thong-bao-TD-01-2-2026-02.docx"


# --- LibreOffice really opens it ----------------------------------------------------------------------

def test_libreoffice_opens_the_letters_and_prints_the_amounts(tmp_path):
    single = tmp_path / "single.docx"
    single.write_bytes(demand_letter_docx(arrears=_song_hau(), issuer=ISSUER, number="126", dated=DATED))
    merged = tmp_path / "merged.docx"
    letters = [(_song_hau(), str(number), DATED) for number in (126, 127, 128)]
    merged.write_bytes(demand_letters_docx(letters=letters, issuer=ISSUER))
    soffice(tmp_path, "pdf", single, merged)
    single_pdf, merged_pdf = tmp_path / "single.pdf", tmp_path / "merged.pdf"
    for pdf in (single_pdf, merged_pdf):
        assert pdf.exists() and pdf.stat().st_size > 1024
    assert pdf_pages(single_pdf) >= 1
    assert pdf_pages(merged_pdf) == 3 * pdf_pages(single_pdf)  # each letter on new pages, the same layout
    amounts = ["11.640.000 đồng", "97.812 đồng", "11.737.812 đồng", "8.640.000", "3.000.000", "93.312", "4.500"]
    if shutil.which("pdftotext"):
        printed = subprocess.run(
            ["pdftotext", "-layout", str(single_pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        printed = " ".join(printed.split())  # a line may wrap between an amount and "đồng"
        for expected in [*amounts, "Cần Thơ, ngày 05 tháng 11 năm 2025", "Số: 126/TB-BHXH"]:
            assert expected in printed
    # LibreOffice's own reading of the file, as plain text: the figures it laid out.
    soffice(tmp_path, TEXT, single)
    read = (tmp_path / "single.txt").read_text(encoding="utf-8")
    for expected in [*amounts, "Cần Thơ, ngày 05 tháng 11 năm 2025", "Số: 126/TB-BHXH", "Nơi nhận:", MOTTO]:
        assert expected in read


# --- the lists ----------------------------------------------------------------------------------------


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _data(sheet, count: int) -> list[tuple]:
    return list(sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + count, values_only=True))


def _assert_print_setup(sheet) -> None:
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"  # the headers on every printed page
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.freeze_panes.endswith(str(HEADER_ROW + 1))


def test_offenders_list_titles_headers_values_and_totals():
    rows = [_mekong(), _song_hau(), _cai_rang()]
    sheet = _book(offenders_xlsx(rows=rows, title="Danh sách đơn vị chậm đóng, trốn đóng quý IV/2025", as_of=AS_OF,
                                 issuer=ISSUER)).active
    assert [sheet.cell(r, 1).value for r in (1, 2, 3)] == [
        "BẢO HIỂM XÃ HỘI THÀNH PHỐ CẦN THƠ", "DANH SÁCH ĐƠN VỊ CHẬM ĐÓNG, TRỐN ĐÓNG QUÝ IV/2025",
        "Tính đến ngày 05/11/2025",
    ]
    assert {"A1:K1", "A2:K2", "A3:K3"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[HEADER_ROW]] == [
        "STT", "Mã đơn vị", "Mã số thuế", "Tên đơn vị", "Địa chỉ", "Số lao động", "Số tháng nợ", "Số tiền nợ (đồng)",
        "Tiền lãi chậm đóng (đồng)", "Số ngày chậm lâu nhất", "Tình trạng (Chậm đóng/Trốn đóng)",
    ]
    assert _data(sheet, 3) == [
        (1, "TA0123A", "1801234567", "Công ty TNHH Thủy sản Mekong Xanh",
         "Số 45 đường Trần Hưng Đạo, phường Ninh Kiều, thành phố Cần Thơ", 48, 3, 110_800_000, 1_875_168, 66,
         "Trốn đóng"),
        (2, "TB0456C", None, "Hộ kinh doanh Nhà hàng Sông Hậu",
         "Số 12 đường Hai Bà Trưng, phường Ninh Kiều, thành phố Cần Thơ", 9, 2, 11_640_000, 97_812, 36, "Chậm đóng"),
        (3, "TC0789B", "1800987654", "Công ty Cổ phần Xây dựng Cái Răng",
         "Số 8 đường Võ Nguyên Giáp, phường Cái Răng, thành phố Cần Thơ", 22, 4, 86_400_000, 2_118_960, 128,
         "Trốn đóng"),
    ]
    total = [c.value for c in sheet[HEADER_ROW + 4]]
    assert total[0] == "Tổng cộng: 3 đơn vị"
    assert total[5] == sum(r.workers for r in rows) == 79
    assert total[7] == sum(r.unpaid for r in rows) == 208_840_000
    assert total[8] == sum(r.interest for r in rows) == 4_091_940
    assert sheet.cell(HEADER_ROW + 1, 8).number_format == "#,##0"
    assert sheet.cell(HEADER_ROW + 4, 9).number_format == "#,##0"
    assert sheet.cell(HEADER_ROW, 1).font.bold
    assert sheet.column_dimensions["D"].width >= 30
    _assert_print_setup(sheet)


def test_disclosure_list_has_organisation_data_only():
    rows = [_mekong(), _song_hau()]
    sheet = _book(disclosure_xlsx(rows=rows, as_of=AS_OF, issuer=ISSUER)).active
    assert sheet["A2"].value == DISCLOSURE_TITLE.upper()
    assert DISCLOSURE_TITLE == "Danh sách đơn vị chậm đóng, trốn đóng BHXH, BHYT, BHTN"
    assert [c.value for c in sheet[HEADER_ROW]] == [
        "STT", "Tên đơn vị", "Mã số thuế", "Địa chỉ", "Số tháng chậm đóng", "Số tiền chậm đóng (đồng)",
    ]
    assert _data(sheet, 2) == [
        (1, "Công ty TNHH Thủy sản Mekong Xanh", "1801234567",
         "Số 45 đường Trần Hưng Đạo, phường Ninh Kiều, thành phố Cần Thơ", 3, 110_800_000),
        (2, "Hộ kinh doanh Nhà hàng Sông Hậu", None, "Số 12 đường Hai Bà Trưng, phường Ninh Kiều, thành phố Cần Thơ", 2,
         11_640_000),
    ]
    assert sheet.cell(HEADER_ROW + 3, 6).value == 122_440_000
    cells = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    assert not {"TA0123A", "TB0456C", "48", "9"} & cells  # no unit codes, no head counts
    _assert_print_setup(sheet)


def test_inspection_list_keeps_units_owing_3_months_or_more_with_their_history():
    mekong = [(date(2025, 8, 31), 45_360_000), (date(2025, 9, 30), 90_720_000), (date(2025, 10, 31), 110_800_000)]
    cai_rang = [
        (date(2025, 7, 31), 43_200_000), (date(2025, 8, 31), 64_800_000), (date(2025, 9, 30), 86_400_000),
        (date(2025, 10, 31), 86_400_000),
    ]
    song_hau = [(date(2025, 10, 31), 11_640_000)]
    rows = [(_mekong(), mekong), (_song_hau(), song_hau), (_cai_rang(), cai_rang)]
    book = _book(inspection_xlsx(rows=rows, as_of=AS_OF, issuer=ISSUER, min_months=3))
    listing, history = book.worksheets
    assert listing["A2"].value.startswith("DANH SÁCH ĐƠN VỊ NỢ TỪ 3 THÁNG TRỞ LÊN")
    assert [c.value for c in listing[HEADER_ROW]][-1] == "Nợ từ tháng"
    data = _data(listing, 2)
    assert [(r[0], r[1], r[7], r[8]) for r in data] == [
        (1, "TA0123A", 110_800_000, 1_875_168), (2, "TC0789B", 86_400_000, 2_118_960),
    ]
    assert [r[-1].date() for r in data] == [date(2025, 7, 1), date(2025, 5, 1)]
    assert listing.cell(HEADER_ROW + 3, 1).value == "Tổng cộng: 2 đơn vị"
    assert listing.cell(HEADER_ROW + 3, 8).value == 197_200_000
    _assert_print_setup(listing)
    assert history.title == HISTORY_SHEET == "Lịch sử"
    assert [c.value for c in history[HEADER_ROW]] == [
        "STT", "Mã đơn vị", "Tên đơn vị", "31/07/2025", "31/08/2025", "30/09/2025", "31/10/2025",
    ]
    assert _data(history, 2) == [
        (1, "TA0123A", "Công ty TNHH Thủy sản Mekong Xanh", None, 45_360_000, 90_720_000, 110_800_000),
        (2, "TC0789B", "Công ty Cổ phần Xây dựng Cái Răng", 43_200_000, 64_800_000, 86_400_000, 86_400_000),
    ]
    assert history.cell(HEADER_ROW + 1, 5).number_format == "#,##0"
    _assert_print_setup(history)
    # Urging from 2 months, as some provinces do, keeps Sông Hậu too.
    two = _book(inspection_xlsx(rows=rows, as_of=AS_OF, issuer=ISSUER, min_months=2)).worksheets[0]
    assert [r[1] for r in _data(two, 3)] == ["TA0123A", "TB0456C", "TC0789B"]


def test_the_letter_read_back_from_the_pdf_has_its_signer_and_an_unbroken_stt(tmp_path):
    """Printed through LibreOffice: "STT" on one line, the signer's title and name, BHYT in capitals."""
    import re

    from tests.libreoffice import docx_pdf_text

    text = docx_pdf_text(tmp_path, demand_letter_docx(arrears=_mekong(), issuer=ISSUER, number="125", dated=DATED),
                         "thong-bao.docx")
    assert "STT" in text and not re.search(r"\bST\b", text), "the STT header broke across lines"
    assert "Nguyễn Văn Minh" in text and "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text
    assert "BHYT" in text and not re.search(r"\bbh(yt|xh|tn)\b", text)
    assert "Số: 125/TB-BHXH" in text


def test_a_letter_without_a_number_leaves_visible_dots():
    document = _docx(demand_letter_docx(arrears=_mekong(), issuer=ISSUER, number="", dated=DATED))
    assert document.tables[0].rows[1].cells[0].text == "Số: ......../TB-BHXH"
