"""Read the rows of an uploaded CSV or XLSX file, with the line numbers an official sees in Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from ansinh.core.errors import ValidationFailed


@dataclass(frozen=True)
class Row:
    line: int  # 1 is the header, so the first data row is line 2, as in a spreadsheet
    values: dict[str, str]


def read_rows(*, content: bytes, filename: str, required: tuple[str, ...]) -> list[Row]:
    """All data rows as text, keyed by lower-case header; blank lines are skipped.

    Raises ValidationFailed when the file cannot be read or a required column is missing.
    """
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        lines = _xlsx_lines(content)
    elif suffix in (".csv", ".txt", ""):
        lines = _csv_lines(content)
    else:
        raise ValidationFailed(f"Không đọc được tệp “{filename}”: chỉ nhận tệp .csv hoặc .xlsx.")
    header = next(lines, None)
    if header is None:
        raise ValidationFailed(f"Tệp “{filename}” không có dữ liệu.")
    names = [str(name or "").strip().lower() for name in header]
    missing = [column for column in required if column not in names]
    if missing:
        raise ValidationFailed(f"Tệp “{filename}” thiếu cột: {', '.join(missing)} (dòng 1 phải là tên cột).")
    rows = []
    for line, cells in enumerate(lines, start=2):
        texts = [_text(cell) for cell in cells]
        if not any(texts):
            continue
        rows.append(Row(line, {name: (texts[i] if i < len(texts) else "") for i, name in enumerate(names) if name}))
    return rows


def _text(cell: object) -> str:
    """Cell as text; Excel gives 3095954.0 for a whole number typed in a cell, which is the integer."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _csv_lines(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("Tệp CSV phải được lưu với bảng mã UTF-8.") from None
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx_lines(content: bytes) -> Iterator[list[object]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file; the user needs one answer
        raise ValidationFailed("Không mở được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.") from None
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield list(row)
    workbook.close()
