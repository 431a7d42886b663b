"""Getting clean text out of plan files: containers, encodings, legacy fonts, broken lines, bad input."""

from __future__ import annotations

import io

import pytest

from ansinh.core.errors import ValidationFailed
from ansinh.plans.extract import document_text, repair_legacy_font, repair_text

SAMPLE = "Sở Lao động - Thương binh và Xã hội: Đề nghị đôn đốc đơn vị nợ đọng BHXH; đạt 96,11%."


# --------------------------------------------------------------------------------------------- text files


@pytest.mark.parametrize("encoded", [
    SAMPLE.encode("utf-8"), b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), SAMPLE.encode("utf-16"),
])
def test_unicode_text_files(encoded):
    assert repair_text(document_text(content=encoded, filename="kh.txt")) == SAMPLE


def _cp1258(text: str) -> bytes:
    """Windows-1258 keeps ă, â, ê, ô, ơ, ư, đ whole and writes the tone as a separate mark."""
    import unicodedata

    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(m for m in decomposed if m in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in tones))
            out += (base + tones).encode("cp1258")
    return out


def test_windows_vietnamese_code_page():
    encoded = _cp1258(SAMPLE)
    assert repair_text(document_text(content=encoded, filename="KH.TXT")) == SAMPLE


# --------------------------------------------------------------------------------------------- docx, pdf


def test_docx_paragraphs_and_tables_in_document_order():
    import docx

    document = docx.Document()
    document.add_paragraph("I. CHỈ TIÊU")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Tỷ lệ bao phủ BHYT", "95%"
    table.cell(1, 0).text, table.cell(1, 1).text = "Số người tham gia BHXH", "433.364"
    document.add_paragraph("II. NHIỆM VỤ")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = document_text(content=buffer.getvalue(), filename="kh.docx").split("\n")
    assert lines == ["I. CHỈ TIÊU", "Tỷ lệ bao phủ BHYT | 95% |", "Số người tham gia BHXH | 433.364 |", "II. NHIỆM VỤ"]


def test_pdf_text_layer(tmp_path):
    from tests.libreoffice import soffice

    source = tmp_path / "kh.txt"
    source.write_text("KẾ HOẠCH\nTỷ lệ bao phủ BHYT đạt 96,11% dân số.\n", encoding="utf-8")
    soffice(tmp_path, "pdf", source)
    text = document_text(content=(tmp_path / "kh.pdf").read_bytes(), filename="kh.pdf")
    assert "Tỷ lệ bao phủ BHYT đạt 96,11% dân số." in repair_text(text)


# --------------------------------------------------------------------------------------------- bad input


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "filename", "words"), [
    (b"", "kh.txt", "rỗng"),
    (b"   \n  ", "kh.docx", "rỗng"),
    (b"PK\x03\x04 junk that is no zip" * 10, "kh.docx", "không phải tệp Word"),
    (bytes(range(256)) * 4, "kh.docx", "không phải tệp Word"),
    (b"%PDF-1.4 broken", "kh.pdf", "kh.pdf"),
    (_blank_pdf(), "scan.pdf", "bản quét"),
    (b"plan", "kh.odt", "định dạng"),
    (b"plan", "ke-hoach", "định dạng"),
])
def test_bad_files_are_refused_with_a_clear_message(content, filename, words):
    with pytest.raises(ValidationFailed) as error:
        document_text(content=content, filename=filename)
    assert words in error.value.message and filename in error.value.message


# --------------------------------------------------------------------------------------------- repair


def test_vni_leftover_d_is_repaired():
    assert repair_text("ðề nghị Sở Y tế ñôn ñốc các ñơn vị; ñạt 90%") == "Đề nghị Sở Y tế đôn đốc các đơn vị; đạt 90%"


def test_windows_1258_read_as_1252_d_is_repaired():
    assert repair_text("Ðề nghị các ðơn vị ðóng ðủ") == "Đề nghị các đơn vị đóng đủ"


def test_correct_unicode_is_never_touched():
    text = "Công ty Peña Việt Nam đạt 96,11%; ông Muñoz, đại diện."
    assert repair_text(text) == text


def test_whole_vni_text_is_converted():
    vni = "Vieät Nam: ñaûm baûo tyû leä bao phuû BHYT ñaït 95% daân soá; Sôû Y teá chuû trì"
    assert repair_legacy_font(vni) == "Việt Nam: đảm bảo tỷ lệ bao phủ BHYT đạt 95% dân số; Sở Y tế chủ trì"


def test_whole_tcvn3_text_is_converted():
    tcvn3 = "B¶o hiÓm x· héi tØnh ®¶m b¶o tû lÖ bao phñ BHYT ®¹t 95% d©n sè"
    assert repair_legacy_font(tcvn3) == "Bảo hiểm xã hội tỉnh đảm bảo tỷ lệ bao phủ BHYT đạt 95% dân số"


def test_lines_broken_mid_sentence_are_joined():
    text = "1. Sở Tài chính\n- Bảo đảm nguồn ngân sách và chuyển kịp thời kinh phí hỗ trợ\nđóng BHXH tự nguyện;\n\n- Chủ trì."
    assert repair_text(text).split("\n") == [
        "1. Sở Tài chính", "- Bảo đảm nguồn ngân sách và chuyển kịp thời kinh phí hỗ trợ đóng BHXH tự nguyện;", "- Chủ trì."]


def test_hyphenated_words_are_glued():
    assert repair_text("người tham-\ngia BHXH") == "người tham-gia BHXH".replace("-", "", 1)


def test_hard_wrapped_text_is_joined_but_headings_are_not():
    paragraph = ("Phối hợp với Sở Tài chính, BHXH thành phố chỉ đạo và hướng dẫn các đơn vị trực thuộc "
                 "chuyển kinh phí ngân sách nhà nước đóng, hỗ trợ mức đóng BHYT hàng tháng. ") * 4
    import textwrap

    wrapped = "\n".join(["IV. TỔ CHỨC THỰC HIỆN", "3. Sở Y tế"] + textwrap.wrap(paragraph, 70) + ["4. Sở Tài chính"])
    lines = repair_text(wrapped).split("\n")
    assert lines[0] == "IV. TỔ CHỨC THỰC HIỆN" and lines[1] == "3. Sở Y tế" and lines[-1] == "4. Sở Tài chính"
    assert lines[2] == paragraph.strip() and len(lines) == 4
