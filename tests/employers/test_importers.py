"""Reading the lists as other bodies hand them in: headers found by name under title rows, every cell checked."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from ansinh.core.errors import ValidationFailed
from ansinh.core.tabular import parse_mapping, read_table
from ansinh.employers.importers import IMPORTERS, CellError, Cells, Communes, parse_rows, tax_code, whole

COMMUNES = Communes([("31135", "Phường Ninh Kiều"), ("31120", "Phường Cái Khế"), ("31288", "Xã Thới Lai")])


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:F1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TITLE = [["CỤC THUẾ THÀNH PHỐ CẦN THƠ"], ["DANH SÁCH NGƯỜI NỘP THUẾ ĐANG QUẢN LÝ"], []]


@pytest.mark.parametrize("text, code", [
    ("0100233488", "0100233488"),
    ("0100 233 488", "0100233488"),
    ("100233488", "0100233488"),  # Excel dropped the leading zero of a code typed as a number
    ("0100233488001", "0100233488-001"),
    ("0100233488-001", "0100233488-001"),
])
def test_tax_codes_are_normalised(text, code):
    assert tax_code(text) == code


@pytest.mark.parametrize("text, problem", [
    ("0100233489", "sai chữ số kiểm tra"),
    ("01002334", "10 chữ số"),
    ("0100233488-01", "10 chữ số"),
])
def test_bad_tax_codes_say_what_is_wrong(text, problem):
    with pytest.raises(CellError, match=problem):
        tax_code(text)


def test_numbers_as_officials_write_them():
    assert whole("1.234.567") == 1234567
    assert whole("12") == 12 and whole("12,00") == 12
    with pytest.raises(CellError):
        whole("-3")
    with pytest.raises(CellError):
        whole("1,5")


def test_header_row_is_found_under_merged_title_rows_and_dates_come_back_as_written():
    content = xlsx(TITLE + [
        ["STT", "MST", "Tên DN đăng ký", "Ngày hiệu lực"],
        [1, "0100233488", "Công ty TNHH Phú Hưng", datetime(2025, 2, 28)],
    ])
    columns = IMPORTERS["changes"].columns
    with pytest.raises(ValidationFailed, match="thiếu cột Tên doanh nghiệp, Nội dung thay đổi"):
        read_table(content=content, filename="thay-doi.xlsx", columns=columns)
    rows = read_table(content=content, filename="thay-doi.xlsx", columns=columns[:2] + columns[5:],
                      mapping=parse_mapping(["Tên DN đăng ký=name"]))
    assert rows[0].line == 5
    assert rows[0].values == {"tax_code": "0100233488", "name": "Công ty TNHH Phú Hưng", "changed_on": "28/02/2025"}


def test_a_mapping_to_an_unknown_field_is_refused():
    with pytest.raises(ValidationFailed, match="không có trường “ten”"):
        read_table(content=xlsx(TITLE), filename="a.xlsx", columns=IMPORTERS["tax"].columns, mapping={"Tên NNT": "ten"})


def test_commune_comes_from_the_column_or_else_from_the_address():
    assert COMMUNES.in_address("12 Đường 30/4, Phường Ninh Kiều, Thành phố Cần Thơ") == "31135"
    assert COMMUNES.in_address("Ấp 3, XÃ THỚI LAI, TP CẦN THƠ") == "31288"
    assert COMMUNES.in_address("Quận 1, TP Hồ Chí Minh") is None
    assert COMMUNES.code("31120") == "31120" and COMMUNES.code("Phường Cái Khế") == "31120"


def parse(dataset, rows):
    from ansinh.core.tabular import Row

    return parse_rows(IMPORTERS[dataset], [Row(i + 2, values) for i, values in enumerate(rows)], COMMUNES)


def test_every_bad_cell_of_every_row_is_listed_with_its_line_and_column():
    records, errors = parse("tax", [
        {"tax_code": "0100233488", "name": "Công ty TNHH Phú Hưng", "address": "Phường Ninh Kiều", "status": "Đang hoạt động", "workers": "12"},
        {"tax_code": "0100233489", "name": "", "address": "", "status": "Lạ", "workers": "-2"},
        {"tax_code": "0100233488", "name": "Trùng", "address": "", "status": "", "workers": ""},
    ])
    assert [str(e) for e in errors] == [
        "Dòng 3, cột Mã số thuế: mã số thuế “0100233489” sai chữ số kiểm tra",
        "Dòng 3, cột Tên doanh nghiệp: thiếu tên doanh nghiệp",
        "Dòng 3, cột Tình trạng hoạt động: tình trạng “Lạ” không rõ; dùng: Đang hoạt động, Tạm ngừng kinh doanh, Ngừng hoạt động, Phá sản",
        "Dòng 3, cột Số lao động: số lao động “-2” phải là số nguyên không âm",
        "Dòng 4, cột Mã số thuế: trùng với dòng 2",
    ]
    assert records[0] == {"tax_code": "0100233488", "name": "Công ty TNHH Phú Hưng", "commune_code": "31135",
                          "address": "Phường Ninh Kiều", "status": "active", "workers": 12}


def test_ledger_rows_are_either_a_month_due_or_a_payment():
    records, errors = parse("ledger", [
        {"unit_code": "ta0001a", "period": "2025-01", "amount_due": "10.000.000", "amount_paid": "", "paid_on": ""},
        {"unit_code": "TA0001A", "period": "", "amount_due": "", "amount_paid": "4.000.000", "paid_on": "15/02/2025"},
        {"unit_code": "TA0001A", "period": "", "amount_due": "", "amount_paid": "4.000.000", "paid_on": "15/02/2025"},
        {"unit_code": "TA0001A", "period": "2025-02", "amount_due": "1", "amount_paid": "1", "paid_on": ""},
        {"unit_code": "TA0001A", "period": "", "amount_due": "", "amount_paid": "5", "paid_on": ""},
        {"unit_code": "TA0001A", "period": "2025-01", "amount_due": "7", "amount_paid": "", "paid_on": ""},
    ])
    assert records[0] == {"unit_code": "TA0001A", "period": date(2025, 1, 1), "amount_due": 10_000_000, "amount_paid": 0,
                          "paid_on": None, "occurrence": 0}
    assert [r["occurrence"] for r in records[1:3]] == [1, 2]  # two equal payments on one day are two payments
    assert [(e.line, e.field) for e in errors] == [(5, "Số phải đóng"), (6, "Ngày nộp"), (7, "Mã đơn vị")]
    assert "trùng với dòng 2" in errors[-1].message
