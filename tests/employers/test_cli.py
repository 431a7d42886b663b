"""`ansinh employers …`, `ansinh params …` and `ansinh bench employers`, in-process (CliRunner).

The lists are those of tests/employers/test_services.py; the figures are those of tests/employers/test_api.py
(the same services behind both doors). Exit status: 0 done, 1 a domain error (a Vietnamese message on
standard error, never a stack trace), 3 an enterprise that has not complied.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from ansinh import cli, console
from ansinh.audit.models import AuditEvent
from ansinh.employers import services, storage
from ansinh.employers.models import DemandLetter, EmployerImport, ReconcileRun, WorkItem
from ansinh.employers.parameters import LATE_DAILY_RATE
from ansinh.rules import rule_value as parameter_value
from ansinh.rules.models import Parameter
from tests.employers.conftest import csv_bytes
from tests.employers.test_services import TAX, UNITS, load

pytestmark = pytest.mark.django_db
runner = CliRunner()
LEDGER_HEADER = "unit_code,period,amount_due,amount_paid,paid_on"


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    """Output as wide as it needs: a message or a table row is never wrapped over two lines the tests read."""
    monkeypatch.setattr(console.out, "_width", 300)  # rich reads its width from here; undone after
    monkeypatch.setattr(console.err, "_width", 300)


def _run(*args: str):
    return runner.invoke(cli.app, list(args))


def _employers(*args: str):
    return _run("employers", *args)


def _failed(result, message: str) -> None:
    """Exit 1, the message on standard error, no stack trace anywhere."""
    assert result.exit_code == 1, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not an exception let through


@pytest.fixture
def loaded(data_dir, operator):
    load(operator)
    return data_dir


def _file(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _docx_text(path) -> str:
    document = Document(io.BytesIO(path.read_bytes()))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def _xlsx_cells(path, sheet: int = 0) -> list:
    return [cell for row in load_workbook(io.BytesIO(path.read_bytes())).worksheets[sheet].iter_rows(values_only=True) for cell in row]


# ---------------------------------------------------------------------------------------------- import


def test_import_says_what_changed_and_the_same_file_twice_changes_nothing(data_dir, tmp_path):
    path = _file(tmp_path, "thue.csv", TAX)

    first = _employers("import", "tax", str(path))
    again = _employers("import", "tax", str(path))

    assert first.exit_code == 0, first.output
    assert "Đã nhập 4 dòng: 4 mới, 0 thay đổi, 0 bỏ đi." in first.stdout
    assert again.exit_code == 0, again.output
    assert "Không có gì thay đổi: 4 dòng đã có sẵn như trong tệp." in again.stdout
    assert storage.dataset_read("tax").num_rows == 4
    batch = EmployerImport.objects.get()
    assert (batch.actor.username, batch.filename, batch.added) == ("system", "thue.csv", 4)
    assert AuditEvent.objects.get(action="employers.import.tax").actor.username == "system"


def test_import_prints_the_warnings(data_dir, tmp_path):
    result = _employers("import", "units", str(_file(tmp_path, "don-vi.csv", UNITS)), "--as", "tinh")

    assert result.exit_code == 0, result.output
    assert "Đã nhập 3 dòng: 3 mới" in result.stdout
    assert "Lưu ý: 1 đơn vị chưa có mã số thuế: sẽ đối chiếu theo tên." in result.stdout
    assert EmployerImport.objects.get().actor.username == "tinh"


def test_a_rejected_import_prints_every_bad_row_and_saves_nothing(data_dir, tmp_path):
    bad = TAX + "1800000050;;Phường Ninh Kiều;Lạ;x\n".encode() + "1800000018;Trùng mã;;Đang hoạt động;3\n".encode()

    result = _employers("import", "tax", str(_file(tmp_path, "thue.csv", bad)))

    _failed(result, "Tệp bị từ chối: 5 dòng lỗi, không có dữ liệu nào được lưu.")
    for line in (
        "Dòng 6, cột Mã số thuế: mã số thuế “1800000050” sai chữ số kiểm tra",
        "Dòng 6, cột Tên doanh nghiệp: thiếu tên doanh nghiệp",
        "Dòng 6, cột Tình trạng hoạt động: tình trạng “Lạ” không rõ",
        "Dòng 6, cột Số lao động: số lao động “x” phải là số nguyên không âm",
        "Dòng 7, cột Mã số thuế: trùng với dòng 2",
    ):
        assert line in result.stderr
    assert "Đã nhập" not in result.stdout
    assert not storage.dataset_exists("tax")
    assert not EmployerImport.objects.exists()


def test_map_names_a_header_the_file_writes_otherwise(data_dir, tmp_path):
    path = _file(tmp_path, "dang-ky-thue.csv", TAX.replace("Tên người nộp thuế".encode(), "Người nộp thuế".encode()))

    unmapped = _employers("import", "tax", str(path))
    mapped = _employers("import", "tax", str(path), "--map", "Người nộp thuế=name")

    _failed(unmapped, "thiếu cột Tên doanh nghiệp")
    assert mapped.exit_code == 0, mapped.output
    assert "Đã nhập 4 dòng" in mapped.stdout
    assert storage.dataset_read("tax").column("name").to_pylist()[3] == "Công ty TNHH Gia Khang"
    _failed(_employers("import", "tax", str(path), "--map", "Người nộp thuế"), "Ánh xạ cột “Người nộp thuế” không hợp lệ")
    _failed(_employers("import", "tax", str(path), "--map", "Người nộp thuế=ten"), "không có trường “ten”")


def _changes_xlsx(*rows: tuple) -> bytes:
    """A registration changes list as the Finance department sends it: two title rows above the headers."""
    book = Workbook()
    sheet = book.active
    sheet.append(["SỞ TÀI CHÍNH THÀNH PHỐ CẦN THƠ"])
    sheet.append(["DANH SÁCH DOANH NGHIỆP THAY ĐỔI TÌNH TRẠNG HOẠT ĐỘNG THÁNG 10/2025"])
    sheet.append(["MST", "Tên doanh nghiệp", "Nội dung thay đổi", "Ngày hiệu lực", "Địa chỉ"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GIA_KHANG_DISSOLVED = (1800000025, "Công ty TNHH Gia Khang", "Giải thể", datetime(2025, 10, 15), "1 Nguyễn Trãi, Phường Cái Khế, TP Cần Thơ")
PHU_HUNG_SUSPENDED = ("1800000018", "Công ty TNHH Phú Hưng", "Tạm ngừng kinh doanh", "20/10/2025", "12 Đường 30/4, Phường Ninh Kiều")


def test_an_xlsx_with_title_rows_and_date_cells_is_read_with_the_spreadsheets_line_numbers(data_dir, tmp_path):
    good = _file(tmp_path, "bien-dong.xlsx", _changes_xlsx(GIA_KHANG_DISSOLVED, PHU_HUNG_SUSPENDED))
    bad = _file(tmp_path, "bien-dong-loi.xlsx", _changes_xlsx(
        GIA_KHANG_DISSOLVED, PHU_HUNG_SUSPENDED, ("1800000032", "CTCP Xây dựng Minh Phát", "Đổi tên", "31/02/2025", "")))

    rejected = _employers("import", "changes", str(bad))
    result = _employers("import", "changes", str(good))

    _failed(rejected, "Tệp bị từ chối: 2 dòng lỗi")
    assert "Dòng 6, cột Nội dung thay đổi: nội dung thay đổi “Đổi tên” không rõ" in rejected.stderr
    assert "Dòng 6, cột Ngày hiệu lực: ngày “31/02/2025” không đúng dạng dd/mm/yyyy" in rejected.stderr
    assert result.exit_code == 0, result.output
    assert "Đã nhập 2 dòng: 2 mới, 0 thay đổi, 0 bỏ đi." in result.stdout
    table = storage.dataset_read("changes").to_pylist()
    assert [(r["tax_code"], r["commune_code"], r["change"], r["changed_on"]) for r in table] == [
        ("1800000025", "31120", "dissolved", date(2025, 10, 15)), ("1800000018", "31135", "suspended", date(2025, 10, 20))]


def test_import_errors_are_clear(data_dir, tmp_path):
    path = _file(tmp_path, "thue.csv", TAX)

    _failed(_employers("import", "people", str(path)), "Không có loại danh sách “people”")
    _failed(_employers("import", "tax", str(path), "--as", "xa-31135"), "ngoài phạm vi")
    _failed(_employers("import", "tax", str(path), "--as", "nobody"), "Không có tài khoản “nobody”")
    _failed(_employers("import", "tax", str(_file(tmp_path, "thue.pdf", b"%PDF"))), "chỉ nhận tệp .csv hoặc .xlsx")
    assert not storage.dataset_exists("tax")


# ------------------------------------------------------------------------------------------- reconcile


def test_reconcile_prints_the_counts(loaded):
    result = _employers("reconcile")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()

    def row(label: str) -> str:
        return next(line for line in lines if label in line)

    assert "│ 4 " in row("Bản ghi ngoài") and "│ 3 " in row("Đơn vị BHXH") and "│ 3 " in row("Đã khớp")
    assert "│ 1 " in row("Chưa đăng ký tham gia BHXH") and "│ 0 " in row("Cần xác nhận đối chiếu")
    assert "Danh sách việc: 3 mục mới, 0 mở lại, 0 đã xong" in result.stdout
    assert ReconcileRun.objects.get().actor.username == "system"
    assert WorkItem.objects.count() == 3


def test_reconcile_json_is_the_api_answer(loaded, admin_client):
    result = _employers("reconcile", "--json", "--as", "tinh")

    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["counts"] == {
        "records": 4, "units": 3, "matched": 3, "unregistered": 1, "under_declared": 1, "closed_active": 1, "uncertain": 0,
    }
    assert (body["created"], body["reopened"], body["closed"]) == (3, 0, 0)
    api = admin_client.post("/api/v1/employers/reconcile").json()
    assert api["counts"] == body["counts"] and (api["created"], api["closed"]) == (0, 0)


def test_reconcile_without_units_says_how_to_get_them(data_dir, operator):
    _failed(_employers("reconcile"), "Chưa có danh sách đơn vị tham gia BHXH: nhập bằng “ansinh employers import units TỆP”.")
    load(operator)
    _failed(_employers("reconcile", "--as", "xa-31135"), "ngoài phạm vi")
    assert not ReconcileRun.objects.exists()


# --------------------------------------------------------------------------------------------- arrears


def test_arrears_table_and_total(loaded):
    result = _employers("arrears", "--as-of", "31/10/2025")

    assert result.exit_code == 0, result.output
    assert "Nợ đóng tính đến ngày 31/10/2025" in result.stdout
    line = next(line for line in result.stdout.splitlines() if "TA0001A" in line)
    for cell in ("Công ty TNHH Phú Hưng", "10.000.000", "93.000", "31", "Chậm đóng"):
        assert cell in line
    assert "Tổng: 1 đơn vị, nợ 10.000.000 đồng, lãi 93.000 đồng." in result.stdout


def test_arrears_json_is_the_api_answer(loaded, admin_client, operator):
    services.employers_import(actor=operator, dataset="ledger", filename="bo-sung.csv",
                              content=csv_bytes(LEDGER_HEADER, "TA0002A,2025-08,5000000,,"))

    result = _employers("arrears", "--as-of", "2025-11-30", "--json")
    commune = _employers("arrears", "--as-of", "2025-11-30", "--json", "--as", "xa-31135")

    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body == admin_client.get("/api/v1/employers/arrears", {"as_of": "2025-11-30"}).json()
    assert [(r["unit_code"], r["unpaid"], r["interest"], r["status"]) for r in body] == [
        ("TA0001A", 20_000_000, 273_000, "evasion"), ("TA0002A", 5_000_000, 45_000, "late")]
    assert [r["unit_code"] for r in json.loads(commune.stdout)] == ["TA0001A"]


def test_one_units_arrears_and_its_scope(loaded):
    own = _employers("arrears", "--unit", "ta0001a", "--as-of", "2025-10-31", "--json", "--as", "xa-31135")

    assert own.exit_code == 0, own.output
    assert [(r["unit_code"], r["unpaid"], r["interest"]) for r in json.loads(own.stdout)] == [("TA0001A", 10_000_000, 93_000)]
    _failed(_employers("arrears", "--unit", "TA0002A", "--as", "xa-31135"), "ngoài phạm vi")
    _failed(_employers("arrears", "--unit", "ZZ9999Z"), "Không có đơn vị mã “ZZ9999Z”")
    _failed(_employers("arrears", "--as-of", "2025-13-45"), "--as-of “2025-13-45”: ngày phải viết dd/mm/yyyy hoặc YYYY-MM-DD.")


def test_a_day_before_the_charge_was_in_force_names_the_command_that_adds_it(loaded):
    _failed(_employers("arrears", "--as-of", "2025-06-30"),
            "chưa có giá trị hiệu lực ngày 30/06/2025: thêm bằng “ansinh params set employers.late_daily_rate GIÁ_TRỊ --from dd/mm/yyyy")

    for code, value in ((LATE_DAILY_RATE, "0.0003"), ("employers.evasion_after_days", "60")):
        assert _run("params", "set", code, value, "--from", "01/01/2016", "--basis", "Luật BHXH số 58/2014/QH13").exit_code == 0

    result = _employers("arrears", "--as-of", "2025-06-30")
    assert result.exit_code == 0, result.output
    assert "Tổng: 0 đơn vị, nợ 0 đồng, lãi 0 đồng." in result.stdout  # the ledger starts with July


# ------------------------------------------------------------------------------------------ paperwork


def test_letters_are_written_one_docx_per_unit(loaded, tmp_path):
    out = tmp_path / "thong-bao"

    result = _employers("letters", "--month", "2025-11", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert (f"Đã lập 1 thông báo (1 tệp) trong {out}: nợ tính đến 31/10/2025, tổng nợ 10.000.000 đồng, lãi 93.000 đồng."
            in result.stdout)
    assert [p.name for p in out.iterdir()] == ["thong-bao-TA0001A-2025-11.docx"]
    text = _docx_text(out / "thong-bao-TA0001A-2025-11.docx")
    assert "Kính gửi: Công ty TNHH Phú Hưng" in text
    assert "tổng số tiền chưa đóng là 10.000.000 đồng" in text and "10.093.000 đồng" in text
    number = DemandLetter.objects.get(unit_code="TA0001A").number
    assert f"Số: {number}/TB-BHXH" in text
    assert AuditEvent.objects.get(action="employers.letters").actor.username == "system"


def test_merged_letters_keep_their_numbers(loaded, tmp_path):
    _employers("letters", "--month", "2025-11", "--out", str(tmp_path / "a"))
    number = DemandLetter.objects.get().number

    result = _employers("letters", "--month", "11/2025", "--out", str(tmp_path / "b"), "--merged")

    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["thong-bao-don-doc-2025-11.docx"]
    assert "Công ty TNHH Phú Hưng" in _docx_text(tmp_path / "b" / "thong-bao-don-doc-2025-11.docx")
    assert DemandLetter.objects.get().number == number


def test_letters_errors(loaded, tmp_path):
    out = tmp_path / "thong-bao"

    _failed(_employers("letters", "--month", "2025-13", "--out", str(out)), "--month: kỳ “2025-13” không đúng dạng YYYY-MM.")
    _failed(_employers("letters", "--month", "2025-11", "--out", str(out), "--as", "xa-31135"), "ngoài phạm vi")
    assert not out.exists()
    assert not DemandLetter.objects.exists()


def test_offenders_list_is_written_and_audited(loaded, tmp_path):
    path = tmp_path / "vi-pham.xlsx"

    result = _employers("offenders", "--quarter", "2026-Q1", "--out", str(path), "--as", "xa-31135")

    assert result.exit_code == 0, result.output
    assert f"Đã ghi {path}." in result.stdout
    cells = _xlsx_cells(path)
    assert "Công ty TNHH Phú Hưng" in cells and 20_000_000 in cells and "Trốn đóng" in cells
    event = AuditEvent.objects.get(action="export.employers.offenders")
    assert (event.actor.username, event.detail) == ("xa-31135", {"quarter": "2026-Q1", "public": False, "units": 1})
    _failed(_employers("offenders", "--quarter", "2026-Q5", "--out", str(tmp_path / "x.xlsx")), "không đúng dạng YYYY-Qn")
    assert not (tmp_path / "x.xlsx").exists()


def test_a_file_to_write_in_a_missing_folder_is_an_error_not_a_crash(loaded, tmp_path):
    path = tmp_path / "khong-co" / "vi-pham.xlsx"

    result = _employers("offenders", "--quarter", "2026-Q1", "--out", str(path))

    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # today: FileNotFoundError, a stack trace
    assert str(path.parent) in result.stderr
    assert not path.exists()


def test_offenders_public_list_gets_its_own_name(loaded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = _employers("offenders", "--quarter", "2026-q1", "--public")

    assert result.exit_code == 0, result.output
    path = tmp_path / "cong-khai-don-vi-cham-dong-2026-q1.xlsx"
    assert "Công ty TNHH Phú Hưng" in _xlsx_cells(path) and "TA0001A" not in _xlsx_cells(path)


def test_inspection_lists_units_owing_three_months(loaded, tmp_path, operator):
    services.employers_import(actor=operator, dataset="ledger", filename="thang-10.csv",
                              content=csv_bytes(LEDGER_HEADER, "TA0001A,2025-10,10000000,,"))
    path = tmp_path / "thanh-tra.xlsx"

    result = _employers("inspection", "--as-of", "2025-12-31", "--out", str(path))
    fewer = _employers("inspection", "--as-of", "2025-11-30", "--out", str(tmp_path / "it.xlsx"))

    assert result.exit_code == 0, result.output
    assert f"Đã ghi {path}: 1 đơn vị đề nghị thanh tra." in result.stdout
    cells = _xlsx_cells(path)
    assert "Công ty TNHH Phú Hưng" in cells and 30_000_000 in cells  # August, September, October
    assert "Công ty TNHH Phú Hưng" in _xlsx_cells(path, sheet=1)  # its month-end history
    assert "0 đơn vị đề nghị thanh tra" in fewer.stdout
    assert [e.detail["units"] for e in AuditEvent.objects.filter(action="export.employers.inspection").order_by("id")] == [1, 0]


# ---------------------------------------------------------------------------------------- compliance


def test_check_exit_status_says_whether_the_enterprise_complied(loaded):
    owing = _employers("check", "1800000018", "--on", "31/10/2025")
    paid = _employers("check", "1800000018", "--on", "2025-09-01")

    assert owing.exit_code == 3, owing.output
    assert "Mã số thuế 1800000018, tính đến 31/10/2025: CHƯA CHẤP HÀNH ĐÚNG pháp luật về BHXH, BHYT, BHTN." in owing.stdout
    assert "- Đơn vị TA0001A (Công ty TNHH Phú Hưng) chậm đóng 1 tháng, số tiền 10.000.000 đồng, lãi 93.000 đồng" in owing.stdout
    assert paid.exit_code == 0, paid.output
    assert "tính đến 01/09/2025: CHẤP HÀNH ĐÚNG" in paid.stdout
    events = AuditEvent.objects.filter(action="employers.compliance_check").order_by("id")
    assert [(e.actor.username, e.detail["compliant"]) for e in events] == [("system", False), ("system", True)]


def test_check_json_is_the_api_answer(loaded, admin_client):
    result = _employers("check", "1800000018", "--on", "2025-10-31", "--json")

    assert result.exit_code == 3
    body = json.loads(result.stdout)
    assert body == admin_client.get("/api/v1/employers/check/1800000018", {"on": "2025-10-31"}).json()
    assert (body["compliant"], [u["unpaid"] for u in body["units"]]) == (False, [10_000_000])


def test_check_errors_exit_1(loaded):
    _failed(_employers("check", "1800000013"), "Mã số thuế: mã số thuế “1800000013” sai chữ số kiểm tra.")
    _failed(_employers("check", "1800000018", "--on", "32/10/2025"), "--on “32/10/2025”")
    assert not AuditEvent.objects.filter(action="employers.compliance_check").exists()


# ------------------------------------------------------------------------------------------ parameters


def _param_line(output: str, code: str) -> str:
    return next(line for line in output.splitlines() if code in line)


def test_params_set_then_list_shows_the_new_value_from_its_date():
    before = _run("params", "list", "--on", "31/12/2025")

    result = _run("params", "set", LATE_DAILY_RATE, "0,0005", "--from", "01/01/2026", "--basis", "Nghị định 999/2025/NĐ-CP",
                  "--as", "tinh")
    after = _run("params", "list", "--on", "01/01/2026")
    still = _run("params", "list", "--on", "31/12/2025")

    assert before.exit_code == 0, before.output
    assert "Tham số có hiệu lực ngày 31/12/2025" in before.stdout
    assert "│ 0.0003 " in _param_line(before.stdout, LATE_DAILY_RATE)
    assert "│ 60 " in _param_line(before.stdout, "employers.evasion_after_days")
    assert result.exit_code == 0, result.output
    assert f"Đã đặt {LATE_DAILY_RATE} = 0.0005 từ 01/01/2026 (Nghị định 999/2025/NĐ-CP)." in result.stdout
    assert "│ 0.0005 " in _param_line(after.stdout, LATE_DAILY_RATE)
    assert "│ 0.0003 " in _param_line(still.stdout, LATE_DAILY_RATE)
    assert str(parameter_value(LATE_DAILY_RATE, date(2026, 1, 1))) == "0.000500"
    event = AuditEvent.objects.get(action="parameter.set")
    assert (event.actor.username, event.detail) == ("tinh", {"code": LATE_DAILY_RATE, "value": "0.0005", "valid_from": "2026-01-01"})


def test_a_commune_account_may_not_set_parameters():
    result = _run("params", "set", LATE_DAILY_RATE, "0.0005", "--from", "01/01/2026", "--basis", "x", "--as", "xa-31135")

    _failed(result, "Chỉ quản trị cấp tỉnh được đặt tham số nghiệp vụ.")
    assert not Parameter.objects.exists()
    assert not AuditEvent.objects.filter(action="parameter.set").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["employers.unknown", "1"], "Không có tham số “employers.unknown”"),
        ([LATE_DAILY_RATE, "nhiều"], "Giá trị “nhiều” không phải là số."),
        ([LATE_DAILY_RATE, "-1"], "Giá trị tham số không được âm."),
    ],
)
def test_bad_parameters_are_clear_errors(args, message):
    _failed(_run("params", "set", "--from", "01/01/2026", "--basis", "Nghị định", "--", *args), message)
    assert not Parameter.objects.exists()


def test_bad_parameter_dates_and_basis():
    _failed(_run("params", "set", LATE_DAILY_RATE, "0.0005", "--from", "2026-13-01", "--basis", "x"), "--from “2026-13-01”")
    _failed(_run("params", "set", LATE_DAILY_RATE, "0.0005", "--from", "01/01/2026", "--basis", " "), "Cần ghi căn cứ pháp lý")
    _failed(_run("params", "list", "--on", "hôm qua"), "--on “hôm qua”")


# ------------------------------------------------------------------------------------------- benchmark


def test_bench_employers_at_a_tiny_size(tmp_path):
    directory = tmp_path / "bench"

    result = _run("bench", "employers", "--units", "200", "--tax", "600", "--months", "13", "--data-dir", str(directory), "--json")

    assert result.exit_code in (0, 1), result.output  # 1 only when a target is missed, which tiny data may do
    body = json.loads(result.stdout)
    assert (body["units"], body["tax_records"], body["months"], body["data_dir"]) == (200, 600, 13, str(directory))
    assert (body["as_of"], body["ledger_rows"] > 0, body["units_in_arrears"] > 0) == ("2025-11-30", True, True)
    assert set(body["scores"]) == {"links", "unregistered", "under_declared", "closed_active"}
    for score in body["scores"].values():
        assert set(score) == {"predicted", "true", "precision", "recall"}
        assert 0 <= score["precision"] <= 1 and 0 <= score["recall"] <= 1
    links = body["scores"]["links"]
    assert links["true"] > 0 and min(links["precision"], links["recall"]) >= 0.9
    assert body["reconcile_seconds"] > 0 and body["arrears_seconds"] > 0
    assert body["reconcile_peak_mib"] > 0 and body["arrears_peak_mib"] > 0
    assert set(body["reconcile_steps"]) >= {"match", "findings"}
    ok = min(links["precision"], links["recall"]) >= 0.97 and body["reconcile_seconds"] < 60 and body["arrears_seconds"] < 30
    assert result.exit_code == (0 if ok else 1)
    assert (directory / "manifest.json").exists() and (directory / "truth.parquet").exists()


def test_bench_employers_checks_its_options(tmp_path):
    result = _run("bench", "employers", "--months", "6", "--data-dir", str(tmp_path), "--json")

    assert result.exit_code == 2  # typer's usage error: at least 13 months
    assert "13" in result.output
    assert not list(tmp_path.iterdir())


def test_reconcile_debug_times_each_engine_step(loaded):
    result = _employers("reconcile", "--debug", "--as", "tinh")

    assert result.exit_code == 0, result.output
    assert "Thời gian từng bước" in result.output
    assert all(step in result.output for step in ("records", "fold", "match", "findings")), result.output


def test_letters_take_a_first_number_and_the_signer(loaded, tmp_path):
    out = tmp_path / "thong-bao"

    result = _employers("letters", "--month", "2025-11", "--out", str(out), "--number", "77",
                        "--signer-title", "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC", "--signer-name", "Lê Thị Hoa")

    assert result.exit_code == 0, result.output
    text = _docx_text(out / "thong-bao-TA0001A-2025-11.docx")
    assert "Số: 77/TB-BHXH" in text and "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in text and "Lê Thị Hoa" in text
    assert DemandLetter.objects.get(unit_code="TA0001A").number == 77
