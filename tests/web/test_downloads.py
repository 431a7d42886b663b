"""The one download helper: every browser gets a file name it can read, Vietnamese or not."""

from urllib.parse import unquote

from ansinh.web.downloads import XLSX, content_disposition, download


def test_an_ascii_name_is_sent_as_before():
    assert content_disposition("ds-ho-chua-bhyt-31135.xlsx") == 'attachment; filename="ds-ho-chua-bhyt-31135.xlsx"'


def test_a_vietnamese_name_has_an_ascii_fallback_and_the_utf8_form():
    response = download(b"PK", "danh-sách-hộ.xlsx", XLSX)
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="danh-sach-ho.xlsx"; ')
    assert "filename*=utf-8''danh-s%C3%A1ch-h%E1%BB%99.xlsx" in header
    assert unquote(header.split("filename*=utf-8''")[1]) == "danh-sách-hộ.xlsx"
    assert header.isascii()
    assert response["Content-Type"] == XLSX and response.content == b"PK"


def test_a_fallback_never_breaks_the_quoted_string():
    header = content_disposition('Báo cáo "quý" 1\\2 – Đ.docx')
    fallback = header.split('filename="')[1].split('";')[0]
    assert '"' not in fallback and "\\" not in fallback and fallback.isascii()
    assert fallback.startswith("Bao cao _quy_ 1_2 _ D")
