"""The employer datasets written as the files other bodies really hand in (XLSX with title rows, CSV), for
the imports and the demo.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ansinh.demo.synthetic.employers import EmployerManifest
from ansinh.employers.storage import dataset_read


_TAX_STATUS_TEXT = {"active": "Đang hoạt động", "suspended": "Tạm ngừng kinh doanh", "dissolved": "Đã giải thể",
                    "bankrupt": "Phá sản"}
_UNIT_STATUS_TEXT = {"active": "Đang hoạt động", "suspended": "Tạm dừng", "closed": "Đã đóng"}
_CHANGE_TEXT = {"registered": "Thành lập mới", "suspended": "Tạm ngừng kinh doanh", "dissolved": "Giải thể",
                "bankrupt": "Phá sản", "resumed": "Hoạt động trở lại"}
#: File name → (row of the header, 1-based, as Excel numbers it; column names).
SOURCE_FILES = {
    "dang_ky_thue.xlsx": (5, ("STT", "Mã số thuế", "Tên người nộp thuế", "Địa chỉ trụ sở", "Tình trạng hoạt động",
                              "Số lao động")),
    "don_vi_bhxh.xlsx": (1, ("Mã đơn vị", "Mã số thuế", "Tên đơn vị", "Địa chỉ", "Mã xã", "Ngành nghề", "Loại hình",
                             "Số lao động", "Trạng thái")),
    "thay_doi_dkkd.csv": (1, ("MST", "Tên doanh nghiệp", "Nội dung thay đổi", "Ngày hiệu lực")),
    "kcn.xlsx": (1, ("Mã số thuế", "Tên doanh nghiệp", "Khu công nghiệp", "Số lao động")),
    "cong_doan.xlsx": (1, ("Mã số thuế", "Tên doanh nghiệp", "Số đoàn viên")),
    "so_thu.csv": (1, ("unit_code", "period", "amount_due", "amount_paid", "paid_on")),
}


def write_source_files(out_dir: Path, dest: Path) -> dict[str, Path]:
    """The datasets of `out_dir` as the files other bodies really hand in (for the imports and the demo).

    Meant for demo sizes (thousands of units): rows go through Python one by one.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    out_dir, dest = Path(out_dir), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    manifest = EmployerManifest.from_json((out_dir / "manifest.json").read_text(encoding="utf-8"))
    data = {name: dataset_read(name, out_dir).to_pylist() for name in ("tax", "units", "changes", "zones", "unions")}
    paths: dict[str, Path] = {}

    def workbook(file_name: str, title: str, rows, titles: Sequence[str] = ()) -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title)
        header_row, header = SOURCE_FILES[file_name]
        bold = Font(bold=True)
        for line, text in enumerate(titles, start=1):
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            cell.alignment = Alignment(horizontal="center")
            sheet.merged_cells.add(f"A{line}:{chr(64 + len(header))}{line}")
            sheet.append([cell])
        for _ in range(len(titles) + 1, header_row):
            sheet.append([])
        header_cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(row)
        path = dest / file_name
        book.save(path)
        paths[file_name] = path

    as_of = manifest.as_of
    workbook(
        "dang_ky_thue.xlsx", "NNT",
        ([i, r["tax_code"], r["name"], r["address"], _TAX_STATUS_TEXT[r["status"]], r["workers"]]
         for i, r in enumerate(data["tax"], start=1)),
        titles=(f"CỤC THUẾ {manifest.province_name.upper()}", "DANH SÁCH NGƯỜI NỘP THUẾ ĐANG QUẢN LÝ",
                f"(Đến ngày {as_of:%d/%m/%Y})"),
    )
    workbook(
        "don_vi_bhxh.xlsx", "DonVi",
        ([r["unit_code"], r["tax_code"], r["name"], r["address"], r["commune_code"], r["sector"], r["ownership"],
          r["workers"], _UNIT_STATUS_TEXT[r["status"]]] for r in data["units"]),
    )
    workbook("kcn.xlsx", "KCN", ([r["tax_code"], r["name"], r["zone"], r["workers"]] for r in data["zones"]))
    workbook("cong_doan.xlsx", "CongDoan", ([r["tax_code"], r["name"], r["members"]] for r in data["unions"]))

    path = dest / "thay_doi_dkkd.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(SOURCE_FILES["thay_doi_dkkd.csv"][1])
        for r in data["changes"]:
            writer.writerow([r["tax_code"], r["name"], _CHANGE_TEXT[r["change"]], f"{r['changed_on']:%d/%m/%Y}"])
    paths["thay_doi_dkkd.csv"] = path

    ledger = dataset_read("ledger", out_dir)
    path = dest / "so_thu.csv"
    text = pa.table({
        "unit_code": ledger["unit_code"],
        "period": pc.fill_null(pc.strftime(ledger["period"], format="%Y-%m"), ""),
        "amount_due": ledger["amount_due"],
        "amount_paid": ledger["amount_paid"],
        "paid_on": pc.fill_null(pc.strftime(ledger["paid_on"], format="%d/%m/%Y"), ""),
    })
    with path.open("wb") as handle:  # the header unquoted, as the documented shape has it
        handle.write((",".join(SOURCE_FILES["so_thu.csv"][1]) + "\n").encode())
        pa_csv.write_csv(text, handle, pa_csv.WriteOptions(include_header=False, quoting_style="none"))
    paths["so_thu.csv"] = path
    return paths
